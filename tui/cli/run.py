"""The command line's plumbing: the argument parser, the run (the TUI by default, else one
subcommand on the same library, headless), stdout for readers that leave early, the signals
that end a run, and the --sample run's throwaway data dir. Each subcommand group is a module of
tui.cli with ``add_parser(commands)`` and its ``cmd_*`` functions.

Every error is one line on stderr and a non-zero exit; no traceback reaches the user for a
problem they can fix (a bad config, a damaged database, an unknown paper id).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from tui import __version__
from tui.cli import (
    digest,
    doctor,
    export,
    feeds,
    fetch,
    keep,
    mark,
    papis,
    read,
    search,
    similar,
    watch,
)
from tui.cli.common import EXIT_ERROR, EXIT_OK, CommandError, usage_error
from tui.config import ConfigError
from tui.library import Library
from tui.paths import HOME_ENV
from tui.store import StoreError

# SIGHUP: the terminal went away (an SSH drop, a closed tmux pane); SIGTERM: a plain `kill`.
ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)
# After such a signal the app gets this long to end by itself before the process ends anyway.
SIGNAL_GRACE = 5.0
_running_app: Any = None  # the TUI, while it runs (what a signal asks to exit)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedtui",
        description="A terminal reader for trending research papers. "
        "With no command, opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"feedtui {__version__}")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="open the bundled sample of 85 papers in a throwaway data dir, with no network",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (
        search,
        similar,
        mark,
        keep,
        export,
        papis,
        read,
        fetch,
        feeds,
        watch,
        digest,
        doctor,
    ):
        group.add_parser(commands)
    return parser


def run_tui(library: Library) -> int:
    # Imported here: the headless commands never pay for importing Textual.
    from tui.app import FeedApp

    global _running_app
    app = FeedApp(library)
    _running_app = app
    try:
        app.run()
    finally:
        _running_app = None
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    _never_fail_on_output()
    args = build_parser().parse_args(argv)
    undecodable = _undecodable_argument(args)
    if undecodable:
        return usage_error(undecodable)
    if not args.sample:
        with _signals_end_the_run():
            return _run(args)
    # The demo's data dir is thrown away however the run ends: a command, an error, q, a
    # closed terminal or a kill.
    sample_home = tempfile.mkdtemp(prefix="feedtui-sample-")
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = sample_home

    def remove_sample_home() -> None:
        shutil.rmtree(sample_home, ignore_errors=True)

    try:
        with _signals_end_the_run(last_resort=remove_sample_home):
            return _run(args)
    finally:
        remove_sample_home()
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous


def _undecodable_argument(args: argparse.Namespace) -> str:
    """What is wrong with the first argument that is not text, or "".

    Python hands over bytes that are not UTF-8 (``$'\\xff'``) as lone surrogates
    (surrogateescape); they would fail later, deep inside (SQLite, a print), as a
    UnicodeEncodeError. A paper id, a query, a feed name or a URL is text, so such an argument
    is refused here, for every subcommand, in one message. A file name (a Path) may be any
    bytes: it is left alone, and shown escaped when printed (`_never_fail_on_output`)."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and not _is_text(item):
                shown = item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                return f"{name}: '{shown}' is not UTF-8 text (give it as text)"
    return ""


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _never_fail_on_output() -> None:
    """stdout and stderr escape what they cannot encode (a file name that is not UTF-8, a
    terminal that is not UTF-8) instead of raising UnicodeEncodeError mid-command; stderr does
    so already by default."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _run(args: argparse.Namespace) -> int:
    standalone = getattr(args, "run_without_library", None)
    if standalone:
        return _to_stdout(lambda: int(standalone(args)))
    try:
        library = Library.open()
    except (ConfigError, StoreError) as error:
        print(f"feedtui: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.sample:
        # The demo never goes online and never touches the user's own library.
        library.config = replace(library.config, feeds=(), refresh_on_start=False)
        library.sample_mode = True
    try:
        run: Callable[[Library, argparse.Namespace], int] | None = getattr(args, "run", None)
        if run is None:
            return run_tui(library)
        return _to_stdout(lambda: run(library, args))
    except (CommandError, StoreError) as error:
        print(f"feedtui: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        library.close()


def _to_stdout(command: Callable[[], int]) -> int:
    """Run a command that prints, for a reader that may leave early (`feedtui search ... |
    head -1`): that is not a failure. The output is flushed here, so a closed pipe is a
    BrokenPipeError caught here, not one Python reports while flushing at exit (status 120);
    stdout then points at /dev/null so nothing tries again (the documented recipe)."""
    try:
        code = command()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK


@contextlib.contextmanager
def _signals_end_the_run(last_resort: Callable[[], None] | None = None) -> Iterator[None]:
    """While inside, SIGHUP and SIGTERM end feedtui the way q does, so every ``finally`` runs
    (the library closed, the --sample dir removed): the TUI is asked to exit (its workers
    stop), a headless command gets SystemExit. Should the app not be gone SIGNAL_GRACE
    seconds later, ``last_resort`` runs and the process exits. Exit status: 128 + signal."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    received: list[int] = []
    finished = threading.Event()

    def give_up_later(code: int) -> None:
        if finished.wait(SIGNAL_GRACE):
            return
        with contextlib.suppress(Exception):
            if last_resort is not None:
                last_resort()
        os._exit(code)

    def end(signum: int, frame: object) -> None:
        code = 128 + signum
        received.append(signum)
        if len(received) > 1:
            return  # already ending
        threading.Thread(target=give_up_later, args=(code,), daemon=True).start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if _running_app is not None and loop is not None:
            # The handler runs between two steps of the app's event loop: schedule, don't act.
            loop.call_soon_threadsafe(_running_app.exit, None, code)
            return
        raise SystemExit(code)

    previous = {number: signal.signal(number, end) for number in ENDING_SIGNALS}
    try:
        yield
    finally:
        finished.set()
        for number, handler in previous.items():
            signal.signal(number, handler)
