"""A feedtui worker the crash tests SIGKILL at random moments.

    python -m tests.crash_child import START   # imports papers c<START>, c<START+1>... forever
    python -m tests.crash_child toggle          # marks sample papers read and saved, in a loop
    python -m tests.crash_child build           # brings the index in line (a first build)
    python -m tests.crash_child bigimport N     # imports N papers in one call ("batch D" lines)
    python -m tests.crash_child keep START      # tags k<START>, k<START+1>... and notes, forever

Each line it prints is printed only after the change it names was committed, so whatever the
parent has read must survive the kill.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from tui.library import Library
from tui.model import Paper


def crash_paper(number: int) -> Paper:
    return Paper(
        id=f"crash-{number}",
        title=f"Crash test paper number {number} about resilient storage",
        abstract="A paper written by the crash tests. " * 20,
        authors=("Ada Lovelace", "Alan Turing"),
        published="2026-01-01",
    )


def toggle_sequence(ids: list[str]) -> Iterator[tuple[str, str, bool]]:
    """The endless, deterministic order of marks the toggle mode makes (the parent replays it
    to know which change may have been committed but not yet reported when the kill landed)."""
    value = True
    while True:
        for paper_id in ids:
            yield paper_id, "read", value
            yield paper_id, "saved", value
        value = not value


def main() -> None:
    mode = sys.argv[1]
    library = Library.open()
    if mode == "import":
        number = int(sys.argv[2])
        while True:
            library.import_papers([crash_paper(number)], "crash")
            print(f"imported crash-{number}", flush=True)
            number += 1
    elif mode == "toggle":
        for paper_id, flag, value in toggle_sequence(library.search("").ids):
            setter = library.set_read if flag == "read" else library.set_saved
            setter(paper_id, value)
            print(f"marked {paper_id} {flag} {int(value)}", flush=True)
    elif mode == "keep":
        # Each step: a new tag on the next sample paper, then that paper's note says the step;
        # reported once both are committed.
        ids = library.search("").ids
        number = int(sys.argv[2])
        while True:
            paper_id = ids[number % len(ids)]
            library.add_tags([paper_id], [f"k{number}"])
            library.set_note(paper_id, f"note {number}")
            print(f"kept {paper_id} {number}", flush=True)
            number += 1
    elif mode == "bigimport":
        # Small papers: many of them (a long import) in little memory.
        papers = [Paper(id=f"big-{n}", title=f"Big import {n}") for n in range(int(sys.argv[2]))]
        library.import_papers(
            papers, "big", progress=lambda done, _total: print(f"batch {done}", flush=True)
        )
        print("imported", flush=True)
    elif mode == "build":
        library.ensure_index(progress=lambda done, total: print(f"progress {done}", flush=True))
        print("built", flush=True)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
