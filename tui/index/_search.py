"""Matching and ranking: one search over the open searcher, by array arithmetic on decoded
postings (Whoosh's own query machinery is far too slow for search-as-you-type at 100k papers;
see docs/search.md).

Each clause is a dense numpy array of scores over every global docnum (100k papers: 800 kB,
filled in well under a millisecond); a document matches a clause when its score there is
positive. Python dicts and sets did the same work at ~0.1 µs a posting, i.e. 5-10 ms for each
common word or short prefix (20-60k postings) and most of a keystroke's time (tests/bench).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence, Set
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tui.index._postings import PostingsCache, read_positions
from tui.index._schema import BOOSTS, FIELD_BIT, SUMMARY_FIELDS, TEXT_FIELDS, analyze
from tui.index._types import IndexHits
from tui.index._vocab import Vocabulary
from tui.model import SearchCancelled
from tui.query import Query

# How many completions of the prefix being typed are searched, the most frequent first. Whoosh's
# own Prefix query would search all of them: thousands for two letters at 100k papers.
PREFIX_TERMS = 24
# ...and no more completions than fit in this many postings to read (the most frequent one
# always goes in): "t" at 100k papers would otherwise read a million postings.
PREFIX_POSTINGS_PER_DOC = 0.5
PREFIX_MIN_POSTINGS = 5_000
# A word's plural (or singular) matches too, but counts less than the form typed.
VARIANT_FACTOR = 0.6
# At most this many documents get their positions read for the phrases of one search (~4 µs
# each); beyond it the number of phrase matches is extrapolated (see IndexHits.total).
PHRASE_VERIFY_BUDGET = 4_000
# au:"Geoffrey Hinton" also matches "Geoffrey E. Hinton": one word may sit between the two.
AUTHOR_SLOP = 2
# At most this many allowed papers (a watch's papers arrived since it was seen, after a
# refresh) are looked up first, and only the segments holding them are read: those papers
# are in the newest segments, and reading every term in every segment was most of the cost
# of 20 watches' news after a refresh (tests/bench).
FEW_ALLOWED = 4_000


def prefix_completions(vocab: Vocabulary, prefix: str, doc_count: int) -> list[str]:
    """The most frequent completions of `prefix`, within a budget of postings to read."""
    budget = max(PREFIX_MIN_POSTINGS, int(doc_count * PREFIX_POSTINGS_PER_DOC))
    chosen: list[str] = []
    spent = 0
    for term in vocab.completions(prefix, PREFIX_TERMS):
        if chosen and spent + vocab.df[term] > budget:
            break
        chosen.append(term)
        spent += vocab.df[term]
    return chosen


def top(docs: NDArray[np.intp], scores: NDArray[np.float64], limit: int) -> NDArray[np.intp]:
    """The `limit` best of `docs` (ascending docnums) by `scores` (theirs, same order); ties to
    the higher docnum (indexed last, usually the newest paper). Only the matches at or above
    the `limit`-th best score are sorted."""
    if len(docs) > limit:
        kth = len(docs) - limit
        threshold = np.partition(scores, kth)[kth]
        keep = scores >= threshold
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((-docs, -scores))  # the last key sorts first: best score, then newest
    return docs[order[:limit]]


class Search:
    """One search over the open searcher. Every clause (a word, the prefix, a phrase, an
    author, a title word) becomes an array of scores over the global docnums; the matches are
    the documents with a positive score in every clause and in no exclusion; a document's score
    is the sum of its clause scores. Clause scores are BM25 without length normalisation, field
    boosts applied, summed over fields; the completions of a prefix (and a word's plural) are
    alternatives, so a document scores by one of them (the rarest it contains) rather than
    their sum."""

    def __init__(
        self,
        searcher: Any,
        vocab: Vocabulary,
        cache: PostingsCache,
        schema: Any,
        cancelled: Callable[[], bool] | None = None,
        *,
        exact: bool = False,
    ):
        self.searcher = searcher
        self.cancelled = cancelled
        self.reader = searcher.reader()
        self.vocab = vocab
        self.cache = cache
        self.schema = schema
        self.leaves = self.reader.leaf_readers()
        self.doc_count = max(1, self.reader.doc_count())
        self.size = self.reader.doc_count_all()  # global docnums, deleted ones included
        # How many documents may still have their phrase positions read, and an estimate of
        # the matches among those that were not (added to `total`).
        # `exact` (a watch's counts): every candidate is checked, whatever it costs.
        self.exact = exact
        self.verify_budget = sys.maxsize if exact else PHRASE_VERIFY_BUDGET
        self.estimated_extra = 0
        # The leaves (by number) whose postings are read: None for all (see `restrict`).
        self.only_leaves: set[int] | None = None
        self.allowed_docs: NDArray[np.intp] | None = None

    def check(self) -> None:
        """Raise SearchCancelled when the caller abandoned this search (a newer one wins)."""
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled

    def run(self, query: Query, limit: int, allowed: Set[str] | None = None) -> IndexHits:
        """The best `limit` matches of `query`'s text among the papers in `allowed` (None:
        all), and how many of those matched."""
        if allowed is not None and len(allowed) <= FEW_ALLOWED and not self.restrict(allowed):
            return IndexHits([], 0)  # none of the allowed papers is indexed
        clauses: list[NDArray[np.float64]] = []
        for word in query.words:
            terms = analyze(self.schema, "abstract", word)
            for term in terms:
                variants = self.vocab.variants(term)
                factors = dict.fromkeys(variants[1:], VARIANT_FACTOR)
                clauses.append(self.any_field(variants, factors))
        if query.prefix:
            clauses.append(self.any_field(self.completions(query.prefix)))
        author_phrases: list[str] = []
        for name in query.authors:
            words = analyze(self.schema, "authors", name)
            if len(words) == 1:
                clauses.append(self.term_scores(("authors",), words))
            elif words:
                author_phrases.append(name)
        for word in query.title_words:
            for term in analyze(self.schema, "title", word):
                clauses.append(self.term_scores(("title",), [term]))
        for word in query.body_words:
            for term in analyze(self.schema, "body", word):
                clauses.append(self.term_scores(("body",), [term]))
        # Phrases last: their positions are only read for documents that match the rest.
        within = _matching(clauses) if clauses else None
        for phrase in query.phrases:
            clause = self.phrase(phrase, ("title", "abstract"), slop=1, within=within)
            if clause is not None:
                clauses.append(clause)
                within = clause > 0 if within is None else within & (clause > 0)
        for name in author_phrases:
            clause = self.phrase(name, ("authors",), AUTHOR_SLOP, within)
            clauses.append(clause if clause is not None else self.zeros())
        if not clauses:
            return IndexHits([], 0)  # only stop words
        self.check()
        matches = _matching(clauses)
        if matches.any():
            self.exclude(query.excluded, matches)
            self.drop_deleted(matches)
        docs = np.flatnonzero(matches)
        extra = self.estimated_extra
        if allowed is not None and len(docs):
            # The filters (is:, has:, dates) cut the matches before the limit does, so that
            # the limit keeps the best of what passes and the total counts what passes.
            keep = self.allowed(docs, allowed)
            extra = extra * int(keep.sum()) // len(docs)
            docs = docs[keep]
        if not len(docs):
            return IndexHits([], 0)
        self.check()
        scores = clauses[0][docs]
        for clause in clauses[1:]:
            scores += clause[docs]
        best = top(docs, scores, limit)
        return IndexHits(self.paper_ids(best), len(docs) + extra)

    def excluded(self, items: Sequence[str]) -> list[str]:
        """The ids of every paper the -word and -"phrase" items exclude (a query of filters
        and exclusions only: the library removes these from what the filters pass)."""
        everything = np.ones(self.size, dtype=np.bool_)
        self.drop_deleted(everything)
        kept = everything.copy()
        self.exclude(items, kept)
        return self.paper_ids(np.flatnonzero(everything & ~kept))

    def restrict(self, allowed: Set[str]) -> bool:
        """Look the (few) allowed papers up and read only the segments that hold them; False
        when none of them is in the index."""
        docnums = self.cache.docnums_of(self.reader, allowed)
        if docnums is None:  # some segment's ids are not read yet: search everything
            return True
        self.allowed_docs = docnums
        if not len(docnums):
            return False
        offsets = np.array([offset for _, offset in self.leaves], dtype=np.intp)
        leaves = set(np.unique(np.searchsorted(offsets, docnums, side="right") - 1).tolist())
        if len(leaves) < len(self.leaves):
            self.only_leaves = leaves
        return True

    def allowed(self, docs: NDArray[np.intp], allowed: Set[str]) -> NDArray[np.bool_]:
        """Which of `docs` (live, ascending) are papers in `allowed`. Fewer allowed papers
        than matches (a watch's papers arrived since it was seen, a short filter) become
        docnums; otherwise each match's id is looked up."""
        if self.allowed_docs is not None:
            mask = np.zeros(self.size, dtype=np.bool_)
            mask[self.allowed_docs] = True
            return mask[docs]
        if len(allowed) < len(docs):
            live = self.cache.live_docnums(self.reader)
            if live is not None:
                wanted = np.fromiter((live[i] for i in allowed if i in live), dtype=np.intp)
                mask = np.zeros(self.size, dtype=np.bool_)
                mask[wanted] = True
                return mask[docs]
        ids = self.paper_ids(docs)
        return np.fromiter((paper_id in allowed for paper_id in ids), np.bool_, len(ids))

    def zeros(self) -> NDArray[np.float64]:
        return np.zeros(self.size, dtype=np.float64)

    def completions(self, prefix: str) -> list[str]:
        return prefix_completions(self.vocab, prefix, self.doc_count)

    def any_field(
        self, alternatives: list[str], factors: dict[str, float] | None = None
    ) -> NDArray[np.float64]:
        """Scores for documents containing any of `alternatives` in any text field."""
        present = [t for t in alternatives if self.vocab.fields.get(t, 0)]
        return self.term_scores(TEXT_FIELDS, present, factors)

    def term_scores(
        self,
        fields: Sequence[str],
        terms: Sequence[str],
        factors: dict[str, float] | None = None,
    ) -> NDArray[np.float64]:
        """Scores for documents with any of `terms` in any of `fields`; `factors` discounts some
        terms (a word's plural counts less than the word typed)."""
        # Among alternatives in the abstract (the long postings), the one written last wins a
        # document: the undiscounted, then the rarer ones go last. The other fields' scores
        # are added on top.
        factors = factors or {}
        scores = self.zeros()
        bulk: list[tuple[str, str]] = []
        rest: list[tuple[str, str]] = []
        for name in fields:
            for term in terms:
                if self.vocab.fields.get(term, 0) & FIELD_BIT[name]:
                    (bulk if name == "abstract" else rest).append((name, term))
        bulk.sort(key=lambda item: (-factors.get(item[1], 1.0), -self.vocab.df.get(item[1], 0)))
        for name, term in bulk:
            self.check()
            factor = self.weight(name, term) * factors.get(term, 1.0)
            ids, weights = self.postings(name, term)
            scores[ids] = np.multiply(weights, factor, dtype=np.float64)
        for name, term in rest:
            self.check()
            factor = self.weight(name, term) * factors.get(term, 1.0)
            ids, weights = self.postings(name, term)
            # A posting list holds each document once, so `+=` on the fancy index is exact.
            scores[ids] += np.multiply(weights, factor, dtype=np.float64)
        return scores

    def postings(self, field: str, term: str) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
        """Global docnums (ascending) and tf parts of `term` in `field`, over every leaf."""
        parts = self.cache.get(self.reader, field, term, self.check, self.only_leaves)
        ids = [
            local.astype(np.intp) + offset
            for (local, _), (_, offset) in zip(parts, self.leaves, strict=True)
        ]
        if len(ids) == 1:
            return ids[0], parts[0][1]
        return np.concatenate(ids), np.concatenate([weights for _, weights in parts])

    def weight(self, field: str, term: str) -> float:
        # Frequencies count deleted documents too (as Whoosh does): capped, so that the idf,
        # and with it every score, stays positive (a positive score is what "matches" means).
        df = min(self.cache.doc_frequency(self.reader, field, term), self.doc_count)
        idf = math.log(1.0 + (self.doc_count - df + 0.5) / (df + 0.5))
        return BOOSTS[field] * idf

    def phrase(
        self,
        phrase: str,
        fields: tuple[str, ...],
        slop: int,
        within: NDArray[np.bool_] | None = None,
    ) -> NDArray[np.float64] | None:
        """Documents (among `within`, if given) with the phrase in any of `fields`, scored as
        the sum of its words in each field where it occurs."""
        terms = analyze(self.schema, fields[0], phrase)
        if not terms:
            return None  # only stop words
        if len(terms) == 1:
            return self.term_scores(fields, terms)
        scores = self.zeros()
        for name in fields:
            score = sum(self.weight(name, term) for term in terms)
            found = self.phrase_docs(name, terms, slop, within)
            if found:
                scores[np.fromiter(found, dtype=np.intp, count=len(found))] += score
        return scores

    def phrase_docs(
        self,
        field: str,
        terms: list[str],
        slop: int,
        within: NDArray[np.bool_] | None = None,
        unchecked_match: bool = False,
    ) -> set[int]:
        """Global docnums (among `within`, if given) with `terms` in order in `field`, each at
        most `slop` positions after the one before. Only the documents that have every word
        get their positions read, and only the posting blocks that hold them are decoded."""
        if any(not self.vocab.fields.get(t, 0) & FIELD_BIT[field] for t in terms):
            return set()
        key = tuple(terms)
        found: set[int] = set()
        per_term = [
            self.cache.get(self.reader, field, term, self.check, self.only_leaves) for term in terms
        ]
        for leaf, (segreader, offset) in enumerate(self.leaves):
            if self.only_leaves is not None and leaf not in self.only_leaves:
                continue  # holds none of the allowed papers (its postings were not read)
            self.check()
            known = self.cache.phrase_matches(segreader, field, key, slop)
            if known is not None:  # verified before: no position to read
                if within is not None and len(known):
                    known = known[within[known.astype(np.intp) + offset]]
                found.update((known.astype(np.intp) + offset).tolist())
                continue
            lists = sorted((postings[leaf][0] for postings in per_term), key=len)
            candidates = lists[0]
            for ids in lists[1:]:
                if not len(candidates):
                    break
                candidates = np.intersect1d(candidates, ids, assume_unique=True)
            # Every candidate of the segment checked (exact, or few enough): the answer holds
            # for any later search, so it is remembered. Otherwise only those `within`.
            complete = self.exact or within is None
            if within is not None and len(candidates) and not complete:
                candidates = candidates[within[candidates.astype(np.intp) + offset]]
            if not len(candidates):
                if complete:
                    self.cache.put_phrase_matches(segreader, field, key, slop, [])
                continue
            # Reading positions costs ~4 µs a document: check the newest within the budget
            # and extrapolate how many of the others match.
            wanted: list[int] = candidates[::-1].tolist()
            unchecked = max(0, len(wanted) - self.verify_budget)
            if unchecked:
                complete = False  # (never when exact: its budget has no end)
                if unchecked_match:
                    found.update(docnum + offset for docnum in wanted[self.verify_budget :])
                    unchecked = 0
                wanted = wanted[: self.verify_budget]
            self.verify_budget -= len(wanted)
            if not wanted:
                self.estimated_extra += unchecked // 2
                continue
            wanted.reverse()
            matched = _phrase_in(
                [read_positions(segreader, field, term, wanted) for term in terms], wanted, slop
            )
            if complete:
                self.cache.put_phrase_matches(segreader, field, key, slop, matched)
                if within is not None:
                    matched = [d for d in matched if within[d + offset]]
            found.update(docnum + offset for docnum in matched)
            if unchecked:
                self.estimated_extra += unchecked * len(matched) // len(wanted)
        return found

    def exclude(self, items: Sequence[str], matches: NDArray[np.bool_]) -> None:
        """Clear from `matches` the documents the -word and -"phrase" items exclude. A document
        whose phrase positions are beyond the budget is dropped if it has all the words.
        Exclusions read the summary, never the full text: a paper's body mentions almost any
        word, so "-survey" would drop every paper whose text is kept."""
        for item in items:
            self.check()
            terms = analyze(self.schema, "abstract", item)
            if len(terms) == 1:
                # "-agent" also drops "agents", as "agent" also finds them.
                for term in self.vocab.variants(terms[0]):
                    for name in SUMMARY_FIELDS:
                        if self.vocab.fields.get(term, 0) & FIELD_BIT[name]:
                            matches[self.postings(name, term)[0]] = False
            elif terms:
                for name in ("title", "abstract"):
                    found = self.phrase_docs(name, terms, 1, matches, unchecked_match=True)
                    if found:
                        matches[np.fromiter(found, dtype=np.intp, count=len(found))] = False

    def drop_deleted(self, matches: NDArray[np.bool_]) -> None:
        for segreader, offset in self.leaves:
            if segreader.has_deletions():
                deleted = segreader.deleted_docs_set
                if deleted:
                    matches[np.fromiter(deleted, dtype=np.intp, count=len(deleted)) + offset] = (
                        False
                    )

    def paper_ids(self, docnums: NDArray[np.intp]) -> list[str]:
        """The paper ids of global docnums: up to `limit` per keystroke, so the leaf is found
        by bisection and each leaf's remembered ids are looked up directly."""
        every = self.cache.all_ids(self.reader)
        if every is not None:
            return list(every[docnums])
        offsets = [offset for _, offset in self.leaves]
        lists = [self.cache.id_list(segreader) for segreader, _ in self.leaves]
        tables = [self.cache.id_table(segreader) for segreader, _ in self.leaves]
        leaves = np.searchsorted(offsets, docnums, side="right") - 1
        out = []
        for docnum, leaf in zip(docnums.tolist(), leaves.tolist(), strict=True):
            local = docnum - offsets[leaf]
            known = lists[leaf]
            if known is not None:
                out.append(known[local])
                continue
            paper_id = tables[leaf].get(local)
            if paper_id is None:
                paper_id = self.cache.paper_id(self.leaves[leaf][0], local)
            out.append(paper_id)
        return out


def _phrase_in(positions: list[dict[int, list[int]]], wanted: list[int], slop: int) -> list[int]:
    """The documents of `wanted` where the terms (their positions, in phrase order) follow
    one another, each at most `slop` positions after the one before."""
    matched = []
    for docnum in wanted:
        starts = positions[0].get(docnum, ())
        for later in positions[1:]:
            following = later.get(docnum, ())
            starts = [q for q in following if any(0 < q - p <= slop for p in starts)]
            if not starts:
                break
        if starts:
            matched.append(docnum)
    return matched


def _matching(clauses: list[NDArray[np.float64]]) -> NDArray[np.bool_]:
    """The documents with a positive score in every clause."""
    matches = clauses[0] > 0
    for clause in clauses[1:]:
        matches &= clause > 0
    return matches
