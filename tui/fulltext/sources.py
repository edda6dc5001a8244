"""Fetching a paper's full text from the configured sources, in order.

Each source is a URL template with ``{id}`` (the versionless arXiv id). The first that answers
with a text wins: Markdown (Hugging Face's ``/papers/{id}.md``) is used as it is, once made
safe; HTML (arXiv's ``/html/{id}``, LaTeXML) is converted (tui/fulltext/convert.py). Every
fetch goes through the bounded client of tui/feeds/http.py: one deadline, a cap on the
decompressed body, http(s) only, redirects checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx

from tui.feeds.http import FetchError, fetch
from tui.fulltext.convert import finish_markdown, html_to_markdown
from tui.text import clean_inline

DOWNLOAD_MAX = 20_000_000
DEADLINE = 45.0
# Less than this much text is a stub page ("no HTML for this paper"), not a paper.
MIN_TEXT = 200


@dataclass(frozen=True, slots=True)
class FetchedText:
    markdown: str
    url: str  # where it came from


class NoFullText(Exception):
    """No source had the paper; ``str()`` is one line naming what each source said."""


def fetch_fulltext(
    arxiv_id: str,
    templates: tuple[str, ...],
    *,
    deadline: float = DEADLINE,
    max_bytes: int = DOWNLOAD_MAX,
    client: httpx.Client | None = None,
) -> FetchedText:
    """The paper's text from the first source that has it, or `NoFullText`."""
    reasons: list[str] = []
    for template in templates:
        url = template.replace("{id}", quote(arxiv_id, safe="/."))
        host = urlsplit(url).hostname or "the source"
        try:
            result = fetch(url, deadline=deadline, max_bytes=max_bytes, client=client)
        except FetchError as error:
            reasons.append(f"{host}: {_reason(error)}")
            continue
        markdown = _to_markdown(result.body, result.content_type, result.url)
        if markdown is None:
            reasons.append(f"{host}: not a paper's text")
            continue
        if len(markdown.strip()) < MIN_TEXT:
            reasons.append(f"{host}: no text for this paper")
            continue
        return FetchedText(markdown, result.url)
    raise NoFullText("; ".join(reasons) or "no fulltext_sources configured")


def _to_markdown(body: bytes, content_type: str, url: str) -> str | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    head = body[:4096].lstrip().lower()
    looks_html = kind in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    )
    if looks_html:
        # Only LaTeXML pages are papers; any other page (a login wall, a "not found" page
        # served with 200) is not.
        if b"ltx_" not in body:
            return None
        return html_to_markdown(body, url)
    if kind and not (kind.startswith("text/") or kind in ("application/markdown",)):
        return None
    return finish_markdown(_without_preamble(body))


# A reader-style preamble before the Markdown ("Title: ...", "URL Source: ...", then
# "Markdown Content:"): the paper starts after it.
_PREAMBLE_END = b"\nMarkdown Content:\n"


def _without_preamble(body: bytes) -> bytes:
    if body.startswith(b"Title:"):
        end = body.find(_PREAMBLE_END, 0, 4096)
        if end != -1:
            return body[end + len(_PREAMBLE_END) :]
    return body


def _reason(error: FetchError) -> str:
    text = str(error)
    if text.startswith("feed too large"):  # the client's wording is about feeds
        text = text.replace("feed too large", "text too large", 1)
    return clean_inline(text, 200)
