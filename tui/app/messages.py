"""Messages posted from worker threads to the main screen."""

from __future__ import annotations

from textual.message import Message


class IndexProgress(Message):
    """The search index build advanced (``done`` of ``total`` papers).

    A flood of these from the indexing thread collapses: a queued one is replaced by the newer
    one (toolong's idea), so the UI only draws the latest progress.
    """

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


class IndexReady(Message):
    """The search index is in line with the store."""
