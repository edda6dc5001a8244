"""`feedtui watch`: saved searches that count what is new, for status bars, cron and scripts.

A watch's "new" is exact: papers first stored after the user last looked (`watch seen`, or
opening the watch in the TUI). Re-fetching a paper, or another feed bringing it, is not new.
"""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli.common import EXIT_OK, ensure_searchable, positive_int
from tui.cli.export import export_entries
from tui.library import Library
from tui.model import WatchCount


def add_parser(commands: argparse._SubParsersAction) -> None:
    watch = commands.add_parser(
        "watch", help="saved searches that count new papers (add, list, show, seen, remove)"
    )
    actions = watch.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="save a search as a watch")
    add.add_argument("name", help="what to call it (shown in lists and toasts)")
    add.add_argument("query", nargs="+", help="words and filters, as in the search box")
    add.add_argument("--replace", action="store_true", help="change the query of a watch")
    add.set_defaults(run=cmd_add)
    listing = actions.add_parser("list", help="every watch with its new and total counts")
    listing.add_argument("--json", action="store_true", help="print a JSON list of objects")
    listing.set_defaults(run=cmd_list)
    show = actions.add_parser("show", help="the papers a watch matches")
    show.add_argument("name")
    show.add_argument("--new", action="store_true", help="only papers new since last seen")
    show.add_argument("--limit", type=positive_int, default=50, help="at most N papers (50)")
    show.add_argument("--json", action="store_true", help="print a JSON list of objects")
    show.set_defaults(run=cmd_show)
    seen = actions.add_parser("seen", help="count everything the watch matches now as seen")
    seen.add_argument("name")
    seen.set_defaults(run=cmd_seen)
    remove = actions.add_parser("remove", help="delete a watch (no paper is touched)")
    remove.add_argument("name")
    remove.set_defaults(run=cmd_remove)


def cmd_add(library: Library, args: argparse.Namespace) -> int:
    watch = library.add_watch(args.name, " ".join(args.query), replace=args.replace)
    ensure_searchable(library)
    count = library.watch_count(watch)
    verb = "changed" if args.replace else "added"
    print(
        f"watch {watch.name!r} {verb}: {count.total} papers match {watch.query!r}; "
        "papers stored from now on count as new"
    )
    return EXIT_OK


def count_dict(count: WatchCount) -> dict[str, object]:
    watch = count.watch
    return {
        "name": watch.name,
        "query": watch.query,
        "new": count.new,
        "total": count.total,
        "seen_at": watch.seen_at,
        "created": watch.created,
    }


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    ensure_searchable(library)
    counts = library.watch_counts()
    if args.json:
        print(json.dumps([count_dict(c) for c in counts], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not counts:
        print(
            'feedtui: no watches yet: `feedtui watch add NAME "QUERY"` (or w in the reader)',
            file=sys.stderr,
        )
    for count in counts:
        print(
            "\t".join([count.watch.name, f"{count.new} new", str(count.total), count.watch.query])
        )
    return EXIT_OK


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    library.watch(args.name)  # an unknown name fails before any indexing
    ensure_searchable(library)
    result = library.watch_results(args.name, args.limit, new_only=args.new)
    found = library.entries(result.ids[: args.limit])
    entries = [found[i] for i in result.ids[: args.limit] if i in found]
    if args.json:
        sys.stdout.write(export_entries(entries, "json"))
        return EXIT_OK
    for entry in entries:
        paper = entry.paper
        print("\t".join([paper.id, paper.title, paper.published or "-", paper.code_url or "-"]))
    if not entries:
        print("nothing new" if args.new else "no papers match", file=sys.stderr)
    elif result.total > len(entries):
        print(f"{len(entries)} of {result.total} (--limit to see more)", file=sys.stderr)
    return EXIT_OK


def cmd_seen(library: Library, args: argparse.Namespace) -> int:
    library.watch_seen(args.name)
    print(f"watch {args.name!r}: everything it matches now counts as seen")
    return EXIT_OK


def cmd_remove(library: Library, args: argparse.Namespace) -> int:
    library.remove_watch(args.name)
    print(f"watch {args.name!r} removed")
    return EXIT_OK
