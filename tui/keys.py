"""Every key feedtui answers to, in one table, and the check of a user's ``[keys]`` remapping.

Headless on purpose: the config loader and ``feedtui doctor`` validate ``[keys]`` against this
table without importing Textual. `tui.app.keys` turns the same table into Textual `Binding`s for
the paper list, the preview and the main screen, and the help screen and the command palette
read it too, so none of them can disagree. Each entry's `id` is the name a user writes in the
config's ``[keys]`` table to remap it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# Where a binding lives: the paper list, the preview pane (when focused) or the main screen
# (active whichever of them has focus); or the reader, the full-text screen (its own screen).
Target = Literal["list", "preview", "screen", "reader"]


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
    footer: str = ""  # a shorter description for the footer, so it fits 60 columns
    # Run by the app as the key arrives, before the keys behind it are delivered: for keys
    # that move the focus, so that the next keys of a burst (`Esc /`, `/abc`, `Enter jj`)
    # already go where the user sent them.
    priority: bool = False
    # Opens a screen over the main one (a panel: a form, a list, a question; or the reader): a
    # priority key too, so that the keys typed behind it (`w` then a watch's name, `t/word`)
    # reach that screen; the main screen refuses it while the search box has the focus (there
    # the key is typed), see tui/app/key_order.py.
    opens_screen: bool = False


KEYS: tuple[KeySpec, ...] = (
    KeySpec("cursor_down", "j,down", "cursor_down", "Next paper", "list"),
    KeySpec("cursor_up", "k,up", "cursor_up", "Previous paper", "list"),
    KeySpec("next_unread", "]", "next_unread", "Next unread paper", "list", key_display="]"),
    KeySpec(
        "previous_unread", "[", "previous_unread", "Previous unread paper", "list", key_display="["
    ),
    KeySpec("cursor_top", "g,home", "cursor_home", "First paper", "list"),
    KeySpec("cursor_bottom", "G,end", "cursor_end", "Last paper", "list"),
    KeySpec("page_down", "pagedown,ctrl+f", "page_down", "Page down", "list"),
    KeySpec("page_up", "pageup,ctrl+b", "page_up", "Page up", "list"),
    KeySpec(
        "toggle_selection",
        "space",
        "toggle_selection",
        "Select or unselect the paper, then go to the next",
        "list",
    ),
    KeySpec("half_page_down", "ctrl+d", "half_page_down", "Half a page down", "list"),
    KeySpec("half_page_up", "ctrl+u", "half_page_up", "Half a page up", "list"),
    KeySpec("preview_down", "j,down", "scroll_down", "Scroll the preview down", "preview"),
    KeySpec("preview_up", "k,up", "scroll_up", "Scroll the preview up", "preview"),
    KeySpec(
        "preview_page_down",
        "pagedown,ctrl+f,space,ctrl+d",
        "page_down",
        "Scroll the preview a page down",
        "preview",
    ),
    KeySpec(
        "preview_page_up",
        "pageup,ctrl+b,ctrl+u",
        "page_up",
        "Scroll the preview a page up",
        "preview",
    ),
    KeySpec("preview_top", "g,home", "scroll_home", "Top of the preview", "preview"),
    KeySpec("preview_bottom", "G,end", "scroll_end", "End of the preview", "preview"),
    KeySpec(
        "preview_read",
        "enter",
        "screen.read_fulltext",
        "In the preview: read the full paper",
        "preview",
        opens_screen=True,
    ),
    KeySpec("focus_search", "slash", "focus_search", "Search", "screen", True, "/", "Search", True),
    KeySpec(
        "search_done",
        "enter",
        "search_done",
        "In the search box: back to the results",
        "screen",
        priority=True,
    ),
    KeySpec(
        "back",
        "escape",
        "back",
        "Back to the list; again: clear the selection, then the search",
        "screen",
        priority=True,
    ),
    KeySpec(
        "focus_preview",
        "enter",
        "focus_preview",
        "Read the preview (scroll it with j/k)",
        "screen",
        priority=True,
    ),
    KeySpec("toggle_preview", "v", "toggle_preview", "Show or hide the preview", "screen"),
    KeySpec(
        "read_fulltext",
        "t",
        "read_fulltext",
        "Read the full paper",
        "screen",
        footer="Text",
        opens_screen=True,
    ),
    KeySpec("toggle_read", "r", "toggle_read", "Toggle read", "screen", True, footer="Read"),
    KeySpec("toggle_saved", "s", "toggle_saved", "Toggle saved", "screen", True, footer="Save"),
    KeySpec(
        "mark_all_read",
        "A",
        "mark_all_read",
        "Mark every shown paper read (asks first)",
        "screen",
        opens_screen=True,
    ),
    KeySpec("select_all", "ctrl+a", "select_all", "Select every shown paper", "screen"),
    KeySpec("undo", "U,ctrl+z", "undo", "Undo the last mark", "screen"),
    KeySpec("edit_tags", "T", "edit_tags", "Edit the paper's tags", "screen", opens_screen=True),
    KeySpec(
        "edit_note",
        "n",
        "edit_note",
        "Edit the paper's note ($VISUAL/$EDITOR, or here)",
        "screen",
        opens_screen=True,
    ),
    KeySpec(
        "copy_code", "y", "copy_code", "Copy code repository link", "screen", True, footer="Code"
    ),
    KeySpec("copy_link", "Y", "copy_link", "Copy paper page link", "screen"),
    KeySpec("copy_bibtex", "b", "copy_bibtex", "Copy BibTeX", "screen"),
    KeySpec(
        "open_paper", "o", "open_paper", "Open paper page in the browser", "screen", footer="Open"
    ),
    KeySpec("open_pdf", "p", "open_pdf", "Open PDF in the browser", "screen"),
    KeySpec(
        "export",
        "E",
        "export",
        "Export the selection (or the shown papers) to a file",
        "screen",
        opens_screen=True,
    ),
    KeySpec(
        "send_to_zotero",
        "Z",
        "send_to_zotero",
        "Send the paper (or the selection) to Zotero",
        "screen",
    ),
    KeySpec(
        "add_to_papis", "P", "add_to_papis", "Add the paper (or the selection) to papis", "screen"
    ),
    KeySpec("show_unread", "u", "filter('unread')", "Show unread papers only", "screen"),
    KeySpec("show_saved", "S", "filter('saved')", "Show saved papers only", "screen"),
    KeySpec("show_all", "a", "filter('all')", "Show all papers", "screen"),
    KeySpec(
        "cycle_sort",
        "O",
        "cycle_sort",
        "Sort by relevance, newest, upvotes, stars or rising (cycles)",
        "screen",
    ),
    KeySpec(
        "more_like_this",
        "m",
        "more_like_this",
        "More like this: papers similar to this one, and why",
        "screen",
    ),
    KeySpec(
        "for_you",
        "f",
        "for_you",
        "For you: unread papers like the ones you saved",
        "screen",
    ),
    KeySpec(
        "save_watch", "w", "save_watch", "Save the search as a watch", "screen", opens_screen=True
    ),
    KeySpec(
        "watches",
        "W",
        "watches",
        "Watches: saved searches and what is new",
        "screen",
        opens_screen=True,
    ),
    KeySpec("refresh", "R", "refresh", "Refresh every feed now", "screen", footer="Refresh"),
    KeySpec(
        "feeds",
        "F",
        "feeds",
        "Feeds: last fetch, errors, next refresh",
        "screen",
        opens_screen=True,
    ),
    KeySpec("help", "question_mark", "help", "Help", "screen", True, "?", opens_screen=True),
    KeySpec("quit", "q", "app.quit", "Quit", "screen", True),
    # The reader (t): the paper's full text.
    KeySpec("reader_down", "j,down", "scroll_down", "Reader: scroll down", "reader"),
    KeySpec("reader_up", "k,up", "scroll_up", "Reader: scroll up", "reader"),
    KeySpec(
        "reader_page_down",
        "space,pagedown,ctrl+f,ctrl+d",
        "page_down",
        "Reader: a page down",
        "reader",
    ),
    KeySpec("reader_page_up", "pageup,ctrl+b,ctrl+u", "page_up", "Reader: a page up", "reader"),
    KeySpec("reader_top", "g,home", "scroll_home", "Reader: the top", "reader"),
    KeySpec("reader_bottom", "G,end", "scroll_end", "Reader: the end", "reader"),
    KeySpec(
        "reader_find",
        "slash",
        "find",
        "Reader: find in the paper",
        "reader",
        True,
        "/",
        "Find",
        True,
    ),
    KeySpec(
        "reader_find_done",
        "enter",
        "find_done",
        "Reader: in the find box, find and go back to the text",
        "reader",
        priority=True,
    ),
    KeySpec("reader_next_match", "n", "next_match", "Reader: next match", "reader"),
    KeySpec("reader_previous_match", "N", "previous_match", "Reader: previous match", "reader"),
    KeySpec(
        "reader_contents",
        "c",
        "toggle_contents",
        "Reader: show or hide the contents (Enter on a section jumps to it)",
        "reader",
        True,
        footer="Contents",
    ),
    KeySpec(
        "reader_back",
        "escape",
        "back",
        "Reader: close the find box; again: back to the list",
        "reader",
        True,
        "esc",
        "Back",
        priority=True,
    ),
    KeySpec("reader_close", "q", "close", "Reader: back to the list", "reader"),
)

KEYS_BY_ID: dict[str, KeySpec] = {spec.id: spec for spec in KEYS}

# Which targets are active together: the screen's bindings are active under the list and the
# preview; the list and the preview never have the focus at once, so they may share keys.
_ACTIVE_TOGETHER: dict[Target, frozenset[Target]] = {
    "list": frozenset({"list", "screen"}),
    "preview": frozenset({"preview", "screen"}),
    "screen": frozenset({"list", "preview", "screen"}),
    "reader": frozenset({"reader"}),
}
# Two screen bindings may share a key when they apply in different places (Enter: in the search
# box it ends the search, on the list it opens the preview).
# And Enter in the focused preview opens the reader (focus_preview stands aside there).
_SHARED_ON_PURPOSE = frozenset(
    {
        frozenset({"search_done", "focus_preview"}),
        frozenset({"focus_preview", "preview_read"}),
        frozenset({"search_done", "preview_read"}),
    }
)

# Key names as Textual spells them (textual.keys.Keys without modifiers); a test in tests/app
# checks this list against the installed Textual.
NAMED_KEYS = frozenset(
    {
        "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert",
        "left", "right", "up", "down", "home", "end", "pageup", "pagedown",
        *(f"f{number}" for number in range(1, 25)),
    }
)  # fmt: skip
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Textual's names for some characters differ from their Unicode names (textual.keys).
_CHARACTER_NAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


class KeyNameError(ValueError):
    """A key the terminal can never send as written, with the reason."""


def canonical_key(key: str) -> str:
    """One key as Textual names it (``?`` -> ``question_mark``, ``ctrl+x`` stays), so two
    spellings of the same key compare equal. Raises KeyNameError for a key no terminal sends."""
    text = key.strip()
    if not text:
        raise KeyNameError("an empty key")
    if len(text) == 1:
        return _character_key(text)
    if text.endswith("++"):  # ctrl++: the plus key with a modifier
        head, base = text[:-2], "+"
    else:
        head, _, base = text.rpartition("+")
    modifiers = head.split("+") if head else []
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            known = ", ".join(MODIFIERS)
            raise KeyNameError(f"{modifier!r} in {text!r} is not a modifier (use {known})")
    if not base:
        raise KeyNameError(f"{text!r} has no key after the modifier")
    if len(base) == 1:
        name = _character_key(base)
    elif base in NAMED_KEYS or base in _CHARACTER_NAMES.values() or _unicode_name(base):
        name = base
    else:
        hint = " (did you mean escape?)" if base == "esc" else ""
        raise KeyNameError(f"{base!r} is not a key name{hint}")
    return "+".join([*modifiers, name])


def _character_key(character: str) -> str:
    if not character.isprintable():
        raise KeyNameError(f"{character!r} is not a printable key")
    if character.isascii() and character.isalnum():
        return character
    name = unicodedata.name(character, "").lower().replace(" ", "_").replace("-", "_")
    return _CHARACTER_NAMES.get(name, name) or character


def _unicode_name(name: str) -> bool:
    """Whether `name` is how Textual names a printable character (``question_mark``)."""
    try:
        character = unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return character.isprintable() and _character_key(character) == name


def split_keys(keys: str) -> list[str]:
    """``"j, down"`` -> ``["j", "down"]`` (a lone ``,`` is the comma key)."""
    if keys.strip() == ",":
        return [","]
    return [key.strip() for key in keys.split(",") if key.strip()]


def keymap_problems(keymap: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with a ``[keys]`` table, by binding id: an unknown id, a key no terminal
    sends, or a key another binding already answers to where both are active. Empty when the
    keymap is fine. The messages name the binding ids the user can write."""
    problems: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in KEYS_BY_ID:
            problems[binding_id] = f"unknown binding id {binding_id!r}{_suggestion(binding_id)}"
            continue
        if not isinstance(keys, str) or not split_keys(keys):
            problems[binding_id] = 'needs one or more keys, e.g. "x" or "x,ctrl+x"'
            continue
        try:
            [canonical_key(key) for key in split_keys(keys)]
        except KeyNameError as error:
            problems[binding_id] = str(error)
    if problems:
        return problems
    owners: dict[str, list[KeySpec]] = {}
    for spec in KEYS:
        for key in split_keys(keymap.get(spec.id, spec.keys)):
            owners.setdefault(canonical_key(key), []).append(spec)
    for key, specs in owners.items():
        for index, first in enumerate(specs):
            for second in specs[index + 1 :]:
                if second.target not in _ACTIVE_TOGETHER[first.target]:
                    continue
                if frozenset({first.id, second.id}) in _SHARED_ON_PURPOSE:
                    continue
                mine, theirs = (second, first) if second.id in keymap else (first, second)
                problems.setdefault(
                    mine.id,
                    f"{key!r} is already the key of {theirs.id} ({theirs.description}): "
                    f"choose another key, or remap {theirs.id} too",
                )
    return problems


def _suggestion(binding_id: str) -> str:
    import difflib

    close = difflib.get_close_matches(binding_id, KEYS_BY_ID, n=1)
    return f" (did you mean {close[0]}?)" if close else " (see `?` in the app for the ids)"
