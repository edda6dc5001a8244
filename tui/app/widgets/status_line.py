"""The status line: what is shown, out of how many, what runs in the background, and anything
the search ignored."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypedDict, Unpack

from textual.content import Content
from textual.reactive import reactive
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
    sort: str = ""  # the list's order when it is not the default one for the query
    watched: int = 0  # papers new in the watches since the user last looked at them
    view: str = ""  # a related list in the search's place: "for you: like your 3 saved papers"
    selected: int = 0  # papers selected with space / ctrl+a
    selected_hidden: int = 0  # of those, the ones the list does not show now


if TYPE_CHECKING:
    from tui.library import Library


class StatusChanges(TypedDict, total=False):
    """`set_status` keywords: any of Status's fields."""

    shown: int
    matches: int
    total: int
    unread: int
    filter: str
    hints: tuple[str, ...]
    indexing: float | None
    searching: bool
    refreshing: str
    problem: str
    failing: int
    sample: str
    sort: str
    watched: int
    view: str
    selected: int
    selected_hidden: int


def status_text(status: Status) -> str:
    shown = f"{status.shown} shown"
    if status.matches > status.shown:
        shown += f" of {status.matches} matches"
    parts = [shown]
    if status.view:  # first: it says what the list is (and how to leave it)
        parts.insert(0, status.view)
    if status.selected:  # r, s, y, E and Z act on it
        selected = f"{status.selected} selected"
        if status.selected_hidden:
            selected += f" ({status.selected_hidden} not shown)"
        parts.append(selected)
    parts += [f"{status.total} total", f"{status.unread} unread"]
    if status.watched:  # before the longer labels: at 80 columns the end of the line is cut
        parts.append(f"★ {status.watched} new in watches")
    if status.failing:
        feeds = "1 feed" if status.failing == 1 else f"{status.failing} feeds"
        parts.append(f"{feeds} failing — F")
    if status.sample:
        parts.append(status.sample)
    if status.filter:
        parts.append(f"filter {status.filter}")
    if status.sort:
        parts.append(f"sort: {status.sort}")
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


def library_labels(library: Library) -> StatusChanges:
    """What outlives a toast: feeds still failing (until each fetches well again; F says why),
    and whether the papers are the bundled sample (until the first live feed replaces it) or a
    throwaway `--sample` library. Nothing when the database cannot say: only labels."""
    try:
        failing = len(library.failing_feeds())
        count = 0 if library.sample_mode else library.sample_count()
    except Exception:  # a database problem is reported where it matters
        return {}
    if library.sample_mode:
        return {"failing": failing, "sample": "sample mode: marks are not kept"}
    return {"failing": failing, "sample": f"{count} from the bundled sample" if count else ""}


class StatusLine(Static):
    """One line under the list. Hints may quote the user's query: shown as plain text."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        background: $panel;
    }
    """

    status: reactive[Status] = reactive(Status, init=False)
    """What the line says, as data; the line redraws whenever it changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id, markup=False)

    def watch_status(self, status: Status) -> None:
        self.update(Content(status_text(status)))

    def set_status(self, **changes: Unpack[StatusChanges]) -> None:
        self.status = replace(self.status, **changes)

    @property
    def text(self) -> str:
        return status_text(self.status)
