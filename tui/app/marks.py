"""Setting read and saved marks from the TUI, and taking them back (`U`).

The screen asks for marks; this writes them through the library in one transaction, remembers
what each paper had before, and tells the screen which rows to redraw. A write that fails is a
message, never a traceback, and an undo that fails stays undoable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.library import Library
    from tui.model import Entry

# Asks the user a yes/no question; the callback gets the answer (None: dismissed).
Ask = Callable[[str, Callable[[bool | None], None]], None]

Mark = Literal["read", "saved"]
# Enough for a session of second thoughts; an undo stack is not a history.
UNDO_DEPTH = 50
# Past this many papers the screen redraws everything rather than forgetting rows one by one.
ROWS_TO_FORGET = 500


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
        changed: Callable[[Sequence[str] | None], None],
    ) -> None:
        self.library = library
        self.notify = notify
        self.changed = changed  # the ids whose rows to redraw, None for all
        self._undo: list[MarkChange] = []

    def set(self, mark: Mark, values: dict[str, bool], what: str = "") -> bool:
        """Set a mark on papers, remembering the values they had for undo."""
        before = self._stored(mark, list(values))
        if not self._write(mark, values):
            return False
        if before:
            self._undo.append(MarkChange(mark, before, what))
            del self._undo[:-UNDO_DEPTH]
        if what and len(values) > 1:
            self.notify(f"{what[0].upper()}{what[1:]} (U undoes it)", markup=False)
        return True

    def toggle(self, entry: Entry | None, mark: Mark) -> None:
        """Set the mark opposite to what `entry` (as shown) has: set, never flipped in the
        database, so another process's change in between cannot turn the key around."""
        if entry is None:
            self.notify("No paper selected", severity="warning")
            return
        shown = entry.read if mark == "read" else entry.saved
        self.set(mark, {entry.paper.id: not shown})

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
        if self._write(change.mark, change.before):
            self.notify(f"Undone: {change.what or f'the {change.mark} mark'}", markup=False)
        else:
            self._undo.append(change)

    def _stored(self, mark: Mark, ids: list[str]) -> dict[str, bool]:
        try:
            entries = self.library.entries(ids)
        except Exception:  # nothing to undo to; the write reports the problem
            return {}
        return {
            paper_id: entry.read if mark == "read" else entry.saved
            for paper_id, entry in entries.items()
        }

    def _write(self, mark: Mark, values: dict[str, bool]) -> bool:
        try:
            self.library.set_marks(values, mark)
        except Exception as error:
            self.notify(f"Could not save the change: {error}", severity="error", markup=False)
            return False
        self.changed(list(values) if len(values) < ROWS_TO_FORGET else None)
        return True
