"""`feedtui digest`: what is new in each watch, then what is rising, as Markdown for a mail or
JSON for a script. Reading a digest does not move a watch's "seen" mark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

from tui.cli.common import EXIT_OK, CommandError, ensure_searchable, positive_int
from tui.cli.export import entry_dict
from tui.config import window_hours
from tui.library import Library
from tui.model import Entry, Rise, WatchCount, now_iso

DIGEST_FORMATS = ("markdown", "json")


def add_parser(commands: argparse._SubParsersAction) -> None:
    digest = commands.add_parser(
        "digest", help="new papers per watch and the top rising, for cron and mail"
    )
    digest.add_argument(
        "--since",
        help="papers stored in the last 1d / 7d / 12h, or since a DATE (2026-11-30); "
        "default: new since you last looked at each watch",
    )
    digest.add_argument(
        "--watch", action="append", default=[], metavar="NAME", help="only this watch (repeat)"
    )
    digest.add_argument("--format", choices=DIGEST_FORMATS, default="markdown")
    digest.add_argument("--limit", type=positive_int, default=20, help="papers per watch (20)")
    digest.add_argument("--rising", type=positive_int, default=10, help="rising papers (10)")
    digest.set_defaults(run=cmd_digest)


def parse_since(text: str, now: dt.datetime | None = None) -> str:
    """``1d``/``12h`` before now, or an ISO date/time, as the store's ISO time (UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    hours = window_hours(text)
    if hours is not None:
        return (now - dt.timedelta(hours=hours)).isoformat(timespec="seconds")
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--since {text!r}: give hours or days (12h, 1d, 7d) or a date (2026-11-30)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def cmd_digest(library: Library, args: argparse.Namespace) -> int:
    watches = [library.watch(name) for name in args.watch] or library.watches()
    ensure_searchable(library)
    since = parse_since(args.since) if args.since else ""
    after = library.arrival_before(since) if since else 0
    sections: list[tuple[WatchCount, list[Entry]]] = []
    for watch in watches:
        result = library.watch_results(watch.name, args.limit, new_only=not since, since=after)
        found = library.entries(result.ids)
        new = [found[i] for i in result.ids if i in found]
        sections.append((WatchCount(watch, result.total, library.watch_count(watch).total), new))
    rises = library.rises(since=since)
    top = sorted(rises, key=lambda i: (-rises[i].upvotes, -rises[i].stars))[: args.rising]
    found = library.entries(top)
    rising = [(found[i], rises[i]) for i in top if i in found]
    window = f"since {since}" if since else f"over the last {library.config.rising_window}"
    if args.format == "json":
        print(json.dumps(_json(sections, rising, since), indent=2, ensure_ascii=False))
    else:
        print(_markdown(sections, rising, since, window))
    return EXIT_OK


def _json(
    sections: list[tuple[WatchCount, list[Entry]]], rising: list[tuple[Entry, Rise]], since: str
) -> dict[str, object]:
    return {
        "generated": now_iso(),
        "since": since or None,  # null: new since each watch was last looked at
        "watches": [
            {
                "name": count.watch.name,
                "query": count.watch.query,
                "new": count.new,
                "total": count.total,
                "papers": [entry_dict(entry) for entry in papers],
            }
            for count, papers in sections
        ],
        "rising": [
            {**entry_dict(entry), "rise": {"upvotes": rise.upvotes, "stars": rise.stars}}
            for entry, rise in rising
        ],
    }


# Characters Markdown would read as formatting in a title or a name.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _paper_lines(number: int, entry: Entry, rise: Rise | None = None) -> list[str]:
    paper = entry.paper
    title = f"[{_md(paper.title)}]({paper.url})" if paper.url else _md(paper.title)
    authors = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
    about = " · ".join(x for x in (_md(authors), paper.published) if x)
    lines = [f"{number}. **{title}**" + (f"  \n   {about}" if about else "")]
    links = [f"[{name}]({url})" for name, url in _links(entry) if url]
    counts = []
    if paper.upvotes is not None:
        counts.append(
            f"▲ {paper.upvotes}" + (f" (+{rise.upvotes})" if rise and rise.upvotes else "")
        )
    if paper.github_stars is not None:
        counts.append(
            f"★ {paper.github_stars}" + (f" (+{rise.stars})" if rise and rise.stars else "")
        )
    details = " · ".join([*links, *counts])
    if details:
        lines.append(f"   {details}")
    return lines


def _links(entry: Entry) -> list[tuple[str, str]]:
    paper = entry.paper
    return [("paper", paper.url), ("PDF", paper.pdf_url), ("code", paper.code_url)]


def _markdown(
    sections: list[tuple[WatchCount, list[Entry]]],
    rising: list[tuple[Entry, Rise]],
    since: str,
    window: str,
) -> str:
    lines = [f"# feedtui digest, {now_iso()[:10]}", ""]
    if not sections:
        lines += ['No watches yet: `feedtui watch add NAME "QUERY"` (or w in the reader).', ""]
    for count, papers in sections:
        when = f"since {since}" if since else "since you last looked"
        lines.append(f"## {_md(count.watch.name)}: {count.new} new {when} ({count.total} in all)")
        lines.append(f"`{count.watch.query.replace('`', '')}`")
        lines.append("")
        lines += [line for n, e in enumerate(papers, 1) for line in _paper_lines(n, e)] or [
            "Nothing new."
        ]
        if count.new > len(papers):
            lines.append(f"… and {count.new - len(papers)} more (`--limit` to see more)")
        lines.append("")
    lines.append(f"## Rising {window}")
    lines.append("")
    lines += [
        line for n, (entry, rise) in enumerate(rising, 1) for line in _paper_lines(n, entry, rise)
    ] or ["Nothing rose: the history grows with each refresh that sees upvotes or stars change."]
    return "\n".join(lines).rstrip() + "\n"
