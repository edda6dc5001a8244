"""The TOML config: read with tomllib, validated, with errors that name the key and the line.

`assets/config.example.toml` documents every key. A missing file means the defaults.
`feed_problem` is the one set of rules for a feed, used by the loader and by `feedtui feeds
add` / `import` (which phrase the same problem in terms of their flags).
"""

from __future__ import annotations

import difflib
import re
import reprlib
import tomllib
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.feed_kinds import KIND_NAMES, KINDS, OWN_KEYS, KindName
from tui.fsutil import FileRefused, read_small_file
from tui.keys import keymap_problems
from tui.links import UnsafeURL, validate_url
from tui.toml_lines import TomlLocator, TomlPath

# arXiv's category taxonomy (https://arxiv.org/category_taxonomy), as a pattern rather than a
# list of today's categories: an archive alone (hep-th, cs, astro-ph) or archive.CLASS, where
# CLASS is two capitals (cs.LG, math.AP, astro-ph.CO, q-bio.NC, stat.ML) or, in physics and
# cond-mat, a lower-case name (physics.optics, cond-mat.mes-hall). Archives without classes
# (hep-th, gr-qc, quant-ph...) take no suffix.
_ARCHIVES_WITHOUT_CLASSES = "gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nucl-ex|nucl-th|quant-ph"
_ARCHIVES_WITH_CAPITAL_CLASSES = "astro-ph|cs|econ|eess|math|nlin|q-bio|q-fin|stat"
_ARCHIVES_WITH_NAMED_CLASSES = "cond-mat|physics"
ARXIV_CATEGORY_RE = re.compile(
    rf"^(?:(?:{_ARCHIVES_WITHOUT_CLASSES})"
    rf"|(?:{_ARCHIVES_WITH_CAPITAL_CLASSES})(?:\.[A-Z]{{2}})?"
    rf"|(?:{_ARCHIVES_WITH_NAMED_CLASSES})(?:\.[a-z]+(?:-[a-z]+)?)?)$"
)


# Bounds on what a config may hold, so that any file gives a working app or one message, soon:
# a config larger than this is refused unread (10,000 feeds take about 1 MB)...
CONFIG_MAX_BYTES = 2_000_000
# ...and a list of more feeds than this is refused before any feed is looked at.
MAX_FEEDS = 10_000
# A refresh interval past this (TOML allows 2**63 - 1) would overflow the date arithmetic.
MAX_REFRESH_MINUTES = 525_600
# Where a paper's full text comes from: URL templates tried in order, {id} the arXiv id.
DEFAULT_FULLTEXT_SOURCES = ("https://huggingface.co/papers/{id}.md", "https://arxiv.org/html/{id}")
MAX_FULLTEXT_SOURCES = 20
# The full-text cache's cap (MB); beyond a terabyte is a typo, not a wish.
MAX_FULLTEXT_CACHE_MB = 1_000_000


