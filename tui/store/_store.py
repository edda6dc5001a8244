"""The store's queries: papers (upsert, read, filter, the LIKE fallback search), the user's
read/saved marks, feed states and the once-only removal of the bundled sample. The connection,
transactions and error messages are tui/store/_core.py's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tui.links import safe_url
from tui.merge import merge
from tui.model import (
    Counts,
    Entry,
    FeedState,
    Paper,
    SampleRemoval,
    SearchCancelled,
    UpsertResult,
    now_iso,
)
from tui.query import Query
from tui.store._cache import FilterCache, Filtered
from tui.store._core import chunks
from tui.store._fulltexts import FullTextQueries
from tui.store._keep import KeepQueries
from tui.store._metrics import MetricQueries
from tui.store._rows import INSERT_PAPER, PAPER_COLUMNS, paper_from_row, paper_values
from tui.store._schema import METRIC_POINTS
from tui.store._sql import fallback_clause, filter_clause
from tui.store._watches import WatchQueries

# Papers stored per transaction: a batch of 500 writes in ~10-20 ms, so a mark from another
# process never waits long (SQLite's busy handler retries it), and a feed of 20k papers no
# longer holds the write lock for its whole import.
UPSERT_BATCH = 500


@dataclass(slots=True)
class _Plan:
    ids: list[str]  # the batch's ids, once each
    seen: dict[str, int]  # id -> revision of the rows the merge read
    # id -> (merged paper, first_seen, arrival) to write, in the order first changed; arrival
    # 0 for a paper new to the store (numbered when written)
    writes: dict[str, tuple[Paper, str, int]] = field(default_factory=dict)
    # id -> (upvotes, stars) as stored before this batch, for the papers that have them
    metrics_before: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    added: int = 0
    updated: int = 0


class Store(WatchQueries, MetricQueries, KeepQueries, FullTextQueries):
    """The queries: papers, the user's marks, feed states, the bundled sample's removal; the
    watches (_watches), the metric history (_metrics), the tags and notes (_keep)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._filters = FilterCache()
        self._marks: tuple[tuple[int, int], frozenset[str], frozenset[str]] | None = None
        # Writes of marks through this connection (set_flags is the only writer of `state`):
        # the marks cached by `marked` outlive this process's imports, not a mark.
        self._mark_writes = 0

    # -- papers ----------------------------------------------------------------------------

    def upsert(
        self,
        papers: Sequence[Paper],
        feed: str,
        progress: Callable[[int, int], None] | None = None,
        stamp: str = "",
    ) -> UpsertResult:
        """Insert or merge ``papers``, UPSERT_BATCH of them per transaction, so that another
        process's mark (`feedtui mark`, the TUI) waits for one batch at most, never for a whole
        feed. User state is never touched. Each batch is stored whole or not at all; when one
        fails (disk full...) the batches before it stay: papers are only ever added or enriched.
        ``progress(done, total)`` is called after each committed batch. A paper new to the
        store gets the next arrival number; a changed upvote or star count is a point of its
        metric history at ``stamp`` (now by default)."""
        papers = list(map(_with_safe_links, papers))
        added = updated = 0
        changed: list[str] = []
        # To the microsecond for the metric history: two fetches a second apart are two points.
        when = stamp or datetime.now(UTC).isoformat(timespec="microseconds")
        stamp = stamp or now_iso()
        for start in range(0, len(papers), UPSERT_BATCH):
            batch = papers[start : start + UPSERT_BATCH]
            with self._lock, self._errors("save papers to"):
                # Merged before the transaction (the slow part, in Python), so the write lock is
                # held only for the writes; redone inside it if another process changed a row.
                plan = self._plan(batch, stamp)
                with self._transaction():
                    if self._revisions(plan.ids) != plan.seen:
                        plan = self._plan(batch, stamp)
                    revision = self._revision_locked()
                    arrival = self._arrival_locked()
                    rows = []
                    for merged, first_seen, arrived in plan.writes.values():
                        revision += 1
                        if not arrived:
                            arrival += 1
                            arrived = arrival
                        rows.append((*paper_values(merged), first_seen, revision, arrived))
                    self._conn.executemany(INSERT_PAPER, rows)
                    self._conn.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('arrival', ?)", (str(arrival),)
                    )
                    self._record_metrics(plan, when)
                    self._conn.executemany(
                        "INSERT OR IGNORE INTO paper_sources VALUES (?, ?, ?)",
                        [(paper_id, feed, stamp) for paper_id in plan.ids],
                    )
            added += plan.added
            updated += plan.updated
            changed += plan.writes
            if progress is not None:
                progress(start + len(batch), len(papers))
        return UpsertResult(added, updated, tuple(changed))

    def _plan(self, batch: Sequence[Paper], stamp: str) -> _Plan:
        """What storing ``batch`` writes: each paper merged with its stored row (and with an
        earlier copy in the same batch), in order; unchanged papers write nothing."""
        ids = list(dict.fromkeys(paper.id for paper in batch))
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(
            f"SELECT {PAPER_COLUMNS} FROM papers p WHERE id IN ({marks})", ids
        ).fetchall()
        current = {
            row["id"]: (paper_from_row(row), str(row["first_seen"]), int(row["arrival"]))
            for row in rows
        }
        plan = _Plan(ids, {row["id"]: int(row["revision"]) for row in rows})
        plan.metrics_before = {
            paper.id: (paper.upvotes, paper.github_stars) for paper, _, _ in current.values()
        }
        for paper in batch:
            stored = current.get(paper.id)
            if stored is None:
                merged, first_seen, arrival = paper, stamp, 0
                plan.added += 1
            else:
                merged, first_seen, arrival = merge(stored[0], paper), stored[1], stored[2]
                if merged == stored[0]:
                    continue
                plan.updated += 1
            current[paper.id] = plan.writes[paper.id] = (merged, first_seen, arrival)
        return plan

    def _record_metrics(self, plan: _Plan, stamp: str) -> None:
        """A history point for each written paper whose upvotes or stars changed (a new paper's
        first counts included), then at most METRIC_POINTS kept per paper."""
        points = []
        for paper_id, (merged, _, _) in plan.writes.items():
            now = (merged.upvotes, merged.github_stars)
            if now != plan.metrics_before.get(paper_id, (None, None)) and now != (None, None):
                points.append((paper_id, stamp, *now))
        if not points:
            return
        self._conn.executemany("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?)", points)
        self._conn.executemany(
            "DELETE FROM metrics WHERE paper_id = ? AND at < (SELECT at FROM metrics "
            "WHERE paper_id = ? ORDER BY at DESC LIMIT 1 OFFSET ?)",
            [(point[0], point[0], METRIC_POINTS - 1) for point in points],
        )

    def _revisions(self, ids: Sequence[str]) -> dict[str, int]:
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(
            f"SELECT id, revision FROM papers WHERE id IN ({marks})", list(ids)
        ).fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def get(self, paper_id: str) -> Entry | None:
        return self.entries([paper_id]).get(paper_id)

    def entries(self, ids: Sequence[str]) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        with self._lock, self._errors("read"):
            for chunk in chunks(list(dict.fromkeys(ids))):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT {PAPER_COLUMNS}, coalesce(s.read, 0) AS read, "
                    "coalesce(s.saved, 0) AS saved, "
                    "(SELECT group_concat(feed, char(31)) FROM paper_sources ps "
                    " WHERE ps.paper_id = p.id) AS sources, "
                    "(SELECT group_concat(tag, char(31)) FROM "
                    " (SELECT tag FROM tags t WHERE t.paper_id = p.id ORDER BY tag)) AS tags, "
                    "(SELECT body FROM notes n WHERE n.paper_id = p.id) AS note, "
                    "EXISTS (SELECT 1 FROM fulltexts f WHERE f.paper_id = p.id) AS fulltext "
                    f"FROM papers p LEFT JOIN state s ON s.paper_id = p.id WHERE p.id IN ({marks})",
                    chunk,
                ).fetchall()
                for row in rows:
                    tags = tuple(row["tags"].split("\x1f")) if row["tags"] else ()
                    found[row["id"]] = Entry(
                        paper_from_row(row),
                        bool(row["read"]),
                        bool(row["saved"]),
                        tags=tags,
                        note=row["note"] or "",
                        fulltext=bool(row["fulltext"]),
                    )
        return found

    def ids(self, query: Query, limit: int | None = None) -> list[str]:
        """Ids matching the query's filters (not its words), newest first."""
        if limit is None and (query.unread or query.read or query.saved):
            return self._ids_by_marks(query)
        where, params = filter_clause(query)
        # Papers arrived after a watch was last seen are few: found by the arrival index and
        # sorted, not by walking the whole newest-first index (`+` keeps SQLite off it).
        plus = "+" if query.arrived_after is not None else ""
        sql = (
            "SELECT p.id FROM papers p LEFT JOIN state s ON s.paper_id = p.id "
            f"WHERE {where} ORDER BY {plus}p.published DESC, {plus}p.id DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._lock, self._errors("read"):
            return [row[0] for row in self._conn.execute(sql, params)]

    def _ids_by_marks(self, query: Query) -> list[str]:
        """`ids` of a query with is:unread / is:read / is:saved: the ids of its other filters
        (cached) less or within the marked papers. SQLite joining every paper to its marks took
        ~100 ms at 100k papers, and every write (a refresh, a mark) made each such list be read
        again (a watch count after a refresh reads several); this is ~10 ms."""
        others = self.filtered(replace(query, unread=False, read=False, saved=False))[0]
        read, saved = self.marked()
        if query.unread:
            others = [paper_id for paper_id in others if paper_id not in read]
        if query.read:
            others = [paper_id for paper_id in others if paper_id in read]
        if query.saved:
            others = [paper_id for paper_id in others if paper_id in saved]
        return list(others)

    def marked(self) -> tuple[frozenset[str], frozenset[str]]:
        """The ids of the read papers and of the saved ones, until a mark changes here or
        another connection commits (a refresh in this process leaves them cached: reading
        them again was ~35 ms at 100k papers, after every refresh)."""
        token = (self._mark_writes, self.data_token()[1])
        cached = self._marks
        if cached is not None and cached[0] == token:
            return cached[1], cached[2]
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                "SELECT paper_id, read, saved FROM state WHERE read = 1 OR saved = 1"
            ).fetchall()
        read = frozenset(row[0] for row in rows if row[1])
        saved = frozenset(row[0] for row in rows if row[2])
        self._marks = (token, read, saved)
        return read, saved

    def saved_ids(self, limit: int) -> list[str]:
        """The saved papers, newest first, at most ``limit`` (from the few marked rows, not
        the newest-first list of every paper)."""
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                # `+` keeps SQLite off the newest-first index: walking it joins every paper.
                "SELECT p.id FROM state s JOIN papers p ON p.id = s.paper_id WHERE s.saved = 1 "
                f"ORDER BY +p.published DESC, +p.id DESC LIMIT {int(limit)}"
            ).fetchall()
        return [row[0] for row in rows]

    def filtered(self, query: Query) -> Filtered:
        """`ids` of the query's filters and the same as a set, cached until the database
        changes (our writes or another connection's). Treat both as read-only."""
        return self._filters.get(query, self.data_token(), self.ids)

    def ordered(self, query: Query, order: str, rising_since: str = "") -> Filtered:
        """Like `filtered`, in another order: "upvotes" or "stars" (most first, unknown last),
        "rising" (the rise since ``rising_since`` in upvotes, then stars; the rest newest
        first) or "newest". Cached until the database changes."""
        if order == "rising":
            key: tuple[object, ...] = (order, rising_since)
            return self._filters.get(
                query, self.data_token(), lambda q: self._rising_ids(q, rising_since), key
            )
        if order in ("upvotes", "stars"):
            column = "upvotes" if order == "upvotes" else "github_stars"
            return self._filters.get(
                query, self.data_token(), lambda q: self._ids_by(q, column), (order,)
            )
        return self.filtered(query)

    def _ids_by(self, query: Query, column: str) -> list[str]:
        where, params = filter_clause(query)
        sql = (
            "SELECT p.id FROM papers p LEFT JOIN state s ON s.paper_id = p.id "
            f"WHERE {where} ORDER BY coalesce(p.{column}, -1) DESC, p.published DESC, p.id DESC"
        )
        with self._lock, self._errors("read"):
            return [row[0] for row in self._conn.execute(sql, params)]

    def _rising_ids(self, query: Query, since: str) -> list[str]:
        newest = self.filtered(query)[0]
        rises = self.rises(since)
        moved = [paper_id for paper_id in newest if paper_id in rises]
        # Stable: equal rises stay newest first.
        moved.sort(key=lambda paper_id: (-rises[paper_id].upvotes, -rises[paper_id].stars))
        still = [paper_id for paper_id in newest if paper_id not in rises]
        return moved + still

    def filter_ids(self, ids: Sequence[str], query: Query) -> list[str]:
        """``ids`` that pass the query's filters, in the order given."""
        where, params = filter_clause(query)
        if where == "1":
            return list(ids)
        keep: set[str] = set()
        with self._lock, self._errors("read"):
            for chunk in chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT p.id FROM papers p LEFT JOIN state s ON s.paper_id = p.id "
                    f"WHERE p.id IN ({marks}) AND {where}",
                    [*chunk, *params],
                )
                keep.update(row[0] for row in rows)
        return [i for i in ids if i in keep]

    def search_fallback(
        self, query: Query, limit: int, cancelled: Callable[[], bool] | None = None
    ) -> tuple[list[str], int]:
        """Slow but correct text search with LIKE, used while the index is being built.

        Reads through its own connection, so the UI's queries (`entries` for painting) never
        wait behind it; raises SearchCancelled soon after ``cancelled()`` returns True."""
        text_where, text_params, rank_sql, rank_params = fallback_clause(query)
        where, params = filter_clause(query)
        base = (
            "FROM papers p LEFT JOIN state s ON s.paper_id = p.id "
            f"WHERE ({text_where}) AND ({where})"
        )
        with self._errors("search"), self._reader() as conn:
            if cancelled is not None:
                # SQLite calls this every 10,000 VM steps; non-zero interrupts the statement.
                conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
            try:
                count_sql = f"SELECT count(*) {base}"
                total = conn.execute(count_sql, [*text_params, *params]).fetchone()[0]
                rows = conn.execute(
                    f"SELECT p.id {base} ORDER BY {rank_sql} DESC, p.published DESC, p.id DESC "
                    f"LIMIT {int(limit)}",
                    [*text_params, *params, *rank_params],
                ).fetchall()
            except sqlite3.OperationalError:
                if cancelled is not None and cancelled():
                    raise SearchCancelled from None
                raise
            return [row[0] for row in rows], total

    def count(self) -> int:
        with self._lock, self._errors("read"):
            return int(self._conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    def revision(self) -> int:
        with self._lock, self._errors("read"):
            return self._revision_locked()

    def iter_papers(self, since_revision: int = 0) -> Iterator[tuple[Paper, int]]:
        """Every paper changed after ``since_revision`` with its revision, oldest change first.
        Reads through its own connection so a long scan never blocks the UI's queries."""
        with self._reader() as conn, self._errors("read"):
            cursor = conn.execute(
                f"SELECT {PAPER_COLUMNS} FROM papers p WHERE revision > ? ORDER BY revision",
                (since_revision,),
            )
            for row in cursor:
                yield paper_from_row(row), int(row["revision"])

    def count_since(self, revision: int) -> int:
        with self._lock, self._errors("read"):
            return int(
                self._conn.execute(
                    "SELECT count(*) FROM papers WHERE revision > ?", (revision,)
                ).fetchone()[0]
            )

    # -- the user's state ------------------------------------------------------------------

    def set_read(self, paper_id: str, value: bool) -> None:
        self._set_flag(paper_id, "read", value)

    def set_saved(self, paper_id: str, value: bool) -> None:
        self._set_flag(paper_id, "saved", value)

    def _set_flag(self, paper_id: str, flag: str, value: bool) -> None:
        self.set_flags({paper_id: value}, flag)

    def set_flags(self, values: Mapping[str, bool], flag: str) -> None:
        """Set the read or saved mark of several papers in one transaction (all or none)."""
        assert flag in ("read", "saved")
        stamp = now_iso()
        try:
            with self._lock, self._errors(f"mark {flag} in"), self._transaction():
                self._conn.executemany(
                    f"INSERT INTO state (paper_id, {flag}, {flag}_at) VALUES (?, ?, ?) "
                    f"ON CONFLICT (paper_id) DO UPDATE SET {flag} = excluded.{flag}, "
                    f"{flag}_at = excluded.{flag}_at",
                    [(paper_id, int(value), stamp) for paper_id, value in values.items()],
                )
        finally:
            # After the write, failed or not: marks read meanwhile are read again next time.
            self._mark_writes += 1

    def counts(self) -> Counts:
        with self._lock, self._errors("read"):
            total, read, saved = self._conn.execute(
                "SELECT (SELECT count(*) FROM papers), "
                "(SELECT count(*) FROM state s JOIN papers p ON p.id = s.paper_id WHERE s.read), "
                "(SELECT count(*) FROM state s JOIN papers p ON p.id = s.paper_id WHERE s.saved)"
            ).fetchone()
        return Counts(total=total, unread=total - read, saved=saved)

    # -- feeds -----------------------------------------------------------------------------

    def feed_state(self, name: str) -> FeedState:
        with self._lock, self._errors("read"):
            row = self._conn.execute("SELECT * FROM feeds WHERE name = ?", (name,)).fetchone()
        return FeedState(**dict(row)) if row else FeedState(name)

    def feed_states(self) -> dict[str, FeedState]:
        with self._lock, self._errors("read"):
            rows = self._conn.execute("SELECT * FROM feeds").fetchall()
        return {row["name"]: FeedState(**dict(row)) for row in rows}

    def save_feed_state(self, state: FeedState) -> None:
        values = [getattr(state, name) for name in FeedState.__slots__]
        marks = ",".join("?" * len(values))
        with self._lock, self._errors("save feed state to"), self._transaction():
            self._conn.execute(f"INSERT OR REPLACE INTO feeds VALUES ({marks})", values)

    # -- the bundled sample ------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock, self._errors("read"):
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def only_from_count(self, feed: str) -> int:
        """How many papers ``feed`` alone carried (no other feed brought them too)."""
        sql = f"SELECT count(*) FROM paper_sources ps WHERE {_ONLY_FROM}"
        with self._lock, self._errors("read"):
            return int(self._conn.execute(sql, (feed, feed)).fetchone()[0])

    def remove_unmarked_only_from(self, feed: str, done_key: str) -> SampleRemoval:
        """Delete, in one transaction, the papers only ``feed`` carried that the user never
        marked read or saved, tagged or wrote a note on, and record ``done_key`` in ``meta``
        (the removal happens once).

        The store's revision never goes back: if the newest change was a removed paper, the
        newest remaining paper takes its revision, so an index that was in line stays so once
        the same ids are deleted from it (the removed ids are returned for that)."""
        with self._lock, self._errors("remove the sample from"), self._transaction():
            rows = self._conn.execute(
                "SELECT ps.paper_id, coalesce(s.read, 0) OR coalesce(s.saved, 0) "
                "OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = ps.paper_id) "
                "OR EXISTS (SELECT 1 FROM notes n WHERE n.paper_id = ps.paper_id) AS marked "
                "FROM paper_sources ps LEFT JOIN state s ON s.paper_id = ps.paper_id "
                f"WHERE {_ONLY_FROM}",
                (feed, feed),
            ).fetchall()
            removed = [row["paper_id"] for row in rows if not row["marked"]]
            before = self._revision_locked()
            for chunk in chunks(removed):
                marks = ",".join("?" * len(chunk))
                for table in ("paper_sources", "state", "fulltexts"):
                    self._conn.execute(f"DELETE FROM {table} WHERE paper_id IN ({marks})", chunk)
                self._conn.execute(f"DELETE FROM papers WHERE id IN ({marks})", chunk)
            if self._revision_locked() < before:
                self._conn.execute(
                    "UPDATE papers SET revision = ? WHERE id = "
                    "(SELECT id FROM papers ORDER BY revision DESC LIMIT 1)",
                    (before,),
                )
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (done_key, now_iso()))
        return SampleRemoval(removed=tuple(removed), kept=len(rows) - len(removed))


# The papers one feed alone carried (over `paper_sources ps`), with the feed's name bound twice.
_ONLY_FROM = (
    "ps.feed = ? AND NOT EXISTS "
    "(SELECT 1 FROM paper_sources other WHERE other.paper_id = ps.paper_id AND other.feed != ?)"
)


def _with_safe_links(paper: Paper) -> Paper:
    """Defence in depth: sources validate links, but nothing unsafe (``javascript:``, a leading
    "-", control characters...) may reach the database whoever builds the Paper."""
    links = (paper.url, paper.pdf_url, paper.code_url, paper.project_url)
    safe = tuple(safe_url(link) if link else "" for link in links)
    if safe == links:
        return paper
    return replace(paper, url=safe[0], pdf_url=safe[1], code_url=safe[2], project_url=safe[3])
