"""The search-box language, parsed into a `Query` that the index and the store both read.

Syntax: plain words (all must match), ``"a phrase"``, ``-word`` and ``-"a phrase"`` to exclude,
``au:name`` / ``au:"Full Name"``, ``ti:word``, ``has:code`` / ``-has:code``, ``is:unread``,
``is:read``, ``is:saved``, ``tag:name`` / ``-tag:name``, ``has:note`` / ``-has:note``,
``note:word`` / ``-note:word`` (the user's notes), ``body:word`` (the full texts kept offline),
``has:fulltext`` / ``-has:fulltext``, ``year:2024``, ``after:2024-01-01`` and
``before:...`` (also ``after:2024`` and ``after:2024-03``), and the order: ``sort:relevance``,
``sort:newest``, ``sort:upvotes``, ``sort:stars`` or ``sort:rising``. The last plain word is a
prefix while it is being typed, i.e. when the text does not end in whitespace.

The parser is forgiving on purpose: it runs on every keystroke, so half-typed or malformed input
(an unclosed quote, ``au:`` with nothing, ``year:abc``, ``foo:bar``...) is searched as well as it
can be and explained in `Query.hints`. `parse_query` never raises.

Words are cut and lower-cased the way the index's analyzer cuts them (runs of letters/digits,
dots kept only between them: ``gpt-4.5`` -> ``gpt``, ``4.5``), so what the user typed and what
was indexed agree. Stop words are left in: the index drops whatever its analyzer drops.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from tui.tags import KeepError, normalize_tag

# The same token pattern as the index analyzer (tui.index), without Whoosh's wildcard `*`.
TOKEN_RE = re.compile(r"\w+(?:\.?\w+)*")
# The words the index's analyzer drops from titles, abstracts and keywords (it is built with
# this set), so the parser knows which words the index never holds. Whoosh's default list,
# copied so that this module needs no Whoosh (tests/test_query.py keeps the two equal).
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
    "when", "will", "with", "yet", "you", "your",
})
# fmt: on
# A filter key: letters followed by a colon at the start of a token (`10:30` is not one).
_KEY_RE = re.compile(r"([A-Za-z]+):")
# Beyond this the query is cut: nobody types it, and it bounds the work of every keystroke.
MAX_QUERY_CHARS = 500

_IS_VALUES = ("unread", "read", "saved")
_HAS_VALUES = ("code", "note", "fulltext")
_AUTHOR_KEYS = ("au", "author")
_TITLE_KEYS = ("ti", "title")
_DATE_KEYS = ("after", "before")
_KNOWN_KEYS = (
    *_AUTHOR_KEYS, *_TITLE_KEYS, "has", "is", "year", *_DATE_KEYS, "sort", "tag", "note", "body"
)  # fmt: skip
# The orders a list can be in; "relevance" needs words to rank by (else newest first).
SORT_ORDERS = ("relevance", "newest", "upvotes", "stars", "rising")


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search. Every string is lower-cased and cut into words as the index cuts them;
    a phrase (or a multi-word author name) is its words joined by single spaces."""

    words: tuple[str, ...] = ()  # plain words, all must match
    prefix: str = ""  # the last word while it is being typed (no trailing whitespace)
    phrases: tuple[str, ...] = ()  # "quoted phrases" of two or more words
    excluded: tuple[str, ...] = ()  # -word and -"phrase" (a phrase contains spaces)
    authors: tuple[str, ...] = ()  # au:name, au:"Full Name" (words joined by spaces)
    title_words: tuple[str, ...] = ()  # ti:word
    body_words: tuple[str, ...] = ()  # body:word, each must be in the paper's full text
    has_code: bool | None = None  # has:code -> True, -has:code -> False
    tags: tuple[str, ...] = ()  # tag:name, each must be on the paper (normalised names)
    excluded_tags: tuple[str, ...] = ()  # -tag:name
    has_note: bool | None = None  # has:note -> True, -has:note -> False
    has_fulltext: bool | None = None  # has:fulltext -> True, -has:fulltext -> False
    note_words: tuple[str, ...] = ()  # note:word, each must be in the paper's note
    excluded_note_words: tuple[str, ...] = ()  # -note:word
    unread: bool = False  # is:unread
    saved: bool = False  # is:saved
    read: bool = False  # is:read
    year: int | None = None  # year:2024
    after: str = ""  # ISO date, inclusive lower bound on `published` (after:2024 -> 2024-01-01)
    before: str = ""  # ISO date, exclusive upper bound (before:2024-03 -> 2024-03-01)
    sort: str = ""  # one of SORT_ORDERS, "" when the query does not say
    # Only papers stored after this arrival number (a watch's "new"); never typed, set by code.
    arrived_after: int | None = None
    hints: tuple[str, ...] = ()  # what was ignored or reinterpreted, and why

    @property
    def has_text(self) -> bool:
        """True when the full-text index has something to match (filters alone do not)."""
        return bool(
            self.words
            or self.prefix
            or self.phrases
            or self.authors
            or self.title_words
            or self.body_words
        )

    def highlight_terms(self) -> tuple[str, ...]:
        """Words worth highlighting in results: words, the prefix, phrase words, title words."""
        terms: list[str] = [*self.words]
        if self.prefix:
            terms.append(self.prefix)
        for phrase in self.phrases:
            terms.extend(phrase.split())
        terms.extend(self.title_words)
        terms.extend(self.body_words)
        return tuple(dict.fromkeys(terms))


