"""Papers as files other tools read: BibTeX, RIS, CSV, JSON and Markdown.

One function per format over a list of entries, each stable and documented (README, "Export"):
the CLI's `feedtui export`, `feedtui search --json`, the TUI's `E` and the hand-off to Zotero all
write through here. Feed text is untrusted: every value is made single-line and free of control
characters first (the stored text is already sanitized; this holds even if it were not), and
each format escapes what is special to it: LaTeX in BibTeX, the tag structure in RIS, formula
injection in CSV, link syntax in Markdown.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence

from tui.bibtex import to_bibtex
from tui.links import safe_url
from tui.model import Entry, Paper, arxiv_abs_url, arxiv_pdf_url
from tui.text import clean_inline

EXPORT_FORMATS = ("bibtex", "ris", "csv", "json", "markdown")
# The file name suffix of each format (the TUI names its export files with it).
SUFFIXES = {"bibtex": "bib", "ris": "ris", "csv": "csv", "json": "json", "markdown": "md"}
# Export files are for other programs (a LaTeX build, Zotero, a spreadsheet): readable by all,
# as a file the user saved would be (a private 0600 file is what a temp file starts as).
EXPORT_MODE = 0o644
# The CSV header: these columns, in this order, whatever is added later goes at the end.
CSV_COLUMNS = (
    "id",
    "arxiv_id",
    "title",
    "authors",
    "published",
    "url",
    "pdf",
    "code",
    "project",
    "categories",
    "upvotes",
    "github_stars",
    "read",
    "saved",
)
# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...)):
# such a cell gets a leading apostrophe (OWASP's advice for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ABSTRACT_MAX = 20_000


def entry_dict(entry: Entry) -> dict[str, object]:
    """One paper as `feedtui search --json` and `feedtui export --format json` print it."""
    paper = entry.paper
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "authors": list(paper.authors),
        "published": paper.published or None,
        "url": paper.url,
        "pdf_url": paper.pdf_url or None,
        "code_url": paper.code_url or None,
        "project_url": paper.project_url or None,
        "abstract": paper.abstract,
        "categories": list(paper.categories),
        "upvotes": paper.upvotes,
        "github_stars": paper.github_stars,
        "read": entry.read,
        "saved": entry.saved,
        "sources": list(paper.sources),
    }


def export_entries(entries: Sequence[Entry], fmt: str) -> str:
    """The entries in format ``fmt`` (one of EXPORT_FORMATS), as text ending in a newline
    (empty for no entries, except CSV's header and JSON's ``[]``)."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")
    return writer(entries)


def _bibtex(entries: Sequence[Entry]) -> str:
    return "\n".join(to_bibtex(entry.paper) for entry in entries)


def _json(entries: Sequence[Entry]) -> str:
    return json.dumps([entry_dict(e) for e in entries], indent=2, ensure_ascii=False) + "\n"


# -- RIS -----------------------------------------------------------------------------------------


def _ris(entries: Sequence[Entry]) -> str:
    return "".join(_ris_record(entry.paper) for entry in entries)


def _ris_record(paper: Paper) -> str:
    """One record. arXiv papers are ``TY  - JOUR`` with ``JO  - arXiv preprint arXiv:ID``, as
    Google Scholar writes them (RIS has no preprint type; Zotero's RIS translator reads JOUR as
    a journal article and has no import type for UNPB), anything else ``TY  - GEN``."""
    tags: list[tuple[str, str]] = [("TY", "JOUR" if paper.arxiv_id else "GEN")]
    tags.append(("TI", paper.title))
    tags += [("AU", _ris_name(name)) for name in paper.authors]
    if paper.year:
        tags.append(("PY", str(paper.year)))
    if paper.published:
        tags.append(("DA", paper.published.replace("-", "/")))
    if paper.arxiv_id:
        tags.append(("JO", f"arXiv preprint arXiv:{paper.arxiv_id}"))
        tags.append(("AN", f"arXiv:{paper.arxiv_id}"))
    tags.append(("AB", paper.abstract[:_ABSTRACT_MAX]))
    tags += [("KW", category) for category in paper.categories]
    tags.append(("UR", _page(paper)))
    tags.append(("L1", _pdf(paper)))
    if paper.code_url:
        tags.append(("N1", f"Code: {safe_url(paper.code_url)}"))
    lines = [f"{tag}  - {value}" for tag, value in ((t, _ris_value(v)) for t, v in tags) if value]
    # The spec ends lines with CR LF and closes a record with "ER  - " (with its space).
    return "\r\n".join([*lines, "ER  - "]) + "\r\n"


