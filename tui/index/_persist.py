"""Decoded postings kept on disk next to their segment, so that the warm-up after the first
open of an index reads them back in milliseconds instead of decoding them again.

Decoding Whoosh's pickled posting blocks costs ~1.7 µs a posting: warming the 3 million
postings the first keystrokes need takes ~5 s of CPU at 100k papers, during which the first
searches of a session decode what they need themselves and share the interpreter with the
warm-up (tests/bench: cold 1-3 letter prefixes p95 ~80 ms, warm ~12 ms). A segment never
changes once written, so what the warm-up decoded is saved once per segment (numpy arrays in
one checksummed sidecar file, tui/index/_sidecar) and loaded by the next warm-up."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.index._sidecar import Sidecar

if TYPE_CHECKING:
    from tui.index._postings import Postings

POSTINGS_FILES = Sidecar("feedtui-post-", b"FTP1")


def load_postings(segreader: Any, ix_path: Path) -> dict[tuple[str, str], Postings] | None:
    """The saved postings of this segment by (field, term), or None when there is no valid
    file. The arrays are read-only views of one buffer."""
    return POSTINGS_FILES.load(segreader, ix_path, _decode)


def _decode(body: memoryview) -> dict[tuple[str, str], Postings]:
    import numpy as np  # here: this module is imported on the startup path, numpy is not

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
    POSTINGS_FILES.save(
        segreader, ix_path, len(header).to_bytes(8, "big") + header + ids_part + tf_part
    )
