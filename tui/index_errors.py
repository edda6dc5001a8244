"""The index's exceptions, in a module of their own so that the store (whose fallback search
can be cancelled too) raises the same SearchCancelled without importing Whoosh."""

from __future__ import annotations


class IndexUnavailable(Exception):
    """The index cannot be written: missing, damaged or from another schema (rebuild it)."""


class IndexBusy(IndexUnavailable):
    """Another process is writing the index right now."""


class SearchCancelled(Exception):
    """The search was abandoned because its `cancelled` hook said so: a newer query wins.

    Raised between steps (before a term's postings are decoded, per segment of a phrase check,
    every few thousand postings of a long loop), so the index lock is released at once."""
