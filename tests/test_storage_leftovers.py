"""Crash leftovers of the index (issue 13): each killed rebuild left its partial ``ix-*``
folder, removed only after a rebuild succeeded, so on a nearly full disk every later rebuild ran
out of space and search fell back silently, for good. Dead builds' folders go before the next
open or build (the build lock tells a live build from a dead one); a live build's folder stays;
a rebuild that cannot finish says so, in the library and in `feedtui doctor`."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crash_child import crash_paper
from tui.cli import main
from tui.index import BUILD_LOCK_FILE, META_FILE
from tui.library import Library
from tui.paths import default_paths

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent


def ix_dirs() -> set[str]:
    return {p.name for p in default_paths().index_dir.glob("ix-*")}


def current_dir() -> str:
    import json

    meta = json.loads((default_paths().index_dir / META_FILE).read_text(encoding="utf-8"))
    return str(meta["dir"])


def kill_mid_build() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", "build"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # the first progress report: mid-build
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert line.startswith("progress"), child.stderr.read() if child.stderr else line


def test_killed_builds_leave_nothing_behind_after_the_next_open() -> None:
    library = Library.open()  # the index is made empty; the papers need a build
    library.store.upsert([crash_paper(n) for n in range(3000)], "bulk")
    library.close()
    kept = current_dir()
    for _ in range(3):
        kill_mid_build()
    # Each killed build leaves its partial folder; the next process's open removes it, so only
    # the last one is left (it was 3 and growing: 10 kills were 135 MB beside a 73 MB index).
    assert len(ix_dirs() - {kept}) == 1
    library = Library.open()
    assert ix_dirs() == {kept}  # gone before anything else is written
    library.ensure_index()
    assert library.index_ready and ix_dirs() == {current_dir()}
    library.close()


def test_a_live_builds_folder_is_left_alone_and_a_dead_ones_goes() -> None:
    Library.open().close()  # the index is made empty; the papers below need a build
    index_dir = default_paths().index_dir
    live = index_dir / "ix-livebuild000"
    live.mkdir()
    (live / "_MAIN_1.toc").write_bytes(b"partial")
    # Another feedtui building right now: it holds the build lock (an flock) while it writes.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            str(index_dir / BUILD_LOCK_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        library = Library.open()
        library.store.upsert([crash_paper(n) for n in range(3000)], "bulk")
        library.ensure_index()  # a rebuild is needed; the other one is building
        assert "another feedtui process is rebuilding" in library.index_problem
        library.close()
        assert (live / "_MAIN_1.toc").exists()
    finally:
        holder.kill()  # the live build dies: its lock goes with it
        holder.wait()
    library = Library.open()
    assert not live.exists()
    library.ensure_index()
    assert library.index_ready and library.index_problem == ""
    library.close()


def test_a_dead_builds_stale_temp_meta_file_is_removed() -> None:
    library = Library.open()
    library.close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = default_paths().index_dir / f".{META_FILE}.{dead.stdout.strip()}.abcd1234.tmp"
    stale.write_text("{}", encoding="utf-8")
    Library.open().close()
    assert not stale.exists()


def test_a_rebuild_out_of_space_says_so_to_the_library_and_the_doctor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = Library.open()
    library.store.upsert([crash_paper(n) for n in range(3000)], "bulk")
    library.close()
    limit = 512 * 1024  # the build's segments are larger: Whoosh's writes fail (EFBIG)

    def set_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = subprocess.run(
        [sys.executable, "-m", "tui", "search", "resilient"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=set_limit,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert "crash-" in out.stdout  # the fallback answered
    assert "could not be rebuilt: not enough space" in out.stderr  # and search said why
    assert ix_dirs() == {current_dir()}  # the failed build removed its own folder
    library = Library.open()
    assert not library.index_ready
    assert "the search index could not be rebuilt: not enough space" in library.index_problem
    assert "Free some space" in library.index_problem
    library.close()
    assert main(["doctor"]) == 1
    report = capsys.readouterr().out
    assert "FAIL  search index: the search index could not be rebuilt: not enough space" in report
    # With room again the next sync rebuilds it, and the message goes.
    library = Library.open()
    library.ensure_index()
    assert library.index_ready and library.index_problem == ""
    library.close()
    assert Library.open().index_problem == ""
