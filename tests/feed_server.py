"""A local HTTP server on 127.0.0.1 for tests: serves the captured fixtures and crafted failures.

Use the ``feed_server`` fixture (register it with ``pytest_plugins = ["tests.feed_server"]`` in
conftest.py, or import it into a test module)::

    def test_x(feed_server):
        feed_server.route("/slow", body=b"<rss/>", drip=0.5)       # 1 byte every 0.5 s
        feed_server.route("/slower", body=b"<rss/>", header_drip=0.5)  # the headers too
        feed_server.route("/old", status=302, headers={"Location": "file:///etc/passwd"})
        fetch(feed_server.url("/fixtures/arxiv_rss_cs_ai_2026-04-27.xml"))

Every file in ``tests/fixtures`` (vendored: see its README.md) is served under
``/fixtures/<name>`` with a content type that matches its extension. ``feed_server.requests``
records (path, headers) of every request, so a test can check what the client sent
(User-Agent, If-None-Match...).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_CONTENT_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


@dataclass(slots=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering at all; float("inf") = never answer
    drip: float = 0.0  # when > 0: send the body one byte every `drip` seconds
    # 304 when the request carries this ETag in If-None-Match (conditional GET).
    etag: str = ""
    stall_after: int | None = None  # send this many body bytes, then go silent for good
    # when > 0: send the status line and the headers one byte every `header_drip` seconds
    header_drip: float = 0.0


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        # A short poll interval: shutdown() waits for it, at the end of every test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- test API -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        drip: float = 0.0,
        etag: str = "",
        stall_after: int | None = None,
        content_type: str | None = None,
        header_drip: float = 0.0,
    ) -> str:
        """Register (or replace) what ``path`` answers; returns its full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        with self._lock:
            self.routes[path] = Route(
                status, data, all_headers, delay, drip, etag, stall_after, header_drip
            )
        return self.url(path)

    def fixture_url(self, name: str) -> str:
        return self.url(f"/fixtures/{name}")

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()  # wakes every handler that is delaying or dripping
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- serving ------------------------------------------------------------------------
    def _lookup(self, path: str) -> Route | None:
        with self._lock:
            route = self.routes.get(path)
        if route is not None:
            return route
        if path.startswith("/fixtures/"):
            file = FIXTURES / path.removeprefix("/fixtures/")
            if file.parent == FIXTURES and file.is_file():
                content_type = _CONTENT_TYPES.get(file.suffix, "application/octet-stream")
                return Route(body=file.read_bytes(), headers={"Content-Type": content_type})
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append((path, dict(handler.headers.items())))
        route = self._lookup(path)
        if route is None:
            route = Route(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
        if route.delay:
            forever = route.delay == float("inf")
            if self.stopping.wait(None if forever else route.delay):
                # The test is over: hang up without answering (a kept-alive connection would
                # leave the client waiting for its deadline).
                handler.close_connection = True
                return
        try:
            if route.etag and handler.headers.get("If-None-Match") == route.etag:
                handler.send_response(304)
                handler.send_header("ETag", route.etag)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(route.status)
            headers = {"Content-Length": str(len(route.body)), **route.headers}
            if route.etag:
                headers.setdefault("ETag", route.etag)
            for name, value in headers.items():
                handler.send_header(name, value)
            if route.header_drip > 0:
                if self._drip_headers(handler, route.header_drip):
                    return
            else:
                handler.end_headers()
            if route.stall_after is not None:
                handler.wfile.write(route.body[: route.stall_after])
                handler.wfile.flush()
                self.stopping.wait()
            elif route.drip > 0:
                for index in range(len(route.body)):
                    handler.wfile.write(route.body[index : index + 1])
                    handler.wfile.flush()
                    if self.stopping.wait(route.drip):
                        return
            else:
                handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _drip_headers(self, handler: BaseHTTPRequestHandler, every: float) -> bool:
        """Send the buffered status line and headers one byte every ``every`` seconds; True
        when the test ended meanwhile (then hang up)."""
        handler._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]
        head = b"".join(handler._headers_buffer)  # type: ignore[attr-defined]
        handler._headers_buffer = []  # type: ignore[attr-defined]
        for index in range(len(head)):
            handler.wfile.write(head[index : index + 1])
            handler.wfile.flush()
            if self.stopping.wait(every):
                handler.close_connection = True
                return True
        return False


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
