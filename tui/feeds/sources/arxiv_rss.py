"""arXiv listing feeds in RSS 2.0 (``https://rss.arxiv.org/rss/cs.LG``, ``.../cs.LG+cs.CL``).

Read with defusedxml, streaming, so a truncated body keeps every item that closed before the
break (``partial=True``). Per item: the id from the guid (``oai:arXiv.org:IDvN``), the link or
the description; the description ``arXiv:IDvN Announce Type: TYPE \\nAbstract: TEXT`` split
into the announce type and the abstract (the ``arxiv:announce_type`` element wins when
present); ``dc:creator`` split into authors (commas inside affiliations' parentheses kept);
repeated ``category`` in order (the first is the listing's primary).

Dates: ``pubDate`` is the day arXiv *announced* the item. For ``new`` and ``cross`` items that
is the first version's announcement, used as ``published``; for ``replace``/``replace-cross``
it is a later version's, so it goes to ``updated`` and ``published`` stays unknown ("")
rather than wrong. There is no comment field: code links come from the abstract only.

A bad category comes back (with HTTP 400) as a feed titled "Feed error for query: ...":
a `ParseError` carrying that title.
"""

from __future__ import annotations

import email.utils
import re
from xml.etree.ElementTree import Element

from tui.feeds.sources import (
    MAX_CATEGORIES,
    ParseError,
    ParseResult,
    XmlEvents,
    abstract_text,
    announce_type,
    check_arxiv_error_title,
    check_not_a_feed,
    child_text,
    field_text,
    finish_xml,
    local_name,
    split_announcement,
    split_authors,
    title_text,
    unique_texts,
)
from tui.links import pick_code_url, pick_project_url
from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url, canonical_arxiv_id

ARXIV_NS = "{http://arxiv.org/schemas/atom}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
# Old listings titled items "Title. (arXiv:2101.00001v1 [cs.LG] UPDATED)".
_OLD_TITLE_SUFFIX_RE = re.compile(r"\.?\s*\(arXiv:[^()]*\)\s*$")


def parse(body: bytes) -> ParseResult:
    check_not_a_feed(body)
    events = XmlEvents(body)
    papers: list[Paper] = []
    skipped = 0
    stack: list[str] = []
    root = ""
    for event, element in events:
        name = local_name(element.tag)
        if event == "start":
            if not root:
                root = name
                if root not in ("rss", "RDF"):
                    raise ParseError(f"not an RSS feed (the document is <{_tag(root)}>)")
            stack.append(name)
            continue
        stack.pop()
        if name == "title" and len(stack) == 2 and stack[1] == "channel":
            check_arxiv_error_title(element.text or "")
        elif name == "item":
            paper = paper_from_item(element)
            if paper is None:
                skipped += 1
            else:
                papers.append(paper)
            element.clear()  # keep memory flat on big listings
    return finish_xml(papers, skipped, events.error, saw_root=bool(root))


def _tag(name: str) -> str:
    return field_text(name, 40) or "?"


def paper_from_item(item: Element) -> Paper | None:
    """One RSS ``<item>`` -> Paper, or None when it carries no arXiv id or no title."""
    guid = child_text(item, "guid")
    link = child_text(item, "link")
    description = child_text(item, "description")
    versioned_id, announced, abstract_raw = split_announcement(description)
    arxiv_id = (
        canonical_arxiv_id(guid) or canonical_arxiv_id(link) or canonical_arxiv_id(versioned_id)
    )
    if arxiv_id is None:
        return None
    title = title_text(_OLD_TITLE_SUFFIX_RE.sub("", child_text(item, "title")))
    if not title:
        return None
    abstract = abstract_text(abstract_raw)
    kind = announce_type(child_text(item, ARXIV_NS + "announce_type")) or announce_type(announced)
    day = _rfc822_date(child_text(item, "pubDate"))
    is_replacement = kind.startswith("replace")
    return Paper(
        id=arxiv_id,
        title=title,
        authors=_creators(item),
        abstract=abstract,
        published="" if is_replacement else day,
        updated=day if is_replacement else "",
        arxiv_id=arxiv_id,
        url=arxiv_abs_url(arxiv_id),
        pdf_url=arxiv_pdf_url(arxiv_id),
        code_url=pick_code_url(abstract=abstract),
        project_url=pick_project_url(abstract=abstract),
        categories=unique_texts(
            (c.text for c in item.findall("category")[: MAX_CATEGORIES * 2]), MAX_CATEGORIES
        ),
        announce_type=kind,
    )


def _creators(item: Element) -> tuple[str, ...]:
    names: list[str] = []
    for creator in item.findall(DC_NS + "creator"):
        names.extend(split_authors(creator.text or ""))
    return unique_texts(names, len(names) or 1)


def _rfc822_date(value: str) -> str:
    """``Mon, 27 Apr 2026 00:00:00 -0400`` -> ``2026-04-27`` (the date as written), else ""."""
    if not value.strip():
        return ""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    if parsed is None or parsed.year < 1900:
        return ""
    return parsed.date().isoformat()
