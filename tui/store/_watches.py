"""The watches table: saved searches and the arrival number each was last looked at.

What a watch matches (and so how many of those are new) is the library's business: it runs the
watch's query with `Query.arrived_after` set to the watch's `seen_arrival`.
"""

from __future__ import annotations

from tui.model import Watch, now_iso
from tui.store._core import StoreCore, StoreError


class WatchQueries(StoreCore):
    def arrival(self) -> int:
        """The last arrival number handed out: every paper stored so far has one at most this."""
        with self._lock, self._errors("read"):
            return self._arrival_locked()

    def arrival_before(self, when: str) -> int:
        """The last arrival number of the papers first stored before ``when`` (an ISO time)."""
        with self._lock, self._errors("read"):
            row = self._conn.execute(
                "SELECT coalesce(max(arrival), 0) FROM papers WHERE first_seen < ?", (when,)
            ).fetchone()
        return int(row[0])

    def watches(self) -> list[Watch]:
        """Every watch, in the order they were added."""
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                "SELECT name, query, seen_arrival, created, seen_at FROM watches "
                "ORDER BY created, name"
            ).fetchall()
        return [Watch(**dict(row)) for row in rows]

    def watch(self, name: str) -> Watch | None:
        return next((w for w in self.watches() if w.name == name), None)

    def add_watch(self, name: str, query: str, *, replace: bool = False) -> Watch:
        """Store a watch; everything already stored counts as seen. With ``replace`` an
        existing watch of that name gets the new query and keeps its seen mark."""
        stamp = now_iso()
        with self._lock, self._errors("save the watch to"), self._transaction():
            existing = self._conn.execute(
                "SELECT 1 FROM watches WHERE name = ?", (name,)
            ).fetchone()
            if existing and not replace:
                raise StoreError(f"a watch named {name!r} exists already")
            if existing:
                self._conn.execute("UPDATE watches SET query = ? WHERE name = ?", (query, name))
            else:
                self._conn.execute(
                    "INSERT INTO watches VALUES (?, ?, ?, ?, ?)",
                    (name, query, self._arrival_locked(), stamp, stamp),
                )
        found = self.watch(name)
        assert found is not None
        return found

    def rename_watch(self, old: str, new: str, query: str) -> None:
        """Give a watch a new name and query (its seen mark and age stay)."""
        with self._lock, self._errors("save the watch to"), self._transaction():
            if (
                old != new
                and self._conn.execute("SELECT 1 FROM watches WHERE name = ?", (new,)).fetchone()
            ):
                raise StoreError(f"a watch named {new!r} exists already")
            cursor = self._conn.execute(
                "UPDATE watches SET name = ?, query = ? WHERE name = ?", (new, query, old)
            )
            if cursor.rowcount == 0:
                raise StoreError(f"no watch named {old!r}")

    def remove_watch(self, name: str) -> bool:
        """Delete a watch; False when there was none of that name."""
        with self._lock, self._errors("remove the watch from"), self._transaction():
            cursor = self._conn.execute("DELETE FROM watches WHERE name = ?", (name,))
        return cursor.rowcount > 0

    def mark_watch_seen(self, name: str, arrival: int | None = None) -> bool:
        """Move the watch's seen mark to ``arrival`` (default: everything stored now); it never
        goes back. False when there is no such watch."""
        with self._lock, self._errors("save the watch to"), self._transaction():
            upto = self._arrival_locked() if arrival is None else arrival
            cursor = self._conn.execute(
                "UPDATE watches SET seen_arrival = max(seen_arrival, ?), seen_at = ? "
                "WHERE name = ?",
                (upto, now_iso(), name),
            )
        return cursor.rowcount > 0
