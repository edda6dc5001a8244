"""Tags and notes: the names the library accepts and refuses, the store's one source of truth
(surviving refetches, restarts and the sample's removal), the query language's tag:, has:note
and note: through the index and through the fallback, and the v2 -> v3 migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.config import Config
from tui.library import Library
from tui.model import Paper
from tui.paths import default_paths
from tui.query import parse_query
from tui.store import SCHEMA_VERSION, Store, StoreError
from tui.tags import NOTE_MAX_BYTES, KeepError, check_note, normalize_tag, tags_label


def paper(n: int, title: str = "Diffusion models for video", abstract: str = "") -> Paper:
    return Paper(
        id=f"2901.{n:05d}",
        title=f"{title} {n}",
        abstract=abstract or "We study temporal diffusion.",
        published=f"2029-01-{n + 1:02d}",
    )


@pytest.fixture
def library() -> Library:
    lib = Library.open(config=Config(feeds=()), load_sample=False)
    lib.import_papers([paper(n) for n in range(5)], "a")
    lib.import_papers([paper(9, "Sparse attention", "Transformers made cheap.")], "a")
    lib.ensure_index()
    yield lib
    lib.close()


def ids(library: Library, text: str) -> list[str]:
    return library.search(text).ids


# -- names and notes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "tag"),
    [("Diffusion", "diffusion"), ("  to-read ", "to-read"), ("#NeurIPS.2029", "neurips.2029"),
     ("ml/vision", "ml/vision"), ("état_2", "état_2"), ("模型", "模型")],
)  # fmt: skip
def test_tags_are_trimmed_and_lower_cased(typed: str, tag: str) -> None:
    assert normalize_tag(typed) == tag


@pytest.mark.parametrize(
    ("typed", "why"),
    [("", "needs a name"), ("#", "needs a name"), ("to read", "no spaces"),
     ("a\x1b[31m", "control characters"), ("a\u200bb", "control characters"),
     ("x" * 41, "at most 40"), ("-read", "starting with a letter"), ("a,b", "only letters"),
     ('a"b', "only letters"), ("tag:x", "only letters"), ("+x", "only letters")],
)  # fmt: skip
def test_bad_tags_are_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(KeepError, match=why):
        normalize_tag(typed)


def test_a_note_is_capped_and_blank_is_none() -> None:
    assert check_note("  \n\n ") == ""
    assert check_note("line one\r\nline two\n\n") == "line one\nline two"
    assert check_note("é" * (NOTE_MAX_BYTES // 2)) == "é" * (NOTE_MAX_BYTES // 2)
    with pytest.raises(KeepError, match="at most 256 KiB"):
        check_note("é" * (NOTE_MAX_BYTES // 2 + 1))


def test_the_tags_label_cuts_at_a_tag_and_counts_the_rest() -> None:
    assert tags_label(["diffusion", "to-read"], 80) == "#diffusion #to-read"
    assert tags_label(["diffusion", "to-read", "video"], 16) == "#diffusion +2"
    assert tags_label(["diffusion"], 5) == "+1"
    assert tags_label(["diffusion"], 1) == ""
    assert tags_label([], 10) == ""


# -- the library ----------------------------------------------------------------------------


def test_tags_are_added_removed_and_replaced_on_many_papers(library: Library) -> None:
    a, b = "2901.00000", "2901.00001"
    after = library.add_tags([a, b], ["Diffusion", "#to-read", "diffusion"])
    assert after == {a: ("diffusion", "to-read"), b: ("diffusion", "to-read")}
    assert library.remove_tags([b], ["TO-READ"]) == {b: ("diffusion",)}
    assert library.edit_tags([a], add=["video"], remove=["diffusion"]) == {a: ("to-read", "video")}
    assert library.set_tags([b], ["x", "y"]) == {b: ("x", "y")}
    assert library.tag_counts() == [("to-read", 1), ("video", 1), ("x", 1), ("y", 1)]
    assert library.get(a).tags == ("to-read", "video")  # type: ignore[union-attr]
    assert library.set_tags([a], []) == {a: ()}
    assert library.tags_of(a) == ()


def test_a_bad_tag_or_id_stores_nothing(library: Library) -> None:
    with pytest.raises(StoreError, match="no spaces"):
        library.add_tags(["2901.00000"], ["ok", "not ok"])
    with pytest.raises(StoreError, match=r"no paper with id '2901\.99999'"):
        library.add_tags(["2901.00000", "2901.99999"], ["ok"])
    with pytest.raises(StoreError, match="no paper"):
        library.set_note("nope", "text")
    assert library.tag_counts() == []


def test_a_note_is_stored_replaced_and_cleared(library: Library) -> None:
    pid = "2901.00002"
    assert library.note(pid) == ""
    assert library.set_note(pid, "# Why\n\n- cites *us*\n") == "# Why\n\n- cites *us*"
    assert library.get(pid).note == "# Why\n\n- cites *us*"  # type: ignore[union-attr]
    library.set_note(pid, "second")
    assert library.note(pid) == "second"
    with pytest.raises(StoreError, match="256 KiB"):
        library.set_note(pid, "x" * (NOTE_MAX_BYTES + 1))
    assert library.note(pid) == "second"
    library.set_note(pid, "   ")
    assert library.note(pid) == ""
    assert library.get(pid).note == ""  # type: ignore[union-attr]


def test_tags_and_notes_survive_a_refetch_and_a_restart(library: Library) -> None:
    library.add_tags(["2901.00000"], ["keep"])
    library.set_note("2901.00000", "mine")
    library.import_papers([paper(0, "Diffusion models for video, revised")], "b")
    library.close()
    again = Library.open(default_paths(), Config(feeds=()), load_sample=False)
    entry = again.get("2901.00000")
    assert entry is not None and "revised" in entry.paper.title
    assert (entry.tags, entry.note) == (("keep",), "mine")
    again.close()


def test_the_sample_removal_keeps_a_tagged_or_noted_sample_paper() -> None:
    library = Library.open(config=Config(feeds=()))
    first, second, third = library.search("").ids[:3]
    library.add_tags([first], ["keep"])
    library.set_note(second, "keep this one")
    removal = library.remove_sample()
    assert removal is not None
    assert first not in removal.removed and second not in removal.removed
    assert third in removal.removed
    assert library.get(first) is not None and library.get(second) is not None
    library.close()


# -- searching ------------------------------------------------------------------------------


def test_the_query_language_reads_tags_and_notes() -> None:
    q = parse_query("tag:To-Read -tag:#done has:note note:Cites -note:survey")
    assert (q.tags, q.excluded_tags, q.has_note) == (("to-read",), ("done",), True)
    assert (q.note_words, q.excluded_note_words) == (("cites",), ("survey",))
    assert not q.has_text
    assert parse_query("-has:note").has_note is False
    assert parse_query("tag:a,b").hints and parse_query("tag:a,b").tags == ()
    assert parse_query("tag:").hints == ("tag: needs a tag name",)
    assert parse_query("note: ").hints == ("note: needs a word",)


@pytest.mark.parametrize("from_index", [True, False])
def test_tag_note_filters_search_with_words_and_alone(library: Library, from_index: bool) -> None:
    if not from_index:  # the fallback answers while the index is being built
        library._index_ready.clear()
    library.add_tags(["2901.00001", "2901.00003", "2901.00009"], ["to-read"])
    library.add_tags(["2901.00003"], ["done"])
    library.set_note("2901.00001", "Cites our diffusion baseline.")
    library.set_note("2901.00009", "Compare with the survey.")
    assert ids(library, "tag:to-read") == ["2901.00009", "2901.00003", "2901.00001"]
    assert ids(library, "tag:to-read -tag:done") == ["2901.00009", "2901.00001"]
    assert ids(library, "tag:to-read diffusion ") == ["2901.00003", "2901.00001"]
    assert ids(library, "has:note") == ["2901.00009", "2901.00001"]
    assert len(ids(library, "-has:note")) == 4
    assert ids(library, "note:baseline") == ["2901.00001"]
    assert ids(library, "note:SURVEY tag:to-read") == ["2901.00009"]
    assert ids(library, "-note:survey has:note") == ["2901.00001"]
    assert ids(library, "tag:nothing") == []
    assert library.search("tag:to-read diffusion ").from_index is from_index


def test_a_tag_change_shows_in_the_next_search_and_words_keep_their_ranking(
    library: Library,
) -> None:
    # Plain words rank by title and abstract as before: a note does not pull a paper up.
    before = ids(library, "diffusion ")
    library.set_note("2901.00004", "diffusion diffusion diffusion")
    assert ids(library, "diffusion ") == before
    assert ids(library, "tag:fresh") == []
    library.add_tags(["2901.00004"], ["fresh"])
    assert ids(library, "tag:fresh") == ["2901.00004"]
    library.remove_tags(["2901.00004"], ["fresh"])
    assert ids(library, "tag:fresh") == []


# -- the schema -----------------------------------------------------------------------------


def test_a_version_2_database_is_migrated_keeping_everything(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    store = Store(path)
    store.upsert([paper(1), paper(2)], "a")
    store.set_saved("2901.00001", True)
    store.add_watch("w", "diffusion")
    store.close()
    with sqlite3.connect(path) as conn:  # back to what version 2 looked like
        conn.executescript(
            "DROP TABLE tags; DROP TABLE notes; DROP TABLE fulltexts; PRAGMA user_version = 2;"
        )
    store = Store(path)
    assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert path.with_suffix(".v2.bak").exists()
    with sqlite3.connect(path.with_suffix(".v2.bak")) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 2
    assert store.count() == 2 and store.counts().saved == 1
    assert [w.name for w in store.watches()] == ["w"]
    store.change_tags(["2901.00001"], ["kept"])
    store.set_note("2901.00002", "noted")
    store.close()
    store = Store(path)
    assert store.tags_of(["2901.00001"]) == {"2901.00001": ("kept",)}
    assert store.note("2901.00002") == "noted"
    assert store.record_fulltext("2901.00001", 10, "http://127.0.0.1/x")
    assert store.fulltext_ids() == {"2901.00001"}
    store.close()


def test_a_version_3_database_gets_the_fulltexts_table(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    store = Store(path)
    store.upsert([paper(1)], "a")
    store.change_tags(["2901.00001"], ["kept"])
    store.close()
    with sqlite3.connect(path) as conn:
        conn.executescript("DROP TABLE fulltexts; PRAGMA user_version = 3;")
    store = Store(path)
    assert store._conn.execute("PRAGMA user_version").fetchone()[0] == 4
    assert path.with_suffix(".v3.bak").exists()
    assert store.tags_of(["2901.00001"]) == {"2901.00001": ("kept",)}
    assert store.fulltext_ids() == frozenset()
    assert store.record_fulltext("2901.00001", 10, "http://127.0.0.1/x")
    store.close()
