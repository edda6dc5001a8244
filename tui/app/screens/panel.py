"""The one look of every modal screen (help, feeds, a yes/no question): a centred panel, and
the keys typed right behind the key that opened it."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget

from tui.app.key_order import KeepsEarlyKeys

ResultType = TypeVar("ResultType")


# ModalScreen first: Textual takes a class's CSS from its first base only (DOMNode._css_bases),
# and ModalScreen's dims the screen underneath.
class PanelScreen(ModalScreen[ResultType], KeepsEarlyKeys[ResultType]):
    """A modal whose content sits in one container with the class ``panel``; ``-small`` on the
    container sizes it to its content (questions) instead of most of the screen.

    Keys that arrive before anything in the panel has the focus (``w`` then a watch's name,
    typed in one burst or over SSH) are kept and handed, in order, to the first widget the
    panel focuses (tui/app/key_order.py says why Textual would lose them).
    """

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

    _settled = False  # shown and focused what it focuses on arrival: no more keys to keep

    def keeps_key(self, event: events.Key) -> bool:
        return self.focused is None and not self._settled

    def _on_mount(self, event: events.Mount) -> None:
        self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        """A panel that focuses nothing (a yes/no question answered with its own keys) gets
        the keys it kept itself, in order, once it is on screen."""
        self._settled = True
        self.replay_early_keys_to(self)

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        if self.focused is not None:
            self.replay_early_keys_to(self.focused)
