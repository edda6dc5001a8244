"""`feedtui search`: the search box's query language, headless."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import EXIT_OK, ensure_searchable, positive_int
from tui.cli.export import export_entries
from tui.library import Library


def add_parser(commands: argparse._SubParsersAction) -> None:
    search = commands.add_parser("search", help="search the library and print matches")
    search.add_argument("query", nargs="+", help="words and filters, as in the search box")
    search.add_argument("--limit", type=positive_int, default=20, help="at most N results (20)")
    search.add_argument("--json", action="store_true", help="print a JSON list of objects")
    search.set_defaults(run=cmd_search)


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    ensure_searchable(library)
    # Parsed exactly as the search box parses it (the last word is a prefix), so the command
    # line and the box agree on what matches and in which order.
    result = library.search(" ".join(args.query), limit=max(args.limit, 1))
    for hint in result.query.hints:
        print(f"feedtui: {hint}", file=sys.stderr)
    found = library.entries(result.ids[: args.limit])
    entries = [found[i] for i in result.ids[: args.limit] if i in found]
    if args.json:
        sys.stdout.write(export_entries(entries, "json"))
        return EXIT_OK
    for entry in entries:
        paper = entry.paper
        print("\t".join([paper.id, paper.title, paper.published or "-", paper.code_url or "-"]))
    if not entries:
        print("no papers match", file=sys.stderr)
    elif result.total > len(entries):
        print(f"{len(entries)} of {result.total} matches (--limit to see more)", file=sys.stderr)
    return EXIT_OK
