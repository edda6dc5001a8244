"""The metric history: a paper's upvotes and stars each time a fetch saw them change (written by
`Store.upsert`), and the rise over a window that the list, the preview and `sort:rising` show.

A rise is the latest value minus the value at the window's start: the last point at or before
it, or, for a paper first seen inside the window, its first point (a paper that arrives with
800 upvotes has not risen by 800 while we watched).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tui.model import MetricPoint, Rise
from tui.store._core import StoreCore

# The rise of one metric column for papers `ps.paper_id`, with the window start bound twice.
_GAIN = """
(SELECT {col} FROM metrics WHERE paper_id = ps.paper_id AND {col} IS NOT NULL
 ORDER BY at DESC LIMIT 1) - coalesce(
 (SELECT {col} FROM metrics WHERE paper_id = ps.paper_id AND {col} IS NOT NULL AND at <= ?
  ORDER BY at DESC LIMIT 1),
 (SELECT {col} FROM metrics WHERE paper_id = ps.paper_id AND {col} IS NOT NULL AND at > ?
  ORDER BY at LIMIT 1))
"""
_RISES = (
    "SELECT ps.paper_id, "
    f"{_GAIN.format(col='upvotes')} AS upvotes, {_GAIN.format(col='stars')} AS stars "
    "FROM ({papers}) AS ps"
)


class MetricQueries(StoreCore):
    def history(self, paper_id: str) -> list[MetricPoint]:
        """Every recorded point of the paper, oldest first."""
        with self._lock, self._errors("read"):
            rows = self._conn.execute(
                "SELECT at, upvotes, stars FROM metrics WHERE paper_id = ? ORDER BY at",
                (paper_id,),
            ).fetchall()
        return [MetricPoint(row[0], row[1], row[2]) for row in rows]

    def rises(self, since: str, ids: Sequence[str] | None = None) -> dict[str, Rise]:
        """The rise since ``since`` (an ISO time) of the papers that changed after it (of
        ``ids`` only, when given); a paper left out has not risen. Only papers with a point
        after ``since`` are read, so the cost grows with what moved, not with the library."""
        found: dict[str, Rise] = {}
        with self._lock, self._errors("read"):
            for papers, params in _candidates(since, ids):
                sql = _RISES.format(papers=papers)
                gains = [since, since, since, since]
                for row in self._conn.execute(sql, [*gains, *params]):
                    rise = Rise(row[1] or 0, row[2] or 0)
                    if rise.upvotes or rise.stars:
                        found[row[0]] = rise
        return found


def _candidates(since: str, ids: Sequence[str] | None) -> Iterator[tuple[str, list[object]]]:
    """The sub-selects of paper ids that moved after ``since`` (in chunks of ``ids``): those
    with a point after it that is not their first. A paper's first point is when it arrived,
    not a move, and after a big import most papers have only that one: checking for an earlier
    point in SQLite (on the primary key) is 5-10x cheaper than computing their zero rises."""
    moved = (
        "SELECT DISTINCT m.paper_id FROM metrics m WHERE m.at > ? AND EXISTS "
        "(SELECT 1 FROM metrics e WHERE e.paper_id = m.paper_id AND e.at < m.at)"
    )
    if ids is None:
        yield moved, [since]
        return
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 900):
        chunk = unique[start : start + 900]
        marks = ",".join("?" * len(chunk))
        yield f"{moved} AND m.paper_id IN ({marks})", [since, *chunk]
