"""The paper list: one line per paper, over a list of ids, rendered with the Line API.

No widget per paper: the list holds only ids (100k is fine) and asks for the rows it is about
to draw with ``fetch(ids)``, keeping a small cache that is dropped whenever the ids or the
stored state change. Refilling keeps the cursor on the same paper when it is still listed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from tui.app.formatting import authors_short, compact_number
from tui.app.keys import bindings_for

if TYPE_CHECKING:
    from tui.model import Paper
    from tui.store import Entry

Fetch = Callable[[Sequence[str]], Mapping[str, "Entry"]]

CACHE_SIZE = 512
# Rows fetched beyond the visible window, so scrolling a little does not query every line.
FETCH_MARGIN = 20
# Cells taken by " ●★ code  " (or " ●★ ☆11k  ": GitHub stars stand in for the code badge)
# before the title, and by each optional column after it.
ROW_PREFIX = 10
DATE_COLUMN = 12
AUTHORS_COLUMN = 21  # fits "Vaswani, Shazeer +6"
AUTHORS_COLUMN_NARROW = 13  # fits "Engdahl +8" (beside the popularity column)
UPVOTES_COLUMN = 7  # fits "▲1.2k": Hugging Face upvotes


def short_count(value: int) -> str:
    """At most 4 characters: 781, 1.2k, 11k, 120k."""
    if value >= 10_000:
        return f"{value // 1000}k"
    return compact_number(value)


def code_badge(paper: Paper) -> str:
    """ "★11k" when GitHub stars are known (a repository, with its popularity), else "code"
    when a repository link is known; always 5 cells."""
    if paper.github_stars:
        return f"☆{short_count(paper.github_stars)}".ljust(5)
    return "code " if paper.code_url else "     "


def upvotes(paper: Paper) -> str:
    return f"▲{short_count(paper.upvotes)}" if paper.upvotes else ""


class PaperList(ScrollView, can_focus=True):
    """A cursor over paper ids.

    | Key | Action |
    | :- | :- |
    | j, down / k, up | next / previous paper |
    | g, home / G, end | first / last paper |
    | pagedown, ctrl+f / pageup, ctrl+b | a page down / up |
    """

    BINDINGS = bindings_for("list")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--marker",
        "paper-list--saved",
        "paper-list--badge",
        "paper-list--meta",
        "paper-list--missing",
    }
    """
    | Class | Description |
    | :- | :- |
    | `paper-list--cursor` | The line under the cursor. |
    | `paper-list--unread` / `paper-list--read` | Titles of unread / read papers. |
    | `paper-list--marker` | The unread dot. |
    | `paper-list--saved` | The saved star. |
    | `paper-list--badge` | The "code" badge of papers with a repository link. |
    | `paper-list--meta` | Date and authors. |
    | `paper-list--missing` | A paper that is no longer stored. |
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted paper in the list."""

    class Highlighted(Message):
        """The paper under the cursor changed (None: the list is empty)."""

        def __init__(self, paper_id: str | None) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(
        self,
        fetch: Fetch,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch = fetch
        self._ids: list[str] = []
        self._cache: OrderedDict[str, Entry] = OrderedDict()
        self._popularity = False  # whether the upvotes column is shown (see set_ids)
        self._posted: str | bool | None = False  # False: nothing posted yet

    # -- the ids ------------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        return self._ids

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(self, ids: Sequence[str]) -> None:
        """Show these papers, keeping the cursor on the current paper if it is still listed."""
        current = self.current_id
        self._ids = list(ids)
        self._cache.clear()
        self.virtual_size = Size(0, len(self._ids))
        position = {paper_id: index for index, paper_id in enumerate(self._ids)}
        if current is not None and current in position:
            self.cursor = position[current]
        else:
            self.cursor = 0
            self.scroll_to(y=0, animate=False)
        # The upvotes column costs title width: show it only when the papers on screen
        # (fetched now for drawing anyway) have any, e.g. not for an arXiv-only list.
        self.entry(self.cursor)
        self._popularity = any(entry.paper.upvotes for entry in self._cache.values())
        self.refresh()

    def invalidate(self, paper_ids: Sequence[str] | None = None) -> None:
        """Forget cached rows (all, or these) so the next draw reads the stored state."""
        if paper_ids is None:
            self._cache.clear()
        else:
            for paper_id in paper_ids:
                self._cache.pop(paper_id, None)
        self.refresh()

    def entry(self, index: int) -> Entry | None:
        """The entry at ``index``, fetching the rows around it when not cached."""
        if not 0 <= index < len(self._ids):
            return None
        paper_id = self._ids[index]
        cached = self._cache.get(paper_id)
        if cached is not None:
            self._cache.move_to_end(paper_id)
            return cached
        top = int(self.scroll_offset.y)
        start = max(0, min(index, top) - FETCH_MARGIN)
        end = max(index, top + self.size.height) + FETCH_MARGIN
        wanted = [pid for pid in self._ids[start:end] if pid not in self._cache]
        for fetched_id, fetched in self._fetch(wanted).items():
            self._cache[fetched_id] = fetched
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return self._cache.get(paper_id)

    # -- the cursor ---------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._ids) - 1)) if self._ids else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh_line(old)
        self.refresh_line(new)
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        current = self.current_id
        if current != self._posted:
            self._posted = current
            self.post_message(self.Highlighted(current))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_home(self) -> None:
        self.cursor = 0

    def action_cursor_end(self) -> None:
        self.cursor = len(self._ids) - 1

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_cursor_into_view()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = int(self.scroll_offset.y) + offset.y
        if 0 <= row < len(self._ids):
            self.cursor = row

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.get_visual_style()
        if not 0 <= index < len(self._ids):
            return Strip.blank(width, base.rich_style)
        if index == self.cursor:
            base = self.get_visual_style("paper-list--cursor")
        content = self._row(index, width)
        strip = Strip(content.render_segments(base), content.cell_length)
        return strip.adjust_cell_length(width, base.rich_style)

    def _row(self, index: int, width: int) -> Content:
        entry = self.entry(index)
        if entry is None:
            missing = self.get_visual_style("paper-list--missing", partial=True)
            return Content.assemble(("   (no longer stored) ", missing), self._ids[index])
        paper = entry.paper
        style = self.get_visual_style
        marker = ("●", style("paper-list--marker", partial=True)) if not entry.read else " "
        saved = ("★", style("paper-list--saved", partial=True)) if entry.saved else " "
        badge = (code_badge(paper), style("paper-list--badge", partial=True))
        meta_style = style("paper-list--meta", partial=True)
        title_style = style(
            "paper-list--read" if entry.read else "paper-list--unread", partial=True
        )
        date = paper.published or "          "
        authors = authors_short(paper.authors)
        # Narrow terminals drop the authors, then the date, before the title gets too short.
        show_authors = width >= 74
        show_date = width >= 50
        show_popularity = width >= 76 and self._popularity
        authors_width = (
            AUTHORS_COLUMN if width >= 110 or not show_popularity else AUTHORS_COLUMN_NARROW
        )
        if authors_width == AUTHORS_COLUMN_NARROW:
            authors = authors_short(paper.authors, limit=1)
        fixed = (
            ROW_PREFIX
            + (DATE_COLUMN if show_date else 0)
            + (authors_width if show_authors else 0)
            + (UPVOTES_COLUMN if show_popularity else 0)
        )
        title_width = max(8, width - fixed)
        title = Content(paper.title).truncate(title_width, ellipsis=True, pad=True)
        parts: list[Content | str | tuple[str, str | Style]] = [
            " ",
            marker,
            saved,
            " ",
            badge,
            " ",
            title.stylize(title_style),
        ]
        if show_date:
            parts += ["  ", (f"{date:<10}", meta_style)]
        if show_popularity:
            parts += ["  ", (f"{upvotes(paper):<{UPVOTES_COLUMN - 2}}", meta_style)]
        if show_authors:
            short = Content(authors).truncate(authors_width - 2, ellipsis=True)
            parts += ["  ", short.stylize(meta_style)]
        return Content.assemble(*parts)
