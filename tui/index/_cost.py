"""Which way to bring an index that is behind the store back in line: update it with the
pending papers, or rebuild it from every paper. Chosen by measured cost, not a fixed count.

Measured on the 2-core test machine (issue 13; synthetic papers of ~190 words, half of the
pending papers new and half re-imported, Whoosh 2.7):

| indexed N | rebuild            | update k=500 | k=2,000 | k=5,000 (one commit) |
|-----------|--------------------|--------------|---------|----------------------|
| 3,000     | 5.0 s (1.67 ms/p)  | 1.2 s        | 4.0 s   | 18.3 s               |
| 10,000    | 18.2 s (1.82 ms/p) | 3.5 s        | 4.9 s   | 15.4 s               |

- A rebuild costs ~1.75 ms a paper, over every paper.
- An update costs ~0.3 ms per indexed paper per commit (the commit, the new searcher, the
  vocabulary) plus ~1 ms a pending paper while one commit's postings fit Whoosh's pool
  (~2,500 papers) and ~3.5 ms a paper beyond (sorted runs spilled and merged back in Python).
  Every re-imported paper also stays in its old segment as a deletion: 7,500 pending papers took
  the 10k index from 42 to 79 MB, where a rebuild of the same papers is ~58 MB.

So with k pending of N indexed: update ~ 0.3 N + 3.5 k, rebuild ~ 1.75 (N + new papers) >= 1.75 N:
the update wins while k < ~0.4 N, less once its bloat counts. The old fixed rule (update below
20,000 pending) caught up 19k papers into a 73 MB index in 150 s where a rebuild took 72 s and
left the index at 135 MB.
"""

from __future__ import annotations

from typing import Literal

# Update while the backlog is at most this share of the indexed papers...
UPDATE_SHARE = 1 / 3
# ...or this many papers: below it one commit fits the pool and an update costs a few seconds
# at any size (0.3 ms x N + ~2 s), always less than rebuilding N papers.
UPDATE_FLOOR = 2_000


def catch_up_path(pending: int, indexed: int) -> Literal["update", "rebuild"]:
    """ "update" when adding the ``pending`` papers to an index of ``indexed`` ones costs less
    than rebuilding it from every paper, else "rebuild" (pure: the numbers decide)."""
    if pending <= max(UPDATE_FLOOR, UPDATE_SHARE * indexed):
        return "update"
    return "rebuild"
