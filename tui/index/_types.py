"""What the index's searches return and raise, apart from SearchCancelled (tui.model, as the
store's fallback search raises it too): in a module of their own, free of numpy."""

from __future__ import annotations

from dataclasses import dataclass


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


class IndexWriteFailed(IndexUnavailable):
    """The index could not be written (disk full...); the message says why and what to do. A
    failed rebuild leaves the previous index in place and removes its partial directory; a
    failed update leaves the index behind the store (the next sync repairs it)."""
