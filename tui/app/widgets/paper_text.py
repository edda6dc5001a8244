"""The paper's full text on screen: Textual's MarkdownViewer, with links that are checked
before anything opens them, and the blocks that hold find matches picked out.

MarkdownViewer follows a clicked link itself: anything that is not a URL it *reads from disk*
as the next document (`Markdown.load`). Here a click never does that: ``#anchor`` jumps to the
section, an http(s) link that passes `tui.links.validate_url` is handed to the screen to open
in the browser, anything else is refused with a message.

A text longer than a screen is mounted in two steps: its first screen (`first_screen`, whole
blocks), so that the first frame is drawn after a few dozen widgets instead of every block of
the paper (Textual mounts a document up to 200 blocks at a time before anything is drawn), then
the whole text once that frame is on screen (`load_whole`), which replaces it.
"""

from __future__ import annotations

from itertools import accumulate

from markdown_it import MarkdownIt
from textual.message import Message
from textual.widgets import Markdown, MarkdownViewer
from textual.widgets.markdown import MarkdownBlock

from tui.links import UnsafeURL, validate_url

MATCH_CLASS = "-match"
# The least the first screen holds, in characters of Markdown.
FIRST_SCREEN_CHARS = 3_000


def first_screen(markdown: str, size: int = FIRST_SCREEN_CHARS) -> str:
    """The start of `markdown` up to the first top-level block that begins after `size`
    characters (a screen of W x H cells shows at most W x H of them: ask for that many to fill
    it): whole blocks as the whole text parses them (a prefix is parsed the way Textual's
    Markdown parses it), so it draws as the start of the whole does. "" when the text is not
    much longer than that: it is mounted at once."""
    size = max(size, FIRST_SCREEN_CHARS)
    if len(markdown) <= 2 * size:
        return ""
    prefix = markdown[: 2 * size]
    offsets = [0, *accumulate(len(line) for line in prefix.splitlines(keepends=True))]
    tokens = MarkdownIt("gfm-like").parse(prefix)
    starts = sorted({token.map[0] for token in tokens if token.level == 0 and token.map} - {0})
    # Not the prefix's last block: it may go on past the cut.
    for line in starts[:-1]:
        if offsets[line] >= size:
            return markdown[: offsets[line]]
    return ""


class PaperText(MarkdownViewer, can_focus=True):
    DEFAULT_CSS = """
    PaperText {
        height: 1fr;
        background: $surface;
        & MarkdownBlock.-match {
            background: $warning-muted;
        }
    }
    """

    class OpenLink(Message):
        """A link the user clicked that is safe to open; ``error``: why it was refused."""

        def __init__(self, url: str, error: str = "") -> None:
            super().__init__()
            self.url = url
            self.error = error

    class Loaded(Message):
        """Every block of the text is mounted (the table of contents is built)."""

    def _on_markdown_table_of_contents_updated(
        self, message: Markdown.TableOfContentsUpdated
    ) -> None:
        super()._on_markdown_table_of_contents_updated(message)
        if not self._in_two_steps:
            self.post_message(self.Loaded())

    def __init__(self, markdown: str, *, first: str = "", id: str | None = None) -> None:
        """`first`: the text's first screen (`first_screen`) to mount before the rest."""
        super().__init__(first or markdown, show_table_of_contents=False, open_links=False, id=id)
        self.whole = markdown  # the whole text (the document holds the first screen at first)
        self._in_two_steps = bool(first)
        self.whole_mounted = not first  # False: the document holds the first screen only
        self._whole_asked = False

    def load_whole(self) -> None:
        """Mount the whole text in place of its first screen (call it once that is drawn);
        Loaded follows."""
        if self.whole_mounted or self._whole_asked:
            return
        self._whole_asked = True

        async def load() -> None:
            await self.document.update(self.whole)
            self.whole_mounted = True
            self.post_message(self.Loaded())

        self.call_later(load)

    async def _on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        message.stop()
        href = message.href
        if href.startswith("#"):
            self.document.goto_anchor(href[1:])
            return
        try:
            self.post_message(self.OpenLink(validate_url(href)))
        except UnsafeURL as error:
            self.post_message(self.OpenLink("", str(error)))

    def blocks(self) -> list[MarkdownBlock]:
        """The document's top-level blocks, in order (each knows its source lines)."""
        return [child for child in self.document.children if isinstance(child, MarkdownBlock)]

    def block_at_line(self, line: int) -> MarkdownBlock | None:
        """The top-level block whose source holds ``line`` (or the last one before it)."""
        found = None
        for block in self.blocks():
            start, end = block.source_range
            if start > line:
                break
            found = block
            if line < end:
                break
        return found

    def find_locations(self, term: str) -> list[int]:
        return find_lines(self.whole, term)

    def show_match(self, line: int) -> MarkdownBlock | None:
        """Scroll the block holding ``line`` to the top and pick it out (and only it)."""
        for previous in self.query(f"MarkdownBlock.{MATCH_CLASS}"):
            previous.remove_class(MATCH_CLASS)
        block = self.block_at_line(line)
        if block is not None:
            block.add_class(MATCH_CLASS)
            self.scroll_to_widget(block, top=True, animate=False)
            # Blocks mounted a moment ago (the whole text replacing its first screen, a find
            # typed with t) may not be laid out yet: their region is empty and the scroll above
            # goes nowhere. Once the layout is done, the same scroll lands.
            self.call_after_refresh(self.scroll_to_widget, block, top=True, animate=False)
        return block


def find_lines(source: str, term: str) -> list[int]:
    """The source line of every occurrence of ``term`` (case-insensitive), in order: a line
    with three occurrences is listed three times, so "match 3 of 12" counts occurrences."""
    needle = term.casefold()
    if not needle:
        return []
    found: list[int] = []
    for number, line in enumerate(source.splitlines()):
        count = line.casefold().count(needle)
        if count:
            found.extend([number] * count)
    return found
