"""The TOML config: defaults, the documented example, and errors naming key and line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from tui.config import DEFAULT_FEEDS, Config, ConfigError, load_config, parse_config


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config == Config()
    assert config.feeds == DEFAULT_FEEDS
    assert config.mark_read_on_open is False


def test_shipped_example_parses() -> None:
    text = resources.files("tui.assets").joinpath("config.example.toml").read_text("utf-8")
    config = parse_config(text)
    assert {feed.kind for feed in config.feeds} >= {"hf_daily", "hf_trending"}


def test_a_url_stands_in_for_categories() -> None:
    config = parse_config(
        '[[feeds]]\nname = "a"\nkind = "arxiv_rss"\nurl = "http://127.0.0.1:1/x"\n'
    )
    assert config.feeds[0].url == "http://127.0.0.1:1/x"


def test_values_and_keymap() -> None:
    config = parse_config(
        'mark_read_on_open = true\n[keys]\ntoggle_read = "x"\n'
        '[[feeds]]\nname = "ml"\nkind = "arxiv_rss"\ncategories = "cs.LG+cs.CL"\n'
    )
    assert config.mark_read_on_open is True
    assert config.keymap == {"toggle_read": "x"}
    assert config.feeds[0].categories == ("cs.LG", "cs.CL")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "theme = 'x'\nmark_read_on_open = 'yes'\n",
            "line 2: mark_read_on_open must be true or false",
        ),
        ("search_limit = true\n", "line 1: search_limit must be a whole number"),
        ("\n\nbogus = 1\n", "line 3: unknown key 'bogus'"),
        ("[[feeds]]\nname = 'a'\nkind = 'rss'\n", "line 3: feeds[0]: unknown kind 'rss'"),
        ("[[feeds]]\nname = 'a'\nkind = 'feed'\n", "feeds[0]: kind 'feed' needs url"),
        ("x = [\n", "not valid TOML"),
        ("search_limit = 0\n", "line 1: search_limit must be at least 1"),
    ],
)
def test_errors_name_key_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(text, "cfg.toml")
    assert message in str(error.value)
    assert str(error.value).startswith("cfg.toml")
