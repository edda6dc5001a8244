from __future__ import annotations

from tui.merge import merge
from tui.model import Paper


def test_merge_keeps_richest_fields() -> None:
    hf = Paper(
        id="1", title="T", upvotes=5, code_url="https://github.com/a/b", published="2024-02-02"
    )
    arxiv = Paper(
        id="1",
        title="T",
        categories=("cs.LG",),
        published="2024-02-01",
        announce_type="cross",
        abstract="Longer abstract text.",
    )
    merged = merge(hf, arxiv)
    assert merged.upvotes == 5
    assert merged.code_url == "https://github.com/a/b"
    assert merged.categories == ("cs.LG",)
    assert merged.published == "2024-02-01"
    assert merged.abstract == "Longer abstract text."


def test_new_announcement_is_not_undone_by_cross_listing() -> None:
    merged = merge(
        Paper(id="1", title="T", announce_type="new"),
        Paper(id="1", title="T", announce_type="cross"),
    )
    assert merged.announce_type == "new"


def test_merge_of_identical_is_identity() -> None:
    paper = Paper(id="1", title="T", authors=("A",))
    assert merge(paper, paper) is paper
