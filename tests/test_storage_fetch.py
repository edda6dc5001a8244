"""Writers and their edges (issue 13): a full disk while importing one feed is that feed's
failure (recorded, reported, the other feeds still run); after a killed fetch left the index
behind, `feedtui fetch` brings it back in line or says on stderr that it is behind; the index
catches up by the cheaper path (tui.index.catch_up_path)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.crash_child import crash_paper
from tests.feed_server import FeedServer
from tests.test_storage_batches import FullAfter
from tui.cli import main
from tui.config import Config, FeedConfig
from tui.feeds import refresh_feeds
from tui.index import catch_up_path
from tui.library import Library
from tui.model import Paper, UpsertResult
from tui.paths import default_paths
from tui.store import Store, StoreError

FIXTURE = "hf_daily_papers_2026-08_trimmed_2items.json"


def one_paper_feed(arxiv_id: str) -> bytes:
    items = json.loads((FIXTURES / FIXTURE).read_bytes())
    items[0]["paper"]["id"] = arxiv_id
    return json.dumps(items[:1]).encode()


def disk_full_for(monkeypatch: pytest.MonkeyPatch, feed: str) -> None:
    """The disk fills up while ``feed``'s papers are written (SQLite's own error, inside the
    store's transaction); every other write works."""
    real = Store.upsert

    def upsert(self: Store, papers: Sequence[Paper], name: str, *args: object) -> UpsertResult:
        if name != feed:
            return real(self, papers, name, *args)  # type: ignore[arg-type]
        conn = self._conn
        self._conn = FullAfter(conn, 1)  # type: ignore[assignment]
        try:
            return real(self, papers, name, *args)  # type: ignore[arg-type]
        finally:
            self._conn = conn

    monkeypatch.setattr(Store, "upsert", upsert)


def write_config(*feeds: tuple[str, str]) -> None:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "refresh_on_start = false\n"
        + "".join(f'[[feeds]]\nname = "{n}"\nkind = "hf_daily"\nurl = "{u}"\n' for n, u in feeds),
        encoding="utf-8",
    )


# --- a full disk during one feed's import ---------------------------------------------------------


def test_disk_full_in_one_feed_is_its_failure_and_the_next_feeds_still_run(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = FeedConfig(
        name="full", kind="hf_daily", url=feed_server.route("/f", body=one_paper_feed("2601.11111"))
    )
    good = FeedConfig(name="good", kind="hf_daily", url=feed_server.fixture_url(FIXTURE))
    library = Library.open(config=Config(feeds=(full, good)))
    disk_full_for(monkeypatch, "full")
    first, second = refresh_feeds(library, force=True)
    assert not first.ok and "database or disk is full" in first.error
    assert "nothing stored was lost" in first.error
    assert second.ok and second.added == 2  # the next feed ran and its papers are stored
    assert library.get("2601.11111") is None
    state = library.feed_state("full")  # what the feeds screen shows: the failure
    assert state.last_error == first.error and state.last_success is None
    assert library.failing_feeds() == ["full"]
    library.close()


def test_disk_full_that_cannot_even_be_recorded_is_still_reported(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = FeedConfig(
        name="full", kind="hf_daily", url=feed_server.route("/f", body=one_paper_feed("2601.11111"))
    )
    library = Library.open(config=Config(feeds=(full,)))
    disk_full_for(monkeypatch, "full")

    def no_room(self: Store, state: object) -> None:
        raise StoreError("cannot save feed state to db: database or disk is full")

    monkeypatch.setattr(Store, "save_feed_state", no_room)
    [report] = refresh_feeds(library, force=True)
    assert not report.ok and "could not be recorded on the feed either" in report.error
    library.close()


def test_fetch_reports_a_disk_full_feed_on_stderr_with_the_right_status(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(("full", feed_server.route("/f", body=one_paper_feed("2601.11111"))))
    disk_full_for(monkeypatch, "full")
    assert main(["fetch"]) == 2  # the only feed failed
    err = capsys.readouterr().err
    assert "full: failed: cannot save papers to" in err and "disk is full" in err
    write_config(
        ("full", feed_server.route("/f", body=one_paper_feed("2601.11111"))),
        ("good", feed_server.fixture_url(FIXTURE)),
    )
    assert main(["fetch", "--force"]) == 1  # one of two failed; the other ran
    out, err = capsys.readouterr()
    assert "good: 2 new, 0 updated" in out and "full: failed:" in err


# --- the index after a killed fetch -------------------------------------------------------------


def left_behind(count: int) -> list[str]:
    """A library whose index is in line, then papers stored with the index update skipped (what
    a fetch killed between the store's commit and the index's leaves)."""
    library = Library.open()
    library.ensure_index()
    papers = [crash_paper(n) for n in range(count)]
    library.store.upsert(papers, "killed")
    assert not library._index_ready_check()
    library.close()
    return [p.id for p in papers]


def test_fetch_brings_an_index_left_behind_back_in_line(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = left_behind(40)
    write_config(("hf", feed_server.fixture_url(FIXTURE)))
    assert main(["fetch"]) == 0
    assert "search index is behind" not in capsys.readouterr().err
    library = Library.open()
    assert library.index_ready  # no sync needed: fetch left it in line
    assert library.index.doc_count == library.counts().total
    assert ids[-1] in library.search("resilient number 39 ").ids
    library.close()


def test_fetch_says_on_stderr_when_it_leaves_the_index_behind(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    left_behind(2500)  # more than an update is worth (tui.index.catch_up_path): a rebuild's job
    write_config(("hf", feed_server.fixture_url(FIXTURE)))
    assert main(["fetch"]) == 0  # the feeds went fine: the status says so
    err = capsys.readouterr().err
    assert "feedtui: the search index is behind the database" in err
    assert "the next `feedtui search` or the reader's start brings it in line" in err
    library = Library.open()
    assert not library.index_ready
    library.ensure_index()  # what the next search or start does
    assert library.index_ready and library.index.doc_count == library.counts().total
    library.close()


# --- which way the index catches up -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pending", "indexed", "path"),
    [
        (0, 0, "update"),
        (85, 0, "update"),  # a first import into the empty index
        (2_000, 100, "update"),  # one commit in the pool: seconds at any size
        (2_001, 100, "rebuild"),
        (3_000, 10_000, "update"),  # measured: 4-5 s against 18 s for a rebuild
        (5_000, 10_000, "rebuild"),  # 15 s and +36 MB against ~22 s and a compact index
        (19_000, 17_000, "rebuild"),  # issue 13: 150 s incremental, 72 s rebuilt
        (30_000, 100_000, "update"),
        (40_000, 100_000, "rebuild"),
    ],
)
def test_catch_up_path_by_cost(pending: int, indexed: int, path: str) -> None:
    assert catch_up_path(pending, indexed) == path


def test_the_library_catches_up_by_the_cheaper_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    left_behind(2_100)  # 2,100 pending over 85 indexed: a rebuild
    library = Library.open()
    calls: list[str] = []
    real_update, real_rebuild = library.index.update, library.index.rebuild
    monkeypatch.setattr(
        library.index, "update", lambda *a: calls.append("update") or real_update(*a)
    )
    monkeypatch.setattr(
        library.index, "rebuild", lambda *a, **k: calls.append("rebuild") or real_rebuild(*a, **k)
    )
    library.ensure_index()
    assert calls == ["rebuild"] and library.index_ready
    library.store.upsert([crash_paper(n) for n in range(10_000, 10_500)], "more")
    library.ensure_index()  # 500 over 2,185: an update
    assert calls == ["rebuild", "update"] and library.index_ready
    library.close()
