"""`m` (more like this) and `f` (for you) in the TUI, on the real app and a real Library: the
list shows the related papers with the key terms that explain each, the keys of the list work
on them, and Escape puts the search back as it was."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.app.conftest import (
    burst,
    main_screen,
    notifications,
    paper_list,
    settle,
    visible_rows,
    wait_until,
)
from tui.app.app import FeedApp
from tui.app.related import NOTHING_SAVED, RelatedView
from tui.library import Library
from tui.model import Paper
from tui.query import STOP_WORDS, TOKEN_RE

pytestmark = pytest.mark.anyio

ORIGINAL = "2311.09677"  # R-Tuning, in the bundled sample
TWIN = "2601.09999"


def words(paper: Paper) -> set[str]:
    """A paper's title and abstract words as the index cuts them (tui.query's tokens)."""
    text = f"{paper.title} {paper.abstract}"
    return {token.lower() for token in TOKEN_RE.findall(text)} - STOP_WORDS


def add_twin(library: Library) -> Paper:
    """Another id with the same abstract as R-Tuning: the closest paper there can be."""
    entry = library.get(ORIGINAL)
    assert entry is not None
    twin = Paper(
        id=TWIN,
        title=entry.paper.title + " Revisited",
        abstract=entry.paper.abstract,
        published="2026-01-02",
    )
    library.import_papers([twin], "test")
    return twin


def status(app: FeedApp) -> str:
    return main_screen(app).status.text


async def related_shown(pilot: Pilot[None], label: str) -> None:
    await wait_until(pilot, lambda: status(pilot.app).startswith(label))  # type: ignore[arg-type]
    await settle(pilot)


async def like_the_original(pilot: Pilot[None]) -> None:
    """Once the app is up: `m` on R-Tuning, until its related list is shown."""
    await settle(pilot)
    paper_list(pilot.app).move_to(ORIGINAL)  # type: ignore[arg-type]
    burst(pilot.app, ["m"])  # type: ignore[arg-type]
    await related_shown(pilot, "more like “")


async def test_m_lists_the_near_duplicate_first_with_terms_of_both(library: Library) -> None:
    twin = add_twin(library)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await like_the_original(pilot)
        ids = paper_list(app).ids
        assert ids[0] == TWIN
        assert ORIGINAL not in ids
        assert 1 < len(ids) <= 50
        # The row ends with the shared terms, and each is a word of both papers.
        first = visible_rows(app)[0]
        assert "·" in first
        terms = [term.strip(" …") for term in first.split("  ")[-1].split("·")]
        original = library.get(ORIGINAL)
        assert original is not None
        both = words(original.paper) & words(twin)
        assert terms and all(term in both for term in terms), terms
        # The preview says the same, in full.
        preview = main_screen(app).preview.text
        assert "Because    " in preview
        assert status(app).startswith("more like “R-Tuning")


async def test_escape_puts_the_search_back_and_the_keys_behind_it_act_on_it(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"agent", "enter"])
        await settle(pilot)
        searched = list(paper_list(app).ids)
        burst(app, ["j", "j"])
        await settle(pilot)
        reading = paper_list(app).current_id
        burst(app, ["m"])
        await related_shown(pilot, "more like “")
        assert paper_list(app).ids != searched
        # Escape then j in one burst: j moves in the search's list, from where the user was.
        burst(app, ["escape", "j"])
        await settle(pilot)
        assert paper_list(app).ids == searched
        assert paper_list(app).current_id == searched[searched.index(reading) + 1]
        assert not status(app).startswith("more like")
        assert main_screen(app).search_input.value == "agent"


async def test_f_with_nothing_saved_says_how_to_start(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, ["f"])
        await related_shown(pilot, "for you: nothing saved yet")
        assert paper_list(app).ids == []
        assert main_screen(app).preview.text == NOTHING_SAVED


async def test_s_then_f_in_a_burst_ranks_unread_papers_like_the_saved_ones(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first_three = paper_list(app).ids[:3]
        library.set_marks({first_three[2]: True}, "read")  # read: never recommended
        # The marks are written in the background: f must still count all three saves.
        burst(app, ["s", "j", "s", "f"])
        await related_shown(pilot, "for you: like your 2 saved papers")
        shown = paper_list(app).ids
        assert shown
        assert not set(shown) & set(first_three)
        entries = library.entries(shown)
        assert all(not entry.read and not entry.saved for entry in entries.values())
        assert "Because    " in main_screen(app).preview.text


async def test_r_and_s_work_on_a_related_list(library: Library) -> None:
    add_twin(library)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await like_the_original(pilot)
        burst(app, ["r", "s"])
        await wait_until(pilot, lambda: visible_rows(app)[0].startswith("  ★"))
        await settle(pilot)
        entry = library.get(TWIN)
        assert entry is not None and entry.read and entry.saved


async def test_typing_a_search_leaves_the_related_list(library: Library) -> None:
    add_twin(library)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await like_the_original(pilot)
        burst(app, ["slash", *"debate", "enter"])
        await settle(pilot)
        assert not status(app).startswith("more like")
        assert paper_list(app).ids == list(library.search("debate").ids)
        assert "·" not in visible_rows(app)[0]


async def test_a_related_list_that_arrives_after_the_user_moved_on_is_dropped(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = list(paper_list(app).ids)
        screen = main_screen(app)
        late = RelatedView("like", "more like “late”", (shown[5],), {shown[5]: ("late",)})
        # A request the user left (Escape) before its answer came: the answer changes nothing.
        screen.related._request += 1
        stale = screen.related._request
        screen.related.leave()
        screen.related._arrived(stale, late)
        await settle(pilot)
        assert paper_list(app).ids == shown
        assert not notifications(app) or "late" not in " ".join(notifications(app))
