"""`feedtui export [QUERY]`: the papers a query matches, as BibTeX, RIS, CSV, JSON or Markdown
(tui.exports), to stdout, to a file (written atomically) or to the running Zotero desktop app
(``--to zotero``). ``--saved`` is the query ``is:saved``, as it always was."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_ERROR, EXIT_OK, CommandError, ensure_searchable, usage_error
from tui.exports import EXPORT_FORMATS, EXPORT_MODE, entry_dict, export_entries
from tui.fsutil import atomic_write
from tui.handoff.zotero import ZoteroError, send_bibtex
from tui.library import Library

# entry_dict and export_entries stay importable from here for the other commands' JSON.
__all__ = ["add_parser", "cmd_export", "entry_dict", "export_entries"]


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="print, save or send to Zotero the papers a search matches",
        description="Export every paper QUERY matches (the search box's language: words, "
        'au:"name", is:saved, has:code, year:2024...; no query: every paper).',
    )
    export.add_argument("query", nargs="*", help="words and filters, as in the search box")
    export.add_argument("--saved", action="store_true", help="the saved papers (is:saved)")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="bibtex")
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (atomically), not stdout"
    )
    export.add_argument(
        "--to",
        choices=("zotero",),
        help="send to the running Zotero desktop app (as BibTeX; zotero_connector in the config)",
    )
    export.set_defaults(run=cmd_export)


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    if args.saved:
        text = f"is:saved {text}".strip()
    if args.to and args.output:
        return usage_error("--to zotero sends the papers to Zotero: leave out -o")
    if text:
        ensure_searchable(library)
    entries = library.matching(text)
    if not entries:
        print(f"feedtui: {_nothing(text)}", file=sys.stderr)
    if args.to == "zotero":
        if not entries:
            return EXIT_ERROR
        bibtex = export_entries(entries, "bibtex")
        try:
            result = send_bibtex(library.config.zotero_connector, bibtex, len(entries))
        except ZoteroError as error:
            raise CommandError(str(error)) from None
        print(f"Added to Zotero: {_papers(result.added)}", file=sys.stderr)
        return EXIT_OK
    output = export_entries(entries, args.format)
    if args.output is None:
        sys.stdout.write(output)
        return EXIT_OK
    try:
        atomic_write(args.output, output.encode("utf-8"), EXPORT_MODE)
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from None
    print(f"Exported {_papers(len(entries))} to {args.output}", file=sys.stderr)
    return EXIT_OK


def _nothing(text: str) -> str:
    if text == "is:saved":
        return "no saved papers (press s on a paper to save it)"
    return "no papers match" if text else "no papers stored yet"


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"
