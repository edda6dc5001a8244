"""Writers keep transactions short (issue 13): a big import commits in batches, so a mark from
another process never waits behind a whole feed; batching keeps "user state is never touched
by an import" and "a failed import deletes nothing"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crash_child import crash_paper
from tui.library import Library
from tui.model import Paper
from tui.store import Store, StoreError

REPO = Path(__file__).resolve().parent.parent


def commits_during(store: Store, action: object) -> int:
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        action()  # type: ignore[operator]
    finally:
        store._conn.set_trace_callback(None)
    return sum(1 for s in statements if s.strip().upper() == "COMMIT")


def test_a_2000_paper_import_commits_in_batches(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    papers = [crash_paper(n) for n in range(2000)]
    done: list[int] = []
    commits = commits_during(
        store, lambda: store.upsert(papers, "big", progress=lambda d, _t: done.append(d))
    )
    assert commits == 4  # 500 papers a transaction, not one for the whole feed
    assert done == [500, 1000, 1500, 2000]
    assert store.count() == 2000
    # Revisions still grow one per changed paper, across batches.
    assert store.revision() == 2000
    assert [rev for _, rev in store.iter_papers(1990)] == list(range(1991, 2001))
    store.close()


def test_batched_reimport_merges_and_never_touches_marks(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    store.upsert([crash_paper(n) for n in range(1200)], "a")
    store.set_read("crash-700", True)
    store.set_saved("crash-1100", True)
    richer = [Paper(id=f"crash-{n}", title="t", upvotes=n) for n in range(600, 1300)]
    # The same paper twice in one feed is one row, enriched by both copies.
    richer.append(Paper(id="crash-5", title="t", code_url="https://github.com/a/b"))
    richer.append(Paper(id="crash-5", title="t", upvotes=99))
    result = store.upsert(richer, "b")
    assert (result.added, result.updated) == (100, 600 + 2)
    assert store.count() == 1300
    five = store.get("crash-5")
    assert five is not None and five.paper.upvotes == 99
    assert five.paper.code_url == "https://github.com/a/b"
    assert set(five.paper.sources) == {"a", "b"}
    read, saved = store.get("crash-700"), store.get("crash-1100")
    assert read is not None and read.read and read.paper.upvotes == 700
    assert saved is not None and saved.saved
    store.close()


class FullAfter:
    """The store's connection, with the disk filling up at the ``n``-th batch's paper writes."""

    def __init__(self, conn: sqlite3.Connection, n: int) -> None:
        self._conn, self._left = conn, n

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        if sql.startswith("INSERT OR REPLACE INTO papers"):
            self._left -= 1
            if self._left == 0:
                raise sqlite3.OperationalError("database or disk is full")
        return self._conn.executemany(sql, rows)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def test_a_failing_batch_keeps_the_batches_before_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    store.upsert([crash_paper(n) for n in range(10)], "old")
    # A context of its own, not monkeypatch.undo(): that would also undo the home isolation.
    with pytest.MonkeyPatch.context() as full_disk:
        full_disk.setattr(store, "_conn", FullAfter(store._conn, 2))
        with pytest.raises(StoreError, match="disk is full"):
            store.upsert([crash_paper(n) for n in range(1000, 2000)], "new")
    assert store.count() == 10 + 500  # the first batch is stored, the old papers are there
    assert store.get("crash-1499") is not None and store.get("crash-1500") is None
    assert store.integrity_problems() == []
    store.close()


def start_import_child(count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", "bigimport", str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


@pytest.mark.slow
def test_a_mark_from_another_process_does_not_wait_for_a_big_import() -> None:
    library = Library.open()
    paper_id = library.search("").ids[0]
    library.close()
    child = start_import_child(150_000)  # ~3-5 s of importing here
    assert child.stdout is not None
    try:
        line = child.stdout.readline()  # the first batch is committed: the import is under way
        assert line.startswith("batch "), line or child.communicate()[1]
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "tui", "mark", paper_id, "--saved"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        took = time.monotonic() - started
        still_importing = child.poll() is None
    finally:
        child.kill()
        child.wait()
    assert out.returncode == 0, out.stderr
    assert still_importing  # the mark ran beside the import, not after it
    assert took < 5, f"the mark waited {took:.1f} s"
    library = Library.open()
    entry = library.get(paper_id)
    assert entry is not None and entry.saved
    library.close()
