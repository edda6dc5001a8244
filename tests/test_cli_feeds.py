"""`feedtui feeds add / import / export`: arguments checked by the config's own rules, in the
words of the flags, and OPML that round-trips every kind of feed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.cli.feeds import feed_from_outline, outline_of
from tui.cli.opml import parse_opml, write_opml
from tui.config import ARXIV_CATEGORY_RE, FeedConfig, feed_problem, load_config
from tui.feed_kinds import KIND_NAMES
from tui.paths import default_paths


def config_path() -> Path:
    return default_paths().config_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x", "feed", "--url", "notaurl"], "--url must be an http(s) URL, got 'notaurl'"),
        (["x", "feed", "--url", "ftp://example.org/f"], "--url must be an http(s) URL"),
        (["x", "feed", "--url", "http://"], "--url must be an http(s) URL"),
        (
            ["x", "hf_daily", "--refresh-minutes", "-5"],
            "--refresh-minutes must be a whole number ≥ 1",
        ),
        (
            ["x", "hf_daily", "--refresh-minutes", "0"],
            "--refresh-minutes must be a whole number ≥ 1",
        ),
        (["x", "hf_daily", "--categories", "cs.LG"], "--categories is only for kind arxiv_rss"),
        (
            ["x", "feed", "--url", "https://a.example/f", "--query", "ti:x"],
            "--query is only for kind arxiv_query",
        ),
        (
            ["x", "arxiv_rss", "--categories", "notacat"],
            "--categories: 'notacat' is not an arXiv category",
        ),
        (["x", "arxiv_rss", "--categories", "cs.LG+cs.lg"], "did you mean 'cs.LG'?"),
        (["x", "arxiv_rss"], "kind 'arxiv_rss' needs --categories"),
        (["x", "arxiv_query"], "kind 'arxiv_query' needs --query"),
        (["x", "feed"], "kind 'feed' needs --url"),
        (
            ["x", "arxiv_query", "--query", "ti:x", "--max-results", "0"],
            "--max-results must be a whole number ≥ 1",
        ),
        (["", "hf_daily"], "NAME must not be empty"),
        (["a\x1bb", "hf_daily"], "NAME must be plain text"),
    ],
)
@pytest.mark.parametrize("existing", [None, "# mine\nrefresh_minutes = 30\n"])
def test_bad_arguments_are_usage_errors_and_write_nothing(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str, existing: str | None
) -> None:
    path = config_path()
    if existing is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(existing, encoding="utf-8")
    code, out, err = run(capsys, "feeds", "add", *argv)
    assert (code, out) == (2, "")
    assert err.startswith("feedtui: ") and message in err
    assert "line" not in err  # about the flags, not about a line of a file
    if existing is None:
        assert not path.exists()
    else:
        assert path.read_text(encoding="utf-8") == existing


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ml", "arxiv_rss", "--categories", "cs.LG+cs.CL"], {"categories": ("cs.LG", "cs.CL")}),
        (["astro", "arxiv_rss", "--categories", "astro-ph.CO,hep-th q-bio.NC"],
         {"categories": ("astro-ph.CO", "hep-th", "q-bio.NC")}),
        (["slow", "hf_daily", "--refresh-minutes", "1"], {"refresh_minutes": 1}),
        (["q", "arxiv_query", "--query", "ti:diffusion", "--max-results", "50"],
         {"search_query": "ti:diffusion", "max_results": 50}),
        (["blog", "feed", "--url", "https://blog.example.org/feed.xml"],
         {"url": "https://blog.example.org/feed.xml"}),
    ],
)  # fmt: skip
def test_good_arguments_are_written_as_given(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: dict[str, object]
) -> None:
    code, out, err = run(capsys, "feeds", "add", *argv)
    assert code == 0, err
    assert f"added feed {argv[0]!r}" in out
    feed = next(f for f in load_config(config_path()).feeds if f.name == argv[0])
    assert {key: getattr(feed, key) for key in expected} == expected


def test_adding_a_name_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "feeds", "add", "b", "hf_daily")[0] == 0
    before = config_path().read_text(encoding="utf-8")
    code, _, err = run(capsys, "feeds", "add", "b", "hf_trending")
    assert code == 1 and "a feed named 'b' already exists" in err
    assert config_path().read_text(encoding="utf-8") == before


def test_adding_to_an_inline_feed_list(capsys: pytest.CaptureFixture[str]) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('feeds = [{name = "a", kind = "hf_daily"}]  # inline\n', encoding="utf-8")
    assert run(capsys, "feeds", "add", "b", "hf_trending")[0] == 0
    assert [f.name for f in load_config(path).feeds] == ["a", "b"]
    path.write_text("feeds = []\n", encoding="utf-8")
    assert run(capsys, "feeds", "add", "c", "hf_trending")[0] == 0
    assert [f.name for f in load_config(path).feeds] == ["c"]


# -- OPML: export then import gives back every kind ------------------------------------------

EVERY_KIND = """\
[[feeds]]
name = "hf-daily"
kind = "hf_daily"

