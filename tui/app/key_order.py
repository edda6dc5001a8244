"""Keys typed in one burst keep their order across a screen change: the one place for it.

Textual 8.2.8 applies a bound key only after its trip up to the app: the key is handed to the
focused widget and its binding runs once the event has bubbled back up (the widget, each of
its containers, the screen, the app: a message queue at every step). The printable keys that
arrived right behind it have been handed to the focused widget meanwhile, so they are applied
before it (Textualize/textual#6605; the text boxes' side of it is tui/app/widgets/text_entry.py).
For a key that opens a screen (`t` the reader, `n` the note, `w`, `E`, `?` a panel) the keys
behind it went to the list's bindings instead of the new screen. So:

- Such keys are priority bindings (`KeySpec.opens_screen`, tui/keys.py): the app runs them as
  the key arrives, before it delivers the next one, and the next keys find the new screen on
  top.
- Until that screen has focused a widget, Textual hands the keys to the screen itself
  (App.on_event forwards to ``focused or screen``), where nothing reads them: the screen keeps
  them and replays them, in order, once it is ready (`KeepsEarlyKeys`: the panels once they
  focused their box, the reader once its text is on screen).
- The keys typed *before* the opening key in the same burst have not been applied yet. What
  the new screen needs from them (the paper `j` moved to, the query typed in the search box)
  it reads through `after_keys_in_flight`: the callback travels the same path, one queue at a
  time, so at every step it runs behind them. Those keys must still mean what they meant on
  the screen they were typed for: the app would look their bindings up in the screen now on
  top, so the main screen runs them itself (MainScreen.on_key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import events
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")

# A bound on the keys one screen keeps (a key held down while a slow fetch runs).
MOST_KEPT = 1000


def after_keys_in_flight(widget: DOMNode, callback: Callable[[], None]) -> None:
    """Call `callback` on the event loop after every key already sent to `widget` has been
    handled there and by every binding up to the app."""
    path = list(widget.ancestors_with_self)  # the widget first, the app last

    def step(at: int) -> None:
        if at == len(path) - 1:
            path[at].call_later(callback)
        else:
            path[at].call_later(step, at + 1)

    step(0)


class KeepsEarlyKeys(Screen[ResultType]):
    """A screen that keeps the keys reaching it before it is ready for them (see above).

    Keys reach the screen itself only while nothing in it has the focus. A subclass says which
    of those it keeps (`keeps_key`) and hands them on when it is ready, either all to the
    widget it focused (`replay_early_keys_to`) or as if they arrived now (`replay_early_keys`:
    a key's priority binding runs, then the next key goes where the focus is).
    """

    _early_keys: list[events.Key] | None = None

    def keeps_key(self, event: events.Key) -> bool:
        """Whether a key that reached the screen itself is kept for later."""
        return False

    @property
    def keeping_keys(self) -> bool:
        """Some keys are kept, waiting for the screen."""
        return bool(self._early_keys)

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.keeps_key(event):
            if self._early_keys is None:
                self._early_keys = []
            if len(self._early_keys) < MOST_KEPT:
                self._early_keys.append(event)
            return
        super()._forward_event(event)

    def dismiss_soon(self) -> None:
        """Close with no answer from the screen's own queue. A screen opened by a priority key
        learns only later (`after_keys_in_flight`) that it has nothing to show: it may not be
        mounted yet, or something may be on top of it by then."""

        def close() -> None:
            if self.is_current:
                self.dismiss(None)

        self.call_later(close)

    def drop_early_keys(self) -> None:
        self._early_keys = None

    def _next_early_key(self) -> events.Key | None:
        if not self._early_keys:
            self._early_keys = None
            return None
        kept = self._early_keys.pop(0)
        # A new event (that one was handled), sent by the app as the terminal's keys are: a
        # key "sent" by this screen would stop bubbling here and never reach the app, which
        # runs the bindings (MessagePump._on_message stops a message at its sender).
        key = events.Key(kept.key, kept.character)
        key.set_sender(self.app)
        return key

    def replay_early_keys_to(self, widget: Widget | Screen[ResultType]) -> None:
        """Hand every kept key to `widget`, in order, now: before any key the app forwards
        from here on (those go straight to the focused widget), so the burst keeps its order.
        For keys that no priority binding answers (a panel's box takes them all)."""
        while (key := self._next_early_key()) is not None:
            if widget is self:
                super()._forward_event(key)
            else:
                widget._forward_event(key)

    async def replay_early_keys(self) -> None:
        """Apply every kept key as the app would if it arrived now: its priority binding runs
        (`/` opens the reader's find box), else it goes to the focused widget (the letters
        then land in that box) or to the screen. Nothing here waits on the event loop unless
        an action does, so no key typed meanwhile can overtake them."""
        while (key := self._next_early_key()) is not None:
            active = self.active_bindings.get(key.key)
            if active is not None and active.binding.priority and active.enabled:
                await self.app.run_action(active.binding.action, active.node)
            elif self.focused is None:
                super()._forward_event(key)
            else:
                self.focused._forward_event(key)
