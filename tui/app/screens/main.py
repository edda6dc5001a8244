"""The main screen: search box, paper list, preview, status line and footer.

It routes what the user does to the library. Blocking work (search, the index build, the
clipboard, the browser) runs in thread workers owned by this screen, so one
`on_worker_state_changed` handler sees every failure and turns it into a message. Feeds are
fetched by the app's FeedFetcher (tui/app/fetcher.py): this screen subscribes to what it
publishes and refills the list as papers arrive. The watches (saved searches) are counted by
its WatchTracker (tui/app/watch_tracker.py); the related lists (`m` more like this, `f` for
you) that take the search's place are kept by its RelatedLists (tui/app/related.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from tui.app.clipboard import CLIPBOARD_GROUP
from tui.app.fetcher import FeedFetcher
from tui.app.handoffs import EXPORT_GROUP, PAPIS_GROUP, ZOTERO_GROUP, Handoffs
from tui.app.keeping import KEEP_GROUP, Keeping
from tui.app.key_order import after_keys_in_flight
from tui.app.keys import bindings_for
from tui.app.marks import Mark, Marks
from tui.app.messages import IndexProgress, IndexReady, RunOnLoop
from tui.app.paper_links import BROWSER_GROUP, PaperLinks
from tui.app.related import RELATED_GROUP, RelatedLists, RelatedView, for_you, more_like_this
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.export_format import ExportFormatScreen
from tui.app.screens.feeds import FeedsScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.screens.watch_form import WatchForm
from tui.app.screens.watches import WatchesScreen
from tui.app.screens.watching import ELSEWHERE_GROUP, LibraryWatcher
from tui.app.watch_tracker import NOTIFY_GROUP, WATCH_GROUP, WatchTracker
from tui.app.widgets.paper_list import PaperList
from tui.app.widgets.preview import PaperPreview
from tui.app.widgets.status_line import StatusLine
from tui.app.widgets.text_entry import TextEntry
from tui.keys import KEYS
from tui.model import SearchCancelled
from tui.query import SORT_ORDERS, parse_query

if TYPE_CHECKING:
    from tui.app.messages import WatchesCounted
    from tui.library import Library, SearchResult
    from tui.model import Entry, Watch

# The keys that open a screen, a panel or the reader (tui/keys.py): run as the key arrives, so
# the keys behind them in a burst reach that screen (it keeps them until it is ready for them,
# tui/app/key_order.py), never the list's own bindings.
OPENS_A_SCREEN = frozenset(spec.action for spec in KEYS if spec.opens_screen)

SEARCH_GROUP = "search"
INDEX_GROUP = "index"

FILTERS = {"all": "", "unread": "is:unread", "saved": "is:saved"}
# With mark_read_on_open, a paper counts as opened once the user moved onto it and its preview
# stayed on screen this long: papers the cursor only passes over (holding j, a refill while a
# query is typed) stay unread.
OPENED_AFTER = 0.8
SAMPLE_MODE = "Sample mode: marks are not kept after you quit"


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    text: str  # the full query the library got (filter prefix + search box)
    sort: str  # the order asked for with O ("": the default); a sort: in the text wins
    result: SearchResult


class MainScreen(Screen[None]):
    BINDINGS = bindings_for("screen")
    # Below 110 columns the preview goes under the list instead of beside it (feedtui.tcss).
    # Not a ClassVar: Textual's Screen declares the attribute in a way mypy reads as one.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012

    def __init__(self, library: Library, fetcher: FeedFetcher) -> None:
        super().__init__()
        self.library = library
        self.fetcher = fetcher
        self.filter = "all"
        self.terms: tuple[str, ...] = ()
        self.sort = ""  # chosen with O; "": relevance for words, else newest
        self.marks = Marks(
            library,
            self.notify,
            show=self._show_marks,
            changed=self._marks_changed,
            on_event_loop=lambda callback: self.post_message(RunOnLoop(callback)),
        )
        self.links = PaperLinks(self, library)
        self.keeping = Keeping(self, library, changed=self._marks_changed)
        self.handoffs = Handoffs(self, library)
        self.watcher = LibraryWatcher(self)
        self.watch_tracker = WatchTracker(self)
        self.related = RelatedLists(self)
        # The search's ids and highlighted paper while a related list is in their place.
        self._search_list: tuple[list[str], str | None] | None = None
        self._shown_query: tuple[str, str] | None = None  # the query (and sort) on the list
        self._opening: Timer | None = None  # see OPENED_AFTER
        self._stop_indexing = threading.Event()

    def compose(self) -> ComposeResult:
        yield TextEntry(
            placeholder='Search: words "a phrase" -not au:name ti:word has:code year:2024  (/)',
            id="search",
        )
        with Container(id="panes"):
            yield PaperList(
                self.library.entries,
                rises=self.library.rises,
                rise_window=self.library.config.rising_window,
                id="papers",
            )
            yield PaperPreview(id="preview")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def preview(self) -> PaperPreview:
        return self.query_one(PaperPreview)

    @property
    def search_input(self) -> TextEntry:
        return self.query_one("#search", TextEntry)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        # The first frame is drawn before the screen's first Resize applies the breakpoints:
        # apply them now, so a narrow terminal never flashes the wide layout.
        narrow = self.app.size.width < self.HORIZONTAL_BREAKPOINTS[1][0]
        self.set_class(narrow, "-narrow")
        self.set_class(not narrow, "-wide")
        self.paper_list.focus()
        self.update_counts()
        if not self.library.index_ready:
            self.status.set_status(indexing=0.0)
        self.build_index()
        self.search()
        if self.library.sample_mode:
            self.notify(SAMPLE_MODE, timeout=8)
        self.watcher.start()
        self.watch_tracker.recount()

    def on_unmount(self) -> None:
        # Lets an index build or a fetch stop early instead of holding up the exit; the marks
        # still being written are waited for.
        self._stop_indexing.set()
        self.fetcher.stop()
        self.marks.flush()

    # -- searching ----------------------------------------------------------------------------

    def query_text(self) -> str:
        """What the library is asked: the filter (is:unread / is:saved) and the search box."""
        prefix = FILTERS[self.filter]
        text = self.search_input.value
        return f"{prefix} {text}" if prefix else text

    def search(self) -> None:
        self.status.set_status(searching=True)
        self.run_search(self.query_text(), self.sort)

    @work(thread=True, exclusive=True, group=SEARCH_GROUP, exit_on_error=False)
    def run_search(self, text: str, sort: str = "") -> SearchOutcome | None:
        # exclusive=True cancels the previous search worker; the search notices and stops, so
        # the newest keystroke never waits for an abandoned one.
        worker = get_current_worker()
        try:
            result = self.library.search(text, cancelled=lambda: worker.is_cancelled, sort=sort)
            return SearchOutcome(text, sort, result)
        except SearchCancelled:
            return None  # a newer query replaced this one: nothing to show

    @on(TextEntry.Changed, "#search")
    def _search_changed(self) -> None:
        self._leave_related()  # typing a search leaves a related list
        self.search()

    def _apply(self, outcome: SearchOutcome) -> None:
        if (outcome.text, outcome.sort) != (self.query_text(), self.sort):
            return  # a newer keystroke (or filter, or order) already asked for something else
        if self.related.active:
            # A refill (papers arrived, another process wrote) while a related list is shown:
            # the list stays; Escape brings the search back, refilled.
            self.status.set_status(searching=False)
            return
        result = outcome.result
        self.terms = result.query.highlight_terms()
        # A new query (or order) starts at its first match; the same query again (papers
        # arrived, the index caught up) keeps the cursor on the paper the user is reading.
        shown = (outcome.text, outcome.sort)
        refill = shown == self._shown_query
        self._shown_query = shown
        default = "relevance" if result.query.has_text else "newest"
        self.paper_list.set_ids(result.ids, keep_cursor=refill, terms=self.terms)
        self._show_selection()
        self.status.set_status(
            shown=len(result.ids),
            matches=max(result.total, len(result.ids)),
            filter=FILTERS[self.filter],
            hints=result.query.hints,
            searching=False,
            sort="" if result.order == default else result.order,
            view="",
        )
        self.show_preview(self.paper_list.current_id)

    # -- related lists (m, f) -----------------------------------------------------------------

    def show_related(self, view: RelatedView) -> None:
        """Put a related list in the search's place (RelatedLists calls this)."""
        if self._search_list is None:  # not a related list in place of another one
            self._search_list = (list(self.paper_list.ids), self.paper_list.current_id)
        self.terms = ()
        self.paper_list.set_ids(view.ids, keep_cursor=False, because=view.because)
        self.status.set_status(
            shown=len(view.ids),
            matches=len(view.ids),
            hints=(),
            searching=False,
            sort="",
            view=view.label,
        )
        self.show_preview(self.paper_list.current_id)
        self.set_focus(self.paper_list)

    def action_more_like_this(self) -> None:
        if entry := self._current_entry():
            paper = entry.paper
            self.related.request(
                more_like_this(self.library, paper.id, paper.title), "more like this"
            )

    def action_for_you(self) -> None:
        self.related.request(for_you(self.library, self.marks.wait_written), "for you")

    def _leave_related(self) -> bool:
        """Put the search's list back as it was, at once (so the keys typed right after
        Escape act on it); the caller's search then refills it. True: one was shown."""
        if not self.related.leave() or self._search_list is None:
            return False
        ids, current = self._search_list
        self._search_list = None
        self.paper_list.set_ids(ids, keep_cursor=False)
        self.paper_list.move_to(current)
        self.status.set_status(view="", shown=len(ids))
        self.show_preview(self.paper_list.current_id)
        return True

    # -- the index ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group=INDEX_GROUP, exit_on_error=False)
    def build_index(self) -> None:
        def progress(done: int, total: int) -> None:
            self.post_message(IndexProgress(done, total))

        # First the cheap part: the id lists the first filter keystrokes ask for.
        self.library.warm_filters()
        self.library.ensure_index(progress, cancel=self._stop_indexing)
        if self.library.index_ready:
            self.post_message(IndexReady())
            # Then what the first `f` reads: the saved papers' key terms and their postings.
            self.library.warm_recommend()

    def on_index_progress(self, message: IndexProgress) -> None:
        if not self.library.index_ready:
            self.status.set_status(indexing=message.fraction)

    def on_index_ready(self, message: IndexReady) -> None:
        self.status.set_status(indexing=None)
        if self.search_input.value.strip():
            self.search()  # ranked results from the index replace the fallback's

    def catch_up_index(self) -> None:
        if not self.building_index:  # a running build picks up what was stored meanwhile
            self.build_index()

    @property
    def building_index(self) -> bool:
        return any(
            worker.group == INDEX_GROUP and worker.node is self and not worker.is_finished
            for worker in self.workers
        )

    # -- workers ------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.group == SEARCH_GROUP:
            if isinstance(worker.result, SearchOutcome):
                self._apply(worker.result)
        elif event.state == WorkerState.SUCCESS and worker.group == ELSEWHERE_GROUP:
            self.watcher.caught_up()
        elif event.state == WorkerState.SUCCESS and worker.group == INDEX_GROUP:
            # Not in line (another feedtui holds the index): stop the percentage, say why.
            problem = self.library.index_problem
            self.status.set_status(problem=problem)
            if problem:
                self.status.set_status(indexing=None)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            what = {
                SEARCH_GROUP: "Search failed",
                INDEX_GROUP: "The search index could not be built (using slower search)",
                ELSEWHERE_GROUP: "Could not read what another feedtui stored",
                BROWSER_GROUP: "Could not open the link",
                CLIPBOARD_GROUP: "Could not copy",
                WATCH_GROUP: "Could not count the watches",
                NOTIFY_GROUP: "notify_command failed",
                KEEP_GROUP: "Could not save",
                RELATED_GROUP: "Could not find related papers",
                EXPORT_GROUP: "Could not export",
                ZOTERO_GROUP: "Could not send to Zotero",
                PAPIS_GROUP: "Could not add to papis",
            }.get(worker.group, "Something went wrong")
            if worker.group in (SEARCH_GROUP, RELATED_GROUP):
                self.status.set_status(searching=False)
            if worker.group == INDEX_GROUP:
                self.status.set_status(indexing=None)
            # Error text can quote feed data or paths: never parse it as markup.
            self.notify(f"{what}: {error}", severity="error", markup=False, timeout=8)

    # -- the highlighted paper ----------------------------------------------------------------

    @on(PaperList.Highlighted, "#papers")
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        if self._opening is not None:
            self._opening.stop()
            self._opening = None
        paper_id = message.paper_id
        self.show_preview(paper_id)
        if paper_id is not None and message.by_user and self.library.config.mark_read_on_open:
            self._opening = self.set_timer(OPENED_AFTER, lambda: self._opened(paper_id))

    def _opened(self, paper_id: str) -> None:
        """The user stayed on this paper with its preview on screen: it counts as read."""
        self._opening = None
        if paper_id == self.paper_list.current_id and not self.has_class("-no-preview"):
            self._mark_opened(self.paper_list.entry(self.paper_list.cursor))

    def _mark_opened(self, entry: Entry | None) -> None:
        """With mark_read_on_open, a paper the user opened (stayed on, read with Enter, opened
        with o / p) is marked read."""
        if self.library.config.mark_read_on_open and entry is not None and not entry.read:
            self.marks.set("read", {entry.paper.id: True}, "opened")

    def show_preview(self, paper_id: str | None, keep_scroll: bool = False) -> None:
        if paper_id is None:
            if self.related.shown is not None:
                self.preview.show_message(self.related.shown.empty)
            else:
                self.preview.show_message("No papers match." if self.search_input.value else "")
            return
        try:
            entry = self.library.get(paper_id)
            history = self.library.history(paper_id)  # one small query: the momentum line
        except Exception as error:
            self.preview.show_message(f"Could not read this paper: {error}")
            return
        because = self.related.because(paper_id)
        self.preview.show(
            entry, self.terms, keep_scroll=keep_scroll, history=history, because=because
        )

    def _current_entry(self, quiet: bool = False) -> Entry | None:
        paper_id = self.paper_list.current_id
        entry = None
        if paper_id is not None:
            try:
                entry = self.library.get(paper_id)
            except Exception as error:
                self.notify(f"Could not read this paper: {error}", severity="error", markup=False)
                return None
        if entry is None and not quiet:
            self.notify("No paper selected", severity="warning")
        return entry

    def update_counts(self) -> None:
        try:
            counts = self.library.counts()
        except Exception as error:
            self.notify(f"Could not count papers: {error}", severity="error", markup=False)
            return
        self.status.set_status(total=counts.total, unread=counts.unread)

    # -- actions ------------------------------------------------------------------------------

    # The focus-moving keys are priority bindings (tui/keys.py) and move the focus at once
    # with set_focus (Widget.focus() waits for the next idle): the keys behind them in the same
    # burst ("Esc /", "/abc", "Enter jj") are then delivered to where the user sent them.

    async def on_key(self, event: events.Key) -> None:
        """A key typed before a panel key in the same burst (`space E`, `j ?`) that reaches
        this screen after the panel opened: it runs here, as typed. Textual would look its
        binding up in the panel (App._on_key reads the active screen), where it is lost or,
        worse, means something else; see tui/app/key_order.py."""
        if self.app.screen is self:
            return
        event.stop()
        active = self.active_bindings.get(event.key)
        if active is not None and active.enabled:
            await self.app.run_action(active.binding.action, active.node)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_search = self.focused is self.search_input
        if action == "focus_search" or action in OPENS_A_SCREEN:
            return not in_search  # in the box, "/" (or "w", "?"...) is typed
        if action == "search_done":
            return in_search
        if action == "focus_preview":
            return not in_search and self.focused is not self.preview
        return True

    def action_focus_search(self) -> None:
        self.set_focus(self.search_input)

    def action_search_done(self) -> None:
        self.set_focus(self.paper_list)

    def action_focus_preview(self) -> None:
        self.remove_class("-no-preview")
        self.set_focus(self.preview)
        self._mark_opened(self.paper_list.entry(self.paper_list.cursor))  # reading it opens it

    def action_read_fulltext(self) -> None:
        """t, and Enter in the preview: the reader opens now (a priority key: the keys typed
        behind it reach the reader, which applies them once its text is drawn); which paper it
        reads is read once the keys typed before it in the same burst (j) are applied."""
        if self.paper_list.current_id is None:
            self.notify("No paper selected", severity="warning")
            return
        reader = ReaderScreen(self.library)

        def fill() -> None:
            entry = self._current_entry()
            if entry is None:
                reader.dismiss_soon()
                return
            self._mark_opened(entry)
            reader.read(entry)

        def closed(_: None) -> None:
            # Back from the reader the paper may have its text kept now: its row and preview
            # say so ("full text offline") without waiting for the next search.
            if reader.entry is not None:
                self._marks_changed([reader.entry.paper.id])

        self.app.push_screen(reader, closed)
        after_keys_in_flight(self.paper_list, fill)

    def action_toggle_preview(self) -> None:
        self.toggle_class("-no-preview")
        if self.has_class("-no-preview") and self.focused is self.preview:
            self.set_focus(self.paper_list)

    def action_back(self) -> None:
        # On the list, Esc clears the selection before anything else. From the search box or
        # the preview it only goes back to the list: the selection outlives searches and reads.
        if self.focused is self.paper_list and self.paper_list.selected_count:
            self.paper_list.clear_selection()
            self.notify("Selection cleared", timeout=3)
        elif self.focused is self.paper_list:
            if self._leave_related():
                self.search()  # the search as it is now: papers may have arrived meanwhile
            elif self.search_input.value:
                self.search_input.value = ""  # Input.Changed runs the search
            elif self.filter != "all":
                self.action_filter("all")
        else:
            self.set_focus(self.paper_list)

    def action_filter(self, name: str) -> None:
        self._leave_related()
        self.filter = name if name in FILTERS else "all"
        self.status.set_status(filter=FILTERS[self.filter])
        self.search()

    # -- marks ---------------------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def action_toggle_saved(self) -> None:
        self._toggle("saved")

    def _toggle(self, mark: Mark) -> None:
        if selected := self.paper_list.selected:
            self.marks.set_selected(mark, selected)
            return
        # What the row shows, not what the database has: the key does what the user saw.
        self.marks.toggle(self.paper_list.entry(self.paper_list.cursor), mark)

    def action_mark_all_read(self) -> None:
        def ask(question: str, answered: Callable[[bool | None], None]) -> None:
            self.app.push_screen(ConfirmScreen(question), answered)

        self.marks.mark_all_read(self.paper_list.ids, ask)

    def action_undo(self) -> None:
        self.marks.undo()

    def _show_marks(self, mark: Mark, values: dict[str, bool]) -> None:
        """The marks as asked, before they are stored (Marks writes in the background)."""
        self.paper_list.patch(mark, values)
        entry = self.paper_list.entry(self.paper_list.cursor)
        if entry is not None and entry.paper.id in values:
            because = self.related.because(entry.paper.id)
            self.preview.show(entry, self.terms, keep_scroll=True, because=because)

    def on_run_on_loop(self, message: RunOnLoop) -> None:
        message.callback()

    def _marks_changed(self, ids: Sequence[str] | None) -> None:
        self.paper_list.invalidate(ids)
        self.update_counts()
        current = self.paper_list.current_id
        if current is not None and (ids is None or current in ids):
            self.show_preview(current, keep_scroll=True)

    # -- tags and notes ------------------------------------------------------------------------

    def action_edit_tags(self) -> None:
        """T: the selection's tags (what they share), else the highlighted paper's."""

        def chosen() -> list[Entry]:
            ids = self._chosen_ids("tag")
            if not ids:
                return []
            try:
                found = self.library.entries(ids)  # one query for the rows' data
            except Exception as error:
                self.notify(f"Could not read the papers: {error}", severity="error", markup=False)
                return []
            return [found[i] for i in ids if i in found]

        self.keeping.edit_tags(chosen, lambda fill: after_keys_in_flight(self.paper_list, fill))

    def action_edit_note(self) -> None:
        self.keeping.edit_note(
            lambda: self.paper_list.entry(self.paper_list.cursor),
            lambda fill: after_keys_in_flight(self.paper_list, fill),
        )

    # -- the highlighted paper's links -------------------------------------------------------

    def action_copy_code(self) -> None:
        if selected := self.paper_list.selected:
            self.handoffs.copy(selected, "code")
        elif entry := self._current_entry():
            self.links.copy_code(entry)

    def action_copy_link(self) -> None:
        if selected := self.paper_list.selected:
            self.handoffs.copy(selected, "page")
        elif entry := self._current_entry():
            self.links.copy_page(entry)

    def action_copy_bibtex(self) -> None:
        if selected := self.paper_list.selected:
            self.handoffs.copy(selected, "bibtex")
        elif entry := self._current_entry():
            self.links.copy_bibtex(entry)

    def action_open_paper(self) -> None:
        if (entry := self._current_entry()) and self.links.open_page(entry):
            self._mark_opened(entry)

    def action_open_pdf(self) -> None:
        if (entry := self._current_entry()) and self.links.open_pdf(entry):
            self._mark_opened(entry)

    # -- the selection and what is handed on ---------------------------------------------------

    def action_select_all(self) -> None:
        self.paper_list.select_all()

    @on(PaperList.SelectionChanged, "#papers")
    def _selection_changed(self) -> None:
        self._show_selection()

    def _show_selection(self) -> None:
        papers_list = self.paper_list
        self.status.set_status(
            selected=papers_list.selected_count, selected_hidden=papers_list.selected_hidden()
        )

    def _chosen_ids(self, what: str) -> list[str]:
        """The selection, else the paper under the cursor (warns when there is neither)."""
        if selected := self.paper_list.selected:
            return selected
        if (current := self.paper_list.current_id) is not None:
            return [current]
        self.notify(f"No paper to {what}", severity="warning")
        return []

    def action_export(self) -> None:
        """E: the selection, or every shown paper, to a file named after the time. The panel
        opens at once (E is a priority binding: the keys typed behind it reach the panel);
        what it exports is read once the keys typed before E in the same burst (space, j)
        are applied."""
        screen = ExportFormatScreen("")
        wanted: list[str] = []

        def fill() -> None:
            ids = self.paper_list.selected or list(self.paper_list.ids)
            if not ids:
                screen.dismiss_soon()
                self.notify("No papers to export", severity="warning")
                return
            wanted[:] = ids
            state = "selected" if self.paper_list.selected_count else "shown"
            screen.set_what(f"the {len(ids)} {state} paper{'' if len(ids) == 1 else 's'}")

        def chosen(fmt: str | None) -> None:
            if fmt and wanted:
                self.handoffs.export(wanted, fmt)

        self.app.push_screen(screen, chosen)
        after_keys_in_flight(self.paper_list, fill)

    def action_send_to_zotero(self) -> None:
        if ids := self._chosen_ids("send to Zotero"):
            self.handoffs.send_to_zotero(ids)

    def action_add_to_papis(self) -> None:
        if ids := self._chosen_ids("add to papis"):
            self.handoffs.add_to_papis(ids)

    def action_refresh(self) -> None:
        self.fetcher.fetch(force=True)

    def action_feeds(self) -> None:
        self.app.push_screen(FeedsScreen(self.library, self.fetcher))

    # -- sort orders ---------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        """The next order: relevance (only with words to rank by), newest, upvotes, stars,
        rising, and round again."""
        query = parse_query(self.query_text())
        if query.sort:
            self.notify(
                f"The search box says sort:{query.sort}, which wins: remove it to cycle",
                severity="warning",
                markup=False,
            )
            return
        orders = (
            SORT_ORDERS if query.has_text else tuple(o for o in SORT_ORDERS if o != "relevance")
        )
        current = self.sort or orders[0]
        if current not in orders:  # relevance chosen, then the words were cleared
            current = "relevance"
            orders = SORT_ORDERS
        self.sort = orders[(orders.index(current) + 1) % len(orders)]
        self._leave_related()  # an order is for the search's list
        self.search()

    # -- watches --------------------------------------------------------------------------------

    def action_save_watch(self) -> None:
        def save(name: str, text: str) -> str:
            try:
                self.library.add_watch(name, text)
            except Exception as error:  # StoreError says what is wrong in the user's words
                return str(error) or f"Could not save the watch ({type(error).__name__})"
            return ""

        def saved(name: str | None) -> None:
            if name is not None:
                self.notify(f"Watch saved: {name}  (W: watches)", markup=False)
                self.watch_tracker.recount()

        # The form opens now, so the name typed right behind `w` reaches it; the query is read
        # once the search box applied the keys typed before `w` in the same burst
        # ("/diffusion⏎wDiffusion⏎" typed at once): `w` is a priority binding.
        form = WatchForm("Save this search as a watch", "", "", save)
        self.app.push_screen(form, saved)
        after_keys_in_flight(self.search_input, lambda: self._fill_watch_form(form))

    def _fill_watch_form(self, form: WatchForm) -> None:
        query = self.query_text().strip()
        if query:
            form.set_query(query)
            return

        form.dismiss_soon()
        self.notify(
            "Nothing to watch: type a search (or choose u / S) first, then press w",
            severity="warning",
        )

    def action_watches(self) -> None:
        self.app.push_screen(WatchesScreen(self.library), self._watch_chosen)

    def _watch_chosen(self, watch: Watch | None) -> None:
        if watch is None:
            self.watch_tracker.recount()  # edits and deletions change the total
            return
        self._leave_related()
        # What is stored now is what the search below shows: the watch counts as seen up to
        # here, and papers arriving while it runs stay new.
        try:
            arrival = self.library.arrival()
            self.library.watch_seen(watch.name, arrival)
        except Exception as error:
            self.notify(f"Could not mark the watch seen: {error}", severity="error", markup=False)
        self.filter = "all"  # the watch's query carries its own filters
        self.status.set_status(filter="")
        # A watch's words are finished words (tui/watches.py): the trailing space makes the box
        # search them the same way, so the list shows what the watch counts.
        text = watch.query + " "
        if self.search_input.value != text:
            self.search_input.value = text  # its Changed event runs the search
        else:
            self.search()
        self.set_focus(self.paper_list)
        self.watch_tracker.recount()

    def on_watches_counted(self, message: WatchesCounted) -> None:
        self.watch_tracker.counted(message)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.library.config.keymap))
