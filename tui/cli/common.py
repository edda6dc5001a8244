"""What the subcommands share: the exit codes, the user-facing error, small helpers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.library import Library

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A user-facing failure of a subcommand; its text is printed as is (exit status 1)."""


def usage_error(message: str) -> int:
    """Say what was wrong with the arguments; nothing was done (exit status 2)."""
    print(f"feedtui: {message}", file=sys.stderr)
    return EXIT_USAGE


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def stderr_progress(what: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{what} {done}/{total}", end="", file=sys.stderr, flush=True)

    return report


def ensure_searchable(library: Library) -> None:
    """Bring the index in line before a command that searches (a killed fetch may have left it
    behind); when that cannot be done, say why: the slower search still answers, complete."""
    if not library.index_ready:
        library.ensure_index(progress=stderr_progress("indexing"))
        if library.index_problem:
            print(f"feedtui: {library.index_problem}", file=sys.stderr)
