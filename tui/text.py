"""Sanitizing untrusted feed text, once, at the door.

Titles, abstracts and author names come from the network. Before they reach the store (and from
there the terminal) they pass through `clean_inline` or `clean_block`, which remove everything
a terminal could act on (escape sequences, other control characters), everything that could
disguise text (bidi overrides, zero-width characters), collapse whitespace and cap the size.

Square brackets and every other printable character are kept exactly: the UI renders this text
as plain text, never as markup, so `The [CLS] token` must survive untouched.

Both cleaners are idempotent (cleaning twice gives the same result as cleaning once), so text
that was cleaned at ingest can safely be cleaned again anywhere.
"""

from __future__ import annotations

import html
import re
import unicodedata

TITLE_MAX = 1_000
ABSTRACT_MAX = 50_000
FIELD_MAX = 2_000
TRUNCATED_MARK = " … [truncated]"

# Input longer than this many times max_len is cut before cleaning: cleaning only ever
# shrinks text, and a hostile 100 MB field must not cost 100 MB of regex work. The slack
# leaves room for escape sequences and entities that clean away to nothing.
_RAW_CAP_FACTOR = 8
_RAW_CAP_SLACK = 4_096

# Decoding entities can reveal new entities (`&amp;#27;` -> `&#27;` -> ESC). We decode until
# nothing changes, but a hostile `&amp;amp;amp;...` chain would make that quadratic, so after
# this many rounds the remaining ampersands are dropped instead.
_MAX_DECODE_ROUNDS = 6

# Numeric references to C0 controls and DEL. html.unescape turns `&#27;` into "" (it follows
# the HTML spec), which would leave the rest of an escape sequence (`]0;title`) behind as text.
# Decoding them to the real control first lets the escape-sequence rule remove the whole
# sequence. 0x80-0x9F are left to html.unescape, which maps them to cp1252 like browsers do.
_C0_CHARREF = re.compile(r"&#(?:0*(\d{1,3})(?!\d)|[xX]0*([0-9a-fA-F]{1,2})(?![0-9a-fA-F]));?")

# Terminal escape sequences, removed whole (ECMA-48):
#  - string sequences: OSC (ESC ] / 0x9D), DCS (ESC P / 0x90), SOS (ESC X / 0x98),
#    PM (ESC ^ / 0x9E), APC (ESC _ / 0x9F), with their payload up to BEL or ST (ESC \ / 0x9C).
#    An unterminated one is not removed whole: its introducer goes and the payload stays as
#    harmless text, rather than swallowing the rest of an abstract.
#  - CSI (ESC [ / 0x9B) with parameters, intermediates and final byte;
#  - any other ESC with optional intermediates and a final byte.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)

# Everything else that must not survive: C0/C1 controls and DEL, lone surrogates (they cannot
# be encoded for the terminal), bidi controls, zero-width characters.
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_CONTROLS_EXCEPT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _BIDI + _ZERO_WIDTH + "]"
)

# Line and paragraph separators, normalised before controls are removed.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028]")
_PARAGRAPH_SEPARATOR = "\u2029"
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_WHITESPACE = re.compile(r"\s+")


def clean_inline(value: object, max_len: int = FIELD_MAX) -> str:
    """One line of display-safe text: entities decoded, escape sequences and every control
    character removed, bidi and zero-width characters removed, whitespace runs collapsed to one
    space, stripped, and capped at ``max_len`` with `TRUNCATED_MARK`.

    None and other non-text values give ""; numbers give their decimal form."""
    text, cut = _prepare(value, max_len)
    text = _collapse(_decode_and_strip(text, keep_newlines=False))
    return _cap(text, max_len, cut)


def clean_block(value: object, max_len: int = ABSTRACT_MAX) -> str:
    """Like `clean_inline`, but keeps paragraphs: hard wraps inside a paragraph are joined into
    one line, and blank-line separated paragraphs are kept, joined by a blank line ("\\n\\n")."""
    text, cut = _prepare(value, max_len)
    text = _decode_and_strip(text, keep_newlines=True)
    paragraphs = (_collapse(part) for part in _BLANK_LINE.split(text))
    text = "\n\n".join(part for part in paragraphs if part)
    return _cap(text, max_len, cut)


