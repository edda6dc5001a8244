"""Every key lands where the user sent it, in the order it was typed, also in bursts.

A terminal delivers held keys, pastes of keystrokes and typing over SSH/tmux as one burst: the
tests post every key of a burst before the app processes any (`burst`), which is what exposed
Textual 8.2.8's reordering of bound keys (Textualize/textual#6605, worked around in
tui/app/widgets/text_entry.py). The same replays run against the real binary in a pty in
test_typing_pty.py.
"""

from __future__ import annotations

import pytest

from tests.app.conftest import burst, main_screen, paper_list, settle
from tui.app.app import FeedApp
from tui.library import Library

pytestmark = pytest.mark.anyio


def typed(text: str) -> list[str]:
    return list(text)


async def test_backspace_in_a_burst_deletes_what_was_typed_before_it(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        burst(app, ["b", "a", "backspace", "c"])
        await settle(pilot)
        assert main_screen(app).search_input.value == "bc"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["backspace", "x"], "abc dex"),
        (["backspace", "backspace", "backspace", *typed("xyz")], "abc xyz"),
        (["left", "x"], "abc dexf"),
        (["home", "x"], "xabc def"),
        (["left", "left", "delete", "y"], "abc dyf"),
        (["ctrl+w", *typed("xyz")], "abc xyz"),
        (["backspace"] * 10 + typed("metagpt multi agent"), "metagpt multi agent"),
    ],
)
async def test_edits_apply_in_arrival_order(
    library: Library, keys: list[str], expected: str
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        burst(app, typed("abc def"))
        await settle(pilot)
        burst(app, keys)
        await settle(pilot)
        assert main_screen(app).search_input.value == expected


async def test_held_backspace_then_retyping_gives_the_retyped_query(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        query = "metagpt multi agent"
        for _ in range(5):  # clear with a held backspace and type again, with no pause at all
            burst(app, typed(query))
            burst(app, ["backspace"] * (len(query) + 3))
        burst(app, typed(query))
        await settle(pilot)
        assert main_screen(app).search_input.value == query
        # The list shows that query's results, not a stale keystroke's.
        assert main_screen(app).status.status.shown == len(library.search(query).ids)


async def test_escape_then_slash_goes_back_and_opens_the_search(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        burst(app, typed("agent"))
        await settle(pilot)
        burst(app, ["escape", "slash", "q"])  # vim habit: leave, search again, type
        await settle(pilot)
        assert app.is_running  # the q was typed into the box, it did not quit
        assert screen.focused is screen.search_input
        # Focusing the box selects its text (Input's select_on_focus), so typing starts a new
        # query, as "/" does in vim and less; the "/" itself is never typed.
        assert screen.search_input.value == "q"


async def test_keys_after_slash_go_into_the_box(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        burst(app, ["slash", "u", "s", "a"])  # u, s, a are list keys; here they are typed
        await settle(pilot)
        assert screen.search_input.value == "usa"
        assert screen.filter == "all"


async def test_enter_in_the_box_then_list_keys_move_the_cursor(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        burst(app, typed("agent"))
        await settle(pilot)  # the results are in (a new query puts the cursor on its top hit)
        burst(app, ["enter", "j", "j"])
        await settle(pilot)
        assert screen.search_input.value == "agent"
        assert screen.focused is paper_list(app)
        assert paper_list(app).cursor == 2


async def test_enter_then_j_scrolls_the_preview(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        burst(app, ["enter", "j", "j", "j"])
        await settle(pilot)
        assert screen.focused is screen.preview
        assert paper_list(app).cursor == 0  # the list did not move
        assert screen.preview.scroll_y == 3
        burst(app, ["k", "ctrl+d", "k"])
        await settle(pilot)
        page = screen.preview.scrollable_content_region.height - 1  # a page keeps one line
        assert screen.preview.scroll_y == min(2 + page, screen.preview.max_scroll_y) - 1
        burst(app, ["escape", "j"])
        await settle(pilot)
        assert screen.focused is paper_list(app)
        assert paper_list(app).cursor == 1


@pytest.mark.parametrize(
    ("typed_bytes", "keys"),
    [
        ("\x1b/abc", ["escape", "slash", "a", "b", "c"]),  # Esc / then a query
        ("\x1bq", ["escape", "q"]),
        ("\x1b/" + "x" * 40, ["escape", "slash", *["x"] * 40]),  # more than 32 after the ESC
        ("\x1b[A", ["up"]),  # escape sequences are untouched
        ("\x1b\x1b[A", ["escape", "up"]),
        ("\x1b\x7f", ["ctrl+w"]),  # Alt+Backspace keeps Textual's reading
        ("\x1b\rjj", ["escape", "enter", "j", "j"]),  # Esc Enter: leave the box, read
        ("\x1b", ["escape"]),
    ],
)
def test_escape_then_a_key_is_read_as_two_keys(typed_bytes: str, keys: list[str]) -> None:
    from textual._xterm_parser import XTermParser

    from tui.app import terminal_input

    terminal_input.install()
    parser = XTermParser(False)
    events_ = [*parser.feed(typed_bytes), *parser.feed("")]  # "" is the end of input
    assert [event.key for event in events_ if hasattr(event, "key")] == keys
