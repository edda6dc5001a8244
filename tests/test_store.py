"""The SQLite store: merging, user state that survives re-imports, filters, faults."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.model import Paper
from tui.query import parse_query
from tui.store import SCHEMA_VERSION, Store, StoreError


def paper(pid: str, **fields: object) -> Paper:
    defaults: dict[str, object] = {"title": f"Paper {pid}", "published": "2024-01-01"}
    defaults.update(fields)
    return Paper(id=pid, **defaults)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite3")


def test_upsert_adds_then_merges_without_duplicating(store: Store) -> None:
    first = store.upsert([paper("2401.00001", categories=("cs.LG",))], "arxiv")
    assert (first.added, first.updated) == (1, 0)
    again = store.upsert(
        [paper("2401.00001", categories=("cs.CL",), upvotes=7, code_url="https://github.com/a/b")],
        "hf",
    )
    assert (again.added, again.updated) == (0, 1)
    entry = store.get("2401.00001")
    assert entry is not None
    assert entry.paper.categories == ("cs.LG", "cs.CL")
    assert entry.paper.upvotes == 7
    assert entry.paper.code_url == "https://github.com/a/b"
    assert set(entry.paper.sources) == {"arxiv", "hf"}
    assert store.count() == 1


def test_identical_refetch_changes_nothing(store: Store) -> None:
    store.upsert([paper("2401.00001")], "a")
    revision = store.revision()
    result = store.upsert([paper("2401.00001")], "a")
    assert (result.added, result.updated) == (0, 0)
    assert store.revision() == revision


def test_refetch_never_blanks_a_field(store: Store) -> None:
    store.upsert([paper("x1", abstract="A long abstract.", code_url="https://github.com/a/b")], "a")
    store.upsert([paper("x1", abstract="", code_url="")], "b")
    entry = store.get("x1")
    assert entry is not None
    assert entry.paper.abstract == "A long abstract."
    assert entry.paper.code_url == "https://github.com/a/b"


def test_read_and_saved_survive_reimport(store: Store) -> None:
    store.upsert([paper("x1"), paper("x2")], "a")
    store.set_read("x1", True)
    store.set_saved("x2", True)
    store.upsert([paper("x1", title="Retitled"), paper("x2", upvotes=3)], "b")
    one, two = store.get("x1"), store.get("x2")
    assert one is not None and two is not None
    assert (one.read, one.saved, one.paper.title) == (True, False, "Retitled")
    assert (two.read, two.saved) == (False, True)
    assert store.counts().unread == 1
    assert store.counts().saved == 1


def test_state_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = Store(path)
    first.upsert([paper("x1")], "a")
    first.set_saved("x1", True)
    first.close()
    entry = Store(path).get("x1")
    assert entry is not None and entry.saved


def test_filters_newest_first(store: Store) -> None:
    store.upsert(
        [
            paper("old", published="2022-05-01"),
            paper("new", published="2025-02-01", code_url="https://github.com/a/b"),
            paper("mid", published="2024-03-01"),
            paper("undated", published=""),
        ],
        "a",
    )
    store.set_read("mid", True)
    store.set_saved("old", True)
    assert store.ids(parse_query("")) == ["new", "mid", "old", "undated"]
    assert store.ids(parse_query("is:unread ")) == ["new", "old", "undated"]
    assert store.ids(parse_query("is:saved ")) == ["old"]
    assert store.ids(parse_query("has:code ")) == ["new"]
    assert store.ids(parse_query("year:2024 ")) == ["mid"]
    assert store.ids(parse_query("after:2024-01-01 ")) == ["new", "mid"]
    assert store.ids(parse_query("before:2024 ")) == ["old"]
    assert store.filter_ids(["old", "mid", "new"], parse_query("is:unread ")) == ["old", "new"]


def test_fallback_search_ranks_title_matches_first(store: Store) -> None:
    store.upsert(
        [
            paper("abs", title="Something else", abstract="we study transformer models"),
            paper("ti", title="Transformer tricks", abstract="nothing", published="2020-01-01"),
            paper("none", title="Unrelated", abstract="graphs"),
        ],
        "a",
    )
    ids, total = store.search_fallback(parse_query("transform"), limit=10)
    assert ids == ["ti", "abs"]
    assert total == 2
    ids, _ = store.search_fallback(parse_query("transformer -tricks "), limit=10)
    assert ids == ["abs"]


def test_fallback_search_treats_like_wildcards_literally(store: Store) -> None:
    # "_" is a LIKE wildcard: unescaped, "a_b" would also find "axb".
    store.upsert([paper("p", title="the a_b method"), paper("q", title="the axb method")], "a")
    ids, _ = store.search_fallback(parse_query("a_b "), limit=10)
    assert ids == ["p"]


def test_revisions_grow_and_iter_papers_since(store: Store) -> None:
    store.upsert([paper("a"), paper("b")], "f")
    mark = store.revision()
    store.upsert([paper("c"), paper("a", upvotes=1)], "f")
    changed = [p.id for p, _ in store.iter_papers(mark)]
    assert changed == ["c", "a"]
    assert store.count_since(mark) == 2


def test_newer_schema_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer feedtui"):
        Store(path)
    assert path.read_bytes() == before


def test_corrupt_database_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or is not a feedtui database"):
        Store(path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_feed_state_roundtrip(store: Store) -> None:
    state = store.feed_state("hf")
    assert state.last_success is None
    from dataclasses import replace

    store.save_feed_state(replace(state, last_success="2026-01-01T00:00:00+00:00", etag='"x"'))
    assert store.feed_state("hf").etag == '"x"'
    assert set(store.feed_states()) == {"hf"}


def test_query_indexes_are_added_to_older_databases(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX papers_newest_with_code")
    store = Store(path)
    plan = store._conn.execute(
        "EXPLAIN QUERY PLAN SELECT p.id FROM papers p WHERE p.code_url != '' "
        "ORDER BY p.published DESC, p.id DESC"
    ).fetchall()
    assert "papers_newest_with_code" in " ".join(str(tuple(row)) for row in plan)


def test_fallback_ignores_the_words_the_index_ignores(store: Store) -> None:
    store.upsert([paper("p", title="Code for graphs")], "a")
    # "0" and "the" are not indexed: the index answers "0 the code" as "code", so must this.
    ids, _ = store.search_fallback(parse_query("0 the code "), limit=10)
    assert ids == ["p"]


def test_marks_are_read_again_after_a_mark_here_or_in_another_process(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    here = Store(path)
    here.upsert([paper("a1"), paper("a2"), paper("a3")], "a")
    assert here.marked() == (frozenset(), frozenset())
    here.set_read("a1", True)
    assert here.marked()[0] == {"a1"}
    here.upsert([paper("a4")], "a")  # an import here keeps the marks as they are
    assert here.marked()[0] == {"a1"}
    elsewhere = Store(path)
    elsewhere.set_saved("a2", True)
    elsewhere.set_read("a1", False)
    elsewhere.close()
    assert here.marked() == (frozenset(), {"a2"})
    assert here.ids(parse_query("is:unread")) == here.ids(parse_query(""))
    here.close()
