"""A yes/no question before something that changes many papers at once."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.app.screens.panel import PanelScreen


class ConfirmScreen(PanelScreen[bool]):
    """Dismissed with True for y / enter, False for n / escape."""

    # The panel sizes itself to its text (-small: width auto): the lines must be sized to
    # their own text too, or a 1fr Static in an auto-wide panel comes out zero wide (blank).
    DEFAULT_CSS = """
    ConfirmScreen #confirm-body > Static {
        width: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body", classes="panel -small"):
            yield Static(Content(self.question), id="confirm-question", markup=False)
            yield Static(Content("\ny / Enter: yes    n / Esc: no"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