[[feeds]]
name = "hf-trending"
kind = "hf_trending"

[[feeds]]
name = "Trending, 20 at a time"
kind = "hf_trending"
max_results = 20
refresh_minutes = 720

[[feeds]]
name = "hf mirror"
kind = "hf_daily"
url = "http://127.0.0.1:9/api/daily_papers"

[[feeds]]
name = "arxiv-ml"
kind = "arxiv_rss"
categories = ["cs.LG", "stat.ML", "astro-ph.CO", "hep-th", "cond-mat.mes-hall"]

[[feeds]]
name = "diffusion"
kind = "arxiv_query"
search_query = "ti:diffusion AND cat:cs.CV"
max_results = 50

[[feeds]]
name = "blog"
kind = "feed"
url = "https://blog.example.org/feed.xml?a=1&b=2"
"""


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_export_then_import_round_trips_every_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    original = load_config(write_config(EVERY_KIND)).feeds
    assert {feed.kind for feed in original} == set(KIND_NAMES)
    code, exported, _ = run(capsys, "feeds", "export")
    assert code == 0
    assert 'xmlns:feedtui="' in exported and 'feedtui:kind="arxiv_query"' in exported
    opml = tmp_path / "feeds.opml"
    opml.write_text(exported, encoding="utf-8")

    monkeypatch.setenv("FEEDTUI_HOME", str(tmp_path / "another-home"))  # no config at all
    code, out, err = run(capsys, "feeds", "import", str(opml))
    assert (code, err) == (0, "")
    assert out.strip() == (
        f"imported 5 feeds from {opml} (2 already present: hf-daily, hf-trending)"
    )
    assert load_config(config_path()).feeds == original

    code, out, _ = run(capsys, "feeds", "import", str(opml))  # again: nothing new, and why
    assert code == 0
    names = ", ".join(feed.name for feed in original)
    assert out.strip() == f"imported 0 feeds from {opml} (7 already present: {names})"
    assert load_config(config_path()).feeds == original


def test_import_into_the_implicit_defaults_does_not_duplicate_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, exported, _ = run(capsys, "feeds", "export")  # the defaults, from no config at all
    assert code == 0
    opml = tmp_path / "defaults.opml"
    opml.write_text(exported, encoding="utf-8")
    code, out, _ = run(capsys, "feeds", "import", str(opml))
    assert out.strip() == f"imported 0 feeds from {opml} (2 already present: hf-daily, hf-trending)"
    assert [f.name for f in load_config(config_path()).feeds] == ["hf-daily", "hf-trending"]


PLAIN_READER = b"""<?xml version="1.0"?>
<opml version="1.0"><head><title>From another reader</title></head><body>
  <outline text="Tech"><outline text="Lab Blog" type="rss" xmlUrl="https://lab.example.org/rss"/></outline>
  <outline text="arXiv cs.LG" type="rss" xmlUrl="https://rss.arxiv.org/rss/cs.LG"/>
