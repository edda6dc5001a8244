"""Snapshots of the main screen on the bundled sample: 120x40 and 80x24.

Deterministic: fixed data (the sample), no clock, the list has focus (no blinking input
cursor), and every worker has finished before the picture is taken. Review the report before
updating (`pytest tests/app --snapshot-update`).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import settle
from tui.app.app import FeedApp
from tui.library import Library


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
