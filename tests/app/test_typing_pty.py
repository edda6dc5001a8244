"""The real `feedtui` on a pseudo-terminal: bursts of keys, as a terminal sends them, land in
order, 20 rounds in a row, while the searches they start are running.

Each burst is one write to the pty (what tmux, SSH or a held key deliver); the screen is read
back through a terminal emulator (pyte) and the search box must show exactly the text the keys
spell.
"""

from __future__ import annotations

import time

import pyte
import pytest

from tests.app.test_terminal_output import Terminal
from tui.paths import default_paths

COLUMNS, ROWS = 120, 40
ESC, BACKSPACE, LEFT, END, CTRL_W = b"\x1b", b"\x7f", b"\x1b[D", b"\x1b[F", b"\x17"


class Screen:
    """What the terminal shows, from every byte the app wrote."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.fed = 0

    def lines(self) -> list[str]:
        output = self.terminal.output
        self.stream.feed(bytes(output[self.fed :]))
        self.fed = len(output)
        return list(self.screen.display)

    def search_box(self) -> str:
        # The box is the second line, inside its border: "▊  text   ▎".
        return self.lines()[1].strip().strip("▊▎").strip()

    def wait_for(self, check: object, what: str, deadline: float = 20.0) -> None:
        give_up = time.monotonic() + deadline
        while not check():  # type: ignore[operator]
            if time.monotonic() > give_up:
                raise AssertionError(f"{what}; the screen shows:\n" + "\n".join(self.lines()))
            self.terminal.read_until(b"\x00never", 0.05)


def offline_config() -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("refresh_on_start = false\nfeeds = []\n")


def rounds(number: int) -> tuple[list[bytes], str]:
    """The bursts of one round and what the box shows after them. Each round starts with
    Escape + / (a new search: the box's text is selected, so typing replaces it)."""
    query = b"metagpt multi agent"
    bursts = [
        ESC + b"/" + query + BACKSPACE * (len(query) + 4) + query,  # a held backspace, retyped
        BACKSPACE * 5 + b"xyz",  # -> metagpt multi xyz
        LEFT * 2 + b"Q",  # -> metagpt multi xQyz
        END + CTRL_W + b"agents",  # word delete -> metagpt multi agents
        str(number).encode(),
    ]
    return bursts, f"metagpt multi agents{number}"


@pytest.mark.slow
def test_bursts_of_keys_land_in_order_in_a_real_terminal() -> None:
    offline_config()
    terminal = Terminal(COLUMNS, ROWS)
    screen = Screen(terminal)
    try:
        screen.wait_for(lambda: "85 shown" in screen.lines()[-2], "the list never appeared", 60)
        for number in range(20):
            bursts, expected = rounds(number)
            for burst in bursts:  # back to back: the searches of one burst are still running
                terminal.send(burst)
            screen.wait_for(
                lambda expected=expected: screen.search_box() == expected,  # type: ignore[misc]
                f"round {number}: the box should read {expected!r}",
            )
        # Escape + / from the list, typed as one burst, also opens the search.
        terminal.send(ESC + b"j" + ESC + b"/" + b"diffusion")
        screen.wait_for(lambda: screen.search_box() == "diffusion", "Esc / then typing")
        terminal.send(ESC + b"q")
        assert terminal.finish() == 0
    finally:
        terminal.close()


@pytest.mark.slow
def test_a_search_and_a_watch_named_in_one_burst_in_a_real_terminal() -> None:
    """`/agent⏎wAgents⏎` written at once: the name's letters reach the watch form, not the
    list's keys (A would ask to mark everything read, s would save a paper)."""
    from tui.library import Library

    offline_config()
    terminal = Terminal(COLUMNS, ROWS)
    screen = Screen(terminal)
    try:
        screen.wait_for(lambda: "85 shown" in screen.lines()[-2], "the list never appeared", 60)
        terminal.send(b"/agent\rwAgents\r")
        screen.wait_for(
            lambda: any("Watch saved: Agents" in line for line in screen.lines()),
            "the watch should be saved",
        )
        terminal.send(b"q")
        assert terminal.finish() == 0
    finally:
        terminal.close()
    library = Library.open()
    try:
        assert library.watch("Agents").query == "agent"
        assert library.counts().saved == 0
    finally:
        library.close()


@pytest.mark.slow
def test_t_and_a_find_in_one_burst_in_a_real_terminal() -> None:
    """`t/attention⏎` written at once: the reader opens on the paper's text (from the offline
    copy) and finds the word; none of it reaches the list or its search box."""
    from tests.bench.reader import synthetic_paper
    from tui.fulltext import for_library
    from tui.library import Library

    offline_config()
    library = Library.open()
    try:
        paper_id = library.search("").ids[0]  # the list's first paper
        for_library(library).cache.put(paper_id, synthetic_paper(2))
    finally:
        library.close()
    terminal = Terminal(COLUMNS, ROWS)
    screen = Screen(terminal)
    try:
        screen.wait_for(lambda: "85 shown" in screen.lines()[-2], "the list never appeared", 60)
        terminal.send(b"t/attention\r")
        screen.wait_for(
            lambda: any(line.strip().startswith("match 1 of ") for line in screen.lines()),
            "the reader should find the word",
        )
        assert any("A Synthetic Paper on Efficient Attention" in line for line in screen.lines())
        terminal.send(ESC)
        screen.wait_for(lambda: "85 shown" in screen.lines()[-2], "Esc: back to the list")
        assert screen.search_box().startswith("Search: words")  # empty: its placeholder
        terminal.send(b"q")
        assert terminal.finish() == 0
    finally:
        terminal.close()
