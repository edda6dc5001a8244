"""Hugging Face Papers JSON (``/api/daily_papers``, ``?sort=trending``, ``/api/papers/{id}``).

Accepted shapes: a list of daily items (``{"paper": {...}, "title", "numComments", ...}``), a
list of bare paper objects, a single bare paper object (``/api/papers/{id}``), and a single
daily item. ``{"error": "..."}`` (e.g. ``limit`` over 100) is a `ParseError`.

Choices:
- The id is the canonical arXiv id (HF paper ids are arXiv ids); ``url`` is the arXiv abs page
  like every other source, so the same paper looks the same whatever carried it. The HF page
  is derivable with `paper_page_url`.
- The top-level ``title``/``summary`` of a daily item are preferred: ``paper.title`` may be
  hard-wrapped in older payloads. ``published`` prefers ``paper.publishedAt`` (the arXiv
  date) over the item's (the day it was featured).
- Authors come from ``paper.authors[].name``, hidden ones included: "hidden" hides the HF
  profile link, not the authorship.
- A malformed item (not an object, no paper, id not a string, no title...) is skipped and
  counted; a wrong type in an optional field (``upvotes: "12"``, NaN) only drops that field.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tui.feeds.sources import (
    MAX_AUTHORS,
    MAX_KEYWORDS,
    ParseError,
    ParseResult,
    abstract_text,
    check_not_a_feed,
    collect,
    field_text,
    finish,
    iso_date,
    title_text,
    unique_texts,
)
from tui.links import pick_code_url, pick_project_url, safe_url
from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url, canonical_arxiv_id, stable_id

HF_PAPERS = "https://huggingface.co/papers/"
# Non-arXiv HF paper ids, if they ever appear, must at least be a plain path segment.
_PLAIN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def paper_page_url(paper_id: str) -> str:
    """The Hugging Face page of a paper (``https://huggingface.co/papers/2410.17243``)."""
    return HF_PAPERS + paper_id


def parse(body: bytes) -> ParseResult:
    check_not_a_feed(body)
    data = _load_json(body)
    if isinstance(data, dict):
        if "error" in data:
            reason = field_text(data["error"], 300) or "an error without a reason"
            raise ParseError(f"Hugging Face said: {reason}")
        if "paper" in data or "id" in data:
            items: list[Any] = [data]
        else:
            raise ParseError("not a Hugging Face papers response (unexpected JSON object)")
    elif isinstance(data, list):
        items = data
    else:
        raise ParseError(f"not a Hugging Face papers response (got a JSON {_kind(data)})")
    papers, skipped = collect(items, _paper_from_item)
    return finish(papers, skipped)


def _load_json(body: bytes) -> Any:
    try:
        # NaN/Infinity are not JSON: read them as "no value" so one bad number only drops
        # that field instead of the item.
        return json.loads(body, parse_constant=_no_value)
    except RecursionError:
        # One deeply nested item must not cost the whole feed: read the list item by item.
        items = _items_one_by_one(body)
        if items is None or all(item is None for item in items):
            raise ParseError("not valid JSON (nested too deeply)") from None
        return items
    except UnicodeDecodeError:
        raise ParseError("not valid JSON (not UTF-8 text)") from None
    except ValueError as exc:  # JSONDecodeError, and ints over the digit limit
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid number"
        raise ParseError(f"not valid JSON ({reason})") from None


def _no_value(_name: str) -> None:
    return None


# The tokens that matter for finding where a list item ends: strings (which may hold any
# bracket) and the structural characters.
_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')


def _items_one_by_one(body: bytes) -> list[Any] | None:
    """The items of a top-level JSON list, each parsed on its own; an item that cannot be
    parsed (nested too deeply, invalid) becomes None, which the caller skips and counts.
    None when the body is not a well-bracketed list. Iterative: no recursion limit."""
    try:
        text = body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        return None
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start):
        return None
    items: list[Any] = []
    depth = 0
    item_start = start + 1
    for token in _JSON_TOKEN_RE.finditer(text, start):
        char = token.group()
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                items.append(_one_item(text[item_start : token.start()]))
                if text[token.end() :].strip():
                    return None  # something after the list: not a list body
                return [item for item in items if item is not _EMPTY]
        elif char == "," and depth == 1:
            items.append(_one_item(text[item_start : token.start()]))
            item_start = token.end()
    return None  # unterminated


_EMPTY = object()  # `[]` has no item at all, rather than one malformed item


def _one_item(text: str) -> Any:
    if not text.strip():
        return _EMPTY
    try:
        return json.loads(text, parse_constant=_no_value)
    except (RecursionError, ValueError):
        return None


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__


def _paper_from_item(item: object) -> Paper | None:
    """A daily item or a bare paper object -> Paper, or None when it is malformed."""
    if not isinstance(item, dict):
        return None
    if "paper" in item:
        paper = item["paper"]
        outer: dict[str, Any] = item
        if not isinstance(paper, dict):
            return None
    else:
        paper, outer = item, {}

    raw_id = paper.get("id")
    if not isinstance(raw_id, str):
        return None
    arxiv_id = canonical_arxiv_id(raw_id)
    if arxiv_id is not None:
        paper_id, url, pdf_url = arxiv_id, arxiv_abs_url(arxiv_id), arxiv_pdf_url(arxiv_id)
    elif _PLAIN_ID_RE.match(raw_id.strip()):
        page = paper_page_url(raw_id.strip())
        paper_id, url, pdf_url = stable_id(page), safe_url(page), ""
    else:
        return None

    title = title_text(outer.get("title")) or title_text(paper.get("title"))
    if not title:
        return None
    abstract = abstract_text(outer.get("summary")) or abstract_text(paper.get("summary"))
    github_repo = paper.get("githubRepo")
    project_page = paper.get("projectPage")
    return Paper(
        id=paper_id,
        title=title,
        authors=_authors(paper.get("authors")),
        abstract=abstract,
        published=iso_date(paper.get("publishedAt")) or iso_date(outer.get("publishedAt")),
        arxiv_id=arxiv_id,
        url=url,
        pdf_url=pdf_url,
        code_url=pick_code_url(
            github_repo=github_repo if isinstance(github_repo, str) else None, abstract=abstract
        ),
        project_url=pick_project_url(
            project_page=project_page if isinstance(project_page, str) else None,
            abstract=abstract,
        ),
        upvotes=_count(paper.get("upvotes")),
        github_stars=_count(paper.get("githubStars")),
        num_comments=_count(outer.get("numComments")),
        ai_summary=field_text(paper.get("ai_summary")),
        ai_keywords=_keywords(paper.get("ai_keywords")),
    )


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (author.get("name") for author in value[:MAX_AUTHORS] if isinstance(author, dict))
    return unique_texts(names, MAX_AUTHORS)


def _keywords(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return unique_texts(value[: MAX_KEYWORDS * 2], MAX_KEYWORDS)


def _count(value: object) -> int | None:
    """A non-negative count, or None when absent or not a number (bools are not counts)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**63 else None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and value >= 0:
        return int(value) if value < 2**63 else None
    return None
