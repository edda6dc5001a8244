"""One library, many processes: the TUI shows what other processes stored, a key sets what the
user saw it would set, and a mark never waits on the event loop for the database.

The other process is real (`python -m tui mark ...`, a child that imports and indexes papers);
the TUI notices through SQLite's data_version on a timer (CHECK_ELSEWHERE_SECONDS) and the
tests wait for what the user would see, never for a fixed time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.app.conftest import main_screen, notifications, paper_list, settle, wait_until
from tui.app.app import FeedApp
from tui.library import Library
from tui.store import StoreError

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]


def feedtui(*args: str) -> None:
    """`feedtui ARGS` in another process, on the same FEEDTUI_HOME (the test's)."""
    subprocess.run([sys.executable, "-m", "tui", *args], cwd=REPO, check=True, timeout=60)


async def test_marks_made_elsewhere_show_and_a_key_sets_what_the_user_saw(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        paper_id = paper_list(app).current_id or ""
        assert "Status     unread" in screen.preview.text
        feedtui("mark", paper_id, "--read", "--saved")  # another shell, same library
        await wait_until(pilot, lambda: "Status     read · saved" in screen.preview.text, 15)
        assert paper_list(app).current_id == paper_id  # the refill kept the cursor
        assert screen.status.status.unread == library.counts().unread
        await pilot.press("r")  # the user sees "read": r means "mark it unread"
        await settle(pilot)
        await wait_until(pilot, lambda: library.get(paper_id).read is False)  # type: ignore[union-attr]
        assert library.get(paper_id).saved is True  # type: ignore[union-attr]


async def test_a_key_sets_the_opposite_of_the_shown_mark_even_before_the_refill(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        # Another connection marks it read; the row still shows unread (no check has run).
        other = Library.open()
        other.set_marks({paper_id: True}, "read")
        other.close()
        await pilot.press("r")  # what the user saw was "unread": r means "mark it read"
        await settle(pilot)
        await wait_until(pilot, lambda: library.get(paper_id).read is True)  # type: ignore[union-attr]


async def test_papers_stored_and_indexed_elsewhere_are_listed_and_found(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        before = library.counts().total
        child = textwrap.dedent(
            """
            from tui.library import Library
            from tui.model import Paper
            library = Library.open()
            paper = Paper(id="2901.99999", title="Zyzzyva lattices everywhere", abstract="x")
            library.import_papers([paper], feed="elsewhere")
            library.ensure_index()
            library.close()
            """
        )
        subprocess.run([sys.executable, "-c", child], cwd=REPO, check=True, timeout=60)
        await wait_until(pilot, lambda: screen.status.status.total == before + 1, 15)
        await settle(pilot)
        assert "2901.99999" in paper_list(app).ids
        await pilot.press("slash", *"zyzzyva")
        await settle(pilot)
        assert paper_list(app).ids == ["2901.99999"]  # the index searcher sees it too


async def test_a_mark_waiting_for_the_database_does_not_freeze_the_keys(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    real = library.set_marks

    def slow(values: dict[str, bool], mark: str) -> None:
        released.wait(30)  # another process holds the database
        real(values, mark)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "set_marks", slow)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        paper_id = listed.current_id or ""
        await pilot.press("r")
        await pilot.pause()
        row = listed._row(0, listed.scrollable_content_region.width).plain
        assert row.startswith("    ")  # the unread dot is gone at once
        assert "Status     read" in main_screen(app).preview.text
        await pilot.press("j", "j")  # keys still work while the write waits
        assert listed.cursor == 2
        assert library.get(paper_id).read is False  # type: ignore[union-attr]
        released.set()
        await wait_until(pilot, lambda: library.get(paper_id).read is True)  # type: ignore[union-attr]


async def test_a_locked_database_is_retried_and_a_failed_mark_is_reported(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = library.set_marks
    refusals = {"left": 1}

    def locked_once(values: dict[str, bool], mark: str) -> None:
        if refusals["left"]:
            refusals["left"] -= 1
            raise StoreError("Could not mark read in the database: database is locked")
        real(values, mark)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "set_marks", locked_once)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        await pilot.press("s")
        await wait_until(pilot, lambda: library.get(paper_id).saved is True)  # type: ignore[union-attr]
        assert not any("Could not save" in text for text in notifications(app))

        def refuse(values: dict[str, bool], mark: str) -> None:
            raise StoreError("Could not mark saved in the database: disk I/O error")

        monkeypatch.setattr(library, "set_marks", refuse)
        await pilot.press("s")
        await wait_until(pilot, lambda: any("Could not save" in t for t in notifications(app)))
        await settle(pilot)
        # The row shows what is stored again: still saved.
        assert paper_list(app)._row(0, 80).plain.startswith(" ●★")
