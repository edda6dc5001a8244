"""Feed sources: each module turns the bytes of one wire format into `Paper` records.

Every source has the same shape: ``parse(body: bytes) -> ParseResult``. It never fetches
(``tui.feeds.http.fetch`` does, with its bounds), it cleans every text field with ``tui.text`` and
every link with ``tui.links`` before building a `Paper`, it skips and counts malformed items
instead of failing the whole feed, and it raises `ParseError` only when the body is not that
kind of feed at all (HTML, empty, an error object...).

This module holds what the sources share: the result type, the error, and small helpers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tui.model import Paper
from tui.text import ABSTRACT_MAX, FIELD_MAX, TITLE_MAX, clean_block, clean_inline, clean_latex

# Upper bounds on list fields, so one hostile item cannot carry a million authors.
T = TypeVar("T")

MAX_AUTHORS = 2_000
MAX_CATEGORIES = 50
MAX_KEYWORDS = 50


class ParseError(ValueError):
    """The body is not this kind of feed; ``str()`` is one line for the user."""


@dataclass(slots=True)
class ParseResult:
    papers: list[Paper]  # clean, validated, one per id (first occurrence kept)
    skipped: int = 0  # malformed items left out
    partial: bool = False  # the body was cut short: what parsed is kept; absent != deleted
    warnings: list[str] = field(default_factory=list)  # one-line notes for the user


def collect(items: Iterable[T], build: Callable[[T], Paper | None]) -> tuple[list[Paper], int]:
    """Build a Paper from each item: (the papers, how many items were malformed)."""
    papers: list[Paper] = []
    skipped = 0
    for item in items:
        paper = build(item)
        if paper is None:
            skipped += 1
        else:
            papers.append(paper)
    return papers, skipped


def finish(papers: Iterable[Paper], skipped: int, partial: bool = False) -> ParseResult:
    """Dedupe by id (a feed may list a paper twice) and write the usual warnings."""
    unique: dict[str, Paper] = {}
    for paper in papers:
        unique.setdefault(paper.id, paper)
    warnings: list[str] = []
    if skipped:
        warnings.append(f"skipped {skipped} malformed item{'s' if skipped != 1 else ''}")
    if partial:
        warnings.append("the feed was cut short: kept the items before the break")
    return ParseResult(list(unique.values()), skipped, partial, warnings)


def title_text(value: object) -> str:
    """A title: one line, LaTeX leftovers cleaned, capped."""
    return _latex_inline(value, TITLE_MAX)


def abstract_text(value: object) -> str:
    """An abstract: paragraphs kept, hard wraps joined, LaTeX leftovers cleaned, capped."""
    if not isinstance(value, str):
        return ""
    cleaned = clean_block(value, ABSTRACT_MAX)
    return clean_block(clean_latex(cleaned), ABSTRACT_MAX)


def field_text(value: object, max_len: int = FIELD_MAX) -> str:
    return clean_inline(value, max_len) if isinstance(value, str) else ""


def _latex_inline(value: object, max_len: int) -> str:
    if not isinstance(value, str):
        return ""
    # Clean first (cheap caps on huge input), then LaTeX, then once more for the invariant.
    return clean_inline(clean_latex(clean_inline(value, max_len)), max_len)


def unique_texts(values: Iterable[object], limit: int) -> tuple[str, ...]:
    """Cleaned, non-empty, deduplicated strings in order, at most ``limit``."""
    out: dict[str, None] = {}
    for value in values:
        text = field_text(value)
        if text:
            out.setdefault(text, None)
            if len(out) >= limit:
                break
    return tuple(out)


_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: object) -> str:
    """``YYYY-MM-DD`` from an ISO 8601 timestamp (``2024-10-22T17:59:30.000Z``), else ""."""
    if not isinstance(value, str):
        return ""
    match = _ISO_DATE_RE.match(value)
    if not match:
        return ""
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and year >= 1900):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def split_authors(text: str) -> tuple[str, ...]:
    """Split arXiv's one-string author list (``"A, B (Univ X, Lab Y), C and D"``) on commas
    and " and " that are not inside parentheses, so affiliations stay with their author."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    names: list[str] = []
    for part in parts:
        names.extend(_split_and(part))
    return unique_texts(names, MAX_AUTHORS)


