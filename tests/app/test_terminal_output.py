"""Nothing a feed supplies reaches the terminal raw, and nothing it supplies can be clicked into
running an action.

The first test runs the real `feedtui` on a pseudo-terminal over a library whose papers came
through the real refresh (local feed server -> parser -> store), and scans every byte the app
wrote: escape sequences, OSC payloads, bidi overrides and C1 controls from the feed must never be
among them, while the cleaned text around them must be (so we know it was drawn).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import main_screen, paper_list, settle
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.config import Config, FeedConfig
from tui.feeds import refresh_feeds
from tui.library import Library
from tui.paths import default_paths

REPO = Path(__file__).resolve().parents[2]
CLIPBOARD_PAYLOAD = "cHduZWQ="  # base64 of "pwned"

# (title, abstract, what the cleaned title reads)
HOSTILE = [
    (
        "Clear\x1b[2Jscreen Re\x1b]0;pwned\x07titled Bell\x07ring C1\x9b31mred",
        f"Clip\x1b]52;c;{CLIPBOARD_PAYLOAD}\x07board Ent&#27;]0;pwned&#7;ity "
        "Resize\x1b[8;1;1tdone Report\x1b[6nask Dcs\x1bPq#0pwned\x1b\\end",
        "Clearscreen Retitled Bellring C1red",
    ),
    (
        "[@click=app.quit]x[/] and [link=file:///etc/passwd]y[/link] [/bold]",
        "Spoof \u202eexe.txt\u202c zero\u200bwidth \u2066isolate\u2069 [@click=app.bell]b[/]",
        "[@click=app.quit]x[/] and [link=file:///etc/passwd]y[/link] [/bold]",
    ),
]


def hostile_feed() -> bytes:
    items = [
        {
            "paper": {
                "id": f"2903.0000{n}",
                "title": title,
                "summary": abstract,
                "publishedAt": f"2099-01-0{n + 1}T00:00:00.000Z",
                "authors": [{"name": "Mallory \x1b]0;pwned\x07[@click=app.quit]Q[/]"}],
                "githubRepo": "https://github.com/acme/tool",
            },
        }
        for n, (title, abstract, _) in enumerate(HOSTILE)
    ]
    return json.dumps(items).encode()


def import_hostile(server: FeedServer) -> None:
    """Through the real refresh: local server -> HF parser -> store -> index."""
    url = server.route("/hostile", body=hostile_feed(), content_type="application/json")
    library = Library.open(config=Config(feeds=(FeedConfig(name="h", kind="hf_daily", url=url),)))
    [report] = refresh_feeds(library)
    assert report.ok and report.added == len(HOSTILE), report
    library.ensure_index()
    library.close()
    # The app itself must not go online: no feeds, no refresh on start.
    config = default_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("refresh_on_start = false\nfeeds = []\n")


class Terminal:
    """`python -m tui` on a pty of a given size; collects every byte it writes."""

    def __init__(self, columns: int = 120, rows: int = 40) -> None:
        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui"],
            cwd=REPO,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read_until(self, needle: bytes, deadline: float) -> bool:
        give_up = time.monotonic() + deadline
        while needle not in self.output:
            left = give_up - time.monotonic()
            if left <= 0 or not self._read(left):
                return needle in self.output
        return True

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True  # nothing yet; the caller checks its deadline
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the app exited and closed the terminal
            return False
        if not chunk:
            return False
        self.output += chunk
        return True

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, deadline: float = 20.0) -> int | None:
        give_up = time.monotonic() + deadline
        while self.process.poll() is None and time.monotonic() < give_up:
            self._read(0.2)
        while self._read(0.05) and time.monotonic() < give_up:
            if not select.select([self.master], [], [], 0)[0]:
                break
        return self.process.poll()

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


@pytest.mark.slow
def test_no_feed_control_sequence_reaches_the_terminal(feed_server: FeedServer) -> None:
    import_hostile(feed_server)
    terminal = Terminal(columns=220)  # wide enough that the preview does not wrap what it checks
    try:
        # The newest hostile paper is the first row, so its preview is drawn on start.
        assert terminal.read_until(b"Spoof exe.txt zerowidth isolate", 60), terminal.output[-2000:]
        terminal.send(b"j")  # the other hostile paper: its preview, with the OSC 52 abstract
        assert terminal.read_until(b"Reportask Dcsend", 20)  # the end of its abstract
        terminal.send(b"q")
        code = terminal.finish()
    finally:
        terminal.close()
    assert code == 0
    out = bytes(terminal.output)
    text = out.decode("utf-8", errors="replace")
    # What the feed tried to do never happens...
    assert b"pwned" not in out
    assert CLIPBOARD_PAYLOAD.encode() not in out
    assert b"\x1b]52;" not in out  # no clipboard write at all: nothing was copied
    assert b"\x1b[8;1;1t" not in out and b"\x1b[6n" not in out
    assert b"Clear\x1b[2J" not in out and b"Bell\x07" not in out
    assert not re.search(rb"\x1b\]8;[^\x07\x1b]*file:", out)  # no hyperlink from [link=...]
    for char in ("\x9b", "\x9d", "\x90", "\u202e", "\u202c", "\u2066", "\u2069", "\u200b"):
        assert char not in text, repr(char)
    # ...and the cleaned text was drawn, markup included, literally (the preview wraps lines).
    for piece in (
        "Clearscreen Retitled",
        "Bellring C1red",
        "Clipboard Entity",
        "[@click=app.quit]x[/] and",
        "[link=file:///etc/passwd]y[/link]",
        "[@click=app.quit]Q[/]",
        "[@click=app.bell]b[/]",
    ):
        assert piece in text, piece


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(args)


@pytest.mark.anyio
async def test_clicking_any_rendered_text_runs_nothing(feed_server: FeedServer) -> None:
    import_hostile(feed_server)
    library = Library.open()
    app = FeedApp(library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            hooks = {name: Recorder() for name in ("action_quit", "action_bell", "bell")}
            hooks["open_url"] = Recorder()
            for name, recorder in hooks.items():
                setattr(app, name, recorder)
            clipboard = app.clipboard
            screens = list(app.screen_stack)
            papers = paper_list(app)
            for row in range(6):  # the hostile rows and a few sample ones
                await pilot.click("#papers", offset=(14, row + 1))  # +1: the border
            # The preview of each hostile paper: its title, authors, abstract and links lines
            # (the links' text starts after an 11-column label).
            for paper_id in ("2903.00001", "2903.00000"):
                papers.cursor = papers.ids.index(paper_id)
                await pilot.pause()
                preview = main_screen(app).preview
                assert "[@click=app.quit]Q[/]" in preview.text
                body = preview.body
                for y in range(min(body.size.height, preview.size.height, 22)):
                    await pilot.click("#preview-body", offset=(4 + (y % 3) * 6, y))
            await settle(pilot)
            assert app.is_running
            assert list(app.screen_stack) == screens
            assert all(not recorder.calls for recorder in hooks.values()), hooks
            assert app.clipboard == clipboard
    finally:
        library.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
