"""Reading the index's postings: whole posting lists decoded block by block into arrays (kept
in an LRU cache, as the same terms come back keystroke after keystroke), positions for the
documents a phrase check needs, paper ids and per-segment document frequencies.
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Set
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy itself is imported where it is used: it is not needed to paint
    import numpy as np
    from numpy.typing import NDArray

    # Local docnums (uint32, ascending) and their BM25 tf part (float32).
    Postings = tuple[NDArray[np.uint32], NDArray[np.float32]]
    # (segment id, field, the phrase's terms, slop)
    PhraseKey = tuple[str, str, tuple[str, ...], int]

# Decoded postings kept in memory (8 bytes each: 64 MB), more than the warm-up fills (_warm).
CACHE_POSTINGS = 8_000_000
# Phrases whose matches are remembered per segment (a few watches' and recent searches').
CACHE_PHRASES = 2_048
_K1 = 1.2


class PostingsCache:
    """Decoded postings per (segment, field, term): local document numbers and their BM25
    term-frequency part, least recently used dropped beyond `budget` postings.

    Decoding is the cost of a search (~0.5 µs a posting: Whoosh pickles each block with its
    positions), and the same terms come back keystroke after keystroke. Segments never change
    once written, so entries stay valid across commits; deletions are applied at query time.
    """

    def __init__(self, budget: int = CACHE_POSTINGS) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[tuple[str, str, str], Postings] = OrderedDict()
        self._paper_ids: dict[str, dict[int, str]] = {}
        self._id_lists: dict[str, list[str]] = {}  # complete tables (tui.index._ids)
        self._id_docnums: dict[str, dict[str, int]] = {}  # the same, id -> local docnum
        # Every id by global docnum, for the current set of segments (one entry).
        self._all_ids: tuple[tuple[str, ...], NDArray[np.object_]] | None = None
        # Each paper's live docnum, for the current segments and deletions (one entry).
        self._live: tuple[tuple[tuple[str, int], ...], dict[str, int]] | None = None
        self._doc_frequency: dict[tuple[str, str, str], int] = {}
        # Every document of a segment holding a phrase: (segment, field, terms, slop) -> local
        # docnums. Reading positions is a phrase's cost (~4 µs a candidate) and segments never
        # change, so a watch's exact count after a refresh reads them only in the new segment.
        self._phrases: OrderedDict[PhraseKey, NDArray[np.uint32]] = OrderedDict()

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

    def id_list(self, segreader: Any) -> list[str] | None:
        """Every paper id of one segment by local docnum, when known (see tui.index._ids)."""
        segment = segreader.segment()
        return None if segment is None else self._id_lists.get(segment.segment_id())

    def all_ids(self, reader: Any) -> NDArray[np.object_] | None:
        """Every paper id by global docnum (an object array, so that 2,000 ranked docnums map
        to ids in one fancy index), or None while some segment's ids are not known yet."""
        leaves = [r for r, _ in reader.leaf_readers() if r.segment() is not None]
        key = tuple(r.segment().segment_id() for r in leaves)
        if self._all_ids is not None and self._all_ids[0] == key:
            return self._all_ids[1]
        lists = [self._id_lists.get(segment_id) for segment_id in key]
        if any(ids is None for ids in lists):
            return None
        import numpy as np

        every = np.empty(sum(len(ids) for ids in lists if ids is not None), dtype=object)
        at = 0
        for ids in lists:
            if ids is not None:
                every[at : at + len(ids)] = ids
                at += len(ids)
        self._all_ids = (key, every)
        return every

    def live_docnums(self, reader: Any) -> dict[str, int] | None:
        """Each paper's global docnum, its deleted older versions left out (None while some
        segment's ids are not known): for turning a few allowed papers into docnums."""
        leaves = [(r, offset) for r, offset in reader.leaf_readers() if r.segment() is not None]
        key = tuple(
            (r.segment().segment_id(), len(r.deleted_docs_set) if r.has_deletions() else 0)
            for r, _ in leaves
        )
        if self._live is not None and self._live[0] == key:
            return self._live[1]
        every = self.all_ids(reader)
        if every is None:
            return None
        deleted: set[int] = set()
        for segreader, offset in leaves:
            if segreader.has_deletions():
                deleted.update(docnum + offset for docnum in segreader.deleted_docs_set)
        live = {paper_id: n for n, paper_id in enumerate(every.tolist()) if n not in deleted}
        self._live = (key, live)
        return live

    def docnums_of(self, reader: Any, ids: Iterable[str]) -> NDArray[np.intp] | None:
        """The live global docnums of these papers (ascending; unknown ids left out), or None
        while some segment's ids are not known. Each segment's id -> docnum table is made
        once (segments never change), so a few ids cost a few lookups a segment even right
        after a commit, where `live_docnums` would rebuild its map of every paper."""
        import numpy as np

        tables = []
        for segreader, offset in reader.leaf_readers():
            segment = segreader.segment()
            if segment is None:
                continue
            table = self._id_table(segment.segment_id())
            if table is None:
                return None
            deleted = segreader.deleted_docs_set if segreader.has_deletions() else ()
            tables.append((table, deleted, offset))
        # Newest segments first: the papers asked for (arrived since a watch was seen) are in
        # them, and so is the live version of a paper replaced since.
        tables.reverse()
        found = []
        for paper_id in ids:
            for table, deleted, offset in tables:
                local = table.get(paper_id)
                if local is not None and local not in deleted:
                    found.append(local + offset)
                    break
        return np.sort(np.asarray(found, dtype=np.intp))

    def _id_table(self, segment_id: str) -> dict[str, int] | None:
        table = self._id_docnums.get(segment_id)
        if table is None:
            ids_of_segment = self._id_lists.get(segment_id)
            if ids_of_segment is None:
                return None
            table = {paper_id: n for n, paper_id in enumerate(ids_of_segment)}
            self._id_docnums[segment_id] = table
        return table

    def writer_docnums(self, segments: list[Any], ids: Iterable[str]) -> list[int] | None:
        """The live docnums of these papers in a writer's numbering (its `segments`, in order),
        or None when some segment's ids are not known (another process committed it). An
        update deletes these and adds the new versions: Whoosh's `update_document` looks
        each id up in every segment's term table instead, ~50 µs a segment, i.e. most of
        indexing 1,000 new papers at 100k (tests/bench)."""
        tables = []
        base = 0
        for segment in segments:
            table = self._id_table(segment.segment_id())
            if table is None:
                return None
            tables.append((table, segment, base))
            base += segment.doc_count_all()
        found = []
        for paper_id in ids:
            for table, segment, offset in tables:
                local = table.get(paper_id)
                if local is not None and not segment.is_deleted(local):
                    found.append(offset + local)
        return found

    def set_id_list(self, segreader: Any, ids: list[str]) -> None:
        self._id_lists[segreader.segment().segment_id()] = ids

    def peek(self, segreader: Any, field: str, term: str) -> Postings | None:
        """The cached postings, if any, without counting as a use."""
        return self._entries.get((segreader.segment().segment_id(), field, term))

    def segment_entries(self, segreader: Any) -> dict[tuple[str, str], Postings]:
        """Every cached (field, term) of one segment (what the warm-up saves to disk)."""
        segment_id = segreader.segment().segment_id()
        return {(f, t): entry for (s, f, t), entry in self._entries.items() if s == segment_id}

    def put(self, segreader: Any, field: str, term: str, entry: Postings) -> None:
        """Remember postings decoded elsewhere (the warm-up thread, through its own reader)."""
        self._store((segreader.segment().segment_id(), field, term), entry)

    def _store(self, key: tuple[str, str, str], entry: Postings) -> None:
        self._entries[key] = entry
        self.size += len(entry[0])
        while self.size > self.budget and len(self._entries) > 1:
            _, (old_ids, _) = self._entries.popitem(last=False)
            self.size -= len(old_ids)

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

    def phrase_matches(
        self, segreader: Any, field: str, terms: tuple[str, ...], slop: int
    ) -> NDArray[np.uint32] | None:
        """Every local docnum of the segment with the phrase, if it was verified before."""
        key = (segreader.segment().segment_id(), field, terms, slop)
        found = self._phrases.get(key)
        if found is not None:
            self._phrases.move_to_end(key)
        return found

    def put_phrase_matches(
        self, segreader: Any, field: str, terms: tuple[str, ...], slop: int, docs: list[int]
    ) -> None:
        """Remember a phrase's matches in a segment, once every candidate was verified."""
        import numpy as np

        key = (segreader.segment().segment_id(), field, terms, slop)
        self._phrases[key] = np.array(docs, dtype=np.uint32)
        while len(self._phrases) > CACHE_PHRASES:
            self._phrases.popitem(last=False)

    def forget_segments(self, keep: set[str]) -> None:
        """Drop the paper ids of segments that merges have removed."""
        for segment_id in [s for s in self._paper_ids if s not in keep]:
            del self._paper_ids[segment_id]
        for segment_id in [s for s in self._id_lists if s not in keep]:
            del self._id_lists[segment_id]
        for segment_id in [s for s in self._id_docnums if s not in keep]:
            del self._id_docnums[segment_id]
        for key in [k for k in self._doc_frequency if k[0] not in keep]:
            del self._doc_frequency[key]
        for phrase in [k for k in self._phrases if k[0] not in keep]:
            del self._phrases[phrase]

    def get(
        self,
        reader: Any,
        field: str,
        term: str,
        check: Callable[[], None] | None = None,
        leaves: Set[int] | None = None,
    ) -> list[Postings]:
        """Per leaf reader (in `leaf_readers` order): the postings of `term` in `field`, only
        in the leaves numbered in `leaves` (None: all; the others are empty).
        `check` is called before each segment's postings are decoded (it may raise to stop)."""
        out = []
        for leaf, (segreader, _offset) in enumerate(reader.leaf_readers()):
            segment = segreader.segment()
            if segment is None or (leaves is not None and leaf not in leaves):
                out.append(_empty())  # (None: the EmptyReader of an empty index)
                continue
            key = (segment.segment_id(), field, term)
            entry = self._entries.get(key)
            if entry is None:
                if check is not None:
                    check()
                entry = decode(segreader, field, term)
                self._store(key, entry)
            else:
                self._entries.move_to_end(key)
            out.append(entry)
        return out


