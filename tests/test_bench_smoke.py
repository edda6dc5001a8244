"""Keeps the benchmark (tests/bench, not collected by default) from rotting: a tiny run of it,
in-process, through the same library calls the real run makes."""

from __future__ import annotations

from pathlib import Path

from tests.bench.corpus import Corpus
from tests.bench.queries import CLASSES, classify, keystrokes
from tests.bench.report import table
from tests.bench.run import Options, run
from tui.query import parse_query


def test_corpus_is_deterministic_and_shaped_like_papers() -> None:
    one, two = Corpus(seed=3), Corpus(seed=3)
    papers = list(one.papers(0, 200))
    assert [p.abstract for p in papers] == [p.abstract for p in two.papers(0, 200)]
    assert len({p.id for p in papers}) == 200
    words = sum(len(p.abstract.split()) for p in papers) / len(papers)
    assert 140 < words < 220
    assert all(1 <= len(p.authors) <= 10 for p in papers)
    with_code = sum(bool(p.code_url) for p in papers) / len(papers)
    assert 0.15 < with_code < 0.45
    years = {p.published[:4] for p in papers}
    assert len(years) == 3


def test_keystrokes_are_classed_by_what_they_ask() -> None:
    assert keystrokes("ab c") == ["a", "ab", "ab ", "ab c"]
    assert classify(parse_query("tra")) == "prefix 1-3 letters"
    assert classify(parse_query("transformer")) == "words / longer prefix"
    assert classify(parse_query("au:wang")) == "field (au:)"
    assert classify(parse_query("is:unread tr")) == "is:unread + words"
    assert classify(parse_query('"language model"')) == "phrase"
    assert classify(parse_query("is:unread")) == "filters only / empty"
    assert set(CLASSES) >= {classify(parse_query(t)) for t in ("a", "b c", "")}


def test_tiny_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    lines: list[str] = []
    results = run(
        Options(
            papers=300, directory=tmp_path / "bench", quick=True, startup=False, log=lines.append
        )
    )
    assert results["papers"] == 300
    assert results["fresh"]["papers"] == 100
    assert results["build"]["papers"] == 300
    assert results["fallback_during_build"]["errors"] == []
    # Every class the quick scripts touch was measured, by the index and by FTS5.
    for name in ("prefix 1-3 letters", "field (au:)", "phrase"):
        assert results["keystrokes"][name]["n"] > 0
        assert results["fts5_keystrokes"][name]["n"] > 0
    assert results["fresh"]["from_index"] is True
    assert results["more_like_this"]["n"] == 50
    assert results["for_you_50"]["saved"] == 50
    assert "for_you_500" not in results  # 300 papers: too few to save 500 of them
    assert results["watch_counts"]["watches"] == 20
    assert results["watch_counts"]["new_total"] > 0  # the refresh's papers match some watches
    assert results["watch_counts"]["news_agree"]  # the refresh's news = the full counts' new
    assert results["sort_rising"]["moved"] == 75
    text = table(results)
    assert "| prefix 1-3 letters |" in text
    assert "full index build" in text
    assert "more like this" in text and "for you, 50 saved" in text
    assert "20 watches' news after 100 new papers" in text and "sort:rising over" in text
