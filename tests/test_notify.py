"""notify_command's runner (tui/notify.py) with real processes: what it passes, and each way a
command can fail, as one line instead of an exception."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tui.notify import run_notify


def test_the_command_gets_the_watch_name_and_count_as_argv_words(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    script = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"
    # A name a shell would expand: passed as one word, never through a shell.
    problem = run_notify([sys.executable, "-c", script, str(out)], "$(touch x); `id` *", 12)
    assert problem == ""
    assert json.loads(out.read_text()) == ["$(touch x); `id` *", "12"]
    assert not (tmp_path / "x").exists()


def test_a_missing_command_is_one_line() -> None:
    problem = run_notify(["/nonexistent/feedtui-notify"], "w", 1)
    assert problem == "'/nonexistent/feedtui-notify' not found"


def test_a_non_zero_exit_quotes_stderr_on_one_line() -> None:
    script = "import sys; sys.stderr.write('no display\\n\\x1b[31mred\\n'); sys.exit(3)"
    problem = run_notify([sys.executable, "-c", script], "w", 1)
    assert problem.endswith("exited with 3: no display ?[31mred")
    assert "\n" not in problem and "\x1b" not in problem


def test_a_command_that_hangs_is_stopped_at_the_timeout() -> None:
    script = "import time; time.sleep(30)"
    problem = run_notify([sys.executable, "-c", script], "w", 1, timeout=0.3)
    assert problem.endswith("did not finish within 0.3 s")


def test_no_command_runs_nothing() -> None:
    assert run_notify([], "w", 1) == ""
