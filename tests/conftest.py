"""Keeps every test away from the developer's real files and from the network."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FEEDTUI_HOME (and the XDG dirs platformdirs reads) at a per-test tmp dir."""
    home = tmp_path / "feedtui-home"
    monkeypatch.setenv("FEEDTUI_HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    return home


# The local feed server fixture (127.0.0.1 only), shared by the source, refresh and app tests.
pytest_plugins = ["tests.feed_server"]
