"""Filter-only results (the ids `is:unread`, `has:code`, dates... let through), cached until the
database changes: the empty query (every id, 100k at the design size) is what every cleared
search box asks for, ~50-100 ms to read each time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tui.query import Query

Filtered = tuple[list[str], frozenset[str]]  # ids newest first, and the same as a set


def filter_key(query: Query) -> tuple[object, ...]:
    """What the store's filters read of a query (its text is the index's business)."""
    return (
        query.unread,
        query.read,
        query.saved,
        query.has_code,
        query.tags,
        query.excluded_tags,
        query.has_note,
        query.note_words,
        query.excluded_note_words,
        query.has_fulltext,
        query.year,
        query.after,
        query.before,
        query.arrived_after,
    )


def has_filters(query: Query) -> bool:
    return filter_key(query) != filter_key(Query())


class FilterCache:
    """Results by filter key, valid while the store's data token is unchanged. Thread-safe."""

    def __init__(self) -> None:
        self._cache: dict[tuple[tuple[object, ...], tuple[object, ...]], Filtered] = {}
        self._token: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def get(
        self,
        query: Query,
        token: tuple[int, int],
        read: Callable[[Query], list[str]],
        order: tuple[object, ...] = (),
    ) -> Filtered:
        """The cached ids of the query's filters (in ``order``: a sort and its parameters;
        read by ``read`` when not cached)."""
        key = (filter_key(query), order)
        with self._lock:
            if self._token != token:
                self._cache.clear()
                self._token = token
            cached = self._cache.get(key)
        if cached is None:
            ids = read(query)
            cached = (ids, frozenset(ids))
            with self._lock:
                if self._token == token:
                    self._cache[key] = cached
        return cached
