"""`T` and `n` on the main screen: editing the highlighted paper's tags and note.

The forms open at once with what the row shows (no wait on the database before they are up),
and what they answer is stored in a worker owned by the screen (its
`on_worker_state_changed` reports a failure in one line); once stored, the row and the preview
are redrawn from the store. The note goes to $VISUAL or $EDITOR when one is set: the app
suspends (Textual's ``App.suspend``: the editor gets the terminal) and comes back when the
editor exits; without an editor, or where the terminal cannot be handed over, it is edited
in place (tui/app/screens/note_editor.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported

from tui.app.messages import RunOnLoop
from tui.app.screens.note_editor import NoteEditor
from tui.app.screens.tags_form import TagsForm
from tui.editor import EditorError, edit_text, editor_command

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from tui.library import Library
    from tui.model import Entry

KEEP_GROUP = "keep"


class Keeping:
    def __init__(
        self,
        screen: Screen[None],
        library: Library,
        changed: Callable[[Sequence[str]], None],
    ) -> None:
        self.screen = screen
        self.library = library
        self.changed = changed  # redraw these papers' rows (and the preview) from the store

    @property
    def app(self) -> App[Any]:
        return self.screen.app

    # -- tags ------------------------------------------------------------------------------

    def edit_tags(self, entry: Entry | None) -> None:
        if entry is None:
            self.screen.notify("No paper selected", severity="warning")
            return
        paper_id = entry.paper.id

        def answered(tags: list[str] | None) -> None:
            if tags is not None and tuple(tags) != entry.tags:
                self._store(
                    lambda: self.library.set_tags([paper_id], tags),
                    [paper_id],
                    "Tags: " + (" ".join(f"#{tag}" for tag in sorted(tags)) or "none"),
                )

        form = TagsForm(entry.paper.title, entry.tags, self.library.tag_counts)
        self.app.push_screen(form, answered)

    # -- the note --------------------------------------------------------------------------

    def edit_note(self, entry: Entry | None) -> None:
        if entry is None:
            self.screen.notify("No paper selected", severity="warning")
            return
        argv = editor_command()
        if argv and self._in_editor(entry, argv):
            return
        self.app.push_screen(
            NoteEditor(entry.paper.title, entry.note),
            lambda note: self._note_answered(entry, note),
        )

    def _in_editor(self, entry: Entry, argv: list[str]) -> bool:
        """Edit the note in the user's editor with the app suspended; False when the terminal
        cannot be handed over (the inline editor then opens)."""
        name = "feedtui-note-" + re.sub(r"[^\w.-]+", "_", entry.paper.id)[:60] + ".md"
        try:
            with self.app.suspend():
                # On the event loop on purpose: the app is suspended until the editor exits.
                text = edit_text(entry.note, argv, name)
        except SuspendNotSupported:
            return False
        except EditorError as error:
            self.screen.notify(str(error), severity="error", markup=False, timeout=8)
            return True
        self._note_answered(entry, text)
        return True

    def _note_answered(self, entry: Entry, note: str | None) -> None:
        if note is None:
            return
        if note.strip() == entry.note.strip():
            self.screen.notify("The note is unchanged", markup=False)
            return
        paper_id = entry.paper.id

        def store() -> object:
            return self.library.set_note(paper_id, note)

        self._store(store, [paper_id], "Note saved" if note.strip() else "Note deleted")

    # -- storing ---------------------------------------------------------------------------

    def _store(self, write: Callable[[], object], ids: list[str], done: str) -> None:
        """Run ``write`` in a worker; once stored, redraw and say ``done``. A failure (the
        tag refused, the database busy) is the screen's worker error message."""

        def work() -> None:
            write()
            self.screen.post_message(RunOnLoop(lambda: self._stored(ids, done)))

        self.screen.run_worker(work, thread=True, group=KEEP_GROUP, exit_on_error=False)

    def _stored(self, ids: list[str], done: str) -> None:
        self.changed(ids)
        self.screen.notify(done, markup=False)
