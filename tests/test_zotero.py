"""The Zotero connector client against a stand-in that checks what Zotero checks
(tests/zotero_server.py): the ping first, then one import with the BibTeX, a fresh session
name each time, the connector header, and clear messages when Zotero is not there."""

from __future__ import annotations

import pytest

from tests.feed_server import FeedServer
from tests.zotero_server import ZoteroStandIn
from tui.bibtex import to_bibtex
from tui.config import connector_problem
from tui.handoff.zotero import ZoteroError, ZoteroNotRunning, send_bibtex
from tui.model import Paper

PAPERS = [
    Paper(id="2311.09677", title="R-Tuning: Teaching Models", authors=("Hanning Zhang",),
          published="2023-11-16", arxiv_id="2311.09677"),
    Paper(id="x", title="Слово {о} полку", authors=("Дмитрий Ветров",), published="2024"),
]  # fmt: skip
BIBTEX = "\n".join(to_bibtex(paper) for paper in PAPERS)


def test_ping_then_import_with_what_zotero_needs(zotero_server: ZoteroStandIn) -> None:
    result = send_bibtex(zotero_server.address, BIBTEX, len(PAPERS))
    assert result.added == 2
    ping, imported = zotero_server.requests
    assert (ping.method, ping.path) == ("GET", "/connector/ping")
    assert (imported.method, imported.path) == ("POST", "/connector/import")
    assert imported.headers["x-zotero-connector-api-version"] == "3"
    assert not imported.headers["user-agent"].startswith("Mozilla/")
    assert "origin" not in imported.headers
    assert imported.headers["content-length"] == str(len(BIBTEX.encode()))
    assert imported.query["session"][0].startswith("feedtui-")
    assert zotero_server.imported == [BIBTEX]  # the BibTeX as is, UTF-8


def test_every_import_opens_a_new_session(zotero_server: ZoteroStandIn) -> None:
    # Zotero refuses a session name it has seen (409), and a missing name counts as "null".
    send_bibtex(zotero_server.address, BIBTEX, 2)
    send_bibtex(zotero_server.address, BIBTEX, 2)
    sessions = [r.query["session"][0] for r in zotero_server.requests if r.method == "POST"]
    assert len(set(sessions)) == 2
    assert len(zotero_server.imported) == 2


def test_not_running_names_the_address_and_the_readme(nothing_listening: str) -> None:
    with pytest.raises(ZoteroNotRunning) as caught:
        send_bibtex(nothing_listening, BIBTEX, 2)
    message = str(caught.value)
    assert message.startswith(f"Zotero is not running on {nothing_listening[len('http://') :]}")
    assert "README" in message and "remote session" in message


def test_a_read_only_library_is_said_plainly(zotero_server: ZoteroStandIn) -> None:
    zotero_server.read_only = True
    with pytest.raises(ZoteroError, match="read-only"):
        send_bibtex(zotero_server.address, BIBTEX, 2)


def test_something_else_on_the_port_is_not_taken_for_zotero(feed_server: FeedServer) -> None:
    feed_server.route("/connector/ping", body=b"hello")
    with pytest.raises(ZoteroError, match="is that Zotero"):
        send_bibtex(feed_server.url(""), BIBTEX, 2)


def test_a_body_that_is_not_bibtex_is_refused_by_the_stand_in(
    zotero_server: ZoteroStandIn,
) -> None:
    # The stand-in checks the body the way Zotero's translators do: this proves it can fail.
    with pytest.raises(ZoteroError, match="HTTP 400"):
        send_bibtex(zotero_server.address, "not bibtex at all", 1)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("http://127.0.0.1:23119", ""),
        ("https://zotero.example:443/", ""),
        ("ftp://127.0.0.1:23119", "http"),
        ("127.0.0.1:23119", "http"),
        ("http://:23119", "host"),
        ("http://127.0.0.1:23119/connector", "no path"),
        ("http://user:pw@127.0.0.1:23119", "password"),
        ("http://127.0.0.1:port", "not a URL"),
    ],
)
def test_connector_addresses(address: str, problem: str) -> None:
    found = connector_problem(address)
    assert (problem in found) if problem else found == ""
