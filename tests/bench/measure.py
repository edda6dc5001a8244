"""Library-side measurements: ingest, the full index build, fresh papers, keystroke latency and
"the newest query wins". Everything goes through `tui.library.Library`, the object the TUI
calls, never a reimplementation of its search path.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from tests.bench.corpus import Corpus
from tests.bench.queries import CLASSES, SCRIPTS
from tui.index import SearchCancelled
from tui.library import Library

# Rows the paper list shows (a 40-line terminal); the TUI fetches these entries for each result.
VISIBLE_ROWS = 40
FRESH_MARKER = "zqfreshbatch"
PROBE_EVERY_S = 5.0


def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def summary(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds (nearest-rank p95)."""
    if not samples:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(ordered),
        "p50_ms": ms(statistics.median(ordered)),
        "p95_ms": ms(p95),
        "max_ms": ms(ordered[-1]),
    }


def ingest(library: Library, corpus: Corpus, count: int, batch: int = 1_000) -> dict[str, float]:
    """Store `count` papers through `Library.import_papers`, the index left unbuilt.

    The index lock is held meanwhile, exactly as when a rebuild is running in the app: the
    import then only marks the index stale, so the full build can be timed on its own."""
    started = time.perf_counter()
    with library._index_lock:
        for papers in corpus.batches(library.store.count(), count, batch):
            library.import_papers(papers, "bench")
    seconds = time.perf_counter() - started
    # Some papers are read, so is:unread filters something (every 7th, as a reader skims).
    for number in range(0, count, 7):
        library.store.set_read(f"bench-{number}", True)
    rate = round(count / seconds) if count else 0
    return {"papers": count, "seconds": round(seconds, 2), "papers_per_s": rate}


@dataclass
class BuildResult:
    seconds: float
    papers: int
    fallback_samples: list[float] = field(default_factory=list)
    fallback_from_index: list[bool] = field(default_factory=list)
    fallback_errors: list[str] = field(default_factory=list)


def full_build(
    library: Library, probe_queries: Sequence[str], log: Callable[[str], None]
) -> BuildResult:
    """Time `library.ensure_index()` (a full rebuild) while another thread searches as the UI
    would meanwhile: those searches are answered by the store's fallback."""
    done = threading.Event()
    result = BuildResult(0.0, library.store.count())

    def probe() -> None:
        # One search every few seconds, round robin: enough to show what the UI gets during
        # the build without stealing much of its CPU (the GIL is shared).
        turn = 0
        while not done.wait(PROBE_EVERY_S if turn else 0.5):
            if library.index_ready:
                return
            text = probe_queries[turn % len(probe_queries)]
            turn += 1
            t0 = time.perf_counter()
            try:
                found = library.search(text)
                library.entries(found.ids[:VISIBLE_ROWS])
            except Exception as error:  # recorded: a failing fallback is a finding
                result.fallback_errors.append(f"{text!r}: {error}")
                continue
            result.fallback_samples.append(time.perf_counter() - t0)
            result.fallback_from_index.append(found.from_index)

    def progress(done_count: int, total: int) -> None:
        if done_count % 10_000 == 0:
            log(f"  indexed {done_count}/{total} ({time.perf_counter() - started:.0f} s)")

    prober = threading.Thread(target=probe, daemon=True)
    started = time.perf_counter()
    prober.start()
    library.ensure_index(progress)
    result.seconds = time.perf_counter() - started
    done.set()
    prober.join()
    assert library.index_ready, library.index_problem or "index not ready after the build"
    return result


def fresh_papers(library: Library, corpus: Corpus, count: int = 1_000) -> dict[str, float]:
    """Seconds from handing `count` just-fetched papers to the library until a search finds
    all of them (import_papers stores them and updates the ready index)."""
    start = max(10_000_000, library.store.count() + 10_000_000)
    while library.get(f"bench-{start}") is not None:  # --reuse: a previous run's batch
        start += count
    papers = list(corpus.papers(start, count, marker=FRESH_MARKER))
    t0 = time.perf_counter()
    library.import_papers(papers, "bench-fresh")
    imported = time.perf_counter() - t0
    found = library.search(FRESH_MARKER + " ", limit=10 * count)
    library.entries(found.ids[:VISIBLE_ROWS])
    seconds = time.perf_counter() - t0
    fresh = {p.id for p in papers}
    missing = fresh - set(found.ids)
    assert not missing, f"{len(missing)} fresh papers not found (from_index={found.from_index})"
    return {
        "papers": count,
        "import_and_index_s": round(imported, 3),
        "searchable_after_s": round(seconds, 3),
        "from_index": found.from_index,
    }


