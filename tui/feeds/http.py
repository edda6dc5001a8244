"""The one bounded HTTP fetch that every feed source uses.

A feed is untrusted input from the network, so a fetch is bounded in every direction:

- **time**: one overall deadline for the whole fetch (connect, redirects, headers and body).
  Per-read timeouts are not enough: a server that drips one byte every half second never trips
  them. Each request gets the time that is left as its timeouts, the body loop checks the clock,
  and a watchdog, started before the first request is sent, shuts every socket of the fetch
  down at the deadline (httpcore's ``trace`` extension hands it each socket as soon as it is
  connected), so neither a dripped header nor a read that blocks can outlive it. A name lookup
  is the one step nothing can cut (the system resolver has no timeout we can set), so the
  fetch runs in a thread of its own that the caller stops waiting for at the deadline: a
  lookup that hangs is left to end in the background, and the fetch fails in time.
- **size**: a cap on the *decompressed* body. We decode gzip/deflate ourselves with
  ``zlib``'s ``max_length`` so a gzip bomb never expands more than the cap in memory
  (httpx's own decoder inflates a whole network chunk at once: ~64 MB per 64 KB of zeros).
- **place**: only http(s) URLs, checked before any request and again on every redirect, which
  we follow ourselves (at most five, no loops, never to ``file:`` or other schemes).

Every failure is a `FetchError` whose message is one line a user can read.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from tui import __version__
from tui.feeds.watchdog import Watchdog
from tui.links import UnsafeURL, validate_url
from tui.text import clean_inline

USER_AGENT = f"feedtui/{__version__} (+https://github.com/feedtui/feedtui)"
MAX_REDIRECTS = 5
DEFAULT_DEADLINE = 30.0
DEFAULT_MAX_BYTES = 20_000_000
# How much of an error response's body we keep (arXiv explains a bad category in a 400 feed).
ERROR_BODY_MAX = 256_000
# Past the deadline, how long the caller still waits for the fetch's thread to report (the
# watchdog has shut its sockets: only a hung name lookup keeps it longer).
DEADLINE_GRACE = 0.5

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_RATE_LIMIT_CODES = frozenset({429, 503})
# Hugging Face: `RateLimit: "api";r=0;t=143` (IETF draft: t = seconds until the quota resets).
_RATELIMIT_T_RE = re.compile(r"(?:^|[;,\s])t\s*=\s*(\d+)")


class FetchError(Exception):
    """A fetch failed; ``str()`` is one line for the user.

    ``status`` is the HTTP status when the server answered (else None) and ``body`` the first
    bytes of an error response (e.g. arXiv's "Feed error for query" feed on HTTP 400), so a
    caller may ask the source parser for a better reason."""

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class RateLimited(FetchError):
    """HTTP 429 or 503: back off. ``retry_after`` is the wait in seconds the server asked
    for (Retry-After, or Hugging Face's RateLimit header), None when it did not say."""

    def __init__(
        self, message: str, *, status: int, retry_after: float | None, body: bytes = b""
    ) -> None:
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchResult:
    body: bytes  # decompressed; b"" when not_modified
    status: int
    content_type: str  # the Content-Type header as sent ("" if none)
    etag: str  # for the next conditional request ("" if none)
    last_modified: str
    url: str  # the final URL after redirects
    not_modified: bool  # 304: the caller's cached copy is current


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` within ``deadline`` seconds overall, body capped at ``max_bytes`` after
    decompression. Sends If-None-Match / If-Modified-Since when ``etag`` / ``last_modified``
    are given. Raises `FetchError` (or `RateLimited`) with a one-line reason."""
    _check_url(url, what="feed URL")
    give_up_at = time.monotonic() + deadline
    outcome: list[FetchResult | BaseException] = []

    def run() -> None:
        own = client or httpx.Client(follow_redirects=False)
        try:
            outcome.append(_fetch(own, url, etag, last_modified, deadline, give_up_at, max_bytes))
        except BaseException as exc:  # handed to the caller's thread, raised there
            outcome.append(exc)
        finally:
            if client is None:
                own.close()

    worker = threading.Thread(target=run, name="feedtui-fetch", daemon=True)
    worker.start()
    worker.join(max(0.0, give_up_at - time.monotonic()) + DEADLINE_GRACE)
    if not outcome:
        host = urllib.parse.urlsplit(url).hostname or url
        raise FetchError(
            f"timed out after {deadline:g} s (no answer from the name lookup of {host})"
        )
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _fetch(
    client: httpx.Client,
    url: str,
    etag: str,
    last_modified: str,
    deadline: float,
    give_up_at: float,
    max_bytes: int,
) -> FetchResult:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = {url}
    # One watchdog for every hop (a redirect to the same host reuses the connection), armed
    # before anything is sent: connect, the request, the headers and the body are all inside.
    with Watchdog(give_up_at) as watchdog:
        for _hop in range(MAX_REDIRECTS + 1):
            remaining = give_up_at - time.monotonic()
            if remaining <= 0:
                raise _timed_out(deadline)
            request = client.build_request(
                "GET",
                url,
                headers=headers,
                timeout=remaining,
                extensions={"trace": watchdog.trace},
            )
            try:
                response = client.send(request, stream=True, follow_redirects=False)
            except httpx.HTTPError as exc:
                raise _failed(url, exc, watchdog, deadline) from None
            watchdog.watch_response(response)
            try:
                if response.status_code in _REDIRECT_CODES:
                    url = _next_hop(url, response, seen)
                    continue
                return _finish(response, url, deadline, give_up_at, max_bytes)
            except httpx.HTTPError as exc:
                raise _failed(url, exc, watchdog, deadline) from None
            finally:
                response.close()
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _failed(url: str, exc: httpx.HTTPError, watchdog: Watchdog, deadline: float) -> FetchError:
    # A read cut short by the watchdog surfaces as a protocol or read error.
    if isinstance(exc, httpx.TimeoutException) or watchdog.fired:
        return _timed_out(deadline)
    return _connection_error(url, exc)


def _finish(
    response: httpx.Response, url: str, deadline: float, give_up_at: float, max_bytes: int
) -> FetchResult:
    status = response.status_code
    if status == 304:
        return _result(response, url, b"", not_modified=True)
    if not 200 <= status < 300:
        body = _read_error_body(response, give_up_at)
        reason = _status_line(status)
        if status in _RATE_LIMIT_CODES:
            retry_after = _retry_after(response.headers)
            when = f", retry in {retry_after:.0f} s" if retry_after is not None else ""
            raise RateLimited(
                f"rate limited ({reason}{when})", status=status, retry_after=retry_after, body=body
            )
        raise FetchError(reason, status=status, body=body)
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > max_bytes and encoding in ("", "identity"):
        raise _too_large(max_bytes)
    body = _read_body(response, encoding, deadline, give_up_at, max_bytes)
    return _result(response, url, body, not_modified=False)


def _result(response: httpx.Response, url: str, body: bytes, not_modified: bool) -> FetchResult:
    headers = response.headers
    return FetchResult(
        body=body,
        status=response.status_code,
        content_type=headers.get("content-type", ""),
        etag=headers.get("etag", ""),
        last_modified=headers.get("last-modified", ""),
        url=url,
        not_modified=not_modified,
    )


def _read_body(
    response: httpx.Response, encoding: str, deadline: float, give_up_at: float, max_bytes: int
) -> bytes:
    decoder = _Decoder(encoding, max_bytes)
    for raw in response.iter_raw():
        if time.monotonic() >= give_up_at:
            raise _timed_out(deadline)
        decoder.feed(raw)
    return decoder.finish()


def _read_error_body(response: httpx.Response, give_up_at: float) -> bytes:
    """The start of an error response, best effort: never fails the fetch a second time."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    try:
        decoder = _Decoder(encoding, ERROR_BODY_MAX)
        for raw in response.iter_raw():
            if time.monotonic() >= give_up_at:
                return b""
            decoder.feed(raw)
        return decoder.finish()
    except (FetchError, httpx.HTTPError):
        return b""


class _Decoder:
    """Content-Encoding decoding with a hard cap on the output: ``zlib`` is asked for at most
    one byte more than the room left, so a bomb stops at the cap instead of in memory."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0
        self._zlib: Any = None
        self._wbits = 0
        if encoding in ("", "identity"):
            return
        if encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS
        else:
            raise FetchError(f"unsupported Content-Encoding: {clean_inline(encoding, 40)}")
        self._zlib = zlib.decompressobj(self._wbits)

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._append(data)
            return
        while data:
            room = self._max_bytes - self._size
            try:
                out = self._zlib.decompress(data, room + 1)
            except zlib.error as exc:
                if self._wbits == zlib.MAX_WBITS and self._size == 0:
                    # Some servers send raw deflate without the zlib header.
                    self._wbits = -zlib.MAX_WBITS
                    self._zlib = zlib.decompressobj(self._wbits)
                    continue
                raise FetchError(f"corrupt compressed response ({exc})") from None
            self._append(out)
            if self._zlib.eof and self._zlib.unused_data:
                # Concatenated gzip members are valid gzip: start the next one.
                data = self._zlib.unused_data
                self._zlib = zlib.decompressobj(self._wbits)
            else:
                data = self._zlib.unconsumed_tail

    def finish(self) -> bytes:
        if self._zlib is not None:
            self._append(self._zlib.flush())
        return b"".join(self._chunks)

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max_bytes:
            raise _too_large(self._max_bytes)
        if data:
            self._chunks.append(data)


def _check_url(url: str, *, what: str) -> None:
    try:
        validate_url(url)
    except UnsafeURL as exc:
        raise FetchError(f"refused {what} {_show(url)}: {exc}") from None


def _next_hop(url: str, response: httpx.Response, seen: set[str]) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"{_status_line(response.status_code)} without a Location header")
    try:
        target = urllib.parse.urljoin(url, location)
    except ValueError:
        raise FetchError(f"refused redirect to {_show(location)}") from None
    scheme = target.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refused redirect to {_show(target)}")
    try:
        validate_url(target)
    except UnsafeURL as exc:
        raise FetchError(f"refused redirect to {_show(target)}: {exc}") from None
    if target in seen:
        raise FetchError(f"refused redirect loop (back to {_show(target)})")
    seen.add(target)
    return target


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    if value:
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    match = _RATELIMIT_T_RE.search(headers.get("ratelimit", ""))
    if match:
        return float(match.group(1))
    return None


def _status_line(status: int) -> str:
    try:
        phrase = httpx.codes.get_reason_phrase(status)
    except ValueError:  # pragma: no cover - httpx returns "" for unknown codes
        phrase = ""
    return f"HTTP {status} {phrase}".strip()


def _timed_out(deadline: float) -> FetchError:
    return FetchError(f"timed out after {deadline:g} s")


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(f"feed too large (over {max_bytes / 1_000_000:g} MB)")


def _connection_error(url: str, exc: Exception) -> FetchError:
    host = _show(httpx.URL(url).host) if "://" in url else "the server"
    reason = _first_line(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return FetchError(f"could not connect to {host}: {reason}")
    return FetchError(f"connection to {host} failed: {reason}")


def _first_line(exc: BaseException) -> str:
    # httpx wraps socket errors; the innermost message is the readable one.
    seen: set[int] = set()
    inner: BaseException | None = exc
    message = ""
    while inner is not None and id(inner) not in seen:
        seen.add(id(inner))
        text = str(inner).strip()
        if text:
            message = text
        inner = inner.__cause__ or inner.__context__
    return clean_inline(message.splitlines()[0] if message else "", 200)


def _show(text: str) -> str:
    """Server- or user-supplied text in a message: one clean, short line."""
    return clean_inline(text, 200)
