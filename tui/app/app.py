"""The feedtui Textual application.

The app is a thin shell: it takes an opened `Library` (the CLI opens and closes it), applies
the user's theme and keymap, keeps the feeds fetched (its FeedFetcher, whose signals the
screens subscribe to) and shows the main screen, which routes actions to the library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.app import terminal_input
from tui.app.commands import FeedCommands
from tui.app.fetcher import FETCH_GROUP, FeedFetcher
from tui.app.messages import FeedDone, FeedStarted, FetchDone
from tui.app.screens.main import MainScreen

if TYPE_CHECKING:
    from tui.library import Library


class FeedApp(App[None]):
    """Read, search and keep track of research papers."""

    TITLE = "feedtui"
    CSS_PATH = "feedtui.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {FeedCommands}

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.fetcher = FeedFetcher(self, library)
        terminal_input.install()

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.library.config.keymap)

    def get_default_screen(self) -> Screen[None]:
        self.main_screen = MainScreen(self.library, self.fetcher)
        return self.main_screen

    def on_app_focus(self) -> None:
        # Back from another window, where the user may have run feedtui commands.
        self.main_screen.watcher.check_elsewhere()

    def on_mount(self) -> None:
        theme = self.library.config.theme
        if theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(f"Unknown theme {theme!r}, using the default", markup=False)
        if self.keymap:
            self.set_keymap(self.keymap)

    # -- the fetching worker's messages -------------------------------------------------------

    def on_feed_started(self, message: FeedStarted) -> None:
        self.fetcher.feed_started(message)

    def on_feed_done(self, message: FeedDone) -> None:
        self.fetcher.feed_done(message)

    def on_fetch_done(self, message: FetchDone) -> None:
        self.fetcher.fetch_done(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FETCH_GROUP and event.state == WorkerState.ERROR:
            self.fetcher.failed()
            # Error text can quote feed data or paths: never parse it as markup.
            self.notify(f"Refresh failed: {event.worker.error}", severity="error", markup=False)
