"""The preview pane: everything about the highlighted paper, scrollable, as plain text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.formatting import preview_content

if TYPE_CHECKING:
    from tui.store import Entry


class PaperPreview(VerticalScroll, can_focus=True):
    """Scrollable details of one paper. Focus it (Enter) to scroll with the keyboard.

    | Class | Description |
    | :- | :- |
    | `paper-preview--match` | Words matching the search. |
    | `paper-preview--label` | Field names and headings. |
    | `paper-preview--title` | The title. |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-preview--match",
        "paper-preview--label",
        "paper-preview--title",
    }

    def compose(self) -> ComposeResult:
        # markup=False as a second lock: only Content objects built from plain text go in here.
        yield Static(Content("No paper selected."), id="preview-body", markup=False)

    @property
    def body(self) -> Static:
        return self.query_one("#preview-body", Static)

    @property
    def content(self) -> Content:
        """What the pane shows, with its styles (search matches are spans)."""
        content = self.body.content
        return content if isinstance(content, Content) else Content(str(content))

    @property
    def text(self) -> str:
        """What the pane shows, as plain text."""
        return self.content.plain

    def show(self, entry: Entry | None, terms: Iterable[str] = ()) -> None:
        if entry is None:
            self.show_message("No paper selected.")
            return
        style = self.get_visual_style
        content = preview_content(
            entry.paper,
            entry.read,
            entry.saved,
            terms,
            match_style=style("paper-preview--match", partial=True),
            label_style=style("paper-preview--label", partial=True),
            title_style=style("paper-preview--title", partial=True),
        )
        self.body.update(content)
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.body.update(Content(message))
