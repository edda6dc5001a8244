"""`feedtui fetch` for cron: successes on stdout, failures on stderr, and an exit status that
tells "all ok", "some failed", "all failed" and "you asked for something that is not there"
apart (README, Command line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feed_server import FeedServer
from tui.cli import build_parser, main
from tui.paths import default_paths

FIXTURE = "hf_daily_papers_2026-08_trimmed_2items.json"


def write_feeds(*feeds: tuple[str, str]) -> Path:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(f'[[feeds]]\nname = "{n}"\nkind = "hf_daily"\nurl = "{u}"\n' for n, u in feeds),
        encoding="utf-8",
    )
    return path


def fetch(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    """The exit status and the per-feed lines ("name: ...") on stdout and on stderr."""
    code = main(["fetch", *argv])
    out, err = capsys.readouterr()
    return code, _feed_lines(out), _feed_lines(err)


def _feed_lines(text: str) -> list[str]:
    # Other lines (the bundled sample making way for the first live papers) are not ours.
    return [line for line in text.splitlines() if ": " in line]


def test_successes_go_to_stdout_and_failures_to_stderr(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_feeds(
        ("good", feed_server.fixture_url(FIXTURE)),
        ("bad", feed_server.route("/500", status=500, body="oops")),
    )
    code, out, err = fetch(capsys)
    assert code == 1
    assert out == ["good: 2 new, 0 updated"]
    assert err == ["bad: failed: HTTP 500 Internal Server Error"]


@pytest.mark.parametrize(("good", "bad", "status"), [(2, 0, 0), (1, 1, 1), (0, 2, 2)])
def test_exit_status(
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    good: int,
    bad: int,
    status: int,
) -> None:
    ok_url = feed_server.fixture_url(FIXTURE)
    bad_url = feed_server.route("/500", status=500)
    feeds = [(f"ok{n}", ok_url) for n in range(good)] + [(f"bad{n}", bad_url) for n in range(bad)]
    write_feeds(*feeds)
    code, out, err = fetch(capsys)
    assert code == status
    assert (len(out), len(err)) == (good, bad)


def test_an_unknown_feed_is_a_usage_error_that_fetches_nothing(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_feeds(("a", feed_server.fixture_url(FIXTURE)), ("b", feed_server.fixture_url(FIXTURE)))
    code, out, err = fetch(capsys, "--feed", "a", "--feed", "bogus")
    assert code == 2
    assert out == []
    assert err == ["feedtui: no feed named 'bogus' (feeds: a, b)"]
    assert feed_server.requests == []


def test_feeds_skipped_because_they_failed_last_time_still_fail(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = feed_server.route("/500", status=500)
    write_feeds(("x", broken), ("y", broken))
    assert fetch(capsys)[0] == 2
    requests = len(feed_server.requests)

    code, out, err = fetch(capsys)  # within refresh_minutes: not retried, still failing
    assert len(feed_server.requests) == requests
    assert code == 2
    assert out == []
    assert len(err) == 2
    assert err[0].startswith("x: failed last time; next try at ")
    assert err[0].endswith("(--force to try now); last error: HTTP 500 Internal Server Error")


def test_one_fresh_and_one_still_failing_is_some_failed(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = feed_server.route("/500", status=500)
    write_feeds(("ok", feed_server.fixture_url(FIXTURE)), ("x", broken))
    assert fetch(capsys)[0] == 1
    code, out, err = fetch(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in out] == ["ok"]
    assert out[0].startswith("ok: fresh; next refresh at ")
    assert [line.split(":")[0] for line in err] == ["x"]


def test_fetch_help_documents_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["fetch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "0 every feed ok" in text and "1 some feeds failed" in text
    assert "2 every feed failed" in text and "usage error such as an unknown --feed" in text
    assert "failures on stderr" in text


@pytest.mark.parametrize(
    ("kind", "status", "body", "content_type", "message"),
    [
        ("feed", 404, "<!DOCTYPE html><html><body>Not here</body></html>", "text/html",
         "HTTP 404 Not Found — the server sent an HTML page, not a feed"),
        ("hf_daily", 404, "not found", "text/plain", "HTTP 404 Not Found"),
        ("hf_daily", 400, '{"error": "limit must be at most 100"}', "application/json",
         "HTTP 400 Bad Request — Hugging Face said: limit must be at most 100"),
        ("arxiv_rss", 400, '<rss version="2.0"><channel><title>Feed error for query: cs.XX'
         "</title></channel></rss>", "application/xml",
         "HTTP 400 Bad Request — arXiv said: Feed error for query: cs.XX"),
    ],
)  # fmt: skip
def test_an_error_response_reads_as_one_sentence(
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    status: int,
    body: str,
    content_type: str,
    message: str,
) -> None:
    url = feed_server.route("/x", status=status, body=body, content_type=content_type)
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[[feeds]]\nname = "x"\nkind = "{kind}"\nurl = "{url}"\n', encoding="utf-8")
    assert fetch(capsys) == (2, [], [f"x: failed: {message}"])
