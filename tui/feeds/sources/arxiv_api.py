"""arXiv API results in Atom (``https://export.arxiv.org/api/query?...``).

Both formats seen in the wild are read the same way, since namespaces are resolved by the XML
parser: the older one (``http`` links, ``xmlns`` repeated on each ``arxiv:`` element, titles
hard-wrapped with leading spaces) and the one since late 2025 (``https``, namespaces once on
``<feed>``). The Atom flavour of rss.arxiv.org (``/atom/cs.LG``) is read too: its ids are
``oai:arXiv.org:...`` guids and its summaries carry the ``Announce Type`` prefix.

Per entry: the id from ``<id>`` (or the alternate link), ``published`` (v1) and ``updated``
(this version), authors, categories with ``arxiv:primary_category`` first, ``arxiv:comment``
kept and mined for code links ("Code: https://github.com/...") before the abstract, the PDF
link matched on ``type="application/pdf"`` (the ``title="pdf"`` attribute went missing for a
while in 2025). The PDF URL stored is the unversioned one derived from the id, so it always
opens the latest version; the feed's link is only a fallback.

Errors come back as a feed whose single entry is titled ``Error``: a `ParseError` with the
entry's summary ("incorrect id format for 1234.12345v").
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from tui.feeds.sources import (
    MAX_AUTHORS,
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
    iso_date,
    local_name,
    split_announcement,
    split_authors,
    title_text,
    unique_texts,
)
from tui.links import pick_code_url, pick_project_url, safe_url
from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url, canonical_arxiv_id

ATOM_NS = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"


def parse(body: bytes) -> ParseResult:
    check_not_a_feed(body)
    events = XmlEvents(body)
    papers: list[Paper] = []
    skipped = 0
    depth = 0
    root = ""
    for event, element in events:
        if event == "start":
            if not root:
                root = element.tag if isinstance(element.tag, str) else "?"
                if root != ATOM_NS + "feed":
                    shown = field_text(local_name(root), 40) or "?"
                    raise ParseError(f"not an Atom feed (the document is <{shown}>)")
            depth += 1
            continue
        depth -= 1
        if element.tag == ATOM_NS + "title" and depth == 1:
            check_arxiv_error_title(element.text or "")
        elif element.tag == ATOM_NS + "entry":
            _check_error_entry(element)
            paper = paper_from_entry(element)
            if paper is None:
                skipped += 1
            else:
                papers.append(paper)
            element.clear()
    return finish_xml(papers, skipped, events.error, saw_root=bool(root))


def _check_error_entry(entry: Element) -> None:
    title = child_text(entry, ATOM_NS + "title").strip()
    entry_id = child_text(entry, ATOM_NS + "id")
    if title == "Error" and canonical_arxiv_id(entry_id) is None:
        reason = field_text(child_text(entry, ATOM_NS + "summary"), 300) or "unknown error"
        raise ParseError(f"arXiv said: {reason}")


def paper_from_entry(entry: Element) -> Paper | None:
    """One Atom ``<entry>`` -> Paper, or None when it has no arXiv id or no title."""
    pdf_link = ""
    alternate = ""
    for link in entry.findall(ATOM_NS + "link"):
        href = link.get("href", "")
        if link.get("type", "") == "application/pdf" and not pdf_link:
            pdf_link = href
        elif link.get("rel", "alternate") == "alternate" and not alternate:
            alternate = href
    entry_id = child_text(entry, ATOM_NS + "id")
    arxiv_id = canonical_arxiv_id(entry_id) or canonical_arxiv_id(alternate)
    if arxiv_id is None:
        return None
    title = title_text(child_text(entry, ATOM_NS + "title"))
    if not title:
        return None
    _versioned, announced, abstract_raw = split_announcement(child_text(entry, ATOM_NS + "summary"))
    abstract = abstract_text(_paragraphs(abstract_raw))
    comment = field_text(child_text(entry, ARXIV_NS + "comment"))
    kind = announce_type(child_text(entry, ARXIV_NS + "announce_type")) or announce_type(announced)
    return Paper(
        id=arxiv_id,
        title=title,
        authors=_authors(entry),
        abstract=abstract,
        published=iso_date(child_text(entry, ATOM_NS + "published")),
        updated=iso_date(child_text(entry, ATOM_NS + "updated")),
        arxiv_id=arxiv_id,
        url=arxiv_abs_url(arxiv_id),
        pdf_url=arxiv_pdf_url(arxiv_id) or safe_url(pdf_link),
        code_url=pick_code_url(comment=comment, abstract=abstract),
        project_url=pick_project_url(comment=comment, abstract=abstract),
        categories=_categories(entry),
        comment=comment,
        announce_type=kind,
    )


# arXiv abstracts mark a new paragraph with an indented line ("...prediction.\n  In this
# paper"); other newlines are hard wraps.
_INDENTED_LINE_RE = re.compile(r"\n[ \t]+(?=\S)")


def _paragraphs(summary: str) -> str:
    return _INDENTED_LINE_RE.sub("\n\n", summary.strip())


def _authors(entry: Element) -> tuple[str, ...]:
    names = [
        child_text(author, ATOM_NS + "name")
        for author in entry.findall(ATOM_NS + "author")[:MAX_AUTHORS]
    ]
    if len(names) == 1 and "," in names[0]:
        # rss.arxiv.org/atom lists every author in one comma-joined name.
        return split_authors(names[0])
    return unique_texts(names, MAX_AUTHORS)


def _categories(entry: Element) -> tuple[str, ...]:
    primary = entry.find(ARXIV_NS + "primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [c.get("term", "") for c in entry.findall(ATOM_NS + "category")[: MAX_CATEGORIES * 2]]
    return unique_texts(terms, MAX_CATEGORIES)
