"""tui.feeds.http.fetch against a real local server: bounds on time, size and place."""

from __future__ import annotations

import email.utils
import gzip
import socket
import time
import tracemalloc

import pytest

from tests.feed_server import FIXTURES, FeedServer
from tui import __version__
from tui.feeds.http import FetchError, RateLimited, fetch

pytest_plugins = ["tests.feed_server"]

RSS = "arxiv_rss_cs_ai_2026-04-27.xml"


def test_fetches_a_fixture_and_identifies_itself(feed_server: FeedServer) -> None:
    result = fetch(feed_server.fixture_url(RSS))
    assert result.body == (FIXTURES / RSS).read_bytes()
    assert result.status == 200
    assert result.content_type.startswith("application/xml")
    assert result.not_modified is False
    assert result.url == feed_server.fixture_url(RSS)
    _path, headers = feed_server.requests[-1]
    assert headers["User-Agent"] == (f"feedtui/{__version__} (+https://github.com/feedtui/feedtui)")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "/etc/passwd", "javascript:alert(1)", "ftp://example.org/feed"],
)
def test_refuses_urls_that_are_not_http_before_any_request(url: str) -> None:
    with pytest.raises(FetchError, match=r"^refused feed URL"):
        fetch(url, deadline=1)


def test_server_that_never_answers_times_out_at_the_deadline(feed_server: FeedServer) -> None:
    url = feed_server.route("/silent", body=b"<rss/>", delay=float("inf"))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1\.5 s$"):
        fetch(url, deadline=1.5)
    assert time.monotonic() - started < 2.5


def test_slow_drip_fails_at_the_overall_deadline(feed_server: FeedServer) -> None:
    # One byte every 0.5 s never trips a per-read timeout; only an overall deadline stops it.
    url = feed_server.route("/drip", body=b"x" * 200, drip=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1\.5 s$"):
        fetch(url, deadline=1.5)
    assert time.monotonic() - started < 2.5


def test_a_read_blocked_near_the_deadline_is_cut_by_the_watchdog(
    feed_server: FeedServer,
) -> None:
    # Headers arrive after 0.8 s, then a few bytes, then silence. The read that blocks then
    # has a socket timeout of the whole deadline (set when the request started), so without
    # the watchdog the fetch would end ~0.8 s late.
    url = feed_server.route("/stall", body=b"<rss>" * 10, delay=0.8, stall_after=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1 s$"):
        fetch(url, deadline=1.0)
    assert time.monotonic() - started < 1.5


def test_rate_limited_carries_retry_after_seconds(feed_server: FeedServer) -> None:
    url = feed_server.route("/busy", status=429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited) as caught:
        fetch(url, deadline=5)
    assert caught.value.retry_after == 120
    assert caught.value.status == 429
    assert "retry in 120 s" in str(caught.value)


def test_retry_after_as_an_http_date(feed_server: FeedServer) -> None:
    when = email.utils.formatdate(time.time() + 300, usegmt=True)
    url = feed_server.route("/busy", status=503, headers={"Retry-After": when})
    with pytest.raises(RateLimited) as caught:
        fetch(url, deadline=5)
    assert caught.value.retry_after is not None
    assert 290 <= caught.value.retry_after <= 301


def test_hugging_face_ratelimit_header(feed_server: FeedServer) -> None:
    url = feed_server.route("/hf", status=429, headers={"RateLimit": '"api";r=0;t=143'})
    with pytest.raises(RateLimited) as caught:
        fetch(url, deadline=5)
    assert caught.value.retry_after == 143


def test_rate_limited_without_a_hint(feed_server: FeedServer) -> None:
    url = feed_server.route("/busy", status=503)
    with pytest.raises(RateLimited) as caught:
        fetch(url, deadline=5)
    assert caught.value.retry_after is None
    assert str(caught.value) == "rate limited (HTTP 503 Service Unavailable)"


def test_server_error_is_one_clear_line(feed_server: FeedServer) -> None:
    url = feed_server.route("/boom", status=500, body=b"Traceback...\nlots of lines")
    with pytest.raises(FetchError) as caught:
        fetch(url, deadline=5)
    assert not isinstance(caught.value, RateLimited)
    assert str(caught.value) == "HTTP 500 Internal Server Error"
    assert caught.value.status == 500
    assert caught.value.body.startswith(b"Traceback")


def test_gzip_bomb_stops_at_the_decompressed_cap_without_inflating_it(
    feed_server: FeedServer,
) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    url = feed_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"^feed too large \(over 1 MB\)$"):
            fetch(url, deadline=10, max_bytes=1_000_000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # httpx's own decoder would inflate a whole 64 KB network chunk (~64 MB) at once.
    assert peak < 8_000_000


def test_gzip_body_is_decoded(feed_server: FeedServer) -> None:
    original = (FIXTURES / RSS).read_bytes()
    url = feed_server.route(
        "/gz", body=gzip.compress(original), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(url, deadline=5).body == original
    assert feed_server.requests[-1][1]["Accept-Encoding"] == "gzip, deflate"


def test_plain_body_over_the_cap(feed_server: FeedServer) -> None:
    url = feed_server.route("/big", body=b"x" * 2_000_001)
    with pytest.raises(FetchError, match=r"^feed too large \(over 2 MB\)$"):
        fetch(url, deadline=5, max_bytes=2_000_000)


def test_redirect_to_a_local_file_is_refused(feed_server: FeedServer) -> None:
    url = feed_server.route("/evil", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match=r"^refused redirect to file:///etc/passwd$"):
        fetch(url, deadline=5)


def test_redirect_loop_is_refused(feed_server: FeedServer) -> None:
    url = feed_server.route("/a", status=301, headers={"Location": "/b"})
    feed_server.route("/b", status=302, headers={"Location": feed_server.url("/a")})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(url, deadline=5)


def test_too_many_redirects(feed_server: FeedServer) -> None:
    for hop in range(7):
        feed_server.route(f"/r{hop}", status=307, headers={"Location": f"/r{hop + 1}"})
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 5\)$"):
        fetch(feed_server.url("/r0"), deadline=5)


def test_relative_redirect_is_followed(feed_server: FeedServer) -> None:
    url = feed_server.route("/moved", status=301, headers={"Location": f"/fixtures/{RSS}"})
    result = fetch(url, deadline=5)
    assert result.body == (FIXTURES / RSS).read_bytes()
    assert result.url == feed_server.fixture_url(RSS)


def test_conditional_request_gets_not_modified(feed_server: FeedServer) -> None:
    url = feed_server.route("/feed", body=b"<rss/>", etag='"v1"')
    first = fetch(url, deadline=5)
    assert first.etag == '"v1"' and first.body == b"<rss/>"
    again = fetch(url, etag=first.etag, last_modified="Mon, 27 Apr 2026 04:00:00 GMT", deadline=5)
    assert again.not_modified is True
    assert again.status == 304
    assert again.body == b""
    sent = feed_server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 27 Apr 2026 04:00:00 GMT"


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/feed", deadline=5)
    message = str(caught.value)
    assert message.startswith("could not connect to 127.0.0.1")
    assert "\n" not in message
