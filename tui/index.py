"""The full-text index: Whoosh over title, abstract, authors and AI keywords.

The index is derived from the store and can always be rebuilt from it. It is built for 100,000
papers on a small machine, where Whoosh's defaults are far too slow for search-as-you-type
(see "Measured facts" in DESIGN.md), so this module:

- keeps ONE searcher open for the life of the index, guarded by a lock, and `refresh()`es it
  after each commit (reopening costs ~155 ms, refreshing ~1 ms);
- expands the prefix being typed against an in-memory vocabulary (sorted terms with their
  document frequency, built once when the index opens and extended on every update) and keeps
  only the most frequent completions (`PREFIX_TERMS`), instead of Whoosh's `Prefix` query that
  expands "tr" to thousands of terms;
- builds the Whoosh query from the parsed `Query` by hand, never from user text, so malformed
  input cannot raise;
- asks for at most `limit` hits, ranked with BM25F and field boosts (title x3, authors x2).

On-disk layout, chosen so that a killed build never leaves an empty index claiming to be current::

    index_dir/meta.json        {"schema": N, "revision": R, "dir": "ix-..."}   (atomic replace)
    index_dir/ix-<token>/      the Whoosh index that meta.json names

`rebuild` writes a new ``ix-*`` directory and only then replaces meta.json: the replace is the
atomic switch. A build killed before it leaves the previous index (or none) in place.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import json
import logging
import math
import os
import secrets
import shutil
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.filelock import FileLock

from tui.model import Paper
from tui.query import TOKEN_RE, Query

log = logging.getLogger(__name__)

# Bump whenever the schema or the analyzers change: an index with another version is rebuilt.
INDEX_SCHEMA_VERSION = 1

META_FILE = "meta.json"
BUILD_LOCK_FILE = "build.lock"
_DIR_PREFIX = "ix-"
# How many completions of the prefix being typed are searched, the most frequent first. Whoosh's
# own Prefix query would search all of them: thousands for two letters at 100k papers.
PREFIX_TERMS = 24
# ...and no more completions than fit in this many postings to read (the most frequent one
# always goes in): "t" at 100k papers would otherwise read a million postings.
PREFIX_POSTINGS_PER_DOC = 0.5
PREFIX_MIN_POSTINGS = 5_000
# Decoded postings kept in memory (8 bytes each) and how many `warm_cache` decodes up front.
CACHE_POSTINGS = 4_000_000
WARM_POSTINGS = 2_000_000
_K1 = 1.2
# A word's plural (or singular) matches too, but counts less than the form typed.
VARIANT_FACTOR = 0.6
# Field boosts: a word in the title says more about the paper than a word in its abstract.
TITLE_BOOST = 3.0
AUTHORS_BOOST = 2.0
KEYWORDS_BOOST = 1.5
# au:"Geoffrey Hinton" also matches "Geoffrey E. Hinton": one word may sit between the two.
AUTHOR_SLOP = 2
PROGRESS_EVERY = 500
BULK_LIMIT_MB = 256
WRITE_LOCK_TIMEOUT = 2.0  # seconds to wait for another writer before raising IndexBusy

_TEXT_FIELDS = ("title", "abstract", "authors", "keywords")
_BOOSTS = {
    "title": TITLE_BOOST,
    "abstract": 1.0,
    "authors": AUTHORS_BOOST,
    "keywords": KEYWORDS_BOOST,
}
_FIELD_BIT = {name: 1 << i for i, name in enumerate(_TEXT_FIELDS)}
# Separates authors (and keywords) inside their field value; not a token character.
_LIST_SEP = " ; "


class IndexUnavailable(Exception):
    """The index cannot be written: missing, damaged or from another schema (rebuild it)."""


class IndexBusy(IndexUnavailable):
    """Another process is writing the index right now."""


@dataclass(frozen=True, slots=True)
class IndexHits:
    ids: list[str]  # ranked best first (title matches first), at most `limit`
    # How many documents matched. Exact when the search scanned every match (always, for now:
    # see `PaperIndex.search`).
    total: int


def _text_analyzer() -> Any:
    # The token pattern is tui.query's, so the words the parser cuts are the words indexed.
    # No stemming: prefix search over stems ("transform" -> "transform") confuses users;
    # plurals are folded at query time instead (see `_word_variants`). Stop words are dropped:
    # they would make common-word and one-letter-prefix searches scan every document.
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter() | StopFilter(minsize=2)


def _name_analyzer() -> Any:
    # Author names keep every token: "An", "Le", "Yu" and initials are names, not stop words.
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter()


def make_schema() -> Schema:
    """The schema. Only `id` is stored: the store holds the text, so the index stays small."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=_text_analyzer(), phrase=True),
        abstract=TEXT(analyzer=_text_analyzer(), phrase=True),
        authors=TEXT(analyzer=_name_analyzer(), phrase=True),
        keywords=TEXT(analyzer=_text_analyzer(), phrase=False),
    )


