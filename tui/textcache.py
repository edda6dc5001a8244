"""The full-text cache: one Markdown file per paper in the data dir, within a size cap.

Below the library (which indexes the cached texts and records which papers have one) and
tui.fulltext (which fetches and converts them): it only keeps files.

Written atomically (tui/fsutil.py), so a crash leaves the old text or the new one. Reading a
text touches its file, and when the cache grows past its cap the texts read least recently
(the oldest modification times) go first. Files are read back only when they are regular files
of a bounded size: the cache is a folder a user (or anything else) can put things in.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tui.fsutil import FileRefused, atomic_write, read_small_file

# The longest text kept (tui.fulltext.convert cuts every text to it).
MARKDOWN_MAX = 2_000_000
SUFFIX = ".md"
# The "source" of a text read back from this cache rather than fetched.
CACHED = "cache"
# A cached text is Markdown we wrote, at most MARKDOWN_MAX characters of up to 4 bytes each.
_FILE_MAX = MARKDOWN_MAX * 4 + 1024
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True)
class CacheSize:
    texts: int
    bytes: int


class FullTextCache:
    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def path(self, paper_id: str) -> Path:
        # arXiv ids hold "/" (hep-th/9901001) and hash ids ":": one flat, safe file name.
        return self.directory / (_UNSAFE_NAME.sub("_", paper_id) + SUFFIX)

    def get(self, paper_id: str, *, touch: bool = True) -> str | None:
        """The cached text, or None; reading it makes it the most recently used (unless not
        ``touch``: the index reading every text in a rebuild is not the user reading them)."""
        path = self.path(paper_id)
        try:
            data = read_small_file(path, _FILE_MAX, "a cached full text")
        except (OSError, FileRefused):
            return None
        if touch:
            with contextlib.suppress(OSError):
                os.utime(path)
        return data.decode("utf-8", errors="replace")

    def has(self, paper_id: str) -> bool:
        return self.path(paper_id).is_file()

    def put(self, paper_id: str, markdown: str) -> int:
        """Store the text; how many others were evicted to stay within the cap."""
        path = self.path(paper_id)
        atomic_write(path, markdown.encode("utf-8"))
        return self.evict(keep=path)

    def _files(self) -> list[tuple[float, int, Path]]:
        found = []
        try:
            entries = list(os.scandir(self.directory))
        except OSError:
            return []
        for entry in entries:
            if not entry.name.endswith(SUFFIX):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.is_file(follow_symlinks=False):
                found.append((info.st_mtime, info.st_size, Path(entry.path)))
        return found

    def evict(self, keep: Path | None = None) -> int:
        """Remove the least recently read texts until the cache fits its cap; how many went.
        ``keep`` (the text just written) stays even when it alone is over the cap."""
        files = sorted(self._files())
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in files:
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                removed += 1
        return removed

    def size(self) -> CacheSize:
        files = self._files()
        return CacheSize(len(files), sum(size for _, size, _ in files))

    def clear(self) -> int:
        """Remove every cached text; how many."""
        removed = 0
        for _, _, path in self._files():
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed
