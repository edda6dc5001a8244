"""One line of the paper list: which columns fit, and what each shows.

The title gets the room: upvotes, stars and the code badge share one short column, and the
authors, then the date, then the badges give way before the title would get less than half
of the row. A list of related papers (`m`, `f`) shows why each is there instead of the date
and the authors: the key terms it shares ("diffusion · video · temporal").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.content import Content
from textual.style import Style

from tui.app.formatting import authors_short, compact_number, highlighted
from tui.tags import cells, tags_label

if TYPE_CHECKING:
    from tui.model import Entry, Paper, Rise

# Cells before the title: "+●★ " (selected, unread dot, saved star).
ROW_PREFIX = 4
DATE_WIDTH = 10  # 2025-01-03
AUTHORS_WIDTH = 20  # fits "Vaswani, Shazeer +6"
AUTHORS_WIDTH_SHORT = 12  # fits "Engdahl +8"
GAP = 2  # between columns
# The user's tags and note mark take at most this share of the title column, then "+N".
KEPT_SHARE = 1 / 3
NOTE_MARK = "✎"
# The title keeps at least this share of the row: optional columns give way first.
TITLE_SHARE = 0.5
MIN_TITLE = 8
# The key terms of a related paper: room for three or four words, or at least two.
BECAUSE_WIDTH = 32
BECAUSE_WIDTH_SHORT = 20
# Related lists are read for their reasons: the title gives up a little more room to them.
BECAUSE_TITLE_SHARE = 0.4
BECAUSE_SEPARATOR = " · "


def short_count(value: int) -> str:
    """At most 4 characters: 781, 1.2k, 11k, 120k."""
    if value >= 10_000:
        return f"{value // 1000}k"
    return compact_number(value)


def badges(paper: Paper, rise: Rise | None = None, window: str = "24h") -> str:
    """What the paper has going for it, in one short column: Hugging Face upvotes, then
    GitHub stars (which stand for a known repository) or "code" when only a link is known:
    ``▲781 ☆11k``, ``▲12 code``, ``code``. A count that rose over the rising window says by
    how much beside it: ``▲781 +120/24h``."""
    parts = []
    if paper.upvotes:
        parts.append(f"▲{short_count(paper.upvotes)}" + _gain(rise.upvotes if rise else 0, window))
    if paper.github_stars:
        parts.append(
            f"☆{short_count(paper.github_stars)}" + _gain(rise.stars if rise else 0, window)
        )
    elif paper.code_url:
        parts.append("code")
    return " ".join(parts)


def _gain(value: int, window: str) -> str:
    # Only a rise is news: a count that fell (a feed's correction) or stood still says nothing.
    return f" +{short_count(value)}/{window}" if value > 0 else ""


@dataclass(frozen=True, slots=True)
class Columns:
    """How the cells of a row are shared, for one width and the rows on screen."""

    title: int
    badges: int  # 0: no column
    date: bool
    authors: int  # 0: no column
    because: int = 0  # the key terms of a related paper, instead of the date and authors

    @classmethod
    def fit(cls, width: int, badges_width: int, because: bool = False) -> Columns:
        """The most columns that leave the title its share: authors go first, then the date,
        then the badges. With `because`, the key terms take the place of the date and the
        authors, and give way to the title last."""
        if because:
            return cls._fit_because(width, badges_width)
        floor = max(MIN_TITLE, int(width * TITLE_SHARE))
        options = (
            (badges_width, True, AUTHORS_WIDTH),
            (badges_width, True, AUTHORS_WIDTH_SHORT),
            (badges_width, True, 0),
            (badges_width, False, 0),
            (0, False, 0),
        )
        for badge, date, authors in options:
            fixed = ROW_PREFIX
            fixed += (badge + GAP) if badge else 0
            fixed += (DATE_WIDTH + GAP) if date else 0
            fixed += (authors + GAP) if authors else 0
            if width - fixed >= floor:
                return cls(width - fixed, badge, date, authors)
        return cls(max(MIN_TITLE, width - ROW_PREFIX), 0, False, 0)

    @classmethod
    def _fit_because(cls, width: int, badges_width: int) -> Columns:
        floor = max(MIN_TITLE, int(width * BECAUSE_TITLE_SHARE))
        options = (
            (badges_width, BECAUSE_WIDTH),
            (badges_width, BECAUSE_WIDTH_SHORT),
            (0, BECAUSE_WIDTH_SHORT),
        )
        for badge, reasons in options:
            fixed = ROW_PREFIX + ((badge + GAP) if badge else 0) + reasons + GAP
            if width - fixed >= floor:
                return cls(width - fixed, badge, False, 0, reasons)
        return cls(max(MIN_TITLE, width - ROW_PREFIX), 0, False, 0)


def because_text(terms: Sequence[str], width: int) -> str:
    """As many whole terms as fit in `width`, strongest first: ``diffusion · video``."""
    shown = ""
    for term in terms:
        candidate = f"{shown}{BECAUSE_SEPARATOR}{term}" if shown else term
        if len(candidate) > width:
            break
        shown = candidate
    if not shown and terms:  # one long word: cut it rather than show nothing
        shown = terms[0][: max(0, width - 1)] + "…"
    return shown


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The list's component styles a row uses (PaperList.COMPONENT_CLASSES)."""

    NAMES: ClassVar[tuple[str, ...]] = (
        "marker", "saved", "badge", "meta", "match", "read", "unread", "tag"
    )  # fmt: skip
    marker: Style
    saved: Style
    badge: Style
    meta: Style
    match: Style
    read: Style
    unread: Style
    tag: Style


