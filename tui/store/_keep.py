"""The user's tags and notes (tables ``tags`` and ``notes``): what they keep about a paper.

Names and notes arrive already checked (tui/tags.py, by the library). Each change is one short
transaction, like a mark: it is stored whole or not at all, and a committed one survives a
killed process. A paper's tags and note are never touched by a refetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.model import now_iso
from tui.store._core import StoreCore, chunks


class KeepQueries(StoreCore):
    def change_tags(
        self,
        ids: Sequence[str],
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        *,
        replace: bool = False,
    ) -> dict[str, tuple[str, ...]]:
        """Add and remove tags on each of ``ids`` (with ``replace``: its tags become ``add``),
        in one transaction; returns each paper's tags after, sorted."""
        add, remove = list(add), list(remove)
        stamp = now_iso()
        ids = list(dict.fromkeys(ids))
        with self._lock, self._errors("tag papers in"), self._transaction():
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                if replace:
                    self._conn.execute(f"DELETE FROM tags WHERE paper_id IN ({marks})", chunk)
                for tag in remove:
                    self._conn.execute(
                        f"DELETE FROM tags WHERE tag = ? AND paper_id IN ({marks})", [tag, *chunk]
                    )
            self._conn.executemany(
                "INSERT OR IGNORE INTO tags VALUES (?, ?, ?)",
                [(paper_id, tag, stamp) for paper_id in ids for tag in add],
            )
        return self.tags_of(ids)

    def tags_of(self, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each paper's tags, sorted (a paper without tags maps to ``()``)."""
        found: dict[str, list[str]] = {paper_id: [] for paper_id in ids}
        with self._lock, self._errors("read"):
            for chunk in chunks(list(found)):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT paper_id, tag FROM tags WHERE paper_id IN ({marks}) ORDER BY tag",
                    chunk,
                )
                for paper_id, tag in rows:
                    found[paper_id].append(tag)
        return {paper_id: tuple(tags) for paper_id, tags in found.items()}

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag in use with how many stored papers carry it, the most used first."""
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                "SELECT t.tag, count(*) AS n FROM tags t JOIN papers p ON p.id = t.paper_id "
                "GROUP BY t.tag ORDER BY n DESC, t.tag"
            ).fetchall()
        return [(row[0], int(row[1])) for row in rows]

    def note(self, paper_id: str) -> str:
        """The paper's note ("" when it has none)."""
        with self._lock, self._errors("read"):
            row = self._conn.execute(
                "SELECT body FROM notes WHERE paper_id = ?", (paper_id,)
            ).fetchone()
        return str(row[0]) if row else ""

    def set_note(self, paper_id: str, body: str) -> None:
        """Store the paper's note; "" deletes it."""
        with self._lock, self._errors("save the note to"), self._transaction():
            if body:
                self._conn.execute(
                    "INSERT INTO notes VALUES (?, ?, ?) ON CONFLICT (paper_id) DO UPDATE "
                    "SET body = excluded.body, updated_at = excluded.updated_at",
                    (paper_id, body, now_iso()),
                )
            else:
                self._conn.execute("DELETE FROM notes WHERE paper_id = ?", (paper_id,))
