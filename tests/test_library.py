"""The facade: first run, search through index and fallback, marks, imports, index repair."""

from __future__ import annotations

import shutil

import pytest

from tui.library import Library
from tui.model import Paper
from tui.paths import default_paths
from tui.store import StoreError


@pytest.fixture
def library() -> Library:
    lib = Library.open()
    lib.ensure_index()
    yield lib
    lib.close()


def test_first_run_shows_the_85_sample_papers(library: Library) -> None:
    assert library.counts().total == 85
    assert library.counts().unread == 85
    result = library.search("")
    assert len(result.ids) == 85
    dates = [library.get(i).paper.published for i in result.ids]  # type: ignore[union-attr]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)


def test_search_finds_by_title_author_and_prefix(library: Library) -> None:
    assert library.index_ready
    result = library.search("refuse unknown quest")
    top = library.get(result.ids[0])
    assert top is not None and top.paper.title.startswith("R-Tuning")
    by_author = library.search("au:fookes ")
    assert "2011.05438" in by_author.ids
    prefix = library.search("synthe")
    assert "2011.05438" in prefix.ids


def test_filters_combine_with_words(library: Library) -> None:
    ids = library.search("learning ").ids
    library.set_read(ids[0], True)
    unread = library.search("is:unread learning ").ids
    assert ids[0] not in unread
    assert set(unread) == set(ids) - {ids[0]}


def test_marks_survive_restart() -> None:
    lib = Library.open()
    first = lib.search("").ids[0]
    assert lib.toggle_read(first) is True
    assert lib.toggle_saved(first) is True
    lib.close()
    again = Library.open()
    entry = again.get(first)
    assert entry is not None and entry.read and entry.saved
    assert again.counts().total == 85  # the sample is not imported twice
    again.close()


def test_imported_papers_are_searchable_at_once(library: Library) -> None:
    paper = Paper(
        id="2601.00001", title="Quokka attention for marsupial vision", published="2026-01-01"
    )
    library.import_papers([paper], "test")
    assert library.search("quokka ").ids == ["2601.00001"]
    assert library.index_ready


def test_missing_index_falls_back_then_rebuilds() -> None:
    lib = Library.open()
    lib.ensure_index()
    lib.close()
    shutil.rmtree(default_paths().index_dir)
    lib = Library.open()
    assert not lib.index_ready
    fallback = lib.search("synthetic gradients")
    assert not fallback.from_index
    assert "2011.05438" in fallback.ids
    lib.ensure_index()
    assert lib.index_ready
    indexed = lib.search("synthetic gradients")
    assert indexed.from_index
    assert "2011.05438" in indexed.ids
    lib.close()


def test_index_behind_the_store_is_brought_in_line() -> None:
    # Another process (or a killed one) added papers the index never saw.
    lib = Library.open()
    lib.ensure_index()
    lib.store.upsert([Paper(id="2601.00002", title="Wombat transformers")], "elsewhere")
    lib.close()
    lib = Library.open()
    assert not lib.index_ready
    lib.ensure_index()
    assert lib.search("wombat").ids == ["2601.00002"]
    lib.close()


def test_resolve_id_accepts_versions_and_urls(library: Library) -> None:
    assert library.resolve_id("2011.05438v3") == "2011.05438"
    assert library.resolve_id("https://arxiv.org/abs/2011.05438") == "2011.05438"
    assert library.resolve_id("9999.99999") is None


def test_toggling_an_unknown_paper_is_a_clear_error(library: Library) -> None:
    with pytest.raises(StoreError, match="no paper with id"):
        library.toggle_read("nope")


def test_bibtex_of_a_sample_paper(library: Library) -> None:
    text = library.bibtex("2011.05438")
    assert text.startswith("@")
    assert "2011.05438" in text


def test_exclusion_alone_removes_matches(library: Library) -> None:
    everything = library.search("").ids
    without = library.search("-agent ").ids
    with_agent = set(library.search("agent ").ids)
    assert with_agent and set(without) == set(everything) - with_agent
    assert without == [i for i in everything if i not in with_agent]  # still newest first


def test_filter_results_follow_changes(library: Library) -> None:
    first = library.search("is:unread ").ids
    library.set_read(first[0], True)
    assert first[0] not in library.search("is:unread ").ids
    library.set_read(first[0], False)
    assert library.search("is:unread ").ids == first


def test_filter_results_see_another_connections_writes(library: Library) -> None:
    before = library.search("is:saved ").ids
    other = Library.open()
    other.set_saved(library.search("").ids[0], True)
    other.close()
    assert len(library.search("is:saved ").ids) == len(before) + 1
