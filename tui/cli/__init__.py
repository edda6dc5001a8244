"""`feedtui`: the TUI by default, and subcommands that use the same library headless.

One module per subcommand group (search, mark, export, fetch, feeds, doctor), the shared
plumbing in `run` (parser, stdout, signals, --sample) and `common` (exit codes, errors).
Every error is one line on stderr and a non-zero exit; no traceback reaches the user for a
problem they can fix (a bad config, a damaged database, an unknown paper id).
"""

from __future__ import annotations

from tui.cli.run import build_parser, main

__all__ = ["build_parser", "main"]
