"""arXiv's HTML (LaTeXML output) to Markdown, and Hugging Face's Markdown made safe.

Two passes over a string, never a fetch and never a file:

1. `_Rewriter`, a streaming `html.parser` pass (no tree, so no recursion: 10,000 nested tags
   are a counter, not a stack overflow), keeps only what a reader needs as plain HTML without
   attributes: headings, paragraphs, lists, tables, emphasis, code, links that pass
   `tui.links.safe_url`. It drops scripts, styles, forms, embedded objects and the page's
   navigation whole; replaces each ``<math>`` by its ``alttext`` LaTeX as Unicode
   (`tui.fulltext.latex`); turns each figure into one line ``[Figure 3: caption](image-url)``;
   and stops nesting blocks past `MAX_NESTING` (their text stays).
2. html2text, a well-kept HTML-to-Markdown converter (stdlib HTMLParser too), writes the
   Markdown from that small, flat HTML.

Both results end in `clean_document` (tui/text.py): no escape sequence or control character,
and a size cap.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import html2text

from tui.fulltext.latex import latex_to_unicode
from tui.links import safe_url
from tui.text import TRUNCATED_MARK, clean_document, clean_inline
from tui.textcache import MARKDOWN_MAX

# Deeper than this, block tags (lists in lists, quotes in quotes) are dropped and only their
# text kept: each level indents every line below it, so 10,000 levels would be ~100 MB.
MAX_NESTING = 12


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Dropped with everything inside them.
_SKIPPED = _words(
    "script style noscript template svg head title iframe object embed applet nav header "
    "footer form button input select textarea canvas audio video picture source map "
    "dialog frameset frame"
)
# Kept (without attributes); everything else is unwrapped (its text kept, the tag dropped).
_KEPT = _words(
    "h1 h2 h3 h4 h5 h6 p br hr em i strong b ul ol li blockquote pre code table thead tbody "
    "tfoot tr th td dl dt dd"
)
_NESTED = _words("ul ol blockquote dl table")
_TABLE_PARTS = _words("table thead tbody tfoot tr td th")
_VOID = _words("br hr img wbr meta link input col area base source track param")
# LaTeXML's classes for page furniture that is not the paper.
_FURNITURE = ("ltx_page_navbar", "ltx_page_header", "ltx_page_footer", "ltx_page_logo")
_CAPTION_MAX = 1_000


class _Figure:
    __slots__ = ("caption", "in_caption", "is_table", "src")

    def __init__(self, is_table: bool) -> None:
        self.is_table = is_table
        self.src = ""
        self.caption: list[str] = []
        self.in_caption = 0


class _Rewriter(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.out: list[str] = []
        self.skipping: list[str] = []  # the open tags of a dropped subtree
        self.math_depth = 0
        self.open_nested: list[str] = []  # the kept nesting tags that are open
        self.dropped_nested = 0  # nesting tags beyond MAX_NESTING
        self.figures: list[_Figure] = []
        self.link_open: list[bool] = []  # for each open <a>: did we emit it?
        # LaTeXML sets each displayed equation in a table (ltx_equation, ltx_eqn_*): inside one,
        # table tags are unwrapped and the equation is a paragraph.
        self.equation_tables = 0

    # -- tags ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if self.math_depth:
            if tag == "math":
                self.math_depth += 1
            return
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "")
        if tag in _SKIPPED or any(name in classes for name in _FURNITURE):
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag == "math":
            self.math_depth = 1
            self._math(values.get("alttext", ""), values.get("display", "") == "block")
            return
        if tag == "figure":
            self.figures.append(_Figure(is_table="ltx_table" in classes))
            return
        figure = self.figures[-1] if self.figures else None
        if tag == "figcaption" and figure is not None:
            figure.in_caption += 1
            return
        if tag == "img":
            self._image(values.get("src", ""), values.get("alt", ""))
            return
        if figure is not None and not figure.is_table:
            return  # a figure's body is its image and its caption, both taken above
        if figure is not None and figure.in_caption:
            return
        if tag == "a":
            self._link(values.get("href", ""))
            return
        if tag == "table" and ("ltx_equation" in classes or "ltx_eqn" in classes):
            self.equation_tables += 1
            self.out.append("<p>")
            return
        if self.equation_tables and tag in _TABLE_PARTS:
            return
        if tag == "li" and self.dropped_nested:
            return
        if tag in _NESTED:
            if len(self.open_nested) >= MAX_NESTING:
                self.dropped_nested += 1
                return
            self.open_nested.append(tag)
        if tag in _KEPT:
            self.out.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            # Close up to the matching open tag (HTML in the wild forgets closing tags).
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if self.math_depth:
            if tag == "math":
                self.math_depth -= 1
            return
        figure = self.figures[-1] if self.figures else None
        if tag == "figure" and figure is not None:
            self.figures.pop()
            self._end_figure(figure)
            return
        if tag == "figcaption" and figure is not None:
            figure.in_caption = max(0, figure.in_caption - 1)
            return
        if figure is not None and (not figure.is_table or figure.in_caption):
            return
        if tag == "a":
            if self.link_open and self.link_open.pop():
                self.out.append("</a>")
            return
        if self.equation_tables and tag in _TABLE_PARTS:
            if tag == "table":
                self.equation_tables -= 1
                self.out.append("</p>")
            else:
                self.out.append(" ")
            return
        if tag == "li" and self.dropped_nested:
            return
        if tag in _NESTED:
            if self.dropped_nested:
                self.dropped_nested -= 1
                return
            if tag in self.open_nested:
                while self.open_nested and self.open_nested.pop() != tag:
                    pass
        if tag in _KEPT:
            self.out.append(f"</{tag}>")

    # -- text --------------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.skipping or self.math_depth:
            return
        self._text(data)

    def _text(self, text: str) -> None:
        figure = self.figures[-1] if self.figures else None
        if figure is not None and figure.in_caption:
            figure.caption.append(text)
        elif figure is None or figure.is_table:
            self.out.append(html.escape(text, quote=False))

    def _math(self, alttext: str, block: bool) -> None:
        text = latex_to_unicode(alttext) if alttext else ""
        if not text:
            return
        if block:
            self._text(" ")
            if not self.figures and not self.equation_tables:
                self.out.append("<p>" + html.escape(text, quote=False) + "</p>")
                return
        self._text(text)

    def _image(self, src: str, alt: str) -> None:
        url = self._url(src)
        figure = self.figures[-1] if self.figures else None
        if figure is not None:
            for outer in reversed(self.figures):  # a subfigure's image serves its parent too
                if not outer.src:
                    outer.src = url
            return
        if url:  # an image outside any figure: a link line, as figures are
            label = clean_inline(alt, _CAPTION_MAX) or "Image"
            self.out.append(f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>')

    def _link(self, href: str) -> None:
        url = "" if href.startswith("#") else self._url(href)
        self.link_open.append(bool(url))
        if url:
            self.out.append(f'<a href="{html.escape(url)}">')

    def _end_figure(self, figure: _Figure) -> None:
        caption = clean_inline("".join(figure.caption), _CAPTION_MAX)
        if figure.is_table:
            if caption:
                self.out.append("<p><em>" + html.escape(caption, quote=False) + "</em></p>")
            return
        if not caption and not figure.src:
            return
        if self.figures and not caption:
            return  # a captionless subfigure: its parent's line names it
        label = html.escape(caption or "Figure", quote=False)
        if figure.src:
            self.out.append(f'<p><a href="{html.escape(figure.src)}">{label}</a></p>')
        else:
            self.out.append(f"<p>[{label}]</p>")

    def _url(self, href: str) -> str:
        href = href.strip()
        if not href:
            return ""
        try:
            return safe_url(urljoin(self.base_url, href) if self.base_url else href)
        except ValueError:
            return ""


def _html2text() -> html2text.HTML2Text:
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_images = True  # there are none left: figures are links already
    converter.unicode_snob = True
    converter.protect_links = True  # <url>: a URL with parentheses stays one link
    converter.pad_tables = False
    converter.mark_code = False
    return converter


def html_to_markdown(page: str | bytes, base_url: str = "") -> str:
    """A LaTeXML page as Markdown: see the module's docstring. Relative links and image paths
    are resolved against ``base_url`` (the page's URL), then validated."""
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    rewriter = _Rewriter(base_url)
    rewriter.feed(text)
    rewriter.close()
    simple = "".join(rewriter.out)
    markdown = _html2text().handle(simple)
    return finish_markdown(markdown)


# Inline links and images: [text](url "title") / ![alt](url). Bounded so a hostile line cannot
# make the pattern backtrack for long.
_MD_LINK = re.compile(
    r"(!?)\[([^\[\]\n]{0,2000})\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]{0,2100}\)){0,2100})>?"
    r"(?:\s+\"[^\"\n]{0,500}\")?\s*\)"
)
_MD_REFERENCE = re.compile(r"(?m)^ {0,3}\[([^\[\]\n]{1,500})\]:\s*<?(\S{0,2100}?)>?(?:\s.*)?$")


def markdown_links_checked(markdown: str) -> str:
    """Every inline link and image of ``markdown`` checked with `safe_url`: an unsafe one
    (``javascript:``, ``file:``, ``data:``, a relative path the viewer would read from disk)
    keeps only its text; an image becomes a link line ``[Image: alt](url)`` (the terminal shows
    no images). Reference definitions with unsafe targets are dropped."""

    def link(match: re.Match[str]) -> str:
        bang, label, url = match.groups()
        checked = safe_url(url)
        if bang:
            label = label.strip() or "Image"
            if not label.lower().startswith(("figure", "fig.", "image")):
                label = f"Image: {label}"
        if not checked:
            return label
        return f"[{label}]({checked})"

    def reference(match: re.Match[str]) -> str:
        return match.group(0) if safe_url(match.group(2)) else ""

    return _MD_REFERENCE.sub(reference, _MD_LINK.sub(link, markdown))


def finish_markdown(markdown: str | bytes) -> str:
    """Any Markdown (Hugging Face's, or ours) as the reader shows it: decoded (broken UTF-8 as
    replacement characters), cleaned of escape sequences and controls, links checked, blank
    runs squeezed, at most `MARKDOWN_MAX` characters."""
    text = clean_document(markdown, MARKDOWN_MAX * 2)
    text = markdown_links_checked(text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    if len(text) > MARKDOWN_MAX:
        text = text[:MARKDOWN_MAX].rsplit("\n", 1)[0] + "\n\n" + TRUNCATED_MARK.strip() + "\n"
    return text
