"""Keeps every test away from the developer's real files and from the network.

For the whole run (set in `pytest_configure`, so subprocesses the tests start inherit it):

- HOME, the XDG base dirs and FEEDTUI_HOME point into a throwaway folder. The real feedtui
  folders (``~/.local/share/feedtui``, ``~/.config/feedtui``, ``~/.cache/feedtui``, platformdirs'
  paths...) are listed before the run, and the run fails at the end if anything in them was
  created, changed or removed (`pytest_sessionfinish`).
- Only loopback is reachable: tests/hermetic/sitecustomize.py blocks every other connection and
  name lookup in this process, and, being first on PYTHONPATH, in every Python child too.

Each test also gets its own FEEDTUI_HOME and XDG dirs (the `isolated_home` fixture).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import platformdirs
import pytest

from tests.hermetic import sitecustomize as network

TESTS = Path(__file__).resolve().parent
# Vendored copies of the captured payloads and of the seed (see tests/fixtures/README.md).
FIXTURES = TESTS / "fixtures"
SEED = FIXTURES / "seed" / "trending_papers.json"

XDG_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
# The meta test (tests/test_hermetic.py) points the guard at a stand-in for the real home here,
# so it can prove the guard fires without writing to the real one.
REAL_HOME_ENV = "FEEDTUI_TEST_REAL_HOME"
_SESSION_ENV = ("HOME", "FEEDTUI_HOME", "PYTHONPATH", *XDG_VARS)

Snapshot = dict[str, tuple[bool, int, int]]  # path -> (is a dir, size, mtime_ns)
_guard: dict[str, object] = {}


def real_feedtui_dirs(env: dict[str, str]) -> list[Path]:
    """Every folder where a feedtui run outside the tests keeps (or would keep) its files."""
    stand_in = env.get(REAL_HOME_ENV)
    home = Path(stand_in) if stand_in else Path(env.get("HOME") or Path.home())
    dirs = {
        home / ".local" / "share" / "feedtui",
        home / ".config" / "feedtui",
        home / ".cache" / "feedtui",
        home / ".local" / "state" / "feedtui",
        home / "Library" / "Application Support" / "feedtui",
        home / "Library" / "Caches" / "feedtui",
    }
    if not stand_in:
        dirs.update(Path(env[var]) / "feedtui" for var in XDG_VARS if env.get(var))
        if env.get("FEEDTUI_HOME"):
            dirs.add(Path(env["FEEDTUI_HOME"]).expanduser())
        # Computed now, while the environment is still the real one.
        for where in (
            platformdirs.user_data_dir,
            platformdirs.user_config_dir,
            platformdirs.user_cache_dir,
            platformdirs.user_state_dir,
        ):
            dirs.add(Path(where("feedtui", appauthor=False)))
    return sorted(dirs)


def snapshot(dirs: list[Path]) -> Snapshot:
    found: Snapshot = {}
    for top in dirs:
        if not os.path.lexists(top):
            continue
        for root, subdirs, files in os.walk(top):
            for name in [".", *subdirs, *files]:
                path = os.path.normpath(os.path.join(root, name))
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                is_dir = os.path.isdir(path) and not os.path.islink(path)
                # A folder's own times change with what is in it: its entries tell that story.
                found[path] = (
                    is_dir,
                    0 if is_dir else info.st_size,
                    0 if is_dir else info.st_mtime_ns,
                )
    return found


def touched(before: Snapshot, after: Snapshot) -> list[str]:
    lines = [f"created  {path}" for path in sorted(after.keys() - before.keys())]
    lines += [f"removed  {path}" for path in sorted(before.keys() - after.keys())]
    lines += [
        f"changed  {path}"
        for path in sorted(before.keys() & after.keys())
        if before[path] != after[path]
    ]
    return lines


def pytest_configure(config: pytest.Config) -> None:
    dirs = real_feedtui_dirs(dict(os.environ))
    _guard.update(
        dirs=dirs,
        before=snapshot(dirs),
        saved_env={name: os.environ.get(name) for name in _SESSION_ENV},
        root=tempfile.mkdtemp(prefix="feedtui-tests-"),
    )
    root = Path(str(_guard["root"]))
    os.environ["HOME"] = str(root / "home")
    os.environ["FEEDTUI_HOME"] = str(root / "feedtui-home")
    for var in XDG_VARS:
        os.environ[var] = str(root / "xdg" / var.lower())
    (root / "home").mkdir()
    # Children import tests/hermetic/sitecustomize.py first thing: no network for them either.
    site = str(TESTS / "hermetic")
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    os.environ["PYTHONPATH"] = os.pathsep.join([site, *paths])
    network.install()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if "before" not in _guard:
        return
    dirs: list[Path] = _guard["dirs"]  # type: ignore[assignment]
    changes = touched(_guard["before"], snapshot(dirs))  # type: ignore[arg-type]
    if not changes:
        return
    shown = changes[:20] + ([f"... and {len(changes) - 20} more"] if len(changes) > 20 else [])
    message = "\n".join(
        [
            "",
            "ERROR: the tests touched your real feedtui folders (they must only use tmp dirs):",
            *(f"  {line}" for line in shown),
            "Find the test that reads default_paths() or HOME outside the test isolation "
            "(e.g. after monkeypatch.undo()). If you ran feedtui yourself meanwhile, that was "
            "it: run the tests again.",
        ]
    )
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(message, red=True, bold=True)
    else:
        print(message, file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    saved: dict[str, str | None] = _guard.get("saved_env", {})  # type: ignore[assignment]
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if "root" in _guard:
        shutil.rmtree(str(_guard["root"]), ignore_errors=True)
    _guard.clear()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point FEEDTUI_HOME (and the XDG dirs platformdirs reads) at a per-test tmp dir."""
    home = tmp_path / "feedtui-home"
    monkeypatch.setenv("FEEDTUI_HOME", str(home))
    for var in XDG_VARS:
        monkeypatch.setenv(var, str(tmp_path / "xdg" / var.lower()))
    return home


# The local feed server fixture (127.0.0.1 only), shared by the source, refresh and app tests.
pytest_plugins = ["tests.feed_server", "tests.zotero_server"]
