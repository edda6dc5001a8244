"""Full texts in search: a kept text is indexed (body:word, and plain words below the title and
abstract), has:fulltext filters, and the index follows the cache: rebuilds, evictions, a clear,
a process killed between the store and the index, texts cached before they were recorded."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from tui.fulltext import for_library
from tui.library import Library
from tui.store import Store

WORD = "zygomorphic"  # in no sample paper: only the texts these tests keep hold it


@pytest.fixture
def library() -> Library:
    lib = Library.open()
    lib.ensure_index()
    yield lib
    lib.close()


def body_with(*words: str) -> str:
    return "# Introduction\n\n" + " ".join(words) + " and some [code](https://github.com/x/y).\n"


def ids_of(library: Library, text: str) -> list[str]:
    return library.search(text).ids


def some_ids(library: Library, n: int) -> list[str]:
    return library.search("").ids[:n]


def test_a_kept_text_is_found_by_body_and_by_plain_words(library: Library) -> None:
    first, second = some_ids(library, 2)
    assert ids_of(library, f"body:{WORD}") == []
    library.keep_fulltext(first, body_with(WORD), "http://127.0.0.1/x")
    assert library.index_ready  # kept and indexed at once, no fallback
    assert ids_of(library, f"body:{WORD}") == [first]
    assert ids_of(library, f"{WORD} ") == [first]
    assert ids_of(library, "has:fulltext ") == [first]
    assert second in ids_of(library, "-has:fulltext ")
    assert first not in ids_of(library, "-has:fulltext ")
    # The link's address is not a word of the paper.
    assert first not in ids_of(library, "body:github")


def test_title_and_abstract_matches_rank_before_body_matches(library: Library) -> None:
    summary_hits = set(ids_of(library, "unlearning "))
    assert len(summary_hits) >= 2
    other = next(i for i in some_ids(library, 85) if i not in summary_hits)
    library.keep_fulltext(other, body_with(*["unlearning"] * 50), "http://127.0.0.1/x")
    ranked = ids_of(library, "unlearning ")
    assert set(ranked) == summary_hits | {other}
    assert ranked[-1] == other  # fifty times in the body still weighs less than once above


def test_an_exclusion_reads_the_summary_not_the_full_text(library: Library) -> None:
    target = some_ids(library, 1)[0]
    entry = library.get(target)
    assert entry is not None
    library.keep_fulltext(target, body_with(WORD), "http://127.0.0.1/x")
    assert target in ids_of(library, f"-{WORD} ")
    title_word = next(w for w in entry.paper.title.lower().split() if len(w) > 4 and w.isalpha())
    assert target not in ids_of(library, f"-{title_word} ")


def test_a_rebuild_reads_the_kept_texts_back(library: Library) -> None:
    target = some_ids(library, 1)[0]
    library.keep_fulltext(target, body_with(WORD), "http://127.0.0.1/x")
    library.close()
    shutil.rmtree(library.paths.index_dir)
    again = Library.open()
    try:
        assert not again.index_ready
        # While the index is rebuilt, the fallback lists every paper with a kept text.
        assert ids_of(again, f"body:{WORD}") == [target]
        again.ensure_index()
        assert again.index_ready
        assert ids_of(again, f"body:{WORD}") == [target]
    finally:
        again.close()


def test_a_kill_between_the_store_and_the_index_is_caught_up(library: Library) -> None:
    target = some_ids(library, 1)[0]
    library.texts.put(target, body_with(WORD))
    # What a process killed right after recording the text leaves: the store says the paper
    # has a text, the index has not re-indexed it.
    store = Store(library.paths.database)
    store.record_fulltext(target, 100, "http://127.0.0.1/x")
    store.close()
    library.close()
    again = Library.open()
    try:
        again.ensure_index()
        assert ids_of(again, f"body:{WORD}") == [target]
    finally:
        again.close()


def test_evicted_and_cleared_texts_leave_the_index(library: Library) -> None:
    first, second = some_ids(library, 2)
    library.texts.max_bytes = 1_500  # room for one of the two texts
    library.keep_fulltext(first, body_with(WORD, "x" * 1_000), "http://127.0.0.1/a")
    library.keep_fulltext(second, body_with(WORD, "y" * 1_000), "http://127.0.0.1/b")
    assert ids_of(library, f"body:{WORD}") == [second]
    assert ids_of(library, "has:fulltext ") == [second]
    assert library.clear_fulltexts() == 1
    assert ids_of(library, f"body:{WORD}") == []
    assert ids_of(library, "has:fulltext ") == []


def test_a_text_cached_before_it_was_recorded_is_recorded_when_read(library: Library) -> None:
    target = some_ids(library, 1)[0]
    library.texts.put(target, body_with(WORD))  # e.g. by an older feedtui
    assert ids_of(library, "has:fulltext ") == []
    texts = for_library(library)
    assert texts.get(target).source == "cache"
    assert ids_of(library, "has:fulltext ") == [target]
    assert ids_of(library, f"body:{WORD}") == [target]


def test_a_refetched_paper_keeps_its_indexed_body(library: Library) -> None:
    target = some_ids(library, 1)[0]
    library.keep_fulltext(target, body_with(WORD), "http://127.0.0.1/x")
    entry = library.get(target)
    assert entry is not None
    # A feed brings the paper again with a changed abstract: it is re-indexed, body included.
    library.import_papers([replace(entry.paper, abstract=entry.paper.abstract + " Revised.")], "f")
    assert ids_of(library, f"body:{WORD}") == [target]
    assert target in ids_of(library, "revised ")


def test_body_words_combine_with_the_other_clauses(library: Library) -> None:
    first, second = some_ids(library, 2)
    library.keep_fulltext(first, body_with(WORD, "quixotic"), "http://127.0.0.1/a")
    library.keep_fulltext(second, body_with(WORD), "http://127.0.0.1/b")
    assert set(ids_of(library, f"body:{WORD}")) == {first, second}
    assert ids_of(library, f"body:{WORD} body:quixotic") == [first]
    library.set_saved(second, True)
    assert ids_of(library, f"body:{WORD} is:saved") == [second]
    assert ids_of(library, f'body:"{WORD} quixotic"') == [first]
