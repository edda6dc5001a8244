"""Refreshing feeds end to end against a local server: merging, failures, `feedtui fetch`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.feed_server import FeedServer
from tui.cli import main
from tui.config import Config, FeedConfig
from tui.feeds import feed_url, refresh_feeds
from tui.library import Library
from tui.paths import default_paths

SHARED_ID = "2604.21935"  # the first item of the cs.AI RSS fixture


def open_library(*feeds: FeedConfig) -> Library:
    return Library.open(config=Config(feeds=feeds))


def hf_payload_for(arxiv_id: str) -> bytes:
    """The real HF daily fixture with its first paper re-identified as ``arxiv_id``."""
    items = json.loads((FIXTURES / "hf_daily_papers_2026-08_trimmed_2items.json").read_bytes())
    items[0]["paper"]["id"] = arxiv_id
    return json.dumps(items[:1]).encode()


def atom_payload_for(arxiv_id: str) -> bytes:
    text = (FIXTURES / "arxiv_api_atom_2026_new_format.xml").read_text(encoding="utf-8")
    return text.replace("2002.00741", arxiv_id).encode()


def test_hf_daily_feed_imports_papers_with_repo_and_upvotes(feed_server: FeedServer) -> None:
    url = feed_server.fixture_url("hf_daily_papers_2026-08_trimmed_2items.json")
    library = open_library(FeedConfig(name="hf", kind="hf_daily", url=url))
    [report] = refresh_feeds(library)
    assert report.ok, report.error
    assert report.added == 2
    entry = library.get("2608.09888")
    assert entry is not None
    assert entry.paper.code_url == "https://github.com/pathwaycom/arc-task-gen"
    assert entry.paper.upvotes == 781
    assert "hf" in entry.paper.sources
    assert library.search("recurrent latent reasoning").ids[0] == "2608.09888"
    # The User-Agent names feedtui and its version.
    assert feed_server.requests[-1][1]["User-Agent"].startswith("feedtui/")


def test_same_paper_from_three_formats_is_one_row(feed_server: FeedServer) -> None:
    feeds = (
        FeedConfig(
            name="rss",
            kind="arxiv_rss",
            url=feed_server.fixture_url("arxiv_rss_cs_ai_2026-04-27.xml"),
        ),
        FeedConfig(
            name="hf", kind="hf_daily", url=feed_server.route("/hf", body=hf_payload_for(SHARED_ID))
        ),
        FeedConfig(
            name="api",
            kind="arxiv_query",
            url=feed_server.route("/api", body=atom_payload_for(SHARED_ID)),
        ),
    )
    library = open_library(*feeds)
    reports = refresh_feeds(library)
    assert all(r.ok for r in reports), [r.error for r in reports]
    assert library.search(f"{SHARED_ID}").total <= 1
    matching = [i for i in library.search("").ids if i == SHARED_ID]
    assert matching == [SHARED_ID]
    entry = library.get(SHARED_ID)
    assert entry is not None
    assert set(entry.paper.sources) == {"rss", "hf", "api"}
    assert entry.paper.code_url == "https://github.com/pathwaycom/arc-task-gen"  # from HF
    assert "cs.AI" in entry.paper.categories  # from arXiv


def test_failed_fetch_changes_nothing_and_keeps_state(feed_server: FeedServer) -> None:
    good = FeedConfig(
        name="hf",
        kind="hf_daily",
        url=feed_server.fixture_url("hf_daily_papers_2026-08_trimmed_2items.json"),
    )
    library = open_library(good)
    refresh_feeds(library)
    library.set_saved("2608.09888", True)
    before = library.counts()
    broken = replace(
        good,
        url=feed_server.route(
            "/broken", body="<html><body>Login</body></html>", content_type="text/html"
        ),
    )
    library.config = Config(feeds=(broken,))
    [report] = refresh_feeds(library, force=True)
    assert not report.ok
    assert "not a feed" in report.error
    assert library.counts() == before
    entry = library.get("2608.09888")
    assert entry is not None and entry.saved
    state = library.store.feed_state("hf")
    assert state.last_error == report.error
    assert state.last_success is not None  # the earlier success is remembered


def test_rate_limit_backs_off_until_retry_after(feed_server: FeedServer) -> None:
    url = feed_server.route(
        "/limited", status=429, headers={"Retry-After": "120"}, body="slow down"
    )
    library = open_library(FeedConfig(name="hf", kind="hf_daily", url=url))
    [first] = refresh_feeds(library)
    assert not first.ok and "will retry after" in first.error
    requests = len(feed_server.requests)
    [second] = refresh_feeds(library)
    assert second.fetched is False and "backing off" in second.note
    assert len(feed_server.requests) == requests  # nothing was sent


def test_conditional_request_uses_etag(feed_server: FeedServer) -> None:
    body = (FIXTURES / "hf_daily_papers_2026-08_trimmed_2items.json").read_bytes()
    url = feed_server.route("/etag", body=body, etag='"v1"', content_type="application/json")
    library = open_library(FeedConfig(name="hf", kind="hf_daily", url=url))
    assert refresh_feeds(library)[0].added == 2
    [again] = refresh_feeds(library, force=True)
    assert again.ok and again.note == "not modified since last time"
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'


def test_arxiv_rss_is_fetched_once_per_announcement_day(feed_server: FeedServer) -> None:
    url = feed_server.fixture_url("arxiv_rss_cs_lg_2026-04-27.xml")
    library = open_library(FeedConfig(name="lg", kind="arxiv_rss", url=url, refresh_minutes=1))
    assert refresh_feeds(library)[0].added == 3
    [again] = refresh_feeds(library)
    assert again.fetched is False and "already fetched" in again.note


def test_sample_papers_are_kept_and_merged_with_live_ones(feed_server: FeedServer) -> None:
    sample = Library.open()  # first run: the bundled sample
    some_sample_id = sample.search("").ids[0]
    sample.close()
    payload = hf_payload_for(some_sample_id)
    url = feed_server.route("/hf", body=payload)
    library = open_library(FeedConfig(name="hf", kind="hf_daily", url=url))
    [report] = refresh_feeds(library)
    assert (report.added, report.updated) == (0, 1)
    # Merged into the sample's row; the sample papers no live feed brought made way for the live
    # ones (tests/test_sample.py): only the merged one is left.
    assert library.counts().total == 1
    entry = library.get(some_sample_id)
    assert entry is not None and set(entry.paper.sources) == {"sample", "hf"}


def test_default_feed_urls() -> None:
    assert feed_url(FeedConfig(name="d", kind="hf_daily")).startswith(
        "https://huggingface.co/api/daily_papers"
    )
    assert "sort=trending" in feed_url(FeedConfig(name="t", kind="hf_trending"))
    assert (
        feed_url(FeedConfig(name="a", kind="arxiv_rss", categories=("cs.LG", "cs.CL")))
        == "https://rss.arxiv.org/rss/cs.LG+cs.CL"
    )
    assert "search_query=ti%3Adiffusion" in feed_url(
        FeedConfig(name="q", kind="arxiv_query", search_query="ti:diffusion")
    )


def write_config(text: str) -> Path:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("good", "bad", "exit_code"), [(2, 0, 0), (1, 1, 1), (0, 2, 2)])
def test_fetch_command_exit_codes(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str], good: int, bad: int, exit_code: int
) -> None:
    ok_url = feed_server.fixture_url("hf_daily_papers_2026-08_trimmed_2items.json")
    bad_url = feed_server.route("/500", status=500, body="oops")
    feeds = [("ok", ok_url)] * good + [("bad", bad_url)] * bad
    write_config(
        "".join(
            f'[[feeds]]\nname = "{n}{i}"\nkind = "hf_daily"\nurl = "{u}"\n'
            for i, (n, u) in enumerate(feeds)
        )
    )
    assert main(["fetch"]) == exit_code
    out, err = capsys.readouterr()  # failures on stderr (tests/test_cli_fetch.py)
    # A line per good feed (the first one's run also says the sample made way: test_sample.py).
    assert len([line for line in out.splitlines() if line.startswith("ok")]) == good
    assert sum("failed: HTTP 500" in line for line in err.splitlines()) == bad


def test_feeds_add_list_remove_keep_comments(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config("# my precious comment\nmark_read_on_open = true\n")
    assert main(["feeds", "add", "ml", "arxiv_rss", "--categories", "cs.LG+cs.CL"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "# my precious comment" in text
    assert 'name = "hf-daily"' in text  # the implicit defaults were written out, not dropped
    capsys.readouterr()
    assert main(["feeds", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ml  (arxiv_rss)  https://rss.arxiv.org/rss/cs.LG+cs.CL" in listing
    assert "never fetched" in listing
    assert main(["feeds", "remove", "ml"]) == 0
    assert "arxiv_rss" not in path.read_text(encoding="utf-8")
    assert main(["feeds", "remove", "ml"]) == 1
    assert "no feed named 'ml'" in capsys.readouterr().err


def test_opml_import_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Group"><outline text="Lab blog" type="rss" xmlUrl="https://lab.example.org/feed.xml"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert main(["feeds", "import", str(opml)]) == 0
    assert "imported 1 feed" in capsys.readouterr().out
    assert main(["feeds", "export"]) == 0
    assert "https://lab.example.org/feed.xml" in capsys.readouterr().out


def test_bad_arxiv_category_says_what_arxiv_said(feed_server: FeedServer) -> None:
    body = (
        '<rss version="2.0"><channel><title>Feed error for query: cs.XX</title>'
        "<description>Feed error for query: cs.XX</description></channel></rss>"
    )
    url = feed_server.route("/rss/cs.XX", status=400, body=body, content_type="application/xml")
    library = open_library(FeedConfig(name="bad", kind="arxiv_rss", url=url))
    [report] = refresh_feeds(library)
    assert not report.ok
    assert "HTTP 400" in report.error and "cs.XX" in report.error


def test_cancel_abandons_a_fetch_in_flight(feed_server: FeedServer) -> None:
    import threading

    never = feed_server.route("/never", body=b"[]", delay=float("inf"))
    library = open_library(
        FeedConfig(name="slow", kind="hf_daily", url=never),
        FeedConfig(name="next", kind="hf_daily", url=never),
    )
    cancel = threading.Event()
    started: list[str] = []
    reports: list[object] = []

    def on_start(name: str) -> None:
        started.append(name)
        cancel.set()  # e.g. the user quits while the first feed is being fetched

    worker = threading.Thread(
        target=lambda: reports.extend(refresh_feeds(library, on_start=on_start, cancel=cancel))
    )
    worker.start()
    # Without cancellation this would wait for the 30 s fetch deadline.
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert started == ["slow"]  # the second feed was never started
    assert reports == []  # nothing was reported (or stored) for the abandoned fetch
    assert library.store.feed_state("slow").last_error is None


def test_next_refresh_of_an_arxiv_listing_is_the_next_announcement() -> None:
    from tui.feeds import next_refresh
    from tui.model import FeedState

    state = FeedState("lg", last_attempt="2026-04-27T15:00:00+00:00", fetched_day="2026-04-27")
    config = FeedConfig(name="lg", kind="arxiv_rss", categories=("cs.LG",))
    # Midnight in New York on 2026-04-28 (EDT, UTC-4).
    assert next_refresh(config, state, 60) == "2026-04-28T04:00:00+00:00"
    hourly = FeedConfig(name="hf", kind="hf_daily")
    assert next_refresh(hourly, state, 60) == "2026-04-27T16:00:00+00:00"


def test_report_lines_are_short_and_clear() -> None:
    from tui.feeds import FeedReport

    assert FeedReport("hf", ok=True, added=3, updated=1).line() == "hf: 3 new, 1 updated"
    assert FeedReport("hf", ok=True, note="not modified since last time").line() == (
        "hf: not modified since last time"
    )
    assert FeedReport("hf", ok=False, error="HTTP 500 Internal Server Error").line() == (
        "hf: failed: HTTP 500 Internal Server Error"
    )
