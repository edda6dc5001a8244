"""Layout at 80x24 and 120x40, the help screen, the command palette, the keymap, the index."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.command import CommandList
from textual.message import Message
from textual.widgets import Static

from tests.app.conftest import main_screen, paper_list, settle, visible_rows
from tui.app.app import FeedApp
from tui.app.keys import KEYS
from tui.app.messages import IndexProgress
from tui.app.screens.help import HelpScreen
from tui.app.widgets.status_line import Status, status_text
from tui.library import Library

pytestmark = pytest.mark.anyio


async def test_80x24_shows_search_list_preview_status_and_footer(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        listed, preview = paper_list(app), screen.preview
        assert screen.search_input.region.height >= 1
        assert len(visible_rows(app)) >= 8
        assert preview.region.height >= 5
        assert preview.region.y > listed.region.y  # below the list, not beside it
        assert screen.status.region.height == 1
        # Rows fit the width: title, date and short authors all on the line.
        first = library.get(listed.ids[0])
        assert first is not None
        assert first.paper.published in visible_rows(app)[0]
        assert len(visible_rows(app)[0]) <= listed.scrollable_content_region.width

        await pilot.press("v")  # hide the preview: the list takes the room
        await pilot.pause()
        assert not preview.display
        assert len(visible_rows(app)) >= 15
        await pilot.press("enter")  # reading the preview brings it back, focused
        await pilot.pause()
        assert preview.display and preview.has_focus
        await pilot.press("escape")
        assert listed.has_focus


async def test_120x40_shows_the_preview_beside_the_list(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed, preview = paper_list(app), main_screen(app).preview
        assert preview.region.x >= listed.region.right
        assert preview.region.y == listed.region.y


async def test_help_screen_lists_keys_and_query_syntax(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).content)
        for spec in KEYS:
            assert spec.description in text
        for syntax in ('"world model"', "-survey", "au:", "ti:", "has:code", "is:unread"):
            assert syntax in text
        for syntax in ("is:saved", "year:2024", "after:2024-01-01"):
            assert syntax in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_every_action_is_in_the_command_palette(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        await pilot.press("ctrl+p", *"toggle saved")
        commands = app.screen.query_one(CommandList)
        for _ in range(100):  # the palette gathers hits in a task: wait until it shows them
            if commands.option_count:
                break
            await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        entry = library.get(paper_id)
        assert entry is not None and entry.saved


async def test_keymap_from_the_config_remaps_a_binding(library: Library) -> None:
    library.config = replace(library.config, keymap={"toggle_read": "x"})
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        await pilot.press("r")
        await pilot.pause()
        assert library.get(paper_id).read is False  # type: ignore[union-attr]
        await pilot.press("x")
        await pilot.pause()
        assert library.get(paper_id).read is True  # type: ignore[union-attr]


async def test_index_is_built_in_the_background_and_reported(library: Library) -> None:
    assert not library.index_ready  # a fresh home: the sample is stored, not yet indexed
    seen: list[IndexProgress] = []

    def record(message: Message) -> None:
        if isinstance(message, IndexProgress):
            seen.append(message)

    app = FeedApp(library)
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await settle(pilot)
        assert library.index_ready
        assert seen and seen[-1].fraction == 1.0
        assert "indexing" not in main_screen(app).status.text


def test_status_text_and_progress_messages_coalesce() -> None:
    text = status_text(Status(shown=40, matches=120, total=500, unread=7, indexing=0.4))
    assert text == "40 shown of 120 matches · 500 total · 7 unread · indexing 40%…"
    assert IndexProgress(2, 5).can_replace(IndexProgress(1, 5))
    assert IndexProgress(2, 5).fraction == 0.4


def test_badges_share_one_column_and_stars_stand_in_for_the_code_badge() -> None:
    from tui.app.widgets.paper_row import badges
    from tui.model import Paper

    hf = Paper(
        id="1", title="t", upvotes=781, github_stars=11184, code_url="https://github.com/a/b"
    )
    assert badges(hf) == "▲781 ☆11k"
    plain = Paper(id="2", title="t", code_url="https://github.com/a/b")
    assert badges(plain) == "code"
    assert badges(Paper(id="3", title="t", upvotes=12, code_url="https://github.com/a/b")) == (
        "▲12 code"
    )
    assert badges(Paper(id="4", title="t")) == ""


def test_columns_give_way_to_the_title() -> None:
    from tui.app.widgets.paper_row import Columns

    wide = Columns.fit(160, badges_width=9)
    assert (wide.badges, wide.date, wide.authors) == (9, True, 20)
    assert wide.title >= 80
    for width in (40, 60, 78, 100, 130, 200):
        columns = Columns.fit(width, badges_width=9)
        assert columns.title >= width // 2, (width, columns)
    narrow = Columns.fit(40, badges_width=9)
    assert (narrow.authors, narrow.date) == (0, False)
