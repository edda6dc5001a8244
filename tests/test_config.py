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


# -- errors name the right line, for any feed and any key --------------------------------------

TWO_FEEDS = """\
# my feeds
[[feeds]]
name = "a"
kind = "hf_daily"

[[feeds]]
name = "b"
kind = "bogus"
"""


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as error:
        parse_config(text, "cfg.toml")
    return str(error.value)


def test_an_error_in_the_second_feed_names_its_line() -> None:
    assert error_of(TWO_FEEDS).startswith("cfg.toml, line 8: feeds[1]: unknown kind 'bogus'")


def test_a_duplicate_name_points_at_the_duplicate() -> None:
    text = TWO_FEEDS.replace('"b"', '"a"').replace("bogus", "hf_trending")
    message = error_of(text)
    assert message.startswith("cfg.toml, line 7: feeds[1]: two feeds are named 'a'")
    assert "feeds[0], line 3" in message


def test_a_feeds_table_instead_of_an_array_of_tables_is_explained() -> None:
    message = error_of('theme = "x"\n\n[feeds]\nname = "a"\nkind = "hf_daily"\n')
    assert message.startswith("cfg.toml, line 3: feeds must be an array of tables: write [[feeds]]")
    assert "{" not in message  # not a Python dict


def test_a_missing_key_names_the_feeds_header() -> None:
    text = TWO_FEEDS.replace('kind = "bogus"\n', "")
    assert error_of(text).startswith("cfg.toml, line 6: feeds[1] needs a kind")


def test_inline_feeds_name_the_line_of_the_key() -> None:
    text = 'feeds = [\n  {name = "a", kind = "hf_daily"},\n  {name = "b", kind = "x"},\n]\n'
    assert error_of(text).startswith("cfg.toml, line 3: feeds[1]: unknown kind 'x'")


@pytest.mark.parametrize("count", [1, 2, 5, 12])
@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("kind", '"nope"', "unknown kind 'nope'"),
        ("url", '"ftp://example.org/x"', "url must be an http(s) URL"),
        ("refresh_minutes", "0", "refresh_minutes must be a whole number ≥ 1"),
        ("refresh_minutes", '"often"', "refresh_minutes must be a whole number"),
        ("max_results", "-5", "max_results must be a whole number ≥ 1"),
        ("categories", '["cs.LG"]', "categories is only for kind arxiv_rss"),
        ("bogus", "1", "unknown key 'bogus'"),
    ],
)
def test_every_feed_and_every_key_gets_its_own_line(
    count: int, key: str, value: str, message: str
) -> None:
    """The last of `count` feeds has the bad key, after comments, blank lines, a multi-line
    string that looks like a header, and keys that share the bad key's name in other feeds."""
    lines = ["# feeds", 'theme = """', "[[feeds]]", 'kind = "x"', '"""', ""]
    for n in range(count):
        lines += ["", "  [[ feeds ]]  # a feed", f'name = "f{n}"', 'kind = "hf_daily"']
        if n < count - 1:
            lines += ["refresh_minutes = 30", 'url = "https://example.org/ok"', "max_results = 5"]
    if key == "kind":
        lines.pop()  # the last feed's kind = "hf_daily"
    lines.append(f"{key} = {value}")
    expected = len(lines)
    message_text = error_of("\n".join(lines) + "\n")
    assert message_text.startswith(f"cfg.toml, line {expected}: feeds[{count - 1}]"), message_text
    assert message in message_text


@pytest.mark.parametrize(
    "category",
    [
        "cs.LG",
        "math.AP",
        "astro-ph.CO",
        "hep-th",
        "q-bio.NC",
        "stat.ML",
        "cond-mat.mes-hall",
        "physics.optics",
        "math-ph",
        "cs",
        "econ.EM",
        "eess.SP",
        "q-fin.ST",
        "nlin.CD",
        "quant-ph",
        "gr-qc",
        "nucl-th",
    ],
)
def test_real_arxiv_categories_are_accepted(category: str) -> None:
    config = parse_config(
        f'[[feeds]]\nname = "a"\nkind = "arxiv_rss"\ncategories = ["{category}"]\n'
    )
    assert config.feeds[0].categories == (category,)


@pytest.mark.parametrize(
    ("category", "hint"),
    [
        ("notacat", ""),
        ("cs.lg", "did you mean 'cs.LG'?"),
        ("cs.LGX", ""),
        ("cs.", ""),
        ("foo.AI", ""),
    ],
)
def test_unknown_arxiv_categories_are_refused(category: str, hint: str) -> None:
    message = error_of(f'[[feeds]]\nname = "a"\nkind = "arxiv_rss"\ncategories = "{category}"\n')
    assert message.startswith("cfg.toml, line 4: feeds[0]: categories: ")
    assert f"{category!r} is not an arXiv category" in message
    assert hint in message


def test_categories_must_be_strings() -> None:
    message = error_of('[[feeds]]\nname = "a"\nkind = "arxiv_rss"\ncategories = [1]\n')
    assert "line 4: feeds[0]: categories must be a string or a list of strings" in message


def test_quoted_keys_escapes_and_comments_do_not_confuse_the_lines() -> None:
    text = (
        'theme = "a \\" [[feeds]] # not a comment"\n'  # line 1
        "[[feeds]] # first\n"  # 2
        "name = 'x' # [[feeds]]\n"  # 3
        'kind = "hf_daily"\n'  # 4
        "[[feeds]]\n"  # 5
        '"name" = "y"\n'  # 6
        "'kind' = '''\n"  # 7
        "[[feeds]]\n"  # 8
        "'''\n"  # 9
    )
    assert error_of(text).startswith("cfg.toml, line 7: feeds[1]: unknown kind '[[feeds]]\\n'")


def test_zotero_connector_and_export_dir() -> None:
    config = parse_config('zotero_connector = "http://127.0.0.1:23120"\nexport_dir = "~/papers"\n')
    assert config.zotero_connector == "http://127.0.0.1:23120"
    assert config.export_dir == "~/papers"
    assert Config().zotero_connector == "http://127.0.0.1:23119"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"file:///etc/passwd"', "must start with http:// or https://"),
        ('"http://127.0.0.1:23119/connector/import"', "no path"),
        ('"http://"', "needs a host"),
    ],
)
def test_a_bad_zotero_connector_names_its_line(value: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f'theme = "textual-dark"\nzotero_connector = {value}\n')
    assert ", line 2: zotero_connector" in str(caught.value)
    assert problem in str(caught.value)
