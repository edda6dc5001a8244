"""Copying tells the truth: what reached which clipboard, and the link itself."""

from __future__ import annotations

import threading

import pytest

from tests.app.conftest import notifications, paper_list, settle
from tui.app.app import FeedApp
from tui.app.clipboard import ClipboardUnavailable, copy_text, copy_to_system_clipboard
from tui.app.screens.main import MainScreen
from tui.library import Library

pytestmark = pytest.mark.anyio


def index_where(library: Library, ids: list[str], has_code: bool) -> int:
    entries = library.entries(ids)
    return next(i for i, pid in enumerate(ids) if bool(entries[pid].paper.code_url) == has_code)


async def test_y_copies_the_code_link_through_osc52(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = paper_list(app).ids
        target = index_where(library, ids, has_code=True)
        await pilot.press(*["j"] * target, "y")
        await settle(pilot)
        url = library.get(ids[target]).paper.code_url  # type: ignore[union-attr]
        assert url.startswith("https://")
        assert app.clipboard == url
        # No clipboard tool on this machine: the message must not claim "Copied".
        assert f"Sent to terminal clipboard (OSC 52): {url}" in notifications(app)
        assert not any(text.startswith("Copied") for text in notifications(app))


async def test_y_on_a_paper_without_code_says_so(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        target = index_where(library, paper_list(app).ids, has_code=False)
        await pilot.press(*["j"] * target, "y")
        await settle(pilot)
        assert "No code repository found for this paper" in notifications(app)
        assert app.clipboard == ""


async def test_Y_copies_the_paper_link_and_b_the_bibtex(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entry = library.get(paper_list(app).current_id or "")
        assert entry is not None and entry.paper.arxiv_id
        await pilot.press("Y")
        await settle(pilot)
        assert app.clipboard == f"https://arxiv.org/abs/{entry.paper.arxiv_id}"
        await pilot.press("b")
        await settle(pilot)
        assert app.clipboard == library.bibtex(entry.paper.id)
        assert app.clipboard.startswith("@")
        assert any(
            text.startswith("Sent to terminal clipboard (OSC 52): BibTeX @")
            for text in notifications(app)
        )


def test_a_hanging_clipboard_tool_times_out() -> None:
    release = threading.Event()
    try:
        with pytest.raises(ClipboardUnavailable, match="did not answer"):
            copy_to_system_clipboard("x", timeout=0.2, copier=lambda text: release.wait())  # type: ignore[arg-type]
    finally:
        release.set()


def test_a_failing_clipboard_tool_is_reported() -> None:
    def missing(text: str) -> None:
        raise FileNotFoundError("clip.exe")

    with pytest.raises(ClipboardUnavailable, match=r"clip\.exe"):
        copy_to_system_clipboard("x", copier=missing)


async def test_copied_only_when_the_system_clipboard_took_it(library: Library) -> None:
    taken: list[str] = []
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        worker = copy_text(screen, "https://example.org/[b]x[/b]", copier=taken.append)
        await worker.wait()
        await pilot.pause()
        assert worker.result is True
        assert taken == ["https://example.org/[b]x[/b]"]
        assert app.clipboard == "https://example.org/[b]x[/b]"
        assert "Copied: https://example.org/[b]x[/b]" in notifications(app)
        # Text we did not write is never parsed as markup.
        assert all(not n.markup for n in app._notifications if n.message.startswith("Copied"))
