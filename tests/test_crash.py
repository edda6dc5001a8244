"""Crash loops and concurrency: SIGKILL mid-import, mid-toggle and mid-first-build, and two
processes on the same data. Every change a process reported as committed must survive, and the
index must come back consistent (RELIABILITY.md, "Storage and concurrency")."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crash_child import crash_paper, toggle_sequence
from tests.feed_server import FeedServer
from tui.library import Library
from tui.paths import default_paths

pytestmark = pytest.mark.slow
pytest_plugins = ["tests.feed_server"]
REPO = Path(__file__).resolve().parent.parent
# Kills per crash loop. CI runs 3; the heavy loops are the same tests with more kills:
# `FEEDTUI_CRASH_KILLS=30 pytest tests/test_crash.py tests/test_storage_leftovers.py`.
KILLS = int(os.environ.get("FEEDTUI_CRASH_KILLS", "3"))


def start_child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def read_then_kill(child: subprocess.Popen[str], lines: int) -> list[str]:
    """Read ``lines`` committed-change reports (blocking reads: no sleeping), then SIGKILL the
    child wherever it is, and return everything it reported."""
    assert child.stdout is not None
    seen: list[str] = []
    while len(seen) < lines:
        line = child.stdout.readline()
        if not line:
            _, err = child.communicate()
            pytest.fail(f"the child ended early: {err}")
        seen.append(line.strip())
    os.kill(child.pid, signal.SIGKILL)
    # Read the rest through the same text stream: communicate() reads the raw pipe and would
    # miss lines readline() already buffered.
    rest = child.stdout.read()
    child.wait()
    # Lines already written before the kill landed are reports of committed changes too.
    return seen + [line for line in rest.splitlines() if line.strip()]


def prepared_library() -> None:
    library = Library.open()  # imports the sample and builds the index once
    library.ensure_index()
    library.close()


def test_kill_during_imports_loses_no_committed_paper() -> None:
    prepared_library()
    rng = random.Random(7)
    reported: list[str] = []
    for round_ in range(KILLS):
        child = start_child("import", str(round_ * 10_000))
        reported += read_then_kill(child, rng.randint(3, 25))
    library = Library.open()
    ids = [line.split()[1] for line in reported if line.startswith("imported")]
    found = library.entries(ids)
    assert sorted(found) == sorted(ids)
    library.ensure_index()
    assert library.index_ready
    assert library.index.doc_count == library.counts().total
    # The last paper a killed process committed is searchable after the repair.
    last = ids[-1]
    assert last in library.search(f"number {last.split('-')[1]} ").ids
    library.close()


def test_kill_during_toggles_keeps_every_committed_mark() -> None:
    prepared_library()
    library = Library.open()
    ids = library.search("").ids
    library.close()
    rng = random.Random(11)
    # (paper, flag) -> the value last reported, or None when the kill may have landed between
    # its commit and its report (either value is then correct).
    expected: dict[tuple[str, str], bool | None] = {}
    for _ in range(KILLS):
        reports = read_then_kill(start_child("toggle"), rng.randint(5, 200))
        for line in reports:
            _, paper_id, flag, value = line.split()
            expected[(paper_id, flag)] = value == "1"
        sequence = toggle_sequence(ids)
        for _ in range(len(reports)):
            next(sequence)
        paper_id, flag, _value = next(sequence)
        expected[(paper_id, flag)] = None
    library = Library.open()
    entries = library.entries(ids)
    checked = 0
    for (paper_id, flag), value in expected.items():
        if value is not None:
            assert getattr(entries[paper_id], flag) == value, (paper_id, flag)
            checked += 1
    assert checked >= 5
    library.close()


def test_kill_during_tags_and_notes_keeps_an_exact_count() -> None:
    prepared_library()
    rng = random.Random(13)
    reported: list[tuple[str, int]] = []
    unreported: list[tuple[str, int]] = []  # the step each kill may have landed in
    library = Library.open()
    ids = library.search("").ids
    library.close()
    start = 0
    for _ in range(KILLS):
        lines = read_then_kill(start_child("keep", str(start)), rng.randint(5, 60))
        steps = [(paper_id, int(n)) for _, paper_id, n in (line.split() for line in lines)]
        reported += steps
        start = steps[-1][1] + 1
        unreported.append((ids[start % len(ids)], start))
        start += 1  # the next round never reuses a name a kill may have committed
    library = Library.open()
    counts = dict(library.tag_counts())
    # Every reported tag is there once; nothing but the steps in flight at a kill came extra.
    assert all(counts.pop(f"k{n}") == 1 for _, n in reported)
    assert set(counts) <= {f"k{n}" for _, n in unreported}
    assert all(value == 1 for value in counts.values())
    latest: dict[str, int] = {}
    for paper_id, n in reported:
        latest[paper_id] = n
    for paper_id, n in latest.items():
        may = {f"note {n}"} | {f"note {m}" for p, m in unreported if p == paper_id and m > n}
        assert library.note(paper_id) in may, paper_id
    library.close()


def test_kill_during_first_index_build_is_detected_and_repaired() -> None:
    library = Library.open()
    library.store.upsert([crash_paper(n) for n in range(3000)], "bulk")
    total = library.counts().total
    library.close()
    child = start_child("build")
    reported = read_then_kill(child, 1)  # the first progress report: mid-build
    assert "built" not in reported
    library = Library.open()
    assert not library.index_ready  # never an empty index that claims to be current
    fallback = library.search("resilient storage number 2999 ")
    assert not fallback.from_index and "crash-2999" in fallback.ids
    library.ensure_index()
    assert library.index_ready
    assert library.index.doc_count == total
    assert "crash-2999" in library.search("resilient storage number 2999 ").ids
    library.close()


def test_two_processes_importing_at_once_lose_nothing() -> None:
    prepared_library()
    child = start_child("import", "50000")
    library = Library.open()
    try:
        for n in range(40):
            library.import_papers([crash_paper(n)], "here")
    finally:
        reported = read_then_kill(child, 10)
    ids = [f"crash-{n}" for n in range(40)] + [
        line.split()[1] for line in reported if line.startswith("imported")
    ]
    assert sorted(library.entries(ids)) == sorted(ids)
    library.ensure_index()
    assert library.index_ready
    assert library.index.doc_count == library.counts().total
    library.close()


def test_second_process_marks_while_first_is_open() -> None:
    prepared_library()
    first = Library.open()
    paper_id = first.search("").ids[0]
    out = subprocess.run(
        [sys.executable, "-m", "tui", "mark", paper_id, "--saved"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    entry = first.get(paper_id)
    assert entry is not None and entry.saved
    first.close()


FEED_FIXTURE = REPO / "tests" / "fixtures" / "hf_daily_papers_2026-08_trimmed_2items.json"
PAPERS_PER_FEED = 150


def daily_feed(feed: int) -> bytes:
    """A Hugging Face daily feed (the fixture's wire format) of PAPERS_PER_FEED papers only
    this feed has, each with "resilient" in its title (one index query finds them all)."""
    template = json.loads(FEED_FIXTURE.read_text(encoding="utf-8"))[0]
    items = []
    for n in range(PAPERS_PER_FEED):
        item = json.loads(json.dumps(template))
        item["paper"]["id"] = f"27{feed:02d}.{n:05d}"
        item["paper"]["title"] = item["title"] = f"Resilient fetch {feed}-{n}"
        items.append(item)
    return json.dumps(items).encode()


def test_kill_during_fetch_keeps_every_feed_it_reported_and_the_index_recounts(
    feed_server: FeedServer,
) -> None:
    """`feedtui fetch` of many feeds from the local server, SIGKILLed after some feeds said
    "N new": those feeds' papers are all stored, a feed cut mid-store lost nothing committed,
    the marks made before are untouched, and after reopening the index finds exactly what is
    stored."""
    prepared_library()
    library = Library.open()
    marked = library.search("").ids[:5]
    library.set_marks(dict.fromkeys(marked, True), "saved")
    library.close()
    feeds = 12
    lines = []
    for feed in range(feeds):
        url = feed_server.route(
            f"/daily/{feed}", body=daily_feed(feed), content_type="application/json"
        )
        lines.append(f'[[feeds]]\nname = "f{feed}"\nkind = "hf_daily"\nurl = "{url}"\n')
    config = default_paths().config_file
    config.write_text("".join(lines), encoding="utf-8")
    reported: set[str] = set()
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tui", "fetch", "--force"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        done = read_then_kill(child, 1 + kill % 3)
        reported.update(line.split(":")[0] for line in done if " new, " in line)
    library = Library.open()
    try:
        stored = set(library.search("").ids)
        for name in reported:
            feed = int(name[1:])
            ids = {f"27{feed:02d}.{n:05d}" for n in range(PAPERS_PER_FEED)}
            assert ids <= stored, f"{name} said it stored its papers, but some are missing"
        assert all(library.get(paper_id).saved for paper_id in marked)  # type: ignore[union-attr]
        fetched = {paper_id for paper_id in stored if paper_id.startswith("27")}
        library.ensure_index()
        hits = library.search("resilient", limit=100_000)
        assert hits.from_index
        assert set(hits.ids) == fetched
        assert hits.total == len(fetched)
    finally:
        library.close()
