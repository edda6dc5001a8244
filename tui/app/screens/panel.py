"""The one look of every modal screen (help, feeds, a yes/no question): a centred panel, and
the keys typed right behind the key that opened it."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class PanelScreen(ModalScreen[ResultType]):
    """A modal whose content sits in one container with the class ``panel``; ``-small`` on the
    container sizes it to its content (questions) instead of most of the screen.

    Keys that arrive before anything in the panel has the focus (``w`` then a watch's name,
    typed in one burst or over SSH) are kept and handed, in order, to the first widget the
    panel focuses: Textual gives such keys to the screen itself (App.on_event forwards to
    ``self.focused or self.screen``), where nothing reads them, so they were lost.
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

    def dismiss_soon(self) -> None:
        """Close with no answer from the panel's own queue: right after it was pushed (the
        main screen found nothing for it to do), it may not be mounted yet."""

        def close() -> None:
            self.dismiss(None)

        self.call_later(close)

    _early_keys: list[events.Key] | None = None
    _settled = False  # shown and focused what it focuses on arrival: no more keys to keep

    def _forward_event(self, event: events.Event) -> None:
        keep = isinstance(event, events.Key) and self.focused is None and not self._settled
        if keep and not event.is_forwarded:
            assert isinstance(event, events.Key)
            if self._early_keys is None:
                self._early_keys = []
            self._early_keys.append(event)
            return
        super()._forward_event(event)

    def _on_mount(self, event: events.Mount) -> None:
        self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        """A panel that focuses nothing (a yes/no question answered with its own keys) gets
        the keys it kept itself, in order, once it is on screen."""
        self._settled = True
        early, self._early_keys = self._early_keys, None
        for key in early or ():
            super()._forward_event(events.Key(key.key, key.character))

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        early, self._early_keys = self._early_keys, None
        if early and self.focused is not None:
            # Posted now, before any key the app forwards from here on (those go straight
            # to the focused widget): the burst keeps its order.
            for key in early:
                self.focused._forward_event(events.Key(key.key, key.character))
