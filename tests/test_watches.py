"""Watches and arrival numbers: "new since you last looked" is exact, survives restarts,
re-imports and kill -9; the schema migration numbers the papers already stored."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.config import Config
from tui.library import Library
from tui.model import Paper
from tui.paths import default_paths
from tui.store import SCHEMA_VERSION, Store, StoreError


def paper(n: int, title: str = "Diffusion models for video", **fields: object) -> Paper:
    return Paper(
        id=f"2901.{n:05d}",
        title=f"{title} {n}",
        abstract=fields.pop("abstract", "We study temporal diffusion."),  # type: ignore[arg-type]
        published="2029-01-01",
        **fields,  # type: ignore[arg-type]
    )


def open_library() -> Library:
    library = Library.open(config=Config(feeds=()), load_sample=False)
    library.ensure_index()
    return library


def new_count(library: Library, name: str) -> int:
    return library.watch_count(library.watch(name)).new


def test_a_new_watch_starts_with_nothing_new_and_counts_each_arrival_once() -> None:
    library = open_library()
    library.import_papers([paper(n) for n in range(3)], "a")
    library.add_watch("diffusion", "diffusion")
    count = library.watch_count(library.watch("diffusion"))
    assert (count.new, count.total) == (0, 3)
    library.import_papers([paper(n) for n in range(3, 7)], "a")
    assert new_count(library, "diffusion") == 4
    # The same papers again, from another feed, with more upvotes: merged, not new.
    library.import_papers([paper(n, upvotes=9) for n in range(7)], "b")
    assert new_count(library, "diffusion") == 4
    assert library.watch_results("diffusion", new_only=True).total == 4
    library.watch_seen("diffusion")
    assert new_count(library, "diffusion") == 0
    assert library.watch_count(library.watch("diffusion")).total == 7


def test_papers_that_do_not_match_are_not_new() -> None:
    library = open_library()
    library.add_watch("code", "has:code -survey")
    library.import_papers(
        [
            paper(1, code_url="https://github.com/a/b"),
            paper(2),  # no code
            paper(3, title="A survey of things", code_url="https://github.com/a/c"),
        ],
        "a",
    )
    assert new_count(library, "code") == 1
    assert library.watch_results("code", new_only=True).ids == ["2901.00001"]


def test_seen_up_to_what_was_shown_keeps_later_arrivals_new() -> None:
    library = open_library()
    library.add_watch("w", "diffusion")
    library.import_papers([paper(1)], "a")
    shown = library.arrival()
    library.import_papers([paper(2)], "a")  # arrives while the user reads the list
    library.watch_seen("w", shown)
    assert new_count(library, "w") == 1
    library.watch_seen("w", 0)  # never goes back
    assert new_count(library, "w") == 1


def test_arrival_numbers_are_never_reused_after_a_delete() -> None:
    library = Library.open(config=Config(feeds=()))  # the sample: removed by the first feed
    before = library.arrival()
    assert before == library.counts().total
    library.add_watch("all", "is:unread")
    library.import_papers([paper(1)], "live")
    removal = library.remove_sample()
    assert removal is not None and removal.removed
    library.import_papers([paper(2)], "live")
    assert library.arrival() == before + 2
    assert new_count(library, "all") == 2


def test_watch_names_and_queries_are_checked() -> None:
    library = open_library()
    for name, query, message in [
        ("", "x", "needs a name"),
        ("a\x1b[2J", "x", "plain text"),
        ("n" * 61, "x", "at most 60"),
        ("ok", "   ", "needs a query"),
    ]:
        with pytest.raises(StoreError, match=message):
            library.add_watch(name, query)
    library.add_watch("ok", "x")
    with pytest.raises(StoreError, match="exists already"):
        library.add_watch("ok", "y")
    library.add_watch("ok", "y", replace=True)
    assert library.watch("ok").query == "y"
    library.edit_watch("ok", "renamed", "z")
    assert [w.name for w in library.watches()] == ["renamed"]
    with pytest.raises(StoreError, match=r"no watch named .ok. \(watches: renamed\)"):
        library.remove_watch("ok")


def test_a_phrase_watch_counts_exactly_beyond_the_phrase_check_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tui.index._search as search

    monkeypatch.setattr(search, "PHRASE_VERIFY_BUDGET", 3)
    library = open_library()
    library.add_watch("phrase", '"state space"')
    matching = [paper(n, abstract="A state space model.") for n in range(10)]
    other = [paper(n, abstract="The space of a state.") for n in range(10, 20)]
    library.import_papers(matching + other, "a")
    count = library.watch_count(library.watch("phrase"))
    assert (count.new, count.total) == (10, 10)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(
        st.lists(st.tuples(st.integers(0, 40), st.booleans()), max_size=8), min_size=1, max_size=6
    )
)
def test_new_count_is_exactly_the_matching_papers_first_stored(
    batches: list[list[tuple[int, bool]]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    os.environ["FEEDTUI_HOME"] = str(tmp_path_factory.mktemp("home"))
    library = open_library()
    try:
        library.add_watch("w", "diffusion")
        titles: dict[int, str] = {}  # a paper keeps the title it first came with
        matching_new = 0
        for batch in batches:
            papers = []
            for n, matches in batch:
                if n not in titles:
                    titles[n] = "Diffusion" if matches else "Unrelated"
                    matching_new += matches
                papers.append(paper(n, title=titles[n], abstract="nothing"))
            before = new_count(library, "w")
            library.import_papers(papers, "feed")
            after = new_count(library, "w")
            assert after >= before >= 0
            assert after == matching_new
            # What a refresh reads (only the papers arrived since) says the same.
            assert [news.new for news in library.watch_news()] == [after]
            library.import_papers(papers, "again")  # a re-import is never new
            assert new_count(library, "w") == after
        library.watch_seen("w")
        assert new_count(library, "w") == 0
    finally:
        library.close()


def test_watches_and_their_seen_marks_survive_kill_9(tmp_path: Path) -> None:
    child = """
