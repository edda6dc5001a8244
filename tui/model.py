"""The domain types every layer shares: the `Paper` record and its identity, what the store
answers (`Entry`, `Counts`, `FeedState`, `UpsertResult`, `SampleRemoval`, `Watch`, `Rise`...),
what "more like this" answers (`Related`) and `SearchCancelled`, which the index and the store's
fallback search both raise.

A paper's identity is its arXiv id without version (``2308.00352v3`` -> ``2308.00352``;
old-style ids such as ``hep-th/9901001`` are kept as they are). Feed items without an arXiv id
get a stable id derived from their guid or link, so refetching the same feed never duplicates.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

# New-style ids (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style archive/YYMMNNN ids,
# each optionally followed by a version.
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"(?<![\w./-])(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?(?![\w])")
_FULL_ID_RE = re.compile(rf"^(?:arxiv:)?(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?$", re.IGNORECASE)
_ABS_URL_RE = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html)/(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?", re.IGNORECASE
)
# A paper's Hugging Face page is named by its arXiv id: huggingface.co/papers/2308.00352 (with
# or without www., or the hf.co short link; any trailing /, ?query or #community).
_HF_PAGE_RE = re.compile(
    rf"(?<![\w.-])(?:www\.)?(?:huggingface|hf)\.co/papers/(?P<id>{_NEW_ID})(?:v\d+)?(?!\w)",
    re.IGNORECASE,
)

HASH_ID_PREFIX = "h:"


def canonical_arxiv_id(text: str | None) -> str | None:
    """The versionless arXiv id in ``text`` (a bare id, ``arXiv:...``, an abs/pdf URL, a
    Hugging Face paper page or an ``oai:arXiv.org:...`` guid), or None when there is none.
    Every place that takes a paper from the user (`feedtui mark`) goes through here."""
    if not text:
        return None
    text = text.strip()
    match = _FULL_ID_RE.match(text)
    if match:
        return _normalise_case(match.group("id"))
    match = _ABS_URL_RE.search(text) or _HF_PAGE_RE.search(text)
    if match:
        return _normalise_case(match.group("id"))
    if text.lower().startswith("oai:arxiv.org:"):
        return canonical_arxiv_id(text[len("oai:arxiv.org:") :])
    return None


def _normalise_case(arxiv_id: str) -> str:
    # Old-style archive names are lower case except the subject class (math.AG/0601001).
    return arxiv_id if "/" in arxiv_id else arxiv_id.lower()


def stable_id(*keys: str | None) -> str:
    """A stable id for an item without an arXiv id, from the first non-empty key (guid, link,
    title...)."""
    for key in keys:
        if key and key.strip():
            digest = hashlib.sha1(key.strip().encode("utf-8")).hexdigest()[:16]
            return HASH_ID_PREFIX + digest
    raise ValueError("an item needs a guid, link or title to have an identity")


@dataclass(slots=True)
class Paper:
    """One paper, as a source parsed it. Every text field is already sanitized (tui.text) and
    every URL already validated (tui.links) by the source that built it.

    ``published`` is an ISO date ``YYYY-MM-DD`` (first version), or "" when unknown.
    Optional numbers are None when the source did not say (not zero).
    """

    id: str
    title: str
    authors: tuple[str, ...] = ()
    abstract: str = ""
    published: str = ""
    updated: str = ""
    arxiv_id: str | None = None
    url: str = ""
    pdf_url: str = ""
    code_url: str = ""
    project_url: str = ""
    categories: tuple[str, ...] = ()
    comment: str = ""
    upvotes: int | None = None
    github_stars: int | None = None
    num_comments: int | None = None
    ai_summary: str = ""
    ai_keywords: tuple[str, ...] = ()
    announce_type: str = ""
    # The feed names that carried this paper; filled by the library, not by parsers.
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published[:4].isdigit() else None


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the UI shows: a paper and the user's state."""

    paper: Paper
    read: bool
    saved: bool
    tags: tuple[str, ...] = ()  # the user's tags, sorted
    note: str = ""  # the user's Markdown note ("" when none)
    fulltext: bool = False  # its full text is kept offline (readable and searchable)


@dataclass(frozen=True, slots=True)
class Related:
    """A paper like another one ("more like this") or like the saved ones ("for you"): its
    id, its score (higher is closer; comparable only within one answer) and the key terms it
    shares with what it was compared to, the strongest first ("diffusion", "video")."""

    id: str
    score: float
    because: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    unread: int
    saved: int


@dataclass(frozen=True, slots=True)
class UpsertResult:
    added: int
    updated: int
    ids: tuple[str, ...] = ()  # the ids that were added or changed


@dataclass(frozen=True, slots=True)
class SampleRemoval:
    removed: tuple[str, ...]  # the ids deleted (never marked, carried by no other feed)
    kept: int  # sample papers kept because the user marked them


@dataclass(frozen=True, slots=True)
class FeedState:
    name: str
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    added_last: int | None = None
    updated_last: int | None = None
    skipped_last: int | None = None
    etag: str = ""
    last_modified: str = ""
    retry_at: str | None = None
    fetched_day: str | None = None


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved search. ``seen_arrival``: the arrival number (papers are numbered in the order
    they were first stored) the user last looked at it at; newer matches are "new"."""

    name: str
    query: str
    seen_arrival: int
    created: str
    seen_at: str


@dataclass(frozen=True, slots=True)
class WatchNews:
    """A watch and how many of its papers are ``new`` since the user last looked."""

    watch: Watch
    new: int


@dataclass(frozen=True, slots=True)
class WatchCount(WatchNews):
    """A watch and what it matches now: ``new`` since the user last looked, ``total`` in all."""

    total: int


@dataclass(frozen=True, slots=True)
class MetricPoint:
    """A paper's counts when a fetch saw them change (None: the feed did not say)."""

    at: str  # ISO time, as now_iso()
    upvotes: int | None
    stars: int | None


@dataclass(frozen=True, slots=True)
class Rise:
    """How much a paper's counts rose over the rising window (tui.store's metric history)."""

    upvotes: int = 0
    stars: int = 0


def now_iso() -> str:
    """Now, in UTC, as the store records times (``2025-01-31T12:00:00+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class SearchCancelled(Exception):
    """The search was abandoned because its `cancelled` hook said so: a newer query wins.

    Raised between steps (before a term's postings are decoded, per segment of a phrase check,
    every few thousand postings of a long loop), so the index lock is released at once."""
