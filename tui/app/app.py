"""The feedtui Textual application.

The app is a thin shell: it takes an opened `Library` (the CLI opens and closes it), applies
the user's theme and keymap, and shows the main screen, which routes actions to the library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.screen import Screen

from tui.app import terminal_input
from tui.app.commands import FeedCommands
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
        terminal_input.install()

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.library.config.keymap)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.library)

    def on_mount(self) -> None:
        theme = self.library.config.theme
        if theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(f"Unknown theme {theme!r}, using the default", markup=False)
        if self.keymap:
            self.set_keymap(self.keymap)
