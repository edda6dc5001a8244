"""Sending papers to the running Zotero desktop app through its local connector server.

What the connector checks (Zotero's chrome/content/zotero/xpcom/server/server.js and
server_connector.js) and what this client does about it:

- it listens on 127.0.0.1:23119 only; nothing listening means Zotero is not running (or, in an
  SSH session, that the port is not forwarded: README, "Zotero from a remote session");
- ``/connector/ping`` answers GET with 200 and an HTML "Zotero is running" page;
- ``/connector/import`` takes POST only, needs a Content-Length (400 without), accepts any
  Content-Type, runs the import translator that recognises the body (400 when none does) and
  answers 201 with a JSON list of the items it created;
- a request that looks like a browser's (a User-Agent starting "Mozilla/" or an Origin header)
  is dropped unless it carries ``X-Zotero-Connector-API-Version`` (we send it, with our own
  User-Agent and no Origin);
- each import opens a save session named by the ``session`` query parameter; a name already in
  use gets 409 SESSION_EXISTS, and a missing one counts as the name "null", so every import
  sends a fresh random name;
- 500 with ``{"libraryEditable": false}`` when the selected library is read-only.
"""

from __future__ import annotations

import json
import secrets
import urllib.parse
from dataclasses import dataclass

import httpx

from tui import __version__
from tui.config import connector_problem
from tui.text import clean_inline

DEFAULT_CONNECTOR = "http://127.0.0.1:23119"
CONNECTOR_API_VERSION = "3"  # the version Zotero 7's connector server speaks
PING_TIMEOUT = 3.0  # a local server answers a ping at once
IMPORT_TIMEOUT = 60.0  # Zotero may take a while to translate and save many entries
README_SECTION = "README: “Zotero from a remote session”"
USER_AGENT = f"feedtui/{__version__}"


class ZoteroError(Exception):
    """Sending to Zotero failed; ``str()`` is one line for the user."""


class ZoteroNotRunning(ZoteroError):
    """Nothing answered at the connector address."""


@dataclass(frozen=True, slots=True)
class ZoteroResult:
    added: int  # items Zotero says it created


def where(address: str) -> str:
    """``127.0.0.1:23119`` for messages."""
    parts = urllib.parse.urlsplit(address)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def not_running_message(address: str) -> str:
    return (
        f"Zotero is not running on {where(address)} "
        f"(start Zotero; over SSH forward the port: {README_SECTION})"
    )


def send_bibtex(
    address: str, bibtex: str, count: int, *, client: httpx.Client | None = None
) -> ZoteroResult:
    """Ping the connector, then import ``bibtex`` (``count`` entries) into the library selected
    in Zotero. Raises ZoteroNotRunning or ZoteroError with a one-line reason."""
    problem = connector_problem(address)
    if problem:
        raise ZoteroError(f"zotero_connector {clean_inline(address, 200)!r}: {problem}")
    base = address.rstrip("/")
    own = client is None
    http = client or httpx.Client(follow_redirects=False, trust_env=False)
    headers = {"User-Agent": USER_AGENT, "X-Zotero-Connector-API-Version": CONNECTOR_API_VERSION}
    try:
        _ping(http, base, headers, address)
        body = bibtex.encode("utf-8")
        response = _request(
            http,
            "POST",
            f"{base}/connector/import",
            address,
            params={"session": f"feedtui-{secrets.token_hex(8)}"},
            headers={**headers, "Content-Type": "text/plain; charset=utf-8"},
            content=body,
            timeout=IMPORT_TIMEOUT,
        )
    finally:
        if own:
            http.close()
    if response.status_code != 201:
        raise ZoteroError(_refusal(response))
    return ZoteroResult(_items_created(response, count))


def _ping(http: httpx.Client, base: str, headers: dict[str, str], address: str) -> None:
    response = _request(
        http, "GET", f"{base}/connector/ping", address, headers=headers, timeout=PING_TIMEOUT
    )
    if response.status_code != 200 or "zotero" not in response.text.lower():
        raise ZoteroError(
            f"{where(address)} answered the ping with HTTP {response.status_code}: "
            "is that Zotero? (zotero_connector in the config)"
        )


def _request(
    http: httpx.Client, method: str, url: str, address: str, **options: object
) -> httpx.Response:
    try:
        return http.request(method, url, **options)  # type: ignore[arg-type]
    except httpx.ConnectError:
        raise ZoteroNotRunning(not_running_message(address)) from None
    except httpx.TimeoutException:
        raise ZoteroError(f"Zotero on {where(address)} did not answer in time") from None
    except httpx.HTTPError as error:
        reason = clean_inline(str(error), 200) or type(error).__name__
        raise ZoteroError(f"Could not talk to Zotero on {where(address)}: {reason}") from None


def _refusal(response: httpx.Response) -> str:
    status = response.status_code
    text = clean_inline(response.text, 200)
    if status == 400:
        return f"Zotero refused the import (HTTP 400: {text or 'it did not recognise BibTeX'})"
    if status == 409:
        return "Zotero is busy with another save session (HTTP 409): try again"
    if status == 500 and "libraryEditable" in response.text:
        return "The library selected in Zotero is read-only: choose My Library and try again"
    return f"Zotero answered HTTP {status}" + (f": {text}" if text else "")


def _items_created(response: httpx.Response, sent: int) -> int:
    try:
        items = json.loads(response.text)
    except ValueError:
        return sent
    return len(items) if isinstance(items, list) else sent


__all__ = [
    "DEFAULT_CONNECTOR",
    "ZoteroError",
    "ZoteroNotRunning",
    "ZoteroResult",
    "not_running_message",
    "send_bibtex",
]
