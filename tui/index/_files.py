"""The index's files: meta.json (which index directory is current, of which schema and store
revision; replaced atomically) and opening a searcher on the latest commit.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from tui.fsutil import read_small_file

META_FILE = "meta.json"
BUILD_LOCK_FILE = "build.lock"
DIR_PREFIX = "ix-"


@dataclass(frozen=True, slots=True)
class Meta:
    schema: int
    revision: int
    dir: str


def read_meta(index_dir: Path) -> Meta | None:
    try:
        # A regular file of at most 64 KB (a FIFO put there would block every start).
        raw = json.loads(read_small_file(index_dir / META_FILE, 64_000, "index meta").decode())
        meta = Meta(int(raw["schema"]), int(raw["revision"]), str(raw["dir"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not meta.dir.startswith(DIR_PREFIX) or "/" in meta.dir or "\\" in meta.dir:
        return None
    return meta


def write_meta(index_dir: Path, meta: Meta) -> None:
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


def segment_ids(reader: Any) -> set[str]:
    return {
        segreader.segment().segment_id()
        for segreader, _ in reader.leaf_readers()
        if segreader.segment() is not None
    }


def fresh_searcher(ix: Any, old: Any | None) -> tuple[Any, list[Any]]:
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
