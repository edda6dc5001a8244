"""The index's public result and exception types, in a module of their own: the store (whose
fallback search can be cancelled too) raises the same SearchCancelled without importing Whoosh,
and tui.index exports them without importing numpy (tui/index_search.py) on the startup path."""

from __future__ import annotations

from dataclasses import dataclass

from tui.model import SearchCancelled

__all__ = ["IndexBusy", "IndexHits", "IndexUnavailable", "SearchCancelled"]


@dataclass(frozen=True, slots=True)
class IndexHits:
    ids: list[str]  # ranked best first (title matches first), at most `limit`
    # How many documents matched: exact, except for phrases made of common words, where the
    # positions of at most PHRASE_VERIFY_BUDGET candidates are checked (the newest) and the
    # share that matched is extrapolated to the rest.
    total: int


class IndexUnavailable(Exception):
    """The index cannot be written: missing, damaged or from another schema (rebuild it)."""


class IndexBusy(IndexUnavailable):
    """Another process is writing the index right now."""
