"""Refreshing feeds from the TUI, against the local feed server (127.0.0.1, no network).

The app runs on a real Library whose feeds point at the `feed_server` fixture. Nothing sleeps:
the tests wait for the app's own messages (FeedDone, FetchDone) and for its workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.message import Message
from textual.pilot import Pilot

from tests.app.conftest import main_screen, notifications, paper_list, settle, visible_rows
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.app.fetcher import FETCH_GROUP, NO_FEEDS
from tui.app.messages import FeedDone, FetchDone
from tui.app.screens.feeds import FeedsScreen
from tui.config import FeedConfig
from tui.index import IndexUnavailable
from tui.library import Library
from tui.model import FeedState, now_iso

pytestmark = pytest.mark.anyio

FIXTURE = "hf_daily_papers_2026-08_trimmed_2items.json"
NEW_TITLES = (
    "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning",
    "StateM: Reaching 95.3% Raw Accuracy",
)


class MessageLog:
    """A `message_hook` that records what the app dispatches and lets a test await one."""

    def __init__(self) -> None:
        self.seen: list[Message] = []
        self._waiting: list[tuple[Callable[[Message], bool], asyncio.Event]] = []

    def __call__(self, message: Message) -> None:
        self.seen.append(message)
        for predicate, event in self._waiting:
            if predicate(message):
                event.set()

    async def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 30) -> None:
        if any(predicate(message) for message in self.seen):
            return
        event = asyncio.Event()
        self._waiting.append((predicate, event))
        await asyncio.wait_for(event.wait(), timeout)

    def reports(self) -> list[FeedDone]:
        return [message for message in self.seen if isinstance(message, FeedDone)]


def use_feeds(library: Library, *feeds: FeedConfig, on_start: bool = False) -> None:
    library.config = replace(library.config, feeds=feeds, refresh_on_start=on_start)


def refresh_running(app: FeedApp) -> bool:
    return any(w.group == FETCH_GROUP and not w.is_finished for w in app.workers)


async def settle_all_but_refresh(pilot: Pilot[None]) -> None:
    """Let queued messages run, then wait for every worker except the refresh (search...)."""
    await pilot.pause()
    others = [w for w in pilot.app.workers if w.group != FETCH_GROUP]
    await asyncio.gather(*(w.wait() for w in others), return_exceptions=True)
    await pilot.pause()


def is_done(name: str) -> Callable[[Message], bool]:
    return lambda message: isinstance(message, FeedDone) and message.report.name == name


def one_line_failures(app: FeedApp) -> list[str]:
    failed = [text for text in notifications(app) if ": failed: " in text]
    for text in failed:
        assert "\n" not in text and "Traceback" not in text, text
    return failed


async def test_R_adds_new_papers_keeping_cursor_and_search_text(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(library, FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not feed_server.requests  # refresh_on_start is off
        await pilot.press("slash", *"latent", "enter")
        await settle(pilot)
        await pilot.press("j")
        kept = paper_list(app).current_id
        assert kept is not None
        assert not any(NEW_TITLES[0][:30] in row for row in visible_rows(app))
        # Marked, so it stays when the live papers replace the sample (tests/test_sample.py).
        library.set_saved(kept, True)

        await pilot.press("R")
        await settle(pilot)

        assert any(NEW_TITLES[0][:30] in row for row in visible_rows(app))
        assert paper_list(app).current_id == kept
        assert main_screen(app).search_input.value == "latent"
        assert paper_list(app).has_focus
        assert "hf-daily: 2 new, 0 updated" in notifications(app)
        assert "3 total" in main_screen(app).status.text  # the saved sample paper, 2 new
        assert "refreshing" not in main_screen(app).status.text
        # With the search cleared, both new papers are listed, newest first.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("g")
        listed = " ".join(visible_rows(app))
        assert all(title[:30] in listed for title in NEW_TITLES)


async def test_keys_work_and_papers_appear_while_a_slow_feed_is_fetched(
    library: Library, feed_server: FeedServer
) -> None:
    slow = feed_server.route("/slow", body=b"[]", delay=float("inf"))  # answers when released
    use_feeds(
        library,
        FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)),
        FeedConfig("hf-slow", "hf_trending", url=slow),
    )
    log = MessageLog()
    app = FeedApp(library)
    async with app.run_test(size=(120, 40), message_hook=log) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await log.wait_for(is_done("hf-daily"))
        await settle_all_but_refresh(pilot)
        # The first feed's papers are listed while the second is still being fetched.
        assert refresh_running(app)
        listed = " ".join(visible_rows(app))
        assert all(title[:30] in listed for title in NEW_TITLES)
        assert "refreshing hf-slow (2/2)…" in main_screen(app).status.text

        ids = paper_list(app).ids
        first = paper_list(app).current_id or ""
        await pilot.press("j", "r")
        second = paper_list(app).current_id or ""
        assert second == ids[ids.index(first) + 1]
        assert library.get(second).read is True  # type: ignore[union-attr]
        # A second refresh, by key or by the timer, is not started over the running one.
        await pilot.press("R")
        app.fetcher.fetch_due()  # what the timer calls
        assert "A refresh is already running" in notifications(app)
        assert len([w for w in app.workers if w.group == FETCH_GROUP]) == 1
        assert refresh_running(app)  # all of the above happened during the refresh

        feed_server.stopping.set()  # the slow feed's connection closes without an answer
        await log.wait_for(lambda message: isinstance(message, FetchDone))
        await settle(pilot)
        [failure] = one_line_failures(app)
        assert failure.startswith("hf-slow: failed: ")
        assert "refreshing" not in main_screen(app).status.text


async def test_failing_feeds_report_one_line_and_change_nothing_stored(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(
        library,
        FeedConfig("broken", "hf_daily", url=feed_server.route("/500", status=500, body="oops")),
        FeedConfig(
            "html",
            "hf_daily",
            url=feed_server.route(
                "/html",
                body="<html><body>Log in\n<p>first</p></body></html>",
                content_type="text/html",
            ),
        ),
    )
    before = (library.counts(), library.store.revision())
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = list(paper_list(app).ids)
        await pilot.press("R")
        await settle(pilot)
        failures = one_line_failures(app)
        assert len(failures) == 2
        assert failures[0].startswith("broken: failed: HTTP 500")
        assert failures[1].startswith("html: failed: ")
        assert app.is_running
        assert paper_list(app).ids == ids
    assert (library.counts(), library.store.revision()) == before
    states = library.store.feed_states()
    assert states["broken"].last_error and states["broken"].last_success is None


async def test_feeds_screen_shows_last_success_and_last_error(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(
        library,
        FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)),
        FeedConfig("broken", "hf_trending", url=feed_server.route("/500", status=500)),
    )
    log = MessageLog()
    app = FeedApp(library)
    async with app.run_test(size=(80, 24), message_hook=log) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        assert screen.text.count("last success   never") == 2
        assert screen.text.count("due now (never fetched)") == 2

        await pilot.press("R")  # refreshes from the feeds screen; it updates in place
        await log.wait_for(lambda message: isinstance(message, FetchDone))
        await settle(pilot)
        assert app.screen is screen
        text = screen.text
        daily, broken = text.split("\nbroken  (hf_trending)")
        assert "hf-daily  (hf_daily)" in daily
        assert "(2 new, 0 updated)" in daily
        assert "last error     none" in daily
        assert "last success   never" in broken
        assert "HTTP 500" in broken.split("last error", 1)[1].splitlines()[0]
        assert "next refresh" in daily and "(in 60 min)" in daily

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FeedsScreen)


async def test_without_feeds_R_and_the_feeds_screen_say_so(library: Library) -> None:
    assert library.config.feeds == ()  # as `feedtui --sample` runs
    app = FeedApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert NO_FEEDS in notifications(app)
        assert not any(w.group == FETCH_GROUP for w in app.workers)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, FeedsScreen)
        assert NO_FEEDS in app.screen.text
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, FeedsScreen)


async def test_refresh_on_start_fetches_only_due_feeds(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(
        library,
        FeedConfig("due", "hf_daily", url=feed_server.fixture_url(FIXTURE)),
        FeedConfig("fresh", "hf_daily", url=feed_server.route("/fresh", body=b"[]")),
        on_start=True,
    )
    just_now = now_iso()
    library.store.save_feed_state(FeedState("fresh", last_attempt=just_now, last_success=just_now))
    log = MessageLog()
    app = FeedApp(library)
    async with app.run_test(size=(120, 40), message_hook=log) as pilot:
        await log.wait_for(lambda message: isinstance(message, FetchDone))
        await settle(pilot)
        assert [path for path, _ in feed_server.requests] == [f"/fixtures/{FIXTURE}"]
        assert [m.report.name for m in log.reports()] == ["due"]
        assert "due: 2 new, 0 updated" in notifications(app)
        assert any(NEW_TITLES[0][:30] in row for row in visible_rows(app))


async def test_no_refresh_on_start_when_the_config_says_so(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(library, FeedConfig("due", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not any(w.group == FETCH_GROUP for w in app.workers)
    assert feed_server.requests == []


async def test_after_a_refresh_a_lagging_index_catches_up(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(library, FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    log = MessageLog()
    app = FeedApp(library)
    async with app.run_test(size=(120, 40), message_hook=log) as pilot:
        await settle(pilot)
        assert library.index_ready
        # Stands for another indexing run holding the index while the papers are stored: the
        # import cannot update the index, so the store gets ahead of it.
        library._index_lock.acquire()
        try:
            await pilot.press("R")
            await log.wait_for(is_done("hf-daily"))
            assert not library.index_ready
        finally:
            library._index_lock.release()
        await log.wait_for(lambda message: isinstance(message, FetchDone))
        await settle(pilot)
        assert library.index_ready  # the screen ran the index worker after the refresh
        assert library.search("recurrent latent").from_index
        await pilot.press("slash", *"recurrent latent", "enter")
        await settle(pilot)
        assert any(NEW_TITLES[0][:30] in row for row in visible_rows(app))


async def test_an_index_that_cannot_catch_up_is_explained_on_the_status_line(
    library: Library, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_feeds(library, FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def busy(*args: object, **kwargs: object) -> None:
            raise IndexUnavailable("another feedtui is writing the search index")

        monkeypatch.setattr(library.index, "update", busy)
        monkeypatch.setattr(library.index, "rebuild", busy)
        await pilot.press("R")
        await settle(pilot)
        assert not library.index_ready
        status = main_screen(app).status.text
        assert "another feedtui is writing the search index" in status
        assert "indexing" not in status
        # The papers are stored and listed all the same (the fallback search finds them).
        assert any(NEW_TITLES[0][:30] in row for row in visible_rows(app))


async def test_a_failing_feed_stays_on_the_status_line_until_it_fetches_well(
    library: Library, feed_server: FeedServer
) -> None:
    good = feed_server.fixture_url(FIXTURE)
    broken = feed_server.route("/flaky", status=503, body="down")
    use_feeds(library, FeedConfig("flaky", "hf_daily", url=broken))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = main_screen(app).status
        assert "failing" not in status.text
        await pilot.press("R")
        await settle(pilot)
        app.clear_notifications()  # the toast is gone; the marker is not
        await pilot.pause()
        assert "1 feed failing — F" in status.text
    # The server is fixed; the next fetch of the feed succeeds.
    use_feeds(library, FeedConfig("flaky", "hf_daily", url=good))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "1 feed failing — F" in main_screen(app).status.text  # remembered across runs
        await pilot.press("R")
        await settle(pilot)
        assert "failing" not in main_screen(app).status.text
