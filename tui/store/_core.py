"""The database connection: opening and migrating the file, transactions, and sqlite errors
explained for the user. `Store` (tui/store/_store.py) adds the queries on top.

Papers and state live in separate tables: a re-import rewrites paper rows but never touches
``state``, so read/saved marks survive any refetch (and even a paper that is gone from every feed).
Every change to a paper bumps its ``revision``; the search index records the revision it has
seen, which is how a restart knows what the index is missing.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path

from tui.store._schema import MIGRATIONS, QUERY_INDEXES, SCHEMA, SCHEMA_VERSION


class StoreError(Exception):
    """A problem with the database, explained for the user (the file is never deleted)."""


class StoreCore:
    """Thread-safe access to the database: one connection guarded by a lock, plus short-lived
    read connections for long scans (WAL lets them run beside writes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._writes = 0  # bumped by every write transaction of this connection
        self._conn = _connect(path)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self._errors("open"):
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer feedtui (database schema {version}; "
                    f"this feedtui reads up to {SCHEMA_VERSION}). Upgrade feedtui; the file was "
                    "left untouched."
                )
            # WAL is switched on only now: setting it rewrites the file header, and a database
            # this feedtui cannot read must be left exactly as it was.
            self._conn.execute("PRAGMA journal_mode = WAL")
            if version == SCHEMA_VERSION:
                self._ensure_query_indexes()
                return
            steps = ""
            if version > 0:
                # Keep a copy of the old file before changing anything. SQLite's backup API,
                # not a file copy: it includes what is still in the WAL.
                backup = self.path.with_suffix(f".v{version}.bak")
                with closing(sqlite3.connect(backup)) as target:
                    self._conn.backup(target)
                steps = "".join(MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
            # One transaction: a migration killed half-way leaves the old version, intact.
            try:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE; {steps} {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; "
                    "COMMIT;"
                )
            except BaseException:
                if self._conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise
            self._ensure_query_indexes()

    def _ensure_query_indexes(self) -> None:
        """Indexes that only make queries faster, added to databases made before them (no
        schema change: a missing one is created, an existing database is otherwise untouched)."""
        have = {
            row[0]
            for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        missing = [sql for name, sql in QUERY_INDEXES.items() if name not in have]
        if not missing:
            return
        try:
            self._conn.executescript("BEGIN IMMEDIATE; " + " ".join(missing) + " COMMIT;")
        except sqlite3.OperationalError:
            # Read-only or busy: the indexes only make queries faster; try again next time.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn sqlite errors into one clear StoreError naming the file and what to do."""
        try:
            yield
        except (sqlite3.DatabaseError, OSError) as error:  # OSError: ENOSPC, EIO...
            raise StoreError(_explain(error, self.path, doing)) from error

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken with BEGIN IMMEDIATE so that the revision numbers read
        inside it cannot race another feedtui process writing the same file."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite has already rolled back after some errors (SQLITE_FULL, IOERR): a second
            # ROLLBACK would fail and hide the error the user needs to see (disk full).
            if self._conn.in_transaction:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            raise
        finally:
            self._writes += 1
        self._conn.execute("COMMIT")

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        with closing(_connect(self.path)) as conn:
            yield conn

    def data_token(self) -> tuple[int, int]:
        """Changes whenever the database changes: our own writes (counted) or another
        connection's commits (SQLite's data_version). Lets callers cache query results."""
        with self._lock, self._errors("read"):
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            return self._writes, version

    def _revision_locked(self) -> int:
        return int(
            self._conn.execute("SELECT coalesce(max(revision), 0) FROM papers").fetchone()[0]
        )

    def _arrival_locked(self) -> int:
        """The last arrival number handed out (a counter in meta: never reused, even when the
        newest paper is deleted)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'arrival'").fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else 0

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` reports (empty when the database is sound)."""
        with self._lock, self._errors("check"):
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return [row[0] for row in rows if row[0] != "ok"]


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        # A second feedtui waits for the first one's short transactions instead of failing.
        conn.execute("PRAGMA busy_timeout = 10000")
        # WAL (set by StoreCore._migrate once the schema version is known to be ours): readers never
        # block the writer; with synchronous=NORMAL a committed change survives a killed
        # process (only an OS crash can roll back the last commits).
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(_explain(error, path, "open")) from error
    return conn


def _explain(error: Exception, path: Path, doing: str) -> str:
    text = str(error)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"{path} is damaged or is not a feedtui database ({text}). It was left untouched: "
            "move it aside to start fresh, or run `feedtui doctor`."
        )
    if "readonly" in text or "read-only" in text:
        return f"cannot {doing} {path}: the data directory is read-only ({text})."
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        text = "database or disk is full"
    if "disk is full" in text or "disk I/O" in text:
        return f"cannot {doing} {path}: {text}. Free some space; nothing stored was lost."
    if "locked" in text or "busy" in text:
        return f"{path} is busy: another feedtui is writing to it ({text}). Try again."
    if "unable to open" in text:
        return f"cannot open {path}: {text} (check that its folder exists and is writable)."
    return f"cannot {doing} {path}: {text}"


def chunks(items: Sequence[str], size: int = 900) -> Iterator[list[str]]:
    """``items`` in lists short enough for one statement: SQLite caps its bound parameters."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
