"""Fetching feeds: configured feed -> URL -> bounded fetch -> source parser -> library import.

`refresh_feeds` fetches the configured feeds that are due, one at a time (`fetch_feed`), and
hands their papers to the library; the library itself never imports this package.

A failed fetch changes nothing stored: papers are only ever added or enriched, never deleted,
and the failure is recorded on the feed (reason, time, when to retry) for the feeds screen and
`feedtui fetch`. The one deletion: the first live feed that brings papers replaces the bundled
sample (the sample papers the user never marked go, once; `Library.remove_sample`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tui.config import FeedConfig
from tui.feeds import http
from tui.feeds.kinds import (
    ARXIV_API,
    feed_url,
    fetched_day,
    fetched_today,
    next_announcement,
    parser_of,
)
from tui.feeds.sources import ParseError
from tui.model import FeedState, now_iso
from tui.store import StoreError

if TYPE_CHECKING:
    from tui.library import Library

ARXIV_API_INTERVAL = 3.0  # seconds between requests, as arXiv asks


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What one feed's refresh did, as the TUI and `feedtui fetch` report it."""

    name: str
    ok: bool
    added: int = 0
    updated: int = 0
    skipped: int = 0  # malformed items left out
    error: str = ""  # the one-line reason when not ok
    note: str = ""  # "not modified", "already fetched today", "partial feed"...
    fetched: bool = True  # False when nothing was requested (not stale, backing off)
    # "Removed 83 sample papers you had not marked; 2 marked ones are kept": said once, by the
    # first live feed that brings papers (the bundled sample makes way for them).
    sample_note: str = ""

    def line(self) -> str:
        """The summary, and the sample's removal on a line of its own when this feed did it."""
        return self.summary() + (f"\n{self.sample_note}" if self.sample_note else "")

    def summary(self) -> str:
        if not self.ok:
            return f"{self.name}: failed: {self.error}"
        # "hf-daily: not modified since last time" rather than "0 new, 0 updated, not modified".
        quiet = not (self.added or self.updated) and self.note
        parts = [] if quiet else [f"{self.added} new", f"{self.updated} updated"]
        if self.skipped:
            parts.append(f"skipped {self.skipped} malformed")
        if self.note:
            parts.append(self.note)
        return f"{self.name}: " + ", ".join(parts)


def why_not_due(config: FeedConfig, state: FeedState, default_minutes: int, now: datetime) -> str:
    """Why the feed should not be fetched now (for the report), or "" when it is due."""
    if state.retry_at and datetime.fromisoformat(state.retry_at) > now:
        return f"backing off until {_clock(state.retry_at)} (the server asked us to wait)"
    if fetched_today(config, state, now):
        return "already fetched today's arXiv listing"
    if state.last_attempt:
        minutes = config.refresh_minutes or default_minutes
        due = datetime.fromisoformat(state.last_attempt) + timedelta(minutes=minutes)
        if due > now:
            when = _clock(due.isoformat())
            if state.last_error:
                return f"failed last time; next try at {when} (--force to try now)"
            return f"fresh; next refresh at {when}"
    return ""


def next_refresh(config: FeedConfig, state: FeedState, default_minutes: int) -> str:
    """When the feed will next be fetched, as an ISO time ("" = now)."""
    if state.retry_at:
        return state.retry_at
    if not state.last_attempt:
        return ""
    minutes = config.refresh_minutes or default_minutes
    when = datetime.fromisoformat(state.last_attempt) + timedelta(minutes=minutes)
    # Fetched once per announcement day: not before the next one.
    announcement = next_announcement(config, state)
    if announcement is not None:
        when = max(when, announcement)
    return when.isoformat(timespec="seconds")


