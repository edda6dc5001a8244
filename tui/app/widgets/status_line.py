"""The status line: what is shown, out of how many, what runs in the background, and anything
the search ignored."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.content import Content
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class Status:
    shown: int = 0  # papers in the list
    matches: int = 0  # papers matching the query (may exceed `shown` when capped)
    total: int = 0  # papers stored
    unread: int = 0
    filter: str = ""  # "is:unread" / "is:saved" / ""
    hints: tuple[str, ...] = ()  # from the query parser: what it ignored and why
    indexing: float | None = None  # 0..1 while the search index is being built
    searching: bool = False
    refreshing: str = ""  # "refreshing hf-daily (1/2)…" while a feed is being fetched
    problem: str = ""  # why the search index is behind (another feedtui holds it...)
    failing: int = 0  # feeds whose last fetch failed, until their next good one
    sample: str = ""  # "85 from the bundled sample" / "sample mode: marks are not kept"


def status_text(status: Status) -> str:
    shown = f"{status.shown} shown"
    if status.matches > status.shown:
        shown += f" of {status.matches} matches"
    parts = [shown, f"{status.total} total", f"{status.unread} unread"]
    if status.failing:
        feeds = "1 feed" if status.failing == 1 else f"{status.failing} feeds"
        parts.append(f"{feeds} failing — F")
    if status.sample:
        parts.append(status.sample)
    if status.filter:
        parts.append(f"filter {status.filter}")
    if status.indexing is not None:
        parts.append(f"indexing {int(status.indexing * 100)}%…")
    if status.searching:
        parts.append("searching…")
    if status.refreshing:
        parts.append(status.refreshing)
    if status.problem:
        parts.append(status.problem)
    parts.extend(status.hints)
    return " · ".join(parts)


class StatusLine(Static):
    """One line under the list. Hints may quote the user's query: shown as plain text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)
        self.status = Status()

    def set_status(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.update(Content(status_text(self.status)))

    @property
    def text(self) -> str:
        return status_text(self.status)