def is_indexed_word(word: str) -> bool:
    """Whether the index keeps this (lower-cased) word in titles and abstracts: its analyzer
    drops one-letter tokens and stop words, so a search for them matches on the other words."""
    return len(word) >= 2 and word not in STOP_WORDS


def tokens(text: str) -> list[str]:
    """Lower-cased words of `text`, punctuation dropped, as the index analyzer cuts them."""
    return [match.group(0) for match in TOKEN_RE.finditer(text.lower())]


@dataclass(slots=True)
class _Raw:
    """One whitespace-delimited piece of the query before interpretation."""

    negated: bool
    key: str  # "" when there is no `key:`
    value: str
    quoted: bool
    unclosed: bool  # a quote opened and never closed (runs to the end of the text)
    at_end: bool  # the piece touches the end of the text: it is being typed


def _split(text: str) -> list[_Raw]:
    raws: list[_Raw] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
        key = ""
        match = _KEY_RE.match(text, i)
        if match:
            key = match.group(1).lower()
            i = match.end()
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raws.append(_Raw(negated, key, text[i + 1 :], True, True, True))
                break
            raws.append(_Raw(negated, key, text[i + 1 : end], True, False, end + 1 >= n))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace():
            i += 1
        raws.append(_Raw(negated, key, text[start:i], False, False, i >= n))
    return raws


def _year(value: str) -> int | None:
    if len(value) == 4 and value.isascii() and value.isdigit() and 1000 <= int(value) <= 2999:
        return int(value)
    return None


