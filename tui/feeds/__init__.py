"""Fetching feeds: configured feed -> URL -> bounded fetch -> source parser -> library import.

`refresh_feeds` fetches the configured feeds that are due and hands their papers to the
library (`refresh`); `kinds` is what differs between feed kinds (the entries are
`tui.feed_kinds`); `http` is the one bounded fetch; `sources` turns each wire format into
`Paper` records. The library never imports this package: it is called with one.
"""

from __future__ import annotations

from tui.feeds.kinds import KIND_NAMES, KINDS, FeedKind, KindName, feed_url
from tui.feeds.refresh import (
    FeedReport,
    FetchCancelled,
    fetch_feed,
    local_time,
    next_refresh,
    refresh_feeds,
    why_not_due,
)
from tui.feeds.sources import (
    ParseError,
    ParseResult,
    check_not_a_feed,
    field_text,
    local_name,
)

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "FeedKind",
    "FeedReport",
    "FetchCancelled",
    "KindName",
    "ParseError",
    "ParseResult",
    "check_not_a_feed",
    "feed_url",
    "fetch_feed",
    "field_text",
    "local_name",
    "local_time",
    "next_refresh",
    "refresh_feeds",
    "why_not_due",
]
