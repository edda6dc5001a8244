"""`feedtui doctor`: FAIL only for what the user has to do something about, and then say what;
what feedtui makes or repairs by itself is ok or info."""

from __future__ import annotations

import shutil

import pytest

from tui.cli import main
from tui.cli.doctor import Finding, diagnose
from tui.config import Config
from tui.library import Library
from tui.model import Paper
from tui.paths import default_paths


def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["doctor"])
    return code, capsys.readouterr().out


def test_a_home_made_only_by_feeds_add_is_healthy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "add", "ml", "arxiv_rss", "--categories", "cs.LG"]) == 0
    capsys.readouterr()
    code, report = doctor(capsys)
    assert code == 0, report
    assert "FAIL" not in report and report.rstrip().endswith("all good")
    line = next(line for line in report.splitlines() if "search index" in line)
    assert line.startswith("info  search index: ")
    assert "not created yet; made on first run" in line
    assert doctor(capsys) == (code, report)  # the doctor only looks: the same next time


def test_an_index_behind_the_database_is_info_not_a_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = Library.open(config=Config(feeds=()))
    library.ensure_index()
    library.close()
    # Stored by a process that could not index (feedtui fetch with the index busy, say).
    library = Library.open(config=Config(feeds=()))
    library.store.upsert([Paper(id="x:1", title="Later")], "test")
    library.close()
    code, report = doctor(capsys)
    assert code == 0, report
    assert "info  search index: out of date" in report
    assert "feedtui rebuilds it in the background on its next start" in report


def test_every_fail_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    paths = default_paths()
    Library.open(config=Config(feeds=())).close()
    shutil.rmtree(paths.index_dir)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("refresh_minutes = 0\n", encoding="utf-8")
    paths.index_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.index_dir.write_text("not a folder", encoding="utf-8")
    findings = diagnose(paths)
    failures = [f for f in findings if not f.ok]
    assert {f.what for f in failures} == {"config", "search index"}
    for finding in failures:
        assert finding.fix and "nothing to do" not in finding.fix, finding
    assert main(["doctor"]) == 1
    assert "2 problems found" in capsys.readouterr().out


def test_finding_marks() -> None:
    assert Finding(True, "x", "fine").lines() == ["ok    x: fine"]
    assert Finding(True, "x", "later", info=True).lines() == ["info  x: later"]
    assert Finding(False, "x", "bad", "do y").lines() == ["FAIL  x: bad", "      fix: do y"]
