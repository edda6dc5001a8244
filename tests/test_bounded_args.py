"""An argument with bytes that are not UTF-8 (Python hands them over as lone surrogates) is one
clear message in every subcommand, never a UnicodeEncodeError traceback; a file name that is
not UTF-8 is still a file name (tui/cli/run.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BAD = b"\xff".decode("utf-8", "surrogateescape")  # what `feedtui mark $'\xff'` receives


def _feedtui(*argv: str) -> subprocess.CompletedProcess[str]:
    # subprocess encodes each str argument with os.fsencode: the child gets the raw byte.
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["mark", BAD, "--read"], "paper"),
        (["mark", f"2308.00352{BAD}", "--saved"], "paper"),
        (["search", "ok", f"a{BAD}b"], "query"),
        (["feeds", "remove", BAD], "name"),
        (["feeds", "add", BAD, "feed", "--url", "https://example.org/rss"], "name"),
        (["feeds", "add", "x", "feed", "--url", f"https://example.org/{BAD}"], "url"),
        (["fetch", "--feed", BAD], "feed"),
    ],
)
def test_an_undecodable_argument_is_one_message(argv: list[str], name: str) -> None:
    done = _feedtui(*argv)
    assert done.returncode == 2
    shown = next(a for a in argv if BAD in a).replace(BAD, "\\xff")
    assert done.stderr == f"feedtui: {name}: '{shown}' is not UTF-8 text (give it as text)\n"
    assert done.stdout == ""


def test_a_file_name_that_is_not_utf8_still_works(tmp_path: Path) -> None:
    opml = tmp_path / f"feeds{BAD}.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="blog" xmlUrl="https://blog.example.org/rss"/></body></opml>',
        encoding="utf-8",
    )
    assert os.fsencode(opml).endswith(b"feeds\xff.opml")
    done = _feedtui("feeds", "import", str(opml))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # Printed escaped: stdout never fails on a character it cannot encode.
    assert done.stdout == f"imported 1 feed from {str(opml).replace(BAD, chr(92) + 'udcff')}\n"
