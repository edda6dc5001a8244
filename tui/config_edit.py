"""Editing the feed list in the user's config file, keeping their comments (tomlkit).

Every edit is validated by parsing the result with the normal config loader before it is
written (atomically), so `feedtui feeds add` can never leave a config feedtui refuses to read.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table

from tui.config import DEFAULT_FEEDS, FeedConfig, parse_config
from tui.fsutil import atomic_write


def _document(path: Path) -> tomlkit.TOMLDocument:
    if path.exists():
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    doc = tomlkit.document()
    doc.add(tomlkit.comment("feedtui configuration: see config.example.toml in feedtui's assets"))
    return doc


def _feeds(doc: tomlkit.TOMLDocument) -> AoT:
    if "feeds" not in doc:
        # The defaults are implicit until the user edits the list: write them out first, so
        # adding a feed does not silently drop Hugging Face daily and trending.
        aot = tomlkit.aot()
        for feed in DEFAULT_FEEDS:
            aot.append(_table(feed))
        doc["feeds"] = aot
    feeds = doc["feeds"]
    assert isinstance(feeds, AoT)
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
    if feed.refresh_minutes:
        table["refresh_minutes"] = feed.refresh_minutes
    return table


def add_feed(path: Path, feed: FeedConfig) -> None:
    doc = _document(path)
    feeds = _feeds(doc)
    if any(t.get("name") == feed.name for t in feeds):
        raise ValueError(f"a feed named {feed.name!r} already exists")
    feeds.append(_table(feed))
    _save(path, doc)


def remove_feed(path: Path, name: str) -> None:
    doc = _document(path)
    feeds = _feeds(doc)
    index = next((i for i, t in enumerate(feeds) if t.get("name") == name), None)
    if index is None:
        raise ValueError(f"no feed named {name!r}")
    del feeds[index]
    _save(path, doc)


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    text = tomlkit.dumps(doc)
    parse_config(text, path)  # raises ConfigError rather than writing a broken config
    atomic_write(path, text.encode("utf-8"))