def clean_lines(value: object, max_lines: int, max_len: int = FIELD_MAX) -> tuple[list[str], bool]:
    """The first ``max_lines`` lines of a text as written (indentation, blank lines, Markdown
    marks kept: the user's own note), each display-safe: escape sequences and control
    characters removed, tabs as spaces, each line capped at ``max_len``. Entities are not
    decoded: what the user typed is shown. Also whether lines were left out."""
    text, _cut = _prepare(value, max_len * max(max_lines, 0))
    lines = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n").split("\n")
    shown = [
        _cap(_strip_controls(line.expandtabs(4)).rstrip(), max_len, False)
        for line in lines[:max_lines]
    ]
    return shown, len(lines) > max_lines or _cut


DOCUMENT_MAX = 2_000_000
# Characters a document keeps that the other cleaners turn into spaces.
_DOCUMENT_TAB = "    "


def clean_document(value: object, max_len: int = DOCUMENT_MAX) -> str:
    """A long multi-line text whose layout matters (a paper's Markdown): escape sequences and
    control, bidi and zero-width characters removed as in `clean_block`, but every line break
    and indentation kept (tabs become four spaces), entities left for the Markdown parser,
    except numeric references to C0 controls, which are removed (so that a parser cannot decode
    them back into an escape). Bytes are decoded as UTF-8 with replacement characters.
    Capped at ``max_len`` with `TRUNCATED_MARK`."""
    text, cut = _prepare(value, max_len)
    text = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    text = text.replace("\t", _DOCUMENT_TAB)
    for _ in range(_MAX_DECODE_ROUNDS):
        cleaned = _C0_CHARREF.sub(_drop_c0_charref, _strip_controls(text))
        if cleaned == text:
            break
        text = cleaned
    else:
        text = _strip_controls(text.replace("&#", "&amp;#"))
    return _cap(text, max_len, cut)


def _drop_c0_charref(match: re.Match[str]) -> str:
    return "" if _c0_charref(match) != match.group(0) else match.group(0)


