"""Keeping track of the watches for the main screen: what each has new, said when it grows.

What each watch has new (Library.watch_news: a search of the papers arrived since it was
seen, not of everything) is read in a thread worker on start, after a refresh, after another
process's write and after the user changed a watch. A watch
whose new count grew since the last count gets one toast ("diffusion: 12 new"); the status line
shows the total new across watches; after this app's own refresh, the user's notify_command
runs once per watch that grew, in another worker (tui/notify.py).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tui.app.messages import RunOnLoop, WatchesCounted
from tui.notify import run_notify

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen
    from tui.model import WatchNews

WATCH_GROUP = "watch-counts"
NOTIFY_GROUP = "notify"


class WatchTracker:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.library = screen.library
        # The new count of each watch at the last count; None until the first, which only
        # sets the baseline (what was new before this run was said by the previous one).
        self._last: dict[str, int] | None = None
        self.counts: list[WatchNews] = []

    def recount(self, *, refreshed: bool = False) -> None:
        """Count every watch in a worker; the newest request wins."""
        library = self.library

        def count() -> None:
            # What is new, not the totals (the watches screen counts those): a refresh's news
            # reads only the papers that arrived since each watch was seen.
            self.screen.post_message(WatchesCounted(library.watch_news(), refreshed))

        self.screen.run_worker(
            count, thread=True, exclusive=True, group=WATCH_GROUP, exit_on_error=False
        )

    def counted(self, message: WatchesCounted) -> None:
        """On the event loop: toast the watches that grew, show the total, notify."""
        self.counts = message.counts
        last = self._last
        self._last = {count.watch.name: count.new for count in message.counts}
        self.screen.status.set_status(watched=sum(count.new for count in message.counts))
        if last is None:
            return
        grown = [count for count in message.counts if count.new > last.get(count.watch.name, 0)]
        for count in grown:
            # A watch's name is the user's text: never parsed as markup.
            self.screen.notify(f"{count.watch.name}: {count.new} new  (W: watches)", markup=False)
        command = self.library.config.notify_command
        if message.refreshed and command and grown:
            self._notify(command, [(count.watch.name, count.new) for count in grown])

    def _notify(self, command: tuple[str, ...], news: list[tuple[str, int]]) -> None:
        def run() -> None:
            for name, new in news:
                problem = run_notify(command, name, new)
                if problem:
                    text = f"notify_command failed: {problem}"
                    self.screen.post_message(RunOnLoop(partial(self._failed, text)))
                    return  # one toast: the next watches would fail the same way

        self.screen.run_worker(run, thread=True, group=NOTIFY_GROUP, exit_on_error=False)

    def _failed(self, text: str) -> None:
        self.screen.notify(text, severity="error", markup=False, timeout=10)
