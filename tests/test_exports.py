"""Each export format, on real-looking papers and on hostile text: a title with newlines,
braces, quotes, control characters or a spreadsheet formula must not break the file's
structure, forge a record, or run in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.exports import CSV_COLUMNS, EXPORT_FORMATS, SUFFIXES, export_entries
from tui.model import Entry, Paper

RTUNING = Paper(
    id="2311.09677",
    title="R-Tuning: Teaching Large Language Models to Refuse Unknown Questions",
    authors=("Hanning Zhang", "Shizhe Diao"),
    abstract="Large language models (LLMs) have revolutionized numerous domains.",
    published="2023-11-16",
    arxiv_id="2311.09677",
    url="https://huggingface.co/papers/2311.09677",
    code_url="https://github.com/shizhediao/R-Tuning",
    categories=("cs.CL",),
    upvotes=12,
)
BLOG = Paper(id="h:abc", title="A blog post", url="https://example.org/post")
# What a hostile feed could put in a title if the stored text were not already sanitized:
# newlines that would start a new RIS tag or CSV row, braces, quotes, ESC sequences, NUL.
HOSTILE_TITLE = (
    'Evil\nER  - \r\nTY  - JOUR "quoted" {brace} }unbalanced\x1b[31m\x00 [x](javascript:y) # h'
)
HOSTILE = Paper(
    id="h:evil",
    title=HOSTILE_TITLE,
    authors=('=HYPERLINK("http://evil")', "Mallory\nAU  - Forged, Author"),
    abstract="line one\nER  - \nline two",
    published="2024-01-02",
    url="https://example.org/evil",
    code_url="javascript:alert(1)",
)
ENTRIES = [Entry(RTUNING, read=True, saved=True), Entry(BLOG, False, False)]


def test_every_format_has_a_suffix_and_writes() -> None:
    for fmt in EXPORT_FORMATS:
        assert SUFFIXES[fmt]
        assert export_entries(ENTRIES, fmt).endswith("\n")
    with pytest.raises(ValueError, match="unknown export format"):
        export_entries(ENTRIES, "docx")


def test_ris_records() -> None:
    text = export_entries(ENTRIES, "ris")
    records = text.split("ER  - \r\n")
    assert records[-1] == ""
    first = records[0].split("\r\n")
    assert first[0] == "TY  - JOUR"
    assert "AU  - Zhang, Hanning" in first and "AU  - Diao, Shizhe" in first
    assert "PY  - 2023" in first and "DA  - 2023/11/16" in first
    assert "JO  - arXiv preprint arXiv:2311.09677" in first
    assert "UR  - https://huggingface.co/papers/2311.09677" in first
    assert "L1  - https://arxiv.org/pdf/2311.09677" in first
    assert "KW  - cs.CL" in first
    assert records[1].startswith("TY  - GEN\r\nTI  - A blog post\r\n")


def test_ris_hostile_text_cannot_forge_tags() -> None:
    text = export_entries([Entry(HOSTILE, False, False)], "ris")
    lines = text.split("\r\n")
    tags = [line[:6] for line in lines if line]
    assert tags.count("TY  - ") == 1 and tags.count("ER  - ") == 1
    assert lines[-2] == "ER  - "
    # Every line is one tag: nothing a title says starts a line of its own.
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in lines if line)
    assert "\x1b" not in text and "\x00" not in text
    assert [line for line in lines if line.startswith("AU")] == [
        'AU  - =HYPERLINK("http://evil")',
        "AU  - Mallory AU - Forged, Author",  # the newline is gone: no forged author
    ]
    assert "javascript:alert" not in text  # the unsafe code link is left out


def test_csv_columns_and_rows() -> None:
    rows = list(csv.reader(io.StringIO(export_entries(ENTRIES, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["id"] == "2311.09677"
    assert first["authors"] == "Hanning Zhang; Shizhe Diao"
    assert first["pdf"] == "https://arxiv.org/pdf/2311.09677"
    assert first["code"] == "https://github.com/shizhediao/R-Tuning"
    assert (first["read"], first["saved"], first["upvotes"]) == ("true", "true", "12")
    assert len(rows) == 3


def test_csv_is_safe_from_formulas_and_newlines() -> None:
    formulas = Paper(id="=1+1", title="-2+3", authors=("@SUM(A1)", "+cmd"), published="2024")
    text = export_entries([Entry(HOSTILE, False, False), Entry(formulas, False, False)], "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # a newline in a title never starts a row
    hostile = dict(zip(rows[0], rows[1], strict=True))
    assert hostile["authors"].startswith("'=HYPERLINK")
    assert "\n" not in hostile["title"] and "\x1b" not in hostile["title"]
    assert hostile["code"] == ""  # javascript: is not a link
    cells = dict(zip(rows[0], rows[2], strict=True))
    assert cells["id"] == "'=1+1" and cells["title"] == "'-2+3"
    assert cells["authors"] == "'@SUM(A1); +cmd"
    for row in rows[1:]:
        assert not any(cell[:1] in "=+-@" for cell in row if cell)


def test_json_is_the_search_json_shape() -> None:
    papers = json.loads(export_entries(ENTRIES, "json"))
    assert [p["id"] for p in papers] == ["2311.09677", "h:abc"]
    assert papers[0]["code_url"] == "https://github.com/shizhediao/R-Tuning"
    assert papers[0]["read"] is True
    hostile = json.loads(export_entries([Entry(HOSTILE, False, False)], "json"))[0]
    assert hostile["title"] == HOSTILE_TITLE  # JSON escapes it: the reader gets the exact text


def test_markdown_is_a_readable_list() -> None:
    text = export_entries(ENTRIES, "markdown")
    assert text.splitlines()[0] == (
        "- [R-Tuning: Teaching Large Language Models to Refuse Unknown Questions]"
        "(https://huggingface.co/papers/2311.09677)"
    )
    assert "  Hanning Zhang, Shizhe Diao · 2023-11-16 · arXiv:2311.09677" in text
    assert "[code](https://github.com/shizhediao/R-Tuning)" in text
    assert "- [A blog post](https://example.org/post)" in text


def test_markdown_hostile_title_stays_one_item_of_text() -> None:
    text = export_entries([Entry(HOSTILE, False, False)], "markdown")
    first = text.splitlines()[0]
    assert first.startswith("- [Evil ER - TY - JOUR")
    assert first.endswith("](https://example.org/evil)")
    assert "\\[x\\](javascript:y)" in first and "\\# h" in first  # no link, no heading
    assert "javascript:alert" not in text and "\x1b" not in text
    assert text.count("\n- ") == 0  # one item


def test_bibtex_entries_are_separated() -> None:
    text = export_entries(ENTRIES, "bibtex")
    assert text.count("@misc{") == 2
    assert "\n\n@misc{" in text
