"""Editing the feed list in the user's config file, keeping their comments (tomlkit).

Every edit is validated by parsing the result with the normal config loader before it is
written (atomically), so `feedtui feeds add` can never leave a config feedtui refuses to read.
Callers check each new feed with `tui.config.feed_problem` first, so that a bad value is
reported in their own terms (a flag, an OPML outline) rather than as a line of this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Table

from tui.config import CONFIG_MAX_BYTES, DEFAULT_FEEDS, FeedConfig, parse_config
from tui.fsutil import atomic_write, read_small_file


def _document(path: Path) -> tomlkit.TOMLDocument:
    try:
        data = read_small_file(path, CONFIG_MAX_BYTES, "a config file")
    except FileNotFoundError:
        data = None
    if data is not None:
        # Read by the loader first (the library did), so it is UTF-8 TOML feedtui accepts.
        return tomlkit.parse(data.decode("utf-8"))
    doc = tomlkit.document()
    doc.add(tomlkit.comment("feedtui configuration: see config.example.toml in feedtui's assets"))
    return doc


def _feeds(doc: tomlkit.TOMLDocument) -> AoT | Array:
    """The document's feed list: [[feeds]] tables, or an inline ``feeds = [{...}]`` array."""
    if "feeds" not in doc:
        # The defaults are implicit until the user edits the list: write them out first, so
        # adding a feed does not silently drop Hugging Face daily and trending.
        aot = tomlkit.aot()
        for feed in DEFAULT_FEEDS:
            aot.append(_table(feed))
        doc["feeds"] = aot
    feeds = doc["feeds"]
    if isinstance(feeds, Array) and not feeds:
        # `feeds = []` (no feeds): tables read better than a growing inline array.
        doc["feeds"] = feeds = tomlkit.aot()
    if not isinstance(feeds, (AoT, Array)):
        raise ValueError("feeds in the config is not a list of feeds: fix it by hand first")
    return feeds


def _table(feed: FeedConfig) -> Table:
    table = tomlkit.table()
    table["name"] = feed.name
    table["kind"] = feed.kind
    if feed.url:
        table["url"] = feed.url
    if feed.categories:
        table["categories"] = list(feed.categories)
    if feed.search_query:
        table["search_query"] = feed.search_query
    if feed.max_results != 100:
        table["max_results"] = feed.max_results
    if feed.refresh_minutes is not None:
        table["refresh_minutes"] = feed.refresh_minutes
    return table


def _inline(feed: FeedConfig) -> InlineTable:
    inline = tomlkit.inline_table()
    inline.update(_table(feed).unwrap())
    return inline


def _names(feeds: AoT | Array) -> list[object]:
    return [entry.get("name") for entry in feeds if isinstance(entry, dict)]


def add_feed(path: Path, feed: FeedConfig) -> None:
    add_feeds(path, [feed])


def add_feeds(path: Path, new: Iterable[FeedConfig]) -> None:
    """Append feeds to the config in one write (all of them or, on an error, none)."""
    doc = _document(path)
    feeds = _feeds(doc)
    # Once: asking the tomlkit document for its names per new feed was quadratic.
    names = {name for name in _names(feeds) if isinstance(name, str)}
    for feed in new:
        if feed.name in names:
            raise ValueError(f"a feed named {feed.name!r} already exists")
        names.add(feed.name)
        feeds.append(_table(feed) if isinstance(feeds, AoT) else _inline(feed))
    _save(path, doc)


def remove_feed(path: Path, name: str) -> None:
    doc = _document(path)
    feeds = _feeds(doc)
    index = next((i for i, n in enumerate(_names(feeds)) if n == name), None)
    if index is None:
        raise ValueError(f"no feed named {name!r}")
    del feeds[index]
    _save(path, doc)


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    text = tomlkit.dumps(doc)
    parse_config(text, path)  # raises ConfigError rather than writing a broken config
    data = text.encode("utf-8")
    if len(data) > CONFIG_MAX_BYTES:  # never write a config the loader would refuse
        raise ValueError(
            f"the config would be larger than {CONFIG_MAX_BYTES / 1_000_000:g} MB: "
            "nothing was written"
        )
    atomic_write(path, data)
