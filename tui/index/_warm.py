"""Warming the index's caches in the background after it opens: every paper id, and the
postings of the most frequent terms, so that the first keystrokes do not decode them.

The work is done through private segment readers (their own file handles), outside the index
lock: only putting a result into the shared cache takes the lock, for microseconds. (Decoding
under the lock, as before, made the first searches after opening wait for the warm-up.)"""

from __future__ import annotations

import contextlib
import heapq
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader

from tui.index._ids import compute_segment_ids, read_segment_ids
from tui.index._persist import load_postings, save_postings
from tui.index._postings import PostingsCache, decode
from tui.index._schema import FIELD_BIT, TEXT_FIELDS
from tui.index._search import prefix_completions
from tui.index._vocab import Vocabulary

log = logging.getLogger(__name__)

# How many postings the warm-up decodes, of how many of the most frequent terms.
WARM_POSTINGS = 6_000_000
WARM_TERMS = 3_000


def _warm_order(vocab: Vocabulary, doc_count: int) -> Iterator[str]:
    """The terms to decode, most useful first: the completions searched for every one- and
    two-letter prefix (the first keystrokes of any query; the two-letter prefixes by how
    common their terms are), then the most frequent terms."""
    seen: set[str] = set()
    firsts = sorted({term[:1] for term in vocab.terms if term})
    pairs: dict[str, int] = {}
    for term in vocab.terms:
        if len(term) >= 2:
            pairs[term[:2]] = pairs.get(term[:2], 0) + vocab.df[term]
    prefixes = firsts + sorted(pairs, key=pairs.__getitem__, reverse=True)
    for prefix in prefixes:
        for term in prefix_completions(vocab, prefix, doc_count):
            if term not in seen:
                seen.add(term)
                yield term
    for term in heapq.nlargest(WARM_TERMS, vocab.df, key=vocab.df.__getitem__):
        if term not in seen:
            yield term


def _warm_work(
    vocab: Vocabulary, doc_count: int, private: list[tuple[Any, Any]]
) -> Iterator[tuple[Any, Any, str, str]]:
    """(leaf, private reader, field, term) to have in the cache, most useful first."""
    for term in _warm_order(vocab, doc_count):
        for name in TEXT_FIELDS:
            if vocab.fields.get(term, 0) & FIELD_BIT[name]:
                for leaf, own in private:
                    yield leaf, own, name, term


def warm(
    lock: threading.RLock,
    searcher: Any,
    vocab: Vocabulary,
    cache: PostingsCache,
    ix_path: Path,
    stop: Callable[[], bool],
    budget: int = WARM_POSTINGS,
) -> int:
    """Fill `cache` for `searcher` (ids first, then postings) until `stop()` or the budget.
    Returns how many postings it decoded. Never raises: it is only an optimisation."""
    decoded = 0
    private: list[tuple[Any, Any]] = []  # (the searcher's leaf reader, our own reader)
    try:
        with lock:
            if stop():
                return 0
            for leaf, _ in searcher.reader().leaf_readers():
                segment = leaf.segment()
                if segment is not None:
                    private.append((leaf, SegmentReader(leaf._storage, leaf.schema, segment)))
        for leaf, own in private:
            if stop():
                return decoded
            if cache.id_list(leaf) is None:
                ids = read_segment_ids(own, ix_path) or compute_segment_ids(own, ix_path)
                with lock:
                    cache.set_id_list(leaf, ids)
        persisted = set()
        for leaf, own in private:
            saved = None if stop() else load_postings(own, ix_path)
            if saved is not None:
                persisted.add(id(leaf))
                with lock:
                    for (name, term), entry in saved.items():
                        if cache.peek(leaf, name, term) is None:
                            cache.put(leaf, name, term, entry)
        grown: set[int] = set()  # leaves with postings decoded now, not loaded
        covered = 0  # postings of the warm set in the cache: loaded, decoded or already there
        for leaf, own, name, term in _warm_work(vocab, max(1, searcher.doc_count()), private):
            if covered >= budget:
                break
            if stop():
                return decoded
            with lock:
                known = cache.peek(leaf, name, term)
            if known is not None:
                covered += len(known[0])
                continue
            entry = decode(own, name, term)
            grown.add(id(leaf))
            decoded += len(entry[0])
            covered += len(entry[0])
            with lock:
                cache.put(leaf, name, term, entry)
            time.sleep(0)  # let a search thread run between two decodes
        for leaf, own in private:
            if (id(leaf) in grown or id(leaf) not in persisted) and not stop():
                with lock:
                    entries = cache.segment_entries(leaf)
                save_postings(own, ix_path, entries)
    except Exception:
        log.debug("warming the index cache failed", exc_info=True)
    finally:
        for _, own in private:
            with contextlib.suppress(Exception):
                own.close()
    return decoded
