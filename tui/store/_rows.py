"""How a `Paper` maps to a row of the ``papers`` table, derived from the dataclass itself so
that a new field needs one column in the schema and nothing else here."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields

from tui.model import Paper

# Tuple fields are stored as JSON lists; `sources` lives in its own table (paper_sources).
_LIST_FIELDS = frozenset({"authors", "categories", "ai_keywords"})
STORED_FIELDS = tuple(f.name for f in fields(Paper) if f.name != "sources")

# Every column of a paper, as selected from ``papers p`` (joins add the user's state).
_BOOKKEEPING = ("first_seen", "revision", "arrival")
PAPER_COLUMNS = ", ".join(f"p.{name}" for name in (*STORED_FIELDS, *_BOOKKEEPING))
INSERT_PAPER = (
    f"INSERT OR REPLACE INTO papers ({', '.join((*STORED_FIELDS, *_BOOKKEEPING))}) "
    f"VALUES ({', '.join('?' * (len(STORED_FIELDS) + len(_BOOKKEEPING)))})"
)


def paper_values(paper: Paper) -> tuple[object, ...]:
    """The stored fields of ``paper`` in STORED_FIELDS order."""
    return tuple(
        json.dumps(list(value), ensure_ascii=False) if name in _LIST_FIELDS else value
        for name, value in ((name, getattr(paper, name)) for name in STORED_FIELDS)
    )


def paper_from_row(row: sqlite3.Row) -> Paper:
    """The Paper in a row selected with PAPER_COLUMNS (plus ``sources``, when the query
    gathered them, as feed names joined by the unit separator)."""
    values: dict[str, object] = {
        name: tuple(json.loads(row[name])) if name in _LIST_FIELDS else row[name]
        for name in STORED_FIELDS
    }
    # sqlite3.Row's `in` looks at values, not column names: ask its keys.
    sources = row["sources"] if "sources" in row.keys() else None  # noqa: SIM118
    values["sources"] = tuple(sources.split("\x1f")) if sources else ()
    return Paper(**values)  # type: ignore[arg-type]
