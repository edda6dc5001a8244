"""The headless key table (tui/keys.py) agrees with the installed Textual, and a remapped key
works in the app."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.keys import Keys, _normalize_key_list

from tests.app.conftest import paper_list, settle
from tui.app.app import FeedApp
from tui.keys import KEYS, MODIFIERS, NAMED_KEYS, canonical_key, split_keys
from tui.library import Library


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


@pytest.mark.anyio
async def test_a_remapped_key_runs_its_action_and_the_old_one_does_not(library: Library) -> None:
    library.config = replace(library.config, keymap={"toggle_read": "x"})
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        paper_id = paper_list(app).current_id or ""
        await pilot.press("r")
        await settle(pilot)
        assert library.get(paper_id).read is False  # type: ignore[union-attr]
        await pilot.press("x")
        await settle(pilot)
        assert library.get(paper_id).read is True  # type: ignore[union-attr]
