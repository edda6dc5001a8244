"""`feedtui watch` and `feedtui digest` on the bundled sample: what a status bar, a cron job
and a mail reader get."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tui.cli import main
from tui.cli.digest import parse_since
from tui.config import Config
from tui.library import Library
from tui.model import Paper


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add_papers(*papers: Paper) -> None:
    library = Library.open(config=Config(feeds=()))
    try:
        library.import_papers(list(papers), "cron")
    finally:
        library.close()


AGENT_PAPERS = [
    Paper(
        id=f"2999.0000{n}",
        title=f"Agents that plan {n}",
        authors=("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"),
        abstract="An agent benchmark.",
        published=f"2029-01-0{n}",
        url=f"https://arxiv.org/abs/2999.0000{n}",
        code_url="https://github.com/x/y" if n == 1 else "",
        upvotes=10 * n,
    )
    for n in (1, 2, 3)
]


def test_watch_add_list_show_seen_remove(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "watch", "add", "agents", "agent")
    assert code == 0 and "watch 'agents' added: 30 papers match" in out
    code, _, err = run(capsys, "watch", "add", "agents", "other")
    assert code == 1 and "exists already" in err
    add_papers(*AGENT_PAPERS)
    code, out, _ = run(capsys, "watch", "list", "--json")
    [listed] = json.loads(out)
    assert {k: listed[k] for k in ("name", "query", "new", "total")} == {
        "name": "agents",
        "query": "agent",
        "new": 3,
        "total": 33,
    }
    code, out, _ = run(capsys, "watch", "list")
    assert out.splitlines() == ["agents\t3 new\t33\tagent"]
    code, out, _ = run(capsys, "watch", "show", "agents", "--new", "--json")
    assert sorted(item["id"] for item in json.loads(out)) == [p.id for p in AGENT_PAPERS]
    assert {"title", "authors", "url", "code_url", "read", "saved"} <= set(json.loads(out)[0])
    code, out, err = run(capsys, "watch", "show", "agents", "--limit", "2")
    assert len(out.splitlines()) == 2 and "2 of 33" in err
    assert run(capsys, "watch", "seen", "agents")[0] == 0
    code, out, err = run(capsys, "watch", "show", "agents", "--new")
    assert out == "" and "nothing new" in err
    assert json.loads(run(capsys, "watch", "list", "--json")[1])[0]["new"] == 0
    code, _, err = run(capsys, "watch", "remove", "nope")
    assert code == 1 and "no watch named 'nope' (watches: agents)" in err
    assert run(capsys, "watch", "remove", "agents")[0] == 0
    code, out, err = run(capsys, "watch", "list")
    assert out == "" and "no watches yet" in err


def test_any_query_the_search_language_accepts_is_a_watch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    queries = ['au:"Yann LeCun"', "ti:diffusion has:code", '"state space" -survey', "is:unread"]
    for n, query in enumerate(queries):
        assert run(capsys, "watch", "add", f"w{n}", query)[0] == 0
    listed = json.loads(run(capsys, "watch", "list", "--json")[1])
    assert [item["query"] for item in listed] == queries
    assert listed[3]["total"] == 85  # every sample paper is unread
    library = Library.open(config=Config(feeds=()))
    for item in listed:  # the counts of the same search, typed with a space after it
        assert item["total"] == library.search(item["query"] + " ").total, item
    library.close()


def test_digest_markdown_lists_new_papers_per_watch_then_rising(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "watch", "add", "agents", "agent")
    add_papers(*AGENT_PAPERS)
    add_papers(Paper(id="2999.00003", title="Agents that plan 3", upvotes=99))  # rose by 69
    code, out, _ = run(capsys, "digest")
    assert code == 0
    assert "## agents: 3 new since you last looked (33 in all)" in out
    assert "1. **[Agents that plan" in out
    assert "Ada Lovelace, Alan Turing, Grace Hopper et al." in out
    assert "[code](https://github.com/x/y)" in out
    rising = out.split("## Rising over the last 24h")[1]
    assert "Agents that plan 3" in rising and "▲ 99 (+69)" in rising
    # Reading a digest does not move the seen mark.
    assert json.loads(run(capsys, "watch", "list", "--json")[1])[0]["new"] == 3


def test_digest_json_since_a_window(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "watch", "add", "agents", "agent")
    run(capsys, "watch", "seen", "agents")
    add_papers(*AGENT_PAPERS)
    run(capsys, "watch", "seen", "agents")
    code, out, _ = run(capsys, "digest", "--since", "1d", "--format", "json", "--watch", "agents")
    data = json.loads(out)
    [section] = data["watches"]
    # Everything stored in the last day, sample included, whatever was seen.
    assert (section["name"], section["new"], section["total"]) == ("agents", 33, 33)
    assert data["since"] and data["rising"] == []
    code, _, err = run(capsys, "digest", "--since", "yesterday")
    assert code == 1 and "give hours or days" in err
    code, _, err = run(capsys, "digest", "--watch", "nope")
    assert code == 1 and "no watch named 'nope'" in err


def test_digest_markdown_escapes_what_markdown_would_read() -> None:
    from tui.cli.digest import _md

    assert _md("[x](javascript:y) *b*") == "\\[x\\]\\(javascript:y\\) \\*b\\*"


def test_since_accepts_windows_and_dates() -> None:
    now = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)
    assert parse_since("1d", now) == "2026-12-01T12:00:00+00:00"
    assert parse_since("12h", now) == "2026-12-02T00:00:00+00:00"
    assert parse_since("2026-11-30", now) == "2026-11-30T00:00:00+00:00"