def _prepare(value: object, max_len: int) -> tuple[str, bool]:
    """The value as a string, cut to a bounded length; and whether it was cut."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
    else:
        return "", False
    raw_cap = max(max_len, 0) * _RAW_CAP_FACTOR + _RAW_CAP_SLACK
    if len(text) > raw_cap:
        return text[:raw_cap], True
    return text, False


def _decode_and_strip(text: str, *, keep_newlines: bool) -> str:
    """Decode entities and remove escapes/controls until the text no longer changes, so that
    nothing a second pass could decode (e.g. `&a<NUL>mp;` -> `&amp;`) is left behind."""
    text = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    if not keep_newlines:
        text = text.replace("\n", " ")
    for _ in range(_MAX_DECODE_ROUNDS):
        cleaned = _strip_controls(_decode_entities(text))
        if cleaned == text:
            return text
        text = cleaned
    # Still decoding after several rounds: a deliberately nested entity chain. Dropping the
    # ampersands makes the result stable (no entity can start without one).
    return _strip_controls(text.replace("&", ""))


def _decode_entities(text: str) -> str:
    if "&" not in text:
        return text
    text = _C0_CHARREF.sub(_c0_charref, text)
    text = html.unescape(text)
    # Entities may decode to line breaks (&#13;, &#x2028;...): normalise them again.
    return _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")


def _c0_charref(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0x7F or 0 < code < 0x20:
        return chr(code)
    return match.group(0)


def _strip_controls(text: str) -> str:
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROLS_EXCEPT_NEWLINE.sub(_tab_to_space, text)


def _tab_to_space(match: re.Match[str]) -> str:
    # A tab separates words; dropping it would glue them together.
    return " " if match.group(0) == "\t" else ""


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _cap(text: str, max_len: int, cut: bool) -> str:
    """Cap at max_len characters, ending with the truncated mark when anything was lost."""
    if max_len <= 0:
        return ""
    if len(text) <= max_len and not cut:
        return text
    if max_len <= len(TRUNCATED_MARK):
        # No room for the mark: a bare cut is the best that fits.
        return text[:max_len].rstrip()
    kept = text[: max_len - len(TRUNCATED_MARK)].rstrip()
    return kept + TRUNCATED_MARK


# --- LaTeX leftovers ------------------------------------------------------------------------

# Escaped specials: `\%` -> `%` (not after another backslash: `\\%` is a line break then a
# comment in LaTeX, and we leave what we do not understand alone).
_LATEX_SPECIAL = re.compile(r"(?<!\\)\\([%$&#_{}])")
# Text-formatting commands whose argument is plain text (no nested braces); applied repeatedly
# so that `\textbf{\emph{x}}` unwraps from the inside out.
_LATEX_WRAPPER = re.compile(
    r"\\(?:textbf|textit|texttt|textsc|textsf|textrm|emph|underline|url|mathrm|mathbf|mathit"
    r"|mathtt|text)\{([^{}\\]*)\}"
)
# Single-symbol math: `$\sim$` -> `~`. Only these exact forms; other math is left as written.
_LATEX_MATH_SYMBOLS = {
    "sim": "~",
    "approx": "≈",
    "times": "×",
    "pm": "±",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "cdot": "·",
    "infty": "∞",
    "circ": "°",
}
_LATEX_MATH = re.compile(r"\$\s*\\([a-z]+)\s*\$")
# Accents as arXiv writes author names and words: `G\"odel`, `Nystr\"{o}m`, `\'{e}`, `\c{c}`.
_ACCENT_MARKS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_ACCENT_BRACED = re.compile(r"\{?\\([\"'`^~=.uvHckr])\{([A-Za-z])\}\}?")
_ACCENT_IN_GROUP = re.compile(r"\{\\([\"'`^~=.])([A-Za-z])\}")
# Without braces only before a vowel (and `\~n`), so that a stray `it\'s` is left alone.
_ACCENT_BARE = re.compile(r"\\([\"'`^])([AEIOUYaeiouy])|\\(~)([NnAaOo])")


def clean_latex(text: str) -> str:
    """Light cleanup of LaTeX leftovers for display and search: `\\%` -> `%`, `\\textbf{x}` ->
    `x`, `$\\sim$` -> `~`, `G\\"odel` -> `Gödel`...

    Conservative: anything it does not recognise is left exactly as written. It only ever
    shortens text and never introduces control characters, so it keeps the guarantees of
    `clean_inline` / `clean_block` when applied after them."""
    if not isinstance(text, str) or "\\" not in text:
        return text if isinstance(text, str) else ""
    text = _LATEX_MATH.sub(_math_symbol, text)
    text = _ACCENT_IN_GROUP.sub(_accent, text)
    text = _ACCENT_BRACED.sub(_accent_braced, text)
    text = _ACCENT_BARE.sub(_accent, text)
    text = _repeat(_LATEX_WRAPPER, r"\1", text)
    return _LATEX_SPECIAL.sub(r"\1", text)


def _repeat(pattern: re.Pattern[str], replacement: str, text: str, rounds: int = 5) -> str:
    for _ in range(rounds):
        text, count = pattern.subn(replacement, text)
        if not count:
            break
    return text


def _math_symbol(match: re.Match[str]) -> str:
    return _LATEX_MATH_SYMBOLS.get(match.group(1), match.group(0))


def _accent(match: re.Match[str]) -> str:
    groups = [group for group in match.groups() if group is not None]
    return _compose(groups[0], groups[1], match.group(0))


def _accent_braced(match: re.Match[str]) -> str:
    whole = match.group(0)
    # Keep an unmatched outer brace: `\"{o}}` must not eat a brace that closes something else.
    opened, closed = whole.startswith("{"), whole.endswith("}}")
    composed = _compose(match.group(1), match.group(2), whole)
    if composed == whole:
        return whole
    return (
        ("{" if opened and not closed else "") + composed + ("}" if closed and not opened else "")
    )


def _compose(accent: str, letter: str, original: str) -> str:
    mark = _ACCENT_MARKS.get(accent)
    if mark is None:
        return original
    return unicodedata.normalize("NFC", letter + mark)


__all__: list[str] = [
    "ABSTRACT_MAX",
    "DOCUMENT_MAX",
    "FIELD_MAX",
    "TITLE_MAX",
    "TRUNCATED_MARK",
    "clean_block",
    "clean_document",
    "clean_inline",
    "clean_latex",
]
