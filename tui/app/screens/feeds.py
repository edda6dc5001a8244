"""The `F` screen: each configured feed, how its last fetch went and when the next one is due.

Error reasons quote what servers sent, so everything here is plain `Content`, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.fetcher import NO_FEEDS
from tui.app.screens.panel import PanelScreen
from tui.feeds import local_time, next_refresh
from tui.model import FeedState

if TYPE_CHECKING:
    from tui.app.fetcher import FeedFetcher
    from tui.config import Config
    from tui.library import Library

LABEL_WIDTH = 15


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


ROWS = ("last success", "last error", "next refresh")


def feed_values(config: Config, state: FeedState, now: datetime) -> tuple[str, str, str]:
    """The text of each of `ROWS` for one feed."""
    success = local_time(state.last_success) or "never"
    if state.last_success and state.added_last is not None:
        success += f"  ({state.added_last} new, {state.updated_last or 0} updated)"
    error = f"{local_time(state.last_error_at)}  {state.last_error}" if state.last_error else ""
    return success, error or "none", when_next(config, state.name, state, now)


def feeds_content(
    config: Config, states: Mapping[str, FeedState], progress: str = "", now: datetime | None = None
) -> Content:
    """The whole screen as one text, unwrapped (what `FeedsScreen.text` reads)."""
    now = now or datetime.now(UTC)
    parts: list[Content | str | tuple[str, str]] = [_header(config, progress), "\n"]
    if not config.feeds:
        parts += ["\n", NO_FEEDS, "\n"]
    for feed in config.feeds:
        state = states.get(feed.name, FeedState(feed.name))
        parts += ["\n", _title(feed.name, feed.kind), "\n"]
        for label, value in zip(ROWS, feed_values(config, state, now), strict=True):
            parts += [f"  {label:<{LABEL_WIDTH}}", value, "\n"]
    return Content.assemble(*parts)


def _header(config: Config, progress: str) -> Content:
    parts: list[Content | str | tuple[str, str]] = [("Feeds", "bold")]
    if config.feeds:
        parts.append("   R refresh all now · esc close")
    if progress:
        parts += ["\n", progress]
    return Content.assemble(*parts)


def _title(name: str, kind: str) -> Content:
    return Content.assemble((name, "bold"), f"  ({kind})")


class FeedsScreen(PanelScreen[None]):
    """Per feed: last success, last error and its reason, papers added, next refresh.

    Each row is a label column and a value column, so a long value (an error that quotes a
    URL) wraps under its own column at any width instead of back to the left edge.

    | Key | Action |
    | :- | :- |
    | R | refresh every feed now |
    | escape, q, F | close |
    """

    DEFAULT_CSS = f"""
    FeedsScreen {{
        .feed-name {{ margin-top: 1; }}
        .feed-row {{ height: auto; width: 1fr; }}
        .feed-label {{ width: {LABEL_WIDTH + 2}; padding-left: 2; }}
        .feed-value {{ width: 1fr; }}
    }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "refresh", "Refresh", id="refresh"),
        Binding("escape,q,F", "close", "Close", id="feeds-close"),
    ]

    def __init__(self, library: Library, fetcher: FeedFetcher) -> None:
        super().__init__()
        self.library = library
        self.fetcher = fetcher
        self._progress = fetcher.progress

    def compose(self) -> ComposeResult:
        config = self.library.config
        with VerticalScroll(id="feeds-body", classes="panel"):
            yield Static(id="feeds-header", markup=False)
            if not config.feeds:
                yield Static(NO_FEEDS, classes="feed-name", markup=False)
            for n, feed in enumerate(config.feeds):
                yield Static(_title(feed.name, feed.kind), classes="feed-name", markup=False)
                for r, label in enumerate(ROWS):
                    with Horizontal(classes="feed-row"):
                        yield Static(label, classes="feed-label", markup=False)
                        yield Static(id=f"feed-{n}-{r}", classes="feed-value", markup=False)

    def on_mount(self) -> None:
        self.reload()
        # Redrawn as the app's fetcher reports each feed, whichever screen started the fetch.
        self.fetcher.progress_changed.subscribe(self, self.reload)
        self.fetcher.feed_fetched.subscribe(self, lambda _report: self.reload())

    @property
    def text(self) -> str:
        states, problem = self._states()
        if problem:
            return problem
        return feeds_content(self.library.config, states, self._progress).plain

    def reload(self, progress: str | None = None) -> None:
        """Read the feed states again (after each feed of a fetch)."""
        if progress is not None:
            self._progress = progress
        config = self.library.config
        states, problem = self._states()
        header = _header(config, self._progress)
        self.query_one("#feeds-header", Static).update(
            Content.assemble(header, "\n\n", problem) if problem else header
        )
        now = datetime.now(UTC)
        for n, feed in enumerate(config.feeds):
            state = states.get(feed.name, FeedState(feed.name))
            values = ("", "", "") if problem else feed_values(config, state, now)
            for r, value in enumerate(values):
                self.query_one(f"#feed-{n}-{r}", Static).update(Content(value))

    def _states(self) -> tuple[Mapping[str, FeedState], str]:
        try:
            return self.library.feed_states(), ""
        except Exception as error:  # a locked or damaged database: say so, do not crash
            return {}, f"Could not read the feeds' state: {error}"

    def action_refresh(self) -> None:
        self.fetcher.fetch(force=True)

    def action_close(self) -> None:
        self.dismiss(None)
