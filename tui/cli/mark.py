"""`feedtui mark`: set a paper's read and saved marks."""

from __future__ import annotations

import argparse

from tui.cli.common import EXIT_OK, CommandError
from tui.library import Library


def add_parser(commands: argparse._SubParsersAction) -> None:
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
