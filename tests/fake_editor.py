"""A stand-in for $EDITOR: ``python fake_editor.py [--append] [--exit N] TEXT... FILE``.

Writes TEXT (the words joined by spaces) into FILE, or on a line after what FILE held with
--append, and exits with N (0 by default). The tests set EDITOR to
``<python> <this file> --append "a b"``, which also checks that EDITOR is split into
arguments like a shell splits it.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    *words, target = argv
    append = "--append" in words
    code = 0
    if "--exit" in words:
        at = words.index("--exit")
        code = int(words[at + 1])
        del words[at : at + 2]
    words = [word for word in words if word != "--append"]
    path = Path(target)
    before = path.read_text(encoding="utf-8") + "\n" if append else ""
    path.write_text(before + " ".join(words), encoding="utf-8")
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
