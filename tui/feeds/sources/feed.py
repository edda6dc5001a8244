"""Any RSS 2.0 / RSS 1.0 / Atom 1.0 feed, read by feedparser from bytes we fetched.

feedparser is only ever given the body (as a stream), never a URL or a path: given a string it
would fetch URLs and read local files itself, outside every bound `tui.feeds.http` enforces.

Identity: an item with an arXiv id in its link, guid or id (a journal's feed of arXiv
preprints, arXiv's own feeds) gets the canonical arXiv id, the abs page as ``url`` and the PDF
link; any other item gets ``stable_id(guid, link, title)`` and its own link as ``url``.

Summaries are HTML in most feeds: tags are dropped (paragraph and line breaks kept) before
`tui.text` cleans the text, because the UI shows plain text. A body that is not a feed at all
(HTML page, empty, garbage) is a `ParseError`; a feed cut short keeps the items feedparser
recovered (``partial=True``).
"""

from __future__ import annotations

import calendar
import email.utils
import io
import time
import xml.sax
from html.parser import HTMLParser
from typing import Any

import feedparser

from tui.feeds.sources import (
    MAX_AUTHORS,
    MAX_CATEGORIES,
    ParseError,
    ParseResult,
    abstract_text,
    announce_type,
    check_not_a_feed,
    collect,
    field_text,
    finish,
    iso_date,
    split_announcement,
    split_authors,
    title_text,
    unique_texts,
)
from tui.links import pick_code_url, pick_project_url, safe_url
from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url, canonical_arxiv_id, stable_id

# feedparser's warnings that do not mean items were lost.
_HARMLESS_BOZO = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)


