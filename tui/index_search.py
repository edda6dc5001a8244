"""Matching and ranking: one search over the open searcher, by set arithmetic on decoded
postings (Whoosh's own query machinery is far too slow for search-as-you-type at 100k papers;
see tui/index.py).
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, mul
from typing import Any

from tui.index_errors import SearchCancelled
from tui.index_postings import _positions, _PostingsCache
from tui.index_schema import _BOOSTS, _FIELD_BIT, _TEXT_FIELDS, _analyze
from tui.index_vocab import _Vocabulary
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


@dataclass(frozen=True, slots=True)
class IndexHits:
    ids: list[str]  # ranked best first (title matches first), at most `limit`
    # How many documents matched: exact, except for phrases made of common words, where the
    # positions of at most PHRASE_VERIFY_BUDGET candidates are checked (the newest) and the
    # share that matched is extrapolated to the rest.
    total: int


def _top(docs: list[int], scores: dict[int, float], limit: int) -> list[int]:
    """The `limit` best of `docs` by score; ties to the higher docnum (indexed last, usually the
    newest paper). Sorting 100k scores costs ~10 ms, so when there are many more matches than
    `limit`, a sample of the scores gives a threshold and only the docs above it are sorted."""
    if len(docs) > 4 * limit:
        step = max(1, len(docs) // 2048)
        sample = sorted(map(scores.__getitem__, docs[::step]), reverse=True)
        # Aim at twice the share of the sample that `limit` represents, for safety.
        rank = min(len(sample) - 1, (2 * limit * len(sample)) // len(docs) + 1)
        threshold = sample[rank]
        above = list(compress(docs, map(threshold.__le__, map(scores.__getitem__, docs))))
        if len(above) >= limit:
            docs = above
    docs = sorted(docs, reverse=True)
    docs.sort(key=scores.__getitem__, reverse=True)  # stable: equal scores stay newest first
    return docs[:limit]


def _intersection(clauses: list[dict[int, float]]) -> set[int]:
    ordered = sorted(clauses, key=len)
    matches = set(ordered[0])
    for clause in ordered[1:]:
        if not matches:
            break
        matches.intersection_update(clause)
    return matches


class _Search:
    """One search over the open searcher. Every clause (a word, the prefix, a phrase, an
    author, a title word) becomes a dict of global docnum -> score; the matches are the
    documents in every clause and in no exclusion; a document's score is the sum of its clause
    scores. Clause scores are BM25 without length normalisation, field boosts applied, summed
    over fields; the completions of a prefix (and a word's plural) are alternatives, so a
    document scores by one of them (the rarest it contains) rather than their sum."""

    def __init__(
        self,
        searcher: Any,
        vocab: _Vocabulary,
        cache: _PostingsCache,
        schema: Any,
        cancelled: Callable[[], bool] | None = None,
    ):
        self.searcher = searcher
        self.cancelled = cancelled
        self.reader = searcher.reader()
        self.vocab = vocab
        self.cache = cache
        self.schema = schema
        self.leaves = self.reader.leaf_readers()
        self.doc_count = max(1, self.reader.doc_count())
        # How many documents may still have their phrase positions read, and an estimate of
        # the matches among those that were not (added to `total`).
        self.verify_budget = PHRASE_VERIFY_BUDGET
        self.estimated_extra = 0

    def check(self) -> None:
        """Raise SearchCancelled when the caller abandoned this search (a newer one wins)."""
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled

    def run(self, query: Query, limit: int) -> IndexHits:
        clauses: list[dict[int, float]] = []
        for word in query.words:
            terms = _analyze(self.schema, "abstract", word)
            for term in terms:
                variants = self.vocab.variants(term)
                factors = dict.fromkeys(variants[1:], VARIANT_FACTOR)
                clauses.append(self.any_field(variants, factors))
        if query.prefix:
            clauses.append(self.any_field(self.completions(query.prefix)))
        author_phrases: list[str] = []
        for name in query.authors:
            words = _analyze(self.schema, "authors", name)
            if len(words) == 1:
                clauses.append(self.term_scores(("authors",), words))
            elif words:
                author_phrases.append(name)
        for word in query.title_words:
            for term in _analyze(self.schema, "title", word):
                clauses.append(self.term_scores(("title",), [term]))
        # Phrases last: their positions are only read for documents that match the rest.
        within = _intersection(clauses) if clauses else None
        for phrase in query.phrases:
            clause = self.phrase(phrase, ("title", "abstract"), slop=1, within=within)
            if clause is not None:
                clauses.append(clause)
                within = set(clause) if within is None else within & clause.keys()
        for name in author_phrases:
            clauses.append(self.phrase(name, ("authors",), AUTHOR_SLOP, within) or {})
        if not clauses:
            return IndexHits([], 0)  # only stop words
        self.check()
        matches = _intersection(clauses)
        if matches:
            matches -= self.excluded(query.excluded, matches)
            matches -= self.deleted()
        if not matches:
            return IndexHits([], 0)
        self.check()
        docs = list(matches)
        if len(clauses) == 1:
            scores = clauses[0]
        else:
            sums = map(sum, zip(*(map(c.__getitem__, docs) for c in clauses), strict=True))
            scores = dict(zip(docs, sums, strict=True))
        self.check()
        best = _top(docs, scores, limit)
        return IndexHits(self.paper_ids(best), len(docs) + self.estimated_extra)

    def completions(self, prefix: str) -> list[str]:
        """The most frequent completions of `prefix`, within a budget of postings to read."""
        budget = max(PREFIX_MIN_POSTINGS, int(self.doc_count * PREFIX_POSTINGS_PER_DOC))
        chosen: list[str] = []
        spent = 0
        for term in self.vocab.completions(prefix, PREFIX_TERMS):
            if chosen and spent + self.vocab.df[term] > budget:
                break
            chosen.append(term)
            spent += self.vocab.df[term]
        return chosen

    def any_field(
        self, alternatives: list[str], factors: dict[str, float] | None = None
    ) -> dict[int, float]:
        """Scores for documents containing any of `alternatives` in any text field."""
        present = [t for t in alternatives if self.vocab.fields.get(t, 0)]
        return self.term_scores(_TEXT_FIELDS, present, factors)

    def term_scores(
        self,
        fields: Sequence[str],
        terms: Sequence[str],
        factors: dict[str, float] | None = None,
    ) -> dict[int, float]:
        """Scores for documents with any of `terms` in any of `fields`; `factors` discounts some
        terms (a word's plural counts less than the word typed)."""
        # The abstract goes first and in bulk (dict.update runs in C; its postings are the long
        # ones); the other fields' postings are short and are added to it one by one. Among
        # alternatives of the bulk field, the one applied last wins a document: the undiscounted,
        # then the rarer ones go last.
        factors = factors or {}
        scores: dict[int, float] = {}
        bulk: list[tuple[str, str]] = []
        rest: list[tuple[str, str]] = []
        for name in fields:
            for term in terms:
                if self.vocab.fields.get(term, 0) & _FIELD_BIT[name]:
                    (bulk if name == "abstract" else rest).append((name, term))
        bulk.sort(key=lambda item: (-factors.get(item[1], 1.0), -self.vocab.df.get(item[1], 0)))
        for name, term in bulk:
            self.check()
            for ids, weights in self.postings(name, term):
                factor = self.weight(name, term) * factors.get(term, 1.0)
                scores.update(zip(ids, map(mul, weights, repeat(factor)), strict=False))
        for name, term in rest:
            get = scores.get
            for ids, weights in self.postings(name, term):
                self.check()
                factor = self.weight(name, term) * factors.get(term, 1.0)
                for docnum, tf_part in zip(ids, weights, strict=True):
                    scores[docnum] = get(docnum, 0.0) + tf_part * factor
        return scores

    def postings(self, field: str, term: str) -> Iterable[tuple[Iterable[int], array[float]]]:
        """Global docnums and tf parts of `term` in `field`, leaf by leaf."""
        for (ids, weights), (_, offset) in zip(
            self.cache.get(self.reader, field, term, self.check), self.leaves, strict=True
        ):
            yield (map(add, ids, repeat(offset)) if offset else ids), weights

    def weight(self, field: str, term: str) -> float:
        df = self.cache.doc_frequency(self.reader, field, term)
        idf = math.log(1.0 + (self.doc_count - df + 0.5) / (df + 0.5))
        return _BOOSTS[field] * idf

    def phrase(
        self,
        phrase: str,
        fields: tuple[str, ...],
        slop: int,
        within: set[int] | None = None,
    ) -> dict[int, float] | None:
        """Documents (among `within`, if given) with the phrase in any of `fields`, scored as
        the sum of its words in each field where it occurs."""
        terms = _analyze(self.schema, fields[0], phrase)
        if not terms:
            return None  # only stop words
        if len(terms) == 1:
            return self.term_scores(fields, terms)
        scores: dict[int, float] = {}
        for name in fields:
            score = sum(self.weight(name, term) for term in terms)
            for docnum in self.phrase_docs(name, terms, slop, within):
                scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def phrase_docs(
        self,
        field: str,
        terms: list[str],
        slop: int,
        within: set[int] | None = None,
        unchecked_match: bool = False,
    ) -> set[int]:
        """Global docnums (among `within`, if given) with `terms` in order in `field`, each at
        most `slop` positions after the one before. Only the documents that have every word
        get their positions read, and only the posting blocks that hold them are decoded."""
        if any(not self.vocab.fields.get(t, 0) & _FIELD_BIT[field] for t in terms):
            return set()
        found: set[int] = set()
        per_term = [self.cache.get(self.reader, field, term, self.check) for term in terms]
        for leaf, (segreader, offset) in enumerate(self.leaves):
            self.check()
            lists = sorted((postings[leaf][0] for postings in per_term), key=len)
            candidates = set(lists[0])
            for ids in lists[1:]:
                candidates.intersection_update(ids)
            if within is not None:
                # Walk this leaf's candidates, not all of `within` (which spans every leaf:
                # doing that per leaf cost ~20x at 100k papers in ~20 segments).
                if offset:
                    candidates = {docnum for docnum in candidates if docnum + offset in within}
                else:
                    candidates.intersection_update(within)
            if not candidates:
                continue
            # Reading positions costs ~4 µs a document: check the newest within the budget
            # and extrapolate how many of the others match.
            wanted = sorted(candidates, reverse=True)
            unchecked = max(0, len(wanted) - self.verify_budget)
            if unchecked:
                if unchecked_match:
                    found.update(docnum + offset for docnum in wanted[self.verify_budget :])
                    unchecked = 0
                wanted = wanted[: self.verify_budget]
            self.verify_budget -= len(wanted)
            if not wanted:
                self.estimated_extra += unchecked // 2
                continue
            wanted.reverse()
            before = len(found)
            positions = [_positions(segreader, field, term, wanted) for term in terms]
            for docnum in wanted:
                starts = positions[0].get(docnum, ())
                for later in positions[1:]:
                    following = later.get(docnum, ())
                    starts = [q for q in following if any(0 < q - p <= slop for p in starts)]
                    if not starts:
                        break
                if starts:
                    found.add(docnum + offset)
            if unchecked:
                self.estimated_extra += unchecked * (len(found) - before) // len(wanted)
        return found

    def excluded(self, items: Sequence[str], within: set[int]) -> set[int]:
        """Documents among `within` to drop for the -word and -"phrase" items. A document
        whose phrase positions are beyond the budget is dropped if it has all the words."""
        out: set[int] = set()
        for item in items:
            self.check()
            terms = _analyze(self.schema, "abstract", item)
            if len(terms) == 1:
                for name in _TEXT_FIELDS:
                    for ids, _ in self.postings(name, terms[0]):
                        out.update(ids)
            elif terms:
                for name in ("title", "abstract"):
                    out |= self.phrase_docs(name, terms, 1, within, unchecked_match=True)
        return out

    def deleted(self) -> set[int]:
        out: set[int] = set()
        for segreader, offset in self.leaves:
            if segreader.has_deletions():
                out.update(docnum + offset for docnum in segreader.deleted_docs_set)
        return out

    def paper_ids(self, docnums: Sequence[int]) -> list[str]:
        """The paper ids of global docnums: up to `limit` per keystroke, so the leaf is found
        by bisection and each leaf's remembered ids are looked up directly."""
        offsets = [offset for _, offset in self.leaves]
        tables = [self.cache.id_table(segreader) for segreader, _ in self.leaves]
        out = []
        for docnum in docnums:
            leaf = bisect.bisect_right(offsets, docnum) - 1
            local = docnum - offsets[leaf]
            paper_id = tables[leaf].get(local)
            if paper_id is None:
                paper_id = self.cache.paper_id(self.leaves[leaf][0], local)
            out.append(paper_id)
        return out
