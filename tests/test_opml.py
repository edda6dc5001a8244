"""OPML import/export: nested folders flattened, hostile XML refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli.opml import OpmlError, OutlineFeed, parse_opml, write_opml
from tui.feeds.sources import ParseError

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Papers">
      <outline text="arXiv cs.LG" type="rss" xmlUrl="https://rss.arxiv.org/rss/cs.LG"/>
      <outline text="Deeper">
        <outline title="HF daily" text="ignored when title is set" type="rss"
                 xmlUrl="https://huggingface.co/api/daily_papers"/>
      </outline>
    </outline>
    <outline text="Blog" xmlurl="http://blog.example.org/feed.xml"/>
    <outline text="Duplicate" xmlUrl="https://rss.arxiv.org/rss/cs.LG"/>
    <outline text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline text="Script" xmlUrl="javascript:alert(1)"/>
    <outline text="Folder without a feed"/>
    <outline text="\xe2\x80\xaeEvil&amp;#x1b;]0;x&amp;#x7;name" xmlUrl="https://evil.example.org/rss"/>
  </body>
</opml>"""


def test_nested_outlines_are_flattened_and_checked() -> None:
    feeds = parse_opml(NESTED)
    assert feeds == [
        OutlineFeed("arXiv cs.LG", "https://rss.arxiv.org/rss/cs.LG"),
        OutlineFeed("HF daily", "https://huggingface.co/api/daily_papers"),
        OutlineFeed("Blog", "http://blog.example.org/feed.xml"),
        OutlineFeed("Evilname", "https://evil.example.org/rss"),
    ]


def test_write_then_read_round_trips() -> None:
    feeds = [
        OutlineFeed("arXiv cs.CL & cs.LG <new>", "https://rss.arxiv.org/rss/cs.CL+cs.LG"),
        OutlineFeed("", "https://example.org/feed?a=1&b=2"),
    ]
    written = write_opml(feeds)
    assert written.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert parse_opml(written) == [
        feeds[0],
        OutlineFeed("https://example.org/feed?a=1&b=2", "https://example.org/feed?a=1&b=2"),
    ]


def test_write_leaves_out_unsafe_urls_and_control_characters() -> None:
    written = write_opml(
        [OutlineFeed("ok\x1b[2J", "https://a.example/rss"), OutlineFeed("x", "file:///etc")]
    )
    assert parse_opml(written) == [OutlineFeed("ok", "https://a.example/rss")]
    assert b"\x1b" not in written and b"file:" not in written


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://a.example/rss"/></body></opml>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://a.example/rss"/></body></opml>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(body: bytes) -> None:
    with pytest.raises(OpmlError, match=r"^refused: the OPML file declares XML entities"):
        parse_opml(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not an OPML file (empty response)"),
        (b"<html><body>hi</body></html>", "not an OPML file (got HTML)"),
        (b"<rss version='2.0'/>", "not an OPML file (the document is <rss>)"),
        (b"<opml><body><outline", "not an OPML file (invalid XML"),
    ],
)
def test_not_opml(body: bytes, reason: str) -> None:
    with pytest.raises(OpmlError) as caught:
        parse_opml(body)
    assert str(caught.value).startswith(reason)
    assert isinstance(caught.value, ParseError)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=1_000))
def test_arbitrary_bytes_raise_only_opml_error(body: bytes) -> None:
    try:
        feeds = parse_opml(b"<opml><body>" + body)
    except OpmlError:
        return
    assert all(feed.url.startswith(("http://", "https://")) for feed in feeds)


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=40), path=st.text(max_size=20))
def test_any_title_round_trips_as_clean_text(title: str, path: str) -> None:
    feed = OutlineFeed(title, f"https://example.org/{path}")
    parsed = parse_opml(write_opml([feed]))
    assert len(parsed) <= 1
    for item in parsed:
        assert item.url.startswith("https://example.org/")
        assert not any(ord(c) < 32 for c in item.title)


def test_feedtui_attributes_are_written_in_their_own_namespace_and_read_back() -> None:
    feed = OutlineFeed(
        "diffusion",
        "https://export.arxiv.org/api/query?search_query=ti%3Adiffusion",
        kind="arxiv_query",
        search_query="ti:diffusion AND cat:cs.CV",
        max_results="50",
        refresh_minutes="720",
    )
    cats = OutlineFeed(
        "cats", "https://rss.arxiv.org/rss/cs.LG+cs.CL", kind="arxiv_rss", categories="cs.LG+cs.CL"
    )
    written = write_opml([feed, cats])
    assert b'xmlns:feedtui="https://github.com/feedtui/feedtui/opml/1"' in written
    assert b'feedtui:kind="arxiv_query"' in written and b'feedtui:maxResults="50"' in written
    assert b'type="rss"' in written  # what other readers look at is still there
    assert parse_opml(written)[0] == feed
    assert parse_opml(written)[1].categories == "cs.LG+cs.CL"


def test_attributes_of_other_namespaces_are_not_feedtuis() -> None:
    body = (
        b'<opml version="2.0" xmlns:x="https://other.example/ns"><body>'
        b'<outline text="a" xmlUrl="https://a.example/rss" x:kind="arxiv_rss" kind="hf_daily"/>'
        b"</body></opml>"
    )
    assert parse_opml(body) == [OutlineFeed("a", "https://a.example/rss")]
