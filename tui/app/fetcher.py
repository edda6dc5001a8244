"""Fetching the feeds for the whole app: on start, on `R`, and every few minutes while open.

The fetching runs in one thread worker of the app (group "fetch"), so keys keep working while
a slow feed downloads, whichever screen is on top. The worker posts a message to the app as
each feed starts and ends; the app hands them to this fetcher, which says one line per fetched
feed and publishes what happened on its signals, to which the screens subscribe: the main
screen refills its list and its status line, the feeds screen redraws its table. Only one fetch
runs at a time: a second request while one runs is refused, not queued.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.signal import Signal

from tui.app.messages import FeedDone, FeedStarted, FetchDone
from tui.feeds import refresh_feeds, why_not_due
from tui.model import FeedState
from tui.text import clean_inline

if TYPE_CHECKING:
    from textual.app import App

    from tui.feeds import FeedReport
    from tui.library import Library

FETCH_GROUP = "fetch"
NO_FEEDS = "No feeds configured (see feedtui feeds add)"
# A feed's reason can quote what a server sent: keep the notification to one readable line.
SUMMARY_MAX = 300


def check_every_minutes(library: Library) -> int:
    """How often to look for due feeds: the shortest refresh period any feed asks for."""
    config = library.config
    periods = [config.refresh_minutes]
    periods += [feed.refresh_minutes for feed in config.feeds if feed.refresh_minutes]
    return max(1, min(periods))


class FeedFetcher:
    """Keeps the library's feeds fresh for one app and tells the screens what arrived."""

    def __init__(self, app: App[None], library: Library) -> None:
        self.app = app
        self.library = library
        self.progress = ""  # "refreshing hf-daily (1/2)…" while a feed is being fetched
        self.progress_changed: Signal[str] = Signal(app, "fetch-progress")
        self.feed_fetched: Signal[FeedReport] = Signal(app, "feed-fetched")
        self.finished: Signal[list[FeedReport]] = Signal(app, "fetch-finished")
        self._stop = threading.Event()

    # -- starting and stopping ------------------------------------------------------------------

    def start(self) -> None:
        """Fetch due feeds now (if the config says so) and keep checking while the app runs."""
        config = self.library.config
        if not config.feeds:
            return
        self.app.set_interval(check_every_minutes(self.library) * 60, self.fetch_due)
        if config.refresh_on_start:
            self.fetch(force=False)

    def stop(self) -> None:
        """Quitting: a fetch in flight is abandoned at once instead of holding up the exit."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return any(
            worker.group == FETCH_GROUP and not worker.is_finished for worker in self.app.workers
        )

    def fetch_due(self) -> None:
        """The timer's tick: fetch the feeds that are due, unless a fetch is running."""
        if not self.running:
            self.fetch(force=False)

    def fetch(self, *, force: bool) -> bool:
        """Start fetching (``force``: every feed, fresh or not); False when none started, with
        a message when the user asked (``force``)."""
        if not self.library.config.feeds:
            if force:
                self.app.notify(NO_FEEDS, severity="warning")
            return False
        if self.running:
            if force:
                self.app.notify("A refresh is already running", severity="warning")
            return False
        if force:
            self._set_progress("refreshing…")
        names = [feed.name for feed in self.library.config.feeds] if force else self._due()
        self.app.run_worker(
            lambda: self._fetch(names, force),
            thread=True,
            exclusive=True,
            group=FETCH_GROUP,
            exit_on_error=False,
        )
        return True

    def _due(self) -> list[str]:
        config = self.library.config
        states = self.library.feed_states()
        now = datetime.now(UTC)
        return [
            feed.name
            for feed in config.feeds
            if not why_not_due(
                feed, states.get(feed.name, FeedState(feed.name)), config.refresh_minutes, now
            )
        ]

    def _fetch(self, names: list[str], force: bool) -> None:
        """In the worker thread: messages to the app are the only way out (post_message is
        thread-safe)."""
        reports: list[FeedReport] = []
        position = 0

        def started(name: str) -> None:
            nonlocal position
            position += 1
            self.app.post_message(FeedStarted(name, position, len(names)))

        def done(report: FeedReport) -> None:
            reports.append(report)
            self.app.post_message(FeedDone(report))

        try:
            if names:  # refresh_feeds(names=[]) would mean every feed
                refresh_feeds(
                    self.library,
                    names,
                    force=force,
                    on_start=started,
                    on_done=done,
                    cancel=self._stop,
                )
        finally:
            self.app.post_message(FetchDone(reports, force))

    # -- what the worker reports (called by the app, on the event loop) ------------------------

    def feed_started(self, message: FeedStarted) -> None:
        self._set_progress(f"refreshing {message.name} ({message.position}/{message.total})…")

    def feed_done(self, message: FeedDone) -> None:
        report = message.report
        if report.fetched:
            # Feed errors quote servers: plain text, one line, never markup.
            self.app.notify(
                clean_inline(report.summary(), SUMMARY_MAX),
                severity="information" if report.ok else "error",
                markup=False,
                timeout=6 if report.ok else 10,
            )
        if report.sample_note:
            # The first live papers replaced the bundled sample: a toast of its own.
            self.app.notify(report.sample_note, markup=False, timeout=10)
        self.feed_fetched.publish(report)

    def fetch_done(self, message: FetchDone) -> None:
        self._set_progress("")
        self.finished.publish(message.reports)

    def failed(self) -> None:
        """The worker raised (the app reports the error): clear the progress."""
        self._set_progress("")

    def _set_progress(self, text: str) -> None:
        self.progress = text
        self.progress_changed.publish(text)
