"""Search as you type: the list shows what matches, the preview highlights the words."""

from __future__ import annotations

import pytest

from tests.app.conftest import main_screen, paper_list, settle, visible_rows
from tui.app.app import FeedApp
from tui.app.screens.main import SearchOutcome
from tui.library import Library

pytestmark = pytest.mark.anyio


def titles_containing(library: Library, word: str) -> set[str]:
    """Titles of stored papers whose title or abstract mentions ``word`` (read from the store,
    independently of the search index)."""
    everything = library.entries(library.store.ids(library.search("").query))
    return {
        entry.paper.title
        for entry in everything.values()
        if word in f"{entry.paper.title} {entry.paper.abstract}".lower()
    }


async def test_typing_a_query_lists_the_matching_titles(library: Library) -> None:
    expected = titles_containing(library, "unlearning")
    assert len(expected) >= 2  # the sample has a few; the test needs more than one
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(visible_rows(app)) > len(expected)
        await pilot.press("slash", *"unlearning")
        await settle(pilot)
        rows = visible_rows(app)
        listed = paper_list(app)
        shown = [entry.paper.title for i in range(len(rows)) if (entry := listed.entry(i))]
        assert set(shown) == expected
        assert len(rows) == len(expected)
        for row, title in zip(rows, shown, strict=True):
            assert title[:25] in row
        assert main_screen(app).status.text.startswith(f"{len(expected)} shown")


async def test_matched_words_are_highlighted_in_the_preview(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"UNLEARNING")
        await settle(pilot)
        content = main_screen(app).preview.content
        marked = [content.plain[span.start : span.end] for span in content.spans]
        matches = [text for text in marked if text.lower() == "unlearning"]
        # Case-insensitive: the title spells it "Unlearning", the abstract "unlearning".
        assert len(matches) >= 2
        assert any(text[0].isupper() for text in matches)


async def test_clearing_the_search_shows_everything_newest_first(library: Library) -> None:
    total = library.counts().total
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"debate", "enter")
        await settle(pilot)
        assert len(paper_list(app).ids) < total
        await pilot.press("escape")  # the list has focus again: escape clears the search
        await settle(pilot)
        assert main_screen(app).search_input.value == ""
        ids = paper_list(app).ids
        assert len(ids) == total
        dates = [entry.paper.published for entry in library.entries(ids).values()]
        ordered = [library.get(i).paper.published for i in ids]  # type: ignore[union-attr]
        assert ordered == sorted(dates, reverse=True)


async def test_a_stale_search_result_is_not_applied(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"debate")
        await settle(pilot)
        shown = list(paper_list(app).ids)
        # A slow worker for an older keystroke finishing late must not replace the list.
        main_screen(app)._apply(SearchOutcome("deb", "", library.search("deb")))
        await pilot.pause()
        assert paper_list(app).ids == shown


async def test_query_hints_are_shown_in_the_status_line(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"year:abcd agent")
        await settle(pilot)
        hints = library.search("year:abcd agent").query.hints
        assert hints  # the parser explains what it ignored
        assert all(hint in main_screen(app).status.text for hint in hints)


async def test_escape_in_the_search_box_goes_back_to_the_list(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"debate")
        assert main_screen(app).search_input.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert paper_list(app).has_focus
        assert main_screen(app).search_input.value == "debate"  # the first escape keeps it
        before = paper_list(app).cursor
        await pilot.press("j")  # the list keys work again
        assert paper_list(app).cursor == before + 1
