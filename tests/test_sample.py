"""The bundled sample is a sample: labelled while it is there, and replaced by the first live
feed that brings papers (the papers the user never marked go, from the store and the index;
marked ones and those a live feed also brought stay), said in one line.

Before: a fresh home imported the 85 sample papers (2017-2025) with nothing saying so, and they
stayed for good beside the live papers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED
from tests.feed_server import FeedServer
from tests.sample_asset import daily_item
from tui.cli import main
from tui.config import Config, FeedConfig
from tui.feeds import refresh_feeds
from tui.library import Library
from tui.paths import default_paths
from tui.sample import SAMPLE_FEED, is_sample_paper, load_sample_papers

SAMPLE_IDS = [paper.id for paper in load_sample_papers()]


def live_item(arxiv_id: str, title: str) -> dict[str, Any]:
    return {
        "paper": {
            "id": arxiv_id,
            "title": title,
            "summary": "A live abstract about quasicrystal lattices.",
            "publishedAt": "2099-01-01T00:00:00.000Z",
            "authors": [{"name": "Ada Lovelace"}],
        },
        "title": title,
        "summary": "A live abstract about quasicrystal lattices.",
    }


def seed_item(arxiv_id: str) -> dict[str, Any]:
    """The sample's own item for this paper, as a live feed would carry it."""
    [seed] = [s for s in json.loads(SEED.read_text(encoding="utf-8")) if s["arxiv_id"] == arxiv_id]
    return daily_item(seed)


def live_library(feed_server: FeedServer, *items: dict[str, Any], name: str = "hf") -> Library:
    url = feed_server.route(f"/{name}", body=json.dumps(list(items)))
    return Library.open(config=Config(feeds=(FeedConfig(name=name, kind="hf_daily", url=url),)))


def test_a_fresh_library_is_the_sample_and_says_so() -> None:
    library = Library.open(config=Config(feeds=()))
    assert library.counts().total == 85
    assert library.sample_count() == 85
    entries = library.entries(SAMPLE_IDS)
    assert all(is_sample_paper(entry.paper) for entry in entries.values())
    assert all(entry.paper.sources == (SAMPLE_FEED,) for entry in entries.values())
    library.close()


def test_the_first_live_feed_replaces_the_unmarked_sample(feed_server: FeedServer) -> None:
    library = live_library(
        feed_server,
        live_item("2901.00001", "Quasicrystal lattices one"),
        live_item("2901.00002", "Quasicrystal lattices two"),
        seed_item(SAMPLE_IDS[10]),  # a sample paper the live feed carries too: now the feed's
    )
    library.ensure_index()
    read, saved = SAMPLE_IDS[0], SAMPLE_IDS[1]
    library.set_read(read, True)
    library.set_saved(saved, True)
    unmarked = SAMPLE_IDS[2]
    title_word = library.get(unmarked).paper.title.split()[0]  # type: ignore[union-attr]
    assert library.search(title_word).ids  # searchable before

    [report] = refresh_feeds(library)

    assert report.ok and report.added == 2
    assert (
        report.sample_note == "Removed 82 sample papers you had not marked; 2 marked ones are kept"
    )
    assert report.line() == "hf: 2 new, 0 updated\n" + report.sample_note
    assert library.counts().total == 2 + 1 + 2
    assert library.get(unmarked) is None
    assert library.get(read) is not None and library.get(read).read  # type: ignore[union-attr]
    assert library.get(saved) is not None and library.get(saved).saved  # type: ignore[union-attr]
    carried = library.get(SAMPLE_IDS[10])
    assert carried is not None and set(carried.paper.sources) == {SAMPLE_FEED, "hf"}
    assert not is_sample_paper(carried.paper)
    # Gone from the index too, which stays in line with the store (no rebuild needed).
    assert library.index_ready, library.index_problem
    assert library.index.doc_count == library.counts().total
    assert unmarked not in library.search(title_word).ids
    assert set(library.search("quasicrystal").ids) == {"2901.00001", "2901.00002"}
    assert library.sample_count() == 0  # the sample is replaced: no label any more
    library.close()
    reopened = Library.open(config=Config(feeds=()))
    assert reopened.index_ready and reopened.counts().total == 5
    reopened.close()


def test_it_happens_once(feed_server: FeedServer) -> None:
    library = live_library(feed_server, live_item("2901.00001", "Quasicrystal lattices one"))
    library.set_saved(SAMPLE_IDS[0], True)
    [first] = refresh_feeds(library)
    assert first.sample_note.startswith("Removed 84 sample papers")
    library.set_saved(SAMPLE_IDS[0], False)  # unmarked later: it stays, nothing said again
    [second] = refresh_feeds(library, force=True)
    assert second.ok and second.sample_note == ""
    assert "\n" not in second.line()
    assert library.get(SAMPLE_IDS[0]) is not None
    library.close()


def test_the_newest_change_removed_keeps_the_index_in_line(feed_server: FeedServer) -> None:
    # A live feed that only re-sends a sample paper, unchanged: no revision moves, and the
    # newest revision belonged to a sample paper that is removed.
    library = live_library(feed_server, seed_item(SAMPLE_IDS[0]))
    library.ensure_index()
    revision = library.store.revision()
    [report] = refresh_feeds(library)
    assert (report.added, report.updated) == (0, 0)
    assert report.sample_note == "Removed 84 sample papers you had not marked"
    assert library.store.revision() == revision  # never goes back
    assert library.index_ready and library.index.doc_count == 1
    library.close()


@pytest.mark.parametrize(
    "body", [b"[]", b"not json", None], ids=["no-papers", "malformed", "server-error"]
)
def test_the_sample_stays_until_a_live_feed_brings_papers(
    feed_server: FeedServer, body: bytes | None
) -> None:
    url = (
        feed_server.route("/hf", status=500, body=b"oops")
        if body is None
        else feed_server.route("/hf", body=body)
    )
    library = Library.open(config=Config(feeds=(FeedConfig(name="hf", kind="hf_daily", url=url),)))
    [report] = refresh_feeds(library)
    assert report.sample_note == ""
    assert library.counts().total == 85 and library.sample_count() == 85
    library.close()


def test_sample_mode_never_removes_it(feed_server: FeedServer) -> None:
    library = live_library(feed_server, live_item("2901.00001", "Quasicrystal lattices one"))
    library.sample_mode = True
    [report] = refresh_feeds(library)
    assert report.sample_note == ""
    assert library.counts().total == 86
    library.close()


def test_a_feed_named_like_the_sample_is_not_taken_for_it(feed_server: FeedServer) -> None:
    library = live_library(
        feed_server, live_item("2901.00001", "Quasicrystal lattices one"), name=SAMPLE_FEED
    )
    [report] = refresh_feeds(library)
    assert report.ok and report.sample_note == ""
    assert library.counts().total == 86  # nothing removed: the two cannot be told apart
    assert library.sample_count() == 0  # and no label claims they are the sample
    library.close()


def write_feed_config(url: str) -> Path:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[[feeds]]\nname = "hf"\nkind = "hf_daily"\nurl = "{url}"\n', encoding="utf-8")
    return path


def test_feedtui_fetch_says_so_in_one_line(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed_server.route("/hf", body=json.dumps([live_item("2901.00001", "Quasicrystal")]))
    write_feed_config(url)
    assert main(["fetch"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["hf: 1 new, 0 updated", "Removed 85 sample papers you had not marked"]
    assert main(["fetch", "--force"]) == 0
    assert capsys.readouterr().out.splitlines() == ["hf: 0 new, 0 updated"]
