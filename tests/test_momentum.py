"""Momentum: each refresh that sees upvotes or stars change records a point; the rise over the
window and the sort orders (newest, upvotes, stars, rising) follow from them."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES
from tests.feed_server import FeedServer
from tui.config import Config, FeedConfig
from tui.feeds import refresh_feeds
from tui.library import Library
from tui.model import Paper, Rise
from tui.store._schema import METRIC_POINTS

HF_FIXTURE = "hf_daily_papers_2026-08_trimmed_2items.json"
FIRST = "2608.09888"  # the fixture's first paper (781 upvotes)


def hf_payload(upvotes: int, stars: int | None = None) -> bytes:
    """The real HF daily fixture with the first paper's counts changed."""
    items = json.loads((FIXTURES / HF_FIXTURE).read_bytes())
    items[0]["paper"]["upvotes"] = upvotes
    if stars is not None:
        items[0]["paper"]["githubStars"] = stars
    return json.dumps(items).encode()


def test_refreshes_with_changing_upvotes_give_the_deltas_and_the_points(
    feed_server: FeedServer,
) -> None:
    feed = FeedConfig(name="hf", kind="hf_daily", url=feed_server.url("/daily"))
    library = Library.open(config=Config(feeds=(feed,)), load_sample=False)
    for upvotes in (100, 100, 150, 220):  # the second refresh sees no change
        feed_server.route("/daily", body=hf_payload(upvotes))
        [report] = refresh_feeds(library, force=True)
        assert report.ok, report.error
    history = library.history(FIRST)
    assert [point.upvotes for point in history] == [100, 150, 220]
    assert history == sorted(history, key=lambda point: point.at)
    rises = library.rises()
    assert rises[FIRST] == Rise(upvotes=120, stars=0)
    # The fixture's other paper never changed: it has not risen.
    assert len(rises) == 1
    ranked = library.search("sort:rising").ids
    assert ranked[0] == FIRST


def test_a_paper_first_seen_inside_the_window_rises_from_its_first_count() -> None:
    library = Library.open(config=Config(feeds=()), load_sample=False)
    library.import_papers([Paper(id="2901.00001", title="A", upvotes=800)], "a")
    assert library.rises() == {}  # arrived with 800: not a rise of 800
    library.import_papers([Paper(id="2901.00001", title="A", upvotes=810)], "a")
    assert library.rises() == {"2901.00001": Rise(upvotes=10)}


def test_the_rise_counts_from_the_last_point_before_the_window() -> None:
    library = Library.open(config=Config(feeds=()), load_sample=False)
    store = library.store
    paper = Paper(id="2901.00001", title="A", upvotes=10, github_stars=5)
    store.upsert([paper], "a", stamp="2020-01-01T00:00:00+00:00")
    store.upsert(
        [Paper(id=paper.id, title="A", upvotes=40, github_stars=5)],
        "a",
        stamp="2020-01-05T00:00:00+00:00",
    )
    store.upsert(
        [Paper(id=paper.id, title="A", upvotes=45, github_stars=9)],
        "a",
        stamp="2020-01-06T00:00:00+00:00",
    )
    assert store.rises("2020-01-04T00:00:00+00:00") == {paper.id: Rise(upvotes=35, stars=4)}
    assert store.rises("2020-01-05T12:00:00+00:00") == {paper.id: Rise(upvotes=5, stars=4)}
    assert store.rises("2020-01-07T00:00:00+00:00") == {}


def test_the_history_is_bounded_per_paper() -> None:
    library = Library.open(config=Config(feeds=()), load_sample=False)
    for n in range(METRIC_POINTS + 15):
        library.store.upsert(
            [Paper(id="2901.00001", title="A", upvotes=n)],
            "a",
            stamp=f"2020-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00",
        )
    history = library.history("2901.00001")
    assert len(history) == METRIC_POINTS
    assert history[-1].upvotes == METRIC_POINTS + 14  # the newest are the ones kept


def test_sort_orders_over_filters_and_words() -> None:
    library = Library.open(config=Config(feeds=()), load_sample=False)
    papers = [
        Paper(id="2901.00001", title="Diffusion one", published="2029-01-03", upvotes=5),
        Paper(
            id="2901.00002",
            title="Diffusion two",
            published="2029-01-01",
            upvotes=50,
            github_stars=1,
        ),
        Paper(id="2901.00003", title="Other three", published="2029-01-02", github_stars=900),
    ]
    library.import_papers(papers, "a")
    library.import_papers([Paper(id="2901.00001", title="Diffusion one", upvotes=25)], "a")
    assert library.search("").ids == ["2901.00001", "2901.00003", "2901.00002"]
    assert library.search("sort:upvotes").ids == ["2901.00002", "2901.00001", "2901.00003"]
    assert library.search("", sort="stars").ids == ["2901.00003", "2901.00002", "2901.00001"]
    assert library.search("sort:rising").ids[0] == "2901.00001"
    # With words: only the matches, in the order asked for; a typed sort: wins.
    assert library.search("diffusion", sort="upvotes").ids == ["2901.00002", "2901.00001"]
    result = library.search("diffusion sort:newest", sort="upvotes")
    assert (result.ids, result.order) == (["2901.00001", "2901.00002"], "newest")
    assert library.search("diffusion").order == "relevance"
    assert library.search("").order == "newest"
    assert library.search("sort:nonsense").query.hints
