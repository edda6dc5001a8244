"""A paper's momentum in the preview: its upvotes (or stars) over time as a sparkline, with
the first and the last value and their dates under it.

Shown only when the history has two points or more: one point is a count, not a trend (the
list's badge already shows it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from tui.app.formatting import compact_number

if TYPE_CHECKING:
    from tui.model import MetricPoint


@dataclass(frozen=True, slots=True)
class Series:
    """One metric's recorded values, oldest first, and when the first and last were seen."""

    label: str  # "upvotes" / "stars"
    values: tuple[int, ...]
    first_at: str  # ISO date
    last_at: str

    @property
    def summary(self) -> str:
        """``upvotes 12 (2026-05-01) → 781 (2026-05-03)``"""
        first, last = compact_number(self.values[0]), compact_number(self.values[-1])
        return f"{self.label} {first} ({self.first_at}) → {last} ({self.last_at})"


def series(history: Sequence[MetricPoint]) -> Series | None:
    """The upvotes' series, or the stars' when the paper has no upvotes; None under 2 points."""
    for label, pick in (("upvotes", _upvotes), ("stars", _stars)):
        points = [(point.at, value) for point in history if (value := pick(point)) is not None]
        if len(points) >= 2:
            values = tuple(value for _, value in points)
            return Series(label, values, points[0][0][:10], points[-1][0][:10])
    return None


def _upvotes(point: MetricPoint) -> int | None:
    return point.upvotes


def _stars(point: MetricPoint) -> int | None:
    return point.stars


class Momentum(Vertical):
    """The sparkline, and its summary under it (the preview beside the list is only ~30
    columns wide); hidden without a series."""

    DEFAULT_CSS = """
    Momentum {
        height: auto;
        margin-bottom: 1;
        display: none;
        &.-shown {
            display: block;
        }
        & > Sparkline {
            width: 1fr;
            max-width: 40;
        }
        & > Static {
            width: 1fr;
            color: $text-muted;
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield Sparkline([], id="momentum-line")
        yield Static(Content(""), id="momentum-text", markup=False)

    @property
    def sparkline(self) -> Sparkline:
        return self.query_one(Sparkline)

    @property
    def text(self) -> str:
        """The summary beside the line ("" when hidden)."""
        if not self.has_class("-shown"):
            return ""
        return str(self.query_one("#momentum-text", Static).content)

    def show(self, history: Sequence[MetricPoint]) -> None:
        found = series(history)
        self.set_class(found is not None, "-shown")
        if found is None:
            return
        self.sparkline.data = [float(value) for value in found.values]
        self.query_one("#momentum-text", Static).update(Content(found.summary))
