"""A paper's links, copied or opened from the TUI: the code repository, the paper page, the PDF
and a BibTeX entry. Every link passes the one validator first (tui.links), copying goes through
the one clipboard helper, and the browser runs in a worker of the screen (group "browser"), so
a failure reaches the screen's worker handler as a message."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from tui.app.browser import open_in_browser
from tui.app.clipboard import copy_text
from tui.app.formatting import paper_page_url, pdf_url
from tui.links import UnsafeURL, validate_url

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.library import Library
    from tui.model import Entry

BROWSER_GROUP = "browser"


class PaperLinks:
    def __init__(self, screen: Screen[None], library: Library) -> None:
        self.screen = screen
        self.library = library

    def copy_code(self, entry: Entry) -> None:
        if not entry.paper.code_url:
            self.screen.notify("No code repository found for this paper", severity="warning")
            return
        self._copy_link(entry.paper.code_url)

    def copy_page(self, entry: Entry) -> None:
        self._copy_link(paper_page_url(entry.paper))

    def _copy_link(self, url: str) -> None:
        try:
            copy_text(self.screen, validate_url(url))
        except UnsafeURL as error:
            self.screen.notify(f"Not copied: {error}", severity="error", markup=False)

    def copy_bibtex(self, entry: Entry) -> None:
        try:
            bibtex = self.library.bibtex(entry.paper.id)
        except Exception as error:
            self.screen.notify(f"Could not make BibTeX: {error}", severity="error", markup=False)
            return
        first_line = bibtex.strip().splitlines()[0] if bibtex.strip() else ""
        copy_text(self.screen, bibtex, shown=f"BibTeX {first_line}…")

    def open_page(self, entry: Entry) -> bool:
        return self._open(paper_page_url(entry.paper), "paper page")

    def open_pdf(self, entry: Entry) -> bool:
        return self._open(pdf_url(entry.paper), "PDF")

    def open_url(self, url: str, what: str = "link") -> bool:
        """Open any link (one in a paper's text) the same way, validated first."""
        return self._open(url, what)

    def _open(self, url: str, what: str) -> bool:
        """Open a link in the browser; False when there was nothing safe to open."""
        if not url:
            self.screen.notify(f"This paper has no {what} link", severity="warning")
            return False
        try:
            url = validate_url(url)
        except UnsafeURL as error:
            self.screen.notify(f"Not opened: {error}", severity="error", markup=False)
            return False
        self.screen.notify(f"Opening {url}", markup=False)
        self.screen.run_worker(
            partial(open_in_browser, url), thread=True, group=BROWSER_GROUP, exit_on_error=False
        )
        return True
