"""What the TUI hands on from the list: the selection (or the paper under the cursor) copied as
links or BibTeX, exported to a file (E), sent to Zotero (Z) or added to papis (P).

Everything here waits on the database, the disk, the network or another program, so each runs
in a thread worker of the screen; expected failures become one-line messages here, anything
else reaches the screen's worker handler (which names the group)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.app.clipboard import CLIPBOARD_GROUP, copy_text
from tui.app.formatting import paper_page_url
from tui.exports import EXPORT_MODE, SUFFIXES, export_entries
from tui.fsutil import atomic_write
from tui.handoff.papis import PapisError, add_to_papis, papis_command
from tui.handoff.zotero import ZoteroError, send_bibtex
from tui.links import safe_url
from tui.paths import export_dir

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from tui.library import Library
    from tui.model import Entry

EXPORT_GROUP = "export"
ZOTERO_GROUP = "zotero"
PAPIS_GROUP = "papis"
CopyKind = Literal["code", "page", "bibtex"]


def papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def export_path(folder: Path, fmt: str, now: datetime | None = None) -> Path:
    """``feedtui-export-20260102-153000.bib`` in ``folder``, with ``-2``, ``-3``... when a file
    of that name exists (two exports in one second)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = SUFFIXES[fmt]
    path = folder / f"feedtui-export-{stamp}.{suffix}"
    number = 2
    while path.exists():
        path = folder / f"feedtui-export-{stamp}-{number}.{suffix}"
        number += 1
    return path


class Handoffs:
    def __init__(self, screen: Screen[None], library: Library) -> None:
        self.screen = screen
        self.library = library

    def _run(self, work: Callable[[], object], group: str) -> None:
        self.screen.run_worker(work, thread=True, group=group, exit_on_error=False)

    def _say(self, message: str, severity: SeverityLevel = "information") -> None:
        """A toast, on the event loop; paths and feed text in it are never parsed as markup."""
        self.screen.app.notify(message, severity=severity, markup=False, timeout=8)

    def _notify(self, message: str, severity: SeverityLevel = "information") -> None:
        """`_say` from a worker thread: handed to the event loop, which owns the widgets."""
        self.screen.app.call_from_thread(self._say, message, severity)

    def _entries(self, ids: Sequence[str]) -> list[Entry]:
        return self.library.entries_in_order(ids)

    # -- copying the selection -------------------------------------------------------------

    def copy(self, ids: Sequence[str], kind: CopyKind) -> None:
        """y / Y / b with a selection: its code links, page links or BibTeX entries, joined
        by newlines, in one copy."""
        wanted = list(ids)

        def work() -> None:
            entries = self._entries(wanted)
            if kind == "bibtex":
                text = export_entries(entries, "bibtex")
                shown = f"BibTeX of {papers(len(entries))}"
            else:
                links = [_link(entry, kind) for entry in entries]
                found = [link for link in links if link]
                text = "\n".join(found)
                what = "code links" if kind == "code" else "page links"
                shown = f"{len(found)} {what}"
                if len(found) < len(entries):
                    shown += f" ({papers(len(entries) - len(found))} without one)"
            if not text:
                link = "code repository link" if kind == "code" else "link"
                self._notify(f"None of the selected papers has a {link}", "warning")
                return
            self.screen.app.call_from_thread(partial(copy_text, self.screen, text, shown))

        self._run(work, CLIPBOARD_GROUP)

    # -- E ---------------------------------------------------------------------------------

    def export(self, ids: Sequence[str], fmt: str) -> None:
        wanted = list(ids)
        folder = export_dir(self.library.config.export_dir)

        def work() -> None:
            entries = self._entries(wanted)
            path = export_path(folder, fmt)
            try:
                atomic_write(path, export_entries(entries, fmt).encode("utf-8"), EXPORT_MODE)
            except OSError as error:
                reason = error.strerror or str(error)
                self._notify(f"Could not export to {folder}: {reason} (export_dir)", "error")
                return
            self._notify(f"Exported {papers(len(entries))} to {path}")

        self._run(work, EXPORT_GROUP)

    # -- Z ---------------------------------------------------------------------------------

    def send_to_zotero(self, ids: Sequence[str]) -> None:
        wanted = list(ids)
        address = self.library.config.zotero_connector

        def work() -> None:
            entries = self._entries(wanted)
            bibtex = export_entries(entries, "bibtex")
            try:
                result = send_bibtex(address, bibtex, len(entries))
            except ZoteroError as error:
                self._notify(str(error), "error")
                return
            self._notify(f"Added to Zotero: {papers(result.added)}")

        self._say(f"Sending {papers(len(wanted))} to Zotero…")
        self._run(work, ZOTERO_GROUP)

    # -- P ---------------------------------------------------------------------------------

    def add_to_papis(self, ids: Sequence[str]) -> None:
        if papis_command() is None:
            self._say(
                "papis is not on PATH: install papis (https://papis.readthedocs.io) to add "
                "papers to it",
                "warning",
            )
            return
        wanted = list(ids)

        def work() -> None:
            entries = self._entries(wanted)
            arxiv_ids = [e.paper.arxiv_id for e in entries if e.paper.arxiv_id]
            if not arxiv_ids:
                self._notify("papis adds arXiv papers: none of these has an arXiv id", "warning")
                return
            for arxiv_id in arxiv_ids:  # one papis at a time: it writes one library
                try:
                    result = add_to_papis(arxiv_id)
                except PapisError as error:
                    self._notify(f"arXiv:{arxiv_id}: {error}", "error")
                    return
                said = f": {result.output}" if result.output else ""
                self._notify(f"Added to papis: arXiv:{arxiv_id}{said}")

        self._say(f"Adding {papers(len(wanted))} to papis…")
        self._run(work, PAPIS_GROUP)


def _link(entry: Entry, kind: CopyKind) -> str:
    if kind == "code":
        return safe_url(entry.paper.code_url)
    return safe_url(paper_page_url(entry.paper))
