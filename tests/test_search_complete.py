"""Every answer is complete: filters cut the matches before the limit does, totals count what
passed the filters, and the command line means what the search box means."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace

import pytest

from tui.cli import main
from tui.library import Library
from tui.paths import default_paths
from tui.query import parse_query

# Text and filters together, as users combine them (the sample has 85 papers).
FILTERED = [
    "au:zhang has:code",
    "meta has:code",
    "model is:unread",
    "agent -has:code",
    "learning year:2025",
    "after:2024-06 lang",
    '"language model" is:unread',
]


@pytest.fixture
def library() -> Iterator[Library]:
    lib = Library.open()
    lib.ensure_index()
    # Some marks, so is:unread really filters.
    for paper_id in lib.search("model").ids[::3]:
        lib.set_read(paper_id, True)
    yield lib
    lib.close()


def reference(library: Library, text: str) -> list[str]:
    """What a complete answer holds: every match of the query's text, ranked, with no limit,
    that the query's filters pass (each asked of the index and the store on its own)."""
    query = parse_query(text)
    text_only = replace(
        query, unread=False, read=False, saved=False, has_code=None, year=None, after="", before=""
    )
    every = library.index.search(text_only, limit=10_000).ids
    passed = set(library.store.ids(query))
    return [paper_id for paper_id in every if paper_id in passed]


@pytest.mark.parametrize("text", FILTERED)
def test_the_limit_cuts_the_filtered_ranked_list(library: Library, text: str) -> None:
    expected = reference(library, text)
    assert expected, f"{text!r} should match something in the sample"
    for limit in (1, 2, 3, 5, 20, 2000):
        result = library.search(text, limit=limit)
        assert result.ids == expected[:limit], (text, limit)
        assert result.total == len(expected), (text, limit)


def test_the_fallback_search_also_limits_after_filtering(library: Library) -> None:
    library.close()
    shutil.rmtree(default_paths().index_dir)  # as before the index is built: the slow search
    fallback = Library.open()
    try:
        assert not fallback.index_ready
        for text in FILTERED:
            everything = fallback.search(text, limit=10_000)
            passed = set(fallback.store.ids(parse_query(text)))
            assert everything.ids and set(everything.ids) <= passed, text
            for limit in (1, 3, 2000):
                result = fallback.search(text, limit=limit)
                assert not result.from_index
                assert result.ids == everything.ids[:limit], (text, limit)
                assert result.total == len(everything.ids), (text, limit)
    finally:
        fallback.close()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[list[str], str]:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    return [line.split("\t")[0] for line in out.splitlines()], err


@pytest.mark.parametrize("text", ["metam", "meta", "au:zhang has:code", "multi ag"])
def test_the_command_line_means_what_the_box_means(
    library: Library, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    boxed = library.search(text)  # what the TUI asks for the same text
    library.close()
    printed, err = cli(capsys, "search", text, "--limit", "3")
    assert printed == boxed.ids[:3]
    if boxed.total > 3:
        assert f"3 of {boxed.total} matches" in err


def test_the_last_word_is_a_prefix_on_the_command_line(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    library.close()
    printed, _ = cli(capsys, "search", "metam")
    titles = [Library.open().get(paper_id).paper.title for paper_id in printed]  # type: ignore[union-attr]
    assert any(title.startswith("MetaMind") for title in titles)


@pytest.mark.parametrize("text", ["((", "*", "-"])
def test_punctuation_alone_says_what_was_ignored(
    library: Library, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    result = library.search(text)
    assert result.query.hints
    assert len(result.ids) == library.counts().total  # the rest of the query: everything
    library.close()
    _, err = cli(capsys, "search", text, "--limit", "1")
    assert "ignored" in err
