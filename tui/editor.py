"""Editing a text in the user's editor, as git does: ``$VISUAL``, else ``$EDITOR``, split
like a shell would split it (``code --wait``, ``emacs -nw``) but run as an argv, never through
a shell, on a temporary file; what the file holds when the editor exits is the new text.

Headless: the command line calls it directly, the TUI from inside ``App.suspend()``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path


class EditorError(Exception):
    """The editor could not be run or failed; the text is left as it was."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor's argv from $VISUAL or $EDITOR ([] when neither is set, or unparsable)."""
    environ = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:  # an unclosed quote: say so when it is run
                return [value]
    return []


def edit_text(text: str, argv: list[str], name: str = "note.md") -> str:
    """Run ``argv`` + a temporary file holding ``text``; return the file's text afterwards.

    The file sits in a private temporary folder (0700), named ``name`` so that editors pick
    the Markdown mode, and is removed afterwards. Raises EditorError when the editor cannot
    be started or exits with an error (git's rule: then nothing changes)."""
    if not argv:
        raise EditorError("no editor: set $VISUAL or $EDITOR")
    with tempfile.TemporaryDirectory(prefix="feedtui-edit-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*argv, str(path)], check=False)
        except OSError as error:
            reason = error.strerror or error
            raise EditorError(f"cannot run the editor {argv[0]!r}: {reason}") from error
        if done.returncode != 0:
            raise EditorError(
                f"the editor {argv[0]!r} exited with status {done.returncode}; nothing changed"
            )
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise EditorError(f"cannot read back the edited file: {error}") from error
