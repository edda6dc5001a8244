"""Running the user's ``notify_command`` for a watch with new papers.

Headless (no Textual) so that it can be tested alone. The command is run directly from its
argv words, never through a shell: a watch's name is user text and must never be parsed as
shell syntax. Whatever goes wrong comes back as one line for a toast, never as an exception.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

TIMEOUT_SECONDS = 10.0
# What the command printed on failure is quoted in the toast: one short line of it.
OUTPUT_MAX = 200


def run_notify(
    command: Sequence[str], name: str, count: int, *, timeout: float = TIMEOUT_SECONDS
) -> str:
    """Run ``command + [name, str(count)]``; "" when it worked, else why it did not."""
    if not command:
        return ""
    argv = [*command, name, str(count)]
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"{command[0]!r} not found"
    except PermissionError:
        return f"{command[0]!r} is not executable"
    except subprocess.TimeoutExpired:
        return f"{command[0]!r} did not finish within {timeout:g} s"
    except OSError as error:
        return f"{command[0]!r} could not run ({error.strerror or error})"
    if done.returncode != 0:
        said = _one_line(done.stderr or done.stdout)
        return f"{command[0]!r} exited with {done.returncode}" + (f": {said}" if said else "")
    return ""


def _one_line(output: bytes) -> str:
    text = " ".join(output.decode("utf-8", "replace").split())
    # Control characters from a misbehaving command must not reach the terminal.
    text = "".join(char if char.isprintable() else "?" for char in text)
    return text[:OUTPUT_MAX]
