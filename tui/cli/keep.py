"""`feedtui tag`, `feedtui tags` and `feedtui note`: the user's tags and notes on papers."""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli.common import EXIT_OK, CommandError
from tui.editor import EditorError, edit_text, editor_command
from tui.library import Library

PAPER_HELP = (
    "a paper id, an arXiv id (with or without version), or the paper's arXiv or Hugging Face URL"
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    tag = commands.add_parser(
        "tag",
        help="add (+name or name) and remove (-name) tags on a paper; prints its tags",
        description="Tags are lower-cased; letters, digits and - _ . / (no spaces). "
        "With no names, prints the paper's tags.",
    )
    tag.add_argument("paper", help=PAPER_HELP)
    # REMAINDER: `-name` is a tag to remove, not an option.
    tag.add_argument("changes", nargs=argparse.REMAINDER, metavar="[+|-]NAME")
    tag.set_defaults(run=cmd_tag)
    tags = commands.add_parser("tags", help="every tag in use and how many papers carry it")
    tags.add_argument("--json", action="store_true", help='print [{"tag": ..., "count": ...}]')
    tags.set_defaults(run=cmd_tags)
    note = commands.add_parser(
        "note",
        help="edit a paper's Markdown note in $VISUAL/$EDITOR (or --set/--show/--clear)",
    )
    note.add_argument("paper", help=PAPER_HELP)
    what = note.add_mutually_exclusive_group()
    what.add_argument("--set", metavar="TEXT", help="store TEXT as the note (- reads stdin)")
    what.add_argument("--show", action="store_true", help="print the note")
    what.add_argument("--clear", action="store_true", help="delete the note")
    note.set_defaults(run=cmd_note)


def _paper(library: Library, text: str) -> str:
    paper_id = library.resolve_id(text)
    if paper_id is None:
        raise CommandError(f"no paper {text!r} in the library")
    return paper_id


def _tags_line(paper_id: str, tags: tuple[str, ...]) -> str:
    return f"{paper_id}: " + (" ".join(f"#{tag}" for tag in tags) if tags else "no tags")


def cmd_tag(library: Library, args: argparse.Namespace) -> int:
    paper_id = _paper(library, args.paper)
    add: list[str] = []
    remove: list[str] = []
    for change in args.changes:
        if change == "--":
            continue
        if change.startswith("-"):
            remove.append(change[1:])
        else:
            add.append(change.removeprefix("+"))
    both = set(add) & set(remove)
    if both:
        raise CommandError(f"both +{min(both)} and -{min(both)}: say one")
    if add or remove:
        tags = library.edit_tags([paper_id], add, remove)[paper_id]
    else:
        tags = library.tags_of(paper_id)
    print(_tags_line(paper_id, tags))
    return EXIT_OK


def cmd_tags(library: Library, args: argparse.Namespace) -> int:
    counts = library.tag_counts()
    if args.json:
        print(json.dumps([{"tag": tag, "count": count} for tag, count in counts], indent=2))
        return EXIT_OK
    if not counts:
        print("no tags yet (feedtui tag ID +name, or T in the reader)", file=sys.stderr)
        return EXIT_OK
    width = len(str(counts[0][1]))
    for tag, count in counts:
        print(f"{count:>{width}}  {tag}")
    return EXIT_OK


def cmd_note(library: Library, args: argparse.Namespace) -> int:
    paper_id = _paper(library, args.paper)
    if args.show:
        note = library.note(paper_id)
        if note:
            print(note)
        else:
            print(f"{paper_id} has no note", file=sys.stderr)
        return EXIT_OK
    if args.clear:
        library.set_note(paper_id, "")
        print(f"{paper_id}: note deleted")
        return EXIT_OK
    if args.set is not None:
        text = sys.stdin.read() if args.set == "-" else args.set
    else:
        argv = editor_command()
        if not argv:
            raise CommandError("no editor: set $VISUAL or $EDITOR, or give the note with --set")
        try:
            text = edit_text(library.note(paper_id), argv)
        except EditorError as error:
            raise CommandError(str(error)) from error
    stored = library.set_note(paper_id, text)
    lines = stored.count("\n") + 1
    size = f"{lines} line" + ("s" if lines != 1 else "")
    print(f"{paper_id}: note saved ({size})" if stored else f"{paper_id}: note deleted")
    return EXIT_OK
