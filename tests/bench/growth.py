"""``python -m tests.bench.growth RUN.json... [--svg docs/benchmark-growth.svg]``: how each
figure of the benchmark grows with the library, from the JSON of runs at several sizes.

Each run is ``python -m tests.bench --papers N --json RUN.json`` (10k, 30k, 100k, 300k in
docs/benchmark.md). Prints a Markdown table per figure (feedtui and its reference in the same
run, and their ratio, against N) and writes an SVG of small log-log plots, one per figure,
feedtui as a solid line and the reference as a dashed one. No plotting library: the SVG is
written by hand, so the script runs wherever the benchmark does.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

Getter = Callable[[dict[str, Any]], float | None]


def _get(*keys: str) -> Getter:
    def get(results: dict[str, Any]) -> float | None:
        value: Any = results
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if isinstance(value, int | float) else None

    return get


# (title, unit, feedtui's figure, the reference's figure or None, the reference's name)
FIGURES: list[tuple[str, str, Getter, Getter | None, str]] = [
    (
        "keystroke p95, all",
        "ms",
        _get("keystrokes", "all keystrokes", "p95_ms"),
        _get("fts5_keystrokes", "all keystrokes", "p95_ms"),
        "FTS5",
    ),
    (
        "keystroke p95, prefix 1-3 letters",
        "ms",
        _get("keystrokes", "prefix 1-3 letters", "p95_ms"),
        _get("fts5_keystrokes", "prefix 1-3 letters", "p95_ms"),
        "FTS5",
    ),
    (
        "keystroke p95, phrase",
        "ms",
        _get("keystrokes", "phrase", "p95_ms"),
        _get("fts5_keystrokes", "phrase", "p95_ms"),
        "FTS5",
    ),
    (
        "slowest keystroke (vs FTS5 p95)",
        "ms",
        _get("keystrokes", "all keystrokes", "max_ms"),
        _get("fts5_keystrokes", "all keystrokes", "p95_ms"),
        "FTS5 p95",
    ),
    ("full index build", "s", _get("build", "seconds"), _get("fts5_build", "seconds"), "FTS5"),
    (
        "1,000 new papers searchable",
        "s",
        _get("fresh", "searchable_after_s"),
        _get("fts5_fresh", "searchable_after_s"),
        "FTS5",
    ),
    (
        "first frame in a pty",
        "s",
        _get("startup_terminal", "first_frame_s"),
        _get("startup_hello", "first_frame_s"),
        "hello-world Textual",
    ),
    ("Library.open", "s", _get("library_open_s"), None, ""),
    (
        "20 watches' news after a refresh",
        "ms",
        _get("watch_counts", "news_ms"),
        _get("fts5_keystrokes", "all keystrokes", "p95_ms"),
        "FTS5 keystroke p95",
    ),
    (
        "more like this p95",
        "ms",
        _get("more_like_this", "p95_ms"),
        _get("fts5_keystrokes", "all keystrokes", "p95_ms"),
        "FTS5 keystroke p95",
    ),
    ("peak RSS (pty run)", "MB", _get("startup_terminal", "vm_hwm_mb"), None, ""),
    (
        "index / FTS5 size on disk",
        "MB",
        _get("disk", "index_mb"),
        _get("fts5_build", "size_mb"),
        "FTS5",
    ),
]


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def tables(runs: list[dict[str, Any]]) -> str:
    sizes = [int(run["papers"]) for run in runs]
    header = "| figure | " + " | ".join(f"{n:,}" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    lines = [header, rule]
    for title, unit, mine, reference, name in FIGURES:
        lines.append(f"| {title} ({unit}) | " + " | ".join(_fmt(mine(r)) for r in runs) + " |")
        if reference is not None:
            refs = [reference(r) for r in runs]
            lines.append(f"| &nbsp; {name} | " + " | ".join(_fmt(v) for v in refs) + " |")
            ratios = []
            for run, ref in zip(runs, refs, strict=True):
                value = mine(run)
                ratios.append(f"{value / ref:.2f}" if value is not None and ref else "–")
            lines.append("| &nbsp; ratio | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


# -- the SVG ----------------------------------------------------------------------------------

_W, _H = 300, 190  # one panel
_PAD_L, _PAD_R, _PAD_T, _PAD_B = 52, 12, 28, 34
_COLUMNS = 3


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _panel(
    x0: float,
    y0: float,
    title: str,
    unit: str,
    sizes: list[int],
    series: list[tuple[list[float | None], str]],
) -> list[str]:
    values = [v for points, _ in series for v in points if v is not None and v > 0]
    out = [
        f'<rect x="{x0}" y="{y0}" width="{_W}" height="{_H}" fill="white" stroke="#ddd"/>',
        f'<text x="{x0 + 8}" y="{y0 + 17}" font-size="12" font-weight="bold">'
        f"{_esc(title)} ({unit})</text>",
    ]
    if not values or len(sizes) < 2:
        return out
    lo, hi = math.log10(min(values)), math.log10(max(values))
    if hi - lo < 0.5:
        lo, hi = lo - 0.25, hi + 0.25
    nlo, nhi = math.log10(min(sizes)), math.log10(max(sizes))
    left, right = x0 + _PAD_L, x0 + _W - _PAD_R
    top, bottom = y0 + _PAD_T, y0 + _H - _PAD_B

    def px(n: float) -> float:
        return left + (math.log10(n) - nlo) / (nhi - nlo) * (right - left)

    def py(v: float) -> float:
        return bottom - (math.log10(v) - lo) / (hi - lo) * (bottom - top)

    out.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#888"/>'
    )
    for n in sizes:
        label = f"{n // 1000}k" if n >= 1000 else str(n)
        out.append(
            f'<text x="{px(n):.1f}" y="{bottom + 14}" font-size="10" '
            f'text-anchor="middle">{label}</text>'
        )
    for exponent in range(math.floor(lo), math.ceil(hi) + 1):
        for mantissa in (1, 3):
            v = mantissa * 10.0**exponent
            if lo <= math.log10(v) <= hi:
                out.append(
                    f'<text x="{left - 4}" y="{py(v) + 3:.1f}" font-size="9" '
                    f'text-anchor="end">{_fmt(v)}</text>'
                    f'<line x1="{left}" y1="{py(v):.1f}" x2="{right}" y2="{py(v):.1f}" '
                    'stroke="#eee"/>'
                )
    for points, style in series:
        coords = [(px(n), py(v)) for n, v in zip(sizes, points, strict=True) if v and v > 0]
        if len(coords) >= 2:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            out.append(f'<polyline points="{path}" fill="none" {style}/>')
        for x, y in coords:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" {style}/>')
    return out


def svg(runs: list[dict[str, Any]]) -> str:
    sizes = [int(run["papers"]) for run in runs]
    rows = math.ceil(len(FIGURES) / _COLUMNS)
    width, height = _COLUMNS * (_W + 10) + 10, rows * (_H + 10) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#fafafa"/>',
        '<text x="10" y="22" font-size="14">feedtui (solid) and its reference in the same run '
        "(dashed) against the number of papers, log-log</text>",
    ]
    solid = 'stroke="#1f77b4" stroke-width="2" fill="#1f77b4"'
    dashed = 'stroke="#d62728" stroke-width="1.5" stroke-dasharray="5,3" fill="#d62728"'
    for at, (title, unit, mine, reference, _) in enumerate(FIGURES):
        x0 = 10 + (at % _COLUMNS) * (_W + 10)
        y0 = 34 + (at // _COLUMNS) * (_H + 10)
        series = [([mine(r) for r in runs], solid)]
        if reference is not None:
            series.append(([reference(r) for r in runs], dashed))
        parts += _panel(x0, y0, title, unit, sizes, series)
    parts.append("</svg>")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.growth", description=__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="bench JSON files, any order")
    parser.add_argument("--svg", type=Path, help="where to write the plot")
    args = parser.parse_args(argv)
    runs = sorted((json.loads(path.read_text()) for path in args.runs), key=lambda r: r["papers"])
    print(tables(runs))
    if args.svg:
        args.svg.write_text(svg(runs) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
