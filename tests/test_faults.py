"""Faults of the machine, seen from the user's side: `feedtui` (the TUI entry and the CLI) and
`feedtui doctor` must say what is wrong and how to fix it, exit non-zero, and lose nothing.

How each fault is made real (tests run as root in CI, where permission bits stop nothing):

- read-only data dir: a read-only bind mount in a private mount namespace (``unshare -m``),
  which even root cannot write through (EROFS); without unshare, ``chmod`` when not root;
  otherwise skipped. The always-available cousin: the data dir path is a regular file.
- disk full: the child runs with ``RLIMIT_FSIZE`` (Python ignores SIGXFSZ, so a write past the
  limit fails with EFBIG instead of killing it). SQLite reports it as "database or disk is full"
  or a disk I/O error; Whoosh raises OSError. The limit is set between the size of the SQLite
  write-ahead log a small import needs and the size of the Whoosh segment it writes, so the same
  mechanism fills the disk for the store in one test and only for the index in the other.
- newer / corrupt database: files written by plain sqlite3 / garbage bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.feed_server import FeedServer
from tui.cli import main
from tui.config import Config
from tui.feeds import refresh_feeds
from tui.library import Library
from tui.paths import default_paths

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
FILE_LIMIT = 512 * 1024  # see the module docstring


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_feedtui(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_limit() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=set_limit,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def assert_user_error(out: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    for phrase in phrases:
        assert phrase in out.stderr, out.stderr


def prepared_library() -> Path:
    """A library with the sample and an index in line; returns the database path."""
    library = Library.open(config=Config(feeds=()))
    library.ensure_index()
    library.set_saved(library.search("").ids[0], True)
    library.close()
    return default_paths().database


# --- newer and corrupt databases ---------------------------------------------------------------


def newer_database(path: Path) -> None:
    """What a future feedtui would leave: another schema version, in rollback-journal mode
    (switching to WAL would rewrite the header: a refused file must stay byte for byte)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE papers_v9 (id TEXT PRIMARY KEY, data BLOB)")
        conn.execute("INSERT INTO papers_v9 VALUES ('x', zeroblob(5000))")
        conn.execute("PRAGMA user_version = 9")
    conn.close()


