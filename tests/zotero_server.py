"""A stand-in for the Zotero desktop app's connector server, on 127.0.0.1, for tests.

It checks what Zotero's own server checks and answers as Zotero answers (read from Zotero's
chrome/content/zotero/xpcom/server/server.js, server_connector.js and saveSession.js):

- unknown path: 404 "No endpoint found"; HEAD and OPTIONS: 200;
- a request that looks like a browser's (User-Agent starting "Mozilla/", or an Origin header)
  without ``X-Zotero-Connector-API-Version`` or ``Zotero-Allowed-Request``: the connection is
  dropped with no answer;
- ``/connector/ping``: GET and POST; GET answers 200 text/html "Zotero is running";
- ``/connector/import``: POST only (else 400 "Endpoint does not support method"), a
  Content-Length is required (400 "Content-length not provided"), any Content-Type; a body no
  import translator recognises gets 400 (here: anything that is not BibTeX entries); the save
  session named by ``?session=`` must be new (a missing name is the name "null"), else 409
  ``{"error": "SESSION_EXISTS"}``; a read-only library gives 500 ``{"libraryEditable": false}``;
  success is 201 with a JSON list of the created items.

Every answer carries ``X-Zotero-Version`` and ``X-Zotero-Connector-API-Version: 3``. What was
imported is kept in ``imported`` (one BibTeX text per import) for the test to read.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

CONNECTOR_API_VERSION = "3"
ZOTERO_VERSION = "7.0.11"
_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s{}]+)\s*,")
_TITLE = re.compile(r"^\s*title\s*=\s*\{(.*)\},\s*$", re.MULTILINE)


@dataclass(slots=True)
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True)
class ZoteroStandIn:
    address: str = ""
    requests: list[Seen] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)
    read_only: bool = False  # the library selected in Zotero cannot be written


def looks_like_bibtex(text: str) -> list[str]:
    """The titles of the BibTeX entries in ``text``; [] when it is not BibTeX with balanced
    braces (what Zotero's BibTeX translator would refuse to detect or parse)."""
    entries = _ENTRY.findall(text)
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return []
    if not entries or depth != 0:
        return []
    return _TITLE.findall(text)


def _handler(state: ZoteroStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # as Zotero's own server answers

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _answer(self, status: int, content_type: str = "", body: bytes = b"") -> None:
            self.send_response(status)
            self.send_header("X-Zotero-Version", ZOTERO_VERSION)
            self.send_header("X-Zotero-Connector-API-Version", CONNECTOR_API_VERSION)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            length_text = headers.get("content-length", "")
            body = b""
            if method == "POST" and length_text.isdigit():
                body = self.rfile.read(int(length_text))
            state.requests.append(Seen(method, parts.path, parse_qs(parts.query), headers, body))
            if parts.path not in ("/connector/ping", "/connector/import"):
                self._answer(404, "text/plain", b"No endpoint found\n")
                return
            if method in ("HEAD", "OPTIONS"):
                self._answer(200)
                return
            if method == "POST" and not length_text.isdigit():
                self._answer(400, "text/plain", b"Content-length not provided\n")
                return
            browser = headers.get("user-agent", "").startswith("Mozilla/") or "origin" in headers
            allowed = "x-zotero-connector-api-version" in headers
            if browser and not allowed and "zotero-allowed-request" not in headers:
                self.close_connection = True  # Zotero cancels the response: no answer at all
                return
            if parts.path == "/connector/ping":
                self._ping(method)
            else:
                self._import(method, parts.query, body)

        def _ping(self, method: str) -> None:
            if method == "GET":
                page = b"<!DOCTYPE html><html><body>Zotero is running</body></html>"
                self._answer(200, "text/html", page)
            else:
                self._answer(200, "application/json", json.dumps({"prefs": {}}).encode())

        def _import(self, method: str, query: str, body: bytes) -> None:
            if method != "POST":
                self._answer(400, "text/plain", b"Endpoint does not support method\n")
                return
            titles = looks_like_bibtex(body.decode("utf-8", errors="replace"))
            if not titles:
                self._answer(400)  # no import translator recognised the body
                return
            if state.read_only:
                self._answer(500, "application/json", b'{"libraryEditable": false}')
                return
            session = parse_qs(query).get("session", ["null"])[0]
            if session in state.sessions:
                self._answer(409, "application/json", b'{"error": "SESSION_EXISTS"}')
                return
            state.sessions.add(session)
            state.imported.append(body.decode("utf-8"))
            items = [{"itemType": "preprint", "title": title} for title in titles]
            self._answer(201, "application/json", json.dumps(items).encode())

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def do_HEAD(self) -> None:
            self._handle("HEAD")

        def do_OPTIONS(self) -> None:
            self._handle("OPTIONS")

        def do_PUT(self) -> None:
            self._answer(501, "text/plain", b"Method not implemented\n")

    return Handler


@pytest.fixture
def zotero_server() -> Iterator[ZoteroStandIn]:
    state = ZoteroStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.address = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nothing_listening() -> str:
    """An address on 127.0.0.1 where nothing listens (Zotero is not running)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
