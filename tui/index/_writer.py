"""Writing the index: a full build into a fresh directory, segment by segment, and the writer,
merge policy and commit that updates use. PaperIndex (tui/index/_paper_index) decides when; this
module is how, with the measured reasons for each setting."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from tui.index._ids import compute_segment_ids
from tui.index._schema import document
from tui.index._types import IndexBusy
from tui.index._vocab import Vocabulary
from tui.model import Paper

# A paper's full text by its id ("" when none is kept): the library reads its cache.
Bodies = Callable[[str], str]
PROGRESS_EVERY = 500
# A full build commits a segment every REBUILD_SEGMENT_DOCS papers rather than one segment at
# the end. A commit whose postings fit in the writer's pool sorts them in memory; a bigger one
# spills sorted runs to disk and merges them back in Python at ~10 µs a posting, which was 205 s
# of a 361 s build at 100k papers and kept ~470 MB resident (tests/bench, docs/benchmark.md).
# BULK_LIMIT_MB must hold one segment's postings by Whoosh's estimate (~170 bytes each).
REBUILD_SEGMENT_DOCS = 5_000
# Updates merge this many segments of about the same size into one (see merge_small_segments):
# under TIER_FLOOR_BYTES they count as one size; from MAX_MERGE_BYTES on they are left alone.
MERGE_SMALL_SEGMENTS_AT = 4
TIER_FLOOR_BYTES = 256_000
MAX_MERGE_BYTES = 4_000_000
BULK_LIMIT_MB = 160
# Writers never pack a segment into one compound file: Whoosh reads a compound file's parts
# through BytesIO copies of the whole mmap, i.e. the entire postings end up in anonymous memory
# (~360 MB at 100k papers). Separate files are read with seek/read through the OS page cache.
WRITE_LOCK_TIMEOUT = 2.0  # seconds to wait for another writer before raising IndexBusy


def build(
    path: Path,
    schema: Any,
    papers: Iterable[tuple[Paper, int]],
    total: int,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
    bodies: Bodies,
) -> tuple[int, int] | None:
    """Write a new Whoosh index of `papers` into the (empty) directory `path`, with the
    vocabulary and paper-id caches of its segments. Returns (the highest revision, how many
    papers), or None when `cancel` was set. Nobody reads `path` until meta.json names it."""
    ix = whoosh_index.create_in(str(path), schema)
    writer = ix.writer(limitmb=BULK_LIMIT_MB, compound=False)
    revision = done = 0
    try:
        for paper, paper_revision in papers:
            if cancel is not None and cancel.is_set():
                break
            writer.add_document(**document(paper, bodies(paper.id)))
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
        return None
    writer.commit(merge=False)
    # Cache the new segments' vocabulary and ids now, outside the index lock, so that opening
    # the new index afterwards does not stall searches on the old one.
    with ix.reader() as reader:
        Vocabulary.from_reader(reader, path)
        for segreader, _ in reader.leaf_readers():
            compute_segment_ids(segreader, path)
    ix.close()
    return revision, done


def no_bodies(paper_id: str) -> str:
    """No paper has a full text (an index of summaries only)."""
    return ""


def open_writer(ix: Any) -> Any:
    """A writer for an update; IndexBusy when another process holds the write lock."""
    try:
        return ix.writer(timeout=WRITE_LOCK_TIMEOUT, delay=0.05, compound=False)
    except whoosh_index.LockError as exc:
        raise IndexBusy("another feedtui process is updating the search index") from exc


def segment_bytes(storage: Any, segment: Any) -> int:
    """The size of a segment's files (its postings, terms, lengths...)."""
    prefix = segment.segment_id() + "."
    total = 0
    for name in storage.list():
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                total += storage.file_length(name)
    return total


def merge_tier(size: int) -> int:
    """Which tier of sizes a segment is in: every segment under TIER_FLOOR_BYTES in tier 0,
    then one tier per factor of MERGE_SMALL_SEGMENTS_AT."""
    tier = 0
    while size >= TIER_FLOOR_BYTES * MERGE_SMALL_SEGMENTS_AT**tier:
        tier += 1
    return tier


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy for updates: tiered by size, so that a merge rewrites segments of
    about the same size and every posting is rewritten a few times at most, never each time.

    - A build's segments (REBUILD_SEGMENT_DOCS papers) and any segment of MAX_MERGE_BYTES or
      more are never merged by an update: only a rebuild rewrites them. A merge costs ~2-3 MB
      a second in Whoosh, so this bounds the longest update at a few seconds.
    - Once MERGE_SMALL_SEGMENTS_AT segments are in the same tier of sizes, the lowest such
      tier is merged into one segment of the next tier.

    A full text makes one paper's segment ~200 kB; merging every small segment together, as
    the first policy here did, rewrote every kept text on every fourth one kept (seconds, then
    minutes). Whoosh's default (MERGE_SMALL) merges *every* segment once there are ~22: the
    ~21st update after a build would rewrite the whole index (tests/bench, docs/search.md)."""
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        if segment.doc_count_all() >= REBUILD_SEGMENT_DOCS:
            continue
        size = segment_bytes(writer.storage, segment)
        if size < MAX_MERGE_BYTES:
            tiers.setdefault(merge_tier(size), []).append(segment)
    full = sorted(
        tier for tier, members in tiers.items() if len(members) >= MERGE_SMALL_SEGMENTS_AT
    )
    if not full:
        return segments
    merged = tiers[full[0]]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    gone = {id(segment) for segment in merged}
    return [s for s in segments if id(s) not in gone]


def commit(writer: Any) -> None:
    """Commit an update; when the commit fails (disk full...), give the write lock back, or
    every later update in this process would report "another process is writing"."""
    try:
        writer.commit(mergetype=merge_small_segments)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        lock = getattr(writer, "writelock", None)
        with contextlib.suppress(Exception):
            if lock is not None:
                lock.release()
        raise
