"""The one look of every modal screen (help, feeds, a yes/no question): a centred panel."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class PanelScreen(ModalScreen[ResultType]):
    """A modal whose content sits in one container with the class ``panel``; ``-small`` on the
    container sizes it to its content (questions) instead of most of the screen."""

    DEFAULT_CSS = """
    PanelScreen {
        align: center middle;
        & > .panel {
            width: 90%;
            max-width: 100;
            height: 90%;
            padding: 1 2;
            background: $surface;
            border: thick $primary;
        }
        & > .panel.-small {
            width: auto;
            max-width: 70;
            height: auto;
        }
    }
    """
