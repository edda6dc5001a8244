"""tui.text: the sanitizer every piece of feed text passes before it is stored or shown."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.text import (
    ABSTRACT_MAX,
    FIELD_MAX,
    TITLE_MAX,
    TRUNCATED_MARK,
    clean_block,
    clean_inline,
    clean_latex,
)

BIDI_AND_ZERO_WIDTH = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff"
)


def forbidden(text: str, *, newline_ok: bool) -> list[str]:
    """Characters the terminal could act on, or that disguise text."""
    return [
        char
        for char in text
        if (unicodedata.category(char) in ("Cc", "Cs") and not (newline_ok and char == "\n"))
        or char in BIDI_AND_ZERO_WIDTH
    ]


# --- escape sequences and controls ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Paper\x1b]0;pwned title\x07 Title", "Paper Title"),  # OSC 0: retitles the window
        ("Paper\x1b]52;c;ZXZpbA==\x07 Title", "Paper Title"),  # OSC 52: writes the clipboard
        ("Paper\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\", "Paperlink"),  # OSC 8 with ST
        ("\x1b[2JPaper Title", "Paper Title"),  # CSI: clears the screen
        ("Paper \x1b[1;31mred\x1b[0m Title", "Paper red Title"),
        ("Paper \x9b2J\x9b31mTitle", "Paper Title"),  # 8-bit C1 CSI
        ("Paper \x9d0;title\x9c Title", "Paper Title"),  # 8-bit C1 OSC and ST
        ("Paper &#27;]0;x&#7; Title", "Paper Title"),  # the same, as HTML entities
        ("Paper &#x1B;[2J&#x1b;]52;c;ZXZpbA==&#x07; Title", "Paper Title"),
        ("Paper &amp;#27;]0;x&amp;#7; Title", "Paper Title"),  # double-escaped
        ("Paper \x1bc Title", "Paper Title"),  # ESC c: full terminal reset
        ("A\x00B\x08C\x7fD\x8dE", "ABCDE"),  # NUL, backspace, DEL, C1 reverse line feed
    ],
)
def test_terminal_sequences_are_removed_whole(raw: str, expected: str) -> None:
    assert clean_inline(raw) == expected
    assert clean_block(raw) == expected


def test_unterminated_osc_loses_its_introducer_but_keeps_the_text() -> None:
    # Without BEL/ST we cannot know where the payload ends; the rest of the abstract must not
    # vanish, and what remains can no longer do anything.
    cleaned = clean_block("Before \x1b]0;not closed. The rest of the abstract.")
    assert cleaned == "Before 0;not closed. The rest of the abstract."


def test_bidi_overrides_and_zero_width_characters_are_removed() -> None:
    raw = "evil\u202egnp.exe in\u200bvis\u200cible\u200d\u2060\ufeff \u2066iso\u2069 \u200e\u061c"
    assert clean_inline(raw) == "evilgnp.exe invisible iso"


def test_entities_are_decoded() -> None:
    assert clean_inline("Fast &amp; Slow &lt;b&gt; caf&eacute; &#8211; &#150;") == (
        "Fast & Slow <b> café – –"
    )


def test_numeric_references_to_printable_characters_are_not_mistaken_for_controls() -> None:
    # &#x1b5; is "Ƶ", not ESC followed by "5;".
    assert clean_inline("&#x1b5; &#1234; &#279;") == "Ƶ Ӓ ė"


def test_tabs_and_newlines_become_single_spaces_inline() -> None:
    assert clean_inline("  a\tb\r\n c\u2028d\u00a0\u00a0e  ") == "a b c d e"


# --- markup-looking text is kept exactly ----------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "[@click=app.quit]x[/]",
        "[link=file:///etc/passwd]click[/link]",
        "[/bold]",
        "[/]",
        "The [CLS] token",
        "[Re] Reproducing a paper",
        "Arrays [i][j] and $x_{[0]}$ \\[ math \\]",
    ],
)
def test_square_brackets_are_never_touched(title: str) -> None:
    assert clean_inline(title) == title
    assert clean_block(title) == title


# --- whitespace and paragraphs --------------------------------------------------------------


def test_hard_wrapped_title_is_joined() -> None:
    assert clean_inline("Scaling for\n  Contrastive Loss") == "Scaling for Contrastive Loss"


def test_clean_block_joins_hard_wraps_and_keeps_paragraphs() -> None:
    raw = (
        "  First paragraph is\n  hard wrapped\tacross lines.\r\n"
        "\r\n   \n"
        "Second paragraph\nhere.\n\n\n\nThird.\u2029Fourth.  \n"
    )
    assert clean_block(raw) == (
        "First paragraph is hard wrapped across lines.\n\n"
        "Second paragraph here.\n\nThird.\n\nFourth."
    )


def test_clean_block_keeps_no_empty_paragraph_made_of_removed_characters() -> None:
    assert clean_block("One.\n\n\x1b[2J\u200b\n\nTwo.") == "One.\n\nTwo."


# --- size caps ------------------------------------------------------------------------------


def test_huge_title_is_capped_with_a_visible_mark() -> None:
    title = "Attention " * 100_000  # ~1 MB
    cleaned = clean_inline(title, TITLE_MAX)
    assert len(cleaned) <= TITLE_MAX
    assert cleaned.endswith(TRUNCATED_MARK)
    assert cleaned.startswith("Attention Attention")


def test_huge_abstract_is_capped_with_a_visible_mark() -> None:
    abstract = ("word " * 20 + "\n\n") * 20_000  # ~2 MB of paragraphs
    cleaned = clean_block(abstract)
    assert len(cleaned) <= ABSTRACT_MAX
    assert cleaned.endswith(TRUNCATED_MARK)


def test_text_that_only_shrinks_below_the_cap_is_not_marked() -> None:
    # 3000 characters of escape sequences around a short title: nothing visible was lost.
    raw = "\x1b[0m" * 750 + "Short title"
    assert clean_inline(raw, TITLE_MAX) == "Short title"


def test_text_exactly_at_the_cap_is_kept_whole() -> None:
    assert clean_inline("x" * FIELD_MAX) == "x" * FIELD_MAX
    assert clean_inline("x" * (FIELD_MAX + 1)).endswith(TRUNCATED_MARK)


def test_a_cap_smaller_than_the_mark_still_holds() -> None:
    assert clean_inline("abcdefghijklmnopqrstuvwxyz", 5) == "abcde"
    assert clean_inline("abc", 0) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (42, "42"), (2.5, "2.5"), (True, ""), (["a"], ""), (b"caf\xc3\xa9", "café")],
)
def test_non_text_values(value: object, expected: str) -> None:
    assert clean_inline(value) == expected
    assert clean_block(value) == expected


# --- LaTeX leftovers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("improves by over 10\\% relative", "improves by over 10% relative"),
        ("preserves sim95\\% GLUE score", "preserves sim95% GLUE score"),
        ("costs \\$5 \\& more \\#1 a\\_b", "costs $5 & more #1 a_b"),
        (
            "\\textbf{bold} and \\emph{stress} and \\textit{it} \\texttt{mono}",
            "bold and stress and it mono",
        ),
        ("\\textbf{\\emph{nested}}", "nested"),
        ("code at \\url{https://github.com/a/b}", "code at https://github.com/a/b"),
        ("about $\\sim$50$\\times$ faster", "about ~50× faster"),
        (
            'the G\\"odel machine, Nystr\\"{o}m method, Erd\\H{o}s',
            "the Gödel machine, Nyström method, Erdős",
        ),
        ("Fran\\c{c}ois and {\\'e}t{\\'e}", "François and été"),
    ],
)
def test_clean_latex_fixes_leftovers(raw: str, expected: str) -> None:
    assert clean_latex(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "$\\alpha$-divergence with $O(n \\log n)$",
        "an unknown \\command{arg} stays",
        "it\\'s not an accent",
        "sim50times",
        "a line break \\\\% then a comment",
        "\\textbf{unclosed",
    ],
)
def test_clean_latex_leaves_what_it_does_not_understand(raw: str) -> None:
    assert clean_latex(raw) == raw


# --- properties -----------------------------------------------------------------------------

# Random text rarely builds an escape sequence or an entity; mixing in the pieces they are made
# of lets the property tests reach the interesting cases.
_PIECES = [
    *"&#;amp27xX1bB[]0\\ \n\t\r<>.:/",
    "\x1b",
    "\x07",
    "\x9b",
    "\x9c",
    "\x9d",
    "\x00",
    "\u202e",
    "\u200b",
    "\u2029",
    "&#27;",
    "&amp;",
    "&#x1b;",
    "&#10;",
    "&#9;",
    "\x1b]",
    "\x1b[",
    "\\%",
    "\\textbf{",
    "}",
    "$\\sim$",
    '\\"o',
]
hostile_text = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES)).map("".join))


@settings(max_examples=200, deadline=None)
@given(hostile_text, st.integers(min_value=0, max_value=80))
def test_clean_inline_properties(raw: str, max_len: int) -> None:
    for limit in (max_len, FIELD_MAX):
        cleaned = clean_inline(raw, limit)
        assert len(cleaned) <= limit
        assert forbidden(cleaned, newline_ok=False) == []
        assert "\t" not in cleaned
        assert cleaned == cleaned.strip()
        assert clean_inline(cleaned, limit) == cleaned
        # LaTeX cleanup after sanitizing keeps every guarantee.
        latex = clean_latex(cleaned)
        assert len(latex) <= limit
        assert forbidden(latex, newline_ok=False) == []


@settings(max_examples=200, deadline=None)
@given(hostile_text, st.integers(min_value=0, max_value=80))
def test_clean_block_properties(raw: str, max_len: int) -> None:
    for limit in (max_len, ABSTRACT_MAX):
        cleaned = clean_block(raw, limit)
        assert len(cleaned) <= limit
        assert forbidden(cleaned, newline_ok=True) == []
        assert "\t" not in cleaned
        assert "\n\n\n" not in cleaned
        assert clean_block(cleaned, limit) == cleaned
