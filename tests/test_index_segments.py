"""How the index is cut into segments: a full build commits one every REBUILD_SEGMENT_DOCS
papers, and updates merge only their own small segments, never the build's (Whoosh's default
policy would rewrite the whole index once there are ~22 segments)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.index._writer as writer_module
from tui.index import PaperIndex
from tui.model import Paper
from tui.query import parse_query


def numbered(start: int, count: int) -> list[tuple[Paper, int]]:
    return [
        (Paper(id=f"p{n}", title=f"Paper number{n}", abstract=f"common words word{n}"), n + 1)
        for n in range(start, start + count)
    ]


def segment_sizes(index: PaperIndex) -> list[int]:
    reader = index._searcher.reader()
    return sorted(r.doc_count_all() for r, _ in reader.leaf_readers())


def test_build_segments_and_update_merges_stay_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "REBUILD_SEGMENT_DOCS", 10)
    index = PaperIndex(tmp_path / "index")
    index.open()
    index.rebuild(numbered(0, 60), 60)
    assert segment_sizes(index) == [10] * 6

    for n in range(60, 90):  # 30 one-paper updates, as a refresh trickles papers in
        index.update(numbered(n, 1))
        sizes = segment_sizes(index)
        # The build's six segments of 10 are never merged away...
        assert sizes.count(10) >= 6
        # ...and the small ones are merged before they pile up.
        assert sum(1 for s in sizes if s < 10) < writer_module.MERGE_SMALL_SEGMENTS_AT + 1
    assert index.doc_count == 90
    hits = index.search(parse_query("common words "), limit=200)
    assert sorted(hits.ids) == sorted(f"p{n}" for n in range(90))
    assert index.search(parse_query("word75 "), limit=5).ids == ["p75"]
    index.close()


def test_updates_with_full_texts_merge_by_size_tier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One paper with a long body per update (the reader keeping texts): a merge takes segments
    of about the same size, a big one is never rewritten, and every body stays searchable."""
    monkeypatch.setattr(writer_module, "TIER_FLOOR_BYTES", 4_000)
    monkeypatch.setattr(writer_module, "MAX_MERGE_BYTES", 60_000)
    index = PaperIndex(tmp_path / "index")
    index.open()
    index.rebuild(numbered(0, 20), 20)
    bodies = {f"p{n}": " ".join(f"term{n}x{k}" for k in range(300)) for n in range(20, 60)}
    big_seen: set[str] = set()
    for n in range(20, 60):
        index.update(numbered(n, 1), bodies.get)
        storage = index._ix.storage
        segments = [r.segment() for r, _ in index._searcher.reader().leaf_readers()]
        sizes = {s.segment_id(): writer_module.segment_bytes(storage, s) for s in segments}
        # A segment too big to merge, once there, is never merged away.
        assert big_seen <= sizes.keys()
        big_seen |= {sid for sid, size in sizes.items() if size >= writer_module.MAX_MERGE_BYTES}
        tiers: dict[int, int] = {}
        for size in sizes.values():
            if size < writer_module.MAX_MERGE_BYTES:
                tier = writer_module.merge_tier(size)
                tiers[tier] = tiers.get(tier, 0) + 1
        # One merge a commit, of the lowest full tier: a tier above may hold one more until
        # the next commit merges it.
        assert all(count <= writer_module.MERGE_SMALL_SEGMENTS_AT + 1 for count in tiers.values())
        assert len(sizes) < 16
    assert big_seen  # the test reached the size where merging stops
    for n in range(20, 60):
        assert index.search(parse_query(f"body:term{n}x7"), limit=5).ids == [f"p{n}"]
    index.close()
