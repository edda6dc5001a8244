"""`feedtui export`: papers as BibTeX, JSON or Markdown (JSON for `feedtui search --json` too)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from tui.bibtex import to_bibtex
from tui.cli.common import EXIT_OK
from tui.library import Library
from tui.model import Entry

EXPORT_FORMATS = ("bibtex", "json", "markdown")


def entry_dict(entry: Entry) -> dict[str, object]:
    paper = entry.paper
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "authors": list(paper.authors),
        "published": paper.published or None,
        "url": paper.url,
        "pdf_url": paper.pdf_url or None,
        "code_url": paper.code_url or None,
        "project_url": paper.project_url or None,
        "abstract": paper.abstract,
        "categories": list(paper.categories),
        "upvotes": paper.upvotes,
        "github_stars": paper.github_stars,
        "read": entry.read,
        "saved": entry.saved,
        "sources": list(paper.sources),
    }


def _markdown(entry: Entry) -> str:
    paper = entry.paper
    # Brackets in a title would break the link text: escape them for Markdown.
    title = paper.title.replace("[", "\\[").replace("]", "\\]")
    lines = [f"- [{title}]({paper.url})" if paper.url else f"- {title}"]
    details = [", ".join(paper.authors) or "unknown authors", paper.published or "undated"]
    lines.append(f"  {' · '.join(details)}")
    if paper.code_url:
        lines.append(f"  code: {paper.code_url}")
    return "\n".join(lines)


def export_entries(entries: Sequence[Entry], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([entry_dict(e) for e in entries], indent=2, ensure_ascii=False)
    if fmt == "bibtex":
        return "\n\n".join(to_bibtex(e.paper) for e in entries)
    if fmt == "markdown":
        return "\n".join(_markdown(e) for e in entries)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="print papers as BibTeX, JSON or Markdown")
    export.add_argument("--saved", action="store_true", required=True, help="the saved papers")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="bibtex")
    export.set_defaults(run=cmd_export)


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    entries = library.saved()
    if not entries:
        print("feedtui: no saved papers (press s on a paper to save it)", file=sys.stderr)
    print(export_entries(entries, args.format))
    return EXIT_OK
