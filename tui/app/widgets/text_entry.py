"""The one text entry feedtui uses for every box the user types into (search, prompts).

It is Textual's `Input` with one upstream bug worked around, here and nowhere else:

Textual 8.2.8 inserts a printable key as soon as the `Input` receives it, but a bound key
(backspace, arrows, ctrl+w, home...) is not run by the `Input`: the event bubbles up to the app,
which looks up the binding and only then runs the action. Keys that arrive in one burst (a held
backspace, typing over SSH or tmux, a paste of keystrokes) are therefore applied out of order:
``abc`` then ``backspace x`` in one burst leaves ``abc`` (the ``x`` is typed, then deleted).
Upstream: Textualize/textual#6605, fix proposed in Textualize/textual#6631 ("Run Input and
TextArea key bindings inline"), not released as of 8.2.8. The fix is the same idea: run the
entry's own (non-priority) bindings inline, in arrival order. Drop this class's `_on_key` once
a Textual release contains that fix (tests/app/test_typing.py proves the behaviour either way).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextEntry(Input):
    """An `Input` that applies every key in the order it arrived."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable and await self._run_own_binding(event.key):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    async def _run_own_binding(self, key: str) -> bool:
        """Run the binding this entry itself has for `key` (with the user's keymap applied),
        now rather than after the event's trip through the app. Bindings of the screen or the
        app, and priority bindings (the app ran those before the key got here), are left to
        the normal route."""
        if not self.has_focus:
            return False
        active = self.screen.active_bindings.get(key)
        if active is None or active.node is not self or active.binding.priority:
            return False
        if not active.enabled:
            return True  # bound here but disabled: swallowed, as the app would
        await self.run_action(active.binding.action)
        return True
