"""Every key feedtui answers to, in one table.

The same table builds the `BINDINGS` of the paper list and the main screen, the command palette
entries and the help screen, so the three can never disagree. Each binding has an `id`, which is
the name a user writes in the config's ``[keys]`` table to remap it (``App.set_keymap``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Target = Literal["list", "screen"]


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One user action: its binding id, default keys, the action it runs and where."""

    id: str
    keys: str
    action: str
    description: str
    target: Target
    show: bool = False  # shown in the footer
    key_display: str | None = None
    footer: str = ""  # a shorter description for the footer, so it fits 80 columns

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.footer or self.description,
            show=self.show,
            id=self.id,
            key_display=self.key_display,
        )


KEYS: tuple[KeySpec, ...] = (
    KeySpec("cursor_down", "j,down", "cursor_down", "Next paper", "list"),
    KeySpec("cursor_up", "k,up", "cursor_up", "Previous paper", "list"),
    KeySpec("cursor_top", "g,home", "cursor_home", "First paper", "list"),
    KeySpec("cursor_bottom", "G,end", "cursor_end", "Last paper", "list"),
    KeySpec("page_down", "pagedown,ctrl+f", "page_down", "Page down", "list"),
    KeySpec("page_up", "pageup,ctrl+b", "page_up", "Page up", "list"),
    KeySpec("focus_search", "slash", "focus_search", "Search", "screen", True, "/", "Search"),
    KeySpec("back", "escape", "back", "Back to the list / clear the search", "screen"),
    KeySpec("focus_preview", "enter", "focus_preview", "Read the preview (scroll)", "screen"),
    KeySpec("toggle_preview", "v", "toggle_preview", "Show or hide the preview", "screen"),
    KeySpec("toggle_read", "r", "toggle_read", "Toggle read", "screen", True, footer="Read"),
    KeySpec("toggle_saved", "s", "toggle_saved", "Toggle saved", "screen", True, footer="Save"),
    KeySpec(
        "copy_code", "y", "copy_code", "Copy code repository link", "screen", True, footer="Code"
    ),
    KeySpec("copy_link", "Y", "copy_link", "Copy paper page link", "screen"),
    KeySpec("copy_bibtex", "b", "copy_bibtex", "Copy BibTeX", "screen"),
    KeySpec(
        "open_paper",
        "o",
        "open_paper",
        "Open paper page in the browser",
        "screen",
        True,
        footer="Open",
    ),
    KeySpec("open_pdf", "p", "open_pdf", "Open PDF in the browser", "screen"),
    KeySpec("show_unread", "u", "filter('unread')", "Show unread papers only", "screen"),
    KeySpec("show_saved", "S", "filter('saved')", "Show saved papers only", "screen"),
    KeySpec("show_all", "a", "filter('all')", "Show all papers", "screen"),
    KeySpec("refresh", "R", "refresh", "Refresh every feed now", "screen", True, footer="Refresh"),
    KeySpec("feeds", "F", "feeds", "Feeds: last fetch, errors, next refresh", "screen"),
    KeySpec("help", "question_mark", "help", "Help", "screen", True, "?"),
    KeySpec("quit", "q", "app.quit", "Quit", "screen", True),
)


def bindings_for(target: Target) -> list[BindingType]:
    return [spec.binding() for spec in KEYS if spec.target == target]


def effective_keys(spec: KeySpec, keymap: dict[str, str]) -> str:
    """The keys a binding answers to once the user's keymap is applied, for display."""
    keys = keymap.get(spec.id, spec.keys)
    if spec.key_display and spec.id not in keymap:
        return spec.key_display
    names = {"question_mark": "?", "slash": "/", "escape": "esc"}
    return ", ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))
