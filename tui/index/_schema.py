"""The index's schema: its fields, their analyzers and boosts, and the document a paper becomes.

Bump INDEX_SCHEMA_VERSION whenever any of this changes: an index with another version is
rebuilt from the store (the app does it on start).
"""

from __future__ import annotations

import re
from typing import Any

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import ID, TEXT, Schema

from tui.model import Paper
from tui.query import STOP_WORDS, TOKEN_RE

# Bump whenever the schema or the analyzers change: an index with another version is rebuilt.
INDEX_SCHEMA_VERSION = 3

# Field boosts: a word in the title says more about the paper than a word in its abstract.
TITLE_BOOST = 3.0
AUTHORS_BOOST = 2.0
KEYWORDS_BOOST = 1.5
# A word in the full text (the body) says least: a match there scores at most
# BODY_BOOST x 2.2 x idf (BM25's tf part tops out at k1 + 1), below a single occurrence in the
# abstract (1.0 x idf), so title and abstract matches keep ranking first.
BODY_BOOST = 0.1

# The fields a paper's summary is in: what exclusions (-word), phrases and key terms read.
SUMMARY_FIELDS = ("title", "abstract", "authors", "keywords")
# ...and the full text, which plain words and body: also search.
TEXT_FIELDS = (*SUMMARY_FIELDS, "body")
BOOSTS = {
    "title": TITLE_BOOST,
    "abstract": 1.0,
    "authors": AUTHORS_BOOST,
    "keywords": KEYWORDS_BOOST,
    "body": BODY_BOOST,
}
FIELD_BIT = {name: 1 << i for i, name in enumerate(TEXT_FIELDS)}
# The most of a full text indexed: a 60-page paper's Markdown is ~250 kB; past this, what is
# left (appendices of a 300-page thesis) costs index time and size for little.
BODY_INDEX_CHARS = 600_000
# A Markdown link's target, an image's and a bare URL: addresses are not words of the paper.
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)|<?https?://\S+")
# Separates authors (and keywords) inside their field value; not a token character.
_LIST_SEP = " ; "


def _text_analyzer() -> Any:
    # The token pattern is tui.query's, so the words the parser cuts are the words indexed.
    # No stemming: prefix search over stems ("transform" -> "transform") confuses users;
    # plurals are folded at query time instead (see `Vocabulary.variants`). Stop words are dropped
    # (tui.query's, which the parser knows): they would make common-word and one-letter-prefix
    # searches scan every document.
    return (
        RegexTokenizer(TOKEN_RE.pattern)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=2)
    )


def _name_analyzer() -> Any:
    # Author names keep every token: "An", "Le", "Yu" and initials are names, not stop words.
    return RegexTokenizer(TOKEN_RE.pattern) | LowercaseFilter()


def make_schema() -> Schema:
    """The schema. Only `id` is stored: the store holds the text, so the index stays small."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=_text_analyzer(), phrase=True),
        abstract=TEXT(analyzer=_text_analyzer(), phrase=True),
        authors=TEXT(analyzer=_name_analyzer(), phrase=True),
        keywords=TEXT(analyzer=_text_analyzer(), phrase=False),
        # No positions: they would double the size of the longest field for phrases nobody
        # types into a body: search (tui.query says body:"a b" finds the words anywhere).
        body=TEXT(analyzer=_text_analyzer(), phrase=False),
    )


def document(paper: Paper, body: str = "") -> dict[str, str]:
    """The index document of ``paper``; ``body`` is its full text's Markdown ("" when none is
    kept), indexed without its link targets and cut at BODY_INDEX_CHARS."""
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": _LIST_SEP.join(paper.authors),
        "keywords": _LIST_SEP.join(paper.ai_keywords),
        "body": _LINK_TARGET.sub(" ", body[:BODY_INDEX_CHARS]) if body else "",
    }


def analyze(schema: Schema, field: str, text: str) -> list[str]:
    if not text:
        return []
    return [token.text for token in schema[field].analyzer(text)]
