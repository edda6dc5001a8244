"""A long paper on screen as one widget: its Markdown rendered to lines once, in a worker, and
shown with Textual's line API (only the visible lines are drawn, whatever the length).

Textual's Markdown widget mounts one widget per block, and every frame of a scroll arranges
all of them: at ~2,800 blocks (a 60-page paper) a page down takes over a second and the text
only finishes mounting after ~12 s (tests/bench/reader.py). Past `BIG_TEXT_BLOCKS` blocks the
reader uses this instead: Rich's Markdown renderer (the same Markdown, no markup parsing, links
shown as text) draws the lines in the fetch worker, and scrolling costs the same at page 1 and
page 60. Find works on the rendered lines; the contents list the headings with their lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

# More blocks than this (about six pages) and the reader draws the text as lines.
BIG_TEXT_BLOCKS = 250
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_MATCH_STYLE = Style(reverse=True)


def block_count(markdown: str) -> int:
    """About how many blocks the Markdown widget would mount: blank-line separated chunks."""
    return len(_BLOCK_BREAK.split(markdown))


@dataclass(frozen=True, slots=True)
class RenderedText:
    width: int
    lines: list[Strip]
    texts: list[str]  # each line's plain text, for find
    headings: list[tuple[int, str, int]]  # (level, title, line)


# The first part of a long text is rendered and shown on its own, so the reader paints at once
# while the rest renders (Rich renders ~0.7 MB of Markdown in about a second).
FIRST_PART_CHARS = 20_000
_TOP_HEADING = re.compile(r"^#{1,3}[ \t]", re.MULTILINE)


def split_first_part(markdown: str, size: int = FIRST_PART_CHARS) -> tuple[str, str]:
    """The text cut at the first heading after ``size`` characters (Markdown blocks do not span
    a heading, so the two parts render as the whole does); ("", ...) never: a text without a
    later heading stays whole."""
    if len(markdown) <= size:
        return markdown, ""
    match = _TOP_HEADING.search(markdown, size)
    if match is None:
        return markdown, ""
    return markdown[: match.start()], markdown[match.start() :]


def join_rendered(first: RenderedText, rest: RenderedText) -> RenderedText:
    offset = len(first.lines)
    return RenderedText(
        first.width,
        first.lines + rest.lines,
        first.texts + rest.texts,
        first.headings + [(level, title, line + offset) for level, title, line in rest.headings],
    )


def render_markdown(markdown: str, width: int) -> RenderedText:
    """The Markdown as lines ``width`` cells wide. Thread-safe (a console of its own); no
    escape sequence can come out: the text was cleaned, and Rich renders it as plain text."""
    width = max(20, width)
    console = Console(
        width=width, color_system="truecolor", force_terminal=True, legacy_windows=False
    )
    options = console.options.update_width(width)
    rendered = console.render_lines(Markdown(markdown, hyperlinks=False), options, pad=False)
    lines = [Strip(Segment.simplify(line)) for line in rendered]
    texts = [strip.text for strip in lines]
    return RenderedText(width, lines, texts, _locate_headings(markdown, texts))


def _locate_headings(markdown: str, texts: list[str]) -> list[tuple[int, str, int]]:
    """Each heading of the source with the rendered line it landed on (searched in order)."""
    found: list[tuple[int, str, int]] = []
    line = 0
    folded = [text.casefold() for text in texts]
    for match in _HEADING.finditer(markdown):
        level, title = len(match.group(1)), match.group(2).strip()
        needle = title.casefold()[:40]
        for number in range(line, len(folded)):
            if needle and needle in folded[number]:
                found.append((level, title, number))
                line = number + 1
                break
    return found


class PaperLines(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    PaperLines {
        height: 1fr;
        background: $surface;
        padding: 0 1;
    }
    """

    class WidthChanged(Message):
        """The widget's width is no longer the width the lines were rendered for."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    def __init__(self, rendered: RenderedText, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rendered = rendered
        self.match_line = -1
        self.virtual_size = Size(rendered.width, len(rendered.lines))

    def extend(self, rendered: RenderedText) -> None:
        """The rest of the text, rendered after its first part was shown."""
        self.rendered = join_rendered(self.rendered, rendered)
        self.virtual_size = Size(self.rendered.width, len(self.rendered.lines))
        self.refresh()

    def set_rendered(self, rendered: RenderedText) -> None:
        """New lines (after a resize), keeping the reader at the same place in the text."""
        fraction = self.scroll_y / max(1, len(self.rendered.lines))
        self.rendered = rendered
        self.match_line = -1
        self.virtual_size = Size(rendered.width, len(rendered.lines))
        self.scroll_to(y=round(fraction * len(rendered.lines)), animate=False)
        self.refresh()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self.rendered.width:
            self.post_message(self.WidthChanged(width))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if number >= len(self.rendered.lines):
            return Strip.blank(width, style)
        strip = self.rendered.lines[number]
        if number == self.match_line:
            strip = strip.apply_style(_MATCH_STYLE)
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_offsets(scroll_x, number)

    def find_locations(self, term: str) -> list[int]:
        """The rendered line of every occurrence of ``term`` (case-insensitive), in order."""
        needle = term.casefold()
        if not needle:
            return []
        found: list[int] = []
        for number, text in enumerate(self.rendered.texts):
            count = text.casefold().count(needle)
            found.extend([number] * count)
        return found

    def show_match(self, line: int) -> None:
        self.match_line = line
        self.scroll_to(y=max(0, line - 2), animate=False)
        self.refresh()

    def go_to_line(self, line: int) -> None:
        self.scroll_to(y=line, animate=False)
