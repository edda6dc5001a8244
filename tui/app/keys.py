"""The key table (tui/keys.py) as Textual bindings.

The same table builds the `BINDINGS` of the paper list, the preview and the main screen, the
command palette entries and the help screen, so they can never disagree.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.keys import KEYS, KeySpec, Target, split_keys

__all__ = ["KEYS", "KeySpec", "bindings_for", "effective_keys"]


def binding(spec: KeySpec) -> Binding:
    return Binding(
        spec.keys,
        spec.action,
        spec.footer or spec.description,
        show=spec.show,
        id=spec.id,
        key_display=spec.key_display,
        priority=spec.priority or spec.opens_screen,
    )


# The footer shows bindings in this order and cuts what does not fit at the right: Help and
# Quit go first so that they stay visible at any width.
FOOTER_FIRST = ("help", "quit")


def bindings_for(target: Target) -> list[BindingType]:
    specs = sorted(
        (spec for spec in KEYS if spec.target == target), key=lambda s: s.id not in FOOTER_FIRST
    )
    return [binding(spec) for spec in specs]


def effective_keys(spec: KeySpec, keymap: dict[str, str]) -> str:
    """The keys a binding answers to once the user's keymap is applied, for display."""
    keys = keymap.get(spec.id, spec.keys)
    if spec.key_display and spec.id not in keymap:
        return spec.key_display
    names = {"question_mark": "?", "slash": "/", "escape": "esc"}
    return ", ".join(names.get(key, key) for key in split_keys(keys))
