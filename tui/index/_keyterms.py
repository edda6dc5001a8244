"""Key terms: what a paper (or a set of saved papers) is about, as tf-idf weights over the
index's own terms, for "more like this" and "for you" (tui/index/_related ranks by them).

A term's weight is its sublinear term frequency in the title and abstract (a title occurrence
counts TITLE_BOOST times, as in search) times its rarity in the archive, log(N / df), with the
vocabulary's document frequencies (`Vocabulary.df`, summed over the text fields). Terms no
other paper has are dropped: they can explain no similarity. Free of numpy: it is plain
dictionaries of a few hundred terms.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable
from typing import Any

from tui.index._schema import BOOSTS, SUMMARY_FIELDS, document
from tui.index._vocab import Vocabulary
from tui.model import Paper
from tui.query import is_indexed_word, tokens

# How many terms describe one paper ("more like this") and the saved papers together ("for
# you"): enough to find papers sharing a topic, few enough that a ranking reads few postings.
KEY_TERMS = 25
PROFILE_TERMS = 40
# Papers whose key terms are remembered (a "for you" over 500 saved papers reuses them).
CACHE_PAPERS = 5_000

Weights = dict[str, float]
# Abbreviations of single letters ("e.g", "i.e", "w.r.t"): common, and they say nothing.
_ABBREVIATION = re.compile(r"^(?:\w\.)+\w?$")


def idf(vocab: Vocabulary, term: str, doc_count: int) -> float:
    """log(N / df): 0 for a term in (nearly) every paper, higher the rarer it is."""
    df = min(max(vocab.df.get(term, 0), 1), doc_count)
    return math.log(doc_count / df)


# Per term of a paper: (term, its sublinear tf 1 + log(count), in how many of the paper's own
# fields it is). Abbreviations are already left out: nothing here depends on the index.
Analysis = list[tuple[str, float, int]]


def analysis(schema: Any, paper: Paper) -> Analysis:
    """The paper's term counts in its title and abstract (a title occurrence counts
    TITLE_BOOST times) and, for each, in how many of its own text fields it is: what its key
    terms are computed from, whatever the document frequencies.

    The words are cut by tui.query's `tokens`, which cuts them as the index's analyzers do
    (tests/test_index.py keeps the two equal) at a third of the cost of running Whoosh's
    analyzer chain: "for you" over 500 saved papers analyses each of them once."""
    title = [word for word in tokens(paper.title) if is_indexed_word(word)]
    abstract = [word for word in tokens(paper.abstract) if is_indexed_word(word)]
    counts: dict[str, float] = {}
    for term in title:
        counts[term] = counts.get(term, 0.0) + BOOSTS["title"]
    for term in abstract:
        counts[term] = counts.get(term, 0.0) + 1.0
    own = dict.fromkeys(counts, 0)
    doc = document(paper)
    fields = {"title": set(title), "abstract": set(abstract)}
    for name in SUMMARY_FIELDS:
        # Authors keep every word (a name analyzer); keywords drop stop words like the text.
        terms = fields.get(name) or {
            word for word in tokens(doc[name]) if name == "authors" or is_indexed_word(word)
        }
        for term in terms:
            if term in own:
                own[term] += 1
    return [
        (term, 1.0 + math.log(count), own[term])
        for term, count in counts.items()
        if not _ABBREVIATION.match(term)
    ]


def weigh(vocab: Vocabulary, doc_count: int, terms: Analysis) -> Weights:
    """The KEY_TERMS best terms of an `analysis` by tf-idf, L2-normalised, heaviest first.
    The vocabulary counts the paper itself, once per field holding the term: a term whose df
    is no more than that belongs to no other paper and is dropped.

    The loop is `idf` inlined: after every refresh (a new vocabulary) "for you" weighs each
    saved paper again, 500 of them at ~100 terms each."""
    df_of = vocab.df.get
    log = math.log
    weights: Weights = {}
    for term, tf, own in terms:
        df = df_of(term, 0)
        if df <= own:
            continue
        weight = tf * log(doc_count / min(df, doc_count))  # df > own >= 1: never zero
        if weight > 0:
            weights[term] = weight
    return _normalised(_best(weights, KEY_TERMS))


def paper_terms(schema: Any, vocab: Vocabulary, doc_count: int, paper: Paper) -> Weights:
    """The paper's key terms (`weigh` of its `analysis`)."""
    return weigh(vocab, doc_count, analysis(schema, paper))


def combine(vectors: Iterable[Weights], limit: int = PROFILE_TERMS) -> Weights:
    """The sum of (normalised) term vectors, its `limit` heaviest terms, L2-normalised."""
    total: Weights = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return _normalised(_best(total, limit))


def _best(weights: Weights, limit: int) -> Weights:
    best = heapq.nlargest(limit, weights.items(), key=lambda item: (item[1], item[0]))
    return dict(best)


def _normalised(weights: Weights) -> Weights:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {term: w / norm for term, w in weights.items()} if norm else {}


class KeyTermCache:
    """Each paper's analysis (by its text: analysing is the cost, ~0.5 ms a paper) and its key
    terms (while the vocabulary, hence every df, is the same one: an update makes a new
    vocabulary, and only the cheap weighing is done again). Not thread-safe: PaperIndex
    holds its lock around it."""

    def __init__(self) -> None:
        self._vocab: Vocabulary | None = None
        self._doc_count = 0
        self._analyses: dict[tuple[str, ...], Analysis] = {}
        self._terms: dict[tuple[str, ...], Weights] = {}

    def terms(self, schema: Any, vocab: Vocabulary, doc_count: int, paper: Paper) -> Weights:
        if vocab is not self._vocab or doc_count != self._doc_count:
            self._vocab, self._doc_count, self._terms = vocab, doc_count, {}
        key = (paper.id, paper.title, paper.abstract, *paper.authors, "", *paper.ai_keywords)
        found = self._terms.get(key)
        if found is not None:
            return found
        counts = self._analyses.get(key)
        if counts is None:
            if len(self._analyses) >= CACHE_PAPERS:
                self._analyses.clear()
            counts = self._analyses[key] = analysis(schema, paper)
        if len(self._terms) >= CACHE_PAPERS:
            self._terms.clear()
        found = self._terms[key] = weigh(vocab, doc_count, counts)
        return found
