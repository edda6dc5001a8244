"""The reference for feedtui's first frame: a hello-world Textual app, started the same way (a
fresh Python in the same pty size), drawing one line of text. ``python -m tests.bench.hello``."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "hello from a Textual app"


class Hello(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    Hello().run()
