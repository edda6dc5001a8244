"""SQL fragments that turn a parsed `Query` into WHERE clauses for the store.

Filters (is:unread, has:code, tag:, has:note, note:, year:, after:...) are answered by SQLite
in every search; the words are answered by the Whoosh index, or by the LIKE fallback here
while the index is built.
"""

from __future__ import annotations

from tui.query import Query, is_indexed_word


def filter_clause(query: Query) -> tuple[str, list[object]]:
    """A WHERE clause over ``papers p LEFT JOIN state s`` for the query's filters ("1" if none)."""
    parts: list[str] = []
    params: list[object] = []
    if query.unread:
        parts.append("coalesce(s.read, 0) = 0")
    if query.read:
        parts.append("coalesce(s.read, 0) = 1")
    if query.saved:
        parts.append("coalesce(s.saved, 0) = 1")
    if query.has_code is True:
        parts.append("p.code_url != ''")
    elif query.has_code is False:
        parts.append("p.code_url = ''")
    for tag in query.tags:
        parts.append(f"EXISTS ({_TAGGED})")
        params.append(tag)
    for tag in query.excluded_tags:
        parts.append(f"NOT EXISTS ({_TAGGED})")
        params.append(tag)
    if query.has_note is not None:
        parts.append(("" if query.has_note else "NOT ") + "EXISTS (" + _NOTED + ")")
    # Notes are the user's own few texts: a LIKE over them is quick and always up to date
    # (substring-based like the fallback search: note:diff also finds "diffusion").
    for word in query.note_words:
        parts.append(f"EXISTS ({_NOTED} AND n.body LIKE ? ESCAPE '\\')")
        params.append(_like(word))
    for word in query.excluded_note_words:
        parts.append(f"NOT EXISTS ({_NOTED} AND n.body LIKE ? ESCAPE '\\')")
        params.append(_like(word))
    if query.has_fulltext is not None:
        parts.append(("" if query.has_fulltext else "NOT ") + "EXISTS (" + _KEPT_TEXT + ")")
    if query.year is not None:
        parts.append("substr(p.published, 1, 4) = ?")
        params.append(f"{query.year:04d}")
    if query.after:
        parts.append("p.published >= ?")
        params.append(query.after)
    if query.before:
        # Unknown dates sort as "" and would pass a < comparison: keep them out.
        parts.append("p.published != '' AND p.published < ?")
        params.append(query.before)
    if query.arrived_after is not None:
        parts.append("p.arrival > ?")
        params.append(query.arrived_after)
    return (" AND ".join(parts) or "1"), params


# The user's tags and notes (tui/store/_keep.py), for the paper in ``p``.
_TAGGED = "SELECT 1 FROM tags t WHERE t.paper_id = p.id AND t.tag = ?"
# Its full text is kept offline (tui/store/_fulltexts.py).
_KEPT_TEXT = "SELECT 1 FROM fulltexts f WHERE f.paper_id = p.id"
_NOTED = "SELECT 1 FROM notes n WHERE n.paper_id = p.id"


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ANY_TEXT = (
    "(p.title LIKE ? ESCAPE '\\' OR p.abstract LIKE ? ESCAPE '\\' OR p.authors LIKE ? ESCAPE '\\')"
)


def fallback_clause(query: Query) -> tuple[str, list[object], str, list[object]]:
    """(where, params, rank expression, rank params) for a LIKE search over the query's text.

    Slower than the index and substring-based (``tra`` also finds ``extra``), but correct in
    the sense that every paper the index would find is found.
    """
    parts: list[str] = []
    params: list[object] = []
    # Words the index ignores (stop words, single letters) are ignored here too, so the
    # fallback finds at least what the index finds.
    needles = [*filter(is_indexed_word, query.words), *query.phrases]
    if query.prefix:
        needles.append(query.prefix)
    for needle in needles:
        parts.append(_ANY_TEXT)
        params += [_like(needle)] * 3
    for word in query.excluded:
        parts.append(f"NOT {_ANY_TEXT}")
        params += [_like(word)] * 3
    for author in query.authors:
        parts.append("p.authors LIKE ? ESCAPE '\\'")
        params.append(_like(author))
    for word in query.title_words:
        parts.append("p.title LIKE ? ESCAPE '\\'")
        params.append(_like(word))
    if query.body_words:
        # The full texts are files only the index reads: while it is built, every paper with
        # a kept text may match (more than the index finds, never less).
        parts.append(f"EXISTS ({_KEPT_TEXT})")
    # Title matches first, as the index ranks them.
    rank_terms = [*needles, *query.title_words]
    if rank_terms:
        rank = " + ".join("(p.title LIKE ? ESCAPE '\\')" for _ in rank_terms)
        rank_params: list[object] = [_like(t) for t in rank_terms]
    else:
        # Not "0": SQLite reads a constant integer in ORDER BY as a column number.
        rank, rank_params = "NULL", []
    return (" AND ".join(parts) or "1"), params, f"({rank})", rank_params