def kept_label(entry: Entry, width: int) -> str:
    """``✎ #diffusion #to-read`` in at most ``width`` cells: the note mark, then the tags that
    fit and ``+N`` for the rest ("" when the paper has neither)."""
    mark = NOTE_MARK if entry.note else ""
    if not entry.tags:
        return mark if width >= 1 else ""
    tags = tags_label(entry.tags, width - (2 if mark else 0))
    return " ".join(part for part in (mark, tags) if part)


def paper_row(
    entry: Entry,
    columns: Columns,
    match: re.Pattern[str] | None,
    styles: RowStyles,
    rise: Rise | None = None,
    window: str = "24h",
    because: Sequence[str] = (),
    selected: bool = False,
) -> Content:
    """``+●★ Title…  ▲781 ☆11k  2025-01-03  Vaswani +6``, cut to `columns` (the ``+`` of a
    selected paper takes the first cell, which is otherwise blank: nothing shifts); a related
    paper ends with its key terms instead of the date and authors: `` ●★ Title…  ▲781  diffusion
    · video``."""
    paper = entry.paper
    mark = ("+", styles.marker) if selected else " "
    marker = ("●", styles.marker) if not entry.read else " "
    saved = ("★", styles.saved) if entry.saved else " "
    title = highlighted(paper.title, match, styles.match)
    kept = kept_label(entry, int(columns.title * KEPT_SHARE))
    room = columns.title - (cells(kept) + 1 if kept else 0)
    title = title.truncate(room, ellipsis=True, pad=True)
    if kept:
        title = Content.assemble(title, " ", (kept, styles.tag))
    parts: list[Content | str | tuple[str, str | Style]] = [
        mark,
        marker,
        saved,
        " ",
        title.stylize_before(styles.read if entry.read else styles.unread),
    ]
    if columns.badges:
        parts += [
            "  ",
            (f"{badges(paper, rise, window)[: columns.badges]:<{columns.badges}}", styles.badge),
        ]
    if columns.because:
        parts += ["  ", (because_text(because, columns.because), styles.meta)]
    if columns.date:
        parts += ["  ", (f"{paper.published or '':<{DATE_WIDTH}}", styles.meta)]
    if columns.authors:
        limit = 2 if columns.authors == AUTHORS_WIDTH else 1
        short = Content(authors_short(paper.authors, limit=limit))
        parts += ["  ", short.truncate(columns.authors, ellipsis=True).stylize(styles.meta)]
    return Content.assemble(*parts)
