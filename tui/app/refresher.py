"""Refreshing feeds from the main screen: on start, on `R`, and every few minutes while open.

The fetching runs in one thread worker (group "refresh") so keys keep working while a slow feed
downloads. The worker posts a message as each feed starts and ends: the status line says which
feed is being fetched, each fetched feed gets a one-line summary, and the list refills as soon
as a feed's papers are stored (the screen keeps the search text and the highlighted paper).
Only one refresh runs at a time: a second request while one runs is refused, not queued.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.screen import Screen

from tui.app.messages import FeedDone, FeedStarted, RefreshDone
from tui.app.screens.feeds import FeedsScreen
from tui.app.widgets.status_line import StatusLine
from tui.feeds import refresh_feeds, why_not_due
from tui.model import FeedState

if TYPE_CHECKING:
    from tui.feeds import FeedReport
    from tui.library import Library

REFRESH_GROUP = "refresh"
NO_FEEDS = "No feeds configured (see feedtui feeds add)"
# A feed's reason can quote what a server sent: keep the notification to one readable line.
SUMMARY_MAX = 300
SAMPLE_MODE = "Sample mode: marks are not kept after you quit"


def one_line(text: str, limit: int = SUMMARY_MAX) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def auto_refresh_minutes(library: Library) -> int:
    """How often to look for due feeds: the shortest refresh period any feed asks for."""
    config = library.config
    periods = [config.refresh_minutes]
    periods += [feed.refresh_minutes for feed in config.feeds if feed.refresh_minutes]
    return max(1, min(periods))


class RefreshingScreen(Screen[None]):
    """A screen that keeps the library's feeds fresh. The subclass says what to redraw."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._stop_refresh = threading.Event()
        self._progress = ""  # "refreshing hf-daily (1/2)…" while a feed is being fetched

    # -- what the subclass provides -------------------------------------------------------------

    def papers_arrived(self) -> None:
        """Papers were added or updated: re-run the search, keeping cursor and search text."""
        raise NotImplementedError

    def show_refresh_progress(self, text: str) -> None:
        raise NotImplementedError

    def catch_up_index(self) -> None:
        """The index fell behind the store (e.g. another process held it): sync it."""
        raise NotImplementedError

    # -- starting and stopping ------------------------------------------------------------------

    def start_refreshing(self) -> None:
        """Refresh due feeds now (if the config says so) and keep checking while open."""
        config = self.library.config
        if not config.feeds:
            return
        self.set_interval(auto_refresh_minutes(self.library) * 60, self.refresh_due_feeds)
        if config.refresh_on_start:
            self.refresh_feeds(force=False)

    def stop_refreshing(self) -> None:
        self._stop_refresh.set()

    @on(events.Mount)
    def _say_what_the_sample_is(self) -> None:
        if self.library.sample_mode:
            self.notify(SAMPLE_MODE, timeout=8)
        self.show_sample_state()
        self.show_failing_feeds()

    def show_failing_feeds(self) -> None:
        """A feed's failure outlives its toast: the status line counts the failing feeds until
        each fetches well again (F says why)."""
        try:
            failing = len(self.library.failing_feeds())
        except Exception:  # only a marker: the feeds screen reports a database problem
            return
        for status in self.query(StatusLine):
            status.set_status(failing=failing)

    def show_sample_state(self) -> None:
        """The status line says so while the papers are the bundled sample (or a throwaway
        `--sample` library): until the first live feed brings papers, which replace it."""
        if self.library.sample_mode:
            label = "sample mode: marks are not kept"
        else:
            try:
                count = self.library.sample_count()
            except Exception:  # only a label: a database problem is reported where it matters
                count = 0
            label = f"{count} from the bundled sample" if count else ""
        for status in self.query(StatusLine):
            status.set_status(sample=label)

    @property
    def refreshing(self) -> bool:
        """A refresh worker of this screen has not finished yet."""
        return any(
            worker.group == REFRESH_GROUP and worker.node is self and not worker.is_finished
            for worker in self.workers
        )

    def refresh_due_feeds(self) -> None:
        """The timer's tick: fetch the feeds that are due, unless a refresh is running."""
        if not self.refreshing:
            self.refresh_feeds(force=False)

    def refresh_feeds(self, *, force: bool) -> bool:
        """Start a refresh (``force``: every feed, fresh or not); False when none started."""
        if not self.library.config.feeds:
            if force:
                self.notify(NO_FEEDS, severity="warning")
            return False
        if self.refreshing:
            if force:
                self.notify("A refresh is already running", severity="warning")
            return False
        if force:
            self._show_progress("refreshing…")
        self.fetch_feeds(force)
        return True

    # -- the worker -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group=REFRESH_GROUP, exit_on_error=False)
    def fetch_feeds(self, force: bool) -> None:
        library = self.library
        names = [feed.name for feed in library.config.feeds] if force else self._due_feeds()
        reports: list[FeedReport] = []
        position = 0

        def started(name: str) -> None:
            nonlocal position
            position += 1
            self.post_message(FeedStarted(name, position, len(names)))

        def done(report: FeedReport) -> None:
            reports.append(report)
            self.post_message(FeedDone(report))

        try:
            if names:  # refresh(names=[]) would mean every feed
                # Quitting sets _stop_refresh: the refresh stops at once, abandoning a slow fetch.
                refresh_feeds(
                    library,
                    names,
                    force=force,
                    on_start=started,
                    on_done=done,
                    cancel=self._stop_refresh,
                )
        finally:
            self.post_message(RefreshDone(reports, force))

    def _due_feeds(self) -> list[str]:
        config = self.library.config
        states = self.library.feed_states()
        now = datetime.now(UTC)
        minutes = config.refresh_minutes
        return [
            feed.name
            for feed in config.feeds
            if not why_not_due(feed, states.get(feed.name, FeedState(feed.name)), minutes, now)
        ]

    # -- what the worker reports ----------------------------------------------------------------

    def on_feed_started(self, message: FeedStarted) -> None:
        self._show_progress(f"refreshing {message.name} ({message.position}/{message.total})…")

    def on_feed_done(self, message: FeedDone) -> None:
        report = message.report
        if report.fetched:
            # Feed errors quote servers: plain text, one line, never markup.
            self.notify(
                one_line(report.summary()),
                severity="information" if report.ok else "error",
                markup=False,
                timeout=6 if report.ok else 10,
            )
        if report.sample_note:
            # The first live papers replaced the bundled sample: a toast of its own.
            self.notify(report.sample_note, markup=False, timeout=10)
            self.show_sample_state()
        if report.ok and (report.added or report.updated or report.sample_note):
            self.papers_arrived()
        self.show_failing_feeds()
        self._reload_feeds_screen()

    def on_refresh_done(self, message: RefreshDone) -> None:
        self._show_progress("")
        changed = any(
            report.added or report.updated or report.sample_note for report in message.reports
        )
        if changed and not self.library.index_ready:
            self.catch_up_index()

    def refresh_failed(self) -> None:
        """The worker raised (the main screen reports the error): clear the progress."""
        self._show_progress("")

    def _show_progress(self, text: str) -> None:
        self._progress = text
        self.show_refresh_progress(text)
        self._reload_feeds_screen()

    def _reload_feeds_screen(self) -> None:
        screen = self.app.screen
        if isinstance(screen, FeedsScreen):
            screen.reload(self._progress)

    # -- actions --------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.refresh_feeds(force=True)

    def action_feeds(self) -> None:
        self.app.push_screen(FeedsScreen(self.library, self.action_refresh, self._progress))
