"""The UI is a thin skin: nothing outside tui/app/ imports Textual (DESIGN.md, property 2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"


def _imports_textual(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "textual" or name.startswith("textual.") for name in names):
            return True
    return False


def test_no_module_outside_app_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if "app" not in path.relative_to(PACKAGE).parts[:1] and _imports_textual(path)
    ]
    assert offenders == []


def test_the_check_itself_sees_textual_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from textual.widgets import Static\n")
    assert _imports_textual(sample)


def test_headless_commands_do_not_load_textual() -> None:
    # A fresh interpreter: the CLI's headless path (library, store, index, sources) must not
    # pull Textual in even indirectly.
    code = (
        "import sys, tui.cli, tui.library, tui.store, tui.index, tui.feeds.http, tui.cli.export\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
