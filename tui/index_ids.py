"""Paper ids per segment (local docnum -> paper id), cached in a file next to the segment.

Whoosh reads a stored field in ~10 µs: 1 s for every id at 100k papers, which a search that
ranks 2,000 papers cold paid in part, and the warm-up thread in full, holding the index lock.
A segment never changes once written, so its ids are read once (at build or commit time, by
a reader no search uses yet) and then loaded from a marshal file in milliseconds."""

from __future__ import annotations

import contextlib
import marshal
import os
import secrets
import zlib
from pathlib import Path
from typing import Any

_IDS_FILE_PREFIX = "feedtui-ids-"
_IDS_MAGIC = b"FTI1"


def _ids_path(segreader: Any, ix_path: Path) -> Path:
    return ix_path / f"{_IDS_FILE_PREFIX}{segreader.segment().segment_id()}.bin"


def read_segment_ids(segreader: Any, ix_path: Path) -> list[str] | None:
    """The cached ids of this segment (deleted docnums included), or None if not cached."""
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = _ids_path(segreader, ix_path).read_bytes()
        body = data[8:]
        if data[:4] == _IDS_MAGIC and int.from_bytes(data[4:8], "big") == zlib.crc32(body):
            ids = marshal.loads(body)
            if isinstance(ids, list) and len(ids) == segreader.doc_count_all():
                return ids
    return None


def compute_segment_ids(segreader: Any, ix_path: Path) -> list[str]:
    """Read every id of this segment through Whoosh and cache them. `segreader` must not be in
    use by another thread (its files are read with seek/read)."""
    stored = segreader.stored_fields
    ids = [str(stored(docnum).get("id", "")) for docnum in range(segreader.doc_count_all())]
    body = marshal.dumps(ids)
    path = _ids_path(segreader, ix_path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with contextlib.suppress(OSError):  # only a cache: a read-only disk just means no speed-up
        tmp.write_bytes(_IDS_MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
        os.replace(tmp, path)
    return ids


def remove_stale_id_files(ix_path: Path, reader: Any) -> None:
    current = {
        _ids_path(segreader, ix_path).name
        for segreader, _ in reader.leaf_readers()
        if segreader.segment() is not None
    }
    with contextlib.suppress(OSError):
        for child in ix_path.iterdir():
            if child.name.startswith(_IDS_FILE_PREFIX) and child.name not in current:
                child.unlink(missing_ok=True)
