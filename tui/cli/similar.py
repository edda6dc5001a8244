"""`feedtui similar` ("more like this") and `feedtui recommend` ("for you"): ranked papers with
the shared key terms that explain each, from the local index."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from tui.cli.common import EXIT_OK, CommandError, positive_int, stderr_progress
from tui.cli.export import entry_dict
from tui.library import Library
from tui.model import Related

NOTHING_SAVED = (
    "nothing saved yet: press s on papers you like in the reader, or "
    "`feedtui mark ID --saved`, then try again"
)
BECAUSE_SEP = " · "


def add_parser(commands: argparse._SubParsersAction) -> None:
    similar = commands.add_parser(
        "similar", help="papers like one paper, with the key terms they share"
    )
    similar.add_argument(
        "paper",
        help="a paper id, an arXiv id (with or without version), or the paper's arXiv or "
        "Hugging Face URL",
    )
    _common_options(similar)
    similar.set_defaults(run=cmd_similar)
    recommend = commands.add_parser(
        "recommend", help="unread papers like the ones you saved, with the words that explain each"
    )
    _common_options(recommend)
    recommend.set_defaults(run=cmd_recommend)


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=positive_int, default=20, help="at most N papers (20)")
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list (search --json's, plus because)"
    )


def _index_in_line(library: Library) -> None:
    if not library.index_ready:
        library.ensure_index(progress=stderr_progress("indexing"))
        if library.index_problem:  # the answer comes from the index as it is
            print(f"feedtui: {library.index_problem}", file=sys.stderr)


def cmd_similar(library: Library, args: argparse.Namespace) -> int:
    paper_id = library.resolve_id(args.paper)
    if paper_id is None:
        raise CommandError(f"no paper {args.paper!r} in the library")
    _index_in_line(library)
    found = library.similar(paper_id, args.limit)
    _print(library, found, args.json)
    if not found and not args.json:
        print("no similar papers (nothing else shares its key terms)", file=sys.stderr)
    return EXIT_OK


def cmd_recommend(library: Library, args: argparse.Namespace) -> int:
    if not library.counts().saved:
        print(f"feedtui: {NOTHING_SAVED}", file=sys.stderr)
        if args.json:
            print("[]")
        return EXIT_OK
    _index_in_line(library)
    found = library.recommend(args.limit)
    _print(library, found, args.json)
    if not found and not args.json:
        print("no unread papers like the saved ones", file=sys.stderr)
    return EXIT_OK


def _print(library: Library, found: Sequence[Related], as_json: bool) -> None:
    entries = library.entries([r.id for r in found])
    shown = [(r, entries[r.id]) for r in found if r.id in entries]
    if as_json:
        objects = [{**entry_dict(entry), "because": list(r.because)} for r, entry in shown]
        print(json.dumps(objects, indent=2, ensure_ascii=False))
        return
    for related, entry in shown:
        paper = entry.paper
        because = "because: " + BECAUSE_SEP.join(related.because)
        print(
            "\t".join(
                [paper.id, paper.title, paper.published or "-", paper.code_url or "-", because]
            )
        )
