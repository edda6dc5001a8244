"""tui.bibtex: entries that paste into a .bib file and compile."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SEED
from tui.bibtex import bibtex_key, to_bibtex
from tui.model import Paper

KEY = re.compile(r"^[a-z0-9]+$")


def parse_entry(entry: str) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields) of one entry, read the way BibTeX reads it: every brace counts,
    escaped or not, so an unbalanced field would swallow the rest of the entry and fail here."""
    header = re.match(r"@(\w+)\{([^,\s{}]+),\n", entry)
    assert header, entry
    fields: dict[str, str] = {}
    position = header.end()
    field = re.compile(r"  (\w+) = \{")
    while entry[position] != "}":
        start = field.match(entry, position)
        assert start, entry[position:]
        depth, index = 1, start.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(entry[index], 0)
            index += 1
        fields[start.group(1)] = entry[start.end() : index - 1]
        assert entry[index : index + 2] == ",\n", entry[index:]
        position = index + 2
    assert entry[position:] == "}\n"
    return header.group(1), header.group(2), fields


def seed_paper(arxiv_id: str) -> Paper:
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        if item["arxiv_id"] == arxiv_id:
            return Paper(
                id=item["arxiv_id"],
                arxiv_id=item["arxiv_id"],
                title=item["title"],
                authors=tuple(item["authors"]),
                published=item["published"] or "",
                categories=("cs.CL", "cs.AI"),
            )
    raise LookupError(arxiv_id)


def test_seed_paper_gives_a_complete_entry() -> None:
    entry = to_bibtex(seed_paper("2311.09677"))
    kind, key, fields = parse_entry(entry)
    assert kind == "misc"
    assert key == "zhang2023rtuning"
    assert fields["title"] == (
        "{R-Tuning:} Teaching Large Language Models to Refuse Unknown Questions"
    )
    assert fields["author"] == (
        "Hanning Zhang and Shizhe Diao and Yong Lin and Yi R. Fung and Qing Lian and "
        "Xingyao Wang and Yangyi Chen and Heng Ji and Tong Zhang"
    )
    assert fields["year"] == "2023"
    assert fields["eprint"] == "2311.09677"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "cs.CL"
    assert fields["url"] == "https://arxiv.org/abs/2311.09677"


def test_every_seed_paper_gives_a_parseable_entry() -> None:
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        paper = seed_paper(item["arxiv_id"])
        _, key, fields = parse_entry(to_bibtex(paper))
        assert KEY.match(key), key
        assert fields["eprint"] == item["arxiv_id"]
        assert fields["author"].count(" and ") == len(item["authors"]) - 1
        assert ("year" in fields) == bool(item["published"])


def test_acronyms_and_capitals_are_protected() -> None:
    paper = Paper(id="x", title="MetaGPT: Meta Programming for LLMs and iPhone", published="2023")
    _, _, fields = parse_entry(to_bibtex(paper))
    assert fields["title"] == "{MetaGPT:} Meta Programming for {LLMs} and {iPhone}"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("100% of {graphs} & $5 for #1 in a_b", r"100\% of \{graphs\} \& \$5 for \#1 in a\_b"),
        # An unpaired brace cannot be written `\{`: BibTeX would count it.
        ("Set } notation {", r"Set \textbraceright{} notation \textbraceleft{}"),
        ("x ~ y ^ z \\ w", r"x \textasciitilde{} y \textasciicircum{} z \textbackslash{} w"),
        ("Improves by 10\\% over \\textbf{SOTA}", r"Improves by 10\% over {SOTA}"),
    ],
)
def test_title_specials_are_escaped(title: str, expected: str) -> None:
    _, _, fields = parse_entry(to_bibtex(Paper(id="x", title=title)))
    assert fields["title"] == expected


def test_author_specials_and_organisations() -> None:
    paper = Paper(
        id="x",
        title="Report",
        authors=("Research and Development Team", "A. {Odd} Name_1 & Co"),
    )
    _, _, fields = parse_entry(to_bibtex(paper))
    assert fields["author"] == (
        r"{Research and Development Team} and A. \textbraceleft{}Odd\textbraceright{} "
        r"Name\_1 \& Co"
    )


