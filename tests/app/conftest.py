"""Helpers for driving the real app on a real Library in a per-test FEEDTUI_HOME."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from tui.app.app import FeedApp
from tui.app.screens.main import MainScreen
from tui.app.widgets.paper_list import PaperList
from tui.config import Config
from tui.feeds import http
from tui.library import Library

# The app tests' library follows no feed, so starting the app never refreshes; refresh tests
# give it feeds on the local test server.
OFFLINE = Config(feeds=(), refresh_on_start=False)


@pytest.fixture
def anyio_backend() -> str:
    """The app tests are coroutines marked `anyio` (its pytest plugin comes with httpx)."""
    return "asyncio"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A safety net: a test that forgets to point its feeds at the local server fails here
    instead of fetching from the internet."""
    real_fetch = http.fetch

    def local_only(url: str, **options: object) -> http.FetchResult:
        if urlsplit(url).hostname != "127.0.0.1":
            raise http.FetchError(f"the app tests never fetch from the network ({url})")
        return real_fetch(url, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(http, "fetch", local_only)


@pytest.fixture
def library() -> Iterator[Library]:
    """The library on the test's FEEDTUI_HOME: the bundled 85-paper sample on first open, and
    no feeds (see OFFLINE)."""
    opened = Library.open(config=OFFLINE)
    try:
        yield opened
    finally:
        opened.close()


def main_screen(app: FeedApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


def paper_list(app: FeedApp) -> PaperList:
    return app.query_one(PaperList)


def visible_rows(app: FeedApp) -> list[str]:
    """The text of every list line currently drawn (what the user sees)."""
    widget = paper_list(app)
    rows = [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]
    return [row.rstrip() for row in rows if row.strip()]


def notifications(app: FeedApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker (search, index, clipboard) is done and the screen updated."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def burst(app: FeedApp, keys: Iterable[str]) -> None:
    """Post keys to the app the way a terminal delivers a burst (a held key, a paste of
    keystrokes, typing over SSH): all at once, with nothing processed in between. Pilot.press
    waits for the app after every key, which hides ordering bugs (Textualize/textual#6605)."""
    for key in keys:
        character = key if len(key) == 1 else {"space": " "}.get(key)
        name = _character_to_key(key) if len(key) == 1 else key
        app.post_message(events.Key(name, character))


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float = 5.0
) -> None:
    """Let the app run until `condition()` holds (a timer fired, a worker finished...)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {condition}")
        await pilot.pause(0.02)
    await asyncio.sleep(0)
