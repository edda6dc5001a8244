"""Source parsers: every captured fixture through the local server, and hostile bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.feed_server import FIXTURES, FeedServer
from tui.feeds.http import fetch
from tui.feeds.sources import ParseError, ParseResult, arxiv_api, arxiv_rss, feed, huggingface
from tui.model import Paper

pytest_plugins = ["tests.feed_server"]

PARSERS: list[ModuleType] = [huggingface, arxiv_rss, arxiv_api, feed]


def served(
    feed_server: FeedServer, name: str, parser: Callable[[bytes], ParseResult]
) -> ParseResult:
    result = fetch(feed_server.fixture_url(name), deadline=5)
    return parser(result.body)


def by_id(result: ParseResult) -> dict[str, Paper]:
    return {paper.id: paper for paper in result.papers}


def assert_clean(paper: Paper) -> None:
    """What every parser promises about every paper it returns."""
    for url in (paper.url, paper.pdf_url, paper.code_url, paper.project_url):
        assert url == "" or url.startswith(("http://", "https://")), url
    for text in (paper.title, paper.abstract, paper.comment, paper.ai_summary, *paper.authors):
        assert not any(ord(c) < 32 and c != "\n" for c in text), text
        assert "\x1b" not in text and "\u202e" not in text
    assert "\n" not in paper.title
    assert paper.title


# --- Hugging Face ---------------------------------------------------------------------


def test_hf_daily_papers(feed_server: FeedServer) -> None:
    result = served(feed_server, "hf_daily_papers_2026-08_trimmed_2items.json", huggingface.parse)
    assert [p.id for p in result.papers] == ["2608.09888", "2608.15089"]
    assert result.skipped == 0 and not result.partial
    bdh, statem = result.papers
    assert bdh.title == "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning"
    assert bdh.authors[:2] == ("Björn Engdahl", "Adrian Kosowski")
    assert len(bdh.authors) == 9
    assert bdh.upvotes == 781 and bdh.github_stars == 11184 and bdh.num_comments == 6
    assert bdh.code_url == "https://github.com/pathwaycom/arc-task-gen"
    assert bdh.project_url.startswith("https://pathway.com/blog/pathway-150m-model")
    assert bdh.published == "2026-08-10"  # paper.publishedAt (arXiv), not the featured day
    assert bdh.url == "https://arxiv.org/abs/2608.09888"
    assert bdh.pdf_url == "https://arxiv.org/pdf/2608.09888"
    assert bdh.arxiv_id == "2608.09888"
    assert "ARC-AGI-1" in bdh.ai_keywords
    assert bdh.ai_summary.startswith("A 150M-parameter reasoning model")
    # `\$15` in the JSON is LaTeX leftover: shown as "$15".
    assert "or a $15 Frontier Run" in statem.title
    assert statem.code_url == "https://github.com/henryqin1997/statem"
    assert statem.project_url == "https://henryqin1997.github.io/statem/"
    for paper in result.papers:
        assert_clean(paper)


def test_hf_trending_old_paper(feed_server: FeedServer) -> None:
    result = served(
        feed_server, "hf_daily_papers_sort_trending_trimmed_1item.json", huggingface.parse
    )
    (paper,) = result.papers
    assert paper.id == "2412.20138"
    assert paper.code_url == "https://github.com/tauricresearch/tradingagents"
    assert paper.github_stars == 107465 and paper.upvotes == 140
    assert paper.published == "2024-12-28"


def test_hf_older_shape_prefers_the_unwrapped_title(feed_server: FeedServer) -> None:
    result = served(
        feed_server, "hf_daily_papers_2024-10-25_trimmed_2items_compact.json", huggingface.parse
    )
    papers = by_id(result)
    assert set(papers) == {"2410.17243", "2410.16251"}
    memory = papers["2410.17243"]
    assert memory.title == (
        "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    )
    assert memory.upvotes == 64 and memory.num_comments == 3
    assert memory.github_stars is None and memory.ai_keywords == ()
    assert memory.code_url == ""
    # Hard wraps inside the abstract are joined.
    assert "where larger batch sizes" in memory.abstract


def test_hf_single_paper_object(feed_server: FeedServer) -> None:
    result = served(feed_server, "hf_api_paper_2608.09888.json", huggingface.parse)
    (paper,) = result.papers
    assert paper.id == "2608.09888"
    assert paper.upvotes == 782
    assert paper.num_comments is None
    assert paper.authors[-1] == "Richard Zhong"
    assert huggingface.paper_page_url(paper.id) == "https://huggingface.co/papers/2608.09888"


def _item(**paper: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "2401.00001", "title": "A title", "summary": "Text."}
    base.update(paper)
    return {"paper": base, "numComments": 1}


def test_hf_malformed_items_are_skipped_and_counted() -> None:
    items = [
        _item(),  # good
        _item(id=123),
        {"paper": {"id": "2401.00002", "title": None}, "title": None},
        {"paper": "not an object"},
        {"no": "paper"},
        "a string",
        None,
        _item(id="2401.00003", upvotes="12", githubStars=float("nan"), authors="x"),  # ok
    ]
    body = json.dumps(items).replace("NaN", "NaN").encode()
    result = huggingface.parse(body)
    assert [p.id for p in result.papers] == ["2401.00001", "2401.00003"]
    assert result.skipped == 6
    assert result.warnings == ["skipped 6 malformed items"]
    tolerant = result.papers[1]
    assert tolerant.upvotes is None and tolerant.github_stars is None and tolerant.authors == ()


def test_hf_nan_in_a_count_drops_only_that_field() -> None:
    body = b'[{"paper": {"id": "2401.00001", "title": "T", "upvotes": NaN}, "numComments": 2}]'
    (paper,) = huggingface.parse(body).papers
    assert paper.upvotes is None and paper.num_comments == 2


def test_hf_error_object() -> None:
    body = b'{"error": "limit must be <= 100\\u001b]0;pwned\\u0007"}'
    with pytest.raises(ParseError) as caught:
        huggingface.parse(body)
    assert str(caught.value) == "Hugging Face said: limit must be <= 100"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not a feed (empty response)"),
        (b"   \n", "not a feed (empty response)"),
        (b"<!DOCTYPE html><html><body>Log in to the Wi-Fi</body></html>", "not a feed (got HTML)"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON (nested too deeply)"),
        (b'{"paper": ', "not valid JSON (Expecting value)"),
        (b"\xff\xfe\xfa garbage", "not valid JSON"),
        (b"42", "not a Hugging Face papers response (got a JSON number)"),
        (b'{"something": "else"}', "not a Hugging Face papers response (unexpected JSON object)"),
    ],
)
def test_hf_bodies_that_are_not_feeds(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        huggingface.parse(body)
    assert str(caught.value).startswith(reason)


def test_hf_empty_list_is_a_quiet_weekend() -> None:
    result = huggingface.parse(b"[]")
    assert result.papers == [] and result.skipped == 0 and result.warnings == []


def test_hf_text_is_sanitized_and_links_validated() -> None:
    item = _item(
        title="\x1b]52;c;cGF5bG9hZA==\x07Evil \u202etitle\x1b[2J",
        githubRepo="javascript:alert(1)",
        projectPage="file:///etc/passwd",
        authors=[{"name": "A\x1b[31m B"}, {"name": None}, "x"],
    )
    (paper,) = huggingface.parse(json.dumps([item]).encode()).papers
    assert paper.title == "Evil title"
    assert paper.code_url == "" and paper.project_url == ""
    assert paper.authors == ("A B",)
    assert_clean(paper)


# --- arXiv RSS -------------------------------------------------------------------------


def test_arxiv_rss_fixtures(feed_server: FeedServer) -> None:
    ai = by_id(served(feed_server, "arxiv_rss_cs_ai_2026-04-27.xml", arxiv_rss.parse))
    assert list(ai) == ["2604.21935", "2604.21936", "2604.21937"]
    math = ai["2604.21935"]
    assert math.title == (
        "Math Takes Two: A test for emergent mathematical reasoning in communication"
    )
    assert math.authors == ("Michael Cooper", "Samuel Cooper")
    assert math.categories == ("cs.AI", "cs.LG")
    assert math.announce_type == "new"
    assert math.published == "2026-04-27"
    assert math.abstract.startswith("Although language models demonstrate")
    assert "Announce Type" not in math.abstract
    assert math.pdf_url == "https://arxiv.org/pdf/2604.21935"
    assert len(ai["2604.21936"].authors) == 18
    # \textbf{adaptability} in the abstract is LaTeX leftover.
    assert "\\textbf" not in ai["2604.21936"].abstract
    assert "adaptability" in ai["2604.21936"].abstract

    cl = by_id(served(feed_server, "arxiv_rss_cs_cl_2026-04-27.xml", arxiv_rss.parse))
    # "Ratna Kandala,  Deepti" (double space, a mononym) splits cleanly.
    assert cl["2604.22002"].authors == (
        "Anamta Khan",
        "Ratna Kandala",
        "Deepti",
        "Sheza Munir",
        "Joyojeet Pal",
    )
    lg = by_id(served(feed_server, "arxiv_rss_cs_lg_2026-04-27.xml", arxiv_rss.parse))
    assert lg["2604.21952"].categories == ("cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO")
    assert "resolution & stride" in lg["2604.21952"].abstract
    for result in (ai, cl, lg):
        for paper in result.values():
            assert_clean(paper)


def _rss(items: str, title: str = "cs.LG updates on arXiv.org") -> bytes:
    return (
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        f"<title>{title}</title>{items}</channel></rss>"
    ).encode()


def _rss_item(
    arxiv_id: str = "2604.00001",
    kind: str = "new",
    creator: str = "A. Author",
    abstract: str = "Text.",
    with_element: bool = True,
) -> str:
    element = f"<arxiv:announce_type>{kind}</arxiv:announce_type>" if with_element else ""
    return (
        f"<item><title>Paper {arxiv_id}</title><link>https://arxiv.org/abs/{arxiv_id}</link>"
        f"<description>arXiv:{arxiv_id}v2 Announce Type: {kind} \nAbstract: {abstract}"
        f'</description><guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v2</guid>'
        f"<category>cs.LG</category><pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>"
        f"{element}<dc:creator>{creator}</dc:creator></item>"
    )


def test_arxiv_rss_affiliations_stay_with_their_author() -> None:
    creator = "Ana Lima (Univ. A, Lab B), Bo Chen, Carla Diaz and Dan Evans"
    (paper,) = arxiv_rss.parse(_rss(_rss_item(creator=creator))).papers
    assert paper.authors == ("Ana Lima (Univ. A, Lab B)", "Bo Chen", "Carla Diaz", "Dan Evans")


def test_arxiv_rss_replacement_dates_go_to_updated() -> None:
    body = _rss(_rss_item(kind="replace-cross", with_element=False))
    (paper,) = arxiv_rss.parse(body).papers
    assert paper.announce_type == "replace-cross"  # from the description when no element
    assert paper.published == "" and paper.updated == "2026-04-27"


def test_arxiv_rss_code_link_from_the_abstract() -> None:
    abstract = "We release code at https://github.com/Org/Tool.git)."
    (paper,) = arxiv_rss.parse(_rss(_rss_item(abstract=abstract))).papers
    assert paper.code_url == "https://github.com/Org/Tool"


def test_arxiv_rss_bad_category_error_feed() -> None:
    body = _rss("", title="Feed error for query: cs.NOPE")
    with pytest.raises(ParseError, match=r"^arXiv said: Feed error for query: cs\.NOPE$"):
        arxiv_rss.parse(body)


def test_arxiv_rss_truncated_keeps_what_parsed() -> None:
    whole = (FIXTURES / "arxiv_rss_cs_ai_2026-04-27.xml").read_bytes()
    cut = whole[: whole.index(b"<item>", whole.index(b"</item>")) + 300]
    result = arxiv_rss.parse(cut)
    assert result.partial is True
    assert [p.id for p in result.papers] == ["2604.21935"]
    assert "cut short" in result.warnings[-1]


def test_arxiv_rss_wrong_document() -> None:
    with pytest.raises(ParseError, match=r"^not an RSS feed \(the document is <feed>\)$"):
        arxiv_rss.parse((FIXTURES / "arxiv_api_atom_2026_new_format.xml").read_bytes())
    with pytest.raises(ParseError, match=r"^not a feed \(invalid XML"):
        arxiv_rss.parse(b"this is plain text")


def test_arxiv_rss_items_without_arxiv_id_are_skipped() -> None:
    item = "<item><title>No id</title><link>https://example.org/x</link></item>"
    result = arxiv_rss.parse(_rss(item + _rss_item()))
    assert [p.id for p in result.papers] == ["2604.00001"] and result.skipped == 1


# --- arXiv API (Atom) ------------------------------------------------------------------


def test_arxiv_api_new_format(feed_server: FeedServer) -> None:
    result = served(feed_server, "arxiv_api_atom_2026_new_format.xml", arxiv_api.parse)
    papers = by_id(result)
    assert list(papers) == ["2002.00741", "1102.2017", "1112.2954"]
    deja = papers["2002.00741"]
    assert deja.title.startswith("Déjà vu: A Contextualized Temporal Attention")
    assert deja.authors == ("Jibang Wu", "Renqin Cai", "Hongning Wang")
    assert deja.categories == ("cs.IR", "cs.CL", "cs.LG")
    assert deja.published == "2020-01-29" and deja.updated == "2020-01-29"
    assert deja.comment.startswith("Key Words: Sequential Recommendation")
    # Two paragraphs in the summary stay two paragraphs.
    assert "\n\nIn this paper, we argue" in deja.abstract
    mechanism = papers["1102.2017"]
    assert mechanism.published == "2011-02-10" and mechanism.updated == "2011-06-18"
    assert mechanism.pdf_url == "https://arxiv.org/pdf/1102.2017"
    for paper in result.papers:
        assert_clean(paper)


def test_arxiv_api_old_format(feed_server: FeedServer) -> None:
    result = served(feed_server, "arxiv_api_atom_2025-07_old_format_excerpt.xml", arxiv_api.parse)
    (paper,) = result.papers
    assert paper.id == "2409.12922"
    # Hard-wrapped title with leading spaces joins into one line.
    assert (
        paper.title == "AI Thinking: A framework for rethinking artificial intelligence in practice"
    )
    assert paper.categories == ("cs.CY", "cs.AI", "cs.HC")  # primary first
    assert paper.comment == "30 pages, 2 figures"
    assert paper.url == "https://arxiv.org/abs/2409.12922"
    assert paper.abstract.startswith("Artificial intelligence is transforming")


def _atom(entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>arXiv Query</title>{entries}</feed>"
    ).encode()


def _atom_entry(arxiv_id: str = "2501.00001", comment: str = "", summary: str = "Text.") -> str:
    comment_xml = f"<arxiv:comment>{comment}</arxiv:comment>" if comment else ""
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}v3</id><title>Paper {arxiv_id}</title>"
        f"<summary>{summary}</summary><published>2025-01-02T00:00:00Z</published>"
        f"<updated>2025-03-04T00:00:00Z</updated><author><name>A. Author</name></author>"
        f'<link href="http://arxiv.org/pdf/{arxiv_id}v3" rel="related" type="application/pdf"/>'
        f'<arxiv:primary_category term="cs.CL"/><category term="cs.LG"/>'
        f'<category term="cs.CL"/>{comment_xml}</entry>'
    )


def test_arxiv_api_code_link_mined_from_the_comment() -> None:
    comment = "12 pages. Code: \\url{https://github.com/some-org/some-repo}."
    summary = "See https://github.com/other/repo for a baseline."
    (paper,) = arxiv_api.parse(_atom(_atom_entry(comment=comment, summary=summary))).papers
    assert paper.code_url == "https://github.com/some-org/some-repo"  # comment beats abstract
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.published == "2025-01-02" and paper.updated == "2025-03-04"


def test_arxiv_api_code_link_from_the_abstract_when_no_comment() -> None:
    summary = "Our code is available at github.com/Foo/Bar."
    (paper,) = arxiv_api.parse(_atom(_atom_entry(summary=summary))).papers
    assert paper.code_url == "https://github.com/Foo/Bar"


def test_arxiv_api_error_entry() -> None:
    error = (
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id>"
        "<title>Error</title><summary>incorrect id format for 1234.12345v</summary></entry>"
    )
    with pytest.raises(ParseError, match=r"^arXiv said: incorrect id format for 1234\.12345v$"):
        arxiv_api.parse(_atom(error))


def test_arxiv_api_no_results_is_empty() -> None:
    assert arxiv_api.parse(_atom("")).papers == []


def test_arxiv_api_truncated_keeps_what_parsed() -> None:
    body = _atom(_atom_entry("2501.00001") + _atom_entry("2501.00002"))
    result = arxiv_api.parse(body[: body.index(b"<entry>", 200) + 40])
    assert result.partial is True
    assert [p.id for p in result.papers] == ["2501.00001"]


def test_arxiv_api_refuses_entities() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>'
    )
    with pytest.raises(ParseError, match="refused"):
        arxiv_api.parse(laughs)


# --- any RSS / Atom --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("arxiv_rss_cs_ai_2026-04-27.xml", ["2604.21935", "2604.21936", "2604.21937"]),
        ("arxiv_api_atom_2026_new_format.xml", ["2002.00741", "1102.2017", "1112.2954"]),
        ("arxiv_api_atom_2025-07_old_format_excerpt.xml", ["2409.12922"]),
    ],
)
def test_generic_feed_reads_arxiv_feeds_with_canonical_ids(
    feed_server: FeedServer, name: str, ids: list[str]
) -> None:
    result = served(feed_server, name, feed.parse)
    assert [p.id for p in result.papers] == ids
    for paper in result.papers:
        assert paper.url == f"https://arxiv.org/abs/{paper.id}"
        assert_clean(paper)


def test_generic_feed_splits_arxiv_creators_and_reads_announce_type(
    feed_server: FeedServer,
) -> None:
    result = served(feed_server, "arxiv_rss_cs_cl_2026-04-27.xml", feed.parse)
    first = result.papers[0]
    assert first.authors[:3] == ("Anamta Khan", "Ratna Kandala", "Deepti")
    assert first.announce_type == "new"
    assert first.abstract.startswith("Social media platforms")


BLOG = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>A lab blog</title>
<item><title>Our new model &amp; <b>results</b></title><link>https://lab.example.org/posts/1</link>
<guid>post-1</guid><author>Smith, Jane</author>
<description>&lt;p&gt;First paragraph with &lt;a href="https://github.com/lab/model"&gt;code&lt;/a&gt;.
&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</description>
<pubDate>Tue, 05 Mar 2024 23:30:00 -0800</pubDate></item>
<item><title>Bad link</title><link>javascript:alert(1)</link><guid>post-2</guid></item>
<item><description>no title at all</description></item>
</channel></rss>"""


