"""The test suite's network block: only loopback (127.0.0.0/8, ::1, localhost) is reachable.

tests/conftest.py installs it in the pytest process at start, and puts this folder first on
PYTHONPATH for the whole run, so every Python process a test spawns (``python -m tui`` on a pty,
a crash-loop child...) imports this file as its ``sitecustomize`` and is blocked the same way.
Nothing outside the test run adds this folder to the path.

Blocked calls raise `NetworkBlocked` (an OSError, like a real unreachable network) naming the
host, *before* anything is sent: names other than localhost are never even looked up.
Standard library only: it runs before anything else is importable.
"""

from __future__ import annotations

import socket
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})
_original: dict[str, Any] = {}


class NetworkBlocked(OSError):
    """A test tried to reach a host that is not this machine."""

    def __init__(self, host: object, port: object = None, how: str = "connect to") -> None:
        where = f"{host}:{port}" if port is not None else f"{host}"
        super().__init__(
            f"the feedtui tests never use the network: refused to {how} {where} "
            "(only 127.0.0.1, ::1 and localhost are allowed; serve the data from the local "
            "test server, tests/feed_server.py)"
        )
        self.host = host


def is_loopback(host: object) -> bool:
    """True for localhost and loopback addresses (and no host at all: a passive lookup)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or not host.strip():
        return False  # "" would be INADDR_ANY: not a name anyone means to reach
    name = host.strip().lower().split("%", 1)[0].strip("[]")
    if name in LOOPBACK_NAMES:
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _check_address(address: object, how: str = "connect to") -> None:
    # AF_UNIX addresses are paths (str/bytes), AF_INET/AF_INET6 ones are tuples.
    if isinstance(address, tuple) and address:
        host = address[0]
        port = address[1] if len(address) > 1 else None
        if not is_loopback(host):
            raise NetworkBlocked(host, port, how)


def _connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _original["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _original["connect_ex"](self, address)


def _sendto(self: socket.socket, data: Any, *args: Any) -> Any:
    # sendto(data, address) or sendto(data, flags, address): the address is the last one.
    if args and self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(args[-1], "send to")
    return _original["sendto"](self, data, *args)


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
    _check_address(tuple(address))
    return _original["create_connection"](address, *args, **kwargs)


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not is_loopback(host):
        raise NetworkBlocked(host, port, "look up")
    return _original["getaddrinfo"](host, port, *args, **kwargs)


def _gethostbyname(host: Any) -> Any:
    if not is_loopback(host):
        raise NetworkBlocked(host, None, "look up")
    return _original["gethostbyname"](host)


def _gethostbyname_ex(host: Any) -> Any:
    if not is_loopback(host):
        raise NetworkBlocked(host, None, "look up")
    return _original["gethostbyname_ex"](host)


def install() -> None:
    """Block non-loopback connections and lookups in this process (idempotent)."""
    if _original:
        return
    for name, replacement in (
        ("connect", _connect),
        ("connect_ex", _connect_ex),
        ("sendto", _sendto),
    ):
        _original[name] = getattr(socket.socket, name)
        setattr(socket.socket, name, replacement)
    for name, replacement in (
        ("create_connection", _create_connection),
        ("getaddrinfo", _getaddrinfo),
        ("gethostbyname", _gethostbyname),
        ("gethostbyname_ex", _gethostbyname_ex),
    ):
        _original[name] = getattr(socket, name)
        setattr(socket, name, replacement)


def installed() -> bool:
    return bool(_original)


if __name__ == "sitecustomize":  # imported by a child Python started by a test
    install()
