"""`feedtui doctor`: check the data dir, database, index, config and clipboard route, and say
how to fix what is wrong.

Each check opens only what it needs, so the doctor still works when the database is damaged or
the config does not parse (the cases where a user most needs it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.cli.common import EXIT_ERROR, EXIT_OK
from tui.config import ConfigError, load_config
from tui.index import INDEX_SCHEMA_VERSION, META_FILE, PaperIndex
from tui.paths import HOME_ENV, Paths, default_paths
from tui.store import Store, StoreError


def add_parser(commands: argparse._SubParsersAction) -> None:
    doctor = commands.add_parser(
        "doctor", help="check the data dir, database, index, config and clipboard"
    )
    # Without a library: the doctor must work when the database or the config does not.
    doctor.set_defaults(run_without_library=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    findings = diagnose(default_paths())
    for finding in findings:
        print("\n".join(finding.lines()))
    failed = sum(not f.ok for f in findings)
    print(f"\n{failed} problem{'s' if failed != 1 else ''} found" if failed else "\nall good")
    return EXIT_ERROR if failed else EXIT_OK


CLIPBOARD_TOOLS = ("wl-copy", "xclip", "xsel", "pbcopy", "clip.exe", "termux-clipboard-set")


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's outcome. ``ok=False`` (FAIL) only for what the user has to act on, and then
    ``fix`` says what to do; ``info`` marks an ok finding worth knowing (feedtui will make or
    repair the thing by itself)."""

    ok: bool
    what: str
    detail: str
    fix: str = ""
    info: bool = False

    def lines(self) -> list[str]:
        mark = "FAIL" if not self.ok else "info" if self.info else "ok  "
        out = [f"{mark}  {self.what}: {self.detail}"]
        if self.fix:
            out.append(f"      {'tip' if self.ok else 'fix'}: {self.fix}")
        return out


def check_dirs(paths: Paths) -> Iterator[Finding]:
    for label, directory in (
        ("data dir", paths.data_dir),
        ("config dir", paths.config_dir),
        ("cache dir", paths.cache_dir),
    ):
        if not directory.exists():
            yield _missing_dir(label, directory)
        elif not directory.is_dir():
            yield Finding(
                False,
                label,
                f"{directory} is a file, not a folder",
                f"move that file away, or set {HOME_ENV} to another folder",
            )
        elif not os.access(directory, os.W_OK | os.X_OK):
            yield Finding(
                False,
                label,
                f"{directory} is not writable",
                f"chmod u+rwx {directory}, or set {HOME_ENV} to another folder",
            )
        else:
            free = shutil.disk_usage(directory).free
            low = free < 50 * 1024 * 1024
            detail = f"{directory} (writable, {free // (1024 * 1024)} MB free)"
            yield Finding(not low, label, detail, "free some disk space" if low else "")


def _missing_dir(label: str, directory: Path) -> Finding:
    # It will be created on first run, if its nearest existing parent lets us.
    parent = directory.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
        return Finding(True, label, f"{directory} (will be created on first run)")
    what = "is a file" if parent.exists() and not parent.is_dir() else "is not writable"
    return Finding(
        False,
        label,
        f"{directory} cannot be created: {parent} {what}",
        f"set {HOME_ENV} to a writable folder",
    )


def check_store_and_index(paths: Paths) -> Iterator[Finding]:
    if not paths.database.exists():
        yield Finding(
            True, "database", f"{paths.database} does not exist yet (first run imports the sample)"
        )
        return
    try:
        store = Store(paths.database)
    except StoreError as error:
        yield Finding(False, "database", str(error), _store_fix(str(error), paths))
        return
    try:
        problems = store.integrity_problems()
        if problems:
            yield Finding(
                False,
                "database",
                f"integrity check failed: {problems[0]}",
                "back up the file, then run: sqlite3 feedtui.sqlite3 '.recover' > dump.sql",
            )
            return
        counts = store.counts()
        yield Finding(
            True,
            "database",
            f"{paths.database}: {counts.total} papers, "
            f"{counts.unread} unread, {counts.saved} saved",
        )
        yield _check_index(paths, store)
    finally:
        store.close()