def parse(body: bytes) -> ParseResult:
    check_not_a_feed(body)
    try:
        parsed = feedparser.parse(io.BytesIO(body), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is a big third-party parser: contain whatever it does
        raise ParseError(f"not a feed ({type(exc).__name__})") from None
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    lost_items = problem is not None and not isinstance(problem, _HARMLESS_BOZO)
    if not entries:
        if lost_items:
            raise ParseError(f"not a feed ({_describe(problem)})")
        if not parsed.get("version"):
            raise ParseError("not a feed (no RSS or Atom found)")
        return finish([], 0)  # a valid feed with nothing in it today
    papers, skipped = collect(entries, paper_from_entry)
    result = finish(papers, skipped, partial=lost_items)
    if problem is not None and not lost_items:
        result.warnings.append(_describe(problem))
    return result


def _describe(problem: object) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        message = field_text(problem.getMessage(), 120)
        return f"invalid XML: {message} at line {problem.getLineNumber()}"
    return field_text(str(problem), 200) or type(problem).__name__


def paper_from_entry(entry: Any) -> Paper | None:
    """One feedparser entry -> Paper, or None when it has neither a title nor an identity."""
    link = _str(_get(entry, "link"))
    guid = _str(_get(entry, "id"))
    title = title_text(_html_or_text(_str(_get(entry, "title")), _get(entry, "title_detail")))
    summary_raw, summary_is_html = _summary(entry)
    versioned, announced, summary_raw = split_announcement(summary_raw)
    arxiv_id = canonical_arxiv_id(link) or canonical_arxiv_id(guid) or canonical_arxiv_id(versioned)
    if not title:
        return None
    comment = field_text(_get(entry, "arxiv_comment"))  # arXiv API Atom read generically
    hrefs: list[str] = []
    if summary_is_html:
        summary_raw, hrefs = html_to_text_and_links(summary_raw)
    abstract = abstract_text(summary_raw)
    # Links hidden in <a href> count as links in the text (after the visible ones).
    link_text = "\n".join([abstract, *hrefs[:50]])
    if arxiv_id is not None:
        paper_id, url, pdf_url = arxiv_id, arxiv_abs_url(arxiv_id), arxiv_pdf_url(arxiv_id)
    else:
        url, pdf_url = safe_url(link), ""
        try:
            paper_id = stable_id(guid, link, title)
        except ValueError:
            return None
    return Paper(
        id=paper_id,
        title=title,
        authors=_authors(entry, split=arxiv_id is not None),
        abstract=abstract,
        published=_date(entry, "published") or _date(entry, "updated"),
        updated=_date(entry, "updated"),
        arxiv_id=arxiv_id,
        url=url,
        pdf_url=pdf_url,
        code_url=pick_code_url(comment=comment, abstract=link_text),
        project_url=pick_project_url(comment=comment, abstract=link_text),
        categories=_categories(entry),
        comment=comment,
        announce_type=announce_type(_str(_get(entry, "arxiv_announce_type")))
        or announce_type(announced),
    )


def _get(entry: Any, key: str) -> Any:
    # dict.get, not FeedParserDict.get: the latter maps a missing "updated" to "published"
    # with a DeprecationWarning; we want what the feed actually said.
    return dict.get(entry, key) if isinstance(entry, dict) else None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _html_or_text(value: str, detail: object) -> str:
    kind = _str(detail.get("type")) if isinstance(detail, dict) else ""
    return html_to_text_and_links(value)[0] if "html" in kind else value


def _summary(entry: Any) -> tuple[str, bool]:
    detail = _get(entry, "summary_detail")
    if not isinstance(detail, dict):
        content = _get(entry, "content")
        detail = content[0] if isinstance(content, list) and content else {}
    value = _str(detail.get("value")) if isinstance(detail, dict) else ""
    kind = _str(detail.get("type")) if isinstance(detail, dict) else ""
    return value or _str(_get(entry, "summary")), "html" in kind or not kind


def _authors(entry: Any, *, split: bool) -> tuple[str, ...]:
    authors = _get(entry, "authors")
    names: list[str] = []
    if isinstance(authors, list):
        names = [_str(a.get("name")) for a in authors[:MAX_AUTHORS] if isinstance(a, dict)]
    if not any(names):
        names = [_str(_get(entry, "author"))]
    if split and len(names) == 1:
        # arXiv's dc:creator is one comma-joined string; other feeds' "Smith, J." is not.
        return split_authors(names[0])
    return unique_texts(names, MAX_AUTHORS)


def _categories(entry: Any) -> tuple[str, ...]:
    tags = _get(entry, "tags")
    if not isinstance(tags, list):
        return ()
    terms = (t.get("term") for t in tags[: MAX_CATEGORIES * 2] if isinstance(t, dict))
    return unique_texts(terms, MAX_CATEGORIES)


def _date(entry: Any, key: str) -> str:
    """The date as the feed wrote it (RFC 822 or ISO 8601); feedparser's parsed tuple (which
    it converts to UTC, possibly shifting the day) only as a fallback."""
    raw = _str(_get(entry, key)).strip()
    if raw:
        try:
            written = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            written = None
        if written is not None and written.year >= 1900:
            return written.date().isoformat()
        if iso_date(raw):
            return iso_date(raw)
    parsed = _get(entry, f"{key}_parsed")
    if isinstance(parsed, time.struct_time):
        try:
            return time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(parsed)))
        except (OverflowError, ValueError):
            return ""
    return ""


class _TextExtractor(HTMLParser):
    """Visible text of an HTML fragment. Entities are passed through undecoded so that
    `tui.text` decodes them exactly once."""

    _BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and len(self.links) < 100:
                self.links.append(href)
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self._skipping:
            self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self._skipping:
            self.parts.append(f"&#{name};")


def html_to_text_and_links(fragment: str) -> tuple[str, list[str]]:
    """The visible text of an HTML fragment and the raw ``href`` of its links."""
    if "<" not in fragment:
        return fragment, []
    extractor = _TextExtractor()
    try:
        extractor.feed(fragment)
        extractor.close()
    except (AssertionError, ValueError):  # pathological markup: fall back to the raw text
        return fragment, []
    return "".join(extractor.parts), extractor.links