class ConfigError(Exception):
    """A config problem, as one line that names the file, the line and the key."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    name: str
    kind: KindName  # what each kind needs and accepts: tui.feed_kinds
    url: str = ""  # kind "feed"; an endpoint override for the others
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
    # `sort:rising` and the list's "+120/24h": the gain over this window ("24h", "7d"...)
    rising_window: str = "24h"
    # Run after a refresh for each watch with new papers, with its name and count appended
    # (argv, never a shell), e.g. ["notify-send", "feedtui"]. Empty: no command.
    notify_command: tuple[str, ...] = ()
    # Zotero's local connector (Z, `feedtui export --to zotero`): another address for an SSH
    # tunnel or a test server.
    zotero_connector: str = "http://127.0.0.1:23119"
    # Where E writes its files ("": the user's documents folder, see tui.paths.export_dir).
    export_dir: str = ""
    # The reader's full texts: URL templates tried in order ({id}: the arXiv id), and the cap
    # on the cache of fetched texts in the data dir (least recently read go first).
    fulltext_sources: tuple[str, ...] = DEFAULT_FULLTEXT_SOURCES
    fulltext_cache_mb: int = 200

    @property
    def rising_hours(self) -> int:
        return window_hours(self.rising_window) or 24


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """What is wrong with a feed: the key at fault and a sentence with ``{key}`` where its name
    goes, so the config loader says ``url`` and `feedtui feeds add` says ``--url``."""

    key: str
    text: str

    def message(self, name_of: Callable[[str], str] = str) -> str:
        return self.text.replace("{key}", name_of(self.key))


def feed_problem(feed: FeedConfig) -> FeedProblem | None:
    """The first thing wrong with ``feed``, or None: the one set of rules for every feed (the
    kind-specific ones read from tui.feed_kinds)."""
    if not feed.name.strip():
        return FeedProblem("name", "{key} must not be empty")
    if any(unicodedata.category(char).startswith("C") for char in feed.name):
        return FeedProblem("name", "{key} must be plain text (no control characters)")
    kind = KINDS.get(feed.kind)
    if kind is None:
        return unknown_kind(feed.kind)
    if feed.url:
        try:
            validate_url(feed.url)
        except UnsafeURL as error:
            reason = str(error)
            why = "" if "http(s)" in reason or reason.startswith("refused") else f" ({reason})"
            return FeedProblem(
                "url", f"{{key}} must be an http(s) URL, got {_shown(feed.url)}{why}"
            )
    for key, owner in OWN_KEYS.items():
        if getattr(feed, key) and feed.kind != owner:
            return FeedProblem(key, f"{{key}} is only for kind {owner}")
        if key == "categories":
            for category in feed.categories:
                if not ARXIV_CATEGORY_RE.match(category):
                    return FeedProblem("categories", _bad_category(category))
    if feed.max_results < 1:
        return FeedProblem(
            "max_results", f"{{key}} must be a whole number ≥ 1, got {feed.max_results}"
        )
    if kind.max_results_limit and feed.max_results > kind.max_results_limit[0]:
        most, whose = kind.max_results_limit
        return FeedProblem(
            "max_results", f"{{key}} must be at most {most} ({whose}), got {feed.max_results}"
        )
    if feed.refresh_minutes is not None and feed.refresh_minutes < 1:
        return FeedProblem(
            "refresh_minutes", f"{{key}} must be a whole number ≥ 1, got {feed.refresh_minutes}"
        )
    if feed.refresh_minutes is not None and feed.refresh_minutes > MAX_REFRESH_MINUTES:
        return FeedProblem("refresh_minutes", _too_many_minutes("{key}", feed.refresh_minutes))
    if kind.needs and not feed.url and not getattr(feed, kind.needs):
        return FeedProblem(kind.needs, f"kind {feed.kind!r} needs {{key}}")
    return None


def fulltext_sources_problem(sources: object) -> str:
    """What is wrong with a list of full-text URL templates, or "": each an http(s) URL with
    {id} where the arXiv id goes (checked with an example id, as it will be fetched)."""
    if not isinstance(sources, list | tuple) or not sources:
        return 'must be a list of URL templates such as ["https://arxiv.org/html/{id}"]'
    if len(sources) > MAX_FULLTEXT_SOURCES:
        return f"at most {MAX_FULLTEXT_SOURCES} templates, got {len(sources)}"
    for template in sources:
        if not isinstance(template, str) or "{id}" not in template:
            return f"each template needs {{id}} where the arXiv id goes, got {_shown(template)}"
        try:
            validate_url(template.replace("{id}", "2401.00001"))
        except UnsafeURL as error:
            return f"{_shown(template)} is not an http(s) URL ({error})"
    return ""


def _too_many_minutes(key: str, minutes: int) -> str:
    return f"{key} must be at most {MAX_REFRESH_MINUTES} (a year), got {_shown(minutes)}"


def unknown_kind(text: str) -> FeedProblem:
    return FeedProblem("kind", f"unknown kind {_shown(text)} (known: {', '.join(KIND_NAMES)})")


def _bad_category(category: str) -> str:
    text = f"{{key}}: {_shown(category)} is not an arXiv category (e.g. cs.LG, math.AP, hep-th)"
    archive, dot, subject = category.partition(".")
    guess = archive.lower() + dot + (subject.upper() if len(subject) == 2 else subject.lower())
    if guess != category and ARXIV_CATEGORY_RE.match(guess):
        text += f"; did you mean {_shown(guess)}?"
    return text


def connector_problem(address: str) -> str:
    """What is wrong with a Zotero connector address, or "": an http(s) URL with a host (and a
    port), nothing else: no path, query, user or password."""
    try:
        parts = urllib.parse.urlsplit(address)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        return f"is not a URL ({error})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "needs a host, e.g. http://127.0.0.1:23119"
    if parts.username or parts.password:
        return "must not hold a user name or password"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "must be the server only (no path), e.g. http://127.0.0.1:23119"
    if any(unicodedata.category(char).startswith("C") or char.isspace() for char in address):
        return "must not hold spaces or control characters"
    return ""


_WINDOW_RE = re.compile(r"^\s*(\d{1,4})\s*([hd])\s*$", re.IGNORECASE)


def window_hours(text: str) -> int | None:
    """ "24h" -> 24, "7d" -> 168; None for anything else (or beyond a year)."""
    match = _WINDOW_RE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    hours = int(match.group(1)) * (24 if match.group(2).lower() == "d" else 1)
    return hours if 1 <= hours <= 24 * 366 else None


def split_categories(text: str) -> list[str]:
    """ "cs.LG+cs.CL", "cs.LG, cs.CL" or "cs.LG cs.CL" -> ["cs.LG", "cs.CL"]."""
    return [c for c in re.split(r"[\s,+]+", text) if c]


_TOP_LEVEL: dict[str, type | tuple[type, ...]] = {
    "mark_read_on_open": bool,
    "theme": str,
    "search_limit": int,
    "refresh_on_start": bool,
    "refresh_minutes": int,
    "keys": dict,
    "feeds": list,
    "rising_window": str,
    "notify_command": list,
    "zotero_connector": str,
    "export_dir": str,
    "fulltext_sources": list,
    "fulltext_cache_mb": int,
}
_FEED_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "kind": str,
    "url": str,
    "categories": (str, list),
    "search_query": str,
    "max_results": int,
    "refresh_minutes": int,
}
FEEDS_NOT_AN_ARRAY = (
    "feeds must be an array of tables: write [[feeds]] (two brackets) above each feed's keys"
)


def load_config(path: Path) -> Config:
    """The config at ``path``, or the defaults when there is no file."""
    try:
        text = read_small_file(path, CONFIG_MAX_BYTES, "a config file").decode("utf-8")
    except FileNotFoundError:
        return Config()
    except FileRefused as error:
        raise ConfigError(str(error)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config ({error})") from error
    return parse_config(text, path)


def parse_config(text: str, path: Path | str = "config.toml") -> Config:
    """The config ``text`` holds, or `ConfigError`: for any text, in time linear in its size
    (each check is one pass; the lines of an error are only located when there is one)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively: a few hundred levels
        # exhaust Python's stack. No config of feedtui's goes deeper than three.
        raise ConfigError(
            f"{path}: not valid TOML for feedtui: arrays or tables nested too deeply"
        ) from None
    checker = _Checker(text, path)
    for key, value in data.items():
        if key not in _TOP_LEVEL:
            raise checker.error(
                (key,), f"unknown key {_shown_key(key)} ({_known(key, _TOP_LEVEL)})"
            )
        if key == "feeds" and not isinstance(value, list):
            raise checker.error((key,), FEEDS_NOT_AN_ARRAY)
        checker.check_type((key,), value, _TOP_LEVEL[key])
    values: dict[str, Any] = {k: v for k, v in data.items() if k not in ("keys", "feeds")}
    for key in ("search_limit", "refresh_minutes"):
        if key in values and values[key] < 1:
            raise checker.error((key,), f"{key} must be at least 1, got {values[key]}")
    if values.get("refresh_minutes", 1) > MAX_REFRESH_MINUTES:
        raise checker.error(
            ("refresh_minutes",), _too_many_minutes("refresh_minutes", values["refresh_minutes"])
        )
    if "rising_window" in values and window_hours(values["rising_window"]) is None:
        raise checker.error(
            ("rising_window",),
            f'rising_window must be hours or days such as "24h" or "7d", '
            f"got {_shown(values['rising_window'])}",
        )
    if "notify_command" in values:
        command = values["notify_command"]
        if not command or not all(isinstance(arg, str) and arg for arg in command):
            raise checker.error(
                ("notify_command",),
                'notify_command must be a list of words such as ["notify-send", "feedtui"]',
            )
        values["notify_command"] = tuple(command)
    if "zotero_connector" in values:
        problem = connector_problem(values["zotero_connector"])
        if problem:
            raise checker.error(
                ("zotero_connector",),
                f"zotero_connector {_shown(values['zotero_connector'])}: {problem}",
            )
    if "export_dir" in values and any(
        unicodedata.category(char).startswith("C") for char in values["export_dir"]
    ):
        raise checker.error(
            ("export_dir",), "export_dir must be a folder name (no control characters)"
        )
    if "fulltext_sources" in values:
        sources = values["fulltext_sources"]
        problem = fulltext_sources_problem(sources)
        if problem:
            raise checker.error(("fulltext_sources",), f"fulltext_sources: {problem}")
        values["fulltext_sources"] = tuple(sources)
    if "fulltext_cache_mb" in values and not (
        1 <= values["fulltext_cache_mb"] <= MAX_FULLTEXT_CACHE_MB
    ):
        raise checker.error(
            ("fulltext_cache_mb",),
            f"fulltext_cache_mb must be a whole number of MB from 1 to {MAX_FULLTEXT_CACHE_MB:,}, "
            f"got {_shown(values['fulltext_cache_mb'])}",
        )
    keymap = {}
    for binding, keys in data.get("keys", {}).items():
        if not isinstance(keys, str) or not keys.strip():
            raise checker.error(
                ("keys", binding), f'keys.{binding} must be a key name such as "ctrl+r"'
            )
        keymap[binding] = keys
    # Unknown binding ids, keys no terminal sends and keys taken by another binding: each
    # would otherwise be a binding that silently never fires.
    for binding, problem in keymap_problems(keymap).items():
        raise checker.error(("keys", binding), f"keys.{binding}: {problem}")
    feeds = DEFAULT_FEEDS
    if "feeds" in data:
        if len(data["feeds"]) > MAX_FEEDS:
            # No line: locating one would be a pass over a file that is too large anyway.
            raise ConfigError(
                f"{path}: {len(data['feeds']):,} feeds: feedtui follows at most {MAX_FEEDS:,}"
            )
        feeds = tuple(_feed(entry, n, checker) for n, entry in enumerate(data["feeds"]))
        first: dict[str, int] = {}
        for n, feed in enumerate(feeds):
            if feed.name in first:
                other = first[feed.name]
                line = checker.line_of(("feeds", other, "name"))
                at = f", line {line}" if line else ""
                raise checker.error(
                    ("feeds", n, "name"),
                    f"feeds[{n}]: two feeds are named {_shown(feed.name)} "
                    f"(the other is feeds[{other}]{at})",
                )
            first[feed.name] = n
    return Config(**values, keymap=keymap, feeds=feeds)


