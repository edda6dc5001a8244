"""Sort orders (O) and momentum (the list's +N/24h, the preview's sparkline) in the real app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.app.conftest import burst, main_screen, settle, visible_rows, wait_until
from tui.app.app import FeedApp
from tui.library import Library
from tui.model import Paper

pytestmark = pytest.mark.anyio

# Newest first: Cassowary, Bilby, Axolotl. Most upvoted: Axolotl; most starred: Bilby.
PAPERS = (
    Paper(id="2701.00001", title="Axolotl regeneration", published="2027-01-01", upvotes=900),
    Paper(
        id="2701.00002", title="Bilby burrows", published="2027-01-02", upvotes=5, github_stars=800
    ),
    Paper(id="2701.00003", title="Cassowary gait", published="2027-01-03", upvotes=50),
)


def first_titles(app: FeedApp, count: int = 3) -> list[str]:
    return [row.split("  ")[1].strip() for row in visible_rows(app)[:count]]


async def test_O_cycles_the_order_and_the_status_line_says_it(library: Library) -> None:
    library.import_papers(list(PAPERS), "test")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = main_screen(app).status
        assert first_titles(app) == ["Cassowary gait", "Bilby burrows", "Axolotl regeneration"]
        assert "sort:" not in status.text
        burst(app, ["O"])  # no words: newest is the default, upvotes comes next
        await wait_until(pilot, lambda: "sort: upvotes" in status.text)
        assert first_titles(app) == ["Axolotl regeneration", "Cassowary gait", "Bilby burrows"]
        burst(app, ["O"])
        await wait_until(pilot, lambda: "sort: stars" in status.text)
        assert first_titles(app, 1) == ["Bilby burrows"]
        burst(app, ["O", "O"])  # rising, then round to newest (the default: not said)
        await wait_until(pilot, lambda: main_screen(app).sort == "newest")
        await settle(pilot)
        assert "sort:" not in status.text
        assert first_titles(app) == ["Cassowary gait", "Bilby burrows", "Axolotl regeneration"]


async def test_with_words_relevance_is_in_the_cycle_and_a_typed_sort_wins(
    library: Library,
) -> None:
    library.import_papers(list(PAPERS), "test")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = main_screen(app).status
        burst(app, ["slash", *"ti:burrows", "enter"])
        await settle(pilot)
        assert "sort:" not in status.text  # relevance, the default with words
        burst(app, ["O"])
        await wait_until(pilot, lambda: "sort: newest" in status.text)
        burst(app, ["O", "O", "O", "O"])  # upvotes, stars, rising, relevance
        await wait_until(pilot, lambda: main_screen(app).sort == "relevance")
        await settle(pilot)
        assert "sort:" not in status.text
        # A sort: typed in the box wins over O, and the status line says the one used.
        burst(app, ["slash", "ctrl+u", *"sort:stars", "enter"])
        await wait_until(pilot, lambda: "sort: stars" in status.text)
        assert first_titles(app, 1) == ["Bilby burrows"]


async def test_a_rising_paper_shows_its_gain_and_its_history_as_a_sparkline(
    library: Library,
) -> None:
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    first = Paper(id="2701.00009", title="Quokka smiles", published="2027-01-09", upvotes=100)
    library.store.upsert([first], "test", stamp=an_hour_ago)
    library.import_papers([Paper(**{**_fields(first), "upvotes": 220})], "test")
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = visible_rows(app)
        assert "Quokka smiles" in rows[0]
        assert "▲220 +120/24h" in rows[0]
        assert not any("/24h" in row for row in rows[1:])  # no rise, nothing said
        preview = main_screen(app).preview
        assert preview.momentum.has_class("-shown")
        assert list(preview.momentum.sparkline.data or []) == [100.0, 220.0]
        assert preview.momentum.text.startswith("upvotes 100 (")
        assert "→ 220 (" in preview.momentum.text
        burst(app, ["j"])  # a sample paper: no history, no sparkline
        await settle(pilot)
        assert not preview.momentum.has_class("-shown")


def _fields(paper: Paper) -> dict[str, object]:
    return {name: getattr(paper, name) for name in Paper.__slots__}  # type: ignore[attr-defined]
