"""The inline note editor `n` opens when there is no $VISUAL or $EDITOR (or the terminal
cannot be handed over): a text area with the paper's Markdown note.

Ctrl+S checks the size (tui/tags.py) and closes with the text; Esc closes with nothing
changed, asking first when the text was edited. The screen never writes: the main screen
stores the answer in a worker.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static, TextArea

from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.panel import PanelScreen
from tui.tags import KeepError, check_note
from tui.text import clean_inline


class NoteEditor(PanelScreen[str | None]):
    """Dismissed with the note to store ("" deletes it), or None."""

    DEFAULT_CSS = """
    NoteEditor {
        #note-area {
            height: 1fr;
            margin: 1 0;
        }
        #note-error {
            color: $text-error;
        }
    }
    """

    # Not priority bindings: the keys reach the screen after the text area had the ones typed
    # before them, so a burst "text, ctrl+s" saves the text (a priority binding would run
    # before the text area inserted it). The text area lets both through (tab_behavior
    # "focus": with "indent" it keeps Esc for itself).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note-save"),
        Binding("escape", "cancel", "Cancel", id="note-cancel"),
    ]

    # Focused in on_mount, once the cursor is at the end of the note: the keys typed right
    # behind `n` (kept by PanelScreen until then) are added after the note, not before it.
    AUTO_FOCUS = ""

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.initial = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="panel"):
            yield Static(Content(self._title()), id="note-title", markup=False)
            yield TextArea(self.initial, id="note-area", soft_wrap=True, tab_behavior="focus")
            yield Static(Content(""), id="note-error", markup=False)
            yield Static(Content("Ctrl+S: save    Esc: cancel    (Markdown)"), markup=False)

    @property
    def area(self) -> TextArea:
        return self.query_one("#note-area", TextArea)

    @property
    def error(self) -> str:
        return str(self.query_one("#note-error", Static).content)

    def set_note(self, title: str, note: str) -> None:
        """Say whose note this is and put it in the area, before anything typed already (the
        main screen knows the paper once the keys typed before n are applied)."""
        self.paper_title = title
        self.initial = note
        try:
            area = self.area
        except NoMatches:
            return  # not composed yet: compose shows them
        self.query_one("#note-title", Static).update(Content(self._title()))
        area.load_text(note + area.text)
        area.move_cursor(area.document.end)

    def _title(self) -> str:
        return f"Note on: {clean_inline(self.paper_title, 120)}" if self.paper_title else "Note"

    def on_mount(self) -> None:
        self.area.move_cursor(self.area.document.end)
        self.set_focus(self.area)

    def action_save(self) -> None:
        try:
            note = check_note(self.area.text)
        except KeepError as error:
            self.query_one("#note-error", Static).update(Content(str(error)))
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        if self.area.text == self.initial:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Throw away your changes to this note?"), answered)
