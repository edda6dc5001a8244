"""Watches in the TUI, driven through the real app on a real Library: `w` saves the search,
`W` lists the watches with what is new in each, Enter searches one (and marks it seen), `e`
edits, `d` deletes; a refresh that brings papers for a watch says so and runs notify_command."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from tests.app.conftest import burst, main_screen, notifications, settle, wait_until
from tests.app.test_refresh_ui import FIXTURE, use_feeds
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.help import help_content
from tui.app.screens.main import MainScreen
from tui.app.screens.watch_form import WatchForm
from tui.app.screens.watches import COUNTING, EMPTY, WatchesScreen
from tui.config import FeedConfig
from tui.library import Library
from tui.model import Paper

pytestmark = pytest.mark.anyio


def wombats(count: int, start: int = 1) -> list[Paper]:
    """Papers no sample paper resembles: only they match ``wombat``."""
    return [
        Paper(id=f"2701.{n:05d}", title=f"Wombat burrows, part {n}", published="2027-01-02")
        for n in range(start, start + count)
    ]


async def form_ready(pilot: Pilot[None]) -> None:
    """The watch form is up and its name box has the focus (keys typed before that would go
    to no box: a burst starts once the form is there, as a person's typing would)."""
    app = pilot.app
    await wait_until(
        pilot, lambda: isinstance(app.screen, WatchForm) and app.screen.focused is not None
    )


async def open_watches(pilot: Pilot[None]) -> WatchesScreen:
    """W, then wait until every count is read."""
    app = pilot.app
    burst(app, ["W"])  # type: ignore[arg-type]
    await wait_until(pilot, lambda: isinstance(app.screen, WatchesScreen))
    screen = app.screen
    assert isinstance(screen, WatchesScreen)
    await wait_until(pilot, lambda: all(COUNTING not in row for row in screen.rows()))
    return screen


async def test_w_saves_the_search_and_the_filter_as_a_watch(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"wombat", "enter", "u"])
        await settle(pilot)
        burst(app, ["w"])
        await form_ready(pilot)
        burst(app, [*"Wombats", "enter"])
        await wait_until(pilot, lambda: not isinstance(app.screen, WatchForm))
        assert library.watch("Wombats").query == "is:unread wombat"
        # The form's result reaches the list screen after the form is gone.
        await wait_until(pilot, lambda: "Watch saved: Wombats  (W: watches)" in notifications(app))


async def test_a_taken_name_is_said_in_the_form_and_nothing_typed_is_lost(
    library: Library,
) -> None:
    library.add_watch("Wombats", "wombat")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"burrow", "enter"])
        await settle(pilot)
        burst(app, ["w"])
        await form_ready(pilot)
        burst(app, [*"Wombats", "enter"])
        form = app.screen
        assert isinstance(form, WatchForm)
        await wait_until(pilot, lambda: form.error != "")
        assert "Wombats" in form.error
        assert isinstance(app.screen, WatchForm)  # still open, with what was typed
        assert form.query_one("#watch-name").value == "Wombats"  # type: ignore[attr-defined]
        burst(app, [*" 2", "enter"])
        await wait_until(pilot, lambda: not isinstance(app.screen, WatchForm))
        assert library.watch("Wombats 2").query == "burrow"
        assert library.watch("Wombats").query == "wombat"


async def test_w_with_nothing_to_watch_says_so(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["w"])
        await settle(pilot)
        assert not isinstance(app.screen, WatchForm)
        assert any(text.startswith("Nothing to watch") for text in notifications(app))
        assert library.watches() == []


async def test_W_counts_what_is_new_and_enter_searches_it_and_marks_it_seen(
    library: Library,
) -> None:
    library.add_watch("Wombats", "wombat")
    library.import_papers(wombats(2), "test")  # before: two already seen...
    library.watch_seen("Wombats")
    library.import_papers(wombats(3, start=10), "test")  # ...and three new
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: main_screen(app).status.status.watched == 3)
        assert "★ 3 new in watches" in main_screen(app).status.text
        screen = await open_watches(pilot)
        assert screen.rows() == [("Wombats", "wombat", "3 new", "5")]
        burst(app, ["enter"])
        await wait_until(pilot, lambda: not isinstance(app.screen, WatchesScreen))
        await settle(pilot)
        main = main_screen(app)
        assert main.search_input.value == "wombat "
        assert len(main.paper_list.ids) == 5
        assert main.paper_list.has_focus
        assert library.watch_count(library.watch("Wombats")).new == 0
        await wait_until(pilot, lambda: main.status.status.watched == 0)
        assert "new in watches" not in main.status.text
        screen = await open_watches(pilot)
        assert screen.rows() == [("Wombats", "wombat", "0 new", "5")]
        # Papers arriving later are new again; reopening the screen counts them.
        library.import_papers(wombats(1, start=20), "test")
        burst(app, ["escape"])
        await settle(pilot)
        screen = await open_watches(pilot)
        assert screen.rows() == [("Wombats", "wombat", "1 new", "6")]