def _store_fix(message: str, paths: Paths) -> str:
    """What to do about a database feedtui could not open: the fix depends on why."""
    if "newer feedtui" in message:
        return "upgrade feedtui (e.g. pip install -U feedtui); keep the file as it is"
    if "damaged" in message:
        return (
            f"move {paths.database} aside to start fresh (your marks are in it: keep the file), "
            f"or try: sqlite3 {paths.database} '.recover' > dump.sql"
        )
    if not os.access(paths.data_dir, os.W_OK | os.X_OK) or "read-only" in message:
        return (
            f"make {paths.data_dir} writable (chmod u+rwx, or remount it read-write), "
            f"or set {HOME_ENV} to a writable folder"
        )
    if "busy" in message:
        return "close the other feedtui, then try again"
    return f"check {paths.database} and its folder; keep the file, your marks are in it"


def _check_index(paths: Paths, store: Store) -> Finding:
    rebuilt = (
        "nothing to do: feedtui rebuilds it in the background on its next start "
        "(search works meanwhile)"
    )
    if paths.index_dir.exists() and not paths.index_dir.is_dir():
        return Finding(
            False,
            "search index",
            f"{paths.index_dir} is a file, not a folder",
            "move that file away; feedtui rebuilds the index from the database",
        )
    if not (paths.index_dir / META_FILE).exists():
        # Looked at, not created: the doctor leaves the index to feedtui.
        return _index_not_built(paths)
    index = PaperIndex(paths.index_dir)
    try:
        index.open()
        count, revision = store.count(), store.revision()
        if index.is_usable(count, revision):
            return Finding(
                True,
                "search index",
                f"{index.doc_count} papers, in line with the database "
                f"(schema {INDEX_SCHEMA_VERSION})",
            )
        if index.last_failure:  # a rebuild could not finish (disk full...): needs a hand
            return Finding(
                False, "search index", index.last_failure, f"free space on {paths.index_dir}'s disk"
            )
        problem = index.problem
        if not problem and index.indexed_revision == 0 and index.doc_count == 0:
            return _index_not_built(paths)  # the empty index a first open makes
        if problem.startswith("the index cannot be opened"):
            return Finding(
                False,
                "search index",
                problem,
                f"delete {paths.index_dir}; feedtui rebuilds it from the database",
            )
        detail = (
            f"out of date: {index.doc_count} papers indexed at revision {index.indexed_revision}, "
            f"the database has {count} at revision {revision}"
        )
        if problem:
            detail += f" ({problem})"
        return Finding(True, "search index", detail, rebuilt, info=True)
    except Exception as error:  # any Whoosh failure: the index is derived, report and move on
        return Finding(
            False,
            "search index",
            f"cannot be opened ({error})",
            f"delete {paths.index_dir}; feedtui rebuilds it from the database",
        )
    finally:
        index.close()


def _index_not_built(paths: Paths) -> Finding:
    return Finding(
        True,
        "search index",
        f"{paths.index_dir}: not created yet; made on first run (by the reader, in the "
        "background, or by the first `feedtui search`)",
        info=True,
    )


def check_config(paths: Paths) -> Iterator[Finding]:
    if not paths.config_file.exists():
        yield Finding(
            True,
            "config",
            f"{paths.config_file} absent: using the defaults (Hugging Face daily + trending)",
        )
        return
    try:
        config = load_config(paths.config_file)
    except ConfigError as error:
        yield Finding(
            False,
            "config",
            str(error),
            "edit the file (see assets/config.example.toml for every key)",
        )
        return
    names = ", ".join(f.name for f in config.feeds[:10]) or "none"
    if len(config.feeds) > 10:
        names += f" and {len(config.feeds) - 10:,} more"
    yield Finding(True, "config", f"{paths.config_file}: feeds {names}")


def check_clipboard(which: Callable[[str], str | None] = shutil.which) -> Iterator[Finding]:
    tools = [tool for tool in CLIPBOARD_TOOLS if which(tool)]
    if sys.platform in ("darwin", "win32") or tools:
        route = tools[0] if tools else "the system clipboard"
        yield Finding(True, "clipboard", f"system clipboard via {route}; OSC 52 as the fallback")
        return
    yield Finding(
        True,
        "clipboard",
        "no clipboard tool found: copies go to the terminal with OSC 52",
        "install wl-copy (Wayland) or xclip (X11) for the system clipboard; "
        "in tmux add `set -g set-clipboard on`",
    )


def diagnose(paths: Paths) -> list[Finding]:
    return [
        *check_dirs(paths),
        *check_store_and_index(paths),
        *check_config(paths),
        *check_clipboard(),
    ]
