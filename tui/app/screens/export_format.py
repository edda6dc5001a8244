"""E: which format to export in, picked from a short list (BibTeX first)."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.screens.panel import PanelScreen
from tui.exports import EXPORT_FORMATS, SUFFIXES

FORMAT_NAMES = {
    "bibtex": "BibTeX",
    "ris": "RIS (Zotero, EndNote, Mendeley)",
    "csv": "CSV (spreadsheets)",
    "json": "JSON",
    "markdown": "Markdown (a reading list)",
}


class ExportFormatScreen(PanelScreen[str | None]):
    """Dismissed with the chosen format (Enter), or None (Esc)."""

    DEFAULT_CSS = """
    ExportFormatScreen #export-body > Static {
        width: auto;
    }
    ExportFormatScreen #export-formats {
        width: 44;
        height: auto;
        max-height: 9;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="export-cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what  # "the 3 selected papers"

    def compose(self) -> ComposeResult:
        options = [
            Option(f"{FORMAT_NAMES[fmt]}  (.{SUFFIXES[fmt]})", id=fmt) for fmt in EXPORT_FORMATS
        ]
        with Vertical(id="export-body", classes="panel -small"):
            yield Static(Content(self._question()), id="export-what", markup=False)
            yield OptionList(*options, id="export-formats")
            yield Static(Content("Enter: export    Esc: cancel"))

    def _question(self) -> str:
        return f"Export {self.what} as:" if self.what else "Export as:"

    def set_what(self, what: str) -> None:
        """Say what is exported (known once the list applied the keys typed before E)."""
        self.what = what
        with contextlib.suppress(NoMatches):  # not composed yet: compose says it
            self.query_one("#export-what", Static).update(Content(self._question()))

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = 0
        formats.focus()

    @on(OptionList.OptionSelected, "#export-formats")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
