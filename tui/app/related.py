"""Related lists for the main screen: "more like this" (`m`) and "for you" (`f`).

Either replaces the search's list with ranked papers, each row ending with the key terms that
explain it, until the user searches, filters or presses Escape. The ranking reads the index's
postings (tens of ms at 100k papers, more for many saved papers), so it runs in a thread
worker; the newest request wins, and a result that arrives after the user moved on (typed a
search, pressed Escape) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.worker import get_current_worker

from tui.app.messages import RunOnLoop

if TYPE_CHECKING:
    from tui.app.screens.main import MainScreen
    from tui.library import Library
    from tui.model import Related

RELATED_GROUP = "related"
# How many papers a related list shows: a screenful or two, the best first.
RELATED_LIMIT = 50
TITLE_IN_LABEL = 40  # characters of the paper's title in the status line

NOTHING_SAVED = (
    "Nothing saved yet: press s on papers you like, then f lists the unread papers most "
    "like them, with the words that explain each.\n\nEsc: back to the list."
)
NOTHING_LIKE_SAVED = (
    "No unread paper is like your saved ones yet. Refresh (R) for new papers, or save "
    "more (s).\n\nEsc: back to the list."
)
NOTHING_LIKE_THIS = "No other paper shares this one's key terms.\n\nEsc: back to the list."
INDEX_NOT_READY = (
    "The search index is still being built: {what} works once it is ready (see the status line)"
)

Kind = Literal["like", "for_you"]


@dataclass(frozen=True, slots=True)
class RelatedView:
    """What the list shows instead of a search: ranked ids, why each is there, and what the
    status line calls the list."""

    kind: Kind
    label: str  # "like “Diffusion models…” · Esc: back"
    ids: tuple[str, ...]
    because: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    empty: str = ""  # the preview's message when nothing is listed

    @classmethod
    def of(cls, kind: Kind, label: str, found: Sequence[Related], empty: str) -> RelatedView:
        return cls(
            kind,
            label,
            tuple(related.id for related in found),
            {related.id: related.because for related in found},
            empty,
        )


def like_label(title: str) -> str:
    short = title if len(title) <= TITLE_IN_LABEL else title[: TITLE_IN_LABEL - 1] + "…"
    return f"more like “{short}” · Esc: back"


def for_you_label(saved: int) -> str:
    if not saved:
        return "for you: nothing saved yet · Esc: back"
    papers = "paper" if saved == 1 else "papers"
    return f"for you: like your {saved} saved {papers} · Esc: back"


def more_like_this(library: Library, paper_id: str, title: str) -> Callable[[], RelatedView]:
    """The work of `m`, for a thread worker."""

    def run() -> RelatedView:
        worker = get_current_worker()
        found = library.similar(paper_id, RELATED_LIMIT, cancelled=lambda: worker.is_cancelled)
        return RelatedView.of("like", like_label(title), found, NOTHING_LIKE_THIS)

    return run


def for_you(library: Library, marks_written: Callable[[], None]) -> Callable[[], RelatedView]:
    """The work of `f`, for a thread worker, once the marks asked for so far are stored."""

    def run() -> RelatedView:
        worker = get_current_worker()
        marks_written()
        saved = library.counts().saved
        label = for_you_label(saved)
        if not saved:
            return RelatedView("for_you", label, (), {}, NOTHING_SAVED)
        found = library.recommend(RELATED_LIMIT, cancelled=lambda: worker.is_cancelled)
        return RelatedView.of("for_you", label, found, NOTHING_LIKE_SAVED)

    return run


class RelatedLists:
    """Which related list the main screen shows, if any, and the requests for one."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.shown: RelatedView | None = None
        self._request = 0  # the newest request; older results are dropped

    @property
    def active(self) -> bool:
        return self.shown is not None

    def because(self, paper_id: str | None) -> tuple[str, ...]:
        if self.shown is None or paper_id is None:
            return ()
        return self.shown.because.get(paper_id, ())

    def request(self, work: Callable[[], RelatedView], what: str) -> None:
        screen = self.screen
        if not screen.library.index_ready:
            screen.notify(INDEX_NOT_READY.format(what=what), severity="warning")
            return
        self._request += 1
        request = self._request

        def run() -> None:
            view = work()
            screen.post_message(RunOnLoop(lambda: self._arrived(request, view)))

        screen.status.set_status(searching=True)
        screen.run_worker(
            run, thread=True, exclusive=True, group=RELATED_GROUP, exit_on_error=False
        )

    def _arrived(self, request: int, view: RelatedView) -> None:
        if request != self._request:
            return  # the user searched, pressed Escape or asked again meanwhile
        self.shown = view
        self.screen.show_related(view)

    def leave(self) -> bool:
        """Back to the search's list (True: a related list was shown or asked for)."""
        was = self.shown is not None
        self._request += 1
        self.shown = None
        return was