def test_generic_feed_plain_items() -> None:
    result = feed.parse(BLOG)
    post, bad = result.papers
    assert result.skipped == 1
    assert post.id.startswith("h:") and post.arxiv_id is None
    assert post.url == "https://lab.example.org/posts/1" and post.pdf_url == ""
    assert post.title == "Our new model & results"
    assert post.abstract == "First paragraph with code.\n\nSecond & last."
    assert post.code_url == "https://github.com/lab/model"
    assert post.authors == ("Smith, Jane",)  # not an arXiv item: no comma splitting
    assert post.published == "2024-03-05"  # the date as written, not shifted to UTC
    assert bad.url == ""  # javascript: link dropped, the item kept under its guid
    assert bad.id == feed.parse(BLOG).papers[1].id  # stable across parses
    for paper in result.papers:
        assert_clean(paper)


def test_generic_feed_atom() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>Entry</title><id>tag:example.org,2024:1</id>
    <link href="https://example.org/e/1"/><updated>2024-01-02T03:04:05Z</updated>
    <summary type="text">Plain &lt;text&gt;</summary><author><name>Jo</name></author>
    </entry></feed>"""
    (paper,) = feed.parse(body).papers
    assert paper.url == "https://example.org/e/1"
    assert paper.published == "2024-01-02"
    assert paper.abstract == "Plain <text>"
    assert paper.authors == ("Jo",)


def test_generic_feed_html_page() -> None:
    with pytest.raises(ParseError, match=r"^not a feed \(got HTML\)$"):
        feed.parse(b"\n<html><head><title>Portal</title></head><body>login</body></html>")


@pytest.mark.parametrize("body", [b"plain words", b"<foo><bar/></foo>", b"\x00\x01\x02binary"])
def test_generic_feed_not_a_feed(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"^not a feed"):
        feed.parse(body)


def test_generic_feed_truncated_is_partial() -> None:
    whole = (FIXTURES / "arxiv_rss_cs_lg_2026-04-27.xml").read_bytes()
    result = feed.parse(whole[: whole.index(b"</item>") + 400])
    assert result.partial is True
    assert result.papers[0].id == "2604.21952"


def test_generic_feed_empty_but_valid() -> None:
    result = feed.parse(b'<rss version="2.0"><channel><title>quiet</title></channel></rss>')
    assert result.papers == [] and not result.partial


# --- one paper, three wire formats -----------------------------------------------------


def test_same_paper_from_every_source_has_one_id() -> None:
    title = "Breaking the Memory Barrier"
    hf = json.dumps(
        [{"paper": {"id": "2410.17243", "title": title}, "title": title, "numComments": 0}]
    ).encode()
    rss = _rss(_rss_item("2410.17243"))
    atom = _atom(_atom_entry("2410.17243"))
    ids = {
        huggingface.parse(hf).papers[0].id,
        arxiv_rss.parse(rss).papers[0].id,
        arxiv_api.parse(atom).papers[0].id,
        feed.parse(rss).papers[0].id,
        feed.parse(atom).papers[0].id,
    }
    assert ids == {"2410.17243"}
    urls = {
        huggingface.parse(hf).papers[0].url,
        arxiv_rss.parse(rss).papers[0].url,
        arxiv_api.parse(atom).papers[0].url,
    }
    assert urls == {"https://arxiv.org/abs/2410.17243"}


# --- properties ------------------------------------------------------------------------

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(parser: ModuleType, body: bytes) -> None:
    try:
        result = parser.parse(body)
    except ParseError as exc:
        assert "\n" not in str(exc)
        return
    assert result.skipped >= 0
    for paper in result.papers:
        assert_clean(paper)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@PROPERTY
@given(body=st.binary(max_size=2_000))
def test_arbitrary_bytes_raise_only_parse_error(parser: ModuleType, body: bytes) -> None:
    _check(parser, body)


_FEED_TEXT = st.text(
    alphabet=st.sampled_from([*"ab <>&;/:.\"'=\n\x1b[]()#0123456789vhttps", "\u202e"]),
    max_size=60,
)


@pytest.mark.parametrize("parser", [arxiv_rss, feed], ids=["arxiv_rss", "feed"])
@PROPERTY
@given(title=_FEED_TEXT, link=_FEED_TEXT, creator=_FEED_TEXT, cut=st.integers(0, 2000))
def test_mangled_rss_items(
    parser: ModuleType, title: str, link: str, creator: str, cut: int
) -> None:
    from xml.sax.saxutils import escape

    item = (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid>oai:arXiv.org:2604.0000{len(title) % 10}v1</guid>"
        f"<dc:creator>{escape(creator)}</dc:creator>"
        f"<description>arXiv:2604.00001v1 Announce Type: new \nAbstract: {escape(title)}"
        "</description></item>"
    )
    body = _rss(item * 2)
    _check(parser, body[: len(body) - cut] if cut < len(body) else body)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(
    paper=st.fixed_dictionaries(
        {},
        optional={
            "id": st.sampled_from(["2401.00001", "hep-th/9901001v2", "", "x y"]) | _JSON,
            "title": _FEED_TEXT | _JSON,
            "summary": _FEED_TEXT | _JSON,
            "authors": st.lists(st.fixed_dictionaries({"name": _FEED_TEXT | _JSON})) | _JSON,
            "upvotes": _JSON,
            "githubRepo": _FEED_TEXT | _JSON,
            "projectPage": _FEED_TEXT | _JSON,
            "publishedAt": _FEED_TEXT | _JSON,
            "ai_keywords": _JSON,
        },
    ),
    outer=st.dictionaries(st.sampled_from(["title", "summary", "numComments"]), _JSON),
)
def test_hf_items_of_any_shape(paper: dict[str, object], outer: dict[str, object]) -> None:
    body = json.dumps([{"paper": paper, **outer}, paper]).encode()
    _check(huggingface, body)


def test_unknown_xml_encoding_is_a_parse_error() -> None:
    from tui.cli import opml
    from tui.feeds.sources import ParseError, arxiv_api, arxiv_rss

    body = b'<?xml version="1.0" encoding="U-F-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>'
    for parse in (arxiv_api.parse, arxiv_rss.parse, opml.parse_opml):
        with pytest.raises(ParseError):
            parse(body)
