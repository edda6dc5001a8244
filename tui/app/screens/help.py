"""The `?` screen: every key (as remapped by the user's keymap) and the search syntax."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.keys import KEYS, effective_keys
from tui.app.screens.panel import PanelScreen

QUERY_SYNTAX: tuple[tuple[str, str], ...] = (
    ("diffusion video", "papers with all these words (the last may be a prefix)"),
    ('"world model"', "the exact phrase"),
    ("-survey", 'without this word (also -"a phrase")'),
    ("au:vaswani", 'by an author (au:"Ashish Vaswani" for a full name)'),
    ("ti:transformer", "the word is in the title"),
    ("has:code", "with a code repository (-has:code: without)"),
    ("is:unread", "not read yet (also is:read)"),
    ("is:saved", "saved papers"),
    ("tag:to-read", "with your tag (-tag:done: without)"),
    ("has:note", "with your note (note:baseline: the word is in it)"),
    ("body:ablation", "the word is in the paper's full text (papers read with t)"),
    ("has:fulltext", "the full text is kept offline (-has:fulltext: not)"),
    ("year:2024", "published that year"),
    ("after:2024-01-01", "published after a date (also before:2024-06-30)"),
    ("sort:stars", "the order: relevance, newest, upvotes, stars, rising (wins over O)"),
)


def help_content(keymap: Mapping[str, str]) -> Content:
    width = max(len(effective_keys(spec, dict(keymap))) for spec in KEYS) + 2
    parts: list[Content | str | tuple[str, str]] = [("Keys", "bold"), "\n"]
    for spec in KEYS:
        keys = effective_keys(spec, dict(keymap))
        parts += [(f"  {keys:<{width}}", "bold"), spec.description, f"  ({spec.id})\n"]
    parts += [
        "  ctrl+p".ljust(width + 2),
        "Command palette: every action by name\n",
        "\n",
        ("Search", "bold"),
        "\n",
    ]
    query_width = max(len(example) for example, _ in QUERY_SYNTAX) + 2
    for example, meaning in QUERY_SYNTAX:
        parts += [(f"  {example:<{query_width}}", "bold"), meaning, "\n"]
    parts += [
        "\n  Combine freely: ",
        ("au:hinton has:code after:2024-01-01 diffusion", "bold"),
        "\n  u / S / a narrow the list to unread / saved / all papers on top of the search.",
        "\n  w saves the search as a watch; W shows what is new in each watch.",
        "\n  Remap keys in the config's [keys] table with the ids shown in brackets.",
    ]
    return Content.assemble(*parts)


class HelpScreen(PanelScreen[None]):
    """Keys and query syntax. Any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", id="help-close"),
    ]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="panel"):
            yield Static(help_content(self._keymap), id="help-text", markup=False)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