@pytest.mark.parametrize(
    ("authors", "published", "title", "key"),
    [
        (
            ("Ashish Vaswani", "Noam Shazeer"),
            "2017-06-12",
            "Attention Is All You Need",
            "vaswani2017attention",
        ),
        (("Michał P. Karpowicz",), "", "A theory of meta-factorization", "karpowicztheory"),
        (("Ahmet Üstün",), "2023-09-11", "Pushing Mixture of Experts", "ustun2023pushing"),
        (("Charles-Étienne Joseph",), "2024-05-31", "μLO: Compute-Efficient", "joseph2024mlo"),
        (("Łukasz Kaiser",), "2017", "The Ødegaard Straße", "kaiser2017odegaard"),
        (("Vaswani, Ashish",), "2017", "On the Attention", "vaswani2017attention"),
        (("Martin Luther King Jr.",), "1963", "A Dream", "king1963dream"),
        # Transliterated (anyascii), not dropped: a Chinese name keeps a readable key.
        (("张三",), "2024", "大模型", "zhangsan2024damoxing"),
        ((), "", "", "paper"),
    ],
)
def test_keys_are_ascii(authors: tuple[str, ...], published: str, title: str, key: str) -> None:
    paper = Paper(id="x", title=title, authors=authors, published=published)
    assert bibtex_key(paper) == key
    assert KEY.match(bibtex_key(paper))


def test_paper_without_arxiv_id_or_date_is_still_valid() -> None:
    paper = Paper(
        id="h:0123456789abcdef",
        title="A Blog Post About Mixture-of-Experts",
        authors=("Jane Doe",),
        url="https://example.org/posts/moe?x={1}",
    )
    entry = to_bibtex(paper)
    kind, key, fields = parse_entry(entry)
    assert (kind, key) == ("misc", "doeblog")
    assert fields == {
        "title": "A Blog Post About {Mixture-of-Experts}",
        "author": "Jane Doe",
        "url": "https://example.org/posts/moe?x=%7B1%7D",
    }


def test_unsafe_url_is_left_out() -> None:
    paper = Paper(id="x", title="T", url="javascript:alert(1)")
    _, _, fields = parse_entry(to_bibtex(paper))
    assert "url" not in fields


def test_hostile_text_cannot_break_out_of_the_entry() -> None:
    paper = Paper(
        id="x",
        title="}},\n  note = {injected}, @misc{evil,\x1b]0;t\x07",
        authors=("}} and {",),
        arxiv_id="2311.09677",
        categories=("cs.LG}",),
    )
    _, _, fields = parse_entry(to_bibtex(paper))
    assert set(fields) == {"title", "author", "eprint", "archivePrefix", "primaryClass", "url"}
    assert "\x1b" not in fields["title"]


@pytest.mark.parametrize(
    ("author", "key"),
    [
        # Real authors' names as feeds carry them, in their own scripts.
        ("Slavoj Žižek", "zizek2024sense"),
        ("李飞飞", "lifeifei2024sense"),  # Fei-Fei Li: surname first, one word in Chinese
        ("Дмитрий Ветров", "vetrov2024sense"),  # Dmitry Vetrov
        ("Дмитрий", "dmitriy2024sense"),
        ("Αλέξανδρος Δημάκης", "dimakis2024sense"),  # Alexandros Dimakis
        ("김윤", "gimyun2024sense"),  # Yoon Kim (Revised Romanization of 김: Gim)
        ("Nguyễn Thị Minh Khai", "khai2024sense"),
    ],
)
def test_keys_of_non_latin_names_are_transliterated(author: str, key: str) -> None:
    paper = Paper(id="x", title="Sense of Scripts", authors=(author,), published="2024")
    assert bibtex_key(paper) == key
    # The entry keeps the name as written: only the key is ASCII.
    _, parsed_key, fields = parse_entry(to_bibtex(paper))
    assert parsed_key == key
    assert fields["author"] == author


def test_a_transliterated_key_part_is_cut_to_a_typeable_length() -> None:
    title = "深度学习与大规模语言模型的可解释性研究综述"
    key = bibtex_key(Paper(id="x", title=title, authors=("王",), published="2024"))
    assert key.startswith("wang2024")
    assert len(key) <= len("wang2024") + 24
