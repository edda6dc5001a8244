"""Invariants the other property tests do not cover yet.

tests/test_sources.py feeds the parsers arbitrary bytes and hand-built hostile items; here they
get *real* fixtures mutated (bytes flipped, cut, hostile text spliced into the middle), which
reach much deeper into each parser. Every paper that comes out must hold the ingest promise:
clean text, safe links, bounded sizes. And the search box: any text, in both the index and the
fallback mode, answers with stored ids and never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tui.config import Config
from tui.feeds.sources import (
    MAX_AUTHORS,
    MAX_CATEGORIES,
    MAX_KEYWORDS,
    ParseError,
    arxiv_api,
    arxiv_rss,
    feed,
    huggingface,
)
from tui.library import Library
from tui.links import validate_url
from tui.model import Paper
from tui.paths import Paths
from tui.text import ABSTRACT_MAX, FIELD_MAX, TITLE_MAX

CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")
SNIPPETS = [
    b"\x1b]0;pwned\x07",
    b"&#27;[2J",
    b"&amp;#x1b;]52;c;eA==&amp;#7;",
    "\u202e".encode(),
    "\u009b31m".encode(),
    b"[@click=app.quit]x[/]",
    b"javascript:alert(1)",
    b"-https://example.org",
    b"<",
    b"</",
    b"&",
    b'"',
    b"\\u001b",
    b"]]>",
    b"\x00",
    b"A" * 3000,
]

CASES = [
    (huggingface, "hf_daily_papers_2026-08_trimmed_2items.json"),
    (huggingface, "hf_api_paper_2608.09888.json"),
    (arxiv_rss, "arxiv_rss_cs_ai_2026-04-27.xml"),
    (arxiv_api, "arxiv_api_atom_2026_new_format.xml"),
    (arxiv_api, "arxiv_api_atom_2025-07_old_format_excerpt.xml"),
    (feed, "arxiv_rss_cs_lg_2026-04-27.xml"),
]
_BODIES = {name: (FIXTURES / name).read_bytes()[:60_000] for _, name in CASES}


@st.composite
def mutated(draw: st.DrawFn, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["splice", "flip", "cut", "delete"]))
        if action == "splice":
            data[at:at] = draw(st.sampled_from(SNIPPETS))
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        else:
            del data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


def assert_ingest_promise(paper: Paper) -> None:
    assert paper.id and paper.title
    assert len(paper.title) <= TITLE_MAX and "\n" not in paper.title
    assert len(paper.abstract) <= ABSTRACT_MAX
    assert len(paper.authors) <= MAX_AUTHORS
    assert len(paper.categories) <= MAX_CATEGORIES
    assert len(paper.ai_keywords) <= MAX_KEYWORDS
    singles = [paper.title, paper.comment, paper.ai_summary, paper.announce_type]
    singles += [*paper.authors, *paper.categories, *paper.ai_keywords]
    for value in singles:
        assert len(value) <= max(FIELD_MAX, TITLE_MAX)
        assert "\n" not in value and not CONTROLS.search(value), repr(value)
    assert not CONTROLS.search(paper.abstract), repr(paper.abstract)
    for link in (paper.url, paper.pdf_url, paper.code_url, paper.project_url):
        if link:
            assert validate_url(link) == link
    for count in (paper.upvotes, paper.github_stars, paper.num_comments):
        assert count is None or count >= 0
    assert paper.published == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", paper.published)


@pytest.mark.parametrize(
    ("parser", "name"), CASES, ids=[f"{p.__name__.rsplit('.', 1)[-1]}:{n[:20]}" for p, n in CASES]
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_real_feeds_keep_the_ingest_promise(
    parser: ModuleType, name: str, data: st.DataObject
) -> None:
    body = data.draw(mutated(_BODIES[name]))
    try:
        result = parser.parse(body)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert result.skipped >= 0
    assert len({paper.id for paper in result.papers}) == len(result.papers)
    for paper in result.papers:
        assert_ingest_promise(paper)


# --- search ---------------------------------------------------------------------------------

QUERY_PIECES = [
    "au:", "ti:", "has:code", "-has:code", "is:unread", "is:saved", "year:", "after:", "before:",
    '"', "-", "*", "?", "(", ")", "[", "]", "\\", "%", "_", "'", ":", "OR", "AND", "NOT",
    "model", "lang", "transformer", "2024", "2024-01-01", "é", "\u202e", "\x1b", "\x00", " ",
]  # fmt: skip
query_text = st.one_of(
    st.text(max_size=40), st.lists(st.sampled_from(QUERY_PIECES), max_size=12).map("".join)
)


@pytest.fixture(scope="module")
def search_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("search-props")
    paths = Paths(root / "data", root / "config", root / "cache")
    library = Library.open(paths, Config(feeds=()))
    library.ensure_index()
    yield library
    library.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=query_text)
def test_any_search_text_answers_with_stored_ids_in_both_modes(
    search_library: Library, text: str
) -> None:
    library = search_library
    stored = set(library.store.ids(library.search("").query))
    indexed = library.search(text)
    assert indexed.from_index or not indexed.query.has_text
    assert set(indexed.ids) <= stored and len(set(indexed.ids)) == len(indexed.ids)
    assert indexed.total >= len(indexed.ids)
    # The fallback (what answers while the index is built) never raises either, and finds
    # everything the index finds for plain word queries.
    query = indexed.query
    ids, total = library.store.search_fallback(query, 5000)
    filtered = set(library.store.filter_ids(ids, query))
    assert filtered <= stored and total >= len(ids)
    if query.words and not (query.prefix or query.phrases or query.authors or query.title_words):
        assert set(indexed.ids) <= filtered