def test_newer_database_is_refused_and_kept_byte_for_byte(
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = default_paths().database
    newer_database(database)
    before = digest(database)
    # The TUI entry (no command) and a CLI command, in this process...
    for argv in ([], ["search", "x"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("feedtui: ") and "written by a newer feedtui" in err
        assert "Upgrade feedtui" in err
    # ...and the real console entry.
    assert_user_error(run_feedtui(), "written by a newer feedtui (database schema 9")
    assert main(["doctor"]) == 1
    report = capsys.readouterr().out
    assert "FAIL  database:" in report and "fix: upgrade feedtui" in report
    assert digest(database) == before
    assert sorted(p.name for p in database.parent.iterdir()) == [database.name]


@pytest.mark.parametrize("damage", ["garbage", "torn-pages"])
def test_corrupt_database_is_refused_and_kept(
    capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    database = default_paths().database
    if damage == "garbage":
        database.parent.mkdir(parents=True)
        database.write_bytes(b"definitely not SQLite " * 500)
    else:
        prepared_library()
        data = bytearray(database.read_bytes())
        rng = random.Random(3)
        for page in range(2, len(data) // 4096):  # keep the header page, tear the rest
            start = page * 4096 + 100
            data[start : start + 500] = rng.randbytes(500)
        database.write_bytes(bytes(data))
    before = digest(database)
    out = run_feedtui("search", "model")
    assert_user_error(out, "is damaged or is not a feedtui database", "feedtui doctor")
    assert main(["doctor"]) == 1
    report = capsys.readouterr().out
    assert "FAIL  database:" in report
    assert "fix: move" in report or "fix: back up the file" in report
    assert digest(database) == before


# --- read-only and unusable data dirs ------------------------------------------------------------


def read_only_runner(data_dir: Path) -> list[str] | None:
    """A command prefix that runs feedtui with ``data_dir`` read-only, or None if impossible."""
    unshare = shutil.which("unshare")
    if unshare:
        probe = subprocess.run(
            [unshare, "-m", "--propagation", "private", "sh", "-c",
             f"mount --bind -o ro '{data_dir}' '{data_dir}' && ! touch '{data_dir}/probe'"],
            capture_output=True, check=False, timeout=30,
        )  # fmt: skip
        if probe.returncode == 0:
            mount = f"mount --bind -o ro '{data_dir}' '{data_dir}' && exec \"$@\""
            return [unshare, "-m", "--propagation", "private", "sh", "-c", mount, "sh"]
    if os.geteuid() != 0:
        data_dir.chmod(0o555)
        for child in data_dir.iterdir():
            child.chmod(0o444)
        return []
    return None


@pytest.mark.parametrize("command", [[], ["search", "model"], ["mark", "2311.09677", "--read"]])
def test_read_only_data_dir_is_a_clear_error_and_loses_nothing(command: list[str]) -> None:
    database = prepared_library()
    before = digest(database)
    runner = read_only_runner(database.parent)
    if runner is None:
        pytest.skip("no way to make a folder read-only for root here (no unshare -m)")
    try:
        out = subprocess.run(
            [*runner, sys.executable, "-m", "tui", *command],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        database.parent.chmod(0o755)
    assert_user_error(out, str(database))
    assert "read-only" in out.stderr or "writable" in out.stderr, out.stderr
    assert digest(database) == before
    library = Library.open(config=Config(feeds=()))
    assert library.counts().saved == 1
    library.close()


def test_read_only_data_dir_doctor_names_the_fix() -> None:
    database = prepared_library()
    runner = read_only_runner(database.parent)
    if runner is None:
        pytest.skip("no way to make a folder read-only for root here (no unshare -m)")
    try:
        out = subprocess.run(
            [*runner, sys.executable, "-m", "tui", "doctor"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        database.parent.chmod(0o755)
    assert out.returncode == 1, out.stdout
    assert f"FAIL  data dir: {database.parent} is not writable" in out.stdout
    assert f"fix: make {database.parent} writable" in out.stdout


def test_data_dir_that_is_a_file_is_a_clear_error(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "data").write_text("my notes, not a folder")
    for argv in ([], ["search", "x"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("feedtui: cannot create feedtui's folders")
        assert "FEEDTUI_HOME" in err
    assert main(["doctor"]) == 1
    report = capsys.readouterr().out
    assert f"FAIL  data dir: {isolated_home / 'data'} is a file, not a folder" in report
    assert (isolated_home / "data").read_text() == "my notes, not a folder"


def test_data_dir_below_a_file_doctor_says_it_cannot_be_created(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_home.parent.mkdir(parents=True, exist_ok=True)
    isolated_home.write_text("a file where FEEDTUI_HOME should be")
    assert main(["doctor"]) == 1
    report = capsys.readouterr().out
    assert f"cannot be created: {isolated_home} is a file" in report
    assert main(["search", "x"]) == 1
    assert "cannot create feedtui's folders" in capsys.readouterr().err


# --- disk full -----------------------------------------------------------------------------------


def feed_config(url: str) -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'refresh_on_start = false\n[[feeds]]\nname = "big"\nkind = "hf_daily"\n'
                      f'url = "{url}"\n')  # fmt: skip


def hf_items(count: int, abstract_words: int, seed: int) -> bytes:
    rng = random.Random(seed)

    def words() -> str:
        if seed == 0:  # cheap to index: the same few words over and over
            return "storage filler words " * (abstract_words // 3)
        return " ".join(
            "".join(rng.choice(string.ascii_lowercase) for _ in range(8))
            for _ in range(abstract_words)
        )

    items = [
        {"paper": {"id": f"2902.{n:05d}", "title": f"Disk filler {n}", "summary": words()}}
        for n in range(count)
    ]
    return json.dumps(items).encode()


def test_disk_full_while_storing_papers_keeps_the_store(feed_server: FeedServer) -> None:
    database = prepared_library()
    feed_config(feed_server.route("/big", body=hf_items(100, 2500, seed=0)))
    out = run_feedtui("fetch", limit=FILE_LIMIT)
    # The feed's failure, reported like any other (the only feed failed: exit 2), and recorded.
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    assert f"big: failed: cannot save papers to {database}" in out.stderr
    assert "nothing stored was lost" in out.stderr
    assert "disk is full" in out.stderr or "disk I/O error" in out.stderr
    library = Library.open()
    assert library.store.integrity_problems() == []
    assert library.counts().total == 85 and library.counts().saved == 1
    assert library.get("2902.00000") is None  # the transaction went whole or not at all
    state = library.feed_state("big")
    assert state.last_error and "cannot save papers" in state.last_error
    assert state.last_success is None
    # With room again, the same fetch works.
    [report] = refresh_feeds(library, force=True)
    assert report.ok and report.added == 100
    library.close()


def test_disk_full_during_index_commit_keeps_the_store_and_repairs_on_start(
    feed_server: FeedServer,
) -> None:
    prepared_library()
    # One paper with a large vocabulary: a small WAL write, a large Whoosh segment.
    feed_config(feed_server.route("/big", body=hf_items(1, 6000, seed=2)))
    out = run_feedtui("fetch", limit=FILE_LIMIT)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "big: 1 new, 0 updated" in out.stdout
    assert "search index could not be written (File too large)" in out.stdout
    assert "rebuilt on the next start" in out.stdout
    library = Library.open()
    assert library.get("2902.00000") is not None  # the store kept it
    assert not library.index_ready  # stale, and known to be
    assert library.search("disk filler").from_index is False
    library.ensure_index()  # what the next start does in the background
    assert library.index_ready
    assert library.search("disk filler").ids == ["2902.00000"]
    library.close()
