"""More like this (`Library.similar`, `feedtui similar`) and for you (`Library.recommend`,
`feedtui recommend`): ranked by shared tf-idf key terms of title and abstract, each answer with
the terms that explain it, which must be terms of both sides."""

from __future__ import annotations

import json
import shutil

import pytest

from tui.cli import main
from tui.library import Library
from tui.model import Paper, SearchCancelled
from tui.paths import default_paths
from tui.query import STOP_WORDS, TOKEN_RE
from tui.store import StoreError

ORIGINAL = "2311.09677"  # R-Tuning, in the bundled sample


def words(paper: Paper) -> set[str]:
    """The words of a paper's title and abstract as the index cuts them (independently of the
    code under test: the analyzer is tui.query's token pattern, lower-cased)."""
    text = f"{paper.title} {paper.abstract}"
    return {token.lower() for token in TOKEN_RE.findall(text)} - STOP_WORDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library() -> Library:
    lib = Library.open()
    lib.ensure_index()
    yield lib
    lib.close()


def paper_of(library: Library, paper_id: str) -> Paper:
    entry = library.get(paper_id)
    assert entry is not None
    return entry.paper


def add_near_duplicate(library: Library) -> Paper:
    original = paper_of(library, ORIGINAL)
    twin = Paper(
        id="2601.09999",
        title=original.title.replace("R-Tuning", "R-Tuning v2:") + " Revisited",
        abstract=original.abstract,
        published="2026-01-02",
    )
    library.import_papers([twin], "test")
    assert library.index_ready
    return twin


# Topic X: papers about axolotl limb regeneration, in words no sample paper uses.
TOPIC = [
    "axolotl limb regeneration from the blastema",
    "blastema cells guide axolotl regeneration of the salamander limb",
    "salamander regeneration: axolotl blastema signalling",
    "limb regrowth in the axolotl and other salamander species",
    "axolotl blastema formation after amputation",
    "regeneration of salamander tissue: the axolotl blastema",
    "amputation, blastema and limb regrowth in salamander larvae",
]


def add_topic(library: Library) -> list[str]:
    papers = [
        Paper(
            id=f"2602.{1000 + n}",
            title=title.capitalize(),
            abstract=f"We study {title}. The salamander axolotl shows how a limb regrows "
            f"after amputation through a blastema (case {n}).",
            published=f"2026-02-{n + 1:02d}",
        )
        for n, title in enumerate(TOPIC)
    ]
    library.import_papers(papers, "test")
    assert library.index_ready
    return [p.id for p in papers]


# -- more like this ------------------------------------------------------------------------


def test_a_near_duplicate_ranks_first_with_terms_of_both(library: Library) -> None:
    twin = add_near_duplicate(library)
    found = library.similar(ORIGINAL, 10)
    assert found[0].id == twin.id
    original = paper_of(library, ORIGINAL)
    assert found[0].because
    for related in found:
        other = paper_of(library, related.id)
        assert related.because, related
        assert set(related.because) <= words(original) & words(other), related
    # And the other way round: the original is the twin's nearest paper.
    assert library.similar(twin.id, 1)[0].id == ORIGINAL


def test_similar_never_answers_the_paper_itself_and_respects_the_limit(library: Library) -> None:
    for paper_id in library.search("").ids:
        found = library.similar(paper_id, 5)
        assert len(found) <= 5
        assert paper_id not in {r.id for r in found}
        assert len({r.id for r in found}) == len(found)
        scores = [r.score for r in found]
        assert scores == sorted(scores, reverse=True)
        mine = words(paper_of(library, paper_id))
        for related in found:
            assert 0 < len(related.because) <= 4
            assert set(related.because) <= mine & words(paper_of(library, related.id))


def test_key_terms_weigh_rare_words_over_common_ones(library: Library) -> None:
    # "models" is in many sample abstracts, "quokkaish" in these two papers only.
    pair = [
        Paper(id=f"2603.0000{n}", title=f"Paper {n}", abstract="Quokkaish models of marsupials.")
        for n in (1, 2)
    ]
    library.import_papers(pair, "test")
    weights = library.index.key_terms([pair[0]])
    assert set(weights) <= words(pair[0])
    assert weights["quokkaish"] > weights.get("models", 0.0)
    assert library.similar(pair[0].id, 1)[0].id == pair[1].id


def test_similar_of_an_unknown_paper_is_a_clear_error(library: Library) -> None:
    with pytest.raises(StoreError, match="no paper"):
        library.similar("9999.99999")


