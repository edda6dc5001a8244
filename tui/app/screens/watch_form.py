"""The small form that names a watch (on `w`) or edits one (on `e` in the watches screen).

The form saves through a callback that answers with what went wrong ("" when saved): a name
already taken, an empty name... is shown in the form, which stays open with what the user
typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from tui.app.screens.panel import PanelScreen
from tui.app.widgets.text_entry import TextEntry

# save(name, query) -> "" when saved, else the message to show.
Save = Callable[[str, str], str]


class WatchForm(PanelScreen[str | None]):
    """Dismissed with the saved watch's name, or None (escape)."""

    DEFAULT_CSS = """
    WatchForm {
        & > .panel.-small {
            width: 70;
        }
        #watch-error {
            color: $text-error;
        }
        TextEntry {
            margin-bottom: 1;
        }
    }
    """

    # Tab moves between the two boxes as a priority binding with set_focus, at once: the keys
    # behind it in a burst ("tab", "x") then land in the box the user moved to (as the main
    # screen's focus keys do; Textual's own focus_next waits for the app's binding lookup).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="watch-form-cancel"),
        Binding("tab,shift+tab", "other_box", "Next box", id="watch-form-next", priority=True),
    ]

    def __init__(self, title: str, name: str, query: str, save: Save) -> None:
        super().__init__()
        self.title_text = title
        self.initial = (name, query)
        self.save = save

    def compose(self) -> ComposeResult:
        name, query = self.initial
        with Vertical(id="watch-form", classes="panel -small"):
            yield Static(Content(self.title_text), id="watch-title", markup=False)
            yield Static(Content("Name"), markup=False)
            # No select-all on focus: Textual selects after the focus event, so the first
            # keys of a burst typed on arrival would replace the text instead of adding to it.
            yield TextEntry(
                name, placeholder="e.g. diffusion", id="watch-name", select_on_focus=False
            )
            yield Static(Content("Query (as in the search box)"), markup=False)
            yield TextEntry(query, id="watch-query", select_on_focus=False)
            yield Static(Content(""), id="watch-error", markup=False)
            yield Static(Content("Enter: save    Esc: cancel"), markup=False)

    def set_query(self, query: str) -> None:
        """Fill the query box (the main screen reads the search once the box has applied every
        key typed before `w`), unless the user already typed in it."""
        name, initial = self.initial
        self.initial = (name, query)
        try:
            box = self.query_one("#watch-query", TextEntry)
        except NoMatches:
            return  # not composed yet: compose uses the new initial query
        if box.value == initial:
            box.value = query

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#watch-name", TextEntry))

    @property
    def error(self) -> str:
        return str(self.query_one("#watch-error", Static).content)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        name = self.query_one("#watch-name", TextEntry).value
        query = self.query_one("#watch-query", TextEntry).value
        problem = self.save(name, query)
        if problem:
            # The user's text stays in the boxes: fix it and press Enter again.
            self.query_one("#watch-error", Static).update(Content(problem))
            return
        self.dismiss(name.strip())

    def action_other_box(self) -> None:
        name = self.query_one("#watch-name", TextEntry)
        query = self.query_one("#watch-query", TextEntry)
        self.set_focus(query if self.focused is name else name)

    def action_cancel(self) -> None:
        self.dismiss(None)
