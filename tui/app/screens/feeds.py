"""The `F` screen: each configured feed, how its last fetch went and when the next one is due.

Error reasons quote what servers sent, so everything here is plain `Content`, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.refresh import next_refresh
from tui.store import FeedState

if TYPE_CHECKING:
    from tui.config import Config
    from tui.library import Library

NO_FEEDS = "No feeds configured (see feedtui feeds add)."
LABEL_WIDTH = 15


def local_time(iso: str | None) -> str:
    """An ISO time from the store as the user's local "YYYY-MM-DD HH:MM"."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def when_next(config: Config, name: str, state: FeedState, now: datetime) -> str:
    feed = next(feed for feed in config.feeds if feed.name == name)
    upcoming = next_refresh(feed, state, config.refresh_minutes)
    if not upcoming:
        return "due now (never fetched)"
    try:
        moment = datetime.fromisoformat(upcoming)
    except ValueError:
        return upcoming
    if moment <= now:
        return "due now"
    minutes = max(1, round((moment - now).total_seconds() / 60))
    why = "  (the server asked us to wait)" if state.retry_at == upcoming else ""
    return f"{local_time(upcoming)}  (in {minutes} min){why}"


def _row(label: str, value: str) -> list[str]:
    return [f"  {label:<{LABEL_WIDTH}}", value, "\n"]


def feeds_content(
    config: Config, states: Mapping[str, FeedState], progress: str = "", now: datetime | None = None
) -> Content:
    now = now or datetime.now(UTC)
    parts: list[Content | str | tuple[str, str]] = [("Feeds", "bold")]
    if config.feeds:
        parts.append("   R refresh all now · esc close")
    parts.append("\n")
    if progress:
        parts += [progress, "\n"]
    if not config.feeds:
        parts += ["\n", NO_FEEDS, "\n"]
    for feed in config.feeds:
        state = states.get(feed.name, FeedState(feed.name))
        parts += ["\n", (feed.name, "bold"), f"  ({feed.kind})\n"]
        success = local_time(state.last_success) or "never"
        if state.last_success and state.added_last is not None:
            success += f"  ({state.added_last} new, {state.updated_last or 0} updated)"
        parts += _row("last success", success)
        error = f"{local_time(state.last_error_at)}  {state.last_error}" if state.last_error else ""
        parts += _row("last error", error or "none")
        parts += _row("next refresh", when_next(config, feed.name, state, now))
    return Content.assemble(*parts)


class FeedsScreen(ModalScreen[None]):
    """Per feed: last success, last error and its reason, papers added, next refresh.

    | Key | Action |
    | :- | :- |
    | R | refresh every feed now |
    | escape, q, F | close |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "refresh", "Refresh", id="refresh"),
        Binding("escape,q,F", "close", "Close", id="feeds-close"),
    ]

    def __init__(self, library: Library, refresh: Callable[[], None], progress: str = "") -> None:
        super().__init__()
        self.library = library
        self._refresh = refresh
        self._progress = progress

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="feeds-body"):
            yield Static(self._content(), id="feeds-text", markup=False)

    @property
    def text(self) -> str:
        return self._content().plain

    def reload(self, progress: str | None = None) -> None:
        """Read the feed states again (after each feed of a refresh)."""
        if progress is not None:
            self._progress = progress
        self.query_one("#feeds-text", Static).update(self._content())

    def _content(self) -> Content:
        try:
            states = self.library.store.feed_states()
        except Exception as error:  # a locked or damaged database: say so, do not crash
            return Content(f"Could not read the feeds' state: {error}")
        return feeds_content(self.library.config, states, self._progress)

    def action_refresh(self) -> None:
        self._refresh()

    def action_close(self) -> None:
        self.dismiss(None)
