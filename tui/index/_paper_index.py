"""PaperIndex: the full-text index over title, abstract, authors and AI keywords, derived from
the store and always rebuildable from it. Whoosh stores and writes it (tui/index/_writer);
feedtui matches and ranks by itself (tui/index/_search), because Whoosh's own query machinery is
far too slow for search-as-you-type at 100k papers: docs/search.md says how and why.

On disk: ``index_dir/meta.json`` names the current ``ix-*`` directory (tui/index/_files); a
rebuild writes a new directory and only then replaces meta.json, so a killed build never leaves
an empty index claiming to be current.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.util.filelock import FileLock

from tui.index._files import (
    BUILD_LOCK_FILE,
    DIR_PREFIX,
    META_FILE,
    Meta,
    fresh_searcher,
    read_meta,
    segment_ids,
    write_meta,
)
from tui.index._ids import IDS_FILES, compute_segment_ids, read_segment_ids
from tui.index._keyterms import KEY_TERMS, PROFILE_TERMS, KeyTermCache, combine
from tui.index._leftovers import (
    clear_failure,
    read_failure,
    record_failure,
    remove_leftovers,
    write_errors,
)
from tui.index._persist import POSTINGS_FILES
from tui.index._postings import PostingsCache
from tui.index._schema import INDEX_SCHEMA_VERSION, document, make_schema
from tui.index._types import IndexBusy, IndexHits, IndexUnavailable, IndexWriteFailed
from tui.index._vocab import Vocabulary
from tui.index._writer import Bodies, build, commit, no_bodies, open_writer
from tui.model import Paper, Related, SearchCancelled
from tui.query import Query

log = logging.getLogger(__name__)

WARM_MIN_DOCS = 5_000  # below this a cold search is fast anyway: no warm-up thread


class PaperIndex:
    """The search index. Thread-safe: searches may run while another thread updates."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.schema = make_schema()
        self._lock = threading.RLock()  # guards the searcher, the index handle and the meta
        self._write_lock = threading.Lock()  # one writer at a time inside this process
        self._ix: Any = None
        self._searcher: Any = None
        self._meta: Meta | None = None
        self._vocab = Vocabulary({}, {})
        self._postings = PostingsCache()
        self._key_terms = KeyTermCache()
        self._warming: tuple[threading.Thread, threading.Event] | None = None
        self._problem = ""
        self._failure = ""

    # ----------------------------------------------------------------- opening and state

    def open(self) -> None:
        """Open the index, or create an empty one when there is none. Never raises: a damaged
        or outdated index is left on disk, reported by `is_usable` and replaced by `rebuild`."""
        with self._lock:
            self._close_searcher()
            self._problem = ""
            try:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                # Dead builds' directories (kill -9 mid-build) go before anything else, so that
                # they never fill the disk the next build needs (tui/index/_leftovers).
                remove_leftovers(self.index_dir)
                self._failure = read_failure(self.index_dir)
                meta = read_meta(self.index_dir)
                if meta is None and not (self.index_dir / META_FILE).exists():
                    meta = self._create_empty()
                if meta is None:
                    self._problem = "the index metadata is damaged"
                elif meta.schema != INDEX_SCHEMA_VERSION:
                    self._problem = f"the index has schema {meta.schema}"
                    self._meta = meta
                else:
                    self._open_dir(meta)
                    self._start_warming()
            except Exception as exc:  # whoosh raises many kinds on damaged files
                log.warning("search index unusable: %s", exc)
                self._problem = f"the index cannot be opened ({exc.__class__.__name__})"
                self._close_searcher()

    def _create_empty(self) -> Meta:
        name = DIR_PREFIX + secrets.token_hex(6)
        path = self.index_dir / name
        path.mkdir()
        whoosh_index.create_in(str(path), self.schema)
        meta = Meta(INDEX_SCHEMA_VERSION, 0, name)
        write_meta(self.index_dir, meta)
        return meta

    def _open_dir(self, meta: Meta) -> None:
        ix = whoosh_index.open_dir(str(self.index_dir / meta.dir))
        searcher, _ = fresh_searcher(ix, None)
        path = self.index_dir / meta.dir
        try:
            vocab = Vocabulary.from_reader(searcher.reader(), path)
            for segreader, _ in searcher.reader().leaf_readers():
                if segreader.segment() is not None:
                    ids = read_segment_ids(segreader, path)
                    if ids is not None:  # else the warm-up thread reads them
                        self._postings.set_id_list(segreader, ids)
            IDS_FILES.remove_stale(path, searcher.reader())
            POSTINGS_FILES.remove_stale(path, searcher.reader())
        except Exception:
            searcher.close()
            raise
        self._ix, self._searcher, self._meta, self._vocab = ix, searcher, meta, vocab

    def _close_searcher(self) -> None:
        self._stop_warming()
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._ix = self._searcher = self._meta = None
        self._vocab = Vocabulary({}, {})

    def close(self) -> None:
        with self._lock:
            self._close_searcher()

    @property
    def problem(self) -> str:
        """Why the index is not open, for the user ("" when it is)."""
        return self._problem

    @property
    def last_failure(self) -> str:
        """Why the last rebuild (of any feedtui process) could not finish, for the user: ""
        once one has succeeded since."""
        return self._failure

    @property
    def doc_count(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count()) if self._searcher is not None else 0

    @property
    def indexed_revision(self) -> int:
        with self._lock:
            if self._searcher is None or self._meta is None:
                return 0
            return self._meta.revision

    def is_usable(self, store_count: int, store_revision: int) -> bool:
        """True when the index is open, of the current schema and in line with the store."""
        with self._lock:
            return (
                self._searcher is not None
                and self._meta is not None
                and self._meta.schema == INDEX_SCHEMA_VERSION
                and self.doc_count == store_count
                and self._meta.revision == store_revision
            )

    # ----------------------------------------------------------------- writing

    def rebuild(
        self,
        papers: Iterable[tuple[Paper, int]],
        total: int,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
        bodies: Bodies = no_bodies,
    ) -> None:
        """Build a fresh index from `papers` (each one's full text from `bodies`: "" for none)
        and switch to it atomically. Cancelled (or failing)
        builds leave the previous index in place and remove their partial directory.
        Raises IndexBusy when another process is rebuilding, IndexWriteFailed when the build
        cannot finish (disk full...: also kept for `last_failure`); exceptions from `papers`
        propagate.
        """
        with self._write_lock:
            build_lock = FileLock(str(self.index_dir / BUILD_LOCK_FILE))
            try:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                locked = build_lock.acquire(blocking=False)
            except OSError as error:  # a read-only cache folder...
                raise IndexWriteFailed(record_failure(self.index_dir, error)) from error
            if not locked:
                raise IndexBusy("another feedtui process is rebuilding the search index")
            try:
                remove_leftovers(self.index_dir, lock_held=True)
                self._rebuild_locked(papers, total, progress, cancel, bodies)
            except OSError as error:  # disk full...: say so, here and to the next processes
                self._failure = record_failure(self.index_dir, error)
                raise IndexWriteFailed(self._failure) from error
            finally:
                build_lock.release()

    def _rebuild_locked(
        self,
        papers: Iterable[tuple[Paper, int]],
        total: int,
        progress: Callable[[int, int], None] | None,
        cancel: threading.Event | None,
        bodies: Bodies,
    ) -> None:
        name = DIR_PREFIX + secrets.token_hex(6)
        path = self.index_dir / name
        path.mkdir()
        committed = False
        try:
            built = build(path, self.schema, papers, total, progress, cancel, bodies)
            if built is None:  # cancelled
                return
            revision, done = built
            # The switch: until meta.json names the new directory, the old index is current.
            with self._lock:
                write_meta(self.index_dir, Meta(INDEX_SCHEMA_VERSION, revision, name))
                committed = True
                clear_failure(self.index_dir)
                self.open()
            if progress is not None:
                progress(done, total)
        finally:
            if not committed:
                shutil.rmtree(path, ignore_errors=True)
            else:
                self._remove_stale_dirs(keep=name)

    def _remove_stale_dirs(self, keep: str) -> None:
        for child in self.index_dir.iterdir():
            if child.name.startswith(DIR_PREFIX) and child.name != keep and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def update(self, papers: Sequence[tuple[Paper, int]], bodies: Bodies = no_bodies) -> None:
        """Add or replace these papers (their full texts from `bodies`) in one commit, record
        the highest revision and refresh the searcher. Raises IndexBusy if another process
        holds the write lock, IndexWriteFailed when the commit fails (disk full...), and
        IndexUnavailable when there is no usable index to update (rebuild instead)."""
        if not papers:
            return
        docs = [document(paper, bodies(paper.id)) for paper, _ in papers]
        revision = max(rev for _, rev in papers)
        with self._write_lock, write_errors():
            ix = self._writable_index()
            writer = open_writer(ix)
            try:
                replaced = self._postings.writer_docnums(writer.segments, [d["id"] for d in docs])
                if replaced is None:  # a segment we have not read: let Whoosh look them up
                    for doc in docs:
                        writer.update_document(**doc)
                else:
                    for docnum in replaced:
                        writer.delete_document(docnum)
                    for doc in docs:
                        writer.add_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            commit(writer)
            vocab = self._vocab.with_documents(docs, self.schema)
            self._after_commit(max(revision, self._current_revision()), vocab)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove these papers (unknown ids are ignored)."""
        if not ids:
            return
        with self._write_lock, write_errors():
            ix = self._writable_index()
            writer = open_writer(ix)
            try:
                for paper_id in ids:
                    writer.delete_by_term("id", paper_id)
            except BaseException:
                writer.cancel()
                raise
            commit(writer)
            self._after_commit(self._current_revision(), self._vocab)

    def changed_on_disk(self) -> bool:
        """Another process committed to the index since this one opened it (its meta moved)."""
        with self._lock:
            return read_meta(self.index_dir) != self._meta

    def _writable_index(self) -> Any:
        with self._lock:
            on_disk = read_meta(self.index_dir)
            if on_disk is not None and self._meta is not None and on_disk.dir != self._meta.dir:
                self.open()  # another process rebuilt the index: write to the current one
            if self._ix is None:
                raise IndexUnavailable(
                    f"the search index cannot be updated: {self._problem or 'it is not open'}"
                )
            return self._ix

    def _current_revision(self) -> int:
        with self._lock:
            return self._meta.revision if self._meta is not None else 0

    def _after_commit(self, revision: int, vocab: Vocabulary) -> None:
        with self._lock:
            if self._meta is None:
                return
            meta = Meta(self._meta.schema, revision, self._meta.dir)
            write_meta(self.index_dir, meta)
            self._meta = meta
            self._vocab = vocab
        # Open the new segments outside the lock (searches go on meanwhile), swap under it.
        ix = self._ix
        old = self._searcher
        if ix is None or old is None:
            return
        searcher, stale = fresh_searcher(ix, old.reader())
        # The new segments' readers are not shared yet: read their ids here, outside the lock.
        reused = {id(r) for r, _ in old.reader().leaf_readers()}
        new_ids = [
            (r, compute_segment_ids(r, self.index_dir / meta.dir))
            for r, _ in searcher.reader().leaf_readers()
            if id(r) not in reused and r.segment() is not None
        ]
        with self._lock:
            if self._searcher is old:
                self._searcher = searcher
                self._postings.forget_segments(segment_ids(searcher.reader()))
                for reader, ids in new_ids:
                    self._postings.set_id_list(reader, ids)
            else:  # closed or reopened meanwhile: close what we opened, not what we reused
                shared = {id(r) for r, _ in old.reader().leaf_readers()}
                stale = [r for r, _ in searcher.reader().leaf_readers() if id(r) not in shared]
        for reader in stale:
            with contextlib.suppress(Exception):
                reader.close()

    # ----------------------------------------------------------------- searching

    def search(
        self,
        query: Query,
        limit: int = 2000,
        cancelled: Callable[[], bool] | None = None,
        allowed: Set[str] | None = None,
        *,
        exact: bool = False,
    ) -> IndexHits:
        """The ids of papers matching the text of `query`, best first, at most `limit`, and how
        many matched in all (exact). Filters (is:, has:, dates) are the store's job: it passes
        the ids they let through as `allowed`, which cuts the matches before the limit does.
        A query without text returns no hits.

        `cancelled` is asked between the steps of the search (before each term's postings are
        decoded, per segment of a phrase check, every few thousand postings of a long loop);
        once it returns True the search raises SearchCancelled and releases the lock, so the
        newest keystroke's search never waits for an abandoned one. With ``exact`` the
        total of a phrase search is counted, never extrapolated (slower for common words)."""
        if not query.has_text or limit <= 0:
            return IndexHits([], 0)
        if cancelled is not None and cancelled():
            raise SearchCancelled
        with self._lock:
            if self._searcher is None:
                return IndexHits([], 0)
            # Imported here: it loads numpy, which the first paint does not need (~80 ms).
            from tui.index._search import Search

            search = Search(
                self._searcher, self._vocab, self._postings, self.schema, cancelled, exact=exact
            )
            return search.run(query, limit, allowed)

    def excluded(
        self, items: Sequence[str], cancelled: Callable[[], bool] | None = None
    ) -> set[str]:
        """The papers the exclusions ``items`` (words, and phrases with spaces) hold in their
        summary: what "-survey" alone removes from the filters' list."""
        if not items:
            return set()
        with self._lock:
            if self._searcher is None:
                return set()
            from tui.index._search import Search

            search = Search(self._searcher, self._vocab, self._postings, self.schema, cancelled)
            return set(search.excluded(items))

    # ----------------------------------------------------------------- more like this

    def key_terms(self, papers: Sequence[Paper], limit: int | None = None) -> dict[str, float]:
        """What `papers` are about: the terms of their titles and abstracts weighted by tf-idf
        against this index's document frequencies, L2-normalised, heaviest first. One paper:
        its best KEY_TERMS; several (the saved ones): the sum of each one's normalised
        weights, the best PROFILE_TERMS. `limit` overrides how many are kept. Each paper's
        terms are remembered until the index changes. Empty when the index is not open."""
        with self._lock:
            vocab, searcher = self._vocab, self._searcher
            if searcher is None:
                return {}
            doc_count = max(1, int(searcher.doc_count()))
            vectors = [
                self._key_terms.terms(self.schema, vocab, doc_count, paper) for paper in papers
            ]
        if len(vectors) == 1 and limit is None:
            return dict(vectors[0])
        default = KEY_TERMS if len(vectors) == 1 else PROFILE_TERMS
        return combine(vectors, default if limit is None else limit)

    def related(
        self,
        weights: Mapping[str, float],
        limit: int = 20,
        *,
        exclude: Set[str] = frozenset(),
        allowed: Set[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Related]:
        """The papers closest to `weights` (from `key_terms`), best first, at most `limit`:
        none in `exclude`, all in `allowed` (None: any), each with the few terms of `weights`
        it holds that weigh most in its score (tui/index/_related). `cancelled` stops it as it
        stops a search (SearchCancelled)."""
        if limit <= 0 or not weights:
            return []
        if cancelled is not None and cancelled():
            raise SearchCancelled
        with self._lock:
            if self._searcher is None:
                return []
            # Imported here, as for search: numpy is not needed for the first paint.
            from tui.index._related import rank
            from tui.index._search import Search

            search = Search(self._searcher, self._vocab, self._postings, self.schema, cancelled)
            return rank(search, weights, limit, exclude, allowed)

    def warm_cache(self, budget: int | None = None, cancel: threading.Event | None = None) -> int:
        """Read every paper id and decode the postings of the most frequent terms ahead of the
        first searches (tui/index/_warm), without holding the lock while doing it; `open`
        runs it in a background thread for big indexes. Returns how many postings it decoded.
        """
        with self._lock:
            vocab, searcher, meta = self._vocab, self._searcher, self._meta
        if searcher is None or meta is None:
            return 0

        def stop() -> bool:
            return (cancel is not None and cancel.is_set()) or self._searcher is not searcher

        ix_path = self.index_dir / meta.dir
        # Imported here, in the warm-up thread: numpy stays off the startup path.
        from tui.index._warm import WARM_POSTINGS, warm

        budget = WARM_POSTINGS if budget is None else budget
        return warm(self._lock, searcher, vocab, self._postings, ix_path, stop, budget)

    def _start_warming(self) -> None:
        """Warm the caches in a daemon thread when the index is big enough to need it."""
        self._stop_warming()
        if self._searcher is None or self._searcher.doc_count() < WARM_MIN_DOCS:
            return
        cancel = threading.Event()
        thread = threading.Thread(
            target=self.warm_cache, kwargs={"cancel": cancel}, name="index-warm", daemon=True
        )
        self._warming = (thread, cancel)
        thread.start()

    def _stop_warming(self) -> None:
        if self._warming is not None:
            self._warming[1].set()  # it notices within one term; no need to wait for it
            self._warming = None
