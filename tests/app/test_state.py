"""Moving, marking read/saved, filters, and that the marks survive a restart."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.app.conftest import (
    OFFLINE,
    burst,
    main_screen,
    notifications,
    paper_list,
    settle,
    visible_rows,
    wait_until,
)
from tui.app.app import FeedApp
from tui.library import Library
from tui.store import StoreError

pytestmark = pytest.mark.anyio


async def test_j_k_g_G_move_the_cursor(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        ids = list(listed.ids)
        assert listed.current_id == ids[0]
        await pilot.press("j", "j", "down")
        assert listed.current_id == ids[3]
        await pilot.press("k", "up")
        assert listed.current_id == ids[1]
        await pilot.press("G")
        assert listed.current_id == ids[-1]
        # The last paper is drawn (the list scrolled to it) and previewed.
        title = library.get(ids[-1]).paper.title  # type: ignore[union-attr]
        assert title[:25] in visible_rows(app)[-1]
        assert main_screen(app).preview.text.startswith(title)
        await pilot.press("g")
        assert listed.current_id == ids[0]
        await pilot.press("pagedown")
        assert listed.current_id == ids[listed.scrollable_content_region.height - 1]


async def test_moving_does_not_mark_read_by_default(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause()
        assert library.get(paper_list(app).current_id or "").read is False  # type: ignore[union-attr]


async def test_mark_read_on_open_marks_the_paper_the_user_stays_on(library: Library) -> None:
    library.config = replace(library.config, mark_read_on_open=True)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        start = paper_list(app).current_id
        await pilot.press("j")
        stayed_on = paper_list(app).current_id
        assert stayed_on != start
        await wait_until(pilot, lambda: library.get(stayed_on or "").read)  # type: ignore[union-attr]
        assert library.get(start or "").read is False  # type: ignore[union-attr]
        assert visible_rows(app)[1].startswith("   ")  # the row lost its unread dot


async def test_mark_read_on_open_ignores_papers_flashing_by_while_typing(
    library: Library,
) -> None:
    library.config = replace(library.config, mark_read_on_open=True)
    unread = library.counts().unread
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for letter in "model":  # every keystroke refills the list under the cursor
            await pilot.press(letter)
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert library.counts().unread == unread  # refills while typing open nothing
        # Held keys: each paper only flashes by; the one the cursor rests on is opened.
        burst(app, ["j"] * 6 + ["k"] * 3)
        await wait_until(pilot, lambda: library.counts().unread < unread)
        rested_on = paper_list(app).current_id
        assert rested_on == paper_list(app).ids[3]
        assert library.counts().unread == unread - 1
        assert library.get(rested_on or "").read  # type: ignore[union-attr]


async def test_r_and_s_toggle_the_store_and_the_row_markers(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id
        assert paper_id is not None
        assert visible_rows(app)[0].startswith(" ● ")  # unread dot, not saved
        await pilot.press("r", "s")
        await pilot.pause()
        entry = library.get(paper_id)
        assert entry is not None and entry.read and entry.saved
        assert visible_rows(app)[0].startswith("  ★ ")
        assert "Status     read · saved" in main_screen(app).preview.text
        assert f"{library.counts().total - 1} unread" in main_screen(app).status.text
        await pilot.press("r", "s")
        await pilot.pause()
        entry = library.get(paper_id)
        assert entry is not None and not entry.read and not entry.saved
        assert visible_rows(app)[0].startswith(" ●  ")


async def test_read_and_saved_survive_a_restart(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r", "j", "s")
        await pilot.pause()
        first, second = paper_list(app).ids[:2]
        await pilot.press("q")
    library.close()

    reopened = Library.open(config=OFFLINE)
    try:
        again = FeedApp(reopened)
        async with again.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert paper_list(again).ids[:2] == [first, second]
            rows = visible_rows(again)
            assert rows[0].startswith("    ")  # read, not saved: no dot, no star
            assert rows[1].startswith(" ●★ ")  # unread and saved
    finally:
        reopened.close()
    # Let the fixture's close() be harmless on the library closed above.
    library.close = lambda: None  # type: ignore[method-assign]


async def test_u_S_a_filter_the_list(library: Library) -> None:
    total = library.counts().total
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        read_id = paper_list(app).current_id
        await pilot.press("r", "j", "s", "j", "s")
        await settle(pilot)
        saved_ids = set(paper_list(app).ids[1:3])

        await pilot.press("u")
        await settle(pilot)
        assert read_id not in paper_list(app).ids
        assert len(paper_list(app).ids) == total - 1
        assert "is:unread" in main_screen(app).status.text

        await pilot.press("S")
        await settle(pilot)
        assert set(paper_list(app).ids) == saved_ids
        assert all(row.startswith(" ●★ ") for row in visible_rows(app))
        assert "is:saved" in main_screen(app).status.text

        await pilot.press("a")
        await settle(pilot)
        assert len(paper_list(app).ids) == total
        assert "is:" not in main_screen(app).status.text


async def test_filters_combine_with_the_search_text(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"debate", "enter")
        await settle(pilot)
        matching = list(paper_list(app).ids)
        assert len(matching) >= 2
        saved = paper_list(app).current_id
        await pilot.press("s")  # save one of the matches
        await pilot.press("S")
        await settle(pilot)
        assert paper_list(app).ids == [saved]
        assert main_screen(app).search_input.value == "debate"


async def test_refilling_keeps_the_cursor_on_the_same_paper(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"debate", "enter")
        await settle(pilot)
        await pilot.press("j")
        kept = paper_list(app).current_id
        await pilot.press("slash", "backspace", "backspace", "enter")  # "deba": still listed
        await settle(pilot)
        assert kept in paper_list(app).ids
        assert paper_list(app).current_id == kept


async def test_a_store_error_becomes_a_message(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise StoreError("the database is locked by another program")

    monkeypatch.setattr(library, "set_marks", refuse)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        # The write runs in the background and a locked database is tried again first.
        await wait_until(pilot, lambda: any("database is locked" in t for t in notifications(app)))
        assert app.is_running
