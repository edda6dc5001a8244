"""Tags and notes in the TUI, driven through the real app on a real Library: `T` edits the
tags (completion from the tags in use), `n` the note (in $EDITOR with the app suspended, or
inline), and both show in the row, the preview and the search."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot

from tests.app.conftest import burst, main_screen, notifications, settle, visible_rows, wait_until
from tui.app.app import FeedApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.main import MainScreen
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.tags_form import TagsForm
from tui.library import Library

pytestmark = pytest.mark.anyio
FAKE_EDITOR = Path(__file__).resolve().parents[1] / "fake_editor.py"


@pytest.fixture(autouse=True)
def no_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own $EDITOR must never open in a test: each sets its own."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


def first_id(library: Library) -> str:
    return library.search("").ids[0]


async def opened(pilot: Pilot[None], key: str, kind: type) -> None:
    """Press ``key`` and wait until its form is up with the focus (a burst starts once the form
    is there, as a person's typing would; tests/app/test_watches_ui.py does the same)."""
    app = pilot.app
    burst(app, [key])  # type: ignore[arg-type]
    await wait_until(pilot, lambda: isinstance(app.screen, kind) and app.screen.focused is not None)


async def test_T_sets_the_tags_and_the_row_preview_and_search_show_them(
    library: Library,
) -> None:
    paper_id = first_id(library)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await opened(pilot, "T", TagsForm)
        burst(app, [*"Diffusion to-read", "enter"])
        await wait_until(pilot, lambda: library.get(paper_id).tags == ("diffusion", "to-read"))  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        entry = library.get(paper_id)
        assert entry is not None and not entry.read and not entry.saved
        assert "#diffusion +1" in visible_rows(app)[0]  # the rest: in the preview
        assert "Tags       #diffusion #to-read" in main_screen(app).preview.text
        assert "Tags: #diffusion #to-read" in notifications(app)
        burst(app, ["slash", *"tag:to-read", "enter"])
        await settle(pilot)
        assert main_screen(app).paper_list.ids == [paper_id]


async def test_T_completes_from_the_tags_in_use_and_refuses_a_bad_name(library: Library) -> None:
    first, second = library.search("").ids[:2]
    library.add_tags([second], ["diffusion"])
    app = FeedApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await opened(pilot, "T", TagsForm)
        form = app.screen
        assert isinstance(form, TagsForm)
        await wait_until(
            pilot, lambda: "In use: #diffusion 1" in str(form.query_one("#tags-in-use").content)
        )  # type: ignore[attr-defined]
        burst(app, [*"dif"])
        await wait_until(pilot, lambda: form.entry._suggestion == "diffusion")  # shown grey
        burst(app, ["backspace", "f", "tab", "space", *"a,b", "enter"])  # Tab takes it
        await wait_until(pilot, lambda: "only letters" in form.error)
        assert form.entry.value == "diffusion a,b"  # kept, to be fixed
        assert library.get(first).tags == ()  # type: ignore[union-attr]
        burst(app, ["backspace", "backspace", "backspace", "backspace", "enter"])
        await wait_until(pilot, lambda: library.get(first).tags == ("diffusion",))  # type: ignore[union-attr]
        await settle(pilot)
        await opened(pilot, "T", TagsForm)
        burst(app, ["escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert library.tag_counts() == [("diffusion", 2)]


async def test_n_without_an_editor_edits_inline_and_asks_before_throwing_edits_away(
    library: Library,
) -> None:
    paper_id = first_id(library)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await opened(pilot, "n", NoteEditor)
        burst(app, [*"Why: it cites us", "ctrl+s"])
        await wait_until(pilot, lambda: library.note(paper_id) == "Why: it cites us")
        await settle(pilot)
        assert "Your note\nWhy: it cites us" in main_screen(app).preview.text
        assert "✎" in visible_rows(app)[0]
        # Esc after an edit asks first; "n" keeps the editor open, "y" throws the edit away.
        await opened(pilot, "n", NoteEditor)
        burst(app, [*" (and more)", "escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        burst(app, ["n"])
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        burst(app, ["escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        burst(app, ["y"])
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert library.note(paper_id) == "Why: it cites us"
        # Unchanged, Esc closes at once.
        await opened(pilot, "n", NoteEditor)
        burst(app, ["escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_n_suspends_the_app_for_the_editor_and_stores_what_it_wrote(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper_id = first_id(library)
    library.set_note(paper_id, "first line")
    # The editor's command has arguments: it is split like a shell splits it.
    editor = f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE_EDITOR))} --append 'from vim'"
    monkeypatch.setenv("EDITOR", editor)
    # The test driver cannot hand the terminal over; pretend it can, and see that it was.
    monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda self: True))
    app = FeedApp(library)
    suspended: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.app_suspend_signal.subscribe(app, lambda _app: suspended.append(_app))
        await settle(pilot)
        burst(app, ["n"])
        await wait_until(pilot, lambda: library.note(paper_id) == "first line\nfrom vim")
        await settle(pilot)
        assert suspended == [app]
        assert "Note saved" in notifications(app)
        assert "from vim" in main_screen(app).preview.text
        # An editor that fails changes nothing, and says so.
        failing = f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE_EDITOR))} --exit 2 x"
        monkeypatch.setenv("EDITOR", failing)
        burst(app, ["n"])
        await wait_until(pilot, lambda: any("status 2" in m for m in notifications(app)))
        assert library.note(paper_id) == "first line\nfrom vim"


async def test_n_edits_inline_where_the_terminal_cannot_be_handed_over(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {FAKE_EDITOR} never-run")
    app = FeedApp(library)  # the headless driver cannot suspend
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, ["n"])
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))


