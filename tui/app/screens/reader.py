"""The reader (t, or Enter in the preview): the paper's full text, found, scrolled, searched.

The text is fetched and converted in a thread worker (tui/fulltext: the cache first, then the
configured sources) while the screen says "Fetching the full text…"; then it is shown with
Textual's MarkdownViewer (tui/app/widgets/paper_text.py). `/` finds in the paper, n / N go to
the next / previous match ("match 3 of 12"), c shows the contents (sections to jump to).
When no source has the paper, one line says so with the PDF link.

The keys typed right behind `t` (`t/attention⏎`, in one burst or over SSH) wait for the text:
the reader keeps every key until its text is drawn, then applies them in order
(tui/app/key_order.py). Esc and q close it at once while the text is on its way, unless they
were typed behind other kept keys before the reader was even drawn.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from tui.app.key_order import KeepsEarlyKeys, after_keys_in_flight
from tui.app.keys import bindings_for
from tui.app.paper_links import PaperLinks
from tui.app.widgets.paper_lines import (
    BIG_TEXT_BLOCKS,
    PaperLines,
    RenderedText,
    block_count,
    render_markdown,
    split_first_part,
)
from tui.app.widgets.paper_text import PaperText, first_screen
from tui.app.widgets.text_entry import TextEntry
from tui.fulltext import CACHED, FullText, FullTextUnavailable, for_library

if TYPE_CHECKING:
    from tui.library import Library
    from tui.model import Entry

FETCH_GROUP = "fulltext"
RENDER_GROUP = "fulltext-render"
# How long the render worker waits for the first part to be drawn before rendering the rest.
FIRST_FRAME_WAIT = 2.0
FETCHING = "Fetching the full text…"


# What a key may do while the reader waits for its text: close it (kept like the others when it
# was typed behind them before the reader was drawn: `t/word<Esc>` closes the find box).
WHILE_WAITING = frozenset({"back", "close"})


class ReaderScreen(KeepsEarlyKeys[None]):
    """The full text of `entry`, or of the paper given to `read` (the main screen opens the
    reader at once, and says which paper once the keys typed before `t` are applied)."""

    BINDINGS = bindings_for("reader")
    # Nothing has the focus until the text is drawn, so the keys typed meanwhile are kept.
    AUTO_FOCUS = ""
    DEFAULT_CSS = """
    ReaderScreen {
        & #reader-title {
            height: auto;
            max-height: 3;
            padding: 0 1;
            text-style: bold;
            background: $panel;
        }
        & #reader-state {
            height: 1fr;
            padding: 1 2;
        }
        & #reader-find {
            display: none;
            dock: bottom;
        }
        &.-finding #reader-find {
            display: block;
        }
        & #reader-contents {
            dock: left;
            width: 36;
            max-width: 50%;
            display: none;
        }
        &.-contents #reader-contents {
            display: block;
        }
        & #reader-status {
            height: 1;
            padding: 0 1;
            color: $text-muted;
        }
    }
    """

    def __init__(self, library: Library, entry: Entry | None = None) -> None:
        super().__init__()
        self.library = library
        self.entry = entry
        self.links = PaperLinks(self, library)
        self.text: FullText | None = None
        self.matches: list[int] = []
        self.match = -1  # index into matches of the one shown
        self.opened_at = time.perf_counter()  # for the time to first paint (tests/bench)
        self.shown_at: float | None = None  # the first frame with text drawn
        self.loaded = False  # every block mounted
        self._waiting_for_blocks: Timer | None = None
        self._first_frame = threading.Event()
        self._mounted_here = False
        self._steps_waiting: list[int] | None = None  # n / N typed while a find is on its way
        self._drawn = False  # on screen (Esc and q work from here on)
        self._waiting = True  # for the text (or for knowing there is none): keys are kept

    def compose(self) -> ComposeResult:
        title = self.entry.paper.title if self.entry else ""
        yield Static(Content(title), id="reader-title", markup=False)
        with Vertical(id="reader-body"):
            yield Static(Content(FETCHING), id="reader-state", markup=False)
        yield TextEntry(placeholder="Find in the paper (Enter: go, Esc: close)", id="reader-find")
        yield Static("", id="reader-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._mounted_here = True
        self.call_after_refresh(self._on_screen)
        if self.entry is not None:
            self.fetch_text()

    def _on_screen(self) -> None:
        self._drawn = True
        self.refresh_bindings()  # Esc and q show as usable in the footer

    def read(self, entry: Entry) -> None:
        """Fetch and show `entry`'s text (the reader was opened without a paper)."""
        if self.entry is not None:
            return
        self.entry = entry
        if self._mounted_here:  # else on_mount fetches it
            self.query_one("#reader-title", Static).update(Content(entry.paper.title))
            self.fetch_text()

    @property
    def paper_text(self) -> PaperText | PaperLines | None:
        """The text on screen: the Markdown viewer, or the lines of a long paper."""
        for widget in self.query("#reader-text"):
            if isinstance(widget, PaperText | PaperLines):
                return widget
        return None

    def _text_width(self) -> int:
        # The reader's width, less its padding (1 + 1) and the vertical scrollbar (2): the
        # width PaperLines then has, so that it need not render again once mounted.
        return max(20, self.app.size.width - 4)

    # -- fetching -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group=FETCH_GROUP, exit_on_error=False)
    def fetch_text(self) -> tuple[FullText, RenderedText | str | None]:
        """The text, and how to draw it: its rendered lines (a long paper), or the first
        screen to mount first ("" : all at once), or None (shown part by part already)."""
        assert self.entry is not None
        paper = self.entry.paper
        text = for_library(self.library).get(paper.id, paper.pdf_url)
        if block_count(text.markdown) <= BIG_TEXT_BLOCKS:
            return text, first_screen(text.markdown, self.app.size.width * self.app.size.height)
        # A long paper is drawn as lines, rendered here, off the event loop: its first part
        # is shown as soon as it is rendered, the rest follows.
        width = self._text_width()
        first, rest = split_first_part(text.markdown)
        worker = get_current_worker()
        if rest:
            first_lines = render_markdown(first, width)
            if worker.is_cancelled:  # the reader was closed meanwhile
                return text, None
            self.app.call_from_thread(self.show_text, text, first_lines)
            # Rendering holds the GIL most of the time: let the first frame be drawn first.
            self._first_frame.wait(FIRST_FRAME_WAIT)
            rest_lines = render_markdown(rest, width)
            if not worker.is_cancelled:
                self.app.call_from_thread(self._rest_rendered, rest_lines)
            return text, None
        return text, render_markdown(text.markdown, width)

    def _rest_rendered(self, rendered: RenderedText) -> None:
        if not self.is_attached:
            return
        viewer = self.paper_text
        if isinstance(viewer, PaperLines):
            viewer.extend(rendered)
            self._fill_contents(viewer.rendered)
        self.loaded = True

    @work(thread=True, exclusive=True, group=RENDER_GROUP, exit_on_error=False)
    def render_again(self, width: int) -> RenderedText | None:
        return render_markdown(self.text.markdown, width) if self.text else None

    @on(PaperLines.WidthChanged)
    def _width_changed(self, message: PaperLines.WidthChanged) -> None:
        self.render_again(message.width)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == RENDER_GROUP:
            lines = self.query(PaperLines)
            if event.state == WorkerState.SUCCESS and worker.result is not None and lines:
                lines.first().set_rendered(worker.result)
            return
        if worker.group != FETCH_GROUP:
            return
        if event.state == WorkerState.SUCCESS and isinstance(worker.result, tuple):
            text, drawn = worker.result
            if isinstance(drawn, str):
                self.show_text(text, first=drawn)
            elif drawn is not None:
                self.show_text(text, drawn)
                self.loaded = True
        elif event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, FullTextUnavailable):
                line = str(error)
                if error.pdf_url:
                    line += f". Read the PDF: {error.pdf_url}"
            else:
                line = f"Could not read the full text: {error}"
            self.query_one("#reader-state", Static).update(Content(line))
            self.call_after_refresh(self._take_keys)

    def show_text(
        self, text: FullText, rendered: RenderedText | None = None, first: str = ""
    ) -> None:
        """`rendered`: a long paper's lines; else the Markdown viewer, which mounts `first`
        (the first screen) before the rest."""
        if not self.is_attached or self.text is not None:
            return  # closed while fetching, or shown already
        self.text = text
        self.query_one("#reader-state", Static).remove()
        viewer: PaperText | PaperLines
        if rendered is None:
            viewer = PaperText(text.markdown, first=first, id="reader-text")
        else:
            viewer = PaperLines(rendered, id="reader-text")
            self.query_one("#reader-body").mount(OptionList(id="reader-contents"))
            self._fill_contents(rendered)
        self.query_one("#reader-body").mount(viewer)
        source = "offline copy" if text.source == CACHED else text.source
        self.set_status(f"{source}   / find · c contents · esc back")
        self._waiting_for_blocks = self.set_interval(0.005, self._first_blocks)

    def _fill_contents(self, rendered: RenderedText) -> None:
        contents = self.query_one("#reader-contents", OptionList)
        contents.clear_options()
        contents.add_options(
            Option(Content("  " * (level - 1) + title), id=str(line))
            for level, title, line in rendered.headings
        )

    def _first_blocks(self) -> None:
        # A tick already queued when the timer was stopped still arrives (a loaded machine):
        # once the blocks were seen, later ticks do nothing, so the first frame is handled once.
        if self._waiting_for_blocks is None:
            return
        viewer = self.paper_text
        if viewer is None or (isinstance(viewer, PaperText) and not viewer.blocks()):
            return
        self._waiting_for_blocks.stop()
        self._waiting_for_blocks = None
        self.call_after_refresh(self._painted)

    async def _painted(self) -> None:
        self.shown_at = time.perf_counter()
        self._first_frame.set()
        viewer = self.paper_text
        if isinstance(viewer, PaperText) and not viewer.whole_mounted:
            viewer.load_whole()  # the first screen is drawn: now the rest (the keys wait for it)
            return
        await self._take_keys()

    async def _take_keys(self) -> None:
        """The text is drawn (or there is none): focus it and apply the keys typed so far."""
        self._waiting = False
        viewer = self.paper_text
        if self.focused is None and viewer is not None:
            self.set_focus(viewer)
        self.refresh_bindings()
        await self.replay_early_keys()

    @on(PaperText.Loaded)
    def _loaded(self) -> None:
        self.loaded = True
        if self._waiting and self.shown_at is not None:  # mounted in two steps
            self.call_after_refresh(self._take_keys)  # once the blocks are laid out

    def set_status(self, text: str) -> None:
        self.query_one("#reader-status", Static).update(Content(text))

    # -- keys -------------------------------------------------------------------------------

    def keeps_key(self, event: events.Key) -> bool:
        if not self._waiting:
            return False
        active = self.active_bindings.get(event.key)
        return active is None or not active.enabled  # kept unless it closes the reader

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._waiting:
            # None: shown in the footer but not run, so the key is kept (keeps_key) and applied
            # once the text is there.
            closes = action in WHILE_WAITING and (self._drawn or not self.keeping_keys)
            return True if closes else None
        finding = self.focused is self.query_one("#reader-find")
        if action == "find":
            return not finding  # in the box, "/" is typed
        if action == "find_done":
            return finding  # elsewhere Enter is the widget's (a section in the contents)
        if action in ("scroll_down", "scroll_up", "page_down", "page_up", "scroll_home"):
            return not finding
        if action in ("scroll_end", "next_match", "previous_match", "toggle_contents", "close"):
            return not finding
        return True

    def _scroll(self, how: str) -> None:
        viewer = self.paper_text
        if viewer is not None:
            getattr(viewer, how)(animate=False)

    def action_scroll_down(self) -> None:
        self._scroll("scroll_down")

    def action_scroll_up(self) -> None:
        self._scroll("scroll_up")

    def action_page_down(self) -> None:
        self._scroll("scroll_page_down")

    def action_page_up(self) -> None:
        self._scroll("scroll_page_up")

    def action_scroll_home(self) -> None:
        self._scroll("scroll_home")

    def action_scroll_end(self) -> None:
        self._scroll("scroll_end")

    def action_toggle_contents(self) -> None:
        viewer = self.paper_text
        if viewer is None:
            return
        if isinstance(viewer, PaperLines):
            self.toggle_class("-contents")
            contents = self.query_one("#reader-contents", OptionList)
            self.set_focus(contents if self.has_class("-contents") else viewer)
            return
        viewer.show_table_of_contents = not viewer.show_table_of_contents
        if viewer.show_table_of_contents:
            viewer.table_of_contents.focus()
        else:
            viewer.focus()

    def action_find(self) -> None:
        if self.paper_text is None:
            return
        self.add_class("-finding")
        self.set_focus(self.query_one("#reader-find"))

    def action_find_done(self) -> None:
        """Enter in the find box, a priority key: back to the text at once, so that the keys
        typed behind it (`/word⏎n`) act on the text; the find runs once the box has taken the
        letters typed before the Enter (they are still on their way to it)."""
        box = self.query_one("#reader-find", TextEntry)
        self.remove_class("-finding")
        if self.paper_text is not None:
            self.set_focus(self.paper_text)
        self._steps_waiting = []
        after_keys_in_flight(box, lambda: self._find_typed(box.value))

    def _find_typed(self, term: str) -> None:
        steps, self._steps_waiting = self._steps_waiting or [], None
        self.find(term)
        for step in steps:  # n / N typed behind the Enter
            self.next_match(step)

    def find(self, term: str) -> None:
        viewer = self.paper_text
        if viewer is None:
            return
        self.matches = viewer.find_locations(term.strip())
        self.match = -1
        if not self.matches:
            self.set_status(f"no match for {term.strip()!r}" if term.strip() else "")
            return
        self.next_match(1)

    def next_match(self, step: int) -> None:
        if self._steps_waiting is not None:  # a find is on its way: after it
            self._steps_waiting.append(step)
            return
        viewer = self.paper_text
        if viewer is None or not self.matches:
            self.set_status("no search: press / to find in the paper")
            return
        self.match = (self.match + step) % len(self.matches)
        viewer.show_match(self.matches[self.match])
        self.set_status(f"match {self.match + 1} of {len(self.matches)}")

    def action_next_match(self) -> None:
        self.next_match(1)

    def action_previous_match(self) -> None:
        self.next_match(-1)

    def action_back(self) -> None:
        if self.has_class("-finding"):
            self.remove_class("-finding")
            if self.paper_text is not None:
                self.set_focus(self.paper_text)
            return
        self.action_close()

    def action_close(self) -> None:
        if self._waiting:
            self.dismiss_soon()  # maybe not mounted yet
        else:
            self.dismiss(None)

    @on(OptionList.OptionSelected, "#reader-contents")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        viewer = self.paper_text
        if isinstance(viewer, PaperLines) and event.option.id is not None:
            viewer.go_to_line(int(event.option.id))
            self.remove_class("-contents")
            self.set_focus(viewer)

    @on(PaperText.OpenLink)
    def _open_link(self, message: PaperText.OpenLink) -> None:
        if message.url:
            self.links.open_url(message.url, "link")
        else:
            self.notify(f"Not opened: {message.error}", severity="error", markup=False)
