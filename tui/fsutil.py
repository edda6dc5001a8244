"""Small files: written so that a crash leaves either the old file or the new one, never half
(`atomic_write`), and read only when they are regular files of a bounded size
(`read_small_file`), so that ``/dev/zero``, a FIFO or a 2 GB file given as a config or an OPML
file is one clear message instead of a hang or a MemoryError."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class FileRefused(ValueError):
    """A file feedtui will not read (not a regular file, or too large); ``str()`` is one line
    for the user that names the file."""


def read_small_file(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    ``what`` says what the file should be ("a config file", "an OPML file") for the message.
    Raises `FileRefused` for anything else (a FIFO, a device such as /dev/zero, a folder, a
    larger file) and OSError (FileNotFoundError...) when the file cannot be opened. The file
    is looked at before it is opened (a device is never opened), opened with O_NONBLOCK (a
    FIFO put there meanwhile cannot block the open) and checked again on the open descriptor;
    at most ``max_bytes + 1`` bytes are ever read, whatever the file claims its size is."""
    _check(path, os.stat(path), max_bytes, what)
    fd = os.open(path, _READ_FLAGS)
    try:
        _check(path, os.fstat(fd), max_bytes, what)
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew after the check
        raise FileRefused(_too_large(path, max_bytes, what))
    return b"".join(chunks)


def _check(path: Path, info: os.stat_result, max_bytes: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"{path} is not a regular file")
    if info.st_size > max_bytes:
        raise FileRefused(_too_large(path, max_bytes, what))


def _too_large(path: Path, max_bytes: int, what: str) -> str:
    return f"{path} is larger than {max_bytes / 1_000_000:g} MB: not {what}"


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, os.replace.
    The file is private (0600, as mkstemp makes it) unless ``mode`` says otherwise (an export
    meant for other programs: 0o644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    # The rename itself is durable only once the folder entry is on disk.
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
