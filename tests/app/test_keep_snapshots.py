"""A snapshot of the tags form (`T`) at 80x24 over a paper with tags and a note: the row's
``✎ #tag +N``, the form's box with the paper's tags and the tags in use under it."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import settle, wait_until
from tui.app.app import FeedApp
from tui.app.screens.tags_form import TagsForm
from tui.library import Library


def _kept(library: Library) -> Library:
    first, second, third = library.search("").ids[:3]
    library.add_tags([first, second], ["agents", "to-read"])
    library.add_tags([second], ["debate"])
    library.add_tags([third], ["agents"])
    library.set_note(second, "# Why\nCompare with the survey.")
    return library


async def tags_form(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("j", "T")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, TagsForm))
    await wait_until(pilot, lambda: "In use" in str(app.screen.query_one("#tags-in-use").content))
    await settle(pilot)


def test_tags_form_80x24(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(_kept(library)), terminal_size=(80, 24), run_before=tags_form)
