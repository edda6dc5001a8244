"""Running papis: argv only, a deadline, and its output cleaned and cut before it is shown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tui.handoff.papis import OUTPUT_SHOWN, PapisError, add_to_papis, shown_output


def fake_papis(folder: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir(exist_ok=True)
    script = folder / "papis"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def test_a_papis_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_papis(tmp_path / "bin", "time.sleep(60)", monkeypatch)
    with pytest.raises(PapisError, match=r"did not finish within 0.5 s"):
        add_to_papis("2311.09677", timeout=0.5)


def test_the_id_is_one_argument_never_a_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_papis(tmp_path / "bin", "print(repr(sys.argv[1:]))", monkeypatch)
    result = add_to_papis("2311.09677; touch pwned")
    assert result.output == "['add', '--batch', '--from', 'arxiv', '2311.09677; touch pwned']"
    assert not (Path(os.getcwd()) / "pwned").exists()


def test_papis_reads_no_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A question papis asks gets end-of-file at once instead of waiting for an answer.
    fake_papis(tmp_path / "bin", "print('answer:', repr(sys.stdin.read()))", monkeypatch)
    assert add_to_papis("2311.09677", timeout=5).output == "answer: ''"


def test_output_is_cleaned_and_cut() -> None:
    raw = b"\x1b[31mred\x1b[0m \x1b]0;title\x07ok\r\n" + b"x" * 5000 + b"\nDocument added\n"
    shown = shown_output(raw)
    assert "\x1b" not in shown and "\x07" not in shown
    assert len(shown) <= OUTPUT_SHOWN + 1
    assert shown.endswith("Document added")  # the end is kept: papis says what it did there
    assert shown_output("caf\xe9".encode("latin-1")) == "caf\ufffd"  # bad UTF-8 is not an error
