"""`feedtui read`, `feedtui cache` and `feedtui fetch --fulltext`, against the local server."""

from __future__ import annotations

import json

import pytest

from tests.feed_server import FIXTURES, FeedServer
from tui.cli import main
from tui.library import Library
from tui.paths import default_paths

HF_MARKDOWN = (FIXTURES / "hf_paper_markdown_excerpt.md").read_bytes()
ARXIV_HTML = (FIXTURES / "arxiv_html_latexml_excerpt.html").read_bytes()


def write_sources(server: FeedServer) -> None:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "feeds = []\n"
        f'fulltext_sources = ["{server.url("/hf/{id}.md")}", "{server.url("/html/{id}")}"]\n',
        encoding="utf-8",
    )


def test_read_prints_markdown_then_reads_from_the_cache(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_sources(feed_server)
    feed_server.route("/html/2603.01234", body=ARXIV_HTML, content_type="text/html")
    assert main(["read", "arXiv:2603.01234v2"]) == 0
    out = capsys.readouterr().out
    assert "[Figure 1: Δ_13 across temperatures" in out
    requests = len(feed_server.requests)
    assert main(["read", "2603.01234", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "Temperature Sweep Test" in text and "##" not in text and "\x1b" not in text
    assert len(feed_server.requests) == requests  # the cache answered


def test_read_without_any_source_says_so_with_the_pdf(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_sources(feed_server)
    assert main(["read", "2603.01234"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "No full text for 2603.01234" in lines[0]
    assert lines[0].endswith("the PDF: https://arxiv.org/pdf/2603.01234")


def test_read_refuses_what_is_not_a_paper(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "not-a-paper"]) == 2
    assert "neither an arXiv id" in capsys.readouterr().err


def test_cache_size_and_clear(feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    write_sources(feed_server)
    feed_server.route("/hf/2603.01234.md", body=HF_MARKDOWN)
    assert main(["read", "2603.01234"]) == 0
    capsys.readouterr()
    assert main(["cache", "--size"]) == 0
    assert capsys.readouterr().out.startswith("1 full text, 0.0 MB of 200 MB")
    assert main(["cache", "--clear"]) == 0
    assert capsys.readouterr().out.strip() == "removed 1 cached full text"
    assert main(["cache", "--size"]) == 0
    assert capsys.readouterr().out.startswith("0 full texts")


def test_fetch_fulltext_saved_prefetches_with_progress(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_sources(feed_server)
    library = Library.open()
    ids = sorted(entry_id for entry_id in library.search("").ids if "." in entry_id)[:2]
    for paper_id in ids:
        library.set_saved(paper_id, True)
    library.close()
    feed_server.route(f"/hf/{ids[0]}.md", body=HF_MARKDOWN)
    code = main(["fetch", "--fulltext", "saved"])
    captured = capsys.readouterr()
    assert code == 1  # one of the two has no text anywhere
    assert [line.split(" ", 1)[1] for line in captured.out.splitlines()] == [
        f"{ids[0]}: fetched from 127.0.0.1"
    ]
    assert f"{ids[1]}: No full text for {ids[1]} (127.0.0.1: HTTP 404" in captured.err
    assert sorted(line.split(" ", 1)[0] for line in (captured.out + captured.err).splitlines()) == [
        "[1/2]",
        "[2/2]",
    ]
    main(["fetch", "--fulltext", "saved"])
    assert f"{ids[0]}: cached" in capsys.readouterr().out
    assert main(["fetch", "--fulltext", "everything"]) == 2
    capsys.readouterr()
    # What was fetched is searchable from the next command on: body:, and has:fulltext.
    for query in ("body:sweep", "has:fulltext", "has:fulltext body:temperature"):
        assert main(["search", query, "--json"]) == 0
        assert [paper["id"] for paper in json.loads(capsys.readouterr().out)] == [ids[0]]
