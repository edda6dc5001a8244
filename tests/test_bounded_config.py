"""Any text the TOML parser is given as the config ends, soon, in a working app or one message:
nesting that exhausts tomllib's recursion, values too deep or too large to show, 115,000
feeds; every pass over the feeds or the text is linear, and `doctor` reports the problem and
still checks the rest."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tui import config as config_module
from tui.config import MAX_FEEDS, ConfigError, parse_config
from tui.paths import default_paths
from tui.toml_lines import TomlLocator


def _feeds(count: int) -> str:
    return "".join(
        f'[[feeds]]\nname = "f{n}"\nkind = "feed"\nurl = "https://example.org/{n}.xml"\n'
        for n in range(count)
    )


def _feedtui(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("value", ["[" * 500 + "]" * 500, "{a = " * 500 + "1" + "}" * 500])
def test_500_levels_of_nesting_is_one_message_from_every_command(value: str) -> None:
    config = default_paths().config_file
    config.parent.mkdir(parents=True)
    config.write_text(f"theme = {value}\n", encoding="utf-8")
    message = f"{config}: not valid TOML for feedtui: arrays or tables nested too deeply"
    search = _feedtui("search", "x")
    assert (search.returncode, search.stderr) == (1, f"feedtui: {message}\n")
    doctor = _feedtui("doctor")
    assert doctor.returncode == 1
    assert "Traceback" not in doctor.stderr and "RecursionError" not in doctor.stderr
    assert f"FAIL  config: {message}" in doctor.stdout
    assert "clipboard" in doctor.stdout  # the checks after the config still ran


def test_a_deep_or_huge_wrong_value_is_shown_short() -> None:
    for value in ("[" * 300 + "]" * 300, "[" + ", ".join(["1"] * 50_000) + "]"):
        with pytest.raises(ConfigError) as caught:
            parse_config(f"theme = {value}\n")
        message = str(caught.value)
        assert message.startswith("config.toml, line 1: theme must be a string, got [")
        assert len(message) < 200


def test_115k_feeds_is_one_message() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_feeds(115_000))
    assert str(caught.value) == (
        f"config.toml: 115,000 feeds: feedtui follows at most {MAX_FEEDS:,}"
    )


def test_a_config_that_is_fine_is_never_located(monkeypatch: pytest.MonkeyPatch) -> None:
    # The line locator is only for error messages: a valid config of 10,000 feeds skips it.
    built: list[int] = []

    class Counting(TomlLocator):
        def __init__(self, text: str) -> None:
            built.append(1)
            super().__init__(text)

    monkeypatch.setattr(config_module, "TomlLocator", Counting)
    assert len(parse_config(_feeds(MAX_FEEDS)).feeds) == MAX_FEEDS
    assert built == []
    # The last of 10,000 feeds named like the first: one locator, both lines named.
    with pytest.raises(ConfigError) as caught:
        parse_config(_feeds(MAX_FEEDS - 1) + _feeds(1))
    last = MAX_FEEDS - 1
    assert str(caught.value) == (
        f"config.toml, line {4 * last + 2}: feeds[{last}]: two feeds are named 'f0' "
        "(the other is feeds[0], line 2)"
    )
    assert built == [1]


class _CountingText(str):
    """A str that adds up how many characters its ``count`` calls scan."""

    scanned = 0

    def count(self, sub: Any, start: Any = None, end: Any = None) -> int:
        begin = 0 if start is None else start
        stop = len(self) if end is None else end
        type(self).scanned += max(0, stop - begin)
        return super().count(sub, begin, stop)


def test_locating_lines_scans_the_text_once() -> None:
    # It counted the newlines from the start of the text for every key: quadratic (115k feeds
    # took minutes). Now each newline is counted once.
    text = _CountingText(_feeds(2000))
    _CountingText.scanned = 0
    lines = TomlLocator(text).lines
    assert lines[("feeds", 1999, "url")] == 4 * 1999 + 4
    assert _CountingText.scanned <= len(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "refresh_minutes = 9223372036854775807\n",
            "config.toml, line 1: refresh_minutes must be at most 525600 (a year), got 9",
        ),
        (
            '[[feeds]]\nname = "a"\nkind = "feed"\nurl = "https://example.org/rss"\n'
            "refresh_minutes = 9223372036854775807\n",
            "config.toml, line 5: feeds[0]: refresh_minutes must be at most 525600 (a year)",
        ),
    ],
)
def test_a_refresh_interval_too_large_for_a_date_is_one_message(text: str, message: str) -> None:
    # It was accepted, and the first `feedtui fetch` after a failure crashed: OverflowError.
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "text",
    [
        '[[feeds]]\nname = "{x}"\nkind = "feed"\nurl = "https://e.org/a"\n' * 2,
        '[[feeds]]\nname = "a"\nkind = "{x}"\n',
        '[[feeds]]\nname = "a"\nkind = "arxiv_rss"\ncategories = "{x}"\n',
        '"{x}" = 1\n',
    ],
)
def test_a_long_wrong_string_is_shown_short(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text.replace("{x}", "x" * 5000))
    assert len(str(caught.value)) < 300