def keystroke_latency(
    search: Callable[[str], object], keystrokes: Sequence[tuple[str, str]]
) -> tuple[dict[str, dict[str, float]], list[tuple[str, float]]]:
    """Replay keystrokes through `search(text)`; per-class summaries and the raw samples."""
    by_class: dict[str, list[float]] = {name: [] for name in CLASSES}
    for _, cls in keystrokes:
        by_class.setdefault(cls, [])
    raw: list[tuple[str, float]] = []
    for text, cls in keystrokes:
        t0 = time.perf_counter()
        search(text)
        elapsed = time.perf_counter() - t0
        by_class[cls].append(elapsed)
        raw.append((text, elapsed))
    table = {name: summary(samples) for name, samples in by_class.items() if samples}
    table["all keystrokes"] = summary([s for _, s in raw])
    return table, raw


def library_search(library: Library) -> Callable[..., object]:
    """The TUI's keystroke path: Library.search, then the entries of the visible page.
    `cancelled` is the hook the TUI's search worker passes (its `is_cancelled`)."""

    def run(text: str, cancelled: Callable[[], bool] | None = None) -> object:
        found = library.search(text, cancelled=cancelled)
        return library.entries(found.ids[:VISIBLE_ROWS])

    return run


def newest_wins(
    search: Callable[..., object], slow_text: str, fast_text: str, delay: float = 0.002
) -> dict[str, object]:
    """Fire a slow search, then `delay` later a fast one on another thread, and time the fast
    one. As the TUI's exclusive search worker does on the next keystroke, starting the fast
    one cancels the slow one (its `cancelled` hook turns True; it raises SearchCancelled)."""
    alone = []
    for _ in range(5):
        t0 = time.perf_counter()
        search(fast_text)
        alone.append(time.perf_counter() - t0)
    slow_alone = []
    for _ in range(3):
        t0 = time.perf_counter()
        search(slow_text)
        slow_alone.append(time.perf_counter() - t0)
    behind = []
    slow_cancelled = 0
    for _ in range(3):
        times: dict[str, float] = {}
        slow_cancel = threading.Event()

        def timed(
            name: str, text: str, cancel: threading.Event, times: dict[str, float] = times
        ) -> None:
            t0 = time.perf_counter()
            try:
                search(text, cancelled=cancel.is_set)
            except SearchCancelled:
                times["cancelled"] = 1.0
            times[name] = time.perf_counter() - t0

        slow = threading.Thread(target=timed, args=("slow", slow_text, slow_cancel))
        fast = threading.Thread(target=timed, args=("fast", fast_text, threading.Event()))
        slow.start()
        time.sleep(delay)
        slow_cancel.set()  # the worker for the new keystroke cancels the previous one
        fast.start()
        fast.join()
        slow.join()
        behind.append(times["fast"])
        slow_cancelled += int("cancelled" in times)
    return {
        "slow_query": slow_text,
        "fast_query": fast_text,
        "slow_alone_ms": ms(statistics.median(slow_alone)),
        "fast_alone_ms": ms(statistics.median(alone)),
        "fast_behind_slow_ms": ms(statistics.median(behind)),
        "slow_cancelled": f"{slow_cancelled}/3",
    }


