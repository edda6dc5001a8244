"""The promises the repository makes to a newcomer stay true."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.sample_asset import ASSET, build
from tui import __version__

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_starts_with_run_and_test_commands() -> None:
    run, test = readme_commands()
    assert "pip install ." in run and run.endswith("feedtui --sample")
    assert test.endswith("pytest")


def test_ci_calls_the_readme_test_command() -> None:
    _, test = readme_commands()
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_changelog_has_the_current_version() -> None:
    assert f"## [{__version__}]" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_sample_asset_matches_the_seed() -> None:
    assert ASSET.read_text(encoding="utf-8") == build()
    assert len(json.loads(ASSET.read_text(encoding="utf-8"))) == 85