</body></opml>"""


def test_a_plain_readers_outlines_are_plain_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "reader.opml"
    opml.write_bytes(PLAIN_READER)
    code, out, _ = run(capsys, "feeds", "import", str(opml))
    assert code == 0 and out.startswith("imported 2 feeds")
    feeds = load_config(config_path()).feeds
    assert [(f.name, f.kind, f.url) for f in feeds[2:]] == [
        ("lab-blog", "feed", "https://lab.example.org/rss"),
        ("arxiv-cs.lg", "feed", "https://rss.arxiv.org/rss/cs.LG"),
    ]


def test_an_outline_feedtui_cannot_use_is_skipped_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "odd.opml"
    opml.write_text(
        '<opml version="2.0" xmlns:feedtui="https://github.com/feedtui/feedtui/opml/1"><body>'
        '<outline text="future" xmlUrl="https://a.example/x" feedtui:kind="hf_weekly"/>'
        '<outline text="cats" xmlUrl="https://a.example/y" feedtui:kind="arxiv_rss"'
        ' feedtui:categories="cs.LG+bogus"/>'
        '<outline text="many" xmlUrl="https://a.example/z" feedtui:kind="arxiv_query"'
        ' feedtui:query="ti:x" feedtui:maxResults="lots"/>'
        '<outline text="ok" xmlUrl="https://a.example/ok"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "feeds", "import", str(opml))
    assert code == 0
    assert out.strip() == f"imported 1 feed from {opml} (3 not usable (see above))"
    assert "skipped 'future': unknown kind 'hf_weekly'" in err
    assert "skipped 'cats': feedtui:categories: 'bogus' is not an arXiv category" in err
    assert "skipped 'many': feedtui:maxResults must be a whole number ≥ 1, got 'lots'" in err


def test_an_empty_opml_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "empty.opml"
    opml.write_text('<opml version="2.0"><body><outline text="folder"/></body></opml>')
    code, out, _ = run(capsys, "feeds", "import", str(opml))
    assert code == 0
    assert "imported 0 feeds" in out and "lists no feed with an http(s) xmlUrl" in out
    assert not config_path().exists()


# Names as people write them (OPML titles are one line of clean text: runs of blanks collapse).
NAMES = st.from_regex(r"[A-Za-z0-9]+([ _.,-][A-Za-z0-9]+){0,4}", fullmatch=True)
MINUTES = st.none() | st.integers(1, 100_000)
OVERRIDE = st.sampled_from(["", "http://127.0.0.1:8080/mirror", "https://mirror.example/x?y=1"])


@st.composite
def feeds(draw: st.DrawFn) -> FeedConfig:
    kind = draw(st.sampled_from(KIND_NAMES))
    feed = FeedConfig(
        name=draw(NAMES),
        kind=kind,
        refresh_minutes=draw(MINUTES),
        max_results=draw(st.integers(1, 2000)),
        url=draw(OVERRIDE),
    )
    if kind == "arxiv_rss":
        categories = st.lists(st.from_regex(ARXIV_CATEGORY_RE, fullmatch=True), min_size=1)
        feed = replace(feed, categories=tuple(draw(categories)))
    elif kind == "arxiv_query":
        word = r"(ti|au|abs|cat):[A-Za-z0-9.]{1,12}"
        query = st.from_regex(rf"{word}( (AND|OR|ANDNOT) {word}){{0,3}}", fullmatch=True)
        feed = replace(feed, search_query=draw(query))
    elif kind == "feed":
        path = draw(st.from_regex(r"[a-z0-9/]{0,20}(\?[a-z]=[0-9])?", fullmatch=True))
        feed = replace(feed, url=f"https://feeds.example.org/{path}")
    assert feed_problem(feed) is None, feed
    return feed


@settings(max_examples=300, deadline=None)
@given(feed=feeds())
def test_any_feed_of_any_kind_round_trips_through_opml(feed: FeedConfig) -> None:
    [outline] = parse_opml(write_opml([outline_of(feed)]))
    assert feed_from_outline(outline, taken=()) == feed
