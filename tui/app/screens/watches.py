"""The `W` screen: the saved searches (watches), what each matches, and what is new in each
since the user last looked.

The counts are read in a worker (each is a search: never on the event loop), "counting…"
until then. Names and queries are the user's text: cells are `rich.text.Text`, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.panel import PanelScreen
from tui.app.screens.watch_form import WatchForm

if TYPE_CHECKING:
    from tui.library import Library
    from tui.model import Watch, WatchCount

COUNT_GROUP = "watch-screen-counts"
COUNTING = "counting…"
HEADER = (
    "Watches: saved searches. New: arrived since you last looked.\n"
    "Enter: search it · e: edit · d: delete · Esc: close"
)
EMPTY = (
    "No watches yet. A watch is a saved search that counts what is new in it.\n"
    "Press w on the list to save the current search as one, or run\n"
    "feedtui watch add NAME QUERY."
)
COLUMNS = ("Watch", "Query", "New", "Total")


class WatchesScreen(PanelScreen["Watch | None"]):
    """Dismissed with the watch to search (Enter), or None.

    | Key | Action |
    | :- | :- |
    | enter | put the watch's query in the search box and search it |
    | e | edit the name and the query |
    | d | delete (asks first) |
    | escape, q | close |
    """

    DEFAULT_CSS = """
    WatchesScreen {
        #watches-header {
            margin-bottom: 1;
        }
        #watches-table {
            height: 1fr;
        }
        #watches-empty {
            margin-top: 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="watches-edit"),
        Binding("d", "delete", "Delete", id="watches-delete"),
        Binding("escape,q", "close", "Close", id="watches-close"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.watches: list[Watch] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="watches-body", classes="panel"):
            yield Static(Content(HEADER), id="watches-header", markup=False)
            yield Static(Content(EMPTY), id="watches-empty", markup=False)
            yield DataTable(id="watches-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#watches-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the watches again and count them (in a worker); the cursor goes to ``select``
        (a name) or stays on its row."""
        row = self.table.cursor_row
        try:
            self.watches = self.library.watches()
        except Exception as error:  # a locked or damaged database: say so, do not crash
            self.notify(f"Could not read the watches: {error}", severity="error", markup=False)
            self.watches = []
        table = self.table
        table.clear()
        for watch in self.watches:
            table.add_row(
                Text(watch.name), Text(watch.query), Text(COUNTING), Text(""), key=watch.name
            )
        empty = not self.watches
        self.query_one("#watches-empty").display = empty
        table.display = not empty
        names = [watch.name for watch in self.watches]
        if select in names:
            row = names.index(select)
        if self.watches:
            table.move_cursor(row=min(max(row, 0), len(self.watches) - 1))
            self.set_focus(table)
            self.run_worker(
                self.library.watch_counts,
                thread=True,
                exclusive=True,
                group=COUNT_GROUP,
                exit_on_error=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != COUNT_GROUP:
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, list):
            self._show_counts(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self.notify(
                f"Could not count the watches: {event.worker.error}",
                severity="error",
                markup=False,
            )

    def _show_counts(self, counts: list[WatchCount]) -> None:
        table = self.table
        shown = set(table.rows)
        new_column, total_column = (table.ordered_columns[i].key for i in (2, 3))
        for count in counts:
            name = count.watch.name
            if name not in shown:  # deleted meanwhile
                continue
            new = Text(f"{count.new} new", style="bold" if count.new else "")
            table.update_cell(name, new_column, new)
            table.update_cell(name, total_column, Text(str(count.total)))

    def rows(self) -> list[tuple[str, ...]]:
        """Every row as plain text (what the user sees)."""
        table = self.table
        return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]

    def _current(self) -> Watch | None:
        if not self.watches or not 0 <= self.table.cursor_row < len(self.watches):
            return None
        return self.watches[self.table.cursor_row]

    # -- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#watches-table")
    def _apply(self) -> None:
        watch = self._current()
        if watch is not None:
            self.dismiss(watch)

    def action_edit(self) -> None:
        watch = self._current()
        if watch is None:
            return
        old = watch.name

        def save(name: str, query: str) -> str:
            try:
                self.library.edit_watch(old, name, query)
            except Exception as error:  # StoreError says what is wrong in the user's words
                return str(error) or f"Could not save the watch ({type(error).__name__})"
            return ""

        def edited(name: str | None) -> None:
            if name is not None:
                self.reload(select=name)

        self.app.push_screen(WatchForm("Edit the watch", old, watch.query, save), edited)

    def action_delete(self) -> None:
        watch = self._current()
        if watch is None:
            return
        name = watch.name

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.library.remove_watch(name)
            except Exception as error:
                self.notify(f"Could not delete: {error}", severity="error", markup=False)
            self.reload()

        self.app.push_screen(ConfirmScreen(f"Delete the watch “{name}”?"), answered)

    def action_close(self) -> None:
        self.dismiss(None)
