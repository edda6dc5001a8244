"""The reference point: the same keystrokes answered by SQLite FTS5 (stdlib) over the same papers.

Not a second implementation of feedtui's search, only a measure of what this machine does with a
mature C full-text engine: each keystroke becomes an FTS5 MATCH (words AND-ed, the last word a
prefix ``tra*``, ``"phrases"``, ``authors:name``), ranked by bm25 with the same field weights,
at most the same number of hits, then the visible page is read from feedtui's store exactly
as the TUI does. Filters (is:unread, has:code) are joined in SQL.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tui.library import Library
from tui.model import Paper
from tui.query import Query, parse_query, tokens

FTS_FILE = "fts5-reference.sqlite"
FTS_BODY_FILE = "fts5-bodies.sqlite"  # the same with the full texts (tests/bench/fulltext.py)


def build(
    library: Library, directory: Path, bodies: Mapping[str, str] | None = None
) -> dict[str, float]:
    """(Re)build the FTS5 table from the store's papers; returns the build time. With
    `bodies` (full texts by paper id), in its own file with a fifth column, `body`."""
    path = directory / (FTS_BODY_FILE if bodies is not None else FTS_FILE)
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    body_column = ", body" if bodies is not None else ""
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, abstract, authors"
        f"{body_column}, prefix='1 2 3')"
    )
    src = sqlite3.connect(library.paths.database)
    rows = src.execute("SELECT id, title, abstract, authors FROM papers")
    conn.execute("BEGIN")
    if bodies is None:
        conn.executemany("INSERT INTO fts (id, title, abstract, authors) VALUES (?,?,?,?)", rows)
    else:
        conn.executemany(
            "INSERT INTO fts VALUES (?,?,?,?,?)", ((*row, bodies.get(row[0], "")) for row in rows)
        )
    conn.execute("COMMIT")
    count = conn.execute("SELECT count(*) FROM fts").fetchone()[0]
    conn.close()
    src.close()
    seconds = time.perf_counter() - started
    return {
        "papers": count,
        "seconds": round(seconds, 2),
        "papers_per_s": round(count / seconds),
        "size_mb": round(path.stat().st_size / 1e6, 1),
    }


def insert_fresh(directory: Path, papers: Sequence[Paper], marker: str) -> dict[str, float]:
    """The reference for "new papers searchable": seconds to insert and commit `papers` into the
    FTS5 table and find them all with one MATCH."""
    conn = sqlite3.connect(directory / FTS_FILE)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO fts (id, title, abstract, authors) VALUES (?,?,?,?)",
        [(p.id, p.title, p.abstract, "; ".join(p.authors)) for p in papers],
    )
    conn.execute("COMMIT")
    found = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (_quote(marker),))
    count = found.fetchone()[0]
    seconds = time.perf_counter() - started
    conn.close()
    return {"papers": len(papers), "found": count, "searchable_after_s": round(seconds, 3)}


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(query: Query) -> str:
    parts = [_quote(w) for w in query.words]
    parts += [_quote(p) for p in query.phrases]
    parts += ["authors:" + _quote(a) for a in query.authors]
    parts += ["title:" + _quote(w) for w in query.title_words]
    parts += ["body:" + _quote(w) for w in query.body_words]
    if query.prefix:
        parts.append(_quote(query.prefix) + "*")
    expression = " AND ".join(parts)
    for word in query.excluded:
        expression += " NOT " + _quote(word)
    return expression


def searcher(
    library: Library, directory: Path, limit: int, *, bodies: bool = False
) -> Callable[[str], object]:
    """Each keystroke's search; with `bodies`, over the table `build` made with full texts,
    the body weighted as feedtui weighs it (tui/index/_schema.py, BODY_BOOST)."""
    conn = sqlite3.connect(
        directory / (FTS_BODY_FILE if bodies else FTS_FILE), check_same_thread=False
    )
    weights = "0, 3.0, 1.0, 2.0" + (", 0.1" if bodies else "")
    conn.execute(f"ATTACH DATABASE '{library.paths.database}' AS store")

    def run(text: str) -> object:
        query = parse_query(text)
        if not query.has_text or not any(tokens(match_expression(query))):
            ids = library.store.ids(query)
        else:
            where = ["fts MATCH ?"]
            if query.unread:
                where.append(
                    "coalesce((SELECT read FROM store.state s WHERE s.paper_id = fts.id), 0) = 0"
                )
            if query.has_code is not None:
                op = "!=" if query.has_code else "="
                where.append(f"(SELECT code_url FROM store.papers p WHERE p.id = fts.id) {op} ''")
            sql = (
                f"SELECT id FROM fts WHERE {' AND '.join(where)} "
                f"ORDER BY bm25(fts, {weights}) LIMIT {int(limit)}"
            )
            try:
                ids = [row[0] for row in conn.execute(sql, (match_expression(query),))]
            except sqlite3.OperationalError:
                ids = []  # e.g. a phrase of stop words only: nothing to match
        return library.entries(ids[:40])

    return run
