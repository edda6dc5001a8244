"""What `U` undoes: the last marks the user changed, as the values they had before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mark = Literal["read", "saved"]
# Enough for a session of second thoughts; an undo stack is not a history.
DEPTH = 50


@dataclass(frozen=True, slots=True)
class MarkChange:
    """One user action: which mark of which papers, and their values before it."""

    mark: Mark
    before: dict[str, bool]
    what: str  # for the message: "marked 12 papers read"


class MarkHistory:
    def __init__(self) -> None:
        self._changes: list[MarkChange] = []

    def record(self, change: MarkChange) -> None:
        if change.before:
            self._changes.append(change)
            del self._changes[:-DEPTH]

    def pop(self) -> MarkChange | None:
        return self._changes.pop() if self._changes else None

    def push_back(self, change: MarkChange) -> None:
        """An undo that could not be saved stays undoable."""
        self._changes.append(change)