def _iso_date(value: str) -> str | None:
    """`2024`, `2024-03` or `2024-03-07` as an ISO date (first day of the period), else None."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    year = _year(parts[0])
    if year is None or any(len(p) > 2 for p in parts[1:]):
        return None
    month = int(parts[1]) if len(parts) > 1 else 1
    day = int(parts[2]) if len(parts) > 2 else 1
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


class _Builder:
    def __init__(self, ends_typing: bool) -> None:
        self.ends_typing = ends_typing  # the text does not end in whitespace
        self.words: list[str] = []
        self.prefix = ""
        self.phrases: list[str] = []
        self.excluded: list[str] = []
        self.authors: list[str] = []
        self.title_words: list[str] = []
        self.has_code: bool | None = None
        self.tags: list[str] = []
        self.excluded_tags: list[str] = []
        self.has_note: bool | None = None
        self.has_fulltext: bool | None = None
        self.body_words: list[str] = []
        self.note_words: list[str] = []
        self.excluded_note_words: list[str] = []
        self.unread = self.saved = self.read = False
        self.year: int | None = None
        self.after = self.before = ""
        self.sort = ""
        self.hints: list[str] = []

    def hint(self, text: str) -> None:
        if text not in self.hints:
            self.hints.append(text)

    def add_words(self, words: list[str], typing: bool) -> None:
        if typing and words and self.ends_typing:
            self.words.extend(words[:-1])
            self.prefix = words[-1]
        else:
            self.words.extend(words)

    def add(self, raw: _Raw) -> None:
        if raw.unclosed:
            self.hint("unclosed quote: searched as words")
        if raw.key:
            self.add_filter(raw)
        elif raw.negated:
            self.add_excluded(raw)
        elif raw.quoted and not raw.unclosed:
            words = tokens(raw.value)
            if len(words) > 1:
                self.phrases.append(" ".join(words))
            elif words:
                self.words.extend(words)  # a quoted single word: exact, never a prefix
            else:
                self.hint("empty quotes ignored")
        else:
            # "vision!" is finished; "visi" is still being typed.
            typing = raw.at_end and bool(TOKEN_RE.search(raw.value[-1:]))
            words = tokens(raw.value)
            if not words:
                shown = raw.value if len(raw.value) <= 20 else raw.value[:19] + "…"
                self.hint(f"{shown!r} ignored: only letters and digits are searched")
            self.add_words(words, typing=typing)

    def add_excluded(self, raw: _Raw) -> None:
        words = tokens(raw.value)
        if not words:
            self.hint('a lone "-" was ignored (write -word to exclude a word)')
        elif raw.quoted and raw.unclosed:
            self.excluded.extend(words)
        else:
            self.excluded.append(" ".join(words))

    def add_filter(self, raw: _Raw) -> None:
        key, value = raw.key, raw.value.strip()
        if key not in _KNOWN_KEYS:
            self.hint(f'unknown filter "{key}:" searched as words')
            words = [*tokens(key), *tokens(value)]
            if raw.negated:
                self.excluded.append(" ".join(words))
            else:
                self.add_words(words, typing=raw.at_end and not raw.quoted)
            return
        if key in _AUTHOR_KEYS or key in _TITLE_KEYS:
            self.add_field_words(key, raw)
        elif key == "has":
            self.add_has(raw.negated, value)
        elif key == "tag":
            self.add_tag(raw.negated, value)
        elif key == "note":
            self.add_note_words(raw.negated, raw.value)
        elif key == "body":
            self.add_body_words(raw)
        elif key == "is":
            self.add_is(raw.negated, value)
        elif raw.negated:
            self.hint(f"-{key}: is not supported: ignored")
        elif key == "sort":
            self.add_sort(value)
        elif key == "year":
            year = _year(value)
            if year is None:
                self.hint(f"{key}:{value} is not a year" if value else "year: needs a year")
            else:
                self.year = year
        else:
            date = _iso_date(value)
            if date is None:
                self.hint(
                    f"{key}:{value} is not a date (try {key}:2024-01-31)"
                    if value
                    else f"{key}: needs a date (try {key}:2024-01-31)"
                )
            elif key == "after":
                self.after = date
            else:
                self.before = date

    def add_field_words(self, key: str, raw: _Raw) -> None:
        words = tokens(raw.value)
        what = "a name" if key in _AUTHOR_KEYS else "a word"
        if not words:
            self.hint(f"{key}: needs {what}")
        elif raw.negated:
            self.hint(f"-{key}: is not supported: ignored")
        elif key in _AUTHOR_KEYS:
            self.authors.append(" ".join(words))
        else:
            self.title_words.extend(words)

    def add_has(self, negated: bool, value: str) -> None:
        # A unique beginning is enough (has:f while has:fulltext is being typed), as for sort:.
        value = value.lower()
        known = [name for name in _HAS_VALUES if value and name.startswith(value)]
        value = known[0] if len(known) == 1 else value
        if value == "code":
            self.has_code = not negated
        elif value == "note":
            self.has_note = not negated
        elif value in ("fulltext", "text"):
            self.has_fulltext = not negated
        else:
            self.hint(
                f"has:{value} is not a filter (try has:code, has:note, has:fulltext)"
                if value
                else "has: needs code, note or fulltext"
            )

    def add_tag(self, negated: bool, value: str) -> None:
        if not value:
            self.hint("tag: needs a tag name")
            return
        try:
            tag = normalize_tag(value)
        except KeepError as error:
            self.hint(f"{error}: ignored")
            return
        (self.excluded_tags if negated else self.tags).append(tag)

    def add_note_words(self, negated: bool, value: str) -> None:
        words = tokens(value)
        if not words:
            self.hint("note: needs a word")
        elif negated:
            self.excluded_note_words.append(" ".join(words))
        else:
            self.note_words.extend(words)

    def add_body_words(self, raw: _Raw) -> None:
        words = tokens(raw.value)
        if not words:
            self.hint("body: needs a word")
        elif raw.negated:
            self.hint("-body: is not supported: ignored")
        else:
            # The body is indexed without positions (full texts are long): a quoted body:
            # finds its words anywhere in the text, which the hint says.
            if raw.quoted and len(words) > 1:
                self.hint(f'body:"{" ".join(words)}" finds these words anywhere in the text')
            self.body_words.extend(words)

    def add_is(self, negated: bool, value: str) -> None:
        value = value.lower()
        if value not in _IS_VALUES:
            self.hint(
                f"is:{value} is not a filter (try is:unread, is:read, is:saved)"
                if value
                else "is: needs unread, read or saved"
            )
        elif negated and value == "saved":
            self.hint("-is:saved is not supported: ignored")
        elif value == "unread":
            self.read, self.unread = (True, False) if negated else (self.read, True)
        elif value == "read":
            self.unread, self.read = (True, False) if negated else (self.unread, True)
        else:
            self.saved = True

    def add_sort(self, value: str) -> None:
        value = value.lower()
        matches = [order for order in SORT_ORDERS if value and order.startswith(value)]
        if len(matches) == 1:  # sort:up, sort:rise... while being typed, or for short
            self.sort = matches[0]
        else:
            known = ", ".join(SORT_ORDERS)
            self.hint(
                f"sort:{value} is not an order (try {known})" if value else f"sort: needs {known}"
            )

    def build(self) -> Query:
        if self.unread and self.read:
            self.hint("is:read and is:unread together match nothing")
        return Query(
            words=tuple(dict.fromkeys(self.words)),
            prefix=self.prefix,
            phrases=tuple(dict.fromkeys(self.phrases)),
            excluded=tuple(dict.fromkeys(self.excluded)),
            authors=tuple(dict.fromkeys(self.authors)),
            title_words=tuple(dict.fromkeys(self.title_words)),
            body_words=tuple(dict.fromkeys(self.body_words)),
            has_code=self.has_code,
            tags=tuple(dict.fromkeys(self.tags)),
            excluded_tags=tuple(dict.fromkeys(self.excluded_tags)),
            has_note=self.has_note,
            has_fulltext=self.has_fulltext,
            note_words=tuple(dict.fromkeys(self.note_words)),
            excluded_note_words=tuple(dict.fromkeys(self.excluded_note_words)),
            unread=self.unread,
            saved=self.saved,
            read=self.read,
            year=self.year,
            after=self.after,
            before=self.before,
            sort=self.sort,
            hints=tuple(self.hints),
        )


def parse_query(text: str) -> Query:
    """Parse what the user typed. Never raises; see the module docstring for the syntax."""
    if not isinstance(text, str):
        return Query()
    builder = _Builder(ends_typing=bool(text) and not text[-1].isspace())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        builder.ends_typing = False
        builder.hint(f"query cut at {MAX_QUERY_CHARS} characters")
    for raw in _split(text):
        builder.add(raw)
    return builder.build()
