"""What killed or failed builds leave behind, and how the index says a build could not finish.

A rebuild writes a new ``ix-*`` directory under the build lock (``build.lock``, an flock the
kernel drops when its process dies, even by kill -9) and switches to it with meta.json. A build
killed before the switch leaves its partial directory: 10 kills left 135 MB beside a 73 MB
index, and on a nearly full disk every later build then ran out of space. So before a build, and
whenever an index is opened, the directories nobody can be using go:

- the build lock can be taken: no build is running anywhere, so every ``ix-*`` directory but the
  one meta.json names is a dead build's (or an index replaced by a build that was killed before
  it removed the old one);
- the lock is held: a live feedtui is building into one of them; everything is left alone.

Temporary meta.json files (``.meta.json.<pid>.<token>.tmp``) go when their process is gone.

An update that cannot be written raises IndexWriteFailed with the message (`write_errors`). A
build that cannot finish (disk full...) writes why to ``build-failed.txt`` (best effort: it
is a few bytes), which `PaperIndex.last_failure` reads back for the status line and
`feedtui doctor`; the next successful build removes it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from whoosh.util.filelock import FileLock

from tui.index._files import BUILD_LOCK_FILE, DIR_PREFIX, META_FILE, read_meta
from tui.index._types import IndexWriteFailed

FAILED_FILE = "build-failed.txt"


def remove_leftovers(index_dir: Path, *, lock_held: bool = False) -> list[str]:
    """Remove the ``ix-*`` directories of dead builds when no build is running: the build lock
    can be taken, or the caller holds it (``lock_held``, a build about to start). Returns the
    names removed. Never raises: it only frees space."""
    try:
        if lock_held:
            return _remove_dead_dirs(index_dir)
        lock = FileLock(str(index_dir / BUILD_LOCK_FILE))
        if not lock.acquire(blocking=False):
            return []  # a live build: its directory is one of them
        try:
            return _remove_dead_dirs(index_dir)
        finally:
            lock.release()
    except OSError:
        return []
    finally:
        _remove_dead_temp_files(index_dir)


def _remove_dead_dirs(index_dir: Path) -> list[str]:
    meta = read_meta(index_dir)
    if meta is None and (index_dir / META_FILE).exists():
        return []  # damaged: which directory is current is unknown; a rebuild sorts it out
    current = meta.dir if meta is not None else ""
    removed = []
    for child in index_dir.iterdir():
        dead = child.name.startswith(DIR_PREFIX) and child.name != current
        if dead and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed


def _remove_dead_temp_files(index_dir: Path) -> None:
    with contextlib.suppress(OSError):
        for child in index_dir.glob(f".{META_FILE}.*.tmp"):
            pid = child.name.removeprefix(f".{META_FILE}.").split(".", 1)[0]
            if pid.isdigit() and not pid_alive(int(pid)):
                child.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def record_failure(index_dir: Path, error: OSError) -> str:
    """Say why a build could not finish, for the user, and keep it for the next processes."""
    message = build_failed_message(index_dir, error)
    with contextlib.suppress(OSError):
        (index_dir / FAILED_FILE).write_text(message + "\n", encoding="utf-8")
    return message


def read_failure(index_dir: Path) -> str:
    try:
        return (index_dir / FAILED_FILE).read_text(encoding="utf-8").strip()[:500]
    except (OSError, UnicodeDecodeError):
        return ""


def clear_failure(index_dir: Path) -> None:
    with contextlib.suppress(OSError):
        (index_dir / FAILED_FILE).unlink(missing_ok=True)


def build_failed_message(index_dir: Path, error: OSError) -> str:
    reason = error.strerror or str(error) or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        try:
            free = f"; {shutil.disk_usage(index_dir).free // 1_000_000} MB free there"
        except OSError:
            free = ""
        return (
            f"the search index could not be rebuilt: not enough space in {index_dir} "
            f"({reason}{free}). Free some space; feedtui rebuilds it on its next start "
            "(search uses the slower fallback meanwhile)"
        )
    return (
        f"the search index could not be rebuilt ({reason}, in {index_dir}); feedtui tries again "
        "on its next start (search uses the slower fallback meanwhile)"
    )


def write_failed_message(error: OSError) -> str:
    reason = error.strerror or str(error) or type(error).__name__
    return (
        f"the search index could not be written ({reason}); it is out of date and will be "
        "rebuilt on the next start (search uses the slower fallback meanwhile)"
    )


@contextlib.contextmanager
def write_errors() -> Iterator[None]:
    """An update's or a deletion's OSError (disk full, read-only cache...) as IndexWriteFailed,
    with the message for the user: the index is derived, the store is intact."""
    try:
        yield
    except OSError as error:
        raise IndexWriteFailed(write_failed_message(error)) from error