def evenly(ids: Sequence[str], count: int, start: int = 0) -> list[str]:
    """`count` of `ids` spread evenly over them, from `start` (deterministic)."""
    step = max(1, len(ids) // max(1, count))
    return list(ids[start::step][:count])


def more_like_this(library: Library, paper_ids: Sequence[str], limit: int = 20) -> dict[str, float]:
    """`m` on each of `paper_ids`: Library.similar, then the entries of what it found."""
    samples = []
    for paper_id in paper_ids:
        t0 = time.perf_counter()
        found = library.similar(paper_id, limit)
        library.entries([r.id for r in found])
        samples.append(time.perf_counter() - t0)
    return summary(samples)


def for_you(
    library: Library, saved_ids: Sequence[str], repeats: int = 21, limit: int = 20
) -> dict[str, float]:
    """For you with `saved_ids` saved: Library.recommend and the entries found, `repeats`
    times. The first call right after saving them reads every saved paper's key terms and
    their postings (remembered afterwards): `first_ms`. `after_start_ms` is the first call as
    the app makes it after a start: its index worker has run `warm_recommend` (the caches
    emptied first, as in a new process). The marks are undone afterwards (a reused library
    stays as it was)."""
    library.set_marks(dict.fromkeys(saved_ids, True), "saved")
    try:
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            found = library.recommend(limit)
            library.entries([r.id for r in found])
            samples.append(time.perf_counter() - t0)
        assert found and not set(saved_ids) & {r.id for r in found}
        # As after a start: a library opened afresh (nothing remembered), the app's index
        # worker's warm-ups, then the key.
        started = Library.open(library.paths, library.config, load_sample=False)
        try:
            started.warm_filters()
            started.warm_recommend()
            t0 = time.perf_counter()
            started.entries([r.id for r in started.recommend(limit)])
            after_start = time.perf_counter() - t0
        finally:
            started.close()
        # p50/p95 of the calls after the first (the first is reported on its own).
        return {
            "saved": len(saved_ids),
            "first_ms": ms(samples[0]),
            "after_start_ms": ms(after_start),
            **summary(samples[1:]),
        }
    finally:
        library.set_marks(dict.fromkeys(saved_ids, False), "saved")


# What 20 watches of a researcher look like: words, authors, phrases, filters, exclusions.
WATCH_QUERIES = (
    *SCRIPTS,
    "has:code diffusion",
    "ti:transformer",
    "is:unread",
)


def watch_counts(library: Library, corpus: Corpus, count: int = 1_000) -> dict[str, float]:
    """20 watches, seen now and counted (as the TUI counts them when it starts); then `count`
    new papers arrive (a refresh) and what each watch has new is read, as the TUI does after
    a refresh (Library.watch_news: the toasts and the status line), then every watch's new and
    total counts (Library.watch_counts: the W screen, `feedtui watch list`). The watches are
    removed afterwards (a reused library stays as it was)."""
    names = [f"bench-watch-{n}" for n in range(len(WATCH_QUERIES[:20]))]
    for name in names:  # left by an interrupted run
        with contextlib.suppress(Exception):
            library.remove_watch(name)
    for name, query in zip(names, WATCH_QUERIES[:20], strict=False):
        library.add_watch(name, query)
    try:
        t0 = time.perf_counter()
        library.watch_counts()
        on_start = time.perf_counter() - t0
        start = library.store.count() + 30_000_000
        while library.get(f"bench-{start}") is not None:
            start += count
        library.import_papers(list(corpus.papers(start, count)), "bench-watch")
        t0 = time.perf_counter()
        news = [n for n in library.watch_news() if n.watch.name in names]
        news_s = time.perf_counter() - t0
        samples = []
        for _ in range(3):  # the first after the refresh is what the user waits for
            t0 = time.perf_counter()
            counts = [c for c in library.watch_counts() if c.watch.name in names]
            samples.append(time.perf_counter() - t0)
        return {
            "watches": len(names),
            "new_papers": count,
            "on_start_ms": ms(on_start),
            "first_ms": ms(samples[0]),
            "news_ms": ms(news_s),
            "p95_ms": ms(news_s),  # what the ratio reads: what the refresh itself waits for
            "repeat_ms": ms(min(samples[1:])),
            "new_total": sum(c.new for c in counts),
            "news_agree": [n.new for n in news] == [c.new for c in counts],
        }
    finally:
        for name in names:
            library.remove_watch(name)


def sort_rising(library: Library, moving: int = 5_000) -> dict[str, float]:
    """`sort:rising` over the whole library right after a refresh saw `moving` papers' upvotes
    change (so nothing is cached): the order and the first page's entries."""
    everyone = library.search("").ids
    ids = evenly(everyone, min(moving, len(everyone)))
    entries = library.entries(ids)
    bumped = [
        replace(entry.paper, upvotes=(entry.paper.upvotes or 0) + 1 + n % 97)
        for n, entry in enumerate(entries.values())
    ]
    library.import_papers(bumped, "bench-rising")
    samples = []
    for text in ("sort:rising", "sort:rising", "diffusion sort:rising"):
        t0 = time.perf_counter()
        found = library.search(text)
        library.entries(found.ids[:VISIBLE_ROWS])
        samples.append(time.perf_counter() - t0)
    return {
        "moved": len(bumped),
        "p95_ms": ms(samples[0]),  # the first, uncached, is the one that counts
        "cached_ms": ms(samples[1]),
        "with_words_ms": ms(samples[2]),
    }
