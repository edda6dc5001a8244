"""`feedtui feeds import` of a large OPML file is one parse and one write, with per-outline work
that stays constant (it was quadratic: 5,000 outlines took over a minute), and the outlines it
refuses are listed in one message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.cli import config_edit, main
from tui.config import load_config
from tui.paths import default_paths

REFUSED = (
    '<outline text="script" xmlUrl="javascript:alert(1)"/>'
    '<outline text="local" xmlUrl="file:///etc/passwd"/>'
    '<outline text="inline" xmlUrl="data:text/xml,%3Crss/%3E"/>'
)


def _opml(path: Path, count: int, extra: str = "") -> Path:
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="https://example.org/feeds/{n}.xml"/>\n'
        for n in range(count)
    )
    path.write_text(f'<opml version="2.0"><body>{outlines}{extra}</body></opml>', "utf-8")
    return path


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original: Callable[..., Any] = getattr(config_edit, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(config_edit, name, counted)
    return calls


def test_importing_5000_outlines_is_one_write_and_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = _opml(tmp_path / "big.opml", 5000)
    writes = _counting(monkeypatch, "atomic_write")
    checks = _counting(monkeypatch, "parse_config")
    # The names already in the document: read once, not once per new feed (quadratic).
    name_scans = _counting(monkeypatch, "_names")
    assert main(["feeds", "import", str(opml)]) == 0
    assert capsys.readouterr().out == f"imported 5000 feeds from {opml}\n"
    assert (len(writes), len(checks), len(name_scans)) == (1, 1, 1)
    feeds = load_config(default_paths().config_file).feeds
    assert len(feeds) == 5002  # the two defaults, written out, and the 5,000
    assert feeds[-1].url == "https://example.org/feeds/4999.xml"


def test_refused_outlines_are_listed_in_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = _opml(tmp_path / "mixed.opml", 2, REFUSED)
    assert main(["feeds", "import", str(opml)]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"feedtui: {opml}: skipped 3 outlines whose xmlUrl is refused: "
        "'script' (refused javascript: link), 'local' (refused file: link), "
        "'inline' (refused data: link)\n"
    )
    assert out == f"imported 2 feeds from {opml} (3 refused (see above))\n"
    urls = [feed.url for feed in load_config(default_paths().config_file).feeds]
    assert not any(url.startswith(("javascript:", "file:", "data:")) for url in urls)


def test_only_refused_outlines_say_so_rather_than_an_empty_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = _opml(tmp_path / "bad.opml", 0, REFUSED)
    assert main(["feeds", "import", str(opml)]) == 0
    out, err = capsys.readouterr()
    assert "skipped 3 outlines" in err
    assert out == f"imported 0 feeds from {opml} (3 refused (see above))\n"
