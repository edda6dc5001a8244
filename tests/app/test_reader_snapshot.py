"""A snapshot of the reader at 100x30: the Hugging Face fixture's text from the offline cache
(deterministic: no network, every worker finished, every block mounted)."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import settle
from tests.feed_server import FIXTURES
from tui.app.app import FeedApp
from tui.app.screens.reader import ReaderScreen
from tui.fulltext import for_library
from tui.fulltext.sources import _to_markdown
from tui.library import Library

HF_MARKDOWN = (FIXTURES / "hf_paper_markdown_excerpt.md").read_bytes()


def test_reader_100x30(snap_compare: Any, library: Library) -> None:
    async def reading(pilot: Pilot[None]) -> None:
        await settle(pilot)
        paper_id = pilot.app.screen.paper_list.current_id  # type: ignore[attr-defined]
        markdown = _to_markdown(HF_MARKDOWN, "text/markdown", "")
        assert markdown is not None
        for_library(library).cache.put(paper_id, markdown)
        await pilot.press("t")
        for _ in range(500):
            screen = pilot.app.screen
            if isinstance(screen, ReaderScreen) and screen.loaded and screen.shown_at:
                break
            await asyncio.sleep(0.01)
        await settle(pilot)

    assert snap_compare(FeedApp(library), terminal_size=(100, 30), run_before=reading)
