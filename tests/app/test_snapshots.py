"""Snapshots of the main screen on the bundled sample at 60x20, 80x24, 120x40 and 200x50.

Deterministic: fixed data (the sample), no clock, the list has focus (no blinking input
cursor), and every worker has finished before the picture is taken. Review the report before
updating (`pytest tests/app --snapshot-update`).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import notifications, settle, wait_until
from tui.app.app import FeedApp
from tui.library import Library
from tui.model import Paper


async def ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def read_and_saved(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("r", "j", "s", "j")
    await settle(pilot)


def test_main_screen_120x40(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(library), terminal_size=(120, 40), run_before=ready)


def test_main_screen_80x24(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(library), terminal_size=(80, 24), run_before=read_and_saved)


async def searched(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"agent", "enter")  # the matches are highlighted in the titles
    await settle(pilot)


def test_main_screen_60x20(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(library), terminal_size=(60, 20), run_before=ready)


def test_main_screen_200x50_searching(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(library), terminal_size=(200, 50), run_before=searched)


def _watched(library: Library) -> Library:
    """Three watches, with what is new in each counted from papers stored after them."""
    library.add_watch("wombats", "wombat")
    library.add_watch("burrows in titles", "ti:burrows")
    library.add_watch("[b]not markup[/b]", "quokka -survey")
    library.import_papers(
        [
            Paper(id=f"2701.{n:05d}", title=f"Wombat burrows, part {n}", published="2027-01-02")
            for n in range(1, 4)
        ],
        "test",
    )
    return library


async def watches_open(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("W")
    await settle(pilot)


def test_watches_screen_100x30(snap_compare: Any, library: Library) -> None:
    app = FeedApp(_watched(library))
    assert snap_compare(app, terminal_size=(100, 30), run_before=watches_open)


def test_watches_screen_80x24(snap_compare: Any, library: Library) -> None:
    app = FeedApp(_watched(library))
    assert snap_compare(app, terminal_size=(80, 24), run_before=watches_open)


def _some_saved(library: Library) -> Library:
    """Three papers about agents saved: "for you" ranks the unread ones like them."""
    ids = library.search("agent").ids[:3]
    library.set_marks(dict.fromkeys(ids, True), "saved")
    return library


async def for_you_open(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("f")
    await wait_until(pilot, lambda: "for you: like your 3" in pilot.app.screen.status.text)  # type: ignore[attr-defined]
    await settle(pilot)


def test_for_you_100x30(snap_compare: Any, library: Library) -> None:
    app = FeedApp(_some_saved(library))
    assert snap_compare(app, terminal_size=(100, 30), run_before=for_you_open)


def test_for_you_80x24(snap_compare: Any, library: Library) -> None:
    app = FeedApp(_some_saved(library))
    assert snap_compare(app, terminal_size=(80, 24), run_before=for_you_open)


async def selected(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("space", "j", "space", "space", "r")  # three selected, marked read
    await wait_until(pilot, lambda: any("Marked 3" in n for n in notifications(pilot.app)))
    await settle(pilot)
    pilot.app.clear_notifications()  # the toast's timeout would make the picture flaky
    await pilot.pause()


def test_main_screen_80x24_with_a_selection(snap_compare: Any, library: Library) -> None:
    assert snap_compare(FeedApp(library), terminal_size=(80, 24), run_before=selected)
