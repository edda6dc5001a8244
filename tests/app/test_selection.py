"""Selecting papers (space, ctrl+a, Esc) and what acts on the selection: r and s, the copies,
E (export to a file), Z (Zotero) and P (papis), driven as a user drives the app."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette

from tests.app.conftest import (
    OFFLINE,
    burst,
    main_screen,
    notifications,
    paper_list,
    settle,
    visible_rows,
    wait_until,
)
from tests.zotero_server import ZoteroStandIn
from tui.app.app import FeedApp
from tui.app.screens.export_format import ExportFormatScreen
from tui.app.screens.help import help_content
from tui.library import Library

pytestmark = pytest.mark.anyio


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    return tmp_path / "exports"


def open_library(**config: str) -> Library:
    return Library.open(config=replace(OFFLINE, **config))


@pytest.fixture
def library_exporting(exports: Path) -> Iterator[Library]:
    opened = open_library(export_dir=str(exports))
    try:
        yield opened
    finally:
        opened.close()


def status(app: FeedApp) -> str:
    return main_screen(app).status.text


async def test_space_marks_the_row_and_moves_down(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        ids = list(listed.ids)
        before = visible_rows(app)
        burst(app, ["space", "space"])
        await settle(pilot)
        assert listed.cursor == 2
        assert listed.selected == ids[:2]
        rows = visible_rows(app)
        assert rows[0].startswith("+") and rows[1].startswith("+")
        assert not rows[2].startswith("+")
        # The mark takes the blank first cell: the rest of the row does not move.
        assert [row[1:] for row in rows[:2]] == [row[1:] for row in before[:2]]
        assert "2 selected" in status(app)
        burst(app, ["k", "space"])  # space again unselects
        await settle(pilot)
        assert listed.selected == ids[:1]
        assert "1 selected" in status(app)


async def test_ctrl_a_selects_all_shown_and_escape_clears_first(library: Library) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"agent", "enter"])
        await settle(pilot)
        listed = paper_list(app)
        shown = list(listed.ids)
        assert 1 < len(shown) < 85
        burst(app, ["ctrl+a"])
        await settle(pilot)
        assert listed.selected == shown
        assert f"{len(shown)} selected" in status(app)
        burst(app, ["escape"])  # first the selection...
        await settle(pilot)
        assert listed.selected == []
        assert "selected" not in status(app)
        assert main_screen(app).search_input.value == "agent"
        burst(app, ["escape"])  # ...then, as before, the search
        await settle(pilot)
        assert main_screen(app).search_input.value == ""


async def test_the_selection_survives_a_search_and_says_what_is_hidden(
    library: Library,
) -> None:
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        burst(app, ["space", "space", "space"])
        await settle(pilot)
        chosen = listed.selected
        burst(app, ["slash", *"agent", "enter"])
        await settle(pilot)
        still = [paper_id for paper_id in chosen if paper_id in listed.ids]
        hidden = len(chosen) - len(still)
        assert hidden > 0, "the test needs a search that hides some of the selection"
        assert sorted(listed.selected) == sorted(chosen)  # kept, shown or not
        assert f"3 selected ({hidden} not shown)" in status(app)
        burst(app, ["slash", "escape"])  # Esc in the search box only goes back to the list
        await settle(pilot)
        assert listed.has_focus
        assert sorted(listed.selected) == sorted(chosen)


async def test_r_on_the_selection_marks_all_read_and_u_undoes_it(library: Library) -> None:
    ids = library.search("").ids
    library.set_marks({ids[1]: True}, "read")  # one of them read already
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["space", "space", "space", "r"])
        await wait_until(pilot, lambda: "Marked 3 papers read (U undoes it)" in notifications(app))
        entries = library.entries(ids[:3])
        assert all(entries[i].read for i in ids[:3])
        assert not library.get(ids[3]).read  # type: ignore[union-attr]
        assert all(row.startswith("+ ") for row in visible_rows(app)[:3])  # drawn read
        burst(app, ["r"])  # all read now: r makes them all unread
        await wait_until(
            pilot, lambda: "Marked 3 papers unread (U undoes it)" in notifications(app)
        )
        assert not any(e.read for e in library.entries(ids[:3]).values())
        burst(app, ["U", "U"])  # back to before the first r, the whole batch at once
        await wait_until(
            pilot, lambda: notifications(app).count("Undone: marked 3 papers read") == 1
        )
        entries = library.entries(ids[:3])
        assert [entries[i].read for i in ids[:3]] == [False, True, False]


async def test_s_on_the_selection_saves_them_all(library: Library) -> None:
    ids = library.search("").ids
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["space", "j", "space", "s"])
        await wait_until(pilot, lambda: "Marked 2 papers saved (U undoes it)" in notifications(app))
        entries = library.entries(ids[:3])
        assert [entries[i].saved for i in ids[:3]] == [True, False, True]


async def test_y_and_b_copy_the_whole_selection(library: Library) -> None:
    ids = library.search("").ids
    found = library.entries(ids)
    with_code = [i for i, pid in enumerate(ids) if found[pid].paper.code_url][:2]
    without = next(i for i, pid in enumerate(ids) if not found[pid].paper.code_url)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = paper_list(app)
        for index in [*with_code, without]:
            listed.cursor = index
            burst(app, ["space"])
            await settle(pilot)
        burst(app, ["y"])
        await settle(pilot)
        in_list_order = sorted(with_code)
        assert app.clipboard == "\n".join(found[ids[i]].paper.code_url for i in in_list_order)
        assert any("2 code links (1 paper without one)" in n for n in notifications(app))
        burst(app, ["b"])
        await settle(pilot)
        assert app.clipboard.count("@misc{") == 3


async def test_E_writes_the_selection_to_a_file_it_names(
    library_exporting: Library, exports: Path
) -> None:
    library = library_exporting
    ids = library.search("").ids
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["space", "j", "space", "E"])
        await wait_until(pilot, lambda: isinstance(app.screen, ExportFormatScreen))
        burst(app, ["enter"])  # BibTeX, the first format
        await wait_until(pilot, lambda: exports.exists() and any(exports.iterdir()))
        await settle(pilot)
        [written] = exports.iterdir()
        assert written.name.startswith("feedtui-export-") and written.suffix == ".bib"
        text = written.read_text(encoding="utf-8")
        assert text.count("@misc{") == 2
        for paper_id in (ids[0], ids[2]):
            assert f"eprint = {{{paper_id}}}" in text
        assert f"Exported 2 papers to {written}" in notifications(app)
        assert stat.S_IMODE(written.stat().st_mode) == 0o644


async def test_E_without_a_selection_exports_the_shown_list_as_chosen(
    library_exporting: Library, exports: Path
) -> None:
    app = FeedApp(library_exporting)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"agent", "enter"])
        await settle(pilot)
        shown = len(paper_list(app).ids)
        burst(app, ["E"])
        await wait_until(pilot, lambda: isinstance(app.screen, ExportFormatScreen))
        burst(app, ["down", "down", "enter"])  # bibtex, ris, csv
        await wait_until(pilot, lambda: exports.exists() and any(exports.iterdir()))
        await settle(pilot)
        [written] = exports.iterdir()
        assert written.suffix == ".csv"
        assert len(written.read_bytes().splitlines()) == shown + 1


async def test_E_then_escape_writes_nothing(library_exporting: Library, exports: Path) -> None:
    app = FeedApp(library_exporting)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["E"])
        await wait_until(pilot, lambda: isinstance(app.screen, ExportFormatScreen))
        burst(app, ["escape"])
        await settle(pilot)
        assert not exports.exists()
        assert paper_list(app).has_focus


async def test_Z_sends_the_selection_to_zotero(zotero_server: ZoteroStandIn) -> None:
    library = open_library(zotero_connector=zotero_server.address)
    try:
        app = FeedApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            burst(app, ["space", "space", "Z"])
            await wait_until(pilot, lambda: "Added to Zotero: 2 papers" in notifications(app))
            [bibtex] = zotero_server.imported
            assert bibtex.count("@misc{") == 2
    finally:
        library.close()


async def test_Z_when_zotero_is_not_running(nothing_listening: str) -> None:
    library = open_library(zotero_connector=nothing_listening)
    try:
        app = FeedApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            burst(app, ["Z"])  # no selection: the paper under the cursor
            where = nothing_listening.removeprefix("http://")
            await wait_until(
                pilot,
                lambda: any(
                    n.startswith(f"Zotero is not running on {where}") for n in notifications(app)
                ),
            )
            message = next(n for n in notifications(app) if n.startswith("Zotero is not"))
            assert "remote session" in message
    finally:
        library.close()


FAKE_PAPIS = f"""#!{sys.executable}
import os, sys
with open(os.environ["FAKE_PAPIS_LOG"], "a", encoding="utf-8") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
print("\\x1b[1mDocument added\\x1b[0m")
"""


async def test_P_adds_to_papis_and_says_when_it_is_missing(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst(app, ["P"])
        await settle(pilot)
        assert any(n.startswith("papis is not on PATH") for n in notifications(app))
        script = folder / "papis"
        script.write_text(FAKE_PAPIS, encoding="utf-8")
        script.chmod(0o755)
        log = tmp_path / "papis.log"
        monkeypatch.setenv("FAKE_PAPIS_LOG", str(log))
        arxiv_id = library.get(paper_list(app).current_id or "").paper.arxiv_id  # type: ignore[union-attr]
        burst(app, ["P"])
        await wait_until(
            pilot, lambda: f"Added to papis: arXiv:{arxiv_id}: Document added" in notifications(app)
        )
        assert log.read_text(encoding="utf-8") == f"add --batch --from arxiv {arxiv_id}\n"
        assert os.environ["PATH"] == str(folder)


async def test_the_new_keys_are_in_help_and_the_palette_runs_export(
    library_exporting: Library,
) -> None:
    app = FeedApp(library_exporting)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = help_content({}).plain
        for binding_id in (
            "toggle_selection", "select_all", "export", "send_to_zotero", "add_to_papis"
        ):  # fmt: skip
            assert f"({binding_id})" in text
        assert "space" in text and "ctrl+a" in text
        burst(app, ["ctrl+p"])
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        burst(app, [*"Export the selection", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, ExportFormatScreen))


async def test_E_into_a_folder_that_cannot_be_made_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    library = open_library(export_dir=str(blocker / "exports"))
    try:
        app = FeedApp(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            burst(app, ["E"])
            await wait_until(pilot, lambda: isinstance(app.screen, ExportFormatScreen))
            burst(app, ["enter"])
            await wait_until(
                pilot,
                lambda: any(n.startswith("Could not export to") for n in notifications(app)),
            )
            message = next(n for n in notifications(app) if n.startswith("Could not export"))
            assert str(blocker / "exports") in message and "export_dir" in message
            assert app.is_running
    finally:
        library.close()
