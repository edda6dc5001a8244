"""A closed terminal (SIGHUP) or a kill (SIGTERM) ends feedtui cleanly: the app exits as with
q, the library is closed and `feedtui --sample`'s throwaway folder is removed.

The real `python -m tui --sample` runs on a pseudo-terminal with TMPDIR pointing at the test's
tmp dir, so the `feedtui-sample-*` folder it makes can be watched. For SIGHUP the pty is made
the child's controlling terminal and then closed: the kernel sends the SIGHUP, as when an SSH
connection drops or a tmux pane is killed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Drawn once the main screen is up (the status line in sample mode).
READY = b"sample mode"

pytestmark = pytest.mark.slow


class SampleApp:
    """`python -m tui --sample` on a pty, the pty its controlling terminal."""

    def __init__(self, tmp: Path, *args: str) -> None:
        self.tmp = tmp
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "TMPDIR": str(tmp)}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "--sample", *args],
            cwd=REPO,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            # After setsid(): the pty becomes the controlling terminal, so closing it hangs up.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()

    def sample_dirs(self) -> list[Path]:
        return sorted(self.tmp.glob("feedtui-sample-*"))

    def read_until(self, needle: bytes, deadline: float) -> bool:
        give_up = time.monotonic() + deadline
        while needle not in self.output and time.monotonic() < give_up:
            if not self._read(0.2):
                break
        return needle in self.output

    def _read(self, timeout: float) -> bool:
        assert self.master is not None
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the app ended and closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def wait(self, deadline: float = 20.0) -> int | None:
        """Wait for the process to end, draining the pty meanwhile (while it is open)."""
        give_up = time.monotonic() + deadline
        while self.process.poll() is None and time.monotonic() < give_up:
            if self.master is None or not self._read(0.1):
                time.sleep(0.05)
        return self.process.poll()

    def hang_up(self) -> None:
        """Close the terminal: the kernel sends SIGHUP to the app."""
        assert self.master is not None
        os.close(self.master)
        self.master = None

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.master is not None:
            os.close(self.master)


@pytest.fixture
def sample_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    apps: list[SampleApp] = []

    def start(*args: str) -> SampleApp:
        app = SampleApp(tmp_path, *args)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.close()


def test_q_removes_the_sample_folder(sample_app) -> None:  # type: ignore[no-untyped-def]
    app = sample_app()
    assert app.read_until(READY, 60), app.output[-2000:]
    assert len(app.sample_dirs()) == 1
    os.write(app.master, b"q")  # type: ignore[arg-type]
    assert app.wait() == 0
    assert app.sample_dirs() == []


def test_sigterm_ends_the_app_cleanly(sample_app) -> None:  # type: ignore[no-untyped-def]
    app = sample_app()
    assert app.read_until(READY, 60), app.output[-2000:]
    [folder] = app.sample_dirs()
    assert (folder / "data" / "feedtui.sqlite3").exists()
    app.process.send_signal(signal.SIGTERM)
    code = app.wait()
    assert code == 128 + signal.SIGTERM, app.output[-2000:]
    assert app.sample_dirs() == []
    text = bytes(app.output).decode("utf-8", "replace")
    assert "Traceback" not in text
    # The app left the terminal as q does: alternate screen off, cursor back.
    assert "\x1b[?1049l" in text


def test_closed_terminal_sighup_ends_the_app_cleanly(sample_app) -> None:  # type: ignore[no-untyped-def]
    app = sample_app()
    assert app.read_until(READY, 60), app.output[-2000:]
    assert len(app.sample_dirs()) == 1
    app.hang_up()
    code = app.wait()
    assert code == 128 + signal.SIGHUP
    assert app.sample_dirs() == []


def test_sighup_sent_by_hand_ends_the_app_cleanly(sample_app) -> None:  # type: ignore[no-untyped-def]
    # `kill -HUP` with the terminal still there (what tmux does before it closes a pane).
    app = sample_app()
    assert app.read_until(READY, 60), app.output[-2000:]
    app.process.send_signal(signal.SIGHUP)
    assert app.wait() == 128 + signal.SIGHUP
    assert app.sample_dirs() == []


def test_sigterm_during_a_headless_command_removes_the_sample_folder(tmp_path: Path) -> None:
    # A headless command ends with SystemExit in the main thread: the finally blocks run.
    # `feedtui --sample search` reads the sample; the signal arrives while it is starting up
    # or searching, whichever comes first.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time\n"
            "import tui.library as library\n"
            "real_open = library.Library.open\n"
            "def slow_open(*args, **kwargs):\n"
            "    opened = real_open(*args, **kwargs)\n"
            "    print('opened', flush=True)\n"
            "    time.sleep(60)\n"
            "    return opened\n"
            "library.Library.open = slow_open\n"
            "from tui.cli import main\n"
            "sys.exit(main(['--sample', 'search', 'attention']))\n",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "opened\n"
        assert len(list(tmp_path.glob("feedtui-sample-*"))) == 1
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in (child.stderr.read() if child.stderr else "")
    assert list(tmp_path.glob("feedtui-sample-*")) == []


def test_doctor_with_sample_removes_its_folder(tmp_path: Path) -> None:
    # Found on the way: `feedtui --sample doctor` returned before the clean-up was armed.
    out = subprocess.run(
        [sys.executable, "-m", "tui", "--sample", "doctor"],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in out.stderr
    assert list(tmp_path.glob("feedtui-sample-*")) == []
