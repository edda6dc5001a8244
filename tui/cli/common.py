"""What the subcommands share: the exit codes, the user-facing error, small helpers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

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
