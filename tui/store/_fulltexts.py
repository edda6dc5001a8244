"""Which papers have their full text kept offline (table ``fulltexts``).

The texts themselves are files in the data dir (tui/textcache.py); this table is what the
filters (``has:fulltext``) and the index read. Recording or forgetting a text bumps the paper's
revision, so that the index re-indexes it (with or without its body) on its next catch-up, in
this process or another: a kill between the two leaves the index behind, never wrong for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.model import now_iso
from tui.store._core import StoreCore, chunks


class FullTextQueries(StoreCore):
    def record_fulltext(
        self, paper_id: str, chars: int, source: str, *, replace: bool = True
    ) -> bool:
        """Note that the paper's text is kept (``chars`` long, fetched from ``source``), and
        say whether anything changed: False when the paper is not stored (`feedtui read` of
        any arXiv id keeps only the file), or when not ``replace`` and it was recorded."""
        with self._lock, self._errors("record the full text in"):
            if (
                not replace
                and self._conn.execute(
                    "SELECT 1 FROM fulltexts WHERE paper_id = ?", (paper_id,)
                ).fetchone()
            ):
                return False  # the common case of reading a cached text: no write at all
            with self._transaction():
                stored = self._conn.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,))
                if stored.fetchone() is None:
                    return False
                self._conn.execute(
                    "INSERT OR REPLACE INTO fulltexts VALUES (?, ?, ?, ?)",
                    (paper_id, int(chars), source, now_iso()),
                )
                self._bump_locked([paper_id])
                return True

    def forget_fulltexts(self, ids: Iterable[str]) -> int:
        """Forget these papers' texts (evicted or cleared from the cache); how many were known."""
        ids = list(dict.fromkeys(ids))
        forgotten = 0
        with self._lock, self._errors("update"), self._transaction():
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                forgotten += self._conn.execute(
                    f"DELETE FROM fulltexts WHERE paper_id IN ({marks})", chunk
                ).rowcount
                self._bump_locked(chunk)
        return forgotten

    def fulltext_ids(self) -> frozenset[str]:
        """Every stored paper whose full text is kept."""
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                "SELECT f.paper_id FROM fulltexts f JOIN papers p ON p.id = f.paper_id"
            ).fetchall()
        return frozenset(row[0] for row in rows)

    def _bump_locked(self, ids: Sequence[str]) -> None:
        """Give these papers new revisions (inside a transaction): the index's catch-up reads
        every paper changed after the revision it has."""
        revision = self._revision_locked()
        self._conn.executemany(
            "UPDATE papers SET revision = ? WHERE id = ?",
            [(revision + n, paper_id) for n, paper_id in enumerate(ids, start=1)],
        )
