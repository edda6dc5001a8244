"""Cache files kept next to a Whoosh segment ("sidecars"): what feedtui derived from the segment
once (its paper ids, its vocabulary, its decoded postings), read back in milliseconds by the next
open instead of being computed again through Whoosh.

A segment never changes once written, so a sidecar named after the segment's id stays valid for
as long as the segment exists. Each file is::

    magic (4 bytes) | crc32 of the body (4 bytes, big-endian) | body

written to a temporary name and moved into place (a reader never sees half a file), and ignored
when its magic or checksum is wrong: a damaged cache is computed again, never trusted. They are
only caches: a read-only or full disk just means no speed-up.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import secrets
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# What reading the file or decoding a foreign body may raise (marshal, numpy.frombuffer).
_BAD_BODY = (OSError, ValueError, EOFError, TypeError)


class Sidecar:
    """One kind of cache file: ``<prefix><segment id>.bin`` in the index directory."""

    def __init__(self, prefix: str, magic: bytes) -> None:
        assert len(magic) == 4
        self.prefix = prefix
        self.magic = magic

    def path(self, segreader: Any, ix_path: Path) -> Path:
        return ix_path / f"{self.prefix}{segreader.segment().segment_id()}.bin"

    def load(
        self, segreader: Any, ix_path: Path, decode: Callable[[memoryview], T | None]
    ) -> T | None:
        """`decode(body)` of this segment's file, or None when there is no valid file (missing,
        damaged, or `decode` refused it by raising or returning None)."""
        with contextlib.suppress(*_BAD_BODY):
            data = self.path(segreader, ix_path).read_bytes()
            body = memoryview(data)[8:]
            if data[:4] == self.magic and int.from_bytes(data[4:8], "big") == zlib.crc32(body):
                return decode(body)
        return None

    def save(self, segreader: Any, ix_path: Path, body: bytes) -> None:
        """Write this segment's file atomically; best effort."""
        path = self.path(segreader, ix_path)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        with contextlib.suppress(OSError):
            tmp.write_bytes(self.magic + zlib.crc32(body).to_bytes(4, "big") + body)
            os.replace(tmp, path)

    def load_object(self, segreader: Any, ix_path: Path) -> Any:
        """The object `save_object` wrote for this segment, or None."""
        return self.load(segreader, ix_path, marshal.loads)

    def save_object(self, segreader: Any, ix_path: Path, value: Any) -> None:
        """Save plain data (lists, dicts, tuples of str and int) in marshal format, which loads
        in C."""
        self.save(segreader, ix_path, marshal.dumps(value))

    def remove_stale(self, ix_path: Path, reader: Any) -> None:
        """Delete the files of segments that `reader` no longer has (merged away)."""
        current = {
            self.path(segreader, ix_path).name
            for segreader, _ in reader.leaf_readers()
            if segreader.segment() is not None
        }
        with contextlib.suppress(OSError):
            for child in ix_path.iterdir():
                if child.name.startswith(self.prefix) and child.name not in current:
                    child.unlink(missing_ok=True)
