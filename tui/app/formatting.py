"""Turning papers into what the screen shows, always as plain text.

Feed text is untrusted: it is placed in `Content` objects built from plain strings and styled
by offsets, never parsed as markup, so ``[@click=app.quit]x[/]`` or ``The [CLS] token`` show
exactly as written and nothing in them can run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.style import Style

from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url
from tui.text import clean_lines

# The preview shows this many lines of the user's note (`n` or `feedtui note --show`: all).
NOTE_PREVIEW_LINES = 20

Styleish = Style | str


def authors_short(authors: Sequence[str], limit: int = 2) -> str:
    """``Vaswani, Shazeer +6``: surnames of the first authors and how many more."""
    if not authors:
        return ""
    names = [surname(name) for name in authors[:limit]]
    more = len(authors) - limit
    return ", ".join(names) + (f" +{more}" if more > 0 else "")


def surname(name: str) -> str:
    # "Ashish Vaswani" -> "Vaswani"; "Vaswani, Ashish" -> "Vaswani".
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else name


def paper_page_url(paper: Paper) -> str:
    if paper.url:
        return paper.url
    return arxiv_abs_url(paper.arxiv_id) if paper.arxiv_id else ""


def pdf_url(paper: Paper) -> str:
    if paper.pdf_url:
        return paper.pdf_url
    return arxiv_pdf_url(paper.arxiv_id) if paper.arxiv_id else ""


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching the search terms at the start of words."""
    cleaned = sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(term) for term in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def highlighted(text: str, pattern: re.Pattern[str] | None, style: Styleish) -> Content:
    content = Content(text)
    if pattern is None or not style:
        return content
    return content.highlight_regex(pattern, style=style)


def compact_number(value: int) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return str(value)


def preview_content(
    paper: Paper,
    read: bool,
    saved: bool,
    terms: Iterable[str] = (),
    *,
    match_style: Styleish = "reverse",
    label_style: Styleish = "bold",
    title_style: Styleish = "bold",
    tags: Sequence[str] = (),
    note: str = "",
    fulltext: bool = False,
    because: Sequence[str] = (),
) -> Content:
    """Everything about one paper, for the preview pane, with the user's tags and the start
    of their note (as written: its Markdown source, made display-safe). `because`: the key
    terms a related paper (m, f) shares with what it was compared to."""
    pattern = highlight_pattern(terms)

    def text(value: str) -> Content:
        return highlighted(value, pattern, match_style)

    parts: list[Content | str | tuple[str, Styleish]] = []
    parts += [text(paper.title).stylize(title_style), "\n\n"]
    if paper.authors:
        parts += [(_label("Authors"), label_style), text(", ".join(paper.authors)), "\n"]
    facts = [paper.published or "date unknown"]
    if paper.arxiv_id:
        facts.append(f"arXiv {paper.arxiv_id}")
    if paper.upvotes is not None:
        facts.append(f"▲ {paper.upvotes} upvotes")
    if paper.github_stars is not None:
        facts.append(f"★ {compact_number(paper.github_stars)} stars")
    parts += [(_label("Date"), label_style), " · ".join(facts), "\n"]
    status = ("read" if read else "unread") + (" · saved" if saved else "")
    if fulltext:
        status += " · full text offline (t reads it)"
    parts += [(_label("Status"), label_style), status, "\n"]
    if tags:
        parts += [(_label("Tags"), label_style), " ".join(f"#{tag}" for tag in tags), "\n"]
    if because:
        parts += [(_label("Because"), label_style), " · ".join(because), "\n"]
    if paper.categories:
        parts += [(_label("Categories"), label_style), ", ".join(paper.categories), "\n"]
    if paper.ai_keywords:
        parts += [(_label("Keywords"), label_style), text(", ".join(paper.ai_keywords)), "\n"]
    if note:
        lines, more = clean_lines(note, NOTE_PREVIEW_LINES)
        parts += ["\n", ("Your note", label_style), "\n", "\n".join(lines), "\n"]
        if more:
            parts += [("… (n shows all of it)", label_style), "\n"]
    if paper.ai_summary:
        parts += ["\n", ("AI summary", label_style), "\n", text(paper.ai_summary), "\n"]
    parts += ["\n", ("Abstract", label_style), "\n"]
    parts += [text(paper.abstract) if paper.abstract else "(no abstract)", "\n\n"]
    parts += [("Links", label_style), "\n"]
    links = (
        ("Paper", paper_page_url(paper)),
        ("PDF", pdf_url(paper)),
        ("Code", paper.code_url),
        ("Project", paper.project_url),
    )
    for name, url in links:
        parts += [(_label(name), label_style), url or "—", "\n"]
    return Content.assemble(*parts)


def _label(name: str) -> str:
    return f"{name:<11}"
