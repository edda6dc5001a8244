"""The suite stays off the developer's real folders and off the network (tests/conftest.py).

The guard on the real folders is proved with a stand-in home (FEEDTUI_TEST_REAL_HOME) in a
child pytest, so proving it never writes to the real one. The network block is proved by
checking that the real socket functions are never reached: nothing is ever sent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REAL_HOME_ENV, TESTS
from tests.feed_server import FeedServer
from tests.hermetic import sitecustomize as network
from tui.feeds import http
from tui.library import Library
from tui.paths import default_paths

REPO = TESTS.parent
UNROUTABLE = ("10.255.255.1", 80)


def run_child_pytest(tmp_path: Path, test_body: str) -> subprocess.CompletedProcess[str]:
    """Run one tiny test file in a child pytest with this suite's conftest, the real home
    replaced by a stand-in under tmp_path."""
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pytest.ini").write_text("[pytest]\n")
    (inner / "test_inner.py").write_text(textwrap.dedent(test_body))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(inner / "pytest.ini"),
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            str(inner / "test_inner.py"),
        ],
        cwd=REPO,
        env={**os.environ, REAL_HOME_ENV: str(tmp_path / "realhome")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- the real folders ------------------------------------------------------------------------


def test_the_run_has_its_own_home_and_xdg_dirs() -> None:
    home = Path(os.environ["HOME"])
    assert home.name == "home" and home.parent.name.startswith("feedtui-tests-")
    assert Path.home() == home
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        assert not os.environ[var].startswith(str(Path("~").expanduser() / ".local"))
    # default_paths() with FEEDTUI_HOME unset lands in the tmp XDG dirs, never in a real home.
    env = {k: v for k, v in os.environ.items() if k != "FEEDTUI_HOME"}
    paths = default_paths(env)
    assert str(paths.data_dir).startswith(os.environ["XDG_DATA_HOME"])


def test_children_inherit_the_isolation() -> None:
    code = (
        "import os, platformdirs; print(os.environ['HOME']); "
        "print(platformdirs.user_data_dir('feedtui', appauthor=False))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FEEDTUI_HOME", "XDG_DATA_HOME")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    home, data = out.stdout.split("\n")[:2]
    assert home == os.environ["HOME"]
    assert data == str(Path(home) / ".local" / "share" / "feedtui")


def test_guard_fails_the_run_when_a_test_writes_into_the_real_folders(tmp_path: Path) -> None:
    kept = tmp_path / "realhome" / ".config" / "feedtui" / "config.toml"
    kept.parent.mkdir(parents=True)
    kept.write_text("# the user's own\n")
    leak = tmp_path / "realhome" / ".local" / "share" / "feedtui" / "feedtui.sqlite3"
    out = run_child_pytest(
        tmp_path,
        f"""
        from pathlib import Path

        def test_leaks():
            target = Path({str(leak)!r})
            target.parent.mkdir(parents=True)
            target.write_bytes(b"not in a tmp dir")
        """,
    )
    assert out.returncode == pytest.ExitCode.TESTS_FAILED, out.stdout + out.stderr
    assert "1 passed" in out.stdout  # the test itself passed: the guard failed the run
    assert "the tests touched your real feedtui folders" in out.stdout
    assert f"created  {leak}" in out.stdout
    assert str(kept) not in out.stdout  # what was there before and stayed the same is fine


def test_guard_sees_a_changed_file_too(tmp_path: Path) -> None:
    config = tmp_path / "realhome" / ".config" / "feedtui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("# the user's own\n")
    out = run_child_pytest(
        tmp_path,
        f"""
        from pathlib import Path

        def test_edits():
            Path({str(config)!r}).write_text("refresh_minutes = 5  # overwritten by a test\\n")
        """,
    )
    assert out.returncode == pytest.ExitCode.TESTS_FAILED, out.stdout + out.stderr
    assert f"changed  {config}" in out.stdout


def test_guard_is_quiet_when_the_tests_stay_in_tmp_dirs(tmp_path: Path) -> None:
    # Even monkeypatch.undo() (which drops the per-test isolation) lands in the run's tmp home.
    out = run_child_pytest(
        tmp_path,
        """
        from tui.config import Config
        from tui.library import Library

        def test_opens_the_default_library(monkeypatch):
            monkeypatch.undo()
            Library.open(config=Config(feeds=())).close()
        """,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "touched" not in out.stdout
    assert not (tmp_path / "realhome").exists()


# --- the network -----------------------------------------------------------------------------


@pytest.fixture
def never_reached(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the real socket functions behind the block: a blocked call must not get there."""
    reached: list[str] = []
    for name in list(network._original):

        def spy(*args: object, _name: str = name, **kwargs: object) -> None:
            reached.append(_name)
            raise AssertionError(f"socket {_name} was reached: the block let it through")

        monkeypatch.setitem(network._original, name, spy)
    return reached


def test_the_block_is_installed_for_the_whole_run() -> None:
    assert network.installed()
    assert socket.create_connection is network._create_connection
    assert socket.getaddrinfo is network._getaddrinfo
    assert socket.socket.connect is network._connect


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.create_connection(UNROUTABLE, timeout=1),
        lambda: socket.create_connection(("example.com", 80), timeout=1),
        lambda: socket.getaddrinfo("example.com", 80),
        lambda: socket.gethostbyname("huggingface.co"),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(UNROUTABLE),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect_ex(UNROUTABLE),
        lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM).connect(("2001:db8::1", 80)),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("8.8.8.8", 53)),
    ],
    ids=[
        "create_connection-ip",
        "create_connection-name",
        "getaddrinfo",
        "gethostbyname",
        "connect",
        "connect_ex",
        "connect-ipv6",
        "sendto-dns",
    ],
)
def test_non_loopback_is_refused_before_anything_is_sent(
    never_reached: list[str], attempt: object
) -> None:
    with pytest.raises(network.NetworkBlocked, match="never use the network") as caught:
        attempt()  # type: ignore[operator]
    assert isinstance(caught.value, OSError)
    assert never_reached == []


def test_the_refusal_names_the_host() -> None:
    with pytest.raises(network.NetworkBlocked, match=r"10\.255\.255\.1:80"):
        socket.create_connection(UNROUTABLE, timeout=1)
    with pytest.raises(network.NetworkBlocked, match=r"look up example\.com"):
        socket.getaddrinfo("example.com", 443)


def test_feedtui_fetch_gets_a_one_line_error_not_the_internet(never_reached: list[str]) -> None:
    with pytest.raises(http.FetchError, match="never use the network"):
        http.fetch("https://huggingface.co/api/daily_papers", deadline=2)
    assert never_reached == []


def test_loopback_still_works(feed_server: FeedServer) -> None:
    url = feed_server.route("/ok", body=b"fine")
    assert http.fetch(url, deadline=5).body == b"fine"
    assert socket.getaddrinfo("localhost", 80)
    with socket.create_connection(("127.0.0.1", feed_server.port), timeout=5):
        pass
    assert Library  # the app's own imports are unaffected


def test_children_are_blocked_too() -> None:
    # The child checks that the block is in place before it tries anything, so a missing
    # block fails this test without a single packet sent.
    code = textwrap.dedent(
        """
        import socket, sys
        import sitecustomize
        if not getattr(sitecustomize, "installed", lambda: False)():
            sys.exit("no network block in the child")
        try:
            socket.create_connection(("10.255.255.1", 80), timeout=1)
        except OSError as error:
            print(type(error).__name__, error)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("NetworkBlocked ")
    assert "10.255.255.1:80" in out.stdout
