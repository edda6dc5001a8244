"""The TUI says when the papers are the bundled sample, and when live papers replaced it.

Before: nothing on screen told the 85 sample papers (2017-2025) from live ones, and `feedtui
--sample` never said that its marks are thrown away on quit.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.app.conftest import main_screen, notifications, paper_list, settle, visible_rows
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.app.screens.main import SAMPLE_MODE
from tui.app.widgets.preview import SAMPLE_NOTE
from tui.config import Config, FeedConfig
from tui.library import Library

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def live_feed(feed_server: FeedServer) -> FeedConfig:
    items = [
        {
            "paper": {
                "id": f"2901.0000{n}",
                "title": f"Quasicrystal lattices part {n}",
                "summary": "A live abstract.",
                "publishedAt": "2099-01-01T00:00:00.000Z",
                "authors": [{"name": "Ada Lovelace"}],
            }
        }
        for n in (1, 2)
    ]
    return FeedConfig("hf-daily", "hf_daily", url=feed_server.route("/hf", body=json.dumps(items)))


async def test_the_sample_is_labelled_in_the_status_line_and_the_preview() -> None:
    library = Library.open(config=Config(feeds=(), refresh_on_start=False))
    app = FeedApp(library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = main_screen(app)
            assert "85 from the bundled sample" in screen.status.text
            title = library.get(paper_list(app).current_id or "").paper.title  # type: ignore[union-attr]
            assert screen.preview.text.startswith(f"{title}\n\n{SAMPLE_NOTE}\n")
            assert SAMPLE_MODE not in notifications(app)  # a real library keeps its marks
    finally:
        library.close()


async def test_the_first_live_papers_replace_the_sample_with_a_toast(
    feed_server: FeedServer,
) -> None:
    library = Library.open(config=Config(feeds=(), refresh_on_start=False))
    first = library.search("").ids[0]
    library.set_saved(first, True)
    library.config = replace(library.config, feeds=(live_feed(feed_server),))
    app = FeedApp(library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("R")
            await settle(pilot)
            await settle(pilot)
            screen = main_screen(app)
            assert "hf-daily: 2 new, 0 updated" in notifications(app)
            assert (
                "Removed 84 sample papers you had not marked; 1 marked one is kept"
                in notifications(app)
            )
            assert "bundled sample" not in screen.status.text
            assert "3 total" in screen.status.text
            rows = " ".join(visible_rows(app))
            assert "Quasicrystal lattices part 1" in rows
            await pilot.press("g")  # the newest: a live paper, which says nothing of the sample
            await settle(pilot)
            assert paper_list(app).current_id in ("2901.00001", "2901.00002")
            assert SAMPLE_NOTE not in screen.preview.text
            # The kept paper still says where it came from.
            kept = library.get(first)
            assert kept is not None and kept.saved
    finally:
        library.close()


async def test_sample_mode_says_marks_are_not_kept() -> None:
    library = Library.open(config=Config(feeds=(), refresh_on_start=False))
    library.sample_mode = True
    app = FeedApp(library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert SAMPLE_MODE in notifications(app)
            assert "sample mode: marks are not kept" in main_screen(app).status.text
    finally:
        library.close()