async def test_a_hostile_note_never_reaches_the_terminal_raw(library: Library) -> None:
    paper_id = first_id(library)
    library.set_note(paper_id, "# Mine\n\x1b]52;c;cGF5bG9hZA==\x07ok \x1b[31mred\x1b[0m [b]x[/b]")
    library.add_tags([paper_id], ["t"])
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = main_screen(app).preview.text
        assert "# Mine\nok red [b]x[/b]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_T_on_a_selection_adds_and_removes_on_each_and_keeps_their_other_tags(
    library: Library,
) -> None:
    first, second = library.search("").ids[:2]
    library.add_tags([first, second], ["shared"])
    library.add_tags([first], ["mine"])
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["space", "space"])  # selects the first two papers
        await wait_until(pilot, lambda: main_screen(app).paper_list.selected_count == 2)
        await opened(pilot, "T", TagsForm)
        form = app.screen
        assert isinstance(form, TagsForm)
        assert form.entry.value == "shared "  # what they all have
        burst(app, ["ctrl+u", *"both", "enter"])
        await wait_until(pilot, lambda: library.get(second).tags == ("both",))  # type: ignore[union-attr]
        assert library.get(first).tags == ("both", "mine")  # type: ignore[union-attr]
        await wait_until(pilot, lambda: "Tags of 2 papers: +#both -#shared" in notifications(app))


async def test_j_T_and_the_tags_typed_in_one_burst_tag_the_paper_moved_to(
    library: Library,
) -> None:
    """`jTwombat⏎` at once (over SSH, a paste): j moves first, the form opens for the paper j
    moved to, and every letter of the tag lands in its box (T runs as it arrives; the paper
    is read once j has been applied)."""
    ids = library.search("").ids
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["j", "T", *"wombat", "enter"])
        await wait_until(pilot, lambda: library.get(ids[1]).tags == ("wombat",))  # type: ignore[union-attr]
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert library.get(ids[0]).tags == ()  # type: ignore[union-attr]


async def test_n_and_the_words_typed_behind_it_in_one_burst_land_in_the_note(
    library: Library,
) -> None:
    """`nhello` at once (no $EDITOR): the inline editor opens with the paper's note and the
    words after it. Before, they went to the list's keys (`o` opened the browser, `l`...)."""
    paper_id = first_id(library)
    library.set_note(paper_id, "first line")
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, ["n", "enter", *"hello"])
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await wait_until(pilot, lambda: editor.area.text == "first line\nhello")
        title = str(editor.query_one("#note-title").render())
        assert title == f"Note on: {library.get(paper_id).paper.title}"  # type: ignore[union-attr]
        assert editor.area.cursor_location == editor.area.document.end
        assert not notifications(app)  # nothing was opened or marked on the way


async def test_j_n_a_note_and_ctrl_s_in_one_burst_note_the_paper_moved_to(
    library: Library,
) -> None:
    ids = library.search("").ids
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, ["j", "n", *"why: it cites us", "ctrl+s"])
        await wait_until(pilot, lambda: library.note(ids[1]) == "why: it cites us")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert library.note(ids[0]) == ""
        assert "Note saved" in notifications(app)