def _clock(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")


def local_time(iso: str | None) -> str:
    """An ISO time from the store as the user reads it: local, to the minute ("" for None; a
    value that is not an ISO time, from a hand-edited database, as it is)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class _ArxivThrottle:
    """At most one export.arxiv.org request every 3 s, one at a time, across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0

    def __enter__(self) -> None:
        self._lock.acquire()
        wait = self._last + ARXIV_API_INTERVAL - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def __exit__(self, *exc: object) -> None:
        self._last = time.monotonic()
        self._lock.release()


ARXIV_THROTTLE = _ArxivThrottle()


class FetchCancelled(Exception):
    """The fetch was cancelled (the app is quitting): nothing was stored for this feed."""


def _fetch(
    url: str, state: FeedState, deadline: float, cancel: threading.Event | None
) -> http.FetchResult:
    """http.fetch, but abandoned at once when ``cancel`` is set: the request runs in a daemon
    thread, so quitting the app never waits for a slow server's deadline."""

    def fetch() -> http.FetchResult:
        return http.fetch(
            url, etag=state.etag, last_modified=state.last_modified, deadline=deadline
        )

    if cancel is None:
        return fetch()
    outcome: list[http.FetchResult | BaseException] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append(fetch())
        except BaseException as error:  # handed to the waiting thread below
            outcome.append(error)
        finally:
            done.set()

    threading.Thread(target=run, name="feedtui-fetch", daemon=True).start()
    # Two events cannot be waited on together: check the cancel flag ten times a second.
    while not done.wait(0.1):
        if cancel.is_set():
            raise FetchCancelled
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def refresh_feeds(
    library: Library,
    names: Sequence[str] | None = None,
    *,
    force: bool = False,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[FeedReport], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[FeedReport]:
    """Fetch the library's configured feeds that are due (all with ``force``), or those named,
    one at a time; never raises for a network or feed problem (each report says what
    happened). Setting ``cancel`` stops at once, abandoning a fetch in flight; the feeds done so
    far are returned. Raises ValueError for a name the config does not have."""
    feeds = library.config.feeds
    if names:
        unknown = sorted(set(names) - {f.name for f in feeds})
        if unknown:
            raise ValueError(f"no feed named {unknown[0]!r} in the config")
        feeds = tuple(f for f in feeds if f.name in names)
    reports = []
    for config in feeds:
        if cancel is not None and cancel.is_set():
            break
        if on_start:
            on_start(config.name)
        try:
            report = fetch_feed(library, config, force=force, cancel=cancel)
        except FetchCancelled:
            break
        reports.append(report)
        if on_done:
            on_done(report)
    return reports


def fetch_feed(
    library: Library,
    config: FeedConfig,
    *,
    force: bool = False,
    deadline: float = 30.0,
    cancel: threading.Event | None = None,
) -> FeedReport:
    """Fetch one feed and import its papers. Never raises for network or feed problems, nor
    for the database failing while storing them (disk full...): that is this feed's failure,
    and the next feeds still run. Raises FetchCancelled when ``cancel`` is set while fetching,
    and StoreError when the feed's state cannot even be read."""
    state = library.feed_state(config.name)
    now = datetime.now(UTC)
    if not force:
        reason = why_not_due(config, state, library.config.refresh_minutes, now)
        if reason:
            return FeedReport(config.name, ok=True, note=reason, fetched=False)
    state = replace(state, last_attempt=now_iso())
    try:
        return _fetch_and_import(library, config, state, now, deadline, cancel)
    except StoreError as error:
        message = str(error)
        try:
            library.save_feed_state(replace(state, last_error=message, last_error_at=now_iso()))
        except StoreError:
            message += " (this failure could not be recorded on the feed either)"
        return FeedReport(config.name, ok=False, error=message)


def _fetch_and_import(
    library: Library,
    config: FeedConfig,
    state: FeedState,
    now: datetime,
    deadline: float,
    cancel: threading.Event | None,
) -> FeedReport:
    try:
        url = feed_url(config)
        throttle = ARXIV_THROTTLE if url.startswith(ARXIV_API) else contextlib.nullcontext()
        with throttle:
            result = _fetch(url, state, deadline, cancel)
        if result.not_modified:
            library.save_feed_state(_succeeded(state, config, 0, 0, 0, now))
            return FeedReport(config.name, ok=True, note="not modified since last time")
        parsed = parser_of(config)(result.body)
    except http.RateLimited as error:
        wait = error.retry_after if error.retry_after is not None else 300
        retry_at = (now + timedelta(seconds=wait)).isoformat(timespec="seconds")
        message = f"{error}; will retry after {_clock(retry_at)}"
        library.save_feed_state(
            replace(state, last_error=message, last_error_at=now_iso(), retry_at=retry_at)
        )
        return FeedReport(config.name, ok=False, error=message)
    except http.FetchError as error:
        message = _explain_error_body(config, error)
        library.save_feed_state(replace(state, last_error=message, last_error_at=now_iso()))
        return FeedReport(config.name, ok=False, error=message)
    except (ParseError, ValueError) as error:
        library.save_feed_state(replace(state, last_error=str(error), last_error_at=now_iso()))
        return FeedReport(config.name, ok=False, error=str(error))
    imported = library.import_papers(parsed.papers, config.name)
    state = replace(state, etag=result.etag, last_modified=result.last_modified)
    library.save_feed_state(
        _succeeded(state, config, imported.added, imported.updated, parsed.skipped, now)
    )
    notes = [w for w in parsed.warnings if not w.startswith("skipped")]
    if imported.index_note:
        # Stored, but not yet searchable by the index: say so rather than look complete.
        notes.append(imported.index_note)
    note = "; ".join(notes)
    return FeedReport(
        config.name,
        ok=True,
        added=imported.added,
        updated=imported.updated,
        skipped=parsed.skipped,
        note=note,
        sample_note=_sample_replaced(library) if parsed.papers else "",
    )


def _sample_replaced(library: Library) -> str:
    """A live feed brought papers: the first time, the bundled sample makes way for them."""
    removal = library.remove_sample()
    if removal is None or not removal.removed:
        return ""
    removed, kept = len(removal.removed), removal.kept
    text = f"Removed {removed} sample paper{'s' if removed != 1 else ''} you had not marked"
    if kept:
        text += f"; {kept} marked one{'s are' if kept != 1 else ' is'} kept"
    return text


def _explain_error_body(config: FeedConfig, error: http.FetchError) -> str:
    """arXiv answers a bad category with HTTP 400 and a feed saying what was wrong, and HF
    with {"error": ...}: the parser's reading of that body beats "HTTP 400 Bad Request".
    Read as one sentence: "HTTP 400 Bad Request — arXiv said: ...", "HTTP 404 Not Found —
    the server sent an HTML page, not a feed"; a body that explains nothing adds nothing."""
    if error.body and error.status is not None and 400 <= error.status < 500:
        try:
            parser_of(config)(error.body)
        except ParseError as reason:
            explanation = _explanation(str(reason))
            return f"{error} — {explanation}" if explanation else str(error)
        except Exception:  # the body is only a hint; never let it hide the real error
            return str(error)
    return str(error)


def _explanation(reason: str) -> str:
    """What an error response's body adds to its status line: the server's own words ("arXiv
    said: ..."), or that it was a web page; not that an error page is not a feed."""
    if reason == "not a feed (got HTML)":
        return "the server sent an HTML page, not a feed"
    if reason.startswith(("not ", "refused")):
        return ""
    return reason


def _succeeded(
    state: FeedState, config: FeedConfig, added: int, updated: int, skipped: int, now: datetime
) -> FeedState:
    return replace(
        state,
        last_success=now_iso(),
        last_error=None,
        last_error_at=None,
        retry_at=None,
        added_last=added,
        updated_last=updated,
        skipped_last=skipped,
        fetched_day=fetched_day(config, state, now),
    )
