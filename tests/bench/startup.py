"""Cold start and memory, each in a fresh child process so nothing is already imported or cached
in Python (the OS page cache is warm: the benchmark just wrote the files).

- headless: ``python -m tests.bench.startup headless DIR`` opens the library and runs
  `FeedApp(library)` under `run_test()` until the paper list has painted rows, then types a few
  searches and reports its peak RSS (VmHWM).
- terminal: the real ``feedtui`` command in a pseudo-terminal, timed until the first frame that
  contains a paper title is written; its VmHWM is read after a search has been typed into it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tui.paths import HOME_ENV

_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
COLS, ROWS = 120, 40
SEARCH_TYPED = "transformer attention"


def vm_hwm_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# ----------------------------------------------------------------------- headless (child side)


async def _headless(home: Path, spawned: float) -> dict[str, float]:
    t_start = time.perf_counter()
    from tui.app.app import FeedApp
    from tui.app.widgets.paper_list import PaperList
    from tui.library import Library
    from tui.paths import default_paths

    t_import = time.perf_counter()
    library = Library.open(default_paths())
    t_open = time.perf_counter()
    painted: list[float] = []
    painted_wall: list[float] = []
    fetch = library.entries

    def entries(ids):  # type: ignore[no-untyped-def]
        # The paper list fetches the entries of the rows it is drawing: the first non-empty
        # fetch is the first painted page.
        found = fetch(ids)
        if found and not painted:
            painted.append(time.perf_counter())
            painted_wall.append(time.time())
        return found

    library.entries = entries  # type: ignore[method-assign]
    app = FeedApp(library)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        while not painted:
            await pilot.pause(0.005)
        paper_list = app.screen.query_one(PaperList)
        first_paint = painted[0]
        rows = len(paper_list.ids)
        hwm_first_paint = vm_hwm_mb()
        # Memory with the app in use: a search typed letter by letter, then a filter.
        await pilot.press("slash")
        await pilot.press(*SEARCH_TYPED)
        await app.workers.wait_for_complete()
        await pilot.pause()
        searched_rows = len(paper_list.ids)
        await pilot.press(*(["backspace"] * len(SEARCH_TYPED)))
        await app.workers.wait_for_complete()
        await pilot.pause()
    library.close()
    return {
        "import_s": round(t_import - t_start, 3),
        "library_open_s": round(t_open - t_import, 3),
        "first_paint_in_process_s": round(first_paint - t_start, 3),
        # From the parent's spawn (interpreter start included) to the first painted page.
        "first_paint_s": round(painted_wall[0] - spawned, 3),
        "rows_listed": rows,
        "rows_after_search": searched_rows,
        "vm_hwm_first_paint_mb": hwm_first_paint,
        "vm_hwm_mb": vm_hwm_mb(),
    }


def headless(home: Path) -> dict[str, float]:
    """Parent side: spawn the headless child; wall time from spawn to first paint."""
    env = {**os.environ, HOME_ENV: str(home)}
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.startup", "headless", str(home), str(spawned)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"headless start failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------- the whole process


def hello_world() -> dict[str, float]:
    """The same measure for a hello-world Textual app (tests/bench/hello.py): the reference the
    first frame's ratio is taken against, in the same run."""
    from tests.bench.hello import TEXT

    command = [sys.executable, "-m", "tests.bench.hello"]
    return terminal(Path("."), TEXT, command, type_search=False)


def terminal(
    home: Path,
    title: str,
    feedtui: str | list[str],
    type_search: bool = True,
    at_rest_s: float = 0.0,
) -> dict[str, float]:
    """Run `feedtui` in a pty; seconds from spawn to the first frame showing `title`. With
    `at_rest_s`, then the share of one core the process used over that many seconds at rest
    (nothing typed, no refresh due), after AT_REST_SETTLE_S for its start-up work to end."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = {**os.environ, HOME_ENV: str(home), "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("TEXTUAL", None)
    needle = title[:24].encode()
    started = time.perf_counter()
    command = [feedtui] if isinstance(feedtui, str) else feedtui
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    buffer = b""
    first_frame = None
    result: dict[str, float] = {}
    try:
        deadline = started + 120
        while first_frame is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                buffer += chunk
                if needle in _ANSI.sub(b"", buffer):
                    first_frame = time.perf_counter() - started
        if first_frame is None:
            raise RuntimeError(f"no frame with {title[:24]!r}: {_ANSI.sub(b'', buffer)[-500:]!r}")
        result["first_frame_s"] = round(first_frame, 3)
        result["vm_hwm_first_frame_mb"] = vm_hwm_mb(proc.pid)
        if type_search:
            os.write(master, b"/")
            for char in SEARCH_TYPED:
                os.write(master, char.encode())
                _drain(master, 0.03)
            _drain(master, 2.0)
            result["vm_hwm_mb"] = vm_hwm_mb(proc.pid)
        if at_rest_s:
            _drain(master, AT_REST_SETTLE_S)
            before, t0 = cpu_seconds(proc.pid), time.perf_counter()
            _drain(master, at_rest_s)
            used, elapsed = cpu_seconds(proc.pid) - before, time.perf_counter() - t0
            result["at_rest_cpu_percent"] = round(100.0 * used / elapsed, 2)
            result["at_rest_s"] = round(elapsed, 1)
        os.write(master, b"\x11")  # ctrl+q
        _drain(master, 0.5)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    return result


# The app's start-up work (index warm-up, filter cache, "for you") ends well within this.
AT_REST_SETTLE_S = 15.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, all its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drain(fd: int, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


if __name__ == "__main__":
    if sys.argv[1] == "headless":
        print(json.dumps(asyncio.run(_headless(Path(sys.argv[2]), float(sys.argv[3])))))