import os, signal
from tui.config import Config
from tui.library import Library
from tui.model import Paper
library = Library.open(config=Config(feeds=()), load_sample=False)
library.add_watch("w", "diffusion")
library.import_papers([Paper(id="2901.00001", title="Diffusion one")], "a", index=False)
library.watch_seen("w")
library.import_papers([Paper(id="2901.00002", title="Diffusion two")], "a", index=False)
os.kill(os.getpid(), signal.SIGKILL)
"""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", child], env=env, timeout=60)
    assert done.returncode == -9
    library = open_library()
    count = library.watch_count(library.watch("w"))
    assert (count.new, count.total) == (1, 2)


def test_a_version_1_database_is_migrated_with_arrivals_in_first_seen_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v1.sqlite3"
    store = Store(path)
    store.upsert([paper(1), paper(2)], "a", stamp="2029-01-02T00:00:00+00:00")
    store.upsert([paper(0)], "a", stamp="2029-01-01T00:00:00+00:00")  # stored "earlier"
    store.close()
    with sqlite3.connect(path) as conn:  # back to what version 1 looked like
        conn.executescript(
            "DROP TABLE watches; DROP TABLE metrics; DROP INDEX papers_arrival; "
            "ALTER TABLE papers DROP COLUMN arrival; DELETE FROM meta WHERE key = 'arrival'; "
            "PRAGMA user_version = 1;"
        )
    store = Store(path)
    rows = store._conn.execute("SELECT id, arrival FROM papers ORDER BY arrival").fetchall()
    assert [tuple(row) for row in rows] == [("2901.00000", 1), ("2901.00001", 2), ("2901.00002", 3)]
    assert store.arrival() == 3
    assert path.with_suffix(".v1.bak").exists()
    assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.upsert([paper(5)], "a")
    assert store.arrival() == 4


def test_watches_live_in_the_database_across_restarts() -> None:
    library = open_library()
    library.add_watch("w", 'au:"Yann LeCun" ti:diffusion')
    library.close()
    again = Library.open(default_paths(), Config(feeds=()), load_sample=False)
    assert [(w.name, w.query) for w in again.watches()] == [("w", 'au:"Yann LeCun" ti:diffusion')]
    assert replace(again.watch("w"), created="") == replace(again.watches()[0], created="")
