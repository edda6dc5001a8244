"""A paper's full text: fetched from the configured sources, made safe, cached offline.

`FullTexts` is what the reader screen and `feedtui read` / `feedtui fetch --fulltext` call:
the cache first, then the sources in order (tui/fulltext/sources.py), each text converted and
sanitized (tui/fulltext/convert.py) before it is stored or shown.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from tui.fulltext.convert import MARKDOWN_MAX, finish_markdown, html_to_markdown
from tui.fulltext.sources import DEADLINE, FetchedText, NoFullText, fetch_fulltext
from tui.model import arxiv_pdf_url, canonical_arxiv_id
from tui.text import clean_document
from tui.textcache import CACHED, CacheSize, FullTextCache

if TYPE_CHECKING:
    from tui.library import Library

FULLTEXT_DIR = "fulltext"
# Keeps a text: (paper id, Markdown, the URL it came from or CACHED). The library's
# `keep_fulltext` caches it, records it in the store and indexes it.
Keep = Callable[[str, str, str], None]


@dataclass(frozen=True, slots=True)
class FullText:
    paper_id: str
    markdown: str
    source: str  # the URL it was fetched from, or CACHED


class FullTextUnavailable(Exception):
    """Neither the cache nor any source has the paper. ``str()`` is one line for the user;
    ``pdf_url`` is where they can read it instead ("" when unknown)."""

    def __init__(self, message: str, pdf_url: str = "") -> None:
        super().__init__(message)
        self.pdf_url = pdf_url


class FullTexts:
    def __init__(
        self,
        cache: FullTextCache,
        sources: tuple[str, ...],
        *,
        keep: Keep | None = None,
        client: httpx.Client | None = None,
        deadline: float | None = None,
    ) -> None:
        """``keep`` stores what is fetched (default: the cache alone, nothing indexed)."""
        self.cache = cache
        self.sources = sources
        self.keep = keep or self._cache_only
        self.client = client
        self.deadline = deadline

    def _cache_only(self, paper_id: str, markdown: str, source: str) -> None:
        if source != CACHED:
            self.cache.put(paper_id, markdown)

    def cached(self, paper_id: str) -> FullText | None:
        markdown = self.cache.get(paper_id)
        return FullText(paper_id, markdown, CACHED) if markdown is not None else None

    def from_cache(self, paper_id: str) -> FullText | None:
        """The cached text, or None. A text cached before the store recorded texts (or by
        `feedtui read` before the paper was stored) is recorded and indexed now; for one
        already recorded this costs one query."""
        hit = self.cached(paper_id)
        if hit is not None:
            with contextlib.suppress(OSError):
                self.keep(paper_id, hit.markdown, CACHED)
        return hit

    def get(self, paper_id: str, pdf_url: str = "", *, refresh: bool = False) -> FullText:
        """The paper's text from the cache, else fetched (and cached). Blocking: call it from
        a worker. Raises `FullTextUnavailable`."""
        if not refresh and (hit := self.from_cache(paper_id)) is not None:
            return hit
        arxiv_id = canonical_arxiv_id(paper_id)
        pdf = pdf_url or (arxiv_pdf_url(arxiv_id) if arxiv_id else "")
        if arxiv_id is None:
            raise FullTextUnavailable(
                f"No full text for {paper_id}: it has no arXiv id", pdf_url=pdf
            )
        try:
            fetched = fetch_fulltext(
                arxiv_id, self.sources, client=self.client, deadline=self.deadline or DEADLINE
            )
        except NoFullText as error:
            raise FullTextUnavailable(f"No full text for {arxiv_id} ({error})", pdf) from None
        with contextlib.suppress(OSError):  # a full disk costs the offline copy, not the reading
            self.keep(paper_id, fetched.markdown, fetched.url)
        return FullText(paper_id, fetched.markdown, fetched.url)


def for_library(library: Library, **options: Any) -> FullTexts:
    """The full texts of ``library``: its cache (the config's cap, the data dir) and sources;
    what is fetched is recorded in its store and indexed (`Library.keep_fulltext`)."""
    return FullTexts(
        library.texts, library.config.fulltext_sources, keep=library.keep_fulltext, **options
    )


def markdown_to_text(markdown: str, width: int = 100) -> str:
    """The Markdown as plain text laid out for reading (`feedtui read --format text`), via
    Rich's Markdown renderer without colours, links or any escape sequence."""
    from rich.console import Console
    from rich.markdown import Markdown

    out = io.StringIO()
    console = Console(
        file=out, width=width, color_system=None, force_terminal=False, legacy_windows=False
    )
    console.print(Markdown(markdown, hyperlinks=False))
    return clean_document(out.getvalue())


__all__ = [
    "CACHED",
    "FULLTEXT_DIR",
    "MARKDOWN_MAX",
    "CacheSize",
    "FetchedText",
    "FullText",
    "FullTextCache",
    "FullTextUnavailable",
    "FullTexts",
    "NoFullText",
    "fetch_fulltext",
    "finish_markdown",
    "for_library",
    "html_to_markdown",
    "markdown_to_text",
]
