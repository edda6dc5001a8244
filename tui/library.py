"""The facade the TUI and the command line call: open, search, mark, import, export.

It owns the store (the source of truth) and the search index (derived from it), and keeps the
index in line with the store: after every import, and on start when a previous run was killed,
when the index is missing, or when its schema is older.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from tui.bibtex import to_bibtex
from tui.config import Config, load_config
from tui.index import IndexUnavailable, PaperIndex, catch_up_path
from tui.model import (
    Counts,
    Entry,
    FeedState,
    MetricPoint,
    Paper,
    Related,
    Rise,
    SampleRemoval,
    Watch,
    WatchCount,
    WatchNews,
    canonical_arxiv_id,
)
from tui.paths import Paths, default_paths
from tui.query import Query, parse_query
from tui.sample import SAMPLE_FEED, SAMPLE_REMOVED, load_sample_papers
from tui.store import Store, StoreError, has_filters
from tui.tags import KeepError, check_note, normalize_tags
from tui.textcache import CACHED, FullTextCache
from tui.watches import check_watch, watch_query

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# "For you" compares with at most this many saved papers, the newest first.
RECOMMEND_FROM_SAVED = 2_000


@dataclass(frozen=True, slots=True)
class SearchResult:
    ids: list[str]  # ranked, or newest first when the query has no text
    total: int  # matches before the limit
    query: Query  # parsed: hints to show, highlight_terms() to highlight
    from_index: bool  # False while the index is being built: the slower fallback answered
    order: str = "relevance"  # the order the ids are in (tui.query.SORT_ORDERS)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `Library.import_papers` did: the store's answer, and whether search sees it."""

    added: int
    updated: int
    ids: tuple[str, ...] = ()  # the ids that were added or changed
    # "" when the papers are searchable; else why the index is behind (it catches up later).
    index_note: str = ""


