"""Ranking by key terms: "more like this" and "for you" as one weighted OR over the index's
postings (tui/index/_keyterms says where the weights come from).

A document's score is the tf-idf dot product of the query's weights with it: for each query
term and each field that holds it, weight × field boost × idf × BM25 tf part (the same
saturated term frequency search uses, no length normalisation), summed into one dense numpy
array over the global docnums, as `Search` does for a keystroke. The cost is the postings of a
few dozen terms, never a pass in Python over the library: the papers a caller excludes or does
not allow are dropped from the best candidates, fetched in growing rounds, not from every match.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
from numpy.typing import NDArray

from tui.index._keyterms import idf
from tui.index._schema import BOOSTS, FIELD_BIT
from tui.index._search import Search, top
from tui.model import Related

# The fields a paper's key terms come from, and so the ones compared.
FIELDS = ("title", "abstract")
# How many shared terms explain each answer.
BECAUSE_TERMS = 4
# At most this many best candidates are looked at to find `limit` that pass `allowed` (a
# library read almost entirely may find fewer "for you" than asked, never a linear scan).
CANDIDATE_BUDGET = 20_000

Part = tuple[str, NDArray[np.intp], NDArray[np.float64]]  # term, docnums, contributions


def rank(
    search: Search,
    weights: Mapping[str, float],
    limit: int,
    exclude: Set[str] = frozenset(),
    allowed: Set[str] | None = None,
) -> list[Related]:
    """The `limit` documents closest to `weights`, best first, none of them in `exclude` and all
    in `allowed` (None: any), each with the query terms it holds that weigh most in its score."""
    if limit <= 0 or not weights:
        return []
    scores = search.zeros()
    parts: list[Part] = []
    for term, weight in weights.items():
        bits = search.vocab.fields.get(term, 0)
        factor = weight * idf(search.vocab, term, search.doc_count)
        if factor <= 0:
            continue
        for name in FIELDS:
            if not bits & FIELD_BIT[name]:
                continue
            search.check()
            ids, tf_part = search.postings(name, term)
            if not len(ids):
                continue
            contribution = np.multiply(tf_part, factor * BOOSTS[name], dtype=np.float64)
            scores[ids] += contribution  # a posting list holds each document once
            parts.append((term, ids, contribution))
    matches = scores > 0
    if not matches.any():
        return []
    search.drop_deleted(matches)
    if exclude:
        # Many excluded papers ("for you" leaves out every read one: thousands) would each
        # cost a candidate to skip: they are cleared by docnum instead, when the ids are known.
        live = search.cache.live_docnums(search.reader)
        if live is not None:
            gone = [live[paper_id] for paper_id in exclude if paper_id in live]
            matches[np.asarray(gone, dtype=np.intp)] = False
            exclude = frozenset()
    docs = np.flatnonzero(matches)
    search.check()
    chosen = _best_passing(search, docs, scores[docs], limit, exclude, allowed)
    if not chosen:
        return []
    best = np.fromiter((docnum for docnum, _ in chosen), dtype=np.intp, count=len(chosen))
    because = _because(parts, best)
    return [
        Related(paper_id, float(scores[docnum]), because[at])
        for at, (docnum, paper_id) in enumerate(chosen)
    ]


def _best_passing(
    search: Search,
    docs: NDArray[np.intp],
    scores: NDArray[np.float64],
    limit: int,
    exclude: Set[str],
    allowed: Set[str] | None,
) -> list[tuple[int, str]]:
    """(docnum, id) of the `limit` best of `docs` that pass, best first: the best
    `limit + len(exclude)` and some first, four times as many while too few passed."""
    want = limit + len(exclude) + 8
    while True:
        want = min(want, len(docs), max(CANDIDATE_BUDGET, limit + len(exclude)))
        best = top(docs, scores, want)
        chosen = []
        for docnum, paper_id in zip(best.tolist(), search.paper_ids(best), strict=True):
            if paper_id in exclude or (allowed is not None and paper_id not in allowed):
                continue
            chosen.append((docnum, paper_id))
            if len(chosen) == limit:
                return chosen
        if want >= len(docs) or want >= CANDIDATE_BUDGET:
            return chosen
        search.check()
        want *= 4


def _because(parts: list[Part], best: NDArray[np.intp]) -> list[tuple[str, ...]]:
    """For each of `best`: the query terms it holds, by their share of its score."""
    shares: dict[str, NDArray[np.float64]] = {}
    for term, ids, contribution in parts:
        at = np.searchsorted(ids, best)
        inside = at < len(ids)
        found = np.zeros(len(best), dtype=bool)
        found[inside] = ids[at[inside]] == best[inside]
        if not found.any():
            continue
        share = shares.get(term)
        if share is None:
            share = shares[term] = np.zeros(len(best), dtype=np.float64)
        share[found] += contribution[at[found]]
    terms = list(shares)
    if not terms:
        return [() for _ in best]
    table = np.vstack([shares[term] for term in terms])  # terms × documents
    out = []
    for column in range(len(best)):
        values = table[:, column]
        order = np.lexsort((np.arange(len(terms)), -values))[:BECAUSE_TERMS]
        out.append(tuple(terms[i] for i in order if values[i] > 0))
    return out
