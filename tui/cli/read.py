"""`feedtui read ID` prints a paper's full text (for pipes and `less`); `feedtui cache` sizes or
clears the texts kept for offline reading."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import EXIT_ERROR, EXIT_OK, usage_error
from tui.fulltext import FullTextUnavailable, for_library, markdown_to_text
from tui.library import Library
from tui.model import canonical_arxiv_id

_TEXT_WIDTH = 100


def add_parser(commands: argparse._SubParsersAction) -> None:
    read = commands.add_parser(
        "read",
        help="print a paper's full text (from the cache when it is there); exit 1 when no "
        "source has it",
        description="Print a paper's full text: from the cache in the data dir when it is "
        "there, else fetched from fulltext_sources (Hugging Face's Markdown, then arXiv's HTML) "
        "and cached. When no source has it, one line with the PDF link on stderr and exit 1.",
    )
    read.add_argument("paper", metavar="ID", help="an arXiv id or URL, or a stored paper's id")
    read.add_argument(
        "--format",
        choices=("markdown", "text"),
        default="markdown",
        help="markdown (as fetched, made safe; the default) or text laid out for reading",
    )
    read.add_argument("--refresh", action="store_true", help="fetch again even when cached")
    read.set_defaults(run=cmd_read)
    cache = commands.add_parser(
        "cache", help="the full texts kept for offline reading: --size or --clear"
    )
    what = cache.add_mutually_exclusive_group(required=True)
    what.add_argument("--size", action="store_true", help="how many texts and how many MB")
    what.add_argument("--clear", action="store_true", help="remove every cached text")
    cache.set_defaults(run=cmd_cache)


def cmd_read(library: Library, args: argparse.Namespace) -> int:
    paper_id = library.resolve_id(args.paper) or canonical_arxiv_id(args.paper)
    if paper_id is None:
        return usage_error(f"{args.paper!r} is neither an arXiv id nor a stored paper")
    entry = library.get(paper_id)
    pdf_url = entry.paper.pdf_url if entry is not None else ""
    try:
        text = for_library(library).get(paper_id, pdf_url, refresh=args.refresh)
    except FullTextUnavailable as error:
        where = f"; the PDF: {error.pdf_url}" if error.pdf_url else ""
        print(f"feedtui: {error}{where}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "text":
        sys.stdout.write(markdown_to_text(text.markdown, _TEXT_WIDTH))
    else:
        sys.stdout.write(text.markdown)
    return EXIT_OK


def cmd_cache(library: Library, args: argparse.Namespace) -> int:
    cache = library.texts
    if args.clear:
        removed = library.clear_fulltexts()
        print(f"removed {removed} cached full text{'s' if removed != 1 else ''}")
        return EXIT_OK
    size = cache.size()
    cap = library.config.fulltext_cache_mb
    print(
        f"{size.texts} full text{'s' if size.texts != 1 else ''}, "
        f"{size.bytes / 1_000_000:.1f} MB of {cap} MB ({cache.directory})"
    )
    return EXIT_OK
