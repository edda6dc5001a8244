"""Feed text is shown as plain text: markup in titles shows literally and runs nothing."""

from __future__ import annotations

import pytest

from tests.app.conftest import main_screen, paper_list, settle, visible_rows
from tui.app.app import FeedApp
from tui.app.widgets.paper_list import PaperList
from tui.library import Library
from tui.model import Paper

pytestmark = pytest.mark.anyio

HOSTILE_TITLES = (
    "[@click=app.quit]x[/]",
    "[/bold] stray closer",
    "The [CLS] token is all you need",
    "[link=file:///etc/passwd]passwords[/link]",
    "[Re] Reproducing [b]bold[/b] claims",
)


def hostile_papers() -> list[Paper]:
    # Newest of all, so they are the first rows.
    return [
        Paper(
            id=f"h:hostile{n}",
            title=title,
            authors=("[@click=app.quit]Mallory[/]", "Eve [red]Red[/red]"),
            abstract=f"Abstract with [@click=app.bell]markup[/] number {n}.",
            published=f"2099-01-0{n + 1}",
            url=f"https://example.org/{n}",
        )
        for n, title in enumerate(HOSTILE_TITLES)
    ]


async def test_markup_in_titles_shows_literally_and_clicks_do_nothing(library: Library) -> None:
    library.store.upsert(hostile_papers(), "hostile")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = visible_rows(app)
        by_id = dict(zip(paper_list(app).ids, rows, strict=False))
        for n, title in enumerate(HOSTILE_TITLES):
            assert title[:25] in by_id[f"h:hostile{n}"]
        # The list is newest first, so the @click title is somewhere in the first rows.
        quit_row = paper_list(app).ids.index("h:hostile0")
        clicked = await pilot.click(PaperList, offset=(14, quit_row + 1))  # +1: the border
        await pilot.pause()
        assert clicked
        assert app.is_running
        assert paper_list(app).current_id == "h:hostile0"
        preview = main_screen(app).preview
        assert preview.text.startswith("[@click=app.quit]x[/]")
        assert "[@click=app.quit]Mallory[/], Eve [red]Red[/red]" in preview.text
        # Clicking the preview's title (and its abstract) runs nothing either.
        await pilot.click("#preview-body", offset=(2, 0))
        await pilot.click("#preview-body", offset=(4, 6))
        await pilot.pause()
        assert app.is_running


async def test_hostile_titles_can_be_searched_and_highlighted(library: Library) -> None:
    library.store.upsert(hostile_papers(), "hostile")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"reproducing", "enter")
        await settle(pilot)
        ids = paper_list(app).ids
        assert "h:hostile4" in ids
        assert "[Re] Reproducing [b]bold[/b] claims" in visible_rows(app)[ids.index("h:hostile4")]
        await pilot.press(*["j"] * ids.index("h:hostile4"))
        preview = main_screen(app).preview
        assert preview.text.startswith("[Re] Reproducing [b]bold[/b] claims")
        content = preview.content
        marked = {content.plain[span.start : span.end] for span in content.spans}
        assert "Reproducing" in marked
