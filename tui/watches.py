"""What makes a watch: a name a person can type and read, and a query in the search language.

A watch's query is searched as finished words: the box treats the last word being typed as a
prefix, but a saved ``diffusion`` means the word, not every word starting with it.
"""

from __future__ import annotations

import unicodedata

from tui.query import MAX_QUERY_CHARS, Query, parse_query
from tui.store import StoreError

MAX_WATCH_NAME = 60


def check_watch(name: str, query: str) -> tuple[str, str]:
    """(name, query) tidied, or StoreError saying what is wrong with them."""
    name, query = name.strip(), " ".join(query.split())
    if not name:
        raise StoreError("a watch needs a name")
    if len(name) > MAX_WATCH_NAME:
        raise StoreError(f"a watch name is at most {MAX_WATCH_NAME} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise StoreError("a watch name must be plain text (no control characters)")
    if not query:
        raise StoreError("a watch needs a query (words and filters, as in the search box)")
    if len(query) > MAX_QUERY_CHARS:
        raise StoreError(f"a watch's query is at most {MAX_QUERY_CHARS} characters")
    return name, query


def watch_query(text: str) -> Query:
    """The query a watch runs: ``text`` parsed with its last word finished."""
    return parse_query(text + " ")
