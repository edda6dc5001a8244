"""Opening links: validated first, launched off the event loop, never a console browser."""

from __future__ import annotations

import sqlite3
import webbrowser

import pytest

from tests.app.conftest import notifications, paper_list, settle
from tui.app.app import FeedApp
from tui.app.browser import BrowserUnavailable, open_in_browser
from tui.library import Library
from tui.links import UnsafeURL
from tui.model import Paper

pytestmark = pytest.mark.anyio


class RecordingBrowser(webbrowser.BaseBrowser):
    """Stands in for the user's browser (the system boundary), remembering what it got."""

    def __init__(self) -> None:
        super().__init__("recording")
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> RecordingBrowser:
    recording = RecordingBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: recording)
    return recording


async def test_o_and_p_open_the_paper_page_and_pdf(
    library: Library, browser: RecordingBrowser
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entry = library.get(paper_list(app).current_id or "")
        assert entry is not None and entry.paper.arxiv_id
        await pilot.press("o", "p")
        await settle(pilot)
        assert browser.opened == [
            f"https://arxiv.org/abs/{entry.paper.arxiv_id}",
            f"https://arxiv.org/pdf/{entry.paper.arxiv_id}",
        ]
        assert library.get(entry.paper.id).read is False  # type: ignore[union-attr]


async def test_an_unsafe_link_is_never_opened(library: Library, browser: RecordingBrowser) -> None:
    # The store refuses such a link, but a database written by an older feedtui (or by hand)
    # could hold one: write it behind the store's back.
    bad = Paper(id="h:bad", title="Bad link", published="2099-01-01")
    library.store.upsert([bad], "test")
    with sqlite3.connect(library.paths.database) as raw:
        raw.execute("UPDATE papers SET url = 'javascript:alert(1)' WHERE id = 'h:bad'")
    raw.close()
    assert library.get("h:bad").paper.url == "javascript:alert(1)"  # type: ignore[union-attr]
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert paper_list(app).current_id == "h:bad"
        await pilot.press("o", "Y")
        await settle(pilot)
        assert browser.opened == []
        assert app.clipboard == ""
        refusals = [text for text in notifications(app) if text.startswith("Not ")]
        assert len(refusals) == 2 and all("javascript" in text for text in refusals)


def test_console_browsers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    lynx = webbrowser.GenericBrowser("lynx")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: lynx)
    with pytest.raises(BrowserUnavailable, match=r"console browser \(lynx\).*https://a\.org/x"):
        open_in_browser("https://a.org/x")


def test_a_link_starting_with_a_dash_is_refused() -> None:
    with pytest.raises(UnsafeURL):
        open_in_browser("--remote-debugging-port=1")
