"""`feedtui export [QUERY]` and `feedtui papis ID`, run as a user runs them, on the bundled
sample library of the test's FEEDTUI_HOME."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tests.zotero_server import ZoteroStandIn
from tui.cli import main
from tui.config import Config
from tui.library import Library
from tui.paths import default_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def use_connector(address: str) -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'feeds = []\nzotero_connector = "{address}"\n', encoding="utf-8")


def test_a_query_exports_every_match_not_a_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "", "--json", "--limit", "100000")
    everything = json.loads(out)
    code, out, _err = run(capsys, "export", "--format", "json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == [p["id"] for p in everything]
    assert len(everything) == 85  # the whole sample, not search's 20 nor a search_limit


def test_export_takes_the_search_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "has:code", "agent", "--json", "--limit", "1000")
    expected = [p["id"] for p in json.loads(out)]
    assert expected
    code, out, _ = run(capsys, "export", "has:code", "agent", "--format", "json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == expected


def test_saved_is_the_query_is_saved(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "mark", "2311.09677", "--saved")
    _, by_flag, _ = run(capsys, "export", "--saved", "--format", "csv")
    _, by_query, _ = run(capsys, "export", "is:saved", "--format", "csv")
    assert by_flag == by_query
    rows = list(csv.reader(io.StringIO(by_flag)))
    assert [row[0] for row in rows] == ["id", "2311.09677"]


def test_nothing_saved_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--saved", "--format", "ris")
    assert (code, out) == (0, "")
    assert "no saved papers" in err


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csv", "json", "markdown"])
def test_output_file_is_written_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / f"out.{fmt}"
    target.write_text("old contents", encoding="utf-8")
    code, out, err = run(capsys, "export", "agent", "--format", fmt, "-o", str(target))
    assert code == 0 and out == ""
    assert f"to {target}" in err
    _, printed, _ = run(capsys, "export", "agent", "--format", fmt)
    assert target.read_bytes().decode("utf-8") == printed
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temp file left
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # a file for other programs to read


def test_an_unwritable_output_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run(capsys, "export", "--format", "csv", "-o", str(blocker / "x.csv"))
    assert (code, out) == (1, "")
    assert err.startswith(f"feedtui: cannot write {blocker / 'x.csv'}") and err.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_export_to_zotero(capsys: pytest.CaptureFixture[str], zotero_server: ZoteroStandIn) -> None:
    use_connector(zotero_server.address)
    run(capsys, "mark", "2311.09677", "--saved")
    code, _out, err = run(capsys, "export", "is:saved", "--to", "zotero")
    assert code == 0
    assert "Added to Zotero: 1 paper" in err
    assert len(zotero_server.imported) == 1
    assert "eprint = {2311.09677}" in zotero_server.imported[0]


def test_export_to_zotero_when_it_is_not_running(
    capsys: pytest.CaptureFixture[str], nothing_listening: str
) -> None:
    use_connector(nothing_listening)
    code, _, err = run(capsys, "export", "agent", "--to", "zotero")
    assert code == 1
    where = nothing_listening.removeprefix("http://")
    assert err.startswith(f"feedtui: Zotero is not running on {where}")
    assert "remote session" in err and err.count("\n") == 1


def test_a_bad_connector_address_is_a_config_error(capsys: pytest.CaptureFixture[str]) -> None:
    use_connector("file:///etc/passwd")
    code, _, err = run(capsys, "export", "--to", "zotero")
    assert code == 1
    assert "zotero_connector" in err and "http" in err


# -- papis ----------------------------------------------------------------------------------

FAKE_PAPIS = """#!{python}
import os, sys
log = os.environ["FAKE_PAPIS_LOG"]
with open(log, "a", encoding="utf-8") as handle:
    handle.write(repr(sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_PAPIS_FAIL"):
    sys.stderr.write("\\x1b[31mERROR\\x1b[0m: arxiv said no\\n")
    sys.exit(3)
print("\\x1b]0;owned\\x07Adding 1 document" + " padding" * 200)
print("Document added: " + sys.argv[-1])
"""


@pytest.fixture
def fake_papis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `papis` on PATH that records its arguments (one line per run) in the returned log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "papis"
    script.write_text(FAKE_PAPIS.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "papis.log"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_PAPIS_LOG", str(log))
    return log


def test_papis_adds_by_arxiv_id(capsys: pytest.CaptureFixture[str], fake_papis: Path) -> None:
    code, _out, err = run(capsys, "papis", "https://arxiv.org/abs/2311.09677v2")
    assert code == 0
    assert fake_papis.read_text(encoding="utf-8").splitlines() == [
        "['add', '--batch', '--from', 'arxiv', '2311.09677']"
    ]
    assert "Added to papis: arXiv:2311.09677" in err
    assert "Document added: 2311.09677" in err
    assert "\x1b" not in err and "\x07" not in err  # papis's output is cleaned
    assert len(err) < 1000  # and cut


def test_papis_failure_is_one_line(
    capsys: pytest.CaptureFixture[str], fake_papis: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_PAPIS_FAIL", "1")
    code, _, err = run(capsys, "papis", "2311.09677")
    assert code == 1
    assert err == "feedtui: papis failed (exit 3): ERROR: arxiv said no\n"


def test_papis_not_on_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "papis", "2311.09677")
    assert code == 1
    assert "papis is not on PATH" in err


def test_papis_unknown_paper(capsys: pytest.CaptureFixture[str], fake_papis: Path) -> None:
    code, _, err = run(capsys, "papis", "9999.99999")
    assert code == 1 and "no stored paper" in err
    assert not fake_papis.exists()


def test_export_is_not_cut_at_search_limit() -> None:
    library = Library.open(config=Config(feeds=(), search_limit=3))
    try:
        library.ensure_index()
        capped = library.search("agent").ids
        assert len(capped) == 3  # what the search box asks for...
        exported = [entry.paper.id for entry in library.matching("agent")]
        assert len(exported) > 3  # ...is not what an export gets
        assert exported[:3] == capped  # in the same order
    finally:
        library.close()
