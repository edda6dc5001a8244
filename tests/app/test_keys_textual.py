"""The headless key table (tui/keys.py) agrees with the installed Textual."""

from __future__ import annotations

from textual.keys import Keys, _normalize_key_list

from tui.keys import KEYS, MODIFIERS, NAMED_KEYS, canonical_key, split_keys


def test_named_keys_are_textual_key_names() -> None:
    textual_names = {key.value for key in Keys}
    bare = {name for name in textual_names if not any(f"{m}+" in name for m in MODIFIERS)}
    assert textual_names >= NAMED_KEYS
    # Every modifier-free name Textual can deliver (but its internal pseudo-keys) is known.
    assert {name for name in bare if not name.startswith("<")} - NAMED_KEYS <= {"ctrl-at"}


def test_the_table_spells_keys_as_textual_normalises_them() -> None:
    for spec in KEYS:
        for key in split_keys(spec.keys):
            assert canonical_key(key) == _normalize_key_list(key), (spec.id, key)
