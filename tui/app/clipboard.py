"""The one way feedtui copies text, and says truthfully what happened.

The system clipboard (pyperclip) is tried first, in a worker thread and with a deadline, because
the tool behind it can hang (xclip without a display) or be missing (SSH, containers, WSL). When it
fails, the text goes to the terminal's clipboard with OSC 52 (``App.copy_to_clipboard``), which we
cannot confirm, so the message says so. The text is always handed to ``App.copy_to_clipboard``
as well: harmless when the system copy worked, and it keeps ``app.clipboard`` true for tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker

SYSTEM_COPY_TIMEOUT = 2.0
CLIPBOARD_GROUP = "clipboard"


class ClipboardUnavailable(Exception):
    """The system clipboard did not take the text (missing tool, failure or timeout)."""


def _pyperclip_copy(text: str) -> None:
    import pyperclip  # imported lazily: it probes for tools on first use

    pyperclip.copy(text)
    # A tool that fails silently must not make us claim "Copied": read it back.
    if pyperclip.paste() != text:
        raise ClipboardUnavailable("the system clipboard did not keep the text")


def copy_to_system_clipboard(
    text: str,
    timeout: float = SYSTEM_COPY_TIMEOUT,
    copier: Callable[[str], None] = _pyperclip_copy,
) -> None:
    """Copy with the system clipboard tool, or raise ClipboardUnavailable.

    Runs the copier in a daemon thread so a hung tool is abandoned after ``timeout`` seconds
    instead of holding up the worker (or the exit of the app).
    """
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            copier(text)
        except BaseException as error:  # any failure of a third-party tool means "not copied"
            errors.append(error)

    thread = threading.Thread(target=attempt, name="feedtui-clipboard", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise ClipboardUnavailable(f"the clipboard tool did not answer within {timeout:g} s")
    if errors:
        raise ClipboardUnavailable(str(errors[0]) or type(errors[0]).__name__)


def copy_message(shown: str, system_copied: bool) -> str:
    if system_copied:
        return f"Copied: {shown}"
    return f"Sent to terminal clipboard (OSC 52): {shown}"


def copy_text(
    node: DOMNode,
    text: str,
    shown: str | None = None,
    copier: Callable[[str], None] = _pyperclip_copy,
) -> Worker[bool]:
    """Copy ``text`` and notify the user what happened; ``shown`` is what the message shows
    (defaults to the text itself, e.g. the link). Runs in a thread worker owned by ``node``;
    returns the worker (its result is True when the system clipboard took the text)."""
    app: App[object] = node.app
    label = text if shown is None else shown

    def work() -> bool:
        try:
            copy_to_system_clipboard(text, copier=copier)
            copied = True
        except ClipboardUnavailable:
            copied = False
        app.call_from_thread(app.copy_to_clipboard, text)
        # The text shown may come from a feed: never parse it as markup.
        app.notify(copy_message(label, copied), markup=False)
        return copied

    return node.run_worker(work, thread=True, group=CLIPBOARD_GROUP, exit_on_error=False)
