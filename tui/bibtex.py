"""BibTeX entries for papers.

The entry is meant to be pasted into a .bib file and compile as is: braces balanced (BibTeX
counts every brace, even an escaped one), LaTeX specials escaped, capitals and acronyms in the
title protected from the bibliography style's lower-casing.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from tui.links import safe_url
from tui.model import Paper, arxiv_abs_url
from tui.text import clean_inline, clean_latex

# A key part longer than this (a whole title word transliterated from Chinese) is cut: the key
# stays something a person can type in \cite{}.
KEY_PART_MAX = 24

# Words skipped when choosing the title word of the key, as Google Scholar does.
_STOPWORDS_TEXT = (
    "a an the and or of on in at to for from with without by via as into onto over under "
    "is are be do does can how what why when where which who towards toward we our your "
    "its it this that these those not no all any beyond through about between"
)
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_NAME_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))

# LaTeX specials, escaped in a single pass so an escape is never escaped again.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BRACE_ESCAPES = {"{": r"\{", "}": r"\}"}
# BibTeX counts `\{` as an opening brace too, so an unpaired brace written as `\{` would end
# the field early; these spell the brace without a brace.
_BRACE_WORDS = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_AND = re.compile(r"\band\b", re.IGNORECASE)


def bibtex_key(paper: Paper) -> str:
    """``surname + year + first significant title word``, lower-case ASCII letters and digits
    only (e.g. ``vaswani2017attention``). Parts that are unknown are left out; a paper with no
    usable part at all gets ``paper``."""
    surname = _ascii_word(_surname(paper.authors[0])) if paper.authors else ""
    year = str(paper.year) if paper.year else ""
    word = next(
        (
            folded
            for folded in (_ascii_word(token) for token in clean_latex(paper.title).split())
            if folded and folded not in _STOPWORDS
        ),
        "",
    )
    return (surname + year + word) or "paper"


def to_bibtex(paper: Paper) -> str:
    """An ``@misc`` entry for ``paper`` (the form arXiv and biblatex use for preprints): title,
    author, year, eprint/archivePrefix/primaryClass when it has an arXiv id, and url."""
    fields: list[tuple[str, str]] = [("title", _title(paper.title))]
    authors = [_latex(clean_latex(clean_inline(name))) for name in paper.authors]
    authors = [_protect_and(name) for name in authors if name]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields.append(("eprint", _latex(paper.arxiv_id)))
        fields.append(("archivePrefix", "arXiv"))
        if paper.categories:
            fields.append(("primaryClass", _latex(clean_inline(paper.categories[0]))))
    url = safe_url(paper.url) or (arxiv_abs_url(paper.arxiv_id) if paper.arxiv_id else "")
    if url:
        fields.append(("url", _url_field(url)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{bibtex_key(paper)},\n{body}}}\n"


def _surname(name: str) -> str:
    name = clean_latex(clean_inline(name))
    if "," in name:
        # "Vaswani, Ashish" (BibTeX's own order).
        return name.split(",", 1)[0]
    words = [word for word in name.split() if word.strip(".").lower() not in _NAME_SUFFIXES]
    return words[-1] if words else ""


def _ascii_word(text: str) -> str:
    """``text`` transliterated to lower-case ASCII letters and digits: "Žižek" -> "zizek",
    "Дмитрий" -> "dmitriy", "李飞飞" -> "lifeifei" (anyascii romanizes every script, where
    stripping accents would leave nothing of a Cyrillic or Chinese name)."""
    folded = anyascii(text)
    word = "".join(char for char in folded if char.isascii() and char.isalnum()).lower()
    return word[:KEY_PART_MAX]


def _title(title: str) -> str:
    """The title escaped for LaTeX, with every word that has a capital after its first letter
    (acronyms, `MetaGPT`, `LLMs`) wrapped in braces so styles do not lower-case it."""
    # LaTeX leftovers such as `\%` become plain text first, so they are escaped once, not twice.
    text = clean_latex(clean_inline(title))
    braces = _BRACE_ESCAPES if _braces_balanced(text) else _BRACE_WORDS
    escaped = []
    for word in text.split(" "):
        latex = _latex(word, braces)
        protect = any(char.isupper() for char in word[1:])
        escaped.append("{" + latex + "}" if protect else latex)
    return " ".join(escaped)


def _latex(text: str, braces: dict[str, str] | None = None) -> str:
    escapes = {**_LATEX_ESCAPES, **(braces or _BRACE_WORDS)}
    return "".join(escapes.get(char, char) for char in text)


def _braces_balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _protect_and(name: str) -> str:
    # BibTeX splits the author list on the word "and": an organisation such as "Research and
    # Development Team" must be one braced name.
    return "{" + name + "}" if _AND.search(name) else name


def _url_field(url: str) -> str:
    # A validated URL may still hold braces or a backslash, which would unbalance the entry.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


__all__ = ["bibtex_key", "to_bibtex"]
