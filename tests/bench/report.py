"""The benchmark's table (Markdown, so it pastes into docs/benchmark.md) and target checks."""

from __future__ import annotations

from typing import Any

from tests.bench.queries import CLASSES

TARGET_KEYSTROKE_P95_MS = 50.0
TARGET_FIRST_PAINT_S = 1.5
TARGET_RSS_MB = 400.0
TARGET_BUILD_S = 150.0
TARGET_FRESH_S = 10.0


def _ok(value: float, limit: float) -> str:
    return "met" if value <= limit else "**missed**"


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM; Python {m['python']}, "
        f"{m['whoosh']}, textual {m['textual']}, SQLite {m['sqlite']}; {m['platform']}",
        f"Papers: {results['papers']:,}",
        "",
        "| keystroke → results (ms) | n | p50 | p95 | max | warm p95 "
        "| FTS5 p50 | FTS5 p95 | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    keys = results["keystrokes"]
    warm = results.get("keystrokes_warm", {})
    fts = results.get("fts5_keystrokes", {})
    for name in (*CLASSES, "all keystrokes"):
        if name not in keys:
            continue
        row = keys[name]
        f = fts.get(name, {})
        lines.append(
            f"| {name} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
            f"{warm.get(name, {}).get('p95_ms', '')} | {f.get('p50_ms', '')} | "
            f"{f.get('p95_ms', '')} | {_ok(row['p95_ms'], TARGET_KEYSTROKE_P95_MS)} (≤ 50) |"
        )
    lines += ["", "| measure | value | target |", "|---|---:|---|"]

    def add(label: str, value: object, target: str = "") -> None:
        lines.append(f"| {label} | {value} | {target} |")

    if "ingest" in results:
        i = results["ingest"]
        add(
            "store import (import_papers, 1,000/batch)", f"{i['seconds']} s ({i['papers_per_s']}/s)"
        )
    b = results["build"]
    add(
        "full index build (ensure_index)",
        f"{b['seconds']} s ({b['papers_per_s']} papers/s)",
        f"{_ok(b['seconds'], TARGET_BUILD_S)} (≤ 150 s)",
    )
    if "vm_hwm_mb" in b:
        add(
            "peak RSS of the process during the build",
            f"{b['vm_hwm_mb']} MB",
            f"{_ok(b['vm_hwm_mb'], TARGET_RSS_MB)} (≤ 400 MB, same process as the app)",
        )
    fb = results.get("fallback_during_build")
    if fb and fb["n"]:
        add(
            "search during the build (fallback) p50 / max",
            f"{fb['p50_ms']} / {fb['max_ms']} ms",
            "usable, slower",
        )
    fr = results["fresh"]
    add(
        f"{fr['papers']:,} new papers searchable after",
        f"{fr['searchable_after_s']} s",
        f"{_ok(fr['searchable_after_s'], TARGET_FRESH_S)} (≤ 10 s)",
    )
    nw = results["newest_wins"]
    add(
        "newest query wins: fast query alone / fired 2 ms after a slow one",
        f"{nw['fast_alone_ms']} / {nw['fast_behind_slow_ms']} ms "
        f"(slow: {nw['slow_alone_ms']} ms, {nw['slow_query']!r}, "
        f"cancelled {nw.get('slow_cancelled', '?')})",
        "not delayed",
    )
    add("Library.open (store + index + vocabulary)", f"{results['library_open_s']} s")
    if "startup_headless" in results:
        h = results["startup_headless"]
        add(
            "cold start → first painted list (run_test, process spawn)",
            f"{h['first_paint_s']} s",
            f"{_ok(h['first_paint_s'], TARGET_FIRST_PAINT_S)} (≤ 1.5 s)",
        )
        add("  of which imports / Library.open", f"{h['import_s']} / {h['library_open_s']} s")
    if "startup_terminal" in results:
        t = results["startup_terminal"]
        add(
            "cold start → first frame with a title (`feedtui` in a pty, median of 3)",
            f"{t['first_frame_s']} s",
            f"{_ok(t['first_frame_s'], TARGET_FIRST_PAINT_S)} (≤ 1.5 s)",
        )
        rss = max(t["vm_hwm_mb"], results.get("startup_headless", {}).get("vm_hwm_mb", 0.0))
        add(
            "peak RSS (VmHWM) with a search typed",
            f"{rss} MB",
            f"{_ok(rss, TARGET_RSS_MB)} (≤ 400 MB)",
        )
    d = results["disk"]
    add("database / index on disk", f"{d['database_mb']} / {d['index_mb']} MB")
    if "fts5_build" in results:
        f5 = results["fts5_build"]
        add(
            "FTS5 reference build / size",
            f"{f5['seconds']} s ({f5['papers_per_s']}/s) / {f5['size_mb']} MB",
        )
    return "\n".join(lines)
