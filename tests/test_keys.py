"""The key table and the check of a user's [keys] remapping (headless: no Textual here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli.doctor import check_config
from tui.config import ConfigError, load_config
from tui.keys import KEYS, KeyNameError, canonical_key, keymap_problems
from tui.paths import default_paths


def test_the_default_table_has_no_clash_and_unique_ids() -> None:
    assert keymap_problems({}) == {}
    assert len({spec.id for spec in KEYS}) == len(KEYS)


@pytest.mark.parametrize(
    ("key", "canonical"),
    [("?", "question_mark"), ("question_mark", "question_mark"), ("/", "slash"), ("G", "G"),
     ("ctrl+z", "ctrl+z"), ("f5", "f5"), ("+", "plus"), ("ctrl++", "ctrl+plus")],
)  # fmt: skip
def test_spellings_of_one_key_compare_equal(key: str, canonical: str) -> None:
    assert canonical_key(key) == canonical


@pytest.mark.parametrize(
    ("key", "says"),
    [("esc", "did you mean escape"), ("Ctrl+x", "not a modifier"), ("ctrl+", "no key after"),
     ("period", "not a key name"), ("", "empty")],
)  # fmt: skip
def test_keys_no_terminal_sends_are_refused_with_the_reason(key: str, says: str) -> None:
    with pytest.raises(KeyNameError, match=says):
        canonical_key(key)


def test_problems_name_the_binding_and_what_to_do() -> None:
    assert "did you mean toggle_read?" in keymap_problems({"toggle_reed": "x"})["toggle_reed"]
    clash = keymap_problems({"toggle_read": "j"})["toggle_read"]
    assert "cursor_down" in clash and "remap cursor_down too" in clash
    # Swapping two keys is fine when both are remapped.
    assert keymap_problems({"toggle_read": "s", "toggle_saved": "r"}) == {}
    # The list and the preview never have the focus together: they may share keys.
    assert keymap_problems({"preview_down": "]"}) == {}
    assert "not a key name" in keymap_problems({"quit": "esc"})["quit"]
    assert keymap_problems({"quit": "Q,ctrl+q"}) == {}


@pytest.mark.parametrize(
    ("line", "says"),
    [('toggle_reed = "x"', "unknown binding id 'toggle_reed'"),
     ('toggle_read = "j"', "already the key of cursor_down"),
     ('toggle_read = "esc"', "'esc' is not a key name"),
     ('toggle_read = ""', "must be a key name")],
)  # fmt: skip
def test_a_bad_keys_table_is_one_message_naming_its_line(
    tmp_path: Path, line: str, says: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'theme = "textual-dark"\n\n[keys]\nback = "escape"\n{line}\n')
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert says in str(error.value)
    assert "line 5:" in str(error.value)


def test_doctor_reports_a_bad_keys_table() -> None:
    paths = default_paths()
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[keys]\ntoggle_read = "j"\n')
    [finding] = list(check_config(paths))
    assert not finding.ok
    assert "already the key of cursor_down" in finding.detail
