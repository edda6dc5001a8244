"""Messages posted from worker threads to the main screen.

The feed messages go to the app, which hands them to its FeedFetcher (tui/app/fetcher.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.feeds import FeedReport
    from tui.model import WatchNews


@dataclass
class IndexProgress(Message):
    """The search index build advanced (``done`` of ``total`` papers).

    A flood of these from the indexing thread collapses: a queued one is replaced by the newer
    one (toolong's idea), so the UI only draws the latest progress.
    """

    done: int
    total: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


class IndexReady(Message):
    """The search index is in line with the store."""


@dataclass
class FeedStarted(Message, bubble=False):
    """The fetching thread began fetching feed ``name`` (``position`` of ``total``)."""

    name: str
    position: int
    total: int


@dataclass
class FeedDone(Message, bubble=False):
    """One feed's fetch ended; its papers (if any) are stored and searchable."""

    report: FeedReport


@dataclass
class FetchDone(Message, bubble=False):
    """Every feed of a fetch has been tried (``reports`` is empty when none was due)."""

    reports: list[FeedReport] = field(default_factory=list)
    forced: bool = False


@dataclass
class RunOnLoop(Message, bubble=False):
    """A callable from a worker thread, to run on the event loop (posting is thread-safe and
    does not wait, unlike App.call_from_thread)."""

    callback: Callable[[], None]


@dataclass
class WatchesCounted(Message, bubble=False):
    """The watches' counts, read in a worker; ``refreshed``: this app's refresh asked for them
    (so notify_command runs for the watches that grew)."""

    counts: list[WatchNews]
    refreshed: bool = False
