"""One fetch's overall deadline holds from before the request is sent to the last body byte
(connect, headers, body), and a hung feed never keeps the other feeds from being fetched."""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feed_server import FeedServer
from tui.cli import main
from tui.feeds import refresh
from tui.feeds.http import FetchError, fetch
from tui.paths import default_paths

pytest_plugins = ["tests.feed_server"]

FIXTURE = "hf_daily_papers_2026-08_trimmed_2items.json"
HEAD_DRIP_HEADERS = {"Content-Type": "application/json", "X-Padding": "p" * 40}


def test_headers_dripped_one_byte_at_a_time_time_out_at_the_deadline(
    feed_server: FeedServer,
) -> None:
    # The status line and the headers, one byte every 0.5 s: every read returns something, so
    # no read timeout fires; before the fix the fetch waited for the whole header (~40 s).
    url = feed_server.route("/slow-head", body=b"{}", headers=HEAD_DRIP_HEADERS, header_drip=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1\.5 s$"):
        fetch(url, deadline=1.5)
    assert time.monotonic() - started < 2.5


def test_headers_dripped_after_a_redirect_time_out_at_the_deadline(
    feed_server: FeedServer,
) -> None:
    # The second hop reuses the kept-alive connection: the deadline covers it all the same.
    url = feed_server.route("/moved", status=302, headers={"Location": "/slow-head"})
    feed_server.route("/slow-head", body=b"{}", headers=HEAD_DRIP_HEADERS, header_drip=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1\.5 s$"):
        fetch(url, deadline=1.5)
    assert time.monotonic() - started < 2.5


def test_body_dripped_one_byte_at_a_time_times_out_at_the_deadline(
    feed_server: FeedServer,
) -> None:
    url = feed_server.route("/slow-body", body=b"x" * 400, drip=0.5)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out after 1\.5 s$"):
        fetch(url, deadline=1.5)
    assert time.monotonic() - started < 2.5


def _write_feeds(*feeds: tuple[str, str]) -> Path:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(f'[[feeds]]\nname = "{n}"\nkind = "hf_daily"\nurl = "{u}"\n' for n, u in feeds),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("hang", ["header_drip", "drip"])
def test_a_hung_feed_does_not_keep_the_next_one_from_being_fetched(
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    hang: str,
) -> None:
    monkeypatch.setattr(refresh, "fetch_feed", functools.partial(refresh.fetch_feed, deadline=1))
    slow = feed_server.route("/hung", body=b"{}" * 200, headers=HEAD_DRIP_HEADERS, **{hang: 0.5})
    _write_feeds(("hung", slow), ("good", feed_server.fixture_url(FIXTURE)))
    started = time.monotonic()
    code = main(["fetch"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 1
    assert "hung: failed: timed out after 1 s" in err
    assert "good: 2 new, 0 updated" in out
    assert elapsed < 5


@pytest.fixture
def hung_lookup(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A host whose name lookup never answers (a resolver that hangs: there is no timeout
    to set on it), until the test is over."""
    host = "hung-lookup.test"
    release = threading.Event()
    real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

    def hang() -> None:
        release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def getaddrinfo(name: object, *args: object, **kwargs: object) -> object:
        if name == host:
            hang()
        return real_lookup(name, *args, **kwargs)  # type: ignore[arg-type]

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> object:
        if address[0] == host:  # it looks the name up first (httpcore connects with it)
            hang()
        return real_connect(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield host
    release.set()


def test_a_name_lookup_that_never_answers_times_out_at_the_deadline(hung_lookup: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=rf"^timed out after 1 s \(.*{hung_lookup}\)$"):
        fetch(f"http://{hung_lookup}/feed.json", deadline=1)
    assert time.monotonic() - started < 2.5


def test_a_hung_lookup_does_not_keep_the_next_feed_from_being_fetched(
    hung_lookup: str,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(refresh, "fetch_feed", functools.partial(refresh.fetch_feed, deadline=1))
    _write_feeds(("dns", f"http://{hung_lookup}/"), ("good", feed_server.fixture_url(FIXTURE)))
    started = time.monotonic()
    code = main(["fetch"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "dns: failed: timed out after 1 s" in err
    assert "good: 2 new, 0 updated" in out
    assert time.monotonic() - started < 5
