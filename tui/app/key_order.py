"""Running something once the keys already on their way have done their work.

The keys that open a panel (`w`, `E`... : priority bindings, tui/keys.py) run as the key
arrives, in the app's own queue, so that the keys typed behind them reach the panel. The keys
typed *before* them in the same burst have not been applied yet: each was forwarded to the
focused widget and reaches its binding only after bubbling back up to the app (the widget, each
of its containers, the screen, the app: a message queue at every step), or is typed into a text
box in the widget's own queue. A panel that needs what those keys did (the selection `space`
made, the query typed in the search box) waits for them with `after_keys_in_flight`: the
callback travels the same path, one queue at a time, so at every step it runs behind them.
Those keys themselves must still mean what they meant on the screen they were typed for: the
app would look their bindings up in the panel now on top, so the main screen runs them itself
(MainScreen.on_key).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode


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
