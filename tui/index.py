"""The full-text index: Whoosh over title, abstract, authors and AI keywords.

The index is derived from the store and can always be rebuilt from it. It is built for 100,000
papers on a small machine, where Whoosh's own query machinery is far too slow for
search-as-you-type (DESIGN.md, "Measured facts": seconds for a 2-3 letter prefix, 64 ms for two
words, 133 ms for a phrase at 100k). So Whoosh stores and writes the index, and this module
matches and ranks by itself:

- ONE searcher stays open, guarded by a lock, and is swapped for a fresh one after each commit,
  reusing the readers of unchanged segments (not `Searcher.refresh()`, see `_fresh_searcher`);
- the prefix being typed is expanded against an in-memory vocabulary (sorted terms with their
  document frequency, cached per segment on disk, extended on every update) to at most
  `PREFIX_TERMS` of its most frequent completions, within a budget of postings to read;
- postings are decoded block by block into arrays and kept in an LRU cache (the same terms come
  back keystroke after keystroke), warmed in a background thread for the most frequent terms;
  matching is set arithmetic on them, scoring BM25 without length normalisation, with field
  boosts (title x3, authors x2, keywords x1.5), summed over words;
- phrases read positions only for the papers that have every word and match the rest of the
  query (at most `PHRASE_VERIFY_BUDGET` of them);
- nothing the user typed reaches a Whoosh query parser: malformed input cannot raise.

On-disk layout, chosen so that a killed build never leaves an empty index claiming to be current::

    index_dir/meta.json        {"schema": N, "revision": R, "dir": "ix-..."}   (atomic replace)
    index_dir/ix-<token>/      the Whoosh index that meta.json names (+ vocabulary cache files)

`rebuild` writes a new ``ix-*`` directory and only then replaces meta.json: the replace is the
atomic switch. A build killed before it leaves the previous index (or none) in place.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import json
import logging
import marshal
import math
import os
import secrets
import shutil
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, mul
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
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
INDEX_SCHEMA_VERSION = 2

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
WARM_TERMS = 3_000
WARM_MIN_DOCS = 5_000  # below this a cold search is fast anyway
_K1 = 1.2
# A word's plural (or singular) matches too, but counts less than the form typed.
VARIANT_FACTOR = 0.6
# At most this many documents get their positions read for the phrases of one search (~4 µs
# each); beyond it the number of phrase matches is extrapolated (see IndexHits.total).
PHRASE_VERIFY_BUDGET = 4_000
# Field boosts: a word in the title says more about the paper than a word in its abstract.
TITLE_BOOST = 3.0
AUTHORS_BOOST = 2.0
KEYWORDS_BOOST = 1.5
# au:"Geoffrey Hinton" also matches "Geoffrey E. Hinton": one word may sit between the two.
AUTHOR_SLOP = 2
PROGRESS_EVERY = 500
# A full build commits a segment every REBUILD_SEGMENT_DOCS papers rather than one segment at
# the end. A commit whose postings fit in the writer's pool sorts them in memory; a bigger one
# spills sorted runs to disk and merges them back in Python at ~10 µs a posting, which was 205 s
# of a 361 s build at 100k papers and kept ~470 MB resident (tests/bench, docs/benchmark.md).
# BULK_LIMIT_MB must hold one segment's postings by Whoosh's estimate (~170 bytes each).
REBUILD_SEGMENT_DOCS = 5_000
# Updates merge their small segments once this many could be merged (see _merge_small_segments).
MERGE_SMALL_SEGMENTS_AT = 4
BULK_LIMIT_MB = 160
# Writers never pack a segment into one compound file: Whoosh reads a compound file's parts
# through BytesIO copies of the whole mmap, i.e. the entire postings end up in anonymous memory
# (~360 MB at 100k papers). Separate files are read with seek/read through the OS page cache.
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
    # How many documents matched: exact, except for phrases made of common words, where the
    # positions of at most PHRASE_VERIFY_BUDGET candidates are checked (the newest) and the
    # share that matched is extrapolated to the rest.
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


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy for updates: once MERGE_SMALL_SEGMENTS_AT segments are smaller than
    a build's (REBUILD_SEGMENT_DOCS), merge those, and never the build's. So at most that many
    small segments exist, and a merge rewrites fewer than MERGE_SMALL_SEGMENTS_AT x
    REBUILD_SEGMENT_DOCS papers (usually a few hundred). Whoosh's default (MERGE_SMALL) merges
    *every* segment once there are ~22 of them: the ~21st update after a build would rewrite the
    whole index (minutes at 100k papers, tests/bench)."""
    small = [s for s in segments if s.doc_count_all() < REBUILD_SEGMENT_DOCS]
    if len(small) < MERGE_SMALL_SEGMENTS_AT:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = {id(segment) for segment in small}
    return [s for s in segments if id(s) not in merged]


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