_AND_RE = re.compile(r"^(?:and\s+)|\s+and\s+")


def _split_and(part: str) -> list[str]:
    # " and " joins the last two names in some listings; never split inside parentheses.
    if "(" in part or " and " not in f" {part.strip()} ":
        return [part.strip()]
    return [name for name in _AND_RE.split(part.strip()) if name.strip()]


_HTML_START_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def looks_like_html(body: bytes) -> bool:
    """A web page (captive portal, error page) rather than a feed."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START_RE.match(head))


def check_not_a_feed(body: bytes) -> None:
    """Raise `ParseError` for the bodies no source can read: empty, HTML, binary."""
    if not body.strip():
        raise ParseError("not a feed (empty response)")
    if looks_like_html(body):
        raise ParseError("not a feed (got HTML)")
    if b"\x00" in body[:1024] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        # NUL bytes: binary data (UTF-16 text, which also has them, starts with a BOM).
        raise ParseError("not a feed (got binary data)")


class XmlEvents:
    """Streams ("start"|"end", element) pairs from XML with defusedxml (no entity expansion, no
    external references). A syntax error ends the stream quietly and is kept in ``error``, so a
    truncated feed still yields every element that closed before the break; declared entities
    (billion laughs, XXE) raise `ParseError` at once."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self.error = ""

    def __iter__(self) -> Iterator[tuple[str, Element]]:
        try:
            yield from iterparse(io.BytesIO(self._body), events=("start", "end"))
        except DefusedXmlException:
            raise ParseError(
                "refused: the XML declares entities or external references (never expanded)"
            ) from None
        except XMLSyntaxError as exc:
            self.error = f"invalid XML ({clean_inline(str(exc), 200)})"
        except (LookupError, ValueError) as exc:
            # An XML declaration naming an encoding Python does not know ("U-F-8").
            raise ParseError(f"not a readable feed ({clean_inline(str(exc), 200)})") from None


def local_name(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (comments and processing instructions -> "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, tag: str) -> str:
    """The raw text of the first child with this (namespaced) tag, "" if none."""
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


_ANNOUNCE_RE = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce\s+Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?",
    re.IGNORECASE,
)
ANNOUNCE_TYPES = frozenset({"new", "cross", "replace", "replace-cross"})


def split_announcement(description: str) -> tuple[str, str, str]:
    """rss.arxiv.org puts ``arXiv:IDvN Announce Type: TYPE \\nAbstract: TEXT`` in one field:
    returns (versioned id, announce type, abstract text); ("", "", description) otherwise."""
    match = _ANNOUNCE_RE.match(description)
    if not match:
        return "", "", description
    return match.group("id"), match.group("type").lower(), description[match.end() :]


def announce_type(value: str) -> str:
    """A known announce type (new, cross, replace, replace-cross), else ""."""
    text = clean_inline(value, 40).lower()
    return text if text in ANNOUNCE_TYPES else ""


# rss.arxiv.org answers a bad category with a feed of this title (HTTP 400), RSS and Atom alike.
ARXIV_ERROR_TITLE = "feed error for query"


def check_arxiv_error_title(title: str) -> None:
    if ARXIV_ERROR_TITLE in title.lower():
        raise ParseError(f"arXiv said: {field_text(title, 300)}")


def finish_xml(papers: list[Paper], skipped: int, error: str, saw_root: bool) -> ParseResult:
    """End a streamed XML parse: a body that broke off keeps the items read before the break
    (partial); one that broke before its root or before any item is not a feed."""
    if error:
        if not saw_root:
            raise ParseError(f"not a feed ({error})")
        if not papers and not skipped:
            raise ParseError(f"not a complete feed ({error})")
    return finish(papers, skipped, partial=bool(error))
