"""The paper list: one line per paper, over a list of ids, rendered with the Line API.

No widget per paper: the list holds only ids (100k is fine) and asks for the rows it is about
to draw with ``fetch(ids)``, keeping a small cache that is dropped whenever the ids or the
stored state change. The rows' momentum (``▲781 +120/24h``) is asked for the same rows at the
same time with ``rises(ids)``: one more query per page of rows, not one per row. Refilling
keeps the cursor on the same paper when it is still listed.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.formatting import highlight_pattern
from tui.app.keys import bindings_for
from tui.app.widgets.paper_row import Columns, RowStyles, badges, paper_row

if TYPE_CHECKING:
    from tui.model import Entry, Rise

Fetch = Callable[[Sequence[str]], Mapping[str, "Entry"]]
FetchRises = Callable[[Sequence[str]], Mapping[str, "Rise"]]

CACHE_SIZE = 512
# Rows fetched beyond the visible window, so scrolling a little does not query every line.
FETCH_MARGIN = 20
# Ids read per step when looking for the next unread paper beyond the fetched rows.
SCAN_CHUNK = 256


class PaperList(ScrollView, can_focus=True):
    """A cursor over paper ids.

    | Key | Action |
    | :- | :- |
    | j, down / k, up | next / previous paper |
    | n / N | next / previous unread paper |
    | g, home / G, end | first / last paper |
    | pagedown, ctrl+f / pageup, ctrl+b | a page down / up |
    | space | select or unselect the paper, then go to the next |
    | ctrl+d / ctrl+u | half a page down / up |
    """

    DEFAULT_CSS = """
    PaperList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        border: tall $border-blurred;
        &:focus {
            border: tall $border;
        }
        & > .paper-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .paper-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .paper-list--unread {
            text-style: bold;
        }
        & > .paper-list--read {
            text-style: dim;
        }
        & > .paper-list--marker {
            color: $accent;
        }
        & > .paper-list--saved {
            color: $warning;
        }
        & > .paper-list--badge {
            color: $success;
            text-style: bold;
        }
        & > .paper-list--meta {
            color: $text-muted;
        }
        & > .paper-list--match {
            color: $text-warning;
            text-style: bold underline;
        }
        & > .paper-list--missing {
            color: $text-disabled;
        }
        & > .paper-list--tag {
            color: $text-accent;
        }
        & > .paper-list--selected {
            background: $accent 30%;
        }
    }
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
        "paper-list--match",
        "paper-list--missing",
        "paper-list--tag",
        "paper-list--selected",
    }
    """
    | Class | Description |
    | :- | :- |
    | `paper-list--cursor` | The line under the cursor. |
    | `paper-list--unread` / `paper-list--read` | Titles of unread / read papers. |
    | `paper-list--marker` | The unread dot. |
    | `paper-list--saved` | The saved star. |
    | `paper-list--badge` | Upvotes, GitHub stars or the "code" badge. |
    | `paper-list--meta` | Date and authors. |
    | `paper-list--match` | Words of the title that match the search. |
    | `paper-list--missing` | A paper that is no longer stored. |
    | `paper-list--tag` | The paper's tags and note mark (`✎ #to-read`). |
    | `paper-list--selected` | The line of a selected paper (space selects). |
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted paper in the list."""

    @dataclass
    class Highlighted(Message):
        """The paper under the cursor changed (None: the list is empty)."""

        paper_list: PaperList
        paper_id: str | None
        by_user: bool  # a key or a click moved the cursor (not a refill of the list)

        @property
        def control(self) -> PaperList:
            return self.paper_list

    @dataclass
    class SelectionChanged(Message):
        """Papers were selected or unselected (space, ctrl+a, escape)."""

        paper_list: PaperList

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(
        self,
        fetch: Fetch,
        *,
        rises: FetchRises | None = None,
        rise_window: str = "24h",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch = fetch
        self._fetch_rises = rises
        self._rise_window = rise_window  # the label of a rise: "+120/24h"
        self._rises: dict[str, Rise] = {}  # of the cached rows that rose
        self._ids: list[str] = []
        self._cache: OrderedDict[str, Entry] = OrderedDict()
        self._badges_width = 0  # the badge column's width for the rows on screen
        self._match: re.Pattern[str] | None = None  # the search terms, to highlight
        self._posted: str | bool | None = False  # False: nothing posted yet
        self._refilling = False
        # A related list (m, f): each paper's shared key terms, shown in its row. None: a
        # search's list, with dates and authors.
        self._because: Mapping[str, Sequence[str]] | None = None
        # The selection, in the order it was made. UI state only (never stored); it outlives a
        # new search, so papers found by several searches can be gathered and exported at once.
        self._selected: dict[str, None] = {}

    # -- the ids ------------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        return self._ids

    @property
    def current_id(self) -> str | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(
        self,
        ids: Sequence[str],
        *,
        keep_cursor: bool = True,
        terms: Iterable[str] = (),
        because: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Show these papers. A refill (`keep_cursor`) keeps the cursor on the current paper
        if it is still listed; a new search puts it on the first (best) one. `because`: the
        papers are related ones (m, f), each row ends with the key terms that explain it."""
        current = self.current_id
        self._because = because
        self._ids = list(ids)
        self._cache.clear()
        self._rises.clear()
        self._match = highlight_pattern(terms)
        self.virtual_size = Size(0, len(self._ids))
        position = (
            {paper_id: index for index, paper_id in enumerate(self._ids)} if keep_cursor else {}
        )
        self._refilling = True
        try:
            if current is not None and current in position:
                self.cursor = position[current]
            else:
                self.cursor = 0
                self.scroll_to(y=0, animate=False, force=True)
        finally:
            self._refilling = False
        self.entry(self.cursor)  # fetches the rows on screen, which the badge column reads
        self._fit_badges()
        self.refresh()

    def move_to(self, paper_id: str | None) -> None:
        """Put the cursor on this paper, if listed (a list put back as the user left it)."""
        if paper_id is not None and paper_id in self._ids:
            self._refilling = True
            try:
                self.cursor = self._ids.index(paper_id)
            finally:
                self._refilling = False

    def invalidate(self, paper_ids: Sequence[str] | None = None) -> None:
        """Forget cached rows (all, or these) so the next draw reads the stored state."""
        if paper_ids is None:
            self._cache.clear()
            self._rises.clear()
        else:
            for paper_id in paper_ids:
                self._cache.pop(paper_id, None)
                self._rises.pop(paper_id, None)
        self.refresh()

    def patch(self, mark: str, values: Mapping[str, bool]) -> None:
        """Draw these read or saved marks now, before the store has them (the next refetch
        shows what is stored)."""
        for paper_id, value in values.items():
            entry = self._cache.get(paper_id)
            if entry is not None:
                marks = {"read": entry.read, "saved": entry.saved, mark: value}
                self._cache[paper_id] = replace(entry, read=marks["read"], saved=marks["saved"])
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
        self._rises.update(self._read_rises(wanted))
        while len(self._cache) > CACHE_SIZE:
            dropped, _ = self._cache.popitem(last=False)
            self._rises.pop(dropped, None)
        return self._cache.get(paper_id)

    def _read_rises(self, ids: Sequence[str]) -> Mapping[str, Rise]:
        if self._fetch_rises is None or not ids:
            return {}
        try:
            return self._fetch_rises(ids)
        except Exception:  # momentum only decorates a row: a failed read leaves it plain
            return {}

    def _fit_badges(self) -> None:
        # The badge column takes title width: as wide as the rows fetched for the screen need,
        # and none at all for a list without upvotes, stars or code (an arXiv-only list).
        window = self._rise_window
        self._badges_width = max(
            (
                len(badges(entry.paper, self._rises.get(paper_id), window))
                for paper_id, entry in self._cache.items()
            ),
            default=0,
        )

    # -- the selection ------------------------------------------------------------------------

    @property
    def selected(self) -> list[str]:
        """The selected ids: those listed, in list order, then those the search now hides."""
        if not self._selected:
            return []
        listed = [paper_id for paper_id in self._ids if paper_id in self._selected]
        shown = set(listed)
        return listed + [paper_id for paper_id in self._selected if paper_id not in shown]

    @property
    def selected_count(self) -> int:
        return len(self._selected)

    def selected_hidden(self) -> int:
        """How many selected papers the list does not show (another search hides them)."""
        if not self._selected:
            return 0
        return len(self._selected) - sum(1 for i in self._ids if i in self._selected)

    def action_toggle_selection(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        if paper_id in self._selected:
            del self._selected[paper_id]
        else:
            self._selected[paper_id] = None
        self.refresh_line(self.cursor)
        self.cursor += 1
        self.post_message(self.SelectionChanged(self))

    def select_all(self) -> None:
        for paper_id in self._ids:
            self._selected[paper_id] = None
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def clear_selection(self) -> None:
        self._selected.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    # -- the cursor ---------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._ids) - 1)) if self._ids else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh_line(old)
        self.refresh_line(new)
        current = self.current_id
        if current != self._posted:
            self._posted = current
            self.post_message(self.Highlighted(self, current, by_user=not self._refilling))

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

    def action_half_page_down(self) -> None:
        self.cursor += max(1, self._page() // 2)

    def action_half_page_up(self) -> None:
        self.cursor -= max(1, self._page() // 2)

    def action_next_unread(self) -> None:
        self._to_unread(step=1)

    def action_previous_unread(self) -> None:
        self._to_unread(step=-1)

    def _to_unread(self, step: int) -> None:
        index = self.find_unread(self.cursor + step, step)
        if index is None:
            self.notify(
                "No unread paper " + ("below" if step > 0 else "above"), severity="information"
            )
        else:
            self.cursor = index

    def find_unread(self, start: int, step: int) -> int | None:
        """The index of the first unread paper from `start` on (in the direction of `step`),
        reading the ids in chunks so a long read stretch costs a few queries, not one each."""
        index = start
        while 0 <= index < len(self._ids):
            if step > 0:
                chunk = self._ids[index : index + SCAN_CHUNK]
            else:
                chunk = self._ids[max(0, index - SCAN_CHUNK + 1) : index + 1][::-1]
            missing = [paper_id for paper_id in chunk if paper_id not in self._cache]
            fetched = dict(self._fetch(missing)) if missing else {}
            for offset, paper_id in enumerate(chunk):
                entry = self._cache.get(paper_id) or fetched.get(paper_id)
                if entry is not None and not entry.read:
                    return index + offset * step
            index += len(chunk) * step
        return None

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
        elif self._ids[index] in self._selected:
            base = self.get_visual_style("paper-list--selected")
        content = self._row(index, width)
        strip = Strip(content.render_segments(base), content.cell_length)
        return strip.adjust_cell_length(width, base.rich_style)

    def _row(self, index: int, width: int) -> Content:
        entry = self.entry(index)
        if entry is None:
            missing = self.get_visual_style("paper-list--missing", partial=True)
            return Content.assemble(("   (no longer stored) ", missing), self._ids[index])
        style = self.get_visual_style
        styles = RowStyles(
            **{name: style(f"paper-list--{name}", partial=True) for name in RowStyles.NAMES}
        )
        because = self._because
        columns = Columns.fit(width, self._badges_width, because=because is not None)
        paper_id = entry.paper.id
        rise = self._rises.get(paper_id)
        reasons = because.get(paper_id, ()) if because is not None else ()
        selected = paper_id in self._selected
        return paper_row(
            entry, columns, self._match, styles, rise, self._rise_window, reasons, selected
        )

    def rise(self, paper_id: str) -> Rise | None:
        """The cached rise of a listed paper (None: it did not rise, or is not fetched)."""
        return self._rises.get(paper_id)
