"""``python -m tests.bench.fulltext --papers 100000 --texts 1000 [--reuse DIR]``: search with
full texts indexed, beside SQLite FTS5 holding the same texts.

Builds (or reuses, as ``python -m tests.bench --reuse DIR`` leaves it) a library of N synthetic
papers, then keeps ``--texts`` synthetic full texts (~25,000 words each, ~170 kB of Markdown,
drawn from the corpus's Zipf vocabulary: a 60-page paper's size) and measures

- keeping one text (``Library.keep_fulltext``: the cache file, the store's record and the
  index update with the body): what the reader costs once a text is fetched, per text;
- the index catching up with the rest in one update (as after ``feedtui fetch --fulltext``
  ran in another process), and the index's size before and after;
- the keystroke replay (tests/bench/queries.py plus ``body:`` scripts) through the TUI's path,
  and the same replay by FTS5 over the same papers with a body column.

Prints the figures and the ratios, writes JSON (``--json``). Never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench import fts5, measure
from tests.bench.corpus import Corpus
from tests.bench.queries import SCRIPTS, classify, keystrokes
from tui.library import Library
from tui.paths import HOME_ENV, default_paths
from tui.query import parse_query

BODY_WORDS = 25_000
KEPT_ONE_BY_ONE = 20  # of the texts, kept through keep_fulltext one at a time (timed)
BODY_SCRIPTS = ("body:transformer attention", "body:ablation", "diffusion body:sampling")


def synthetic_body(corpus: Corpus, number: int) -> str:
    """A paper-shaped Markdown text: sections of paragraphs of the corpus's words."""
    rng = random.Random(number)
    words = corpus._words(rng, BODY_WORDS)
    parts = [f"# Paper {number}\n"]
    for at in range(0, len(words), 120):
        if at % 2_400 == 0:
            parts.append(f"\n## {at // 2_400 + 1} {' '.join(words[at : at + 3]).title()}\n")
        parts.append(" ".join(words[at : at + 120]).capitalize() + ".\n")
    return "\n".join(parts)


def _dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def run(papers: int, texts: int, home: Path, log: Callable[[str], None]) -> dict[str, Any]:
    paths = default_paths({HOME_ENV: str(home)})
    if not paths.config_file.exists():
        paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        # The texts must all fit in the cache: 1,000 x 170 kB.
        paths.config_file.write_text(
            "refresh_on_start = false\nfeeds = []\nfulltext_cache_mb = 2000\n"
        )
    corpus = Corpus()
    library = Library.open(paths, load_sample=False)
    have = library.store.count()
    if have < papers:
        log(f"importing {papers - have} papers and building the index...")
        measure.ingest(library, corpus, papers - have)
    library.ensure_index()
    # A previous run's texts go first: every run keeps the same texts from scratch.
    library.clear_fulltexts()
    library.ensure_index()
    results: dict[str, Any] = {"papers": library.store.count(), "texts": texts}
    results["index_mb_before"] = _dir_mb(paths.index_dir)
    ids = measure.evenly(library.search("").ids, texts)
    log(f"generating {len(ids)} texts of {BODY_WORDS:,} words...")
    bodies = {paper_id: synthetic_body(corpus, n) for n, paper_id in enumerate(ids)}
    results["text_kb_mean"] = round(sum(map(len, bodies.values())) / len(bodies) / 1e3, 1)

    log(f"keeping {KEPT_ONE_BY_ONE} texts one by one (Library.keep_fulltext)...")
    one_by_one = []
    for paper_id in ids[:KEPT_ONE_BY_ONE]:
        t0 = time.perf_counter()
        library.keep_fulltext(paper_id, bodies[paper_id], "bench")
        one_by_one.append(time.perf_counter() - t0)
    results["keep_one_text"] = measure.summary(one_by_one)
    log(f"  {results['keep_one_text']}")

    log(f"the other {len(ids) - KEPT_ONE_BY_ONE} texts: cached and recorded, one index catch-up")
    for paper_id in ids[KEPT_ONE_BY_ONE:]:
        library.texts.put(paper_id, bodies[paper_id])
        library.store.record_fulltext(paper_id, len(bodies[paper_id]), "bench")
    t0 = time.perf_counter()
    library.ensure_index(rebuild=False)
    results["catch_up_s"] = round(time.perf_counter() - t0, 2)
    assert library.index_ready, library.index_problem
    results["index_mb_after"] = _dir_mb(paths.index_dir)
    found = library.search("has:fulltext ").total
    assert found == len(ids), f"has:fulltext found {found} of {len(ids)}"
    log(
        f"  catch-up {results['catch_up_s']} s; index {results['index_mb_before']} -> "
        f"{results['index_mb_after']} MB"
    )
    library.close()

    library = Library.open(paths, load_sample=False)  # a fresh open, as the app starts
    replayed = [
        (text, "body:" if parse_query(text).body_words else classify(parse_query(text)))
        for script in (*SCRIPTS, *BODY_SCRIPTS)
        for text in keystrokes(script)
    ]
    log(f"replaying {len(replayed)} keystrokes...")
    results["keystrokes"], _ = measure.keystroke_latency(measure.library_search(library), replayed)
    log("FTS5 with the same bodies: build and the same replay...")
    results["fts5_build"] = fts5.build(library, home, bodies)
    results["fts5_keystrokes"], _ = measure.keystroke_latency(
        fts5.searcher(library, home, library.config.search_limit, bodies=True), replayed
    )
    library.close()
    return results


def report(results: dict[str, Any]) -> str:
    lines = [
        f"{results['papers']:,} papers, {results['texts']:,} full texts of "
        f"~{results['text_kb_mean']} kB",
        f"keep one text (file + store + index): p50 {results['keep_one_text']['p50_ms']} ms, "
        f"p95 {results['keep_one_text']['p95_ms']} ms",
        f"index catch-up with the other texts: {results['catch_up_s']} s",
        f"index size: {results['index_mb_before']} MB -> {results['index_mb_after']} MB "
        f"(FTS5 with the bodies: {results['fts5_build']['size_mb']} MB)",
        "",
        "| keystrokes | feedtui p95 | FTS5 p95 | ratio | feedtui max |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in results["keystrokes"].items():
        ref = results["fts5_keystrokes"].get(name, {}).get("p95_ms", 0.0)
        ratio = f"{row['p95_ms'] / ref:.2f}" if ref else "–"
        lines.append(f"| {name} | {row['p95_ms']} ms | {ref} ms | {ratio} | {row['max_ms']} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fulltext", description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--texts", type=int, default=1_000)
    parser.add_argument("--reuse", type=Path, metavar="DIR")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    home = args.reuse or Path(tempfile.mkdtemp(prefix="feedtui-bench-fulltext-"))
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    results = run(args.papers, args.texts, home, log)
    out = args.json or home / "bench-fulltext.json"
    out.write_text(json.dumps(results, indent=2))
    print(report(results))
    log(f"figures written to {out}")
    if not args.reuse:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
