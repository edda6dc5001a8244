"""``python -m tests.bench --papers 100000 [--reuse DIR] [--compare OLD.json]``: the
search/start-up benchmark.

Prints the machine, the versions, a Markdown table of the figures and one of every ratio to the
references run in the same process (SQLite FTS5, a hello-world Textual app), and writes the raw
figures as JSON (``--json``, default ``DIR/bench-results.json``); ``--compare`` prints the change
against an earlier run's JSON. ``--papers 2000 --quick`` is the smoke run CI makes (under a
minute; its figures are printed, never asserted). See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.report import compare, ratio_table, table
from tests.bench.run import Options, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000, help="corpus size (100000)")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="keep the library in DIR and reuse it when it already holds --papers papers",
    )
    parser.add_argument("--json", type=Path, help="where to write the figures")
    parser.add_argument("--quick", action="store_true", help="replay only three typed queries")
    parser.add_argument("--no-startup", action="store_true", help="skip the cold-start runs")
    parser.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 reference")
    parser.add_argument(
        "--compare", type=Path, metavar="OLD.json", help="print the change against an earlier run"
    )
    args = parser.parse_args(argv)

    directory = args.reuse or Path(tempfile.mkdtemp(prefix="feedtui-bench-"))
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    results = run(
        Options(
            papers=args.papers,
            directory=directory,
            quick=args.quick,
            startup=not args.no_startup,
            fts=not args.no_fts,
            log=log,
        )
    )
    results["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    out = args.json or directory / "bench-results.json"
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print()
    print(ratio_table(results))
    if args.compare:
        print()
        print(compare(json.loads(args.compare.read_text()), results))
    log(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
