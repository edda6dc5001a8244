"""The rules for the user's tags and notes, shared by the store, the query language, the command
line and the TUI (headless: no Textual, no SQLite).

A tag is a short name: trimmed, lower-cased (``Diffusion`` and ``diffusion`` are one tag), a
leading ``#`` dropped (people type ``#to-read``), then 1 to TAG_MAX letters, digits, ``-``,
``_``, ``.`` or ``/``, beginning with a letter or digit. Refused, with a message: spaces
inside, control characters, any other punctuation (``"``, ``,``, ``:``, ``+``...: they would
mean something else on the command line or in the search box), and longer names.

A note is one Markdown text per paper, at most NOTE_MAX_BYTES of UTF-8; an empty (or blank)
note is no note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TAG_MAX = 40
NOTE_MAX_BYTES = 256 * 1024
# \w is Unicode letters, digits and "_": `état`, `模型` are tags too.
_TAG_RE = re.compile(r"[^\W_][\w\-./]*")


class KeepError(ValueError):
    """A tag or note the library refuses, with the reason in the user's words."""


def normalize_tag(text: str) -> str:
    """``text`` as a tag name, or KeepError saying what is wrong with it."""
    tag = unicodedata.normalize("NFC", text).strip().lower()
    tag = tag.removeprefix("#")
    shown = text if len(text) <= TAG_MAX + 10 else text[: TAG_MAX + 9] + "…"
    if not tag:
        raise KeepError("a tag needs a name (letters, digits, - _ . /)")
    if any(char.isspace() for char in tag):
        raise KeepError(f"tag {shown!r}: no spaces in a tag (use - or _: to-read)")
    if any(unicodedata.category(char).startswith("C") for char in tag):
        raise KeepError(f"tag {shown!r}: control characters are not allowed in a tag")
    if len(tag) > TAG_MAX:
        raise KeepError(f"tag {shown!r}: at most {TAG_MAX} characters")
    if not _TAG_RE.fullmatch(tag):
        raise KeepError(
            f"tag {shown!r}: only letters, digits and - _ . / (starting with a letter or digit)"
        )
    return tag


def normalize_tags(texts: Iterable[str]) -> list[str]:
    """Each of ``texts`` as a tag, once each, in order (KeepError on the first bad one)."""
    return list(dict.fromkeys(normalize_tag(text) for text in texts))


def check_note(text: str) -> str:
    """The note to store: Windows and old Mac line ends made ``\\n``, trailing blank space
    dropped; "" (no note) when blank. KeepError when it is over NOTE_MAX_BYTES."""
    note = text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    size = len(note.encode("utf-8", errors="surrogatepass"))
    if size > NOTE_MAX_BYTES:
        raise KeepError(
            f"the note is {size // 1024} KiB; a note can be at most {NOTE_MAX_BYTES // 1024} "
            "KiB (keep long texts in a file and link to it)"
        )
    return note


def tags_label(tags: Iterable[str], width: int) -> str:
    """``#diffusion #to-read``, cut to ``width`` cells at a tag boundary: the tags that fit,
    then ``+N`` for the rest ("" when not even the first fits with its count)."""
    names = list(tags)
    shown: list[str] = []
    for index, name in enumerate(names):
        rest = len(names) - index - 1
        candidate = " ".join([*shown, f"#{name}"])
        more = f" +{rest}" if rest else ""
        if cells(candidate) + len(more) > width:
            text = " ".join([*shown, f"+{len(names) - len(shown)}"])
            return text if cells(text) <= width else ""
        shown.append(f"#{name}")
    return " ".join(shown)


def cells(text: str) -> int:
    """Terminal cells ``text`` takes (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
