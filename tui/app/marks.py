"""Setting read and saved marks from the TUI, and taking them back (`U`).

The screen asks for marks; the rows show the new marks at once, and the write goes to the
library from one background thread, in the order the keys were pressed. Nothing that waits on
the database runs on the event loop: while another process holds the database (a cron
`feedtui fetch` storing a batch of papers), keys keep working and the write waits its turn. A write
that cannot get the database is tried again a few times, then reported, and the rows go back to
what is stored: a mark is saved or the user is told, never lost quietly. An undo that fails
stays undoable. Quitting waits for the marks still being written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.library import Library
    from tui.model import Entry

# Asks the user a yes/no question; the callback gets the answer (None: dismissed).
Ask = Callable[[str, Callable[[bool | None], None]], None]
# Hands a callable to the event loop to run soon, from any thread, without waiting for it
# (a posted message): the writer thread never blocks on the UI, so quitting can wait for it.
OnEventLoop = Callable[[Callable[[], None]], object]

Mark = Literal["read", "saved"]
# Enough for a session of second thoughts; an undo stack is not a history.
UNDO_DEPTH = 50
# Past this many papers the screen redraws everything rather than forgetting rows one by one.
ROWS_TO_FORGET = 500
# A write that finds the database locked (another process's long transaction outlasted SQLite's
# busy timeout) is tried again after these pauses before the user is told.
RETRY_PAUSES = (0.25, 1.0)


@dataclass(frozen=True, slots=True)
class MarkChange:
    """One user action: which mark of which papers, and their values before it."""

    mark: Mark
    before: dict[str, bool]
    what: str  # for the messages: "marked 12 papers read"; "" for a single toggle


class Marks:
    def __init__(
        self,
        library: Library,
        notify: Callable[..., object],
        show: Callable[[Mark, dict[str, bool]], None],
        changed: Callable[[Sequence[str] | None], None],
        on_event_loop: OnEventLoop,
    ) -> None:
        self.library = library
        self.notify = notify
        self.show = show  # draw these marks now, before they are stored
        self.changed = changed  # redraw these rows from the store (None: all)
        self.on_event_loop = on_event_loop
        self._undo: list[MarkChange] = []
        # One thread: marks are written in the order they were asked for.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marks")

    def set(self, mark: Mark, values: dict[str, bool], what: str = "") -> None:
        """Show a mark on papers now and store it in the background, remembering the values
        the papers had for undo once it is stored."""

        def stored(before: dict[str, bool]) -> None:
            if before:
                self._undo.append(MarkChange(mark, before, what))
                del self._undo[:-UNDO_DEPTH]
            if what and len(values) > 1:
                self.notify(f"{what[0].upper()}{what[1:]} (U undoes it)", markup=False)

        self._write(mark, values, stored)

    def toggle(self, entry: Entry | None, mark: Mark) -> None:
        """Set the mark opposite to what `entry` (as shown) has: set, never flipped in the
        database, so another process's change in between cannot turn the key around."""
        if entry is None:
            self.notify("No paper selected", severity="warning")
            return
        shown = entry.read if mark == "read" else entry.saved
        self.set(mark, {entry.paper.id: not shown})

    def set_selected(self, mark: Mark, ids: Sequence[str]) -> None:
        """r / s on a selection: every selected paper gets one value, read (saved) when any of
        them is not, else unread (unsaved), decided in the writer thread from what is stored
        (the selection may hold papers no longer on screen). One change: U undoes it whole."""
        wanted = list(ids)
        if not wanted:
            return

        def write() -> None:
            before = self._stored(mark, wanted)
            value = not all(before.values()) if before else True
            values = dict.fromkeys(before or wanted, value)
            error = self._write_with_retries(mark, values)
            what = f"marked {_papers(len(values))} {_state(mark, value)}"

            def written() -> None:
                if error is None:
                    self.show(mark, values)
                self._written(
                    list(values) if len(values) < ROWS_TO_FORGET else None,
                    error,
                    lambda: self._batch_stored(MarkChange(mark, before, what)),
                    None,
                )

            self.on_event_loop(written)

        self._writer.submit(write)

    def _batch_stored(self, change: MarkChange) -> None:
        if change.before:
            self._undo.append(change)
            del self._undo[:-UNDO_DEPTH]
        self.notify(f"{change.what[0].upper()}{change.what[1:]} (U undoes it)", markup=False)

    def mark_all_read(self, ids: Sequence[str], ask: Ask) -> None:
        """Mark every listed paper read, once the user said yes."""
        if not ids:
            self.notify("No papers shown", severity="warning")
            return
        shown = list(ids)

        def answered(yes: bool | None) -> None:
            if yes:
                self.set("read", dict.fromkeys(shown, True), f"marked {len(shown)} papers read")

        papers = "this paper" if len(shown) == 1 else f"all {len(shown)} shown papers"
        ask(f"Mark {papers} read? (U undoes it)", answered)

    def undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo", severity="information")
            return
        change = self._undo.pop()

        def stored(_before: dict[str, bool]) -> None:
            self.notify(f"Undone: {change.what or f'the {change.mark} mark'}", markup=False)

        self._write(change.mark, change.before, stored, failed=lambda: self._undo.append(change))

    def wait_written(self, timeout: float = 30.0) -> None:
        """In a worker thread: wait until every mark asked for so far is stored (the writer
        runs them in order), for a reader that must see them: "for you" ranks by the saved
        papers, and `s` then `f` typed together must count the one just saved."""
        self._writer.submit(lambda: None).result(timeout)

    def flush(self) -> None:
        """Wait for the marks still being written (quitting: none may be lost)."""
        self._writer.shutdown(wait=True)

    def _stored(self, mark: Mark, ids: list[str]) -> dict[str, bool]:
        """In the writer thread, just before a write: what the papers have (for undo). Read
        there, not on the event loop: mark-all-read may ask for 100,000 papers, and a write
        queued behind another sees the values the one before it left."""
        try:
            entries = self.library.entries(ids)
        except Exception:  # nothing to undo to; the write reports the problem
            return {}
        return {
            paper_id: entry.read if mark == "read" else entry.saved
            for paper_id, entry in entries.items()
        }

    def _write(
        self,
        mark: Mark,
        values: dict[str, bool],
        stored: Callable[[dict[str, bool]], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        self.show(mark, values)
        rows = list(values) if len(values) < ROWS_TO_FORGET else None

        def write() -> None:
            before = self._stored(mark, list(values))
            error = self._write_with_retries(mark, values)
            self.on_event_loop(lambda: self._written(rows, error, lambda: stored(before), failed))

        self._writer.submit(write)

    def _write_with_retries(self, mark: Mark, values: dict[str, bool]) -> Exception | None:
        """In the writer thread: the error the last try gave, None once stored."""
        for pause in (*RETRY_PAUSES, None):
            try:
                self.library.set_marks(values, mark)
                return None
            except Exception as error:
                if pause is None or "locked" not in str(error).lower():
                    return error
                time.sleep(pause)  # the other process's transaction is still running
        return None

    def _written(
        self,
        rows: list[str] | None,
        error: Exception | None,
        stored: Callable[[], None],
        failed: Callable[[], None] | None,
    ) -> None:
        """On the event loop: the rows show what is stored now (the new marks, or the old
        ones when the write failed)."""
        self.changed(rows)
        if error is None:
            stored()
            return
        self.notify(f"Could not save the change: {error}", severity="error", markup=False)
        if failed is not None:
            failed()


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def _state(mark: Mark, value: bool) -> str:
    if mark == "read":
        return "read" if value else "unread"
    return "saved" if value else "unsaved"
