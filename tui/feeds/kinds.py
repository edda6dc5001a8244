"""The feed kinds, fetching side: a configured feed's URL, its parser, its daily rule.

The entries themselves (one per kind) are `tui.feed_kinds.KINDS`, pure data that the config
also reads; this module is what fetching does with an entry. Nothing here names a kind: a new
kind needs its entry there and its parser module in ``tui/feeds/sources/``, nothing here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from tui.config import FeedConfig
from tui.feed_kinds import ARXIV_API, KIND_NAMES, KINDS, FeedKind, KindName
from tui.feeds.sources import ParseResult
from tui.model import FeedState

__all__ = [
    "ARXIV_API",
    "KINDS",
    "KIND_NAMES",
    "FeedKind",
    "KindName",
    "announcement_day",
    "feed_url",
    "fetched_day",
    "fetched_today",
    "kind_of",
    "next_announcement",
    "parser_of",
]

_EASTERN = ZoneInfo("America/New_York")


def kind_of(config: FeedConfig) -> FeedKind:
    return KINDS[config.kind]


def feed_url(config: FeedConfig) -> str:
    """The URL a feed is fetched from; ``url`` in the config overrides it for any kind (a mirror,
    or a local server in tests)."""
    if config.url:
        return config.url
    build = kind_of(config).build_url
    if build is None:
        raise ValueError(f"feed {config.name!r} has no URL")
    return build(config)


def parser_of(config: FeedConfig) -> Callable[[bytes], ParseResult]:
    """The ``parse`` of the source module that reads this feed's bodies."""
    module = importlib.import_module(f"tui.feeds.sources.{kind_of(config).parser}")
    return cast(Callable[[bytes], ParseResult], module.parse)


def announcement_day(now: datetime | None = None) -> str:
    """arXiv listings change once a day at midnight US Eastern: the day they belong to."""
    now = now or datetime.now(UTC)
    return now.astimezone(_EASTERN).date().isoformat()


def fetched_today(config: FeedConfig, state: FeedState, now: datetime) -> bool:
    """A once-a-day feed whose listing of the current announcement day is already stored."""
    return kind_of(config).once_per_announcement_day and state.fetched_day == announcement_day(now)


def fetched_day(config: FeedConfig, state: FeedState, now: datetime) -> str | None:
    """The announcement day to record after a successful fetch (once-a-day feeds only)."""
    if kind_of(config).once_per_announcement_day:
        return announcement_day(now)
    return state.fetched_day


def next_announcement(config: FeedConfig, state: FeedState) -> datetime | None:
    """For a once-a-day feed fetched on some day: the next midnight US Eastern, in UTC."""
    if not (kind_of(config).once_per_announcement_day and state.fetched_day):
        return None
    next_day = datetime.fromisoformat(state.fetched_day).date() + timedelta(days=1)
    midnight = datetime(next_day.year, next_day.month, next_day.day, tzinfo=_EASTERN)
    return midnight.astimezone(UTC)


# Every kind names a parser module that exists (checked when tui.feeds is imported, not on a
# user's first fetch of that kind).
for _name in KIND_NAMES:
    importlib.import_module(f"tui.feeds.sources.{KINDS[_name].parser}")