class Library:
    # `feedtui --sample`: a throwaway library in a temp dir, whose marks go with it on quit.
    sample_mode = False

    def __init__(self, paths: Paths, config: Config, store: Store, index: PaperIndex) -> None:
        self.paths = paths
        self.config = config
        self.store = store
        self.index = index
        # The full texts kept offline: the files here, which papers have one in the store.
        self.texts = FullTextCache(paths.fulltext_dir, config.fulltext_cache_mb * 1_000_000)
        self._index_ready = threading.Event()
        self._seen_version: int | None = None  # the database's data_version last looked at
        # The index's current status for the app's status line: why it could not be brought in
        # line last time ("" when it could). An import's own note is its ImportResult's.
        self.index_problem = ""
        # Only one thread at a time brings the index in line (start-up sync vs. an import).
        self._index_lock = threading.Lock()
        # Position of every paper in the latest order asked for (see _in_order).
        self._ranks: tuple[list[str] | None, dict[str, int]] = (None, {})

    @classmethod
    def open(
        cls, paths: Paths | None = None, config: Config | None = None, *, load_sample: bool = True
    ) -> Library:
        """Open the library; a first run (an empty store) imports the bundled sample.

        Raises StoreError or ConfigError with a message meant for the user."""
        paths = paths or default_paths()
        try:
            paths.ensure()
        except OSError as error:
            # E.g. FEEDTUI_HOME below a file, a read-only disk: a message, not a traceback.
            raise StoreError(
                f"cannot create feedtui's folders ({error.strerror or error}: "
                f"{error.filename or paths.data_dir}); make it a writable folder or set "
                f"FEEDTUI_HOME to one"
            ) from error
        config = config if config is not None else load_config(paths.config_file)
        store = Store(paths.database)
        index = PaperIndex(paths.index_dir)
        index.open()
        library = cls(paths, config, store, index)
        if load_sample and store.count() == 0:
            # Indexed later (the reader in the background, the first search): a first
            # `feedtui feeds add` stays quick.
            library.import_papers(load_sample_papers(), SAMPLE_FEED, index=False)
        if not library._index_ready_check():
            # A rebuild that could not finish (disk full), in this process or another: said
            # until one succeeds, not a silent fallback for good.
            library.index_problem = index.last_failure
        return library

    def warm_recommend(self) -> None:
        """Compute "for you" once, in the background, so that the first `f` finds the saved
        papers' key terms and their postings ready (~0.3 s at 100k papers the first time, a
        few ms after). The TUI calls it from a worker once the index is ready."""
        try:
            if self.index_ready:
                self.recommend()
        except Exception:  # the library may be closed meanwhile; this is only a speed-up
            return

    def warm_filters(self) -> None:
        """Fill the filter cache for what the first keystrokes ask (the empty box, `is:unread`):
        each is ~50-100 ms at 100k papers the first time. The TUI calls it from a worker on
        start; the headless commands never need it."""
        try:
            for text in ("", "is:unread "):
                self._filtered_ids(parse_query(text))
        except Exception:  # the library may be closed meanwhile; the cache is only a speed-up
            return

    def close(self) -> None:
        self.index.close()
        self.store.close()

    # -- the index -------------------------------------------------------------------------

    @property
    def index_ready(self) -> bool:
        return self._index_ready.is_set()

    def _index_ready_check(self) -> bool:
        usable = self.index.is_usable(self.store.count(), self.store.revision())
        if usable:
            self._index_ready.set()
        else:
            self._index_ready.clear()
        return usable

    def changed_elsewhere(self) -> bool:
        """True once after another process (a cron `feedtui fetch`, a script's `feedtui mark`)
        committed to the database: one cheap PRAGMA, for a timer to ask every few seconds."""
        version = self.store.data_token()[1]
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        return changed

    def reload_index(self) -> None:
        """After another process wrote: reopen the index only if it was committed to (~1 s at
        100k papers; a mark leaves it alone), then check it is in line. Call from a worker."""
        with self._index_lock:
            if self.index.changed_on_disk():
                self.index.open()
            self._index_ready_check()

    def ensure_index(
        self,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        rebuild: bool = True,
    ) -> None:
        """Bring the index in line with the store (blocking: call it from a worker thread): an
        update when the backlog is small enough (tui.index.catch_up_path), else a rebuild;
        with ``rebuild=False`` only the update (`feedtui fetch`: index_ready then says whether
        the index is in line). Search keeps working meanwhile through the store's fallback."""
        with self._index_lock:
            self._sync_and_report(progress, cancel, rebuild=rebuild)

    def _sync_and_report(
        self, progress: Progress | None, cancel: threading.Event | None, *, rebuild: bool
    ) -> None:
        """_sync_index, keeping why it could not be done in index_problem (holding the lock)."""
        try:
            self._sync_index(progress, cancel, rebuild=rebuild)
            if self._index_ready_check():
                self.index_problem = ""
        except IndexUnavailable as error:
            # Another feedtui is writing the index, or it could not be written (disk full: the
            # message says so; the store committed first and is intact): the fallback
            # answers, and the next sync (next start, next import) tries again.
            self.index_problem = str(error)
        finally:
            self._index_ready_check()

    def _sync_index(
        self, progress: Progress | None, cancel: threading.Event | None, *, rebuild: bool
    ) -> None:
        if self._index_ready_check():
            return
        behind = self.index.indexed_revision
        if not self.index.problem:  # open, of this schema: it can be updated
            pending = self.store.count_since(behind)
            if catch_up_path(pending, self.index.doc_count) == "update":
                self.index.update(list(self.store.iter_papers(behind)), self._bodies())
                if progress:
                    progress(pending, pending)
                if self._index_ready_check():
                    return
        if not rebuild:
            return
        # Missing, damaged, of an older schema, far behind (a rebuild is cheaper), or out of
        # line in a way an update cannot mend (papers another process added under a revision
        # the index already passed).
        self.index.rebuild(
            self.store.iter_papers(0),
            self.store.count(),
            progress=progress,
            cancel=cancel,
            bodies=self._bodies(),
        )
        if cancel is None or not cancel.is_set():
            # Papers imported while the rebuild ran are caught up by an update.
            behind = self.index.indexed_revision
            if not self._index_ready_check() and behind:
                self.index.update(list(self.store.iter_papers(behind)), self._bodies())

    def _bodies(self) -> Callable[[str], str]:
        """What the index reads for each paper's body: its kept full text, or "" (for the
        many papers without one, a set lookup)."""
        kept = self.store.fulltext_ids()
        texts = self.texts

        def body(paper_id: str) -> str:
            if paper_id not in kept:
                return ""
            return texts.get(paper_id, touch=False) or ""

        return body

    def _catch_up_index(self) -> None:
        """After a change the index must follow (an import, a kept text): update it now unless
        a rebuild is running (which picks the change up when it ends)."""
        if self._index_lock.acquire(blocking=False):
            try:
                # Everything since the index's own revision: that includes papers another
                # feedtui process stored meanwhile, and what a killed run left unindexed. Far
                # behind, a rebuild is cheaper: the next sync (the TUI at once, the next
                # `feedtui search` or start) does it.
                self._sync_and_report(None, None, rebuild=False)
            finally:
                self._index_lock.release()
        else:
            self._index_ready.clear()

    # -- reading ---------------------------------------------------------------------------

    def search(
        self,
        text: str,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        sort: str = "",
    ) -> SearchResult:
        """Papers matching ``text`` in the query language (tui.query), best first: the filters
        cut the matches first, then the limit keeps the best of those, and `total` counts every
        match that passed the filters. ``sort`` (one of tui.query.SORT_ORDERS) is the order
        when the text has no ``sort:``. Thread-safe. Raises SearchCancelled once
        ``cancelled()`` returns True (a newer query wins)."""
        return self.search_query(parse_query(text), limit, cancelled, sort=sort)

    def search_query(
        self,
        query: Query,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        sort: str = "",
        exact: bool = False,
    ) -> SearchResult:
        """`search` for a parsed query; ``exact``: totals are counted, never estimated (a
        watch's counts)."""
        order = query.sort or sort or "relevance"
        if order == "relevance" and not query.has_text:
            order = "newest"
        if not query.has_text:
            # Filters only (a virtual list shows them all, newest first), or exclusions
            # ("-survey"): everything the filters pass, minus the matches.
            ids = self._filtered_ids(query, order)
            if query.excluded and self.index_ready:
                excluded = self.index.excluded(query.excluded, cancelled)
                ids = [i for i in ids if i not in excluded]
            if query.excluded and not self.index_ready:
                ids, total = self.store.search_fallback(query, len(ids) or 1, cancelled)
                ids = self._in_order(ids, order)
                return SearchResult(ids[:limit] if limit else ids, total, query, False, order)
            return SearchResult(ids[:limit] if limit else ids, len(ids), query, True, order)
        limit = limit or self.config.search_limit
        # Another order than relevance sorts every match, so every match is asked for.
        wanted = limit if order == "relevance" else max(self.store.count(), 1)
        if self.index_ready:
            allowed = self.store.filtered(query)[1] if has_filters(query) else None
            hits = self.index.search(query, wanted, cancelled, allowed=allowed, exact=exact)
            ids, total, from_index = hits.ids, hits.total, True
        else:
            ids, total = self.store.search_fallback(query, wanted, cancelled)
            from_index = False
        if order != "relevance":
            ids = self._in_order(ids, order)[:limit]
        return SearchResult(ids, total, query, from_index, order)

    def matching(self, text: str, cancelled: Callable[[], bool] | None = None) -> list[Entry]:
        """Every paper matching ``text`` (no search_limit: an export wants them all), best
        first as the search box orders them."""
        everything = max(self.store.count(), 1)
        result = self.search_query(parse_query(text), everything, cancelled, exact=True)
        return self.entries_in_order(result.ids)

    def entries_in_order(self, ids: Sequence[str]) -> list[Entry]:
        """The stored entries of ``ids``, in that order (ids no longer stored are left out)."""
        found = self.store.entries(ids)
        return [found[i] for i in ids if i in found]

    def _rising_since(self) -> str:
        """The start of the rising window, to the minute (so that results stay cached for a
        minute at a time)."""
        start = datetime.now(UTC) - timedelta(hours=self.config.rising_hours)
        return start.replace(second=0, microsecond=0).isoformat(timespec="seconds")

    def _in_order(self, ids: Sequence[str], order: str) -> list[str]:
        """``ids`` in ``order`` (as `Store.ordered` sorts the whole library)."""
        ranked = self.store.ordered(Query(), order, self._rising_since())[0]
        cached_for, rank = self._ranks
        if cached_for is not ranked:  # the latest order only: new data or order replaces it
            rank = {paper_id: n for n, paper_id in enumerate(ranked)}
            self._ranks = (ranked, rank)
        last = len(rank)
        return sorted(ids, key=lambda paper_id: rank.get(paper_id, last))

    def _filtered_ids(self, query: Query, order: str = "newest") -> list[str]:
        """Ids passing the query's filters, newest first or in ``order`` (cached by the store
        until the database changes)."""
        ids = self.store.ordered(query, order, self._rising_since())[0]
        return list(ids)  # a copy: callers may reorder what they get

    def entries(self, ids: Sequence[str]) -> dict[str, Entry]:
        return self.store.entries(ids)

    def get(self, paper_id: str) -> Entry | None:
        return self.store.get(paper_id)

    def resolve_id(self, text: str) -> str | None:
        """The stored paper a user means: an id as stored, an arXiv id with a version, or an
        arxiv.org URL."""
        candidates = [text.strip()]
        arxiv = canonical_arxiv_id(text)
        if arxiv:
            candidates.insert(0, arxiv)
        found = self.store.entries(candidates)
        return next((c for c in candidates if c in found), None)

    def counts(self) -> Counts:
        return self.store.counts()

    def bibtex(self, paper_id: str) -> str:
        entry = self._require(paper_id)
        return to_bibtex(entry.paper)

    def saved(self) -> list[Entry]:
        ids = self.store.ids(Query(saved=True))
        found = self.store.entries(ids)
        return [found[i] for i in ids if i in found]

    # -- watches ---------------------------------------------------------------------------

    def watches(self) -> list[Watch]:
        return self.store.watches()

    def add_watch(self, name: str, query: str, *, replace: bool = False) -> Watch:
        """Save ``query`` as a watch named ``name``; what is stored now counts as seen. Raises
        StoreError (a name in use, a bad name or an empty query) with a message for the user."""
        name, query = check_watch(name, query)
        return self.store.add_watch(name, query, replace=replace)

    def edit_watch(self, name: str, new_name: str, query: str) -> None:
        new_name, query = check_watch(new_name, query)
        self.store.rename_watch(name, new_name, query)

    def remove_watch(self, name: str) -> None:
        if not self.store.remove_watch(name):
            raise StoreError(f"no watch named {name!r}{self._watch_names_hint()}")

    def watch_seen(self, name: str, arrival: int | None = None) -> None:
        """What opening a watch does: everything it matches now (or up to ``arrival``: what
        the user was shown) counts as seen."""
        if not self.store.mark_watch_seen(name, arrival):
            raise StoreError(f"no watch named {name!r}{self._watch_names_hint()}")

    def watch(self, name: str) -> Watch:
        watch = self.store.watch(name)
        if watch is None:
            raise StoreError(f"no watch named {name!r}{self._watch_names_hint()}")
        return watch

    def watch_count(self, watch: Watch) -> WatchCount:
        """How many papers the watch matches, and how many of those arrived after the user last
        looked at it. Exact (a phrase's matches are counted, not estimated)."""
        query = watch_query(watch.query)
        total = self.search_query(query, 1, exact=True).total
        new = self._new_in(watch, query, self.store.arrival()) if total else 0
        return WatchCount(watch, new, total)

    def watch_news(self) -> list[WatchNews]:
        """What each watch has new since the user last looked, without its total: what a
        refresh has to say (a toast per watch that grew, the status line's sum). Only the
        papers that arrived since are searched: after a 1,000-paper refresh at 100k papers
        this is a few ms a watch, where a total is a search of everything."""
        arrival = self.store.arrival()
        return [
            WatchNews(watch, self._new_in(watch, watch_query(watch.query), arrival))
            for watch in self.store.watches()
        ]

    def _new_in(self, watch: Watch, query: Query, arrival: int) -> int:
        """How many of the watch's papers arrived after the user last looked (`arrival`: the
        newest arrival number; none arrived when the watch was seen at it)."""
        if arrival <= watch.seen_arrival:
            return 0
        recent = replace(query, arrived_after=watch.seen_arrival)
        return self.search_query(recent, 1, exact=True).total

    def watch_counts(self) -> list[WatchCount]:
        return [self.watch_count(watch) for watch in self.store.watches()]

    def watch_results(
        self, name: str, limit: int | None = None, *, new_only: bool = False, since: int = 0
    ) -> SearchResult:
        """The papers a watch matches (only those new since the user last looked, or since
        arrival ``since``), best first as the search box ranks them."""
        watch = self.watch(name)
        query = watch_query(watch.query)
        after = max(since, watch.seen_arrival) if new_only else since
        if after:
            query = replace(query, arrived_after=after)
        return self.search_query(query, limit or self.store.count() or 1, exact=True)

    def arrival(self) -> int:
        """The newest arrival number: a watch seen now has nothing new."""
        return self.store.arrival()

    def arrival_before(self, when: str) -> int:
        """The last arrival number handed out before ``when`` (ISO date or time)."""
        return self.store.arrival_before(when)

    def _watch_names_hint(self) -> str:
        names = [watch.name for watch in self.store.watches()]
        return f" (watches: {', '.join(names)})" if names else " (there are no watches yet)"

    # -- momentum ----------------------------------------------------------------------------

    def history(self, paper_id: str) -> list[MetricPoint]:
        """The paper's upvotes and stars each time a fetch saw them change, oldest first."""
        return self.store.history(paper_id)

    def rises(self, ids: Sequence[str] | None = None, since: str = "") -> dict[str, Rise]:
        """How much each paper rose over the rising window, or since ``since`` (an ISO time);
        papers that did not rise are left out."""
        return self.store.rises(since or self._rising_since(), ids)

    # -- the user's state ------------------------------------------------------------------

    def set_read(self, paper_id: str, value: bool) -> None:
        self.store.set_read(paper_id, value)

    def set_saved(self, paper_id: str, value: bool) -> None:
        self.store.set_saved(paper_id, value)

    # -- feeds ---------------------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        """What each feed's last fetches did, by feed name."""
        return self.store.feed_states()

    def feed_state(self, name: str) -> FeedState:
        """What the feed's last fetches did (an empty state for a feed never fetched)."""
        return self.store.feed_state(name)

    def save_feed_state(self, state: FeedState) -> None:
        """Record how a fetch went (tui.feeds, after each fetch)."""
        self.store.save_feed_state(state)

    def failing_feeds(self) -> list[str]:
        """The configured feeds whose last fetch failed: no success since their last error."""
        states = self.feed_states()
        failing = []
        for feed in self.config.feeds:
            state = states.get(feed.name)
            if state is None or not state.last_error_at:
                continue
            if not state.last_success or state.last_success < state.last_error_at:
                failing.append(feed.name)
        return failing

    def set_marks(self, values: Mapping[str, bool], mark: Literal["read", "saved"]) -> None:
        """Set the read or saved mark of several papers at once (one transaction)."""
        self.store.set_flags(values, mark)

    def toggle_read(self, paper_id: str) -> bool:
        """Flip the read mark; returns the new value."""
        value = not self._require(paper_id).read
        self.store.set_read(paper_id, value)
        return value

    def toggle_saved(self, paper_id: str) -> bool:
        value = not self._require(paper_id).saved
        self.store.set_saved(paper_id, value)
        return value

    # -- tags and notes ------------------------------------------------------------------
    # Tags and notes are store filters (tag:, has:note, note: in tui/store/_sql.py), read by
    # SQLite in every search like is:saved: a change shows in the next search, with nothing
    # for the index to catch up on. Names are normalised (tui/tags.py); a bad one, an unknown
    # id or a note over the cap is a StoreError with the reason, and nothing is stored.

    def edit_tags(
        self,
        ids: Sequence[str],
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> dict[str, tuple[str, ...]]:
        """Add ``add`` and take off ``remove`` on every paper of ``ids`` (one transaction);
        returns each paper's tags after, sorted."""
        ids = self._require_all(ids)
        added, removed = self._tag_names(add), self._tag_names(remove)
        return self.store.change_tags(ids, added, [t for t in removed if t not in added])

    def add_tags(self, ids: Sequence[str], tags: Sequence[str]) -> dict[str, tuple[str, ...]]:
        return self.edit_tags(ids, add=tags)

    def remove_tags(self, ids: Sequence[str], tags: Sequence[str]) -> dict[str, tuple[str, ...]]:
        return self.edit_tags(ids, remove=tags)

    def set_tags(self, ids: Sequence[str], tags: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Make ``tags`` the whole set of tags of each paper of ``ids`` (empty: none)."""
        ids = self._require_all(ids)
        return self.store.change_tags(ids, self._tag_names(tags), replace=True)

    def tags_of(self, paper_id: str) -> tuple[str, ...]:
        """The paper's tags, sorted."""
        return self.store.tags_of([self._require(paper_id).paper.id])[paper_id]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag in use and how many papers carry it, the most used first."""
        return self.store.tag_counts()

    def note(self, paper_id: str) -> str:
        """The paper's Markdown note ("" when it has none)."""
        return self.store.note(self._require(paper_id).paper.id)

    def set_note(self, paper_id: str, text: str) -> str:
        """Store the paper's note (blank: delete it); returns what was stored. Over
        tui.tags.NOTE_MAX_BYTES it is refused with a StoreError saying so."""
        paper_id = self._require(paper_id).paper.id
        try:
            body = check_note(text)
        except KeepError as error:
            raise StoreError(str(error)) from error
        self.store.set_note(paper_id, body)
        return body

    @staticmethod
    def _tag_names(texts: Sequence[str]) -> list[str]:
        try:
            return normalize_tags(texts)
        except KeepError as error:
            raise StoreError(str(error)) from error

    def _require_all(self, ids: Sequence[str]) -> list[str]:
        ids = list(dict.fromkeys(ids))
        found = self.store.entries(ids)
        missing = [paper_id for paper_id in ids if paper_id not in found]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise StoreError(f"no paper with id {missing[0]!r} in the library{more}")
        return ids

    def _require(self, paper_id: str) -> Entry:
        entry = self.store.get(paper_id)
        if entry is None:
            raise StoreError(f"no paper with id {paper_id!r} in the library")
        return entry

    # -- writing papers --------------------------------------------------------------------

    def import_papers(
        self,
        papers: Sequence[Paper],
        feed: str,
        progress: Progress | None = None,
        *,
        index: bool = True,
    ) -> ImportResult:
        """Store ``papers`` (merging with what is there, in short transactions: the store's
        batches, reported to ``progress(done, total)``) and make them searchable (unless not
        ``index``: the next sync does it); the result's ``index_note`` says when they are
        stored but not yet searchable by the index."""
        try:
            result = self.store.upsert([replace(p, sources=()) for p in papers], feed, progress)
        except StoreError:
            self._index_ready_check()  # the batches stored before the failure are not indexed
            raise
        if result.ids and index:
            self._catch_up_index()
        elif result.ids:
            self._index_ready.clear()
        note = self.index_problem if result.ids else ""
        return ImportResult(result.added, result.updated, result.ids, index_note=note)

    # -- full texts ------------------------------------------------------------------------
    # The Markdown is a file in the cache (tui/textcache.py); the store records which papers
    # have one (has:fulltext) and the index searches it (body:word, and plain words at a low
    # weight). Fetching and converting is tui.fulltext's job, which calls keep_fulltext.

    def keep_fulltext(self, paper_id: str, markdown: str, source: str) -> None:
        """Keep a fetched text offline and make it searchable; a text read from the cache
        (``source`` CACHED) is recorded if it was not yet. Raises OSError when the cache
        cannot be written (then nothing is recorded); a store that cannot record it is
        logged, not raised: the text is there to read either way."""
        cached = source == CACHED  # read back from the cache, not fetched
        evicted = 0 if cached else self.texts.put(paper_id, markdown)
        try:
            recorded = self.store.record_fulltext(
                paper_id, len(markdown), source, replace=not cached
            )
            if evicted:
                self._forget_missing_texts()
        except StoreError as error:
            log.warning("the full text of %s is cached but not recorded: %s", paper_id, error)
            return
        if recorded or evicted:
            self._catch_up_index()

    def clear_fulltexts(self) -> int:
        """Remove every kept text, from the cache, the store and the index; how many files."""
        removed = self.texts.clear()
        self.store.forget_fulltexts(self.store.fulltext_ids())
        self._catch_up_index()
        return removed

    def _forget_missing_texts(self) -> None:
        """The cache evicted texts to stay within its cap: forget the papers whose file went
        (a stat per kept text: a few thousand at most)."""
        gone = [i for i in self.store.fulltext_ids() if not self.texts.has(i)]
        if gone:
            self.store.forget_fulltexts(gone)

    # -- the bundled sample ----------------------------------------------------------------

    def sample_count(self) -> int:
        """How many papers are here as the bundled sample (only the sample carried them), until
        the first live feed replaces it: 0 from then on (see remove_sample)."""
        if not self._sample_is_known() or self.store.meta(SAMPLE_REMOVED) is not None:
            return 0
        return self.store.only_from_count(SAMPLE_FEED)

    def remove_sample(self) -> SampleRemoval | None:
        """Once, when a live feed first brings papers: delete the sample papers the user never
        marked read or saved, from the store and the search index. A paper a live feed also
        brought is the feed's, not the sample's, and stays. None when already done."""
        if self.sample_mode or not self._sample_is_known():
            return None
        if self.store.meta(SAMPLE_REMOVED) is not None:
            return None
        removal = self.store.remove_unmarked_only_from(SAMPLE_FEED, SAMPLE_REMOVED)
        if removal.removed:
            self._delete_from_index(removal.removed)
        return removal

    def _sample_is_known(self) -> bool:
        # A configured feed named like the sample would carry papers under the same name.
        return all(feed.name != SAMPLE_FEED for feed in self.config.feeds)

    def _delete_from_index(self, ids: Sequence[str]) -> None:
        if not self._index_lock.acquire(blocking=False):
            # A rebuild is running and may have read the removed papers: it ends out of line
            # with the store, and the next sync rebuilds.
            self._index_ready.clear()
            return
        try:
            if self.index.doc_count:  # none open (never built, damaged): the next sync builds it
                self.index.delete(ids)
        except IndexUnavailable as error:
            self.index_problem = str(error)
        finally:
            self._index_ready_check()
            self._index_lock.release()

    # -- more like this, for you (issue 10: Discovery) -------------------------------------
    # The ranking is the index's (PaperIndex.key_terms, PaperIndex.related): these only say
    # which papers are compared and which may be answered. Both answer from the index as it
    # is: bring it in line first (ensure_index) for a complete answer, as `feedtui similar`
    # does. Thread-safe; raise SearchCancelled once ``cancelled()`` returns True.

    def similar(
        self, paper_id: str, limit: int = 20, cancelled: Callable[[], bool] | None = None
    ) -> list[Related]:
        """Papers like this one ("more like this", `m`), best first, never itself, each with
        the key terms of its title and abstract they share. Raises StoreError for an
        unknown id."""
        paper = self._require(paper_id).paper
        weights = self.index.key_terms([paper])
        return self.index.related(weights, limit, exclude={paper.id}, cancelled=cancelled)

    def recommend(
        self, limit: int = 20, cancelled: Callable[[], bool] | None = None
    ) -> list[Related]:
        """Unread papers like the saved ones ("for you"), best first, never a saved one, each
        with the words of the saved papers' profile it holds. Empty when nothing is saved."""
        read, saved = self.store.marked()
        if not saved:
            return []
        weights = self._saved_profile(tuple(self.store.saved_ids(RECOMMEND_FROM_SAVED)))
        # "Neither saved nor read" from the few marked ids: the list of every unread paper
        # would be read again after each mark (~100 ms at 100k papers).
        return self.index.related(weights, limit, exclude=saved | read, cancelled=cancelled)

    # The saved papers' key terms, the ids and index state they were computed for.
    _profile: tuple[tuple[object, ...], dict[str, float]] | None = None

    def _saved_profile(self, ids: tuple[str, ...]) -> dict[str, float]:
        """The key terms of the saved papers, remembered until the saved ones or the index
        change (a paper's new text reaches the index as a new revision)."""
        key = (ids, self.index.indexed_revision, self.index.doc_count)
        cached = self._profile
        if cached is not None and cached[0] == key:
            return cached[1]
        found = self.store.entries(ids)
        weights = self.index.key_terms([found[i].paper for i in ids if i in found])
        self._profile = (key, weights)
        return weights
