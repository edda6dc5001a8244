"""Keeping the main screen current: the papers the app's fetcher brings, and whatever other
processes store (a cron `feedtui fetch`, `feedtui mark` in a script).

Other processes are noticed through SQLite's data_version, one cheap PRAGMA every couple of
seconds and whenever the terminal gets the focus back; then the index is reopened at what is
on disk (in a worker) and the list, the preview, the counts and the labels are redrawn from the
store, the cursor staying on its paper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.app.widgets.status_line import library_labels

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen
    from tui.feeds import FeedReport

CHECK_ELSEWHERE_SECONDS = 2.0
ELSEWHERE_GROUP = "elsewhere"


class LibraryWatcher:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.library = screen.library
        self.fetcher = screen.fetcher

    def start(self) -> None:
        self.show_labels()
        self.library.changed_elsewhere()  # what is stored now counts as seen
        self.screen.set_interval(CHECK_ELSEWHERE_SECONDS, self.check_elsewhere)
        self.fetcher.progress_changed.subscribe(self.screen, self._show_fetch_progress)
        self.fetcher.feed_fetched.subscribe(self.screen, self._feed_fetched)
        self.fetcher.finished.subscribe(self.screen, self._fetch_finished)
        self.fetcher.start()

    def show_labels(self) -> None:
        self.screen.status.set_status(**library_labels(self.library))

    # -- what the app's FeedFetcher publishes ---------------------------------------------------

    def _show_fetch_progress(self, text: str) -> None:
        self.screen.status.set_status(refreshing=text, problem=self.library.index_problem)

    def _feed_fetched(self, report: FeedReport) -> None:
        if report.ok and (report.added or report.updated or report.sample_note):
            self.screen.search()  # the list refills; a refill keeps the highlighted paper
            self.screen.update_counts()
        self.show_labels()

    def _fetch_finished(self, reports: list[FeedReport]) -> None:
        changed = any(report.added or report.updated or report.sample_note for report in reports)
        if changed and not self.library.index_ready:
            self.screen.catch_up_index()
        if changed:
            self.screen.watch_tracker.recount(refreshed=True)

    # -- other processes' writes ----------------------------------------------------------------

    def check_elsewhere(self) -> None:
        """When another process wrote to the library, catch up with it (in a worker)."""
        try:
            changed = self.library.changed_elsewhere()
        except Exception:  # a locked or damaged database is reported where it is used
            return
        if changed and not self.screen.building_index:  # never reopen the index under a build
            self.screen.run_worker(
                self.library.reload_index,
                thread=True,
                exclusive=True,
                group=ELSEWHERE_GROUP,
                exit_on_error=False,
            )

    def caught_up(self) -> None:
        """The index is reopened: redraw everything from the store."""
        screen = self.screen
        screen.paper_list.invalidate()
        screen.search()  # the same query again: a refill, the cursor stays on its paper
        screen.update_counts()
        self.show_labels()
        screen.show_preview(screen.paper_list.current_id, keep_scroll=True)
        screen.watch_tracker.recount()  # a cron fetch may have brought papers for the watches
        if not self.library.index_ready:
            screen.catch_up_index()  # the other process stored papers but did not index them
