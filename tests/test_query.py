"""The search-box language: every syntax element, the forgiving cases, and never raising."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.query import MAX_QUERY_CHARS, STOP_WORDS, Query, is_indexed_word, parse_query


def test_words_are_lowercased_and_the_last_one_is_a_prefix_while_typing() -> None:
    q = parse_query("Attention IS all")
    assert q.words == ("attention", "is")
    assert q.prefix == "all"
    assert q.has_text


def test_trailing_whitespace_ends_the_prefix() -> None:
    q = parse_query("attention is all ")
    assert q.words == ("attention", "is", "all")
    assert q.prefix == ""


def test_trailing_punctuation_ends_the_word() -> None:
    assert parse_query("vision!").words == ("vision",)
    assert parse_query("vision!").prefix == ""


def test_punctuation_is_cut_like_the_analyzer() -> None:
    q = parse_query("GPT-4.5, (self-supervised) ")
    assert q.words == ("gpt", "4.5", "self", "supervised")
    q = parse_query("self-att")
    assert q.words == ("self",)
    assert q.prefix == "att"


def test_phrases() -> None:
    q = parse_query('"Attention is  All you need" transformer')
    assert q.phrases == ("attention is all you need",)
    assert q.words == ()
    assert q.prefix == "transformer"


def test_a_quoted_single_word_is_an_exact_word_not_a_prefix() -> None:
    q = parse_query('"bert"')
    assert q.words == ("bert",)
    assert q.prefix == ""


def test_exclusions() -> None:
    q = parse_query('diffusion -video -"large language model"')
    assert q.words == ("diffusion",)
    assert q.excluded == ("video", "large language model")
    assert q.prefix == ""  # an exclusion being typed is not a prefix to search for


def test_authors() -> None:
    q = parse_query('au:Hinton au:"Geoffrey E. Hinton" author:lecun')
    assert q.authors == ("hinton", "geoffrey e hinton", "lecun")
    assert q.has_text
    assert q.words == ()


def test_title_words() -> None:
    q = parse_query('ti:Diffusion ti:"video model"')
    assert q.title_words == ("diffusion", "video", "model")
    assert q.has_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("has:code", True), ("-has:code", False), ("HAS:Code", True), ("", None)],
)
def test_has_code(text: str, expected: bool | None) -> None:
    assert parse_query(text).has_code is expected


def test_is_flags() -> None:
    q = parse_query("is:unread is:saved")
    assert (q.unread, q.saved, q.read) == (True, True, False)
    assert parse_query("is:read").read
    assert parse_query("-is:unread").read
    assert parse_query("-is:read").unread
    assert not parse_query("is:unread").has_text


def test_year_and_dates() -> None:
    q = parse_query("year:2024 after:2024-01-15 before:2024-06-30")
    assert q.year == 2024
    assert q.after == "2024-01-15"
    assert q.before == "2024-06-30"
    assert parse_query("after:2024").after == "2024-01-01"
    assert parse_query("after:2024-03").after == "2024-03-01"
    assert parse_query("before:2024-3-5").before == "2024-03-05"


def test_filters_only_query_has_no_text() -> None:
    q = parse_query("is:unread has:code year:2023")
    assert not q.has_text
    assert q.hints == ()


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('"unclosed phrase', "unclosed quote: searched as words"),
        ("au:", "au: needs a name"),
        ("ti:", "ti: needs a word"),
        ("year:abc", "year:abc is not a year"),
        ("year:", "year: needs a year"),
        ("is:whatever", "is:whatever is not a filter (try is:unread, is:read, is:saved)"),
        ("has:pdf", "has:pdf is not a filter (try has:code, has:note, has:fulltext)"),
        ("word - other", 'a lone "-" was ignored (write -word to exclude a word)'),
        ("foo:bar", 'unknown filter "foo:" searched as words'),
        ("after:2024-13-01", "after:2024-13-01 is not a date (try after:2024-01-31)"),
        ("before:soon", "before:soon is not a date (try before:2024-01-31)"),
        ('""', "empty quotes ignored"),
        ("-au:hinton", "-au: is not supported: ignored"),
        ("-year:2020", "-year: is not supported: ignored"),
        ("is:read is:unread", "is:read and is:unread together match nothing"),
    ],
)
def test_malformed_input_gives_a_hint(text: str, hint: str) -> None:
    assert hint in parse_query(text).hints


def test_malformed_parts_do_not_lose_the_rest() -> None:
    q = parse_query('year:abc foo:bar au: transformer "unclosed ph')
    assert q.year is None
    assert q.words == ("foo", "bar", "transformer", "unclosed")
    assert q.prefix == "ph"
    assert len(q.hints) == 4


def test_unclosed_quote_after_space_has_no_prefix() -> None:
    q = parse_query('"attention is ')
    assert q.words == ("attention", "is")
    assert q.prefix == ""


def test_colon_after_digits_is_not_a_filter() -> None:
    q = parse_query("10:30 ")
    assert q.words == ("10", "30")
    assert q.hints == ()


def test_duplicates_collapse() -> None:
    assert parse_query("model model ").words == ("model",)


def test_highlight_terms() -> None:
    q = parse_query('"neural field" ti:nerf au:mildenhall fast rend')
    assert q.highlight_terms() == ("fast", "rend", "neural", "field", "nerf")


def test_empty_and_blank() -> None:
    assert parse_query("") == Query()
    assert parse_query("   \t\n") == Query()
    assert not Query().has_text


def test_very_long_input_is_cut_with_a_hint() -> None:
    q = parse_query("word " * 1000)
    assert f"query cut at {MAX_QUERY_CHARS} characters" in q.hints
    assert q.words == ("word",)


_ALPHABET = st.sampled_from(
    [
        *"abcXYZ019 -\"':.,!?()*\\\t\n",
        *("au:", "ti:", "is:", "has:", "year:", "after:", "é", "\x00", "\u202e"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=40).map("".join)))
def test_parse_query_never_raises_and_is_normalised(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q, Query)
    for word in (*q.words, q.prefix, *q.title_words):
        assert word == word.lower()
        assert " " not in word
        assert '"' not in word
    for hint in q.hints:
        assert isinstance(hint, str) and hint


def test_the_stop_words_are_whooshs_own() -> None:
    # Copied so that tui.query needs no Whoosh; the index's analyzer is built with this set.
    from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS

    assert STOP_WORDS == WHOOSH_STOP_WORDS


def test_the_index_keeps_exactly_the_words_the_parser_calls_indexed(tmp_path: Path) -> None:
    from tui.index import PaperIndex

    words = [*sorted(STOP_WORDS), "graph", "x", "on2", "tbd.x", "may"]
    for field in ("title", "abstract", "keywords"):
        analyzer = PaperIndex(tmp_path / "index").schema[field].analyzer
        kept = [token.text for token in analyzer(" ".join(words))]
        assert kept == [word for word in words if is_indexed_word(word)]


@pytest.mark.parametrize(
    ("text", "code", "note", "fulltext"),
    [
        ("has:f", None, None, True),
        ("has:fulltex", None, None, True),
        ("has:co", True, None, None),
        ("-has:n", None, False, None),
        ("has:text", None, None, True),
    ],
)
def test_a_has_filter_is_known_by_its_beginning(
    text: str, code: bool | None, note: bool | None, fulltext: bool | None
) -> None:
    # While has:fulltext is typed, every keystroke already filters (as sort:up does).
    query = parse_query(text)
    assert (query.has_code, query.has_note, query.has_fulltext) == (code, note, fulltext)
    assert query.hints == ()
