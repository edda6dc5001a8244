"""The keys a terminal reader is expected to have: unread jumps, half pages, mark all shown
read (after a question), undo, a new search starting at its best match, highlighted titles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.app.conftest import burst, main_screen, notifications, paper_list, settle
from tui.app.app import FeedApp
from tui.app.screens.confirm import ConfirmScreen
from tui.library import Library

pytestmark = pytest.mark.anyio


async def test_brackets_jump_to_the_next_and_previous_unread(library: Library) -> None:
    ids = library.search("").ids
    library.set_marks(dict.fromkeys(ids[:4] + ids[5:9], True), "read")  # unread: 4, 9, 10...
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        burst(app, ["]"])
        await settle(pilot)
        assert listed.cursor == 4
        burst(app, ["]"])
        await settle(pilot)
        assert listed.cursor == 9
        burst(app, ["["])
        await settle(pilot)
        assert listed.cursor == 4
        burst(app, ["["])
        await settle(pilot)
        assert listed.cursor == 4  # nothing unread above: it stays and says so
        assert "No unread paper above" in notifications(app)


async def test_half_pages_and_pagedown(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        page = listed.scrollable_content_region.height - 1
        burst(app, ["ctrl+d"])
        await settle(pilot)
        assert listed.cursor == page // 2
        burst(app, ["ctrl+u", "pagedown"])
        await settle(pilot)
        assert listed.cursor == page
        assert not listed.selected  # space selects now; pagedown and ctrl+f page


async def test_mark_all_shown_read_asks_first_and_undo_restores(library: Library) -> None:
    ids = library.search("").ids
    library.set_marks({ids[0]: True}, "read")  # was read before: undo must keep it read
    agent = library.search("agent").ids
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"agent", "enter")
        await settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"all {len(agent)} shown papers" in app.screen.question
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert library.counts().unread == len(ids) - 1
        await pilot.press("A", "y")
        await settle(pilot)
        assert all(library.get(paper_id).read for paper_id in agent)  # type: ignore[union-attr]
        outside = set(ids) - set(agent) - {ids[0]}
        assert library.counts().unread == len(outside)
        assert main_screen(app).status.status.unread == len(outside)
        await pilot.press("U")
        await settle(pilot)
        assert library.counts().unread == len(ids) - 1
        assert library.get(ids[0]).read  # type: ignore[union-attr]
        await pilot.press("U")
        await settle(pilot)
        assert "Nothing to undo" in notifications(app)


async def test_undo_takes_back_a_toggle(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        await pilot.press("s", "r")
        await settle(pilot)
        entry = library.get(paper_id)
        assert entry is not None and entry.read and entry.saved
        await pilot.press("ctrl+z")
        await settle(pilot)
        entry = library.get(paper_id)
        assert entry is not None and not entry.read and entry.saved
        assert main_screen(app).preview.text.count("unread · saved") == 1


async def test_a_new_query_starts_at_its_top_hit(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await pilot.press("slash", *"meta")
        await settle(pilot)
        assert paper_list(app).cursor == 0
        assert paper_list(app).current_id == library.search("meta").ids[0]
        top = library.get(library.search("meta").ids[0])
        assert top is not None and top.paper.title in main_screen(app).preview.text


async def test_a_capped_list_says_how_many_matched(library: Library) -> None:
    library.config = replace(library.config, search_limit=5)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the index is built
        expected = library.search("meta has:code", limit=10_000)
        assert len(expected.ids) > 5
        await pilot.press("slash", *"meta has:code")
        await settle(pilot)
        assert paper_list(app).ids == expected.ids[:5]
        assert f"5 shown of {len(expected.ids)} matches" in main_screen(app).status.text


async def test_search_terms_are_highlighted_in_the_list_titles(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"agent")
        await settle(pilot)
        listed = paper_list(app)
        match = listed.get_visual_style("paper-list--match", partial=True)
        row = listed._row(0, listed.scrollable_content_region.width)
        marked = [row.plain[span.start : span.end] for span in row.spans if span.style == match]
        assert marked and all(text.lower().startswith("agent") for text in marked)
        await pilot.press("escape", "escape")  # back, then clear the search
        await settle(pilot)
        row = listed._row(0, listed.scrollable_content_region.width)
        assert not [span for span in row.spans if span.style == match]


async def test_preview_keys_are_in_the_palette(library: Library) -> None:
    from tui.app.commands import FeedCommands
    from tui.keys import KEYS_BY_ID

    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("enter")
        await pilot.pause()
        provider = FeedCommands(screen)
        await provider._run(KEYS_BY_ID["preview_bottom"])
        await pilot.pause()
        assert screen.preview.scroll_y == screen.preview.max_scroll_y > 0


async def test_keys_typed_before_a_panel_key_in_one_burst_still_do_their_job(
    library: Library,
) -> None:
    """`j j ?` at once: the help opens (a priority key, run as it arrives) and the two j's,
    still on their way to the list, move it there, not in the help."""
    from tests.app.conftest import burst, paper_list
    from tui.app.screens.help import HelpScreen

    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = paper_list(app).ids
        burst(app, ["j", "j", "question_mark"])
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert paper_list(app).current_id == ids[2]


async def test_the_palette_lists_the_readers_entries_only_in_the_reader(
    library: Library,
) -> None:
    from tui.app.commands import FeedCommands
    from tui.keys import KEYS

    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        offered = [hit.text async for hit in FeedCommands(main_screen(app)).discover()]
        reader = {spec.description for spec in KEYS if spec.target == "reader"}
        others = {spec.description for spec in KEYS if spec.target != "reader"}
        assert reader and not reader & set(offered)
        assert others <= set(offered)
