"""Decoded postings kept on disk next to their segment, so that the warm-up after the first
open of an index reads them back in milliseconds instead of decoding them again.

Decoding Whoosh's pickled posting blocks costs ~1.7 µs a posting: warming the 3 million
postings the first keystrokes need takes ~5 s of CPU at 100k papers, during which the first
searches of a session decode what they need themselves and share the interpreter with the
warm-up (tests/bench: cold 1-3 letter prefixes p95 ~80 ms, warm ~12 ms). A segment never
changes once written, so what the warm-up decoded is saved once per segment (numpy arrays in
one checksummed file) and loaded by the next warm-up."""

from __future__ import annotations

import contextlib
import marshal
import os
import secrets
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.index_postings import Postings

_POSTINGS_FILE_PREFIX = "feedtui-post-"
_MAGIC = b"FTP1"


def _path(segreader: Any, ix_path: Path) -> Path:
    return ix_path / f"{_POSTINGS_FILE_PREFIX}{segreader.segment().segment_id()}.bin"


def load_postings(segreader: Any, ix_path: Path) -> dict[tuple[str, str], Postings] | None:
    """The saved postings of this segment by (field, term), or None when there is no valid
    file. The arrays are read-only views of one buffer."""
    import numpy as np  # here: this module is imported on the startup path, numpy is not

    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = _path(segreader, ix_path).read_bytes()
        body = memoryview(data)[8:]
        if data[:4] != _MAGIC or int.from_bytes(data[4:8], "big") != zlib.crc32(body):
            return None
        header_len = int.from_bytes(body[:8], "big")
        header = marshal.loads(body[8 : 8 + header_len])
        total = int(header["total"])
        at = 8 + header_len
        ids = np.frombuffer(body, dtype=np.uint32, count=total, offset=at)
        tf = np.frombuffer(body, dtype=np.float32, count=total, offset=at + 4 * total)
        return {
            (field, term): (ids[start:end], tf[start:end])
            for field, term, start, end in header["terms"]
        }
    return None


def save_postings(segreader: Any, ix_path: Path, entries: dict[tuple[str, str], Postings]) -> None:
    """Save `entries` (this segment's decoded postings) for the next warm-up; best effort."""
    import numpy as np

    terms = []
    at = 0
    for (field, term), (ids, _) in entries.items():
        terms.append((field, term, at, at + len(ids)))
        at += len(ids)
    header = marshal.dumps({"total": at, "terms": terms})
    header += b"\0" * (-len(header) % 4)  # the arrays start 4-byte aligned
    ids_part = b"".join(ids.astype(np.uint32).tobytes() for ids, _ in entries.values())
    tf_part = b"".join(tf.astype(np.float32).tobytes() for _, tf in entries.values())
    body = len(header).to_bytes(8, "big") + header + ids_part + tf_part
    path = _path(segreader, ix_path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with contextlib.suppress(OSError):  # only a cache: a read-only disk just means no speed-up
        tmp.write_bytes(_MAGIC + zlib.crc32(body).to_bytes(4, "big") + body)
        os.replace(tmp, path)


def remove_stale_postings_files(ix_path: Path, reader: Any) -> None:
    current = {
        _path(segreader, ix_path).name
        for segreader, _ in reader.leaf_readers()
        if segreader.segment() is not None
    }
    with contextlib.suppress(OSError):
        for child in ix_path.iterdir():
            if child.name.startswith(_POSTINGS_FILE_PREFIX) and child.name not in current:
                child.unlink(missing_ok=True)
