"""OPML feed lists: import (``parse_opml``) and export (``write_opml``).

An OPML file comes from elsewhere (another reader's export, a shared list), so it is read
with defusedxml: a billion-laughs or XXE file is refused, nothing is expanded or read. Nested
outline folders are flattened; outlines without an http(s) ``xmlUrl`` are left out; the same
URL twice is kept once.

feedtui's own feeds are not all RSS (Hugging Face is a JSON API, an arXiv query is a search),
so an exported outline also carries what feedtui needs to rebuild the feed, in attributes of
its own namespace (``xmlns:feedtui``): ``feedtui:kind``, ``feedtui:categories``,
``feedtui:query``, ``feedtui:maxResults`` and ``feedtui:refreshMinutes``. Other readers ignore
them and see the plain ``xmlUrl``; an outline without them is a plain feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from tui.feeds import ParseError, check_not_a_feed, field_text, local_name
from tui.links import UnsafeURL, safe_url, validate_url

OPML_TITLE_MAX = 300
# An OPML file larger than this is refused unread: 5,000 outlines take about 1 MB.
OPML_MAX_BYTES = 4_000_000
OPML_VALUE_MAX = 2000  # a feedtui attribute (an arXiv query can be long)
_SHOWN_MAX = 60  # a refused outline's title (or URL) in the message that lists them
FEEDTUI_NS = "https://github.com/feedtui/feedtui/opml/1"
register_namespace("feedtui", FEEDTUI_NS)
# OutlineFeed field -> its attribute in FEEDTUI_NS
_FEEDTUI_ATTRIBUTES = {
    "kind": "kind",
    "categories": "categories",
    "search_query": "query",
    "max_results": "maxResults",
    "refresh_minutes": "refreshMinutes",
}


class OpmlError(ParseError):
    """Not a usable OPML file; ``str()`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class OutlineFeed:
    title: str  # may be "" when the outline has neither title nor text
    url: str  # validated http(s)
    # feedtui's attributes, as written (clean one-line text, checked by whoever builds a feed
    # from them); all "" on another reader's outline.
    kind: str = ""
    categories: str = ""  # "cs.LG+cs.CL"
    search_query: str = ""
    max_results: str = ""
    refresh_minutes: str = ""


def parse_opml(body: bytes, refused: list[str] | None = None) -> list[OutlineFeed]:
    """The file's feeds. An outline whose ``xmlUrl`` is there but is not a safe http(s) URL
    (``javascript:``, ``file:``, ``data:``...) is left out and, when ``refused`` is given,
    told there as "'title' (refused javascript: link)" so the caller can say so."""
    try:
        check_not_a_feed(body)
    except ParseError as exc:
        raise OpmlError(str(exc).replace("not a feed", "not an OPML file")) from None
    try:
        root = fromstring(body)
    except DefusedXmlException:
        raise OpmlError(
            "refused: the OPML file declares XML entities or external references"
        ) from None
    except (XMLSyntaxError, LookupError, ValueError) as exc:
        # LookupError: the XML declaration names an encoding Python does not know.
        raise OpmlError(f"not an OPML file (invalid XML: {field_text(str(exc), 200)})") from None
    if local_name(root.tag).lower() != "opml":
        shown = field_text(local_name(root.tag), 40) or "?"
        raise OpmlError(f"not an OPML file (the document is <{shown}>)")
    feeds: dict[str, OutlineFeed] = {}
    # iter() walks nested folders without recursion, however deep they go.
    for outline in root.iter():
        if local_name(outline.tag).lower() != "outline":
            continue
        attrs: dict[str, str] = {}
        ours: dict[str, str] = {}
        for key, value in outline.attrib.items():
            namespace, _, name = key[1:].partition("}") if key.startswith("{") else ("", "", key)
            if namespace == FEEDTUI_NS:
                ours[name] = value
            elif not namespace:
                attrs[name.lower()] = value
        given = attrs.get("xmlurl", "").strip()
        title = field_text(attrs.get("title") or attrs.get("text") or "", OPML_TITLE_MAX)
        try:
            url = validate_url(given) if given else ""
        except UnsafeURL as reason:
            if refused is not None:
                refused.append(f"{field_text(title or given, _SHOWN_MAX)!r} ({reason})")
            continue
        if not url or url in feeds:
            continue
        extra = {
            field: field_text(ours.get(attribute, ""), OPML_VALUE_MAX)
            for field, attribute in _FEEDTUI_ATTRIBUTES.items()
        }
        feeds[url] = OutlineFeed(title=title, url=url, **extra)
    return list(feeds.values())


def write_opml(feeds: Iterable[OutlineFeed], title: str = "feedtui feeds") -> bytes:
    """An OPML 2.0 document (UTF-8 bytes) listing ``feeds``; invalid URLs are left out."""
    opml = Element("opml", version="2.0")
    head = SubElement(opml, "head")
    SubElement(head, "title").text = field_text(title, OPML_TITLE_MAX)
    body = SubElement(opml, "body")
    for feed in feeds:
        url = safe_url(feed.url)
        if not url:
            continue
        name = field_text(feed.title, OPML_TITLE_MAX) or url
        outline = SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=url)
        for field, attribute in _FEEDTUI_ATTRIBUTES.items():
            value = field_text(getattr(feed, field), OPML_VALUE_MAX)
            if value:
                outline.set(f"{{{FEEDTUI_NS}}}{attribute}", value)
    return tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"
