"""The deadline of one fetch, made to hold: `Watchdog` shuts the fetch's sockets down when its
time is up (tui.feeds.http arms it before the first request is sent)."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

import httpx


class Watchdog:
    """Shuts every socket of one fetch down at the deadline. A blocked ``recv`` then returns at
    once (``close()`` from another thread would not wake it), so no read (of a header byte, of
    the body) can outlast the deadline by the length of a read timeout.

    It is armed before the first request; `trace` (httpcore's trace extension) hands it each
    socket the moment it is connected, before the TLS handshake and the request, and
    `watch_response` the one a response came on (a connection reused from the pool). It keeps
    a duplicate of each socket's descriptor: shutdown() acts on the connection itself, whatever
    wraps the original (TLS detaches it) or closes it meanwhile."""

    def __init__(self, give_up_at: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, give_up_at - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            socks, self._socks = self._socks, []
        for sock in socks:
            sock.close()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith("connect_tcp.complete"):
            self._watch_stream(info.get("return_value"))

    def watch_response(self, response: httpx.Response) -> None:
        self._watch_stream(response.extensions.get("network_stream"))

    def _watch_stream(self, stream: object) -> None:
        get_info = getattr(stream, "get_extra_info", None)
        sock = get_info("socket") if get_info is not None else None
        if not isinstance(sock, socket.socket):
            return  # a test transport or an unusual stream: the clock checks still apply
        try:
            twin = socket.socket(fileno=os.dup(sock.fileno()))
        except OSError:
            return  # already closed
        with self._lock:
            if not self.fired:
                self._socks.append(twin)
                return
        _shutdown(twin)  # connected after the deadline: cut it at once
        twin.close()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)