def _feed(entry: object, number: int, checker: _Checker) -> FeedConfig:
    where = f"feeds[{number}]"
    here = ("feeds", number)
    if not isinstance(entry, dict):
        raise checker.error(here, f"{where} must be a table: write [[feeds]] above its keys")
    for key, value in entry.items():
        if key not in _FEED_KEYS:
            raise checker.error(
                (*here, key), f"{where}: unknown key {_shown_key(key)} ({_known(key, _FEED_KEYS)})"
            )
        checker.check_type((*here, key), value, _FEED_KEYS[key], where)
    for key in ("name", "kind"):
        if not entry.get(key):
            raise checker.error(here, f"{where} needs a {key}")
    categories = entry.get("categories", ())
    if isinstance(categories, str):
        categories = split_categories(categories)
    elif not all(isinstance(c, str) for c in categories):
        raise checker.error(
            (*here, "categories"),
            f"{where}: categories must be a string or a list of strings, got {_shown(categories)}",
        )
    feed = FeedConfig(
        name=entry["name"],
        kind=entry["kind"],
        url=entry.get("url", ""),
        categories=tuple(categories),
        search_query=entry.get("search_query", ""),
        max_results=entry.get("max_results", 100),
        refresh_minutes=entry.get("refresh_minutes"),
    )
    problem = feed_problem(feed)
    if problem:
        raise checker.error((*here, problem.key), f"{where}: {problem.message()}")
    return feed


