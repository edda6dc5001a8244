"""The command line: the TUI by default, and subcommands that use the same library headless.

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
from tui.cli_feeds import FeedCommandError
from tui.cli_feeds import add_parsers as add_feed_parsers
from tui.config import ConfigError
from tui.doctor import diagnose
from tui.export import EXPORT_FORMATS, export_entries
from tui.library import Library
from tui.paths import HOME_ENV, default_paths
from tui.store import StoreError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
# SIGHUP: the terminal went away (an SSH drop, a closed tmux pane); SIGTERM: a plain `kill`.
ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)
# After such a signal the app gets this long to end by itself before the process ends anyway.
SIGNAL_GRACE = 5.0
_running_app: Any = None  # the TUI, while it runs (what a signal asks to exit)


class CommandError(Exception):
    """A user-facing failure of a subcommand; its text is printed as is."""


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

    search = commands.add_parser("search", help="search the library and print matches")
    search.add_argument("query", nargs="+", help="words and filters, as in the search box")
    search.add_argument("--limit", type=_positive_int, default=20, help="at most N results (20)")
    search.add_argument("--json", action="store_true", help="print a JSON list of objects")
    search.set_defaults(run=cmd_search)

    mark = commands.add_parser("mark", help="mark a paper read/unread/saved/unsaved")
    mark.add_argument(
        "paper",
        help="a paper id, an arXiv id (with or without version), or the paper's arXiv or "
        "Hugging Face URL (arxiv.org/abs/ID, huggingface.co/papers/ID)",
    )
    flags = mark.add_argument_group("marks (at least one)")
    for flag in ("read", "unread", "saved", "unsaved"):
        flags.add_argument(f"--{flag}", action="store_true", help=f"mark it {flag}")
    mark.set_defaults(run=cmd_mark)

    export = commands.add_parser("export", help="print papers as BibTeX, JSON or Markdown")
    export.add_argument("--saved", action="store_true", required=True, help="the saved papers")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="bibtex")
    export.set_defaults(run=cmd_export)
    add_feed_parsers(commands)

    doctor = commands.add_parser(
        "doctor", help="check the data dir, database, index, config and clipboard"
    )
    doctor.set_defaults(run_without_library=cmd_doctor)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    if not library.index_ready:
        library.ensure_index(progress=_stderr_progress("indexing"))
    # Parsed exactly as the search box parses it (the last word is a prefix), so the command
    # line and the box agree on what matches and in which order.
    result = library.search(" ".join(args.query), limit=max(args.limit, 1))
    for hint in result.query.hints:
        print(f"feedtui: {hint}", file=sys.stderr)
    found = library.entries(result.ids[: args.limit])
    entries = [found[i] for i in result.ids[: args.limit] if i in found]
    if args.json:
        print(export_entries(entries, "json"))
        return EXIT_OK
    for entry in entries:
        paper = entry.paper
        print("\t".join([paper.id, paper.title, paper.published or "-", paper.code_url or "-"]))
    if not entries:
        print("no papers match", file=sys.stderr)
    elif result.total > len(entries):
        print(f"{len(entries)} of {result.total} matches (--limit to see more)", file=sys.stderr)
    return EXIT_OK


def cmd_mark(library: Library, args: argparse.Namespace) -> int:
    if (args.read and args.unread) or (args.saved and args.unsaved):
        raise CommandError("choose one of --read/--unread and one of --saved/--unsaved")
    if not (args.read or args.unread or args.saved or args.unsaved):
        raise CommandError("say what to mark: --read, --unread, --saved or --unsaved")
    paper_id = library.resolve_id(args.paper)
    if paper_id is None:
        raise CommandError(f"no paper {args.paper!r} in the library")
    if args.read or args.unread:
        library.set_read(paper_id, args.read)
    if args.saved or args.unsaved:
        library.set_saved(paper_id, args.saved)
    entry = library.get(paper_id)
    assert entry is not None
    marks = ", ".join(["read" if entry.read else "unread", "saved" if entry.saved else "not saved"])
    print(f"{paper_id}: {marks}")
    return EXIT_OK


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    entries = library.saved()
    if not entries:
        print("feedtui: no saved papers (press s on a paper to save it)", file=sys.stderr)
    print(export_entries(entries, args.format))
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    findings = diagnose(default_paths())
    for finding in findings:
        print("\n".join(finding.lines()))
    failed = sum(not f.ok for f in findings)
    print(f"\n{failed} problem{'s' if failed != 1 else ''} found" if failed else "\nall good")
    return EXIT_ERROR if failed else EXIT_OK


def run_tui(library: Library) -> int:
    # Imported here: the headless commands never pay for importing Textual.
    from tui.app.app import FeedApp

    global _running_app
    app = FeedApp(library)
    _running_app = app
    try:
        app.run()
    finally:
        _running_app = None
    return app.return_code or EXIT_OK


def _stderr_progress(what: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{what} {done}/{total}", end="", file=sys.stderr, flush=True)

    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    except (CommandError, FeedCommandError, StoreError) as error:
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


if __name__ == "__main__":
    sys.exit(main())
