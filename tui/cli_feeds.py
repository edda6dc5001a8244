"""`feedtui fetch` and `feedtui feeds ...`: refreshing and editing the feed list headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.config import FEED_KINDS, ConfigError, FeedConfig, load_config
from tui.config_edit import add_feed, remove_feed
from tui.library import Library
from tui.refresh import FeedReport, feed_url, local_time, next_refresh
from tui.sources import ParseError
from tui.sources.opml import OutlineFeed, parse_opml, write_opml


class FeedCommandError(Exception):
    """A user-facing failure; its text is printed as is."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="refresh feeds headless (for cron); exit 0 all ok, 1 some failed, 2 all failed",
    )
    fetch.add_argument(
        "--feed", action="append", metavar="NAME", help="only this feed (repeatable)"
    )
    fetch.add_argument("--force", action="store_true", help="fetch even feeds that are fresh")
    fetch.set_defaults(run=cmd_fetch)

    feeds = commands.add_parser("feeds", help="list, add, remove, import or export feeds")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the configured feeds and how they last went")
    listing.set_defaults(run=cmd_feeds_list)
    add = actions.add_parser("add", help="add a feed to the config (comments are kept)")
    add.add_argument("name")
    add.add_argument("kind", choices=FEED_KINDS)
    add.add_argument("--url", default="", help="feed URL (kind feed), or an endpoint override")
    add.add_argument("--categories", default="", help="arXiv categories, e.g. cs.LG+cs.CL")
    add.add_argument("--query", default="", help="arXiv API search_query (kind arxiv_query)")
    add.add_argument("--refresh-minutes", type=int, default=None)
    add.set_defaults(run=cmd_feeds_add)
    remove = actions.add_parser("remove", help="remove a feed from the config (papers stay)")
    remove.add_argument("name")
    remove.set_defaults(run=cmd_feeds_remove)
    opml_in = actions.add_parser("import", help="add the feeds of an OPML file")
    opml_in.add_argument("file", type=Path)
    opml_in.set_defaults(run=cmd_feeds_import)
    opml_out = actions.add_parser("export", help="print the feed list as OPML")
    opml_out.set_defaults(run=cmd_feeds_export)


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    def started(name: str) -> None:
        if sys.stderr.isatty():
            print(f"{name}: fetching…", file=sys.stderr, flush=True)

    def done(report: FeedReport) -> None:
        print(report.line(), flush=True)

    reports = library.refresh(args.feed, force=args.force, on_start=started, on_done=done)
    failed = sum(not r.ok for r in reports)
    if not reports:
        print("no feeds configured (see `feedtui feeds add --help`)", file=sys.stderr)
        return 0
    if failed == 0:
        return 0
    return 2 if failed == len(reports) else 1


def cmd_feeds_list(library: Library, args: argparse.Namespace) -> int:
    states = library.store.feed_states()
    for feed in library.config.feeds:
        state = states.get(feed.name)
        print(f"{feed.name}  ({feed.kind})  {_describe_source(feed)}")
        if state is None or not state.last_attempt:
            print("    never fetched")
            continue
        print(f"    last success: {local_time(state.last_success) or 'never'}", end="")
        if state.added_last is not None:
            print(f"  ({state.added_last} new, {state.updated_last or 0} updated)", end="")
        print()
        if state.last_error:
            print(f"    last error:   {state.last_error}  (at {local_time(state.last_error_at)})")
        upcoming = next_refresh(feed, state, library.config.refresh_minutes)
        print(f"    next refresh: {local_time(upcoming) or 'now'}")
    return 0


def _describe_source(feed: FeedConfig) -> str:
    try:
        return feed_url(feed)
    except ValueError as error:
        return str(error)


def _config_path(library: Library) -> Path:
    return library.paths.config_file


def cmd_feeds_add(library: Library, args: argparse.Namespace) -> int:
    categories = tuple(c for c in args.categories.replace(",", "+").split("+") if c)
    feed = FeedConfig(
        name=args.name,
        kind=args.kind,
        url=args.url,
        categories=categories,
        search_query=args.query,
        refresh_minutes=args.refresh_minutes,
    )
    _edit(lambda path: add_feed(path, feed), library)
    print(f"added feed {feed.name!r}; fetch it with `feedtui fetch --feed {feed.name}`")
    return 0


def cmd_feeds_remove(library: Library, args: argparse.Namespace) -> int:
    _edit(lambda path: remove_feed(path, args.name), library)
    print(f"removed feed {args.name!r} (its papers stay in the library)")
    return 0


def cmd_feeds_import(library: Library, args: argparse.Namespace) -> int:
    try:
        outlines = parse_opml(args.file.read_bytes())
    except OSError as error:
        raise FeedCommandError(f"cannot read {args.file}: {error.strerror}") from error
    except ParseError as error:
        raise FeedCommandError(f"{args.file}: {error}") from error
    existing = {f.url for f in load_config(_config_path(library)).feeds if f.url}
    names = {f.name for f in load_config(_config_path(library)).feeds}
    added = 0
    for outline in outlines:
        if outline.url in existing:
            continue
        name = _unique_name(outline.title or outline.url, names)
        names.add(name)
        feed = FeedConfig(name=name, kind="feed", url=outline.url)
        _edit(lambda path, feed=feed: add_feed(path, feed), library)
        added += 1
    print(f"imported {added} feed{'s' if added != 1 else ''} from {args.file}")
    return 0


def cmd_feeds_export(library: Library, args: argparse.Namespace) -> int:
    outlines = [OutlineFeed(title=f.name, url=feed_url(f)) for f in library.config.feeds]
    sys.stdout.write(write_opml(outlines).decode("utf-8"))
    return 0


def _unique_name(title: str, taken: set[str]) -> str:
    base = "-".join(title.lower().split())[:40] or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _edit(change: object, library: Library) -> None:
    assert callable(change)
    try:
        change(_config_path(library))
    except (ValueError, ConfigError) as error:
        raise FeedCommandError(str(error)) from error
    except OSError as error:
        raise FeedCommandError(f"cannot write {_config_path(library)}: {error.strerror}") from error
