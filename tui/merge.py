"""Merging two copies of the same paper, keeping the richest fields.

The same paper arrives from Hugging Face daily and trending, from several arXiv categories and
as replacements (v2, v3...). Each copy knows different things (HF: upvotes, githubRepo; arXiv:
categories, comment), so a refetch never blanks a field another feed filled in.
"""

from __future__ import annotations

from dataclasses import fields, replace

from tui.model import Paper

# Fields where the later copy is fresher when it has a value (counts move over time).
_FRESHER_WINS = {"upvotes", "github_stars", "num_comments", "updated", "ai_summary", "ai_keywords"}
# Fields merged as an ordered union.
_UNION = {"categories", "sources"}


def merge(old: Paper, new: Paper) -> Paper:
    """``old`` enriched with what ``new`` adds; the id never changes."""
    changes: dict[str, object] = {}
    for f in fields(Paper):
        name = f.name
        if name == "id":
            continue
        before, after = getattr(old, name), getattr(new, name)
        merged = _merge_field(name, before, after)
        if merged != before:
            changes[name] = merged
    return replace(old, **changes) if changes else old  # type: ignore[arg-type]


def _merge_field(name: str, before: object, after: object) -> object:
    if _is_empty(after):
        return before
    if _is_empty(before):
        return after
    if name in _UNION:
        assert isinstance(before, tuple) and isinstance(after, tuple)
        return before + tuple(x for x in after if x not in before)
    if name == "published":
        # The first-version date: the earliest one any feed reported.
        assert isinstance(before, str) and isinstance(after, str)
        return min(before, after)
    if name == "announce_type":
        # "new" in one category is the paper's real announcement; cross/replace do not undo it.
        return before if before == "new" else after
    if name in ("abstract", "title"):
        # Sources disagree in detail (hard wraps, truncation): the longer text is the richer one,
        # and a retitled paper's new title wins when it is not a truncation of the old one.
        assert isinstance(before, str) and isinstance(after, str)
        if name == "abstract":
            return after if len(after) >= len(before) else before
        return after
    if name in _FRESHER_WINS:
        return after
    # Links and the rest: keep what we had (e.g. the HF githubRepo outranks an abstract link:
    # sources pick the best link they know, and the first non-empty one is never downgraded).
    if name == "code_url" or name == "project_url" or name == "url" or name == "pdf_url":
        return before
    return after


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == ()
