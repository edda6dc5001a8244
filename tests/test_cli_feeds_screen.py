"""The feeds screen (`F`) as the user sees it, at 80 and 120 columns: a long error wraps under
its own column (a hanging indent), never back to the left edge, and reads as one sentence.

(An app test; it lives here rather than in tests/app/ only for file ownership while several
people edit the tree. It drives the app exactly as tests/app/conftest.py does.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.app.conftest import settle
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.app.screens.feeds import FeedsScreen
from tui.config import Config, FeedConfig
from tui.feeds import refresh_feeds
from tui.library import Library
from tui.model import FeedState, now_iso

pytestmark = pytest.mark.anyio
NOT_FOUND = "HTTP 404 Not Found — the server sent an HTML page, not a feed"
LONG = (
    "could not connect to feeds.example.org: [Errno -2] Name or service not known; the "
    "resolver was asked three times and https://feeds.example.org/a/very/long/path/that/"
    "goes/on/and/on/feed.xml never answered"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def library(feed_server: FeedServer) -> Iterator[Library]:
    page = feed_server.route(
        "/gone", status=404, body="<!DOCTYPE html><html>Gone</html>", content_type="text/html"
    )
    feeds = (
        FeedConfig("gone", "feed", url=page),
        FeedConfig("long", "feed", url="https://feeds.example.org/feed.xml"),
    )
    opened = Library.open(config=Config(feeds=feeds, refresh_on_start=False))
    [report] = refresh_feeds(opened, ["gone"])  # the real fetch, for the real message
    assert report.error == NOT_FOUND
    opened.store.save_feed_state(
        FeedState("long", last_attempt=now_iso(), last_error=LONG, last_error_at=now_iso())
    )
    try:
        yield opened
    finally:
        opened.close()


def screen_lines(app: FeedApp) -> list[str]:
    """What the feeds box shows, line by line (inside its border and padding)."""
    box = app.screen.query_one("#feeds-body").content_region
    strips = app.screen._compositor.render_strips()[box.y : box.bottom]
    return [strip.text[box.x : box.right].rstrip() for strip in strips]


def value_column(line: str, label: str) -> int:
    """Where the value starts on a row labelled ``label``."""
    after = line.index(label) + len(label)
    return after + len(line[after:]) - len(line[after:].lstrip())


@pytest.mark.parametrize("width", [80, 120])
async def test_long_errors_wrap_under_their_column(library: Library, width: int) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        lines = screen_lines(app)
        for error in (NOT_FOUND, LONG):
            start = next(
                n for n, line in enumerate(lines) if "last error" in line and error[:12] in line
            )
            column = value_column(lines[start], "last error")
            end = next(n for n in range(start, len(lines)) if "next refresh" in lines[n])
            assert end - start >= 2, lines[start:end]  # it does wrap, at both widths
            pieces = [lines[start][column:]]
            for line in lines[start + 1 : end]:
                text = line[column:]
                # Blank up to the value column (a hanging indent), the text from it on.
                assert line[:column].strip() == "", line
                assert text and not text[0].isspace(), (column, line)
                pieces.append(text)
            shown = " ".join(piece.strip() for piece in pieces)
            assert shown.split("  ", 1)[1].replace(" ", "") == error.replace(" ", "")
        assert "((" not in "".join(lines) and "))" not in "".join(lines)