def _empty() -> Postings:
    import numpy as np

    return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32)


def decode(segreader: Any, field: str, term: str) -> Postings:
    """All postings of one term in one segment, read block by block.

    Uses the Whoosh 3 codec's block reader directly (whoosh-reloaded is pinned below 2.8 and
    no longer changes): the public matcher API costs a Python call per posting."""
    import numpy as np

    btext = term.encode("utf-8")
    if (field, btext) not in segreader:
        return _empty()
    matcher = segreader._terms.matcher(field, btext, segreader.schema[field].format)
    # Docnums are stored as they are (`_byteids`, fixed for a matcher) or, per block, as gaps
    # from the previous docnum (the first from 0): those are summed with numpy below, not by
    # Whoosh's per-posting generator.
    raw: array[int] = array("I")
    weights: array[float] = array("f")
    starts: list[int] = []  # where each block begins in `raw`
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        starts.append(len(raw))
        raw.extend(matcher._data[0])
        matcher._read_weights()
        weights.extend(matcher._weights)
        matcher._next_block()
    ids = np.frombuffer(raw, dtype=np.uint32)
    if starts and not matcher._byteids:
        ids = _undelta(ids, starts)
    # The BM25 term-frequency part, k1 = 1.2, without length normalisation (b = 0).
    w = np.frombuffer(weights, dtype=np.float32).astype(np.float64)
    tf_part = (w * (_K1 + 1.0) / (w + _K1)).astype(np.float32)
    return ids, tf_part


def _undelta(gaps: NDArray[np.uint32], starts: list[int]) -> NDArray[np.uint32]:
    """Docnums from per-block gaps: a running sum that restarts at each block's start."""
    import numpy as np

    sums = np.cumsum(gaps, dtype=np.int64)
    at = np.asarray(starts, dtype=np.intp)
    before = np.zeros(len(at), dtype=np.int64)
    before[1:] = sums[at[1:] - 1]
    lengths = np.diff(np.append(at, len(gaps)))
    return (sums - np.repeat(before, lengths)).astype(np.uint32)


def read_positions(
    segreader: Any, field: str, term: str, wanted: list[int]
) -> dict[int, list[int]]:
    """The positions of `term` in `field` for the (sorted, local) docnums `wanted`, reading only
    the posting blocks that can hold them (same codec internals as `decode`)."""
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
