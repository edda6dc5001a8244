"""The small form `T` opens: the paper's tags in one box, completed from the tags in use.

Tags are typed separated by spaces (``diffusion to-read``); Tab or → takes the completion
shown for the word being typed. Enter checks every name (tui/tags.py) and closes with the new
list, or shows what is wrong and stays open with the user's text; Esc closes with nothing
changed. The form never writes: the main screen stores the answer in a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.suggester import Suggester
from textual.widgets import Input, Static

from tui.app.screens.panel import PanelScreen
from tui.app.widgets.text_entry import TextEntry
from tui.tags import KeepError, normalize_tags
from tui.text import clean_inline

# How many of the most used tags the form lists under the box.
SHOWN_IN_USE = 8


class TagSuggester(Suggester):
    """Completes the word being typed (the last one) from the tags in use, the most used
    first, leaving out the ones already in the box."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = list(names)

    async def get_suggestion(self, value: str) -> str | None:
        return self.complete(value)

    def complete(self, value: str) -> str | None:
        """``value`` with its last word completed, or None when no tag in use fits."""
        if not value or value[-1].isspace():
            return None
        words = value.split()
        typed = words[-1].lower().removeprefix("#")
        if not typed:
            return None
        taken = {word.lower().removeprefix("#") for word in words[:-1]}
        for name in self.names:
            if name.startswith(typed) and name != typed and name not in taken:
                return value + name[len(typed) :]
        return None


class TagsForm(PanelScreen[list[str] | None]):
    """Dismissed with the paper's new tags (normalised; [] removes them all) or None."""

    DEFAULT_CSS = """
    TagsForm {
        & > .panel.-small {
            width: 70;
        }
        #tags-error {
            color: $text-error;
        }
        #tags-in-use {
            color: $text-muted;
        }
        TextEntry {
            margin: 1 0;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags-form-cancel"),
        # Priority: the screen's own tab (focus next) would win otherwise.
        Binding("tab", "complete", "Complete", id="tags-form-complete", priority=True),
    ]

    def __init__(
        self, title: str, tags: Sequence[str], in_use: Callable[[], list[tuple[str, int]]]
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.initial = " ".join(tags)
        self.in_use = in_use  # the tags in use with their counts (read in a worker)

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-form", classes="panel -small"):
            yield Static(Content(self._title()), id="tags-title", markup=False)
            # No select-all on focus: the first keys of a burst must add to the text.
            text = self.initial + " " if self.initial else ""
            yield TextEntry(
                text,
                placeholder="e.g. diffusion to-read (space between tags)",
                id="tags-entry",
                select_on_focus=False,
            )
            yield Static(Content(""), id="tags-in-use", markup=False)
            yield Static(Content(""), id="tags-error", markup=False)
            yield Static(Content("Enter: save    Tab/→: complete    Esc: cancel"), markup=False)

    @property
    def entry(self) -> TextEntry:
        return self.query_one("#tags-entry", TextEntry)

    @property
    def error(self) -> str:
        return str(self.query_one("#tags-error", Static).content)

    def set_papers(self, title: str, tags: Sequence[str]) -> None:
        """Say whose tags these are and put them in the box, before anything typed already
        (the main screen knows the papers once the keys typed before T are applied)."""
        self.paper_title = title
        self.initial = " ".join(tags)
        try:
            entry = self.entry
        except NoMatches:
            return  # not composed yet: compose shows them
        self.query_one("#tags-title", Static).update(Content(self._title()))
        if self.initial:
            entry.value = f"{self.initial} {entry.value}"
            entry.cursor_position = len(entry.value)

    def _title(self) -> str:
        if not self.paper_title:
            return "Tags"
        return f"Tags of {clean_inline(self.paper_title, 120)}"

    def on_mount(self) -> None:
        self.set_focus(self.entry)
        self.entry.cursor_position = len(self.entry.value)
        self._load_names()

    @work(thread=True, exit_on_error=False, group="tags-in-use")
    def _load_names(self) -> None:
        counts = self.in_use()
        self.app.call_from_thread(self._names_loaded, counts)

    def _names_loaded(self, counts: list[tuple[str, int]]) -> None:
        self.entry.suggester = TagSuggester([name for name, _ in counts])
        if counts:
            shown = "  ".join(f"#{name} {count}" for name, count in counts[:SHOWN_IN_USE])
            more = f"  (+{len(counts) - SHOWN_IN_USE} more)" if len(counts) > SHOWN_IN_USE else ""
            line = f"In use: {shown}{more}"
        else:
            line = "No tags in use yet."
        self.query_one("#tags-in-use", Static).update(Content(line))

    def action_complete(self) -> None:
        # A priority binding runs before the box has the keys typed just before it (a burst
        # "dif<tab>"): complete once the box has them, from the text as it is then.
        self.entry.call_later(self._complete)

    def _complete(self) -> None:
        entry = self.entry
        suggester = entry.suggester
        completed = suggester.complete(entry.value) if isinstance(suggester, TagSuggester) else None
        if completed:
            entry.value = completed
            entry.cursor_position = len(completed)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        try:
            tags = normalize_tags(self.entry.value.split())
        except KeepError as error:
            # The user's text stays in the box: fix it and press Enter again.
            self.query_one("#tags-error", Static).update(Content(str(error)))
            return
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)
