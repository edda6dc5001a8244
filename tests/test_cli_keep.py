"""`feedtui tag`, `feedtui tags` and `feedtui note`, run as a user runs them (main() on the
test's own FEEDTUI_HOME; the editor case as a real subprocess with a stand-in editor)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

PAPER = "2311.09677"  # in the bundled sample
REPO = Path(__file__).resolve().parents[1]
FAKE_EDITOR = Path(__file__).resolve().parent / "fake_editor.py"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_adds_removes_and_prints_the_tags(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "tag", PAPER, "+Diffusion", "to-read", "#video") == (
        0, f"{PAPER}: #diffusion #to-read #video\n", ""
    )  # fmt: skip
    assert run(capsys, "tag", f"https://arxiv.org/abs/{PAPER}v2", "-video", "-absent")[1] == (
        f"{PAPER}: #diffusion #to-read\n"
    )
    assert run(capsys, "tag", PAPER)[1] == f"{PAPER}: #diffusion #to-read\n"
    assert run(capsys, "tag", PAPER, "-diffusion", "-to-read")[1] == f"{PAPER}: no tags\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tag", "9999.99999", "+x"], "no paper '9999.99999' in the library"),
        (["tag", PAPER, "to read"], "no spaces in a tag"),
        (["tag", PAPER, "+x", "-x"], "both +x and -x"),
        (["tag", PAPER, "+a,b"], "only letters, digits"),
        (["note", "nope", "--show"], "no paper 'nope' in the library"),
    ],
)
def test_bad_ids_and_names_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("feedtui: ") and message in err and err.count("\n") == 1
    assert run(capsys, "tags", "--json")[1].strip() == "[]"  # nothing was stored


def test_tags_lists_names_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "tag", PAPER, "a", "b")
    run(capsys, "tag", "2505.22954", "b")
    assert run(capsys, "tags")[1] == "2  b\n1  a\n"
    data = json.loads(run(capsys, "tags", "--json")[1])
    assert data == [{"tag": "b", "count": 2}, {"tag": "a", "count": 1}]
    assert run(capsys, "search", "tag:b", "--json")[0] == 0


def test_note_set_show_clear(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "note", PAPER, "--show") == (0, "", f"{PAPER} has no note\n")
    assert run(capsys, "note", PAPER, "--set", "# Why\n- read §3")[1] == (
        f"{PAPER}: note saved (2 lines)\n"
    )
    assert run(capsys, "note", PAPER, "--show")[1] == "# Why\n- read §3\n"
    assert run(capsys, "note", PAPER, "--clear")[1] == f"{PAPER}: note deleted\n"
    assert run(capsys, "note", PAPER, "--show")[1] == ""
    code, _, err = run(capsys, "note", PAPER, "--set", "x" * (256 * 1024 + 1))
    assert code == 1 and "at most 256 KiB" in err


def note_with_editor(editor: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EDITOR": editor}
    env.pop("VISUAL", None)
    return subprocess.run(
        [sys.executable, "-m", "tui", "note", PAPER],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_note_opens_the_editor_with_arguments_split_like_a_shell(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "note", PAPER, "--set", "first line\n")
    editor = f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE_EDITOR))} --append 'and more'"
    done = note_with_editor(editor)
    assert done.returncode == 0, done.stderr
    assert run(capsys, "note", PAPER, "--show")[1] == "first line\nand more\n"
    # An editor that fails (or cannot be found) changes nothing, in one line.
    failing = note_with_editor(f"{shlex.quote(sys.executable)} {FAKE_EDITOR} --exit 3 gone")
    assert failing.returncode == 1 and "exited with status 3; nothing changed" in failing.stderr
    missing = note_with_editor("/nonexistent/editor")
    assert missing.returncode == 1 and "cannot run the editor" in missing.stderr
    assert "Traceback" not in failing.stderr + missing.stderr
    assert run(capsys, "note", PAPER, "--show")[1] == "first line\nand more\n"


def test_note_without_an_editor_says_how(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    code, _, err = run(capsys, "note", PAPER)
    assert code == 1 and "set $VISUAL or $EDITOR, or give the note with --set" in err