def _ris_name(name: str) -> str:
    """ "Ashish Vaswani" -> "Vaswani, Ashish" (RIS's order); one-word names stay as they are."""
    name = _ris_value(name)
    if "," in name or " " not in name:
        return name
    first, _, last = name.rpartition(" ")
    return f"{last}, {first}"


_TAG_AT_START = re.compile(r"^[A-Z][A-Z0-9]  -")


def _ris_value(value: str) -> str:
    # One line per tag: a newline in a value would start a forged tag ("\nER  - ").
    text = _one_line(value)
    return " " + text if _TAG_AT_START.match(text) else text


# -- CSV -----------------------------------------------------------------------------------------


def _csv(entries: Sequence[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([_cell(value) for value in _csv_row(entry)])
    return buffer.getvalue()


def _csv_row(entry: Entry) -> list[object]:
    paper = entry.paper
    return [
        paper.id,
        paper.arxiv_id or "",
        paper.title,
        "; ".join(paper.authors),
        paper.published,
        _page(paper),
        _pdf(paper),
        safe_url(paper.code_url),
        safe_url(paper.project_url),
        " ".join(paper.categories),
        "" if paper.upvotes is None else paper.upvotes,
        "" if paper.github_stars is None else paper.github_stars,
        "true" if entry.read else "false",
        "true" if entry.saved else "false",
    ]


def _cell(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    text = _one_line(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# -- Markdown ------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _markdown(entries: Sequence[Entry]) -> str:
    return "".join(_markdown_item(entry.paper) + "\n" for entry in entries)


def _markdown_item(paper: Paper) -> str:
    """``- [Title](page)`` then an indented line of authors and date, and the links."""
    title = _markdown_text(paper.title) or "(untitled)"
    page = _markdown_url(_page(paper))
    lines = [f"- [{title}]({page})" if page else f"- {title}"]
    details = [_markdown_text(", ".join(paper.authors)) or "unknown authors"]
    details.append(paper.published or "undated")
    if paper.arxiv_id:
        details.append(f"arXiv:{_markdown_text(paper.arxiv_id)}")
    lines.append(f"  {' · '.join(details)}")
    links = [
        f"[{label}]({url})"
        for label, url in (
            ("PDF", _markdown_url(_pdf(paper))),
            ("code", _markdown_url(safe_url(paper.code_url))),
            ("project", _markdown_url(safe_url(paper.project_url))),
        )
        if url
    ]
    if links:
        lines.append(f"  {' · '.join(links)}")
    return "\n".join(lines)


def _markdown_text(text: str) -> str:
    # Escaped so a title cannot close the link, start a heading or a table, or carry HTML.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def _markdown_url(url: str) -> str:
    # A validated URL has no spaces; parentheses would end the link target early.
    return url.replace("(", "%28").replace(")", "%29")


# -- shared --------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Plain single-line text: newlines, tabs and control characters gone (clean_inline)."""
    return clean_inline(text, max_len=_ABSTRACT_MAX)


def _page(paper: Paper) -> str:
    url = safe_url(paper.url)
    return url or (arxiv_abs_url(paper.arxiv_id) if paper.arxiv_id else "")


def _pdf(paper: Paper) -> str:
    url = safe_url(paper.pdf_url)
    return url or (arxiv_pdf_url(paper.arxiv_id) if paper.arxiv_id else "")


_WRITERS: dict[str, Callable[[Sequence[Entry]], str]] = {
    "bibtex": _bibtex,
    "ris": _ris,
    "csv": _csv,
    "json": _json,
    "markdown": _markdown,
}

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "EXPORT_MODE",
    "SUFFIXES",
    "entry_dict",
    "export_entries",
]