def _segment_ids(reader: Any) -> set[str]:
    return {
        segreader.segment().segment_id()
        for segreader, _ in reader.leaf_readers()
        if segreader.segment() is not None
    }


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

    def __init__(
        self, df: dict[str, int], fields: dict[str, int], terms: list[str] | None = None
    ) -> None:
        self.df = df
        self.fields = fields  # term -> bit mask of _FIELD_BIT
        self.terms = sorted(df) if terms is None else terms  # `terms`: already sorted keys
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_reader(cls, reader: Any, ix_path: Path) -> _Vocabulary:
        """The vocabulary of every segment, each read from its cache file in `ix_path` (or
        computed and cached: segments never change once written)."""
        parts = [
            _segment_vocabulary(segreader, ix_path)
            for segreader, _ in reader.leaf_readers()
            if segreader.segment() is not None  # None: the EmptyReader of an empty index
        ]
        _remove_stale_vocabulary_files(ix_path, reader)
        if not parts:
            return cls({}, {})
        parts.sort(key=lambda part: len(part[0]), reverse=True)
        df, fields = parts[0]
        if len(parts) > 1:
            df, fields = dict(df), dict(fields)
            for other_df, other_fields in parts[1:]:
                for term, count in other_df.items():
                    df[term] = df.get(term, 0) + count
                    fields[term] = fields.get(term, 0) | other_fields[term]
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
        new_terms = [term for term in df.keys() - self.df.keys()]
        if not new_terms:
            return _Vocabulary(df, fields, self.terms)
        terms = self.terms + sorted(new_terms)
        terms.sort()  # two sorted runs: a linear merge, not a full sort
        return _Vocabulary(df, fields, terms)

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


_VOCAB_FILE_PREFIX = "feedtui-vocab-"
_VOCAB_MAGIC = b"FTV1"