class _Checker:
    """Names the line of a value in validation errors (tomllib only reports lines for syntax
    errors): a path such as ``("feeds", 1, "kind")`` is looked up in `TomlLocator`'s map, and a
    key that is not there (a missing one) falls back to its table's line."""

    def __init__(self, text: str, path: Path | str) -> None:
        self.text = text
        self.path = path
        self._lines: dict[TomlPath, int] | None = None

    @property
    def lines(self) -> dict[TomlPath, int]:
        # Located only when an error needs a line: a config that is fine never pays for it.
        if self._lines is None:
            self._lines = TomlLocator(self.text).lines
        return self._lines

    def line_of(self, where: TomlPath) -> int | None:
        for end in range(len(where), 0, -1):
            line = self.lines.get(where[:end])
            if line is not None:
                return line
        return None

    def error(self, where: TomlPath, message: str) -> ConfigError:
        line = self.line_of(where)
        at = f", line {line}" if line else ""
        return ConfigError(f"{self.path}{at}: {message}")

    def check_type(
        self, where: TomlPath, value: object, expected: type | tuple[type, ...], prefix: str = ""
    ) -> None:
        # bool is an int in Python; a number where a flag belongs (or the reverse) is a mistake.
        types = expected if isinstance(expected, tuple) else (expected,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            key = where[-1]
            shown = f"{prefix}: " if prefix else ""
            raise self.error(where, f"{shown}{key} must be {names}, got {_shown(value)}")


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, 80, 80
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = 4
_KEY_REPR = reprlib.Repr()
_KEY_REPR.maxstring = 40


def _shown_key(key: object) -> str:
    """An unknown key in a message: shorter than a value, as the known keys follow it."""
    return _KEY_REPR.repr(key)


def _known(key: object, known: Iterable[str]) -> str:
    """What an unknown key may have meant: the close names, else every name there is."""
    names = list(known)
    close = difflib.get_close_matches(str(key)[:100], names, n=2) if isinstance(key, str) else []
    if close:
        return "did you mean " + " or ".join(close) + "?"
    return "known: " + ", ".join(names)


def _shown(value: object) -> str:
    """A wrong value in a message: its repr, short however large or deep the value is."""
    return _REPR.repr(value)


_TYPE_NAMES = {
    bool: "true or false",
    int: "a whole number",
    str: "a string",
    list: "a list",
    dict: "a table",
}