def _document(paper: Paper) -> dict[str, str]:
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": _LIST_SEP.join(paper.authors),
        "keywords": _LIST_SEP.join(paper.ai_keywords),
    }


@dataclass(frozen=True, slots=True)
class _Meta:
    schema: int
    revision: int
    dir: str


def _read_meta(index_dir: Path) -> _Meta | None:
    try:
        raw = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
        meta = _Meta(int(raw["schema"]), int(raw["revision"]), str(raw["dir"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not meta.dir.startswith(_DIR_PREFIX) or "/" in meta.dir or "\\" in meta.dir:
        return None
    return meta


def _write_meta(index_dir: Path, meta: _Meta) -> None:
    """Atomically: temp file, fsync, os.replace (then fsync the directory where possible)."""
    data = json.dumps({"schema": meta.schema, "revision": meta.revision, "dir": meta.dir})
    tmp = index_dir / f".{META_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / META_FILE)
    with contextlib.suppress(OSError):  # not possible on Windows; best effort elsewhere
        dir_fd = os.open(index_dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _fresh_searcher(ix: Any, old: Any | None) -> tuple[Any, list[Any]]:
    """A searcher on the latest commit of `ix`, reusing the segment readers of `old` (a reader)
    whose segment is unchanged, and the readers of `old` that are no longer needed.

    Not `Searcher.refresh()`: in whoosh-reloaded 2.7.5 it reuses a segment's reader even when
    the commit deleted documents in that segment (and re-adds the old segments), so a replaced
    paper stays visible twice. A segment's deletions only grow, so (id, deleted count) tells
    whether its reader is still current."""
    toc = ix._read_toc()
    reusable: dict[tuple[str, int], Any] = {}
    if old is not None:
        for reader, _ in old.leaf_readers():
            segment = reader.segment()
            if segment is not None:
                reusable[(segment.segment_id(), segment.deleted_count())] = reader
    readers = []
    for segment in toc.segments:
        reader = reusable.pop((segment.segment_id(), segment.deleted_count()), None)
        if reader is None:
            reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        readers.append(reader)
    if not readers:
        combined: Any = EmptyReader(toc.schema)
    elif len(readers) == 1:
        combined = readers[0]
    else:
        combined = MultiReader(readers, generation=toc.generation)
    return Searcher(combined, fromindex=ix, weighting=BM25F()), list(reusable.values())


class _Vocabulary:
    """Every indexed term of the text fields, sorted, with its document frequency (summed over
    fields) and the fields it occurs in: what a prefix is expanded against.

    Immutable once built; an update makes a new one, so searches read it without locking.
    Frequencies after updates are approximate (a replaced paper counts twice), which only
    affects which completions of a prefix are tried first.
    """

    __slots__ = ("_cache", "df", "fields", "terms")

    def __init__(self, df: dict[str, int], fields: dict[str, int]) -> None:
        self.df = df
        self.fields = fields  # term -> bit mask of _FIELD_BIT
        self.terms = sorted(df)
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_reader(cls, reader: Any) -> _Vocabulary:
        df: dict[str, int] = {}
        fields: dict[str, int] = {}
        for name in _TEXT_FIELDS:
            bit = _FIELD_BIT[name]
            for btext, info in reader.iter_field(name):
                term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                df[term] = df.get(term, 0) + info.doc_frequency()
                fields[term] = fields.get(term, 0) | bit
        return cls(df, fields)

    def with_documents(self, docs: Iterable[dict[str, str]], schema: Schema) -> _Vocabulary:
        df = dict(self.df)
        fields = dict(self.fields)
        for doc in docs:
            for name in _TEXT_FIELDS:
                bit = _FIELD_BIT[name]
                for term in set(_analyze(schema, name, doc[name])):
                    df[term] = df.get(term, 0) + 1
                    fields[term] = fields.get(term, 0) | bit
        return _Vocabulary(df, fields)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent terms starting with `prefix`."""
        cached = self._cache.get(prefix)
        if cached is not None:
            return cached
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff", lo)
        found = heapq.nlargest(limit, self.terms[lo:hi], key=self.df.__getitem__)
        if len(self._cache) > 4096:  # one entry per distinct prefix typed
            self._cache.clear()
        self._cache[prefix] = found
        return found

    def variants(self, word: str) -> list[str]:
        """`word` plus its simple plural/singular form when that is indexed (cheap stemming)."""
        out = [word]
        other = word[:-1] if word.endswith("s") and len(word) > 3 else word + "s"
        if other in self.df:
            out.append(other)
        return out


def _analyze(schema: Schema, field: str, text: str) -> list[str]:
    if not text:
        return []
    return [token.text for token in schema[field].analyzer(text)]


class PaperIndex:
    """The search index. Thread-safe: searches may run while another thread updates."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.schema = make_schema()
        self._lock = threading.RLock()  # guards the searcher, the index handle and the meta
        self._write_lock = threading.Lock()  # one writer at a time inside this process
        self._ix: Any = None
        self._searcher: Any = None
        self._meta: _Meta | None = None
        self._vocab = _Vocabulary({}, {})
        self._postings = _PostingsCache()
        self._problem = ""

    # ----------------------------------------------------------------- opening and state

    def open(self) -> None:
        """Open the index, or create an empty one when there is none. Never raises: a damaged
        or outdated index is left on disk, reported by `is_usable` and replaced by `rebuild`."""
        with self._lock:
            self._close_searcher()
            self._problem = ""
            try:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                meta = _read_meta(self.index_dir)
                if meta is None and not (self.index_dir / META_FILE).exists():
                    meta = self._create_empty()
                if meta is None:
                    self._problem = "the index metadata is damaged"
                elif meta.schema != INDEX_SCHEMA_VERSION:
                    self._problem = f"the index has schema {meta.schema}"
                    self._meta = meta
                else:
                    self._open_dir(meta)
            except Exception as exc:  # whoosh raises many kinds on damaged files
                log.warning("search index unusable: %s", exc)
                self._problem = f"the index cannot be opened ({exc.__class__.__name__})"
                self._close_searcher()

    def _create_empty(self) -> _Meta:
        name = _DIR_PREFIX + secrets.token_hex(6)
        path = self.index_dir / name
        path.mkdir()
        whoosh_index.create_in(str(path), self.schema)
        meta = _Meta(INDEX_SCHEMA_VERSION, 0, name)
        _write_meta(self.index_dir, meta)
        return meta

    def _open_dir(self, meta: _Meta) -> None:
        ix = whoosh_index.open_dir(str(self.index_dir / meta.dir))
        searcher, _ = _fresh_searcher(ix, None)
        try:
            vocab = _Vocabulary.from_reader(searcher.reader())
        except Exception:
            searcher.close()
            raise
        self._ix, self._searcher, self._meta, self._vocab = ix, searcher, meta, vocab

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._ix = self._searcher = self._meta = None
        self._vocab = _Vocabulary({}, {})

    def close(self) -> None:
        with self._lock:
            self._close_searcher()

    @property
    def problem(self) -> str:
        """Why the index is not open, for the user ("" when it is)."""
        return self._problem

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
    ) -> None:
        """Build a fresh index from `papers` and switch to it atomically. Cancelled (or failing)
        builds leave the previous index in place and remove their partial directory.
        Raises IndexBusy when another process is rebuilding; exceptions from `papers` propagate.
        """
        with self._write_lock:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            build_lock = FileLock(str(self.index_dir / BUILD_LOCK_FILE))
            if not build_lock.acquire(blocking=False):
                raise IndexBusy("another feedtui process is rebuilding the search index")
            try:
                self._rebuild_locked(papers, total, progress, cancel)
            finally:
                build_lock.release()

    def _rebuild_locked(
        self,
        papers: Iterable[tuple[Paper, int]],
        total: int,
        progress: Callable[[int, int], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        name = _DIR_PREFIX + secrets.token_hex(6)
        path = self.index_dir / name
        path.mkdir()
        committed = False
        try:
            ix = whoosh_index.create_in(str(path), self.schema)
            writer = ix.writer(limitmb=BULK_LIMIT_MB)
            revision = done = 0
            try:
                for paper, paper_revision in papers:
                    if cancel is not None and cancel.is_set():
                        break
                    writer.add_document(**_document(paper))
                    revision = max(revision, paper_revision)
                    done += 1
                    if progress is not None and done % PROGRESS_EVERY == 0:
                        progress(done, total)
            except BaseException:
                writer.cancel()
                raise
            if cancel is not None and cancel.is_set():
                writer.cancel()
                return
            writer.commit()
            ix.close()
            # The switch: until meta.json names the new directory, the old index is current.
            with self._lock:
                _write_meta(self.index_dir, _Meta(INDEX_SCHEMA_VERSION, revision, name))
                committed = True
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
            if child.name.startswith(_DIR_PREFIX) and child.name != keep and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def update(self, papers: Sequence[tuple[Paper, int]]) -> None:
        """Add or replace these papers in one commit, record the highest revision and refresh
        the searcher. Raises IndexBusy if another process holds the write lock, and
        IndexUnavailable when there is no usable index to update (rebuild instead)."""
        if not papers:
            return
        docs = [_document(paper) for paper, _ in papers]
        revision = max(rev for _, rev in papers)
        with self._write_lock:
            ix = self._writable_index()
            writer = self._writer(ix)
            try:
                for doc in docs:
                    writer.update_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            vocab = self._vocab.with_documents(docs, self.schema)
            self._after_commit(max(revision, self._current_revision()), vocab)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove these papers (unknown ids are ignored)."""
        if not ids:
            return
        with self._write_lock:
            ix = self._writable_index()
            writer = self._writer(ix)
            try:
                for paper_id in ids:
                    writer.delete_by_term("id", paper_id)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._after_commit(self._current_revision(), self._vocab)

    def _writable_index(self) -> Any:
        with self._lock:
            if self._ix is None:
                raise IndexUnavailable(
                    f"the search index cannot be updated: {self._problem or 'it is not open'}"
                )
            return self._ix

    def _writer(self, ix: Any) -> Any:
        try:
            return ix.writer(timeout=WRITE_LOCK_TIMEOUT, delay=0.05)
        except whoosh_index.LockError as exc:
            raise IndexBusy("another feedtui process is updating the search index") from exc

    def _current_revision(self) -> int:
        with self._lock:
            return self._meta.revision if self._meta is not None else 0

    def _after_commit(self, revision: int, vocab: _Vocabulary) -> None:
        with self._lock:
            if self._meta is None:
                return
            meta = _Meta(self._meta.schema, revision, self._meta.dir)
            _write_meta(self.index_dir, meta)
            self._meta = meta
            self._vocab = vocab
        # Open the new segments outside the lock (searches go on meanwhile), swap under it.
        ix = self._ix
        old = self._searcher
        if ix is None or old is None:
            return
        searcher, stale = _fresh_searcher(ix, old.reader())
        with self._lock:
            if self._searcher is old:
                self._searcher = searcher
            else:  # closed or reopened meanwhile: close what we opened, not what we reused
                shared = {id(r) for r, _ in old.reader().leaf_readers()}
                stale = [r for r, _ in searcher.reader().leaf_readers() if id(r) not in shared]
        for reader in stale:
            with contextlib.suppress(Exception):
                reader.close()

    # ----------------------------------------------------------------- searching

    def search(self, query: Query, limit: int = 2000) -> IndexHits:
        """The ids of papers matching the text of `query`, best first, at most `limit`, and how
        many matched in all (exact). Filters (is:, has:, dates) are the store's job; a query
        without text returns no hits."""
        if not query.has_text or limit <= 0:
            return IndexHits([], 0)
        with self._lock:
            if self._searcher is None:
                return IndexHits([], 0)
            return _Search(self._searcher, self._vocab, self._postings, self.schema).run(
                query, limit
            )

    def warm_cache(self, budget: int = WARM_POSTINGS, cancel: threading.Event | None = None) -> int:
        """Decode the postings of the most frequent terms ahead of the first searches (they
        are the expensive ones). Takes the lock term by term, so searches interleave.
        Returns how many postings were decoded."""
        with self._lock:
            vocab, searcher = self._vocab, self._searcher
        if searcher is None:
            return 0
        decoded = 0
        for term in heapq.nlargest(2000, vocab.df, key=vocab.df.__getitem__):
            if decoded >= budget or (cancel is not None and cancel.is_set()):
                break
            with self._lock:
                if self._searcher is not searcher:
                    break  # refreshed or closed meanwhile
                for name in ("abstract", "title"):
                    if vocab.fields.get(term, 0) & _FIELD_BIT[name]:
                        for ids, _ in self._postings.get(searcher.reader(), name, term):
                            decoded += len(ids)
        return decoded


class _PostingsCache:
    """Decoded postings per (segment, field, term): local document numbers and their BM25
    term-frequency part, least recently used dropped beyond `budget` postings.

    Decoding is the cost of a search (~0.5 µs a posting: Whoosh pickles each block with its
    positions), and the same terms come back keystroke after keystroke. Segments never change
    once written, so entries stay valid across commits; deletions are applied at query time.
    """

    def __init__(self, budget: int = CACHE_POSTINGS) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[tuple[str, str, str], tuple[array[int], array[float]]] = (
            OrderedDict()
        )

    def get(self, reader: Any, field: str, term: str) -> list[tuple[array[int], array[float]]]:
        """Per leaf reader (in `leaf_readers` order): the postings of `term` in `field`."""
        out = []
        for segreader, _offset in reader.leaf_readers():
            key = (segreader.segment().segment_id(), field, term)
            entry = self._entries.get(key)
            if entry is None:
                entry = _decode(segreader, field, term)
                self._entries[key] = entry
                self.size += len(entry[0])
                while self.size > self.budget and len(self._entries) > 1:
                    _, (old_ids, _) = self._entries.popitem(last=False)
                    self.size -= len(old_ids)
            else:
                self._entries.move_to_end(key)
            out.append(entry)
        return out


_EMPTY: tuple[array[int], array[float]] = (array("I"), array("f"))


def _decode(segreader: Any, field: str, term: str) -> tuple[array[int], array[float]]:
    """All postings of one term in one segment, read block by block.

    Uses the Whoosh 3 codec's block reader directly (whoosh-reloaded is pinned below 2.8 and
    no longer changes): the public matcher API costs a Python call per posting."""
    btext = term.encode("utf-8")
    if (field, btext) not in segreader:
        return _EMPTY
    matcher = segreader._terms.matcher(field, btext, segreader.schema[field].format)
    ids: array[int] = array("I")
    weights: array[float] = array("f")
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    # The BM25 term-frequency part, k1 = 1.2, without length normalisation (b = 0).
    tf_part = array("f", [w * (_K1 + 1.0) / (w + _K1) for w in weights])
    return ids, tf_part


class _Search:
    """One search over the open searcher. Every clause (a word, the prefix, a phrase, an
    author, a title word) becomes a dict of global docnum -> score; the matches are the
    documents in every clause and in no exclusion; a document's score is the sum of its clause
    scores. Clause scores are BM25 without length normalisation, field boosts applied, summed
    over fields; the completions of a prefix (and a word's plural) are alternatives, so a
    document scores by one of them (the rarest it contains) rather than their sum."""

    def __init__(self, searcher: Any, vocab: _Vocabulary, cache: _PostingsCache, schema: Any):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.vocab = vocab
        self.cache = cache
        self.schema = schema
        self.leaves = self.reader.leaf_readers()
        self.doc_count = max(1, self.reader.doc_count())

    def run(self, query: Query, limit: int) -> IndexHits:
        clauses: list[dict[int, float]] = []
        for word in query.words:
            terms = _analyze(self.schema, "abstract", word)
            for term in terms:
                variants = self.vocab.variants(term)
                factors = dict.fromkeys(variants[1:], VARIANT_FACTOR)
                clauses.append(self.any_field(variants, factors))
        if query.prefix:
            clauses.append(self.any_field(self.completions(query.prefix)))
        for phrase in query.phrases:
            clause = self.phrase(phrase, ("title", "abstract"), slop=1)
            if clause is not None:
                clauses.append(clause)
        for name in query.authors:
            words = _analyze(self.schema, "authors", name)
            if len(words) == 1:
                clauses.append(self.term_scores(("authors",), words))
            elif words:
                clauses.append(self.phrase(name, ("authors",), slop=AUTHOR_SLOP) or {})
        for word in query.title_words:
            for term in _analyze(self.schema, "title", word):
                clauses.append(self.term_scores(("title",), [term]))
        if not clauses:
            return IndexHits([], 0)  # only stop words
        clauses.sort(key=len)
        matches = set(clauses[0])
        for clause in clauses[1:]:
            if not matches:
                break
            matches.intersection_update(clause)
        if matches:
            matches -= self.excluded(query.excluded)
            matches -= self.deleted()
        if not matches:
            return IndexHits([], 0)
        docs = list(matches)
        scores = map(sum, zip(*(map(clause.__getitem__, docs) for clause in clauses), strict=True))
        # Ties go to the higher docnum: the paper indexed last, usually the newest.
        best = heapq.nlargest(limit, zip(scores, docs, strict=True))
        return IndexHits([self.paper_id(docnum) for _, docnum in best], len(docs))

    def completions(self, prefix: str) -> list[str]:
        """The most frequent completions of `prefix`, within a budget of postings to read."""
        budget = max(PREFIX_MIN_POSTINGS, int(self.doc_count * PREFIX_POSTINGS_PER_DOC))
        chosen: list[str] = []
        spent = 0
        for term in self.vocab.completions(prefix, PREFIX_TERMS):
            if chosen and spent + self.vocab.df[term] > budget:
                break
            chosen.append(term)
            spent += self.vocab.df[term]
        return chosen

    def any_field(
        self, alternatives: list[str], factors: dict[str, float] | None = None
    ) -> dict[int, float]:
        """Scores for documents containing any of `alternatives` in any text field."""
        present = [t for t in alternatives if self.vocab.fields.get(t, 0)]
        return self.term_scores(_TEXT_FIELDS, present, factors)

    def term_scores(
        self,
        fields: Sequence[str],
        terms: Sequence[str],
        factors: dict[str, float] | None = None,
    ) -> dict[int, float]:
        """Scores for documents with any of `terms` in any of `fields`; `factors` discounts some
        terms (a word's plural counts less than the word typed)."""
        # The abstract goes first and in bulk (dict.update runs in C; its postings are the long
        # ones); the other fields' postings are short and are added to it one by one. Among
        # alternatives of the bulk field, the one applied last wins a document: the undiscounted,
        # then the rarer ones go last.
        factors = factors or {}
        scores: dict[int, float] = {}
        bulk: list[tuple[str, str]] = []
        rest: list[tuple[str, str]] = []
        for name in fields:
            for term in terms:
                if self.vocab.fields.get(term, 0) & _FIELD_BIT[name]:
                    (bulk if name == "abstract" else rest).append((name, term))
        bulk.sort(key=lambda item: (-factors.get(item[1], 1.0), -self.vocab.df.get(item[1], 0)))
        for name, term in bulk:
            for ids, weights in self.postings(name, term):
                factor = self.weight(name, term) * factors.get(term, 1.0)
                scores.update(zip(ids, map(mul, weights, repeat(factor)), strict=False))
        for name, term in rest:
            get = scores.get
            for ids, weights in self.postings(name, term):
                factor = self.weight(name, term) * factors.get(term, 1.0)
                for docnum, tf_part in zip(ids, weights, strict=True):
                    scores[docnum] = get(docnum, 0.0) + tf_part * factor
        return scores

    def postings(self, field: str, term: str) -> Iterable[tuple[Iterable[int], array[float]]]:
        """Global docnums and tf parts of `term` in `field`, leaf by leaf."""
        for (ids, weights), (_, offset) in zip(
            self.cache.get(self.reader, field, term), self.leaves, strict=True
        ):
            yield (map(add, ids, repeat(offset)) if offset else ids), weights

    def weight(self, field: str, term: str) -> float:
        df = self.reader.doc_frequency(field, term)
        idf = math.log(1.0 + (self.doc_count - df + 0.5) / (df + 0.5))
        return _BOOSTS[field] * idf

    def phrase(self, phrase: str, fields: tuple[str, ...], slop: int) -> dict[int, float] | None:
        """Documents with the phrase in any of `fields` (Whoosh checks the positions)."""
        terms = _analyze(self.schema, fields[0], phrase)
        if not terms:
            return None  # only stop words
        if len(terms) == 1:
            return self.term_scores(fields, terms)
        scores: dict[int, float] = {}
        for name in fields:
            score = sum(self.weight(name, term) for term in terms)
            found = self.searcher.docs_for_query(wq.Phrase(name, terms, slop=slop))
            for docnum in found:
                scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def excluded(self, items: Sequence[str]) -> set[int]:
        out: set[int] = set()
        for item in items:
            terms = _analyze(self.schema, "abstract", item)
            if len(terms) == 1:
                for name in _TEXT_FIELDS:
                    for ids, _ in self.postings(name, terms[0]):
                        out.update(ids)
            elif terms:
                out.update(self.phrase(item, ("title", "abstract"), slop=1) or ())
        return out

    def deleted(self) -> set[int]:
        out: set[int] = set()
        for segreader, offset in self.leaves:
            if segreader.has_deletions():
                out.update(docnum + offset for docnum in segreader.deleted_docs_set)
        return out

    def paper_id(self, docnum: int) -> str:
        return str(self.searcher.stored_fields(docnum)["id"])
