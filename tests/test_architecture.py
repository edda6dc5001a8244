"""The architecture holds: one direction of imports and Textual only in tui/app, checked by
import-linter's contracts in pyproject.toml (also run by .ci/run), and the check itself fails
on a planted violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold() -> None:
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "tui", tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("tui/model.py", "import textual.widgets\n", "Textual only in tui.app"),
        ("tui/store/__init__.py", "import tui.library\n", "One direction"),
        ("tui/library.py", "from tui.app import app\n", "One direction"),
        ("tui/query.py", "if False:\n    import whoosh\n", "The query language"),
        ("tui/cli/search.py", "from tui.index._search import Search\n", "Private modules"),
        ("tui/feeds/http.py", "import textual\n", "Textual only in tui.app"),
    ],
)
def test_a_planted_violation_breaks_a_contract(
    copy_of_the_tree: Path, module: str, planted: str, contract: str
) -> None:
    path = copy_of_the_tree / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + planted, encoding="utf-8")
    result = lint(copy_of_the_tree)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every absolute `from tui... import` and `import tui...` in a file."""
    import ast

    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return [(module, names) for module, names in found if module.split(".")[0] == "tui"]


def private_crossings(root: Path) -> list[str]:
    """Imports of another package's private modules (``tui.index._search`` from outside
    tui.index) or of any module's underscore names (``from tui.x import _y``)."""
    crossings = []
    for path in sorted((root / "tui").rglob("*.py")):
        here = ".".join(path.relative_to(root).with_suffix("").parts)
        package = here.rsplit(".", 1)[0] if path.name != "__init__.py" else here
        for module, names in imports_of(path):
            parts = module.split(".")
            for depth, part in enumerate(parts):
                owner = ".".join(parts[:depth])
                if part.startswith("_") and not package.startswith(owner):
                    crossings.append(f"{here} imports {module}")
            # Inside a package, private modules share their names without underscores.
            private = [name for name in names if name.startswith("_") and name != "__version__"]
            if private:
                crossings.append(f"{here} imports {', '.join(private)} from {module}")
    return crossings


def test_no_module_reaches_into_another_package_or_its_private_names() -> None:
    assert private_crossings(REPO) == []


def test_the_crossing_check_sees_a_planted_one(copy_of_the_tree: Path) -> None:
    path = copy_of_the_tree / "tui" / "library.py"
    path.write_text(path.read_text(encoding="utf-8") + "\nfrom tui.store._rows import x\n")
    assert private_crossings(copy_of_the_tree) == ["tui.library imports tui.store._rows"]


def test_every_package_on_disk_is_shipped() -> None:
    """A non-editable install ships exactly the packages pyproject lists (the top-level assets/
    folder is mapped in as tui.assets, which setuptools' discovery cannot do), so a new
    subpackage must be listed: this fails until it is."""
    import tomllib

    setup = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(setup["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "tui").rglob("__init__.py")
    }
    assert listed == on_disk | {"tui.assets"}
    assert setup["setuptools"]["package-dir"] == {"tui.assets": "assets"}
