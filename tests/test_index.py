"""The full-text index: ranking, each query element, updates, crash-safe rebuilds, threads."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.index import (
    INDEX_SCHEMA_VERSION,
    META_FILE,
    IndexBusy,
    IndexHits,
    IndexWriteFailed,
    PaperIndex,
    SearchCancelled,
)
from tui.index._schema import analyze, make_schema
from tui.model import Paper
from tui.query import is_indexed_word, parse_query, tokens
from tui.store import Store


def paper(pid: str, title: str, abstract: str = "", authors: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, authors=authors)


PAPERS = [
    paper(
        "p-title",
        "Transformers for Graph Learning",
        "We study message passing on large graphs.",
        ("Ada Lovelace", "Alan Turing"),
    ),
    paper(
        "p-abstract",
        "Message Passing Revisited",
        "A transformers based approach to graph learning is compared with baselines.",
        ("Grace Hopper",),
    ),
    paper(
        "p-diffusion",
        "Video Diffusion Models",
        "Diffusion models generate video frames; attention is all you need for temporal coherence.",
        ("Geoffrey E. Hinton", "Yann LeCun"),
    ),
    paper(
        "p-language",
        "Large Language Models Are Few-Shot Learners",
        "We show that scaling language models improves few-shot performance. Code at github.",
        ("Tom Brown", "An Li"),
    ),
    paper(
        "p-vision",
        "Vision without attention",
        "Convolutional networks for image classification, no transformer needed.",
        ("Geoffrey Hinton",),
    ),
]


def with_revisions(papers: list[Paper], start: int = 1) -> list[tuple[Paper, int]]:
    return [(p, start + i) for i, p in enumerate(papers)]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[PaperIndex]:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    ix.rebuild(with_revisions(PAPERS), len(PAPERS))
    yield ix
    ix.close()


def search(ix: PaperIndex, text: str, limit: int = 2000) -> IndexHits:
    return ix.search(parse_query(text), limit=limit)


def test_fresh_index_is_usable_for_an_empty_store(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    assert ix.doc_count == 0
    assert ix.indexed_revision == 0
    assert ix.is_usable(0, 0)
    assert not ix.is_usable(3, 3)
    assert search(ix, "anything ") == IndexHits([], 0)


def test_rebuild_records_count_and_revision(index: PaperIndex) -> None:
    assert index.doc_count == len(PAPERS)
    assert index.indexed_revision == len(PAPERS)
    assert index.is_usable(len(PAPERS), len(PAPERS))
    assert not index.is_usable(len(PAPERS), len(PAPERS) + 1)
    assert not index.is_usable(len(PAPERS) + 1, len(PAPERS))


def test_title_match_outranks_abstract_match(index: PaperIndex) -> None:
    hits = search(index, "transformers ")
    assert hits.ids[:2] == ["p-title", "p-abstract"]
    # the singular also finds the plural (and the plural the singular)
    assert set(search(index, "transformer ").ids) == {"p-title", "p-abstract", "p-vision"}


def test_all_words_must_match(index: PaperIndex) -> None:
    assert search(index, "graph learning ").ids[0] == "p-title"
    assert set(search(index, "graph learning ").ids) == {"p-title", "p-abstract"}
    assert search(index, "graph video ") == IndexHits([], 0)
    assert search(index, "graph zzzunknown ") == IndexHits([], 0)


def test_prefix_search(index: PaperIndex) -> None:
    hits = search(index, "tra")
    assert set(hits.ids) == {"p-title", "p-abstract", "p-vision"}
    assert hits.ids[0] == "p-title"
    assert search(index, "video diff").ids == ["p-diffusion"]
    assert search(index, "tra ") == IndexHits([], 0)  # finished word: no longer a prefix


def test_phrase(index: PaperIndex) -> None:
    assert search(index, '"graph learning"').ids == ["p-title", "p-abstract"]
    assert search(index, '"language models"').ids == ["p-language"]
    assert search(index, '"models language"') == IndexHits([], 0)
    # stop words inside a phrase are dropped on both sides
    assert search(index, '"attention is all you need"').ids == ["p-diffusion"]


def test_exclusion(index: PaperIndex) -> None:
    assert search(index, "transformers -message ").ids == ["p-vision"]
    assert search(index, "graph -hopper ").ids == ["p-title"]
    assert search(index, 'models -"few shot" ').ids == ["p-diffusion"]


def test_author(index: PaperIndex) -> None:
    assert set(search(index, "au:hinton").ids) == {"p-diffusion", "p-vision"}
    # a middle initial may sit between the names
    assert set(search(index, 'au:"Geoffrey Hinton"').ids) == {"p-diffusion", "p-vision"}
    assert search(index, 'au:"Hinton Geoffrey"') == IndexHits([], 0)
    # short names are not stop words
    assert search(index, "au:an").ids == ["p-language"]
    assert search(index, "au:turing graph").ids == ["p-title"]


def test_title_only(index: PaperIndex) -> None:
    assert search(index, "ti:transformers").ids == ["p-title"]
    assert search(index, "ti:attention").ids == ["p-vision"]


def test_total_counts_every_match_beyond_the_limit(index: PaperIndex) -> None:
    hits = search(index, "transformer ", limit=1)
    assert hits.total == 3
    assert len(hits.ids) == 1
    assert hits.ids == ["p-title"]


def test_filter_only_query_returns_nothing(index: PaperIndex) -> None:
    assert search(index, "is:unread has:code") == IndexHits([], 0)
    assert search(index, "the ") == IndexHits([], 0)  # only a stop word


def test_malformed_queries_do_not_raise(index: PaperIndex) -> None:
    for text in ['"unclosed', "au:", "year:abc foo:bar", "-", '-"', "a" * 600, "***", "ti:"]:
        assert isinstance(search(index, text), IndexHits)


def test_update_replaces_without_duplicates_and_is_searchable_at_once(index: PaperIndex) -> None:
    changed = paper("p-title", "Quantum Annealing Schedules", "Nothing about graphs here.")
    added = paper("p-new", "Sparse Quantum Circuits")
    index.update([(changed, 10), (added, 11)])
    assert index.doc_count == len(PAPERS) + 1
    assert index.indexed_revision == 11
    assert index.is_usable(len(PAPERS) + 1, 11)
    assert set(search(index, "quantum ").ids) == {"p-title", "p-new"}
    assert search(index, "quantum ").total == 2
    assert "p-title" not in search(index, "transformers ").ids
    assert search(index, "quan").total == 2  # new terms join the prefix vocabulary
    index.update([(changed, 12)])
    assert search(index, "quantum ").total == 2
    assert index.doc_count == len(PAPERS) + 1


def test_delete(index: PaperIndex) -> None:
    index.delete(["p-vision", "no-such-id"])
    assert index.doc_count == len(PAPERS) - 1
    assert "p-vision" not in search(index, "transformer ").ids
    assert search(index, "ti:attention") == IndexHits([], 0)


def test_state_survives_reopening(index: PaperIndex, tmp_path: Path) -> None:
    index.update([(paper("p-new", "Reopened Index"), 42)])
    index.close()
    again = PaperIndex(tmp_path / "index")
    again.open()
    assert again.indexed_revision == 42
    assert again.is_usable(len(PAPERS) + 1, 42)
    assert search(again, "reopen").ids == ["p-new"]
    again.close()


def _interrupted(papers: list[Paper]) -> Iterator[tuple[Paper, int]]:
    for i, p in enumerate(papers):
        if i == 3:
            raise RuntimeError("store went away")
        yield p, 100 + i


def test_rebuild_that_raises_keeps_the_previous_index(index: PaperIndex, tmp_path: Path) -> None:
    others = [paper(f"x{i}", f"Replacement {i}") for i in range(10)]
    with pytest.raises(RuntimeError):
        index.rebuild(_interrupted(others), len(others))
    assert index.is_usable(len(PAPERS), len(PAPERS))
    assert search(index, "replacement ") == IndexHits([], 0)
    assert search(index, "transformers ").ids[0] == "p-title"
    assert sorted(p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("ix-"))
    assert len([p for p in (tmp_path / "index").iterdir() if p.name.startswith("ix-")]) == 1
    # and a fresh process sees the same
    index.close()
    again = PaperIndex(tmp_path / "index")
    again.open()
    assert again.is_usable(len(PAPERS), len(PAPERS))


def test_cancelled_rebuild_keeps_the_previous_index(index: PaperIndex) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def papers() -> Iterator[tuple[Paper, int]]:
        for i in range(2000):
            if i == 700:
                cancel.set()
            yield paper(f"c{i}", f"Cancelled {i}"), 1000 + i

    index.rebuild(papers(), 2000, progress=lambda done, total: seen.append(done), cancel=cancel)
    assert seen == [500]
    assert index.is_usable(len(PAPERS), len(PAPERS))
    assert not index.is_usable(2000, 2999)
    assert search(index, "cancelled ") == IndexHits([], 0)


def test_first_build_interrupted_leaves_an_unusable_index(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    with pytest.raises(RuntimeError):
        ix.rebuild(_interrupted(PAPERS), len(PAPERS))
    assert not ix.is_usable(len(PAPERS), len(PAPERS) + 100)


def test_progress_is_reported(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    seen: list[tuple[int, int]] = []
    many = [paper(f"m{i}", f"Paper number {i}") for i in range(1200)]
    ix.rebuild(with_revisions(many), len(many), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert ix.is_usable(1200, 1200)
    assert search(ix, "number ").total == 1200
    assert len(search(ix, "number ", limit=50).ids) == 50


def test_schema_version_mismatch_is_not_usable(index: PaperIndex, tmp_path: Path) -> None:
    index.close()
    meta_path = tmp_path / "index" / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["schema"] = INDEX_SCHEMA_VERSION + 1
    meta_path.write_text(json.dumps(meta))
    again = PaperIndex(tmp_path / "index")
    again.open()
    assert not again.is_usable(len(PAPERS), len(PAPERS))
    assert search(again, "transformers ") == IndexHits([], 0)
    # a rebuild brings it back
    again.rebuild(with_revisions(PAPERS), len(PAPERS))
    assert again.is_usable(len(PAPERS), len(PAPERS))


@pytest.mark.parametrize("damage", ["meta", "whoosh"])
def test_corrupt_index_opens_as_unusable(index: PaperIndex, tmp_path: Path, damage: str) -> None:
    index.close()
    root = tmp_path / "index"
    if damage == "meta":
        (root / META_FILE).write_bytes(b"\x00garbage{")
    else:
        ix_dir = next(p for p in root.iterdir() if p.name.startswith("ix-"))
        for f in ix_dir.iterdir():
            f.write_bytes(b"garbage" * 10)
    again = PaperIndex(root)
    again.open()  # must not raise
    assert not again.is_usable(len(PAPERS), len(PAPERS))
    assert again.doc_count == 0
    assert again.problem
    assert search(again, "transformers ") == IndexHits([], 0)
    again.rebuild(with_revisions(PAPERS), len(PAPERS))
    assert again.is_usable(len(PAPERS), len(PAPERS))


def test_garbage_directory_opens_without_raising(tmp_path: Path) -> None:
    root = tmp_path / "index"
    root.mkdir()
    (root / "_MAIN_1.toc").write_bytes(b"not an index")
    (root / "junk").write_bytes(b"\xff" * 100)
    ix = PaperIndex(root)
    ix.open()
    assert not ix.is_usable(5, 5)


def test_update_while_another_writer_holds_the_lock(index: PaperIndex, tmp_path: Path) -> None:
    from whoosh import index as whoosh_index

    meta = json.loads((tmp_path / "index" / META_FILE).read_text())
    other = whoosh_index.open_dir(str(tmp_path / "index" / meta["dir"]))
    writer = other.writer()  # another process would hold this lock
    try:
        with pytest.raises(IndexBusy):
            index.update([(paper("p-busy", "Busy"), 99)])
    finally:
        writer.cancel()
    index.update([(paper("p-busy", "Busy"), 99)])
    assert search(index, "busy ").ids == ["p-busy"]


def test_search_from_threads_while_updating(index: PaperIndex) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                hits = search(index, "tra")
                assert "p-abstract" in hits.ids
                assert len(hits.ids) == len(set(hits.ids))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(15):
            index.update([(paper(f"t{i}", f"Transport Problem {i}"), 100 + i)])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert search(index, "transport ").total == 15
    assert index.indexed_revision == 114


def test_matches_agree_with_whoosh_own_queries(tmp_path: Path) -> None:
    """The hand-written matching (postings sets, phrase positions) finds exactly what Whoosh's
    own And/Phrase queries find, across several segments and deletions."""
    import random

    from whoosh import query as wq

    rng = random.Random(5)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    ix = PaperIndex(tmp_path / "index")
    ix.open()
    first = [paper(f"r{i}", text(5), text(30)) for i in range(150)]
    ix.rebuild(with_revisions(first), len(first))
    ix.update([(paper(f"r{i}", text(5), text(30)), 200 + i) for i in range(0, 150, 7)])
    ix.update([(paper(f"s{i}", text(5), text(30)), 400 + i) for i in range(40)])
    searcher = ix._searcher
    assert searcher is not None

    def whoosh_ids(q: object) -> set[str]:
        return {searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(q)}

    for _ in range(25):
        a, b, c = rng.sample(words, 3)
        expected = whoosh_ids(
            wq.Or([wq.Phrase("title", [a, b, c]), wq.Phrase("abstract", [a, b, c])])
        )
        assert set(search(ix, f'"{a} {b} {c}"').ids) == expected
        both = wq.And(
            [wq.Or([wq.Term(f, w) for f in ("title", "abstract")]) for w in (a, b)]
            + [wq.Not(wq.Or([wq.Term(f, c) for f in ("title", "abstract")]))]
        )
        hits = search(ix, f"{a} {b} -{c} ")
        assert set(hits.ids) == whoosh_ids(both)
        assert hits.total == len(hits.ids)


@pytest.mark.parametrize("limit", [1, 7, 50, 400])
def test_top_selection_equals_a_full_sort(limit: int) -> None:
    import random

    import numpy as np

    from tui.index._search import top

    rng = random.Random(limit)
    docs = sorted(rng.sample(range(100_000), 5000))
    scores = {d: float(rng.randint(0, 40)) / 7 for d in docs}  # many ties
    expected = sorted(docs, key=lambda d: (scores[d], d), reverse=True)[:limit]
    chosen = top(np.array(docs), np.array([scores[d] for d in docs]), limit)
    assert chosen.tolist() == expected


def test_phrase_check_budget_extrapolates_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.index._search

    ix = PaperIndex(tmp_path / "index")
    ix.open()
    # 300 papers with both words; every third has them as a phrase
    many = [
        paper(f"b{i}", f"Paper {i}", "graph neural" if i % 3 == 0 else "neural nets on a graph")
        for i in range(300)
    ]
    ix.rebuild(with_revisions(many), len(many))
    checked = PaperIndex(tmp_path / "index")  # its own caches: nothing verified before
    checked.open()
    exact = search(checked, '"graph neural"')
    checked.close()
    assert exact.total == 100
    monkeypatch.setattr(tui.index._search, "PHRASE_VERIFY_BUDGET", 60)
    hits = search(ix, '"graph neural"')
    assert 0 < len(hits.ids) < 100
    assert set(hits.ids) <= set(exact.ids)  # never a paper without the phrase
    assert 70 <= hits.total <= 130  # extrapolated
    # an excluded phrase beyond the budget drops the papers that have all its words: what is
    # left was checked and has no phrase
    left = search(ix, 'neural -"graph neural" ')
    assert left.ids
    assert set(left.ids).isdisjoint(exact.ids)


def test_update_follows_a_rebuild_by_another_process(index: PaperIndex, tmp_path: Path) -> None:
    other = PaperIndex(tmp_path / "index")
    other.open()
    other.rebuild(with_revisions(PAPERS[:2]), 2)
    other.close()
    index.update([(paper("p-late", "Late Arrival"), 50)])
    assert index.indexed_revision == 50
    assert set(search(index, "late ").ids) == {"p-late"}
    assert index.doc_count == 3


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_search_never_raises(index: PaperIndex, text: str) -> None:
    hits = search(index, text)
    assert len(hits.ids) == len(set(hits.ids)) <= hits.total


def test_warm_cache_keeps_results(index: PaperIndex) -> None:
    before = [search(index, text) for text in ("tra", "graph learning ", '"language models"')]
    assert index.warm_cache() > 0
    after = [search(index, text) for text in ("tra", "graph learning ", '"language models"')]
    assert after == before


# -- the newest query wins: an abandoned search stops and lets the next one in -------------------

CANCEL_QUERIES = [
    "transformers graph",
    "tra",
    '"message passing"',
    "au:hinton",
    'au:"Geoffrey Hinton"',
    "graph -diffusion",
    'models -"few shot"',
]


@pytest.mark.parametrize("text", CANCEL_QUERIES)
def test_cancelled_search_raises_and_the_next_one_works(index: PaperIndex, text: str) -> None:
    expected = search(index, text)
    assert expected.ids  # each query finds something, so the cancel is what empties it
    with pytest.raises(SearchCancelled):
        index.search(parse_query(text), cancelled=lambda: True)
    assert index.search(parse_query(text), cancelled=lambda: False) == expected


@pytest.mark.parametrize("text", CANCEL_QUERIES)
def test_search_cancelled_midway_stops_at_the_next_check(index: PaperIndex, text: str) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1  # the first check passes: the search is under way when it flips

    with pytest.raises(SearchCancelled):
        index.search(parse_query(text), cancelled=cancelled)
    assert calls == 2  # it stopped at the first check after the flip, doing nothing more
    assert search(index, text).ids


def test_a_cancelled_search_lets_a_waiting_search_through(index: PaperIndex) -> None:
    # The first search is inside the index lock when its hook blocks; the second waits for that
    # lock. Cancelling the first must let the second finish (before: it waited for the first).
    inside = threading.Event()
    release = threading.Event()
    calls = 0

    def first_cancelled() -> bool:
        nonlocal calls
        calls += 1
        if calls == 2:  # call 1 is the check before taking the lock
            inside.set()
            release.wait(10)
            return True
        return False

    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            index.search(parse_query("transformers graph"), cancelled=first_cancelled)
        except SearchCancelled:
            outcome["first"] = "cancelled"

    def second() -> None:
        outcome["second"] = search(index, "diffusion").ids

    one = threading.Thread(target=first)
    one.start()
    assert inside.wait(10)
    two = threading.Thread(target=second)
    two.start()
    release.set()
    one.join(10)
    two.join(10)
    assert outcome == {"first": "cancelled", "second": ["p-diffusion"]}


@pytest.fixture
def big_store(tmp_path: Path) -> Iterator[Store]:
    # Enough rows that the LIKE scan runs well past SQLite's progress-handler interval.
    store = Store(tmp_path / "db.sqlite3")
    store.upsert(
        [paper(f"b-{n}", f"Paper {n} on graphs", "words " * 50 + f"w{n}") for n in range(3000)],
        "test",
    )
    yield store
    store.close()


def test_fallback_search_can_be_cancelled_midway(big_store: Store) -> None:
    query = parse_query("graphs w2999")
    assert big_store.search_fallback(query, 10) == (["b-2999"], 1)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1

    with pytest.raises(SearchCancelled):
        big_store.search_fallback(query, 10, cancelled=cancelled)
    assert big_store.search_fallback(query, 10, cancelled=lambda: False) == (["b-2999"], 1)


def test_fallback_search_does_not_hold_the_store_lock(big_store: Store) -> None:
    # Painting reads entries through the store's shared connection and lock; the fallback
    # search reads through its own connection, so it runs (and is never waited for) meanwhile.
    found: list[tuple[list[str], int]] = []
    with big_store._lock:
        worker = threading.Thread(
            target=lambda: found.append(big_store.search_fallback(parse_query("w2999"), 5))
        )
        worker.start()
        worker.join(20)
        assert not worker.is_alive()
    assert found == [(["b-2999"], 1)]


# -- the caches behind the search: decoded postings and paper ids -------------------------------


def test_decoded_postings_equal_whoosh_own(tmp_path: Path) -> None:
    from tui.index._postings import decode

    ix = PaperIndex(tmp_path / "index")
    ix.open()
    # 700 papers: several posting blocks per term, with varying term frequencies.
    papers = [paper(f"d{i}", f"common t{i % 3}", "common word " * (i % 5 + 1)) for i in range(700)]
    ix.rebuild(with_revisions(papers), len(papers))
    searcher = ix._searcher
    assert searcher is not None
    for segreader, _ in searcher.reader().leaf_readers():
        for field, term in [("abstract", "common"), ("title", "common"), ("title", "t1")]:
            ids, tf_part = decode(segreader, field, term)
            matcher = segreader.postings(field, term.encode())
            expected = []
            while matcher.is_active():
                expected.append((matcher.id(), matcher.weight()))
                matcher.next()
            assert ids.tolist() == [docnum for docnum, _ in expected]
            assert tf_part.tolist() == pytest.approx([w * 2.2 / (w + 1.2) for _, w in expected])
    ix.close()


def test_paper_id_files_are_written_and_a_damaged_one_is_ignored(
    index: PaperIndex, tmp_path: Path
) -> None:
    expected = search(index, "graph").ids
    assert sorted(expected) == ["p-abstract", "p-title"]
    files = list((tmp_path / "index").glob("ix-*/feedtui-ids-*.bin"))
    assert files  # written by the build
    for path in files:
        path.write_bytes(b"FTI1" + b"\0" * 20)
    index.close()
    fresh = PaperIndex(tmp_path / "index")  # nothing remembered from before
    fresh.open()
    assert search(fresh, "graph").ids == expected
    fresh.warm_cache()  # reads them again through Whoosh and rewrites the files
    assert search(fresh, "graph").ids == expected
    fresh.close()
    assert all(path.read_bytes()[:4] == b"FTI1" and len(path.read_bytes()) > 24 for path in files)


def test_warmed_postings_are_saved_and_the_next_warm_up_reads_them(
    index: PaperIndex, tmp_path: Path
) -> None:
    queries = ["graph", "tra", '"message passing"', "video -attention", "au:hinton"]
    expected = [search(index, text) for text in queries]
    assert index.warm_cache() > 0  # decoded from Whoosh's blocks, then saved
    files = list((tmp_path / "index").glob("ix-*/feedtui-post-*.bin"))
    assert files
    index.close()

    again = PaperIndex(tmp_path / "index")
    again.open()
    assert again.warm_cache() == 0  # everything came from the saved files
    assert [search(again, text) for text in queries] == expected
    again.close()

    for path in files:  # damaged: ignored, decoded again, saved again
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF
        path.write_bytes(bytes(data))
    third = PaperIndex(tmp_path / "index")
    third.open()
    assert third.warm_cache() > 0
    assert [search(third, text) for text in queries] == expected
    third.close()


def test_opening_the_library_does_not_import_numpy() -> None:
    # numpy (~80 ms to import) is for searching; the first paint must not wait for it.
    import subprocess
    import sys

    code = "import sys, tui.library, tui.index; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_failed_commit_gives_the_write_lock_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.writing import SegmentWriter

    index = PaperIndex(tmp_path / "ix")
    index.open()
    index.update([(Paper(id="a", title="first paper"), 1)])

    def disk_full(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(SegmentWriter, "_finalize_segment", disk_full)
        with pytest.raises(IndexWriteFailed, match=r"could not be written \(No space left"):
            index.update([(Paper(id="b", title="second paper"), 2)])
    # The next update is not refused as "another process is updating the search index".
    index.update([(Paper(id="c", title="third paper"), 3)])
    assert "c" in index.search(parse_query("third ")).ids


def test_exact_phrase_counts_stay_exact_as_segments_come_and_papers_change(
    tmp_path: Path,
) -> None:
    """A phrase's matches are remembered per segment (a watch's count after a refresh reads
    positions only in the new one): new papers, a paper that lost the phrase and one that
    gained it must all show in the next exact count."""
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    with_phrase = [paper(f"a{i}", f"A {i}", "graph neural nets") for i in range(20)]
    without = [paper(f"b{i}", f"B {i}", "neural nets on a graph") for i in range(20)]
    ix.rebuild(with_revisions(with_phrase + without), 40)

    def count() -> int:
        return ix.search(parse_query('"graph neural"'), limit=1, exact=True).total

    assert count() == 20
    ix.update(with_revisions([paper(f"c{i}", f"C {i}", "graph neural") for i in range(5)], 41))
    assert count() == 25
    lost = paper("a0", "A 0", "nets, neural, graph")
    gained = paper("b0", "B 0", "a graph neural net")
    ix.update([(lost, 50), (gained, 51)])
    hits = ix.search(parse_query('"graph neural"'), limit=100, exact=True)
    assert hits.total == 25
    assert "a0" not in hits.ids and "b0" in hits.ids
    # Searches that narrow the phrase by another word use the same remembered matches.
    # (a1..a19: the new ones have no "nets", b0 has "net", not the prefix "nets")
    assert ix.search(parse_query('"graph neural" nets'), limit=100, exact=True).total == 19
    ix.close()


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_query_tokens_cut_text_as_the_index_analyzers_do(text: str) -> None:
    # The key terms of "more like this" cut titles and abstracts with tui.query.tokens (fast),
    # the index with Whoosh's analyzers: both must give the same terms.
    schema = make_schema()
    assert analyze(schema, "abstract", text) == [w for w in tokens(text) if is_indexed_word(w)]
    assert analyze(schema, "authors", text) == tokens(text)
