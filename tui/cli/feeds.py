"""`feedtui feeds ...`: list, add, remove, import (OPML) and export the feeds, headless.

The config file is edited in place (comments kept) and checked by the config's own rules, the
problems told in the words the user typed (flags for `add`, OPML attributes for `import`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from tui.cli.common import CommandError, usage_error
from tui.cli.config_edit import add_feeds, remove_feed
from tui.cli.opml import OPML_MAX_BYTES, OutlineFeed, parse_opml, write_opml
from tui.config import (
    ConfigError,
    FeedConfig,
    FeedProblem,
    feed_problem,
    load_config,
    split_categories,
    unknown_kind,
)
from tui.feed_kinds import kind_named
from tui.feeds import KIND_NAMES, ParseError, feed_url, local_time, next_refresh
from tui.fsutil import FileRefused, read_small_file
from tui.library import Library

# `feeds add` flag for each config key, so a problem is told in the words the user typed.
_FLAGS = {
    "name": "NAME",
    "kind": "KIND",
    "url": "--url",
    "categories": "--categories",
    "search_query": "--query",
    "max_results": "--max-results",
    "refresh_minutes": "--refresh-minutes",
}
# OPML attribute for each config key (tui.cli.opml), for an imported outline's problems.
_OPML_ATTRIBUTES = {
    "name": "title",
    "kind": "feedtui:kind",
    "url": "xmlUrl",
    "categories": "feedtui:categories",
    "search_query": "feedtui:query",
    "max_results": "feedtui:maxResults",
    "refresh_minutes": "feedtui:refreshMinutes",
}


def add_parser(commands: argparse._SubParsersAction) -> None:
    feeds = commands.add_parser("feeds", help="list, add, remove, import or export feeds")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the configured feeds and how they last went")
    listing.set_defaults(run=cmd_feeds_list)
    add = actions.add_parser(
        "add",
        help="add a feed to the config (comments are kept)",
        description="Add a feed to the config, checked by the same rules as the config file; "
        "nothing is written when a value is wrong (exit status 2).",
    )
    add.add_argument("name")
    add.add_argument("kind", choices=KIND_NAMES)
    add.add_argument("--url", default="", help="feed URL (kind feed), or an endpoint override")
    add.add_argument(
        "--categories", default="", help="arXiv categories (kind arxiv_rss), e.g. cs.LG+cs.CL"
    )
    add.add_argument("--query", default="", help="arXiv API search_query (kind arxiv_query)")
    add.add_argument(
        "--max-results", type=int, default=100, metavar="N", help="items per request (100)"
    )
    add.add_argument(
        "--refresh-minutes",
        type=int,
        default=None,
        metavar="N",
        help="refresh every N minutes (default: the config's refresh_minutes)",
    )
    add.set_defaults(run=cmd_feeds_add)
    remove = actions.add_parser("remove", help="remove a feed from the config (papers stay)")
    remove.add_argument("name")
    remove.set_defaults(run=cmd_feeds_remove)
    opml_in = actions.add_parser(
        "import", help="add the feeds of an OPML file (those not already there)"
    )
    opml_in.add_argument("file", type=Path)
    opml_in.set_defaults(run=cmd_feeds_import)
    opml_out = actions.add_parser(
        "export", help="print the feed list as OPML (feedtui import restores every kind)"
    )
    opml_out.set_defaults(run=cmd_feeds_export)


def cmd_feeds_list(library: Library, args: argparse.Namespace) -> int:
    states = library.feed_states()
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
    feed = FeedConfig(
        name=args.name,
        kind=args.kind,
        url=args.url,
        categories=tuple(split_categories(args.categories)),
        search_query=args.query,
        max_results=args.max_results,
        refresh_minutes=args.refresh_minutes,
    )
    problem = feed_problem(feed)
    if problem:
        return usage_error(_in_flags(problem))
    _edit(lambda path: add_feeds(path, [feed]), library)
    print(f"added feed {feed.name!r}; fetch it with `feedtui fetch --feed {feed.name}`")
    return 0


def _in_flags(problem: FeedProblem) -> str:
    return problem.message(lambda key: _FLAGS.get(key, key))


def cmd_feeds_remove(library: Library, args: argparse.Namespace) -> int:
    _edit(lambda path: remove_feed(path, args.name), library)
    print(f"removed feed {args.name!r} (its papers stay in the library)")
    return 0


def cmd_feeds_import(library: Library, args: argparse.Namespace) -> int:
    refused: list[str] = []
    try:
        outlines = parse_opml(read_small_file(args.file, OPML_MAX_BYTES, "an OPML file"), refused)
    except FileRefused as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"cannot read {args.file}: {error.strerror}") from error
    except ParseError as error:
        raise CommandError(f"{args.file}: {error}") from error
    try:
        current = load_config(_config_path(library)).feeds
    except ConfigError as error:
        raise CommandError(str(error)) from error
    # A feed is already there when feedtui would fetch the same URL for it: the same arXiv
    # categories, the same query, the same feed (the implicit defaults included).
    sources = {_source(feed): feed.name for feed in current}
    names = {feed.name for feed in current}
    new: list[FeedConfig] = []
    present: list[str] = []
    unusable: list[str] = []
    for outline in outlines:
        feed_or_problem = feed_from_outline(outline, names)
        if isinstance(feed_or_problem, str):
            unusable.append(feed_or_problem)
            continue
        source = _source(feed_or_problem)
        if source in sources:
            present.append(sources[source])
            continue
        sources[source] = feed_or_problem.name
        names.add(feed_or_problem.name)
        new.append(feed_or_problem)
    if new:
        _edit(lambda path: add_feeds(path, new), library)
    if refused:
        # One message for them all: a list of 300 `javascript:` outlines is one line, not 300.
        print(
            f"feedtui: {args.file}: skipped {len(refused)} outline"
            f"{'s' if len(refused) != 1 else ''} whose xmlUrl is refused: {_some(refused)}",
            file=sys.stderr,
        )
    for reason in unusable:
        print(f"feedtui: {args.file}: skipped {reason}", file=sys.stderr)
    print(_import_summary(len(new), present, unusable, len(refused), len(outlines), args.file))
    return 0


def _import_summary(
    added: int, present: list[str], unusable: list[str], refused: int, outlines: int, file: Path
) -> str:
    line = f"imported {added} feed{'s' if added != 1 else ''} from {file}"
    why = []
    if present:
        why.append(f"{len(present)} already present: {_some(present)}")
    if unusable:
        why.append(f"{len(unusable)} not usable (see above)")
    if refused:
        why.append(f"{refused} refused (see above)")
    if not outlines and not refused:
        why.append("the file lists no feed with an http(s) xmlUrl")
    return f"{line} ({'; '.join(why)})" if why else line


def _some(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _source(feed: FeedConfig) -> str:
    try:
        return feed_url(feed)
    except ValueError:
        return f"{feed.kind}:{feed.name}"


def cmd_feeds_export(library: Library, args: argparse.Namespace) -> int:
    outlines = [outline_of(feed) for feed in library.config.feeds]
    sys.stdout.write(write_opml(outlines).decode("utf-8"))
    return 0


def outline_of(feed: FeedConfig) -> OutlineFeed:
    """A configured feed as an OPML outline: its URL for other readers, and feedtui's
    attributes so that `feeds import` rebuilds the same feed (tui.cli.opml)."""
    return OutlineFeed(
        title=feed.name,
        url=feed_url(feed),
        kind=feed.kind,
        categories="+".join(feed.categories),
        search_query=feed.search_query,
        max_results=str(feed.max_results) if feed.max_results != 100 else "",
        refresh_minutes=str(feed.refresh_minutes) if feed.refresh_minutes is not None else "",
    )


def feed_from_outline(outline: OutlineFeed, taken: Collection[str]) -> FeedConfig | str:
    """The feed an outline describes, named apart from ``taken``; or why it cannot be used.

    An outline feedtui wrote (``feedtui:kind``) becomes that kind again, its ``xmlUrl`` kept
    as a ``url`` override only when it is not the URL the kind builds anyway; any other
    outline is a plain RSS/Atom feed. ``taken`` is only looked in (never copied: an import
    calls this once per outline with every name so far)."""
    if not outline.kind:
        name = _unique_name(_slug(outline.title or outline.url), taken)
        feed = FeedConfig(name=name, kind="feed", url=outline.url)
    else:
        shown = outline.title or outline.url
        numbers: dict[str, int | None] = {}
        for key, text, default in (
            ("max_results", outline.max_results, 100),
            ("refresh_minutes", outline.refresh_minutes, None),
        ):
            try:
                numbers[key] = int(text) if text.strip() else default
            except ValueError:
                attribute = _OPML_ATTRIBUTES[key]
                return f"{shown!r}: {attribute} must be a whole number ≥ 1, got {text!r}"
        kind = kind_named(outline.kind)
        if kind is None:
            return f"{shown!r}: " + _in_attributes(unknown_kind(outline.kind))
        feed = FeedConfig(
            name=_unique_name(outline.title.strip() or _slug(outline.url), taken),
            kind=kind,
            categories=tuple(split_categories(outline.categories)),
            search_query=outline.search_query,
            max_results=numbers["max_results"] or 0,
            refresh_minutes=numbers["refresh_minutes"],
        )
        if _source(feed) != outline.url:
            feed = replace(feed, url=outline.url)
    problem = feed_problem(feed)
    if problem:
        shown = outline.title or outline.url
        return f"{shown!r}: " + _in_attributes(problem)
    return feed


def _in_attributes(problem: FeedProblem) -> str:
    return problem.message(lambda key: _OPML_ATTRIBUTES.get(key, key))


def _slug(title: str) -> str:
    return "-".join(title.lower().split())[:40] or "feed"


def _unique_name(base: str, taken: Collection[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _edit(change: Callable[[Path], None], library: Library) -> None:
    try:
        change(_config_path(library))
    except (ValueError, ConfigError) as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"cannot write {_config_path(library)}: {error.strerror}") from error
