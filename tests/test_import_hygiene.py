"""The UI is a thin skin: the headless commands never load Textual, not even indirectly
(DESIGN.md, property 2). The static rule, that nothing outside tui/app imports Textual, is an
import-linter contract (pyproject.toml, tests/test_architecture.py)."""

from __future__ import annotations

import subprocess
import sys


def test_headless_commands_do_not_load_textual() -> None:
    # A fresh interpreter: the CLI's headless path (library, store, index, sources) must not
    # pull Textual in even indirectly.
    code = (
        "import sys, tui.cli, tui.library, tui.store, tui.index, tui.feeds.http, tui.cli.export\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