def test_similar_can_be_cancelled(library: Library) -> None:
    with pytest.raises(SearchCancelled):
        library.similar(ORIGINAL, cancelled=lambda: True)


# -- for you -------------------------------------------------------------------------------


def test_recommend_with_nothing_saved_is_empty(library: Library) -> None:
    assert library.recommend() == []


def test_recommend_ranks_unread_papers_on_the_saved_topic_first(library: Library) -> None:
    topic = add_topic(library)
    saved = [*topic[:3], ORIGINAL]  # three on the topic, one unrelated sample paper
    read = topic[3]
    for paper_id in saved:
        library.set_saved(paper_id, True)
    library.set_read(read, True)
    unread_on_topic = set(topic[4:])
    found = library.recommend(len(unread_on_topic))
    assert {r.id for r in found} == unread_on_topic
    everything = library.recommend(200)
    assert not {r.id for r in everything} & {*saved, read}
    profile = set().union(*(words(paper_of(library, i)) for i in saved))
    for related in everything:
        assert related.because, related
        assert set(related.because) <= words(paper_of(library, related.id)) & profile
    # Read papers drop out; unread ones come back when unmarked.
    library.set_read(topic[4], True)
    assert topic[4] not in {r.id for r in library.recommend(200)}
    # The saved papers' profile follows the saved set.
    library.set_marks(dict.fromkeys(topic[:3], False), "saved")
    assert not {r.id for r in library.recommend(3)} & set(topic)
    library.set_saved(ORIGINAL, False)
    assert library.recommend() == []


# -- the command line ----------------------------------------------------------------------


def test_cli_similar_prints_tab_separated_lines_with_because(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A fresh home: the index is not built yet, so the command builds it first.
    code, out, _ = run(capsys, "similar", f"{ORIGINAL}v2", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert 0 < len(lines) <= 3
    for line in lines:
        columns = line.split("\t")
        assert len(columns) == 5
        assert columns[0] != ORIGINAL
        assert columns[4].startswith("because: ") and len(columns[4]) > len("because: ")


def test_cli_similar_json_is_search_json_plus_because(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "language", "--json", "--limit", "1")
    assert code == 0
    search_keys = set(json.loads(out)[0])
    code, out, _ = run(capsys, "similar", f"https://arxiv.org/abs/{ORIGINAL}", "--json")
    assert code == 0
    papers = json.loads(out)
    assert 0 < len(papers) <= 20
    for paper in papers:
        assert set(paper) == search_keys | {"because"}
        assert paper["because"] and all(isinstance(t, str) for t in paper["because"])
        assert paper["id"] != ORIGINAL
    code, out, _ = run(capsys, "similar", ORIGINAL, "--json", "--limit", "2")
    assert len(json.loads(out)) == 2


def test_cli_similar_rebuilds_a_missing_index(capsys: pytest.CaptureFixture[str]) -> None:
    lib = Library.open()
    lib.ensure_index()
    lib.close()
    shutil.rmtree(default_paths().index_dir)
    code, out, _ = run(capsys, "similar", ORIGINAL, "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2
    lib = Library.open()
    assert lib.index_ready
    lib.close()


def test_cli_similar_unknown_id_is_one_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "similar", "9999.99999")
    assert code == 1
    assert out == ""
    assert err == "feedtui: no paper '9999.99999' in the library\n"


def test_cli_recommend_with_nothing_saved_says_how_to_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "recommend")
    assert code == 0
    assert out == ""
    assert err.startswith("feedtui: nothing saved yet") and "--saved" in err
    code, out, err = run(capsys, "recommend", "--json")
    assert (code, json.loads(out)) == (0, [])
    assert "nothing saved yet" in err


def test_cli_recommend_lists_unread_papers_like_the_saved(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lib = Library.open()
    topic = add_topic(lib)
    lib.close()
    for paper_id in topic[:3]:
        assert run(capsys, "mark", paper_id, "--saved")[0] == 0
    code, out, _ = run(capsys, "recommend", "--limit", "4")
    assert code == 0
    ids = [line.split("\t")[0] for line in out.splitlines()]
    assert ids == [*ids[:4]] and set(ids) == set(topic[3:])
    code, out, _ = run(capsys, "recommend", "--json", "--limit", "2")
    papers = json.loads(out)
    assert len(papers) == 2
    assert all(p["because"] and not p["saved"] and not p["read"] for p in papers)
