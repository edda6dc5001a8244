"""`feedtui fetch`: fetch the feeds that are due, headless (for cron), and say how it went."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from tui.cli.common import ensure_searchable, usage_error
from tui.feeds import FeedReport, refresh_feeds
from tui.fulltext import FullTextUnavailable, for_library
from tui.library import Library

# `feedtui fetch`: 0 every feed ok, 1 some failed, 2 all failed. A usage error (an unknown
# --feed, a bad value for `feeds add`) is 2 as well, as argparse's own errors are: either way
# nothing was fetched or written.
FETCH_OK, FETCH_SOME_FAILED, FETCH_ALL_FAILED = 0, 1, 2
FETCH_EXIT_HELP = (
    "exit status: 0 every feed ok (fetched, not modified, or still fresh); 1 some feeds failed; "
    "2 every feed failed (a feed skipped because it failed last time counts as failed), or a "
    "usage error such as an unknown --feed. Successes are printed on stdout, failures on stderr."
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="refresh feeds headless (for cron); exit 0 all ok, 1 some failed, "
        "2 all failed or a usage error",
        description="Refresh the feeds that are due (all of them with --force). " + FETCH_EXIT_HELP,
    )
    fetch.add_argument(
        "--feed", action="append", metavar="NAME", help="only this feed (repeatable)"
    )
    fetch.add_argument("--force", action="store_true", help="fetch even feeds that are fresh")
    fetch.add_argument(
        "--fulltext",
        metavar="saved|watch:NAME",
        help="instead of the feeds, prefetch the full texts of the saved papers or of a "
        "watch's papers for offline reading (0 all ok, 1 some had none, 2 none had one)",
    )
    fetch.set_defaults(run=cmd_fetch)


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    if args.fulltext is not None:
        return prefetch_fulltexts(library, args.fulltext)
    known = [feed.name for feed in library.config.feeds]
    unknown = [name for name in dict.fromkeys(args.feed or ()) if name not in known]
    if unknown:
        return usage_error(f"no feed named {unknown[0]!r} (feeds: {', '.join(known) or 'none'})")

    def started(name: str) -> None:
        if sys.stderr.isatty():
            print(f"{name}: fetching…", file=sys.stderr, flush=True)

    failing: list[str] = []

    def done(report: FeedReport) -> None:
        line = report.line()
        still_failing = ""
        if report.ok and not report.fetched:
            # Skipped (failed last time and not due again yet, or backing off): the feed is
            # still failing, and the run must not look like a success.
            still_failing = library.feed_state(report.name).last_error or ""
        if not report.ok or still_failing:
            failing.append(report.name)
            if still_failing:
                line += f"; last error: {still_failing}"
            print(line, file=sys.stderr, flush=True)
        else:
            print(line, flush=True)

    reports = refresh_feeds(library, args.feed, force=args.force, on_start=started, on_done=done)
    if not reports:
        print("no feeds configured (see `feedtui feeds add --help`)", file=sys.stderr)
        return FETCH_OK
    _say_if_index_behind(library)
    if not failing:
        return FETCH_OK
    return FETCH_ALL_FAILED if len(failing) == len(reports) else FETCH_SOME_FAILED


# A watch's papers to prefetch: enough for a train, not the whole library by accident.
PREFETCH_MAX = 500


def prefetch_fulltexts(library: Library, which: str) -> int:
    """`fetch --fulltext saved|watch:NAME`: each paper's text into the cache, one line each."""
    if which == "saved":
        ids = [entry.paper.id for entry in library.saved()]
    elif which.startswith("watch:") and which.removeprefix("watch:").strip():
        name = which.removeprefix("watch:").strip()
        library.watch(name)  # an unknown watch fails here, with the known names
        ensure_searchable(library)
        ids = library.watch_results(name, PREFETCH_MAX).ids[:PREFETCH_MAX]
    else:
        return usage_error(f"--fulltext takes saved or watch:NAME, not {which!r}")
    if not ids:
        print(f"no papers to fetch texts for ({which})", file=sys.stderr)
        return FETCH_OK
    texts = for_library(library)
    entries = library.entries(ids)
    failed = 0
    for number, paper_id in enumerate(ids, 1):
        where = f"[{number}/{len(ids)}] {paper_id}"
        if texts.from_cache(paper_id) is not None:
            print(f"{where}: cached", flush=True)
            continue
        entry = entries.get(paper_id)
        try:
            text = texts.get(paper_id, entry.paper.pdf_url if entry else "")
        except FullTextUnavailable as error:
            failed += 1
            print(f"{where}: {error}", file=sys.stderr, flush=True)
            continue
        host = urlsplit(text.source).hostname or text.source
        print(f"{where}: fetched from {host}", flush=True)
    if not failed:
        return FETCH_OK
    return FETCH_ALL_FAILED if failed == len(ids) else FETCH_SOME_FAILED


def _say_if_index_behind(library: Library) -> None:
    """Every writer leaves the index in line or says it is not: a small backlog (a killed
    run's, another process's) is caught up here; a large one is left to a rebuild."""
    if not library.index_ready:
        library.ensure_index(rebuild=False)
    if not library.index_ready:
        why = f" ({library.index_problem})" if library.index_problem else ""
        print(
            f"feedtui: the search index is behind the database{why}; the next `feedtui search` "
            "or the reader's start brings it in line",
            file=sys.stderr,
        )
