"""The benchmark run: builds (or reuses) a library of N synthetic papers and measures it.

Importable, so the smoke test runs a tiny version in-process; `python -m tests.bench` is the
command line around it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.bench import fts5, measure, startup
from tests.bench.corpus import Corpus
from tests.bench.queries import QUICK_SCRIPTS, SCRIPTS, replay
from tui.library import Library
from tui.paths import HOME_ENV, default_paths

BUILD_FILE = "bench-build.json"
# Searched while the index builds: what the UI gets from the fallback meanwhile.
FALLBACK_PROBES = ("transformer attention", "au:wang", "is:unread diffusion")


@dataclass
class Options:
    papers: int
    directory: Path
    quick: bool = False  # fewer scripts
    startup: bool = True  # the child-process cold-start and RSS measurements
    fts: bool = True
    log: Callable[[str], None] = print


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    whoosh = "?"
    for dist in ("whoosh-reloaded", "whoosh-ng", "whoosh"):
        try:
            whoosh = f"{dist} {metadata.version(dist)}"
            break
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "whoosh": whoosh,
        "textual": metadata.version("textual"),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def _dir_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0
    return round(total / 1e6, 1)


def run(options: Options) -> dict[str, Any]:
    log = options.log
    home = options.directory
    home.mkdir(parents=True, exist_ok=True)
    paths = default_paths({HOME_ENV: str(home)})
    results: dict[str, Any] = {"machine": machine(), "papers_requested": options.papers}
    corpus = Corpus()
    # The benchmark's library follows no feed: the started `feedtui` never goes online.
    if not paths.config_file.exists():
        paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        paths.config_file.write_text("refresh_on_start = false\nfeeds = []\n")

    # -- the corpus and the full build --------------------------------------------------------
    library = Library.open(paths, load_sample=False)
    build_file = home / BUILD_FILE
    have = library.store.count()
    if have >= options.papers and library.index_ready and build_file.exists():
        log(f"reusing {have} papers in {home}")
        results.update(json.loads(build_file.read_text()))
    else:
        log(f"importing {options.papers - have} papers into {home} (index not built)...")
        results["ingest"] = measure.ingest(library, corpus, options.papers - have)
        log(f"  {results['ingest']}")
        log("full index build (library.ensure_index) with fallback searches meanwhile...")
        build = measure.full_build(library, FALLBACK_PROBES, log)
        results["build"] = {
            "papers": build.papers,
            "seconds": round(build.seconds, 2),
            "papers_per_s": round(build.papers / build.seconds),
            # This process's peak so far: the build's (the corpus itself is generated lazily).
            "vm_hwm_mb": startup.vm_hwm_mb(),
        }
        results["fallback_during_build"] = {
            **measure.summary(build.fallback_samples),
            "all_from_fallback": not any(build.fallback_from_index),
            "errors": build.fallback_errors,
        }
        log(f"  {results['build']}  fallback: {results['fallback_during_build']}")
        build_file.write_text(
            json.dumps({k: results[k] for k in ("ingest", "build", "fallback_during_build")})
        )
    library.close()

    # -- a fresh open, as the app does on start -----------------------------------------------
    t0 = time.perf_counter()
    library = Library.open(paths, load_sample=False)
    results["library_open_s"] = round(time.perf_counter() - t0, 3)
    # The app warms the filter cache in its index worker right after opening: do the same.
    threading.Thread(target=library.warm_filters, daemon=True).start()
    results["papers"] = library.store.count()
    assert library.index_ready, library.index_problem or "index not ready on reopen"

    scripts = QUICK_SCRIPTS if options.quick else SCRIPTS
    keystrokes = replay(scripts)
    log(f"replaying {len(keystrokes)} keystrokes through Library.search + entries...")
    search = measure.library_search(library)
    table, raw = measure.keystroke_latency(search, keystrokes)
    results["keystrokes"] = table
    results["slowest_keystrokes"] = [
        {"text": text, "ms": measure.ms(s)} for text, s in sorted(raw, key=lambda r: -r[1])[:8]
    ]
    # The same replay again: the postings cache is warm (a user retyping, or a second session).
    warm, _ = measure.keystroke_latency(search, keystrokes)
    results["keystrokes_warm"] = warm

    slowest = [row["text"] for row in results["slowest_keystrokes"][:5]]
    repeat = [(text, measure.keystroke_latency(search, [(text, "x")])[1][0][1]) for text in slowest]
    slow_text = max(repeat, key=lambda r: r[1])[0]
    results["newest_wins"] = measure.newest_wins(search, slow_text, "graph neural networks")
    log(f"  newest wins: {results['newest_wins']}")

    results["fresh"] = measure.fresh_papers(
        library, corpus, 1_000 if options.papers >= 5_000 else 100
    )
    log(f"  fresh papers: {results['fresh']}")

    everyone = library.search("").ids
    log("more like this (Library.similar) for 50 papers, for you with 50 and 500 saved...")
    results["more_like_this"] = measure.more_like_this(library, measure.evenly(everyone, 50))
    for saved in (50, 500):
        if 2 * saved <= len(everyone):  # else nearly everything is saved: nothing to find
            # Other papers than the "more like this" ones: the first call's key terms are cold.
            saved_ids = measure.evenly(everyone, saved, start=1)
            results[f"for_you_{saved}"] = measure.for_you(library, saved_ids)
    log(
        f"  more like this: {results['more_like_this']}  for you: "
        f"{results.get('for_you_50')} / {results.get('for_you_500')}"
    )

    log("watch counts (20 watches) after a refresh, then sort:rising over the library...")
    results["watch_counts"] = measure.watch_counts(
        library, corpus, 1_000 if options.papers >= 5_000 else 100
    )
    results["sort_rising"] = measure.sort_rising(library, min(5_000, options.papers // 4))
    log(f"  watches: {results['watch_counts']}  rising: {results['sort_rising']}")

    if options.fts:
        log("SQLite FTS5 reference: build and the same replay...")
        results["fts5_build"] = fts5.build(library, home)
        fts_search = fts5.searcher(library, home, library.config.search_limit)
        results["fts5_keystrokes"], _ = measure.keystroke_latency(fts_search, keystrokes)
        fresh = results["fresh"]["papers"]
        batch = list(corpus.papers(20_000_000, fresh, marker=measure.FRESH_MARKER))
        results["fts5_fresh"] = fts5.insert_fresh(home, batch, measure.FRESH_MARKER)

    newest_title = library.entries(library.search("").ids[:1])
    title = next(iter(newest_title.values())).paper.title if newest_title else ""
    library.close()
    results["disk"] = {
        "database_mb": _dir_mb(paths.data_dir),
        "index_mb": _dir_mb(paths.index_dir),
    }

    if options.startup:
        log("cold start: headless run_test in a child process...")
        results["startup_headless"] = startup.headless(home)
        log(f"  {results['startup_headless']}")
        feedtui = shutil.which("feedtui", path=str(Path(sys.executable).parent)) or "feedtui"
        log("cold start: the feedtui command in a pty...")
        runs = [startup.terminal(home, title, feedtui, type_search=(i == 0)) for i in range(3)]
        results["startup_terminal"] = {
            "first_frame_s": sorted(r["first_frame_s"] for r in runs)[1],
            "first_frame_runs_s": [r["first_frame_s"] for r in runs],
            "vm_hwm_mb": runs[0].get("vm_hwm_mb", 0.0),
        }
        log(f"  {results['startup_terminal']}")
        if not options.quick:
            log("the app at rest: CPU over 60 s in the pty, nothing typed, no refresh due...")
            rest = startup.terminal(home, title, feedtui, type_search=False, at_rest_s=60.0)
            results["at_rest"] = {
                "cpu_percent": rest["at_rest_cpu_percent"],
                "seconds": rest["at_rest_s"],
            }
            log(f"  {results['at_rest']}")
        log("the reference: a hello-world Textual app in the same pty...")
        hello = [startup.hello_world() for _ in range(3)]
        results["startup_hello"] = {
            "first_frame_s": sorted(r["first_frame_s"] for r in hello)[1],
            "first_frame_runs_s": [r["first_frame_s"] for r in hello],
        }
        log(f"  {results['startup_hello']}")
    return results
