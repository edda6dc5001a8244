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
# Runs a callback once the keys already typed have been applied (tui/app/key_order.py).
Later = Callable[[Callable[[], None]], None]


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

    def edit_tags(self, chosen: Callable[[], Sequence[Entry]], after_keys: Later) -> None:
        """The tags of the papers `chosen` returns (the selection, else the highlighted one):
        the form starts with the tags they all have; what the user adds is added to each and
        what they take out is removed from each (other tags a paper has stay).

        The form opens at once (T is a priority binding, so a tag typed right behind it lands
        in the box); which papers it is for is asked through `after_keys`, once the keys typed
        before T in the same burst (space, j) are applied."""
        form = TagsForm("", [], self.library.tag_counts)
        ids: list[str] = []
        shared: list[str] = []

        def fill() -> None:
            entries = chosen()
            if not entries:
                form.dismiss_soon()
                self.screen.notify("No paper selected", severity="warning")
                return
            ids[:] = [entry.paper.id for entry in entries]
            shared[:] = sorted(set.intersection(*(set(entry.tags) for entry in entries)))
            one = entries[0].paper.title
            form.set_papers(
                one if len(entries) == 1 else f"the {len(entries)} selected papers", shared
            )

        def answered(tags: list[str] | None) -> None:
            if tags is None or not ids:
                return
            added = [tag for tag in tags if tag not in shared]
            removed = [tag for tag in shared if tag not in tags]
            if not added and not removed:
                return
            wanted = list(ids)
            self._store(
                lambda: self.library.edit_tags(wanted, added, removed),
                wanted,
                _tags_message(len(wanted), added, removed, tags),
            )

        self.app.push_screen(form, answered)
        after_keys(fill)

    # -- the note --------------------------------------------------------------------------

    def edit_note(self, chosen: Callable[[], Entry | None], after_keys: Later) -> None:
        """The note of the paper `chosen` returns (the highlighted one), in $VISUAL/$EDITOR or
        in the inline editor.

        The inline editor opens at once (n is a priority binding, so the words typed right
        behind it land in it); which paper it is for is asked through `after_keys`, once the
        keys typed before n in the same burst (j) are applied. When an editor takes the note
        instead, the inline one closes and what was typed into it is dropped: those keys were
        typed before the editor had the terminal."""
        editor = NoteEditor("", "")
        noted: list[Entry] = []

        def fill() -> None:
            entry = chosen()
            if entry is None:
                editor.dismiss_soon()
                self.screen.notify("No paper selected", severity="warning")
                return
            argv = editor_command()
            if argv and self._in_editor(entry, argv):
                editor.dismiss_soon()
                return
            noted.append(entry)
            editor.set_note(entry.paper.title, entry.note)

        def answered(note: str | None) -> None:
            if noted:
                self._note_answered(noted[0], note)

        self.app.push_screen(editor, answered)
        after_keys(fill)

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


def _tags_message(papers: int, added: list[str], removed: list[str], tags: list[str]) -> str:
    if papers == 1:
        return "Tags: " + (" ".join(f"#{tag}" for tag in sorted(tags)) or "none")
    parts = [" ".join(f"+#{tag}" for tag in added), " ".join(f"-#{tag}" for tag in removed)]
    return f"Tags of {papers} papers: " + " ".join(part for part in parts if part)
