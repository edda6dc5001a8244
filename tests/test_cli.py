"""The command line, run as a user runs it: exit codes, stdout, stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tui import __version__
from tui.cli import main
from tui.paths import default_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"feedtui {__version__}"


def test_search_prints_id_title_date_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "refuse", "unknown", "--limit", "3")
    assert code == 0
    first = out.splitlines()[0].split("\t")
    assert first[0] == "2311.09677"
    assert first[1].startswith("R-Tuning")
    assert first[3] == "https://github.com/shizhediao/R-Tuning"


def test_search_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "has:code", "--json", "--limit", "5")
    assert code == 0
    papers = json.loads(out)
    assert 0 < len(papers) <= 5
    for paper in papers:
        assert {"id", "title", "authors", "published", "code_url", "url"} <= set(paper)
        assert paper["code_url"].startswith("https://")


def test_malformed_query_gives_a_hint_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", 'year:abc "unclosed')
    assert code == 0
    assert "year:abc" in err


def test_mark_and_export_saved(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "mark", "2311.09677v2", "--saved", "--read")
    assert (code, out.strip()) == (0, "2311.09677: read, saved")
    code, out, _ = run(capsys, "export", "--saved", "--format", "json")
    assert [p["id"] for p in json.loads(out)] == ["2311.09677"]
    code, out, _ = run(capsys, "export", "--saved", "--format", "bibtex")
    assert out.startswith("@") and "2311.09677" in out
    code, out, _ = run(capsys, "export", "--saved", "--format", "markdown")
    assert "[R-Tuning" in out and "https://github.com/shizhediao/R-Tuning" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mark", "9999.99999", "--read"], "no paper '9999.99999'"),
        (["mark", "2311.09677"], "say what to mark"),
        (["mark", "2311.09677", "--read", "--unread"], "choose one of"),
    ],
)
def test_errors_go_to_stderr_with_nonzero_exit(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert message in err and err.startswith("feedtui: ")
    assert out == ""


def test_bad_config_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_paths().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mark_read_on_open = 3\n")
    code, _, err = run(capsys, "search", "x")
    assert code == 1
    assert err.strip() == f"feedtui: {path}, line 1: mark_read_on_open must be true or false, got 3"


def test_console_entry_point_runs_as_a_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tui", "search", "au:fookes", "--limit", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("2011.05438\t")


def test_a_closed_pipe_is_not_a_traceback() -> None:
    from tui.library import Library
    from tui.model import Paper

    library = Library.open()
    long_abstract = "Pipes close early when a reader has seen enough. " * 100
    library.import_papers(
        [
            Paper(id=f"pipe-{n}", title=f"Pipe paper {n}", abstract=long_abstract)
            for n in range(300)
        ],
        "test",
    )
    library.close()
    # `feedtui search ... | head -1`: the reader goes away after one line, while feedtui still
    # has far more than a pipe buffer (64 KiB) of JSON to write.
    command = f"{sys.executable} -m tui search pipe --json --limit 300 | head -1"
    out = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    assert out.stdout.count("\n") == 1
    assert "Traceback" not in out.stderr


def add_pipe_papers(count: int) -> None:
    from tui.library import Library
    from tui.model import Paper

    library = Library.open()
    long_abstract = "Pipes close early when a reader has seen enough. " * 100
    papers = [
        Paper(id=f"pipe-{n}", title=f"Pipe paper {n}", abstract=long_abstract) for n in range(count)
    ]
    library.import_papers(papers, "test")
    library.ensure_index()
    library.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "pipe", "--limit", "2"],  # fits in the buffer: fails at the exit flush
        ["search", "pipe", "--json", "--limit", "300"],  # far more than a pipe holds
        ["export", "--saved", "--format", "json"],
    ],
)
def test_a_reader_that_left_is_not_a_failure(argv: list[str]) -> None:
    add_pipe_papers(300)
    # The reader closes its end before feedtui writes anything (`| head -0`, the extreme
    # `| head -1`): every write, or the final flush, meets a closed pipe.
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err and "Broken pipe" not in err


def test_search_piped_into_head_exits_0() -> None:
    add_pipe_papers(300)
    command = (
        f"{sys.executable} -m tui search pipe --json --limit 300 | head -1; exit ${{PIPESTATUS[0]}}"
    )
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1
