"""Adding a paper to papis (https://github.com/papis/papis) with its own command line:
``papis add --from arxiv ID``, run with argv (never a shell), no terminal input, a deadline,
and its output cleaned and cut before anyone shows it."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from tui.text import clean_block

PAPIS_TIMEOUT = 120.0  # papis downloads the metadata and the PDF from arXiv
OUTPUT_SHOWN = 400  # characters of papis's output in a message


class PapisError(Exception):
    """papis is missing, failed or hung; ``str()`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class PapisResult:
    output: str  # what papis printed, cleaned and cut (may be "")


def papis_command() -> str | None:
    """The papis executable on PATH, or None."""
    return shutil.which("papis")


def papis_argv(executable: str, arxiv_id: str) -> list[str]:
    # --batch: never stop to ask (there is no terminal to answer on); the id is one argument.
    return [executable, "add", "--batch", "--from", "arxiv", arxiv_id]


def add_to_papis(arxiv_id: str, timeout: float = PAPIS_TIMEOUT) -> PapisResult:
    executable = papis_command()
    if executable is None:
        raise PapisError("papis is not on PATH (install it: https://papis.readthedocs.io)")
    try:
        done = subprocess.run(
            papis_argv(executable, arxiv_id),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PapisError(f"papis did not finish within {timeout:g} s (stopped)") from None
    except OSError as error:
        raise PapisError(f"could not run papis: {error.strerror or error}") from None
    output = shown_output(done.stdout + done.stderr)
    if done.returncode != 0:
        said = f": {output}" if output else ""
        raise PapisError(f"papis failed (exit {done.returncode}){said}")
    return PapisResult(output)


def shown_output(raw: bytes) -> str:
    """papis's output for a message: decoded, escape sequences and controls removed, lines
    joined, the end kept (where papis says what it did) and at most OUTPUT_SHOWN characters."""
    text = clean_block(raw.decode("utf-8", errors="replace"), max_len=100_000)
    text = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(text) > OUTPUT_SHOWN:
        text = "…" + text[-OUTPUT_SHOWN:]
    return text


__all__ = ["PapisError", "PapisResult", "add_to_papis", "papis_command", "shown_output"]
