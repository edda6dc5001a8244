"""Paper ids per segment (local docnum -> paper id), cached in a sidecar file (tui/index/_sidecar).

Whoosh reads a stored field in ~10 µs: 1 s for every id at 100k papers, which a search that
ranks 2,000 papers cold paid in part, and the warm-up thread in full, holding the index lock.
A segment never changes once written, so its ids are read once (at build or commit time, by
a reader no search uses yet) and then loaded from a marshal file in milliseconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.index._sidecar import Sidecar

IDS_FILES = Sidecar("feedtui-ids-", b"FTI1")


def read_segment_ids(segreader: Any, ix_path: Path) -> list[str] | None:
    """The cached ids of this segment (deleted docnums included), or None if not cached."""
    ids = IDS_FILES.load_object(segreader, ix_path)
    if isinstance(ids, list) and len(ids) == segreader.doc_count_all():
        return ids
    return None


def compute_segment_ids(segreader: Any, ix_path: Path) -> list[str]:
    """Read every id of this segment through Whoosh and cache them. `segreader` must not be in
    use by another thread (its files are read with seek/read)."""
    stored = segreader.stored_fields
    ids = [str(stored(docnum).get("id", "")) for docnum in range(segreader.doc_count_all())]
    IDS_FILES.save_object(segreader, ix_path, ids)
    return ids
