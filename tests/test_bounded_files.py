"""Every file feedtui reads (the config, an OPML file) is read only if it is a regular file of a
bounded size: /dev/zero, a FIFO or a huge file is one clear message, never a hang or a
MemoryError (tui.fsutil.read_small_file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.cli.opml import OPML_MAX_BYTES
from tui.config import CONFIG_MAX_BYTES
from tui.fsutil import FileRefused, read_small_file
from tui.index import META_FILE
from tui.paths import default_paths

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # claims `size` bytes, takes no disk
    return path


def _feedtui(*argv: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    # A child process: before the fix, opening a FIFO blocked forever.
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv], capture_output=True, text=True, timeout=timeout
    )


def test_a_regular_file_up_to_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_bytes(b"x" * 100)
    assert read_small_file(path, 100, "a test file") == b"x" * 100


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_unread() -> None:
    with pytest.raises(FileRefused, match=r"^/dev/zero is not a regular file$"):
        read_small_file(Path("/dev/zero"), 1000, "a test file")


@needs_fifo
@pytest.mark.timeout(10)
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match=r"pipe is not a regular file$"):
        read_small_file(fifo, 1000, "a test file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"is not a regular file$"):
        read_small_file(tmp_path, 1000, "a test file")


def test_a_file_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.opml", 2_000_000_000)
    with pytest.raises(FileRefused, match=r"big\.opml is larger than 1 MB: not an OPML file$"):
        read_small_file(big, 1_000_000, "an OPML file")


def test_import_of_a_device_is_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    # /dev/null rather than /dev/zero: before the fix /dev/zero was read until MemoryError.
    assert main(["feeds", "import", "/dev/null"]) == 1
    assert capsys.readouterr().err == "feedtui: /dev/null is not a regular file\n"


def test_import_of_a_huge_file_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = _sparse(tmp_path / "big.opml", OPML_MAX_BYTES + 1)
    assert main(["feeds", "import", str(big)]) == 1
    assert capsys.readouterr().err == f"feedtui: {big} is larger than 4 MB: not an OPML file\n"


@needs_fifo
def test_import_of_a_fifo_is_one_message(tmp_path: Path) -> None:
    fifo = tmp_path / "feeds.opml"
    os.mkfifo(fifo)
    done = _feedtui("feeds", "import", str(fifo))
    assert done.returncode == 1
    assert done.stderr == f"feedtui: {fifo} is not a regular file\n"


@needs_fifo
def test_a_fifo_as_the_config_is_one_message_and_the_doctor_says_so() -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True)
    os.mkfifo(config)
    done = _feedtui("search", "x")
    assert done.returncode == 1
    assert done.stderr == f"feedtui: {config} is not a regular file\n"
    doctor = _feedtui("doctor")
    assert f"FAIL  config: {config} is not a regular file" in doctor.stdout
    assert "clipboard" in doctor.stdout  # the other checks still ran
    assert "Traceback" not in doctor.stderr


def test_a_huge_config_is_one_message(capsys: pytest.CaptureFixture[str]) -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True)
    _sparse(config, CONFIG_MAX_BYTES + 1)
    assert main(["search", "x"]) == 1
    assert capsys.readouterr().err == (
        f"feedtui: {config} is larger than 2 MB: not a config file\n"
    )


@needs_fifo
def test_a_fifo_as_the_index_meta_file_does_not_block_a_start() -> None:
    assert _feedtui("search", "agents").returncode == 0  # builds the library and its index
    meta = default_paths().index_dir / META_FILE
    meta.unlink()
    os.mkfifo(meta)
    done = _feedtui("search", "agents")  # before: blocked opening the FIFO, for good
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.count("\n") >= 1