def _segment_vocabulary(segreader: Any, ix_path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(term -> document frequency, term -> field bits) of one segment.

    Reading a lexicon through Whoosh costs ~30 µs a term (seconds at 100k papers), so each
    segment's vocabulary is cached next to it, checksummed, in marshal format (loads in C)."""
    path = ix_path / f"{_VOCAB_FILE_PREFIX}{segreader.segment().segment_id()}.bin"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = path.read_bytes()
        body = data[8:]
        if data[:4] == _VOCAB_MAGIC and int.from_bytes(data[4:8], "big") == zlib.crc32(body):
            cached = marshal.loads(body)
            if isinstance(cached, tuple) and len(cached) == 2:
                return cached[0], cached[1]
    df: dict[str, int] = {}
    fields: dict[str, int] = {}
    for name in _TEXT_FIELDS:
        bit = _FIELD_BIT[name]
        for btext, info in segreader.iter_field(name):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            df[term] = df.get(term, 0) + info.doc_frequency()
            fields[term] = fields.get(term, 0) | bit
    body = marshal.dumps((df, fields))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with contextlib.suppress(OSError):  # only a cache: a read-only disk just means no speed-up
        tmp.write_bytes(_VOCAB_MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
        os.replace(tmp, path)
    return df, fields


def _remove_stale_vocabulary_files(ix_path: Path, reader: Any) -> None:
    current = {
        f"{_VOCAB_FILE_PREFIX}{segreader.segment().segment_id()}.bin"
        for segreader, _ in reader.leaf_readers()
        if segreader.segment() is not None
    }
    with contextlib.suppress(OSError):
        for child in ix_path.iterdir():
            name = child.name
            if name.startswith(_VOCAB_FILE_PREFIX) and name not in current:
                child.unlink(missing_ok=True)


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
        self._warming: tuple[threading.Thread, threading.Event] | None = None
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
                    self._start_warming()
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
            vocab = _Vocabulary.from_reader(searcher.reader(), self.index_dir / meta.dir)
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
            writer = ix.writer(limitmb=BULK_LIMIT_MB, compound=False)
            revision = done = 0
            try:
                for paper, paper_revision in papers:
                    if cancel is not None and cancel.is_set():
                        break
                    writer.add_document(**_document(paper))
                    revision = max(revision, paper_revision)
                    done += 1
                    if done % REBUILD_SEGMENT_DOCS == 0:
                        # Not visible to anyone yet: meta.json still names the old index.
                        writer.commit(merge=False)
                        writer = ix.writer(limitmb=BULK_LIMIT_MB, compound=False)
                    if progress is not None and done % PROGRESS_EVERY == 0:
                        progress(done, total)
            except BaseException:
                writer.cancel()
                raise
            if cancel is not None and cancel.is_set():
                writer.cancel()
                return
            writer.commit(merge=False)
            # Cache the new segment's vocabulary now, outside the lock, so that opening the new
            # index below does not stall searches on the old one.
            with ix.reader() as reader:
                _Vocabulary.from_reader(reader, path)
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
            writer.commit(mergetype=_merge_small_segments)
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
            writer.commit(mergetype=_merge_small_segments)
            self._after_commit(self._current_revision(), self._vocab)

    def _writable_index(self) -> Any:
        with self._lock:
            on_disk = _read_meta(self.index_dir)
            if on_disk is not None and self._meta is not None and on_disk.dir != self._meta.dir:
                self.open()  # another process rebuilt the index: write to the current one
            if self._ix is None:
                raise IndexUnavailable(
                    f"the search index cannot be updated: {self._problem or 'it is not open'}"
                )
            return self._ix

    def _writer(self, ix: Any) -> Any:
        try:
            return ix.writer(timeout=WRITE_LOCK_TIMEOUT, delay=0.05, compound=False)
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
                self._postings.forget_segments(_segment_ids(searcher.reader()))
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
        """Decode the postings of the most frequent terms, and read every paper id, ahead of
        the first searches: a cold search for a common word at 100k papers reads tens of
        thousands of postings. Takes the lock in small steps, so searches interleave; `open`
        runs it in a background thread for big indexes. Returns how many postings it decoded.
        """
        with self._lock:
            vocab, searcher = self._vocab, self._searcher
            top_terms = heapq.nlargest(WARM_TERMS, vocab.df, key=vocab.df.__getitem__)
        if searcher is None:
            return 0

        def stop() -> bool:
            return (cancel is not None and cancel.is_set()) or self._searcher is not searcher

        decoded = 0
        try:
            for term in top_terms:
                with self._lock:
                    if decoded >= budget or stop():
                        return decoded
                    for name in ("abstract", "title"):
                        if vocab.fields.get(term, 0) & _FIELD_BIT[name]:
                            for ids, _ in self._postings.get(searcher.reader(), name, term):
                                decoded += len(ids)
            with self._lock:
                if stop():
                    return decoded
                leaves = [r for r, _ in searcher.reader().leaf_readers() if r.segment()]
                sizes = [r.doc_count_all() for r in leaves]
            for segreader, size in zip(leaves, sizes, strict=True):
                for start in range(0, size, 500):
                    with self._lock:
                        if stop():
                            return decoded
                        for docnum in range(start, min(start + 500, size)):
                            if not segreader.is_deleted(docnum):
                                self._postings.paper_id(segreader, docnum)
        except Exception:  # only an optimisation: a failure here must not reach the user
            log.debug("warming the index cache failed", exc_info=True)
        return decoded

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
        self._paper_ids: dict[str, dict[int, str]] = {}
        self._doc_frequency: dict[tuple[str, str, str], int] = {}

    def doc_frequency(self, reader: Any, field: str, term: str) -> int:
        """How many documents hold `term` in `field` (deleted ones included, as in Whoosh).

        Remembered per segment: Whoosh looks a term up in every segment's hash file, ~25 µs
        each, and a full build leaves ~20 segments at 100k papers (42% of the replay's time
        went into these lookups, tests/bench)."""
        total = 0
        for segreader, _offset in reader.leaf_readers():
            segment = segreader.segment()
            if segment is None:  # the EmptyReader of an empty index
                continue
            key = (segment.segment_id(), field, term)
            count = self._doc_frequency.get(key)
            if count is None:
                if len(self._doc_frequency) > 500_000:  # a very long session: start afresh
                    self._doc_frequency.clear()
                count = self._doc_frequency[key] = segreader.doc_frequency(field, term)
            total += count
        return total

    def id_table(self, segreader: Any) -> dict[int, str]:
        """The remembered paper ids of one segment (local docnum -> id); may be incomplete."""
        segment = segreader.segment()
        if segment is None:
            return {}
        return self._paper_ids.setdefault(segment.segment_id(), {})

    def paper_id(self, segreader: Any, docnum: int) -> str:
        """The paper id of a (segment-local) docnum; remembered, as reading it costs ~6 µs."""
        segment_id = segreader.segment().segment_id()
        ids = self._paper_ids.get(segment_id)
        if ids is None:
            ids = self._paper_ids[segment_id] = {}
        paper_id = ids.get(docnum)
        if paper_id is None:
            paper_id = ids[docnum] = str(segreader.stored_fields(docnum)["id"])
        return paper_id

    def forget_segments(self, keep: set[str]) -> None:
        """Drop the paper ids of segments that merges have removed."""
        for segment_id in [s for s in self._paper_ids if s not in keep]:
            del self._paper_ids[segment_id]
        for key in [k for k in self._doc_frequency if k[0] not in keep]:
            del self._doc_frequency[key]

    def get(self, reader: Any, field: str, term: str) -> list[tuple[array[int], array[float]]]:
        """Per leaf reader (in `leaf_readers` order): the postings of `term` in `field`."""
        out = []
        for segreader, _offset in reader.leaf_readers():
            segment = segreader.segment()
            if segment is None:  # the EmptyReader of an empty index
                out.append(_EMPTY)
                continue
            key = (segment.segment_id(), field, term)
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


def _positions(segreader: Any, field: str, term: str, wanted: list[int]) -> dict[int, list[int]]:
    """The positions of `term` in `field` for the (sorted, local) docnums `wanted`, reading only
    the posting blocks that can hold them (same codec internals as `_decode`)."""
    out: dict[int, list[int]] = {}
    btext = term.encode("utf-8")
    if (field, btext) not in segreader:
        return out
    field_format = segreader.schema[field].format
    matcher = segreader._terms.matcher(field, btext, field_format)
    lowest = 0  # every docnum below this was in an earlier block
    while matcher.is_active() and lowest <= wanted[-1]:
        highest = matcher.block_max_id()
        first = bisect.bisect_left(wanted, lowest)
        last = bisect.bisect_right(wanted, highest)
        if first < last:
            matcher._read_ids()
            matcher._read_values()
            ids, values = matcher._ids, matcher._values
            for docnum in wanted[first:last]:
                at = bisect.bisect_left(ids, docnum)
                if at < len(ids) and ids[at] == docnum:
                    out[docnum] = field_format.decode_positions(values[at])
        lowest = highest + 1
        matcher._next_block()
    return out


def _top(docs: list[int], scores: dict[int, float], limit: int) -> list[int]:
    """The `limit` best of `docs` by score; ties to the higher docnum (indexed last, usually the
    newest paper). Sorting 100k scores costs ~10 ms, so when there are many more matches than
    `limit`, a sample of the scores gives a threshold and only the docs above it are sorted."""
    if len(docs) > 4 * limit:
        step = max(1, len(docs) // 2048)
        sample = sorted(map(scores.__getitem__, docs[::step]), reverse=True)
        # Aim at twice the share of the sample that `limit` represents, for safety.
        rank = min(len(sample) - 1, (2 * limit * len(sample)) // len(docs) + 1)
        threshold = sample[rank]
        above = list(compress(docs, map(threshold.__le__, map(scores.__getitem__, docs))))
        if len(above) >= limit:
            docs = above
    docs = sorted(docs, reverse=True)
    docs.sort(key=scores.__getitem__, reverse=True)  # stable: equal scores stay newest first
    return docs[:limit]


def _intersection(clauses: list[dict[int, float]]) -> set[int]:
    ordered = sorted(clauses, key=len)
    matches = set(ordered[0])
    for clause in ordered[1:]:
        if not matches:
            break
        matches.intersection_update(clause)
    return matches


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
        # How many documents may still have their phrase positions read, and an estimate of
        # the matches among those that were not (added to `total`).
        self.verify_budget = PHRASE_VERIFY_BUDGET
        self.estimated_extra = 0

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
        author_phrases: list[str] = []
        for name in query.authors:
            words = _analyze(self.schema, "authors", name)
            if len(words) == 1:
                clauses.append(self.term_scores(("authors",), words))
            elif words:
                author_phrases.append(name)
        for word in query.title_words:
            for term in _analyze(self.schema, "title", word):
                clauses.append(self.term_scores(("title",), [term]))
        # Phrases last: their positions are only read for documents that match the rest.
        within = _intersection(clauses) if clauses else None
        for phrase in query.phrases:
            clause = self.phrase(phrase, ("title", "abstract"), slop=1, within=within)
            if clause is not None:
                clauses.append(clause)
                within = set(clause) if within is None else within & clause.keys()
        for name in author_phrases:
            clauses.append(self.phrase(name, ("authors",), AUTHOR_SLOP, within) or {})
        if not clauses:
            return IndexHits([], 0)  # only stop words
        matches = _intersection(clauses)
        if matches:
            matches -= self.excluded(query.excluded, matches)
            matches -= self.deleted()
        if not matches:
            return IndexHits([], 0)
        docs = list(matches)
        if len(clauses) == 1:
            scores = clauses[0]
        else:
            sums = map(sum, zip(*(map(c.__getitem__, docs) for c in clauses), strict=True))
            scores = dict(zip(docs, sums, strict=True))
        best = _top(docs, scores, limit)
        return IndexHits(self.paper_ids(best), len(docs) + self.estimated_extra)

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
        df = self.cache.doc_frequency(self.reader, field, term)
        idf = math.log(1.0 + (self.doc_count - df + 0.5) / (df + 0.5))
        return _BOOSTS[field] * idf

    def phrase(
        self,
        phrase: str,
        fields: tuple[str, ...],
        slop: int,
        within: set[int] | None = None,
    ) -> dict[int, float] | None:
        """Documents (among `within`, if given) with the phrase in any of `fields`, scored as
        the sum of its words in each field where it occurs."""
        terms = _analyze(self.schema, fields[0], phrase)
        if not terms:
            return None  # only stop words
        if len(terms) == 1:
            return self.term_scores(fields, terms)
        scores: dict[int, float] = {}
        for name in fields:
            score = sum(self.weight(name, term) for term in terms)
            for docnum in self.phrase_docs(name, terms, slop, within):
                scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def phrase_docs(
        self,
        field: str,
        terms: list[str],
        slop: int,
        within: set[int] | None = None,
        unchecked_match: bool = False,
    ) -> set[int]:
        """Global docnums (among `within`, if given) with `terms` in order in `field`, each at
        most `slop` positions after the one before. Only the documents that have every word
        get their positions read, and only the posting blocks that hold them are decoded."""
        if any(not self.vocab.fields.get(t, 0) & _FIELD_BIT[field] for t in terms):
            return set()
        found: set[int] = set()
        per_term = [self.cache.get(self.reader, field, term) for term in terms]
        for leaf, (segreader, offset) in enumerate(self.leaves):
            lists = sorted((postings[leaf][0] for postings in per_term), key=len)
            candidates = set(lists[0])
            for ids in lists[1:]:
                candidates.intersection_update(ids)
            if within is not None:
                # Walk this leaf's candidates, not all of `within` (which spans every leaf:
                # doing that per leaf cost ~20x at 100k papers in ~20 segments).
                if offset:
                    candidates = {docnum for docnum in candidates if docnum + offset in within}
                else:
                    candidates.intersection_update(within)
            if not candidates:
                continue
            # Reading positions costs ~4 µs a document: check the newest within the budget
            # and extrapolate how many of the others match.
            wanted = sorted(candidates, reverse=True)
            unchecked = max(0, len(wanted) - self.verify_budget)
            if unchecked:
                if unchecked_match:
                    found.update(docnum + offset for docnum in wanted[self.verify_budget :])
                    unchecked = 0
                wanted = wanted[: self.verify_budget]
            self.verify_budget -= len(wanted)
            if not wanted:
                self.estimated_extra += unchecked // 2
                continue
            wanted.reverse()
            before = len(found)
            positions = [_positions(segreader, field, term, wanted) for term in terms]
            for docnum in wanted:
                starts = positions[0].get(docnum, ())
                for later in positions[1:]:
                    following = later.get(docnum, ())
                    starts = [q for q in following if any(0 < q - p <= slop for p in starts)]
                    if not starts:
                        break
                if starts:
                    found.add(docnum + offset)
            if unchecked:
                self.estimated_extra += unchecked * (len(found) - before) // len(wanted)
        return found

    def excluded(self, items: Sequence[str], within: set[int]) -> set[int]:
        """Documents among `within` to drop for the -word and -"phrase" items. A document
        whose phrase positions are beyond the budget is dropped if it has all the words."""
        out: set[int] = set()
        for item in items:
            terms = _analyze(self.schema, "abstract", item)
            if len(terms) == 1:
                for name in _TEXT_FIELDS:
                    for ids, _ in self.postings(name, terms[0]):
                        out.update(ids)
            elif terms:
                for name in ("title", "abstract"):
                    out |= self.phrase_docs(name, terms, 1, within, unchecked_match=True)
        return out

    def deleted(self) -> set[int]:
        out: set[int] = set()
        for segreader, offset in self.leaves:
            if segreader.has_deletions():
                out.update(docnum + offset for docnum in segreader.deleted_docs_set)
        return out

    def paper_ids(self, docnums: Sequence[int]) -> list[str]:
        """The paper ids of global docnums: up to `limit` per keystroke, so the leaf is found
        by bisection and each leaf's remembered ids are looked up directly."""
        offsets = [offset for _, offset in self.leaves]
        tables = [self.cache.id_table(segreader) for segreader, _ in self.leaves]
        out = []
        for docnum in docnums:
            leaf = bisect.bisect_right(offsets, docnum) - 1
            local = docnum - offsets[leaf]
            paper_id = tables[leaf].get(local)
            if paper_id is None:
                paper_id = self.cache.paper_id(self.leaves[leaf][0], local)
            out.append(paper_id)
        return out
