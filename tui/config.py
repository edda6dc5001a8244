"""The TOML config: read with tomllib, validated, with errors that name the key and the line.

`assets/config.example.toml` documents every key. A missing file means the defaults.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FEED_KINDS = ("hf_daily", "hf_trending", "arxiv_rss", "arxiv_query", "feed")


class ConfigError(Exception):
    """A config problem, as one line that names the file, the line and the key."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    name: str
    kind: str
    url: str = ""  # kind "feed"
    categories: tuple[str, ...] = ()  # kind "arxiv_rss"
    search_query: str = ""  # kind "arxiv_query"
    max_results: int = 100  # kind "arxiv_query"; items per request for the others too
    refresh_minutes: int | None = None  # None: the global refresh_minutes


DEFAULT_FEEDS: tuple[FeedConfig, ...] = (
    FeedConfig(name="hf-daily", kind="hf_daily"),
    FeedConfig(name="hf-trending", kind="hf_trending"),
)


@dataclass(frozen=True, slots=True)
class Config:
    mark_read_on_open: bool = False
    theme: str = "textual-dark"
    search_limit: int = 2000
    refresh_on_start: bool = True
    refresh_minutes: int = 60
    # binding id -> comma-separated keys, handed to App.set_keymap
    keymap: dict[str, str] = field(default_factory=dict)
    feeds: tuple[FeedConfig, ...] = DEFAULT_FEEDS


_TOP_LEVEL: dict[str, type | tuple[type, ...]] = {
    "mark_read_on_open": bool,
    "theme": str,
    "search_limit": int,
    "refresh_on_start": bool,
    "refresh_minutes": int,
    "keys": dict,
    "feeds": list,
}
_FEED_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "kind": str,
    "url": str,
    "categories": (list, str),
    "search_query": str,
    "max_results": int,
    "refresh_minutes": int,
}


def load_config(path: Path) -> Config:
    """The config at ``path``, or the defaults when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config ({error})") from error
    return parse_config(text, path)


def parse_config(text: str, path: Path | str = "config.toml") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    checker = _Checker(text, path)
    for key, value in data.items():
        if key not in _TOP_LEVEL:
            raise checker.error(key, f"unknown key {key!r} (known: {', '.join(_TOP_LEVEL)})")
        checker.check_type(key, value, _TOP_LEVEL[key])
    values: dict[str, Any] = {k: v for k, v in data.items() if k not in ("keys", "feeds")}
    for key in ("search_limit", "refresh_minutes"):
        if key in values and values[key] < 1:
            raise checker.error(key, f"{key} must be at least 1, got {values[key]}")
    keymap = {}
    for binding, keys in data.get("keys", {}).items():
        if not isinstance(keys, str) or not keys.strip():
            raise checker.error(binding, f'keys.{binding} must be a key name such as "ctrl+r"')
        keymap[binding] = keys
    feeds = DEFAULT_FEEDS
    if "feeds" in data:
        feeds = tuple(_feed(entry, n, checker) for n, entry in enumerate(data["feeds"]))
        names = [feed.name for feed in feeds]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise checker.error("name", f"two feeds are named {duplicates[0]!r}")
    return Config(**values, keymap=keymap, feeds=feeds)


def _feed(entry: object, number: int, checker: _Checker) -> FeedConfig:
    where = f"feeds[{number}]"
    if not isinstance(entry, dict):
        raise checker.error("feeds", f"{where} must be a table ([[feeds]])")
    for key, value in entry.items():
        if key not in _FEED_KEYS:
            raise checker.error(
                key, f"{where}: unknown key {key!r} (known: {', '.join(_FEED_KEYS)})"
            )
        checker.check_type(key, value, _FEED_KEYS[key], where)
    for key in ("name", "kind"):
        if not entry.get(key):
            raise checker.error("feeds", f"{where} needs a {key}")
    kind = entry["kind"]
    if kind not in FEED_KINDS:
        raise checker.error(
            "kind", f"{where}: unknown kind {kind!r} (known: {', '.join(FEED_KINDS)})"
        )
    categories = entry.get("categories", ())
    if isinstance(categories, str):
        categories = [c for c in re.split(r"[\s,+]+", categories) if c]
    required = {"feed": "url", "arxiv_rss": "categories", "arxiv_query": "search_query"}.get(kind)
    # An explicit url stands in for what the kind would build its URL from (a mirror, a test).
    given = categories if required == "categories" else entry.get(required)
    if required and not given and not entry.get("url"):
        raise checker.error("kind", f"{where}: kind {kind!r} needs {required}")
    return FeedConfig(
        name=entry["name"],
        kind=kind,
        url=entry.get("url", ""),
        categories=tuple(str(c) for c in categories),
        search_query=entry.get("search_query", ""),
        max_results=entry.get("max_results", 100),
        refresh_minutes=entry.get("refresh_minutes"),
    )


class _Checker:
    """Finds the line a key is on, so that validation errors can name it too (tomllib only
    reports lines for syntax errors)."""

    def __init__(self, text: str, path: Path | str) -> None:
        self.lines = text.splitlines()
        self.path = path

    def line_of(self, key: str) -> int | None:
        pattern = re.compile(
            rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=|^\s*\[+\s*{re.escape(key)}\s*\]"
        )
        for number, line in enumerate(self.lines, start=1):
            if pattern.search(line):
                return number
        return None

    def error(self, key: str, message: str) -> ConfigError:
        line = self.line_of(key)
        at = f", line {line}" if line else ""
        return ConfigError(f"{self.path}{at}: {message}")

    def check_type(
        self, key: str, value: object, expected: type | tuple[type, ...], where: str = ""
    ) -> None:
        # bool is an int in Python; a number where a flag belongs (or the reverse) is a mistake.
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            prefix = f"{where}: " if where else ""
            raise self.error(key, f"{prefix}{key} must be {names}, got {value!r}")


_TYPE_NAMES = {
    bool: "true or false",
    int: "a whole number",
    str: "a string",
    list: "a list",
    dict: "a table",
}