async def test_d_deletes_after_yes_and_e_edits_name_and_query(library: Library) -> None:
    library.add_watch("alpha", "wombat")
    library.add_watch("beta", "burrow")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_watches(pilot)
        assert [row[0] for row in screen.rows()] == ["alpha", "beta"]
        burst(app, ["d"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        burst(app, ["n"])
        await wait_until(pilot, lambda: app.screen is screen)
        assert len(library.watches()) == 2
        burst(app, ["d"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        burst(app, ["y"])
        await wait_until(pilot, lambda: app.screen is screen)
        assert [watch.name for watch in library.watches()] == ["beta"]
        await wait_until(pilot, lambda: [row[0] for row in screen.rows()] == ["beta"])

        burst(app, ["e"])
        await form_ready(pilot)
        burst(app, [*"-renamed", "tab", *" -survey", "enter"])
        await wait_until(pilot, lambda: app.screen is screen)
        assert [(w.name, w.query) for w in library.watches()] == [
            ("beta-renamed", "burrow -survey")
        ]
        await wait_until(pilot, lambda: all(COUNTING not in row for row in screen.rows()))
        assert screen.rows()[0][:2] == ("beta-renamed", "burrow -survey")

        burst(app, ["d", "y"])
        await wait_until(pilot, lambda: library.watches() == [])
        await wait_until(pilot, lambda: screen.query_one("#watches-empty").display)
        assert "feedtui watch add" in EMPTY and "w " in EMPTY
        burst(app, ["q"])
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_hostile_watch_names_are_shown_as_text(library: Library) -> None:
    library.add_watch("[bold red]x[/]", "[link=file:///etc/passwd]y")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_watches(pilot)
        assert screen.rows()[0][:2] == ("[bold red]x[/]", "[link=file:///etc/passwd]y")


async def test_a_refresh_that_brings_papers_for_a_watch_toasts_and_notifies(
    library: Library, feed_server: FeedServer, tmp_path: Path
) -> None:
    out = tmp_path / "notified.json"
    script = (
        "import json, sys; f = open(sys.argv[1], 'a'); f.write(json.dumps(sys.argv[2:]) + '\\n')"
    )
    use_feeds(library, FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    library.config = replace(
        library.config, notify_command=(sys.executable, "-c", script, str(out))
    )
    library.add_watch("latent", "latent")
    library.add_watch("nothing", "wombat")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert main_screen(app).status.status.watched == 0
        burst(app, ["R"])
        await wait_until(pilot, lambda: "latent: 1 new  (W: watches)" in notifications(app))
        await wait_until(pilot, lambda: main_screen(app).status.status.watched == 1)
        assert not any(text.startswith("nothing:") for text in notifications(app))
        await wait_until(pilot, out.exists)
        await settle(pilot)
        assert [json.loads(line) for line in out.read_text().splitlines()] == [["latent", "1"]]


async def test_a_failing_notify_command_is_one_toast(
    library: Library, feed_server: FeedServer
) -> None:
    use_feeds(library, FeedConfig("hf-daily", "hf_daily", url=feed_server.fixture_url(FIXTURE)))
    library.config = replace(library.config, notify_command=("/nonexistent/notifier",))
    library.add_watch("latent", "latent")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["R"])
        failed = "notify_command failed: '/nonexistent/notifier' not found"
        await wait_until(pilot, lambda: failed in notifications(app))
        assert app.is_running


async def test_the_new_keys_are_in_help_and_the_palette_runs_them(library: Library) -> None:
    library.add_watch("Wombats", "wombat")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = help_content({}).plain
        for binding_id in ("cycle_sort", "save_watch", "watches"):
            assert f"({binding_id})" in text
        burst(app, ["ctrl+p"])
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        burst(app, [*"Watches: saved", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, WatchesScreen))


async def test_a_search_then_w_and_the_name_typed_in_one_burst_loses_no_key(
    library: Library,
) -> None:
    """Over SSH or from a paste the whole thing arrives at once: the search box has not yet
    applied "wombat" when `w` runs, and the name's letters must reach the form, not the list's
    own keys (W would open the watches, o the browser, s would save the paper)."""
    library.import_papers(wombats(2), "test")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"wombat", "enter", "w", *"Wombats", "enter"])
        await wait_until(pilot, lambda: "Watch saved: Wombats  (W: watches)" in notifications(app))
        await settle(pilot)
        assert library.watch("Wombats").query == "wombat"
        assert isinstance(app.screen, MainScreen)
        assert library.counts().saved == 0  # the name's `s` saved nothing


async def test_w_and_question_mark_typed_in_the_search_box_are_text(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"why?", "W", "F"])
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert main_screen(app).search_input.value == "why?WF"
