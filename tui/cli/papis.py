"""`feedtui papis ID`: add a stored paper to papis with ``papis add --from arxiv ID``."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import EXIT_OK, CommandError
from tui.handoff.papis import PapisError, add_to_papis
from tui.library import Library


def add_parser(commands: argparse._SubParsersAction) -> None:
    papis = commands.add_parser(
        "papis", help="add a paper to papis (papis add --from arxiv ID; papis must be on PATH)"
    )
    papis.add_argument("paper", metavar="ID", help="a stored paper: its id, arXiv id or URL")
    papis.set_defaults(run=cmd_papis)


def cmd_papis(library: Library, args: argparse.Namespace) -> int:
    paper_id = library.resolve_id(args.paper)
    entry = library.get(paper_id) if paper_id else None
    if entry is None:
        raise CommandError(f"no stored paper {args.paper!r} (feedtui search finds ids)")
    if not entry.paper.arxiv_id:
        raise CommandError(f"{entry.paper.id} has no arXiv id: papis add --from arxiv needs one")
    try:
        result = add_to_papis(entry.paper.arxiv_id)
    except PapisError as error:
        raise CommandError(str(error)) from None
    print(f"Added to papis: arXiv:{entry.paper.arxiv_id}", file=sys.stderr)
    if result.output:
        print(result.output, file=sys.stderr)
    return EXIT_OK
