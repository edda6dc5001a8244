"""A snapshot at 100x30 of `has:fulltext body:sweep` over a library where one paper's full text
is kept: the one row, the status line's count and the preview's "full text offline"."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import main_screen, settle, wait_until
from tests.feed_server import FIXTURES
from tui.app.app import FeedApp
from tui.library import Library

HF_MARKDOWN = (FIXTURES / "hf_paper_markdown_excerpt.md").read_text(encoding="utf-8")


def _with_a_text(library: Library) -> Library:
    second = library.search("").ids[1]
    library.ensure_index()
    library.keep_fulltext(second, HF_MARKDOWN, "http://127.0.0.1/hf")
    return library


async def searched(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"has:fulltext body:sweep ")
    app = pilot.app
    await wait_until(pilot, lambda: main_screen(app).status.text.startswith("1 shown"))
    await settle(pilot)


def test_fulltext_search_100x30(snap_compare: Any, library: Library) -> None:
    app = FeedApp(_with_a_text(library))
    assert snap_compare(app, terminal_size=(100, 30), run_before=searched)
