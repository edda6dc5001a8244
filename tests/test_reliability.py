"""The RELIABILITY.md corpus: one end-to-end case per row, through the real code path.

Feed bytes come from the local `feed_server` (127.0.0.1), go through `feeds.refresh_feeds()` (or
`fetch_feed` where a row needs a short deadline), the parser, the store, the index and, for the
text rows, the screen (`FeedApp.run_test()`). Each test is named after its row. Rows whose faithful
test needs a child process or a pty live in other files; this table is the map.

Row -> tests (names without a path are in this file):

Untrusted text
  ESC/OSC/CSI in title/abstract, also as `&#27;`
      test_text_escape_sequences_are_stripped_and_never_rendered
      test_text_escape_entities_in_xml_feeds
      pty: tests/app/test_terminal_output.py::test_no_feed_control_sequence_reaches_the_terminal
      unit: tests/test_text.py::test_terminal_sequences_are_removed_whole
      properties: tests/test_properties.py
  Textual markup `[@click=app.quit]`, `[link=file://]`
      test_text_markup_is_shown_literally_and_clicks_run_nothing
      tests/app/test_terminal_output.py::test_clicking_any_rendered_text_runs_nothing
      tests/app/test_hostile.py
  `[/]`, `[/bold]` stray closers
      test_text_stray_closers_are_shown_literally
  `The [CLS] token`, `[Re] Reproducing`
      test_text_real_bracketed_titles_are_shown_exactly
  Bidi overrides, zero-width characters
      test_text_bidi_and_zero_width_are_removed
  1 MB title or abstract
      test_text_huge_fields_are_capped_with_a_visible_mark
  Exception/feed text in a toast
      test_text_feed_text_in_a_toast_is_not_markup

Links
  `javascript:`/`file:`/`data:`, leading `-`, spaces/controls, > 2 KB
      test_links_unsafe_are_never_stored_opened_or_copied
      test_links_store_revalidates_as_defence_in_depth
      tests/app/test_open.py
      tests/test_links.py::test_validate_url_refuses_with_a_reason
  Shell metacharacters in a URL or title
      test_links_shell_metacharacters_never_reach_a_shell
  Repo links with trailing punctuation, `\\url{}`, `.git`, `http://`, no scheme
      test_links_repository_links_are_normalised

Feeds and the network
  Never answers; slow drip
      test_network_silent_and_dripping_servers_hit_the_deadline
      tests/test_http.py (watchdog)
  Redirect to `file://`, loop, too many
      test_network_bad_redirects_are_refused_with_the_reason
  Feed URL that is a local path or `file://`
      test_network_local_feed_urls_are_refused
  Gzip bomb
      test_network_gzip_bomb_is_feed_too_large
  HTML, empty, binary, wrong charset
      test_network_bodies_that_are_not_feeds_change_nothing
      test_network_wrong_charset
  Truncated XML
      test_network_truncated_feed_is_partial_and_deletes_nothing
  Billion laughs, XXE
      test_network_entity_attacks_expand_and_read_nothing
  JSON: deep nesting, NaN, wrong types, `{"error"}`
      test_network_malformed_json_items_are_skipped_and_counted
      test_network_json_error_object
  429/503 with Retry-After
      test_network_rate_limit_backs_off_and_keeps_papers

Storage and concurrency
  kill -9 during refresh or toggle
      tests/test_crash.py::test_kill_during_imports_loses_no_committed_paper
      tests/test_crash.py::test_kill_during_toggles_keeps_every_committed_mark
      tests/test_crash.py::test_kill_during_fetch_keeps_every_feed_it_reported_and_the_index_recounts
      tests/test_crash.py::test_kill_during_tags_and_notes_keeps_an_exact_count
  kill -9 during the first index build
      tests/test_crash.py::test_kill_during_first_index_build_is_detected_and_repaired
  Disk full during an index commit
      tests/test_faults.py::test_disk_full_during_index_commit_keeps_the_store_and_repairs_on_start
      test_storage_index_write_failure_is_reported_not_raised
  Two feedtui processes
      test_storage_second_index_writer_gets_a_message_not_a_traceback
      tests/test_crash.py::test_two_processes_importing_at_once_lose_nothing
      ::test_second_process_marks_while_first_is_open
  Newer-version or corrupt database
      tests/test_faults.py::test_newer_database_is_refused_and_kept_byte_for_byte
      ::test_corrupt_database_is_refused_and_kept (CLI
      TUI entry and doctor)
  State files written atomically
      test_storage_config_edit_is_atomic
  (found) read-only data dir, disk full for the store
      tests/test_faults.py::test_read_only_data_dir_*
      ::test_data_dir_that_is_a_file_*
      ::test_disk_full_while_storing_papers_*

One library, many processes (issue 13)
  Another process's marks and papers; a key after another process changed a mark
      tests/app/test_freshness.py::test_marks_made_elsewhere_show_and_a_key_sets_what_the_user_saw
      ::test_a_key_sets_the_opposite_of_the_shown_mark_even_before_the_refill
      ::test_papers_stored_and_indexed_elsewhere_are_listed_and_found
  A mark while another process holds the database; a locked or failing write
      tests/app/test_freshness.py::test_a_mark_waiting_for_the_database_does_not_freeze_the_keys
      ::test_a_locked_database_is_retried_and_a_failed_mark_is_reported
  A mark from another process during a big import
      tests/test_storage_batches.py::test_a_mark_from_another_process_does_not_wait_for_a_big_import
      ::test_a_2000_paper_import_commits_in_batches
      ::test_batched_reimport_merges_and_never_touches_marks
      ::test_a_failing_batch_keeps_the_batches_before_it
  kill -9 during a rebuild: its partial ix-* folder
      tests/test_storage_leftovers.py::test_killed_builds_leave_nothing_behind_after_the_next_open
      ::test_a_live_builds_folder_is_left_alone_and_a_dead_ones_goes
      ::test_a_dead_builds_stale_temp_meta_file_is_removed
  Disk full during an index rebuild
      tests/test_storage_leftovers.py::test_a_rebuild_out_of_space_says_so_to_the_library_and_the_doctor
  Catch-up after crashes: update or rebuild, by cost
      tests/test_storage_fetch.py::test_catch_up_path_by_cost
      ::test_the_library_catches_up_by_the_cheaper_path
  Disk full while one feed's papers are stored
      tests/test_storage_fetch.py::test_disk_full_in_one_feed_is_its_failure_and_the_next_feeds_still_run
      ::test_disk_full_that_cannot_even_be_recorded_is_still_reported
      ::test_fetch_reports_a_disk_full_feed_on_stderr_with_the_right_status
      tests/test_faults.py::test_disk_full_while_storing_papers_keeps_the_store
  Index left behind by a killed fetch
      tests/test_storage_fetch.py::test_fetch_brings_an_index_left_behind_back_in_line
      ::test_fetch_says_on_stderr_when_it_leaves_the_index_behind

A paper's full text (the reader, issue 11): untrusted like every feed
  <script>, javascript:/file:/data: links, page furniture
      tests/test_fulltext.py::test_hostile_html_script_and_links
      ::test_page_furniture_scripts_and_styles_are_dropped
      ::test_markdown_links_are_checked
  10,000 nested tags, broken UTF-8, a 50 MB body, a 2 MB cap on the Markdown
      tests/test_fulltext.py::test_ten_thousand_nested_tags_neither_crash_nor_explode
      ::test_broken_utf8_is_decoded_with_replacement
      ::test_a_50_mb_body_is_cut_at_the_cap
      ::test_markdown_is_capped
  Escape sequences (OSC 52, CSI 2J, OSC 8) and Textual markup in the text
      tests/test_fulltext.py::test_escape_sequences_and_markup_never_survive
      tests/app/test_reader.py::test_hostile_text_is_shown_as_text
  A page that is not LaTeXML, no source has the paper
      tests/test_fulltext.py::test_a_page_not_from_latexml_is_not_a_paper
      ::test_no_source_has_it_one_line_and_pdf

Bounded, always (issue 13)
  Headers or body dripped 1 byte / 0.5 s; a hung feed among others
      tests/test_bounded_fetch.py::test_headers_dripped_one_byte_at_a_time_time_out_at_the_deadline
      ::test_headers_dripped_after_a_redirect_time_out_at_the_deadline
      ::test_body_dripped_one_byte_at_a_time_times_out_at_the_deadline
      ::test_a_hung_feed_does_not_keep_the_next_one_from_being_fetched
  A name lookup that never answers (no resolver timeout to set)
      tests/test_bounded_fetch.py::test_a_name_lookup_that_never_answers_times_out_at_the_deadline
      ::test_a_hung_lookup_does_not_keep_the_next_feed_from_being_fetched
  /dev/zero, a FIFO, a folder, a huge file as the config / OPML / index meta
      tests/test_bounded_files.py
  OPML import of 5,000 outlines; refused outlines
      tests/test_bounded_opml.py::test_importing_5000_outlines_is_one_write_and_one_pass
      ::test_refused_outlines_are_listed_in_one_message
      ::test_only_refused_outlines_say_so_rather_than_an_empty_file
  Config nested 500 deep, 115k feeds, huge/deep/overflowing values
      tests/test_bounded_config.py::test_500_levels_of_nesting_is_one_message_from_every_command
      ::test_115k_feeds_is_one_message
      ::test_a_config_that_is_fine_is_never_located
      ::test_locating_lines_scans_the_text_once
      ::test_a_deep_or_huge_wrong_value_is_shown_short
      ::test_a_long_wrong_string_is_shown_short
      ::test_a_refresh_interval_too_large_for_a_date_is_one_message
  Undecodable bytes in an argument
      tests/test_bounded_args.py::test_an_undecodable_argument_is_one_message
      ::test_a_file_name_that_is_not_utf8_still_works

Clipboard
  No clipboard tool
      tests/app/test_copy.py::test_y_copies_the_code_link_through_osc52
      test_clipboard_missing_tool_is_unavailable_not_a_crash
  A tool that hangs
      test_clipboard_hanging_tool_times_out
      tests/app/test_copy.py::test_a_hanging_clipboard_tool_times_out
  A tool that fails silently
      test_clipboard_silently_failing_tool_is_not_copied
      tests/app/test_copy.py::test_copied_only_when_the_system_clipboard_took_it
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from tests.app.conftest import main_screen, notifications, paper_list, settle, visible_rows
from tests.conftest import FIXTURES
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.cli import main as cli_main
from tui.config import Config, FeedConfig
from tui.feeds import FeedReport, fetch_feed, refresh_feeds
from tui.library import Library
from tui.model import Paper
from tui.text import ABSTRACT_MAX, TITLE_MAX, TRUNCATED_MARK

REPO = Path(__file__).resolve().parent.parent
# C0/C1 controls (but \n), DEL, bidi controls and zero-width characters: none may be stored.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\u061c]"
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- helpers ---------------------------------------------------------------------------------


def hf_item(
    arxiv_id: str, title: str, summary: str = "An abstract.", **paper: Any
) -> dict[str, Any]:
    return {
        "paper": {
            "id": arxiv_id,
            "title": title,
            "summary": summary,
            "publishedAt": "2099-01-01T00:00:00.000Z",  # newest: the first rows on screen
            "authors": [{"name": "Ada Lovelace"}],
            **paper,
        },
        "title": title,
        "summary": summary,
        "numComments": 0,
    }


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>cs.AI updates</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def rss_item(arxiv_id: str, title: str, abstract: str) -> str:
    return (
        f"<item><title>{escape(title)}</title><link>https://arxiv.org/abs/{arxiv_id}</link>"
        f"<description>arXiv:{arxiv_id}v1 Announce Type: new \nAbstract: {escape(abstract)}"
        f"</description><guid>oai:arXiv.org:{arxiv_id}v1</guid>"
        "<dc:creator>Ada Lovelace</dc:creator><pubDate>Mon, 27 Apr 2099 00:00:00 -0400</pubDate>"
        "</item>"
    )


def plain_item(n: int, title: str, link: str) -> str:
    return (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid>plain-{n}</guid><description>Item {n}.</description>"
        "<pubDate>Mon, 27 Apr 2099 00:00:00 -0400</pubDate></item>"
    )


def library_with(server: FeedServer, kind: str, body: bytes, **route: Any) -> Library:
    """A library whose one feed serves ``body``; not yet refreshed."""
    url = server.route("/feed", body=body, **route)
    return Library.open(config=Config(feeds=(FeedConfig(name="feed", kind=kind, url=url),)))


def refresh(library: Library) -> FeedReport:
    [report] = refresh_feeds(library, force=True)
    return report


def imported(server: FeedServer, kind: str, body: bytes) -> Library:
    library = library_with(server, kind, body)
    report = refresh(library)
    assert report.ok, report.error
    return library


def text_fields(paper: Paper) -> list[str]:
    return [
        paper.title,
        paper.abstract,
        paper.comment,
        paper.ai_summary,
        *paper.authors,
        *paper.categories,
        *paper.ai_keywords,
    ]


def assert_clean(paper: Paper) -> None:
    for value in text_fields(paper):
        assert not FORBIDDEN.search(value), (paper.id, value)
    for link in (paper.url, paper.pdf_url, paper.code_url, paper.project_url):
        assert link == "" or link.startswith(("https://", "http://")), link


def stored(library: Library, paper_id: str) -> Paper:
    entry = library.get(paper_id)
    assert entry is not None, f"{paper_id} was not stored"
    return entry.paper


def assert_screen_clean(app: FeedApp) -> None:
    for row in visible_rows(app):
        assert not FORBIDDEN.search(row), row
    assert not FORBIDDEN.search(main_screen(app).preview.text)


async def show(app: FeedApp, pilot: Any, paper_id: str) -> str:
    """Move the cursor to ``paper_id``; returns the preview's text."""
    await settle(pilot)
    ids = paper_list(app).ids
    paper_list(app).cursor = ids.index(paper_id)
    await pilot.pause()
    return main_screen(app).preview.text


def row_of(app: FeedApp, paper_id: str) -> str:
    ids = paper_list(app).ids
    return visible_rows(app)[ids.index(paper_id)]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(args)


def hook_actions(app: FeedApp) -> dict[str, Recorder]:
    """Replace the actions a markup click could run with recorders."""
    hooks = {name: Recorder() for name in ("action_quit", "action_bell", "bell", "open_url")}
    for name, recorder in hooks.items():
        setattr(app, name, recorder)
    return hooks


# --- untrusted text reaching the terminal -------------------------------------------------------

ESCAPES_TITLE = "Clear\x1b[2Jscreen \x1b]0;pwned\x07retitled \x9b31mred &#27;]0;pwned&#7;entity"
ESCAPES_ABSTRACT = (
    "Clipboard \x1b]52;c;cHduZWQ=\x07write, \x1b]0;pwned\x1b\\ST form, \x1bPdcs\x1b\\ and "
    "C1 \x9d0;pwned\x9c OSC. &amp;#27;[2J double entity."
)


@pytest.mark.anyio
async def test_text_escape_sequences_are_stripped_and_never_rendered(
    feed_server: FeedServer,
) -> None:
    body = json.dumps([hf_item("2901.00001", ESCAPES_TITLE, ESCAPES_ABSTRACT)]).encode()
    library = imported(feed_server, "hf_daily", body)
    paper = stored(library, "2901.00001")
    assert paper.title == "Clearscreen retitled red entity"
    assert paper.abstract == "Clipboard write, ST form, and C1 OSC. double entity."
    assert_clean(paper)
    assert library.search("retitled ").ids == ["2901.00001"]
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await show(app, pilot, "2901.00001")
        assert "Clearscreen retitled red entity" in row_of(app, "2901.00001")
        assert "Clipboard write, ST form" in preview
        assert "pwned" not in preview and "cHduZWQ" not in preview
        assert_screen_clean(app)
    library.close()


def test_text_escape_entities_in_xml_feeds(feed_server: FeedServer) -> None:
    # XML cannot carry a raw ESC, but an escaped entity (&amp;#27;) decodes to one in the text.
    title = "Entity &#27;]0;pwned&#7;title &#x1b;[2Jform \u009b31mC1"
    body = rss(rss_item("2901.00002", title, "Abstract &#27;]52;c;cHduZWQ=&#7;here."))
    library = imported(feed_server, "arxiv_rss", body)
    paper = stored(library, "2901.00002")
    assert paper.title == "Entity title form C1"
    assert paper.abstract == "Abstract here."
    assert_clean(paper)
    library.close()


MARKUP_TITLES = {
    "2901.00010": "[@click=app.quit]x[/]",
    "2901.00011": "[link=file:///etc/passwd]y[/link]",
    "2901.00012": "[@click=app.bell]ring[/] and [b]bold[/b]",
}


@pytest.mark.anyio
async def test_text_markup_is_shown_literally_and_clicks_run_nothing(
    feed_server: FeedServer,
) -> None:
    items = [hf_item(i, t, f"Abstract {t}") for i, t in MARKUP_TITLES.items()]
    library = imported(feed_server, "hf_daily", json.dumps(items).encode())
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        hooks = hook_actions(app)
        clipboard = app.clipboard
        for paper_id, title in MARKUP_TITLES.items():
            assert stored(library, paper_id).title == title
            preview = await show(app, pilot, paper_id)
            assert title[:30] in row_of(app, paper_id)
            assert preview.startswith(title)
            assert f"Abstract {title}" in preview
            row = paper_list(app).ids.index(paper_id)
            await pilot.click("#papers", offset=(14, row + 1))  # the title (+1: the border)
            for y in (0, 9):  # the title, and the abstract below the facts
                await pilot.click("#preview-body", offset=(3, y))
            await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1
        assert all(not hook.calls for hook in hooks.values()), hooks
        assert app.clipboard == clipboard
    library.close()


@pytest.mark.anyio
async def test_text_stray_closers_are_shown_literally(feed_server: FeedServer) -> None:
    titles = {"2901.00020": "[/] closes nothing", "2901.00021": "Bold [/bold] stray closer"}
    items = [hf_item(i, t, f"Stray [/] and [/bold] in {i}") for i, t in titles.items()]
    library = imported(feed_server, "hf_daily", json.dumps(items).encode())
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for paper_id, title in titles.items():
            preview = await show(app, pilot, paper_id)
            assert title in row_of(app, paper_id)
            assert preview.startswith(title)
            assert f"Stray [/] and [/bold] in {paper_id}" in preview
        assert app.is_running
    library.close()


@pytest.mark.anyio
async def test_text_real_bracketed_titles_are_shown_exactly(feed_server: FeedServer) -> None:
    titles = {
        "2901.00030": "The [CLS] token is all you need",
        "2901.00031": "[Re] Reproducing [MASK] predictions",
    }
    items = "".join(rss_item(i, t, f"About {t}.") for i, t in titles.items())
    library = imported(feed_server, "arxiv_rss", rss(items))
    assert library.search("cls token").ids[:1] == ["2901.00030"]
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for paper_id, title in titles.items():
            assert stored(library, paper_id).title == title
            preview = await show(app, pilot, paper_id)
            assert title[:30] in row_of(app, paper_id)
            assert preview.startswith(title) and f"About {title}." in preview
    library.close()


@pytest.mark.anyio
async def test_text_bidi_and_zero_width_are_removed(feed_server: FeedServer) -> None:
    title = "Safe\u202e\u2066txt.exe\u2069 zero\u200bwidth\u200d\ufeff join\u2060er"
    body = json.dumps([hf_item("2901.00040", title, "Bidi \u202egnirts\u202c here")]).encode()
    library = imported(feed_server, "hf_daily", body)
    paper = stored(library, "2901.00040")
    assert paper.title == "Safetxt.exe zerowidth joiner"
    assert paper.abstract == "Bidi gnirts here"
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await show(app, pilot, "2901.00040")
        assert "Safetxt.exe zerowidth joiner" in row_of(app, "2901.00040")
        assert_screen_clean(app)
    library.close()


@pytest.mark.anyio
async def test_text_huge_fields_are_capped_with_a_visible_mark(feed_server: FeedServer) -> None:
    title = "Huge " + "title " * 200_000  # 1.2 MB
    abstract = "Huge abstract. " * 70_000  # 1 MB
    body = json.dumps([hf_item("2901.00050", title, abstract)]).encode()
    library = imported(feed_server, "hf_daily", body)
    paper = stored(library, "2901.00050")
    assert len(paper.title) <= TITLE_MAX and paper.title.endswith(TRUNCATED_MARK)
    assert len(paper.abstract) <= ABSTRACT_MAX and paper.abstract.endswith(TRUNCATED_MARK)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.monotonic()
        preview = await show(app, pilot, "2901.00050")
        assert time.monotonic() - started < 5  # no multi-second Static on a capped field
        assert preview.count(TRUNCATED_MARK.strip()) == 2
    library.close()


@pytest.mark.anyio
async def test_text_feed_text_in_a_toast_is_not_markup(feed_server: FeedServer) -> None:
    # A plain RSS item's link is its own URL: markup in it reaches "Copied"/"Opening" toasts.
    link = "https://example.org/[@click=app.quit]x[/][/bold]"
    library = imported(feed_server, "feed", rss(plain_item(1, "Toast paper", link)))
    [paper_id] = [p.id for p, _ in library.store.iter_papers() if p.title == "Toast paper"]
    assert stored(library, paper_id).url == link
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        hooks = hook_actions(app)
        await show(app, pilot, paper_id)
        await pilot.press("Y")
        await settle(pilot)
        [toast] = [n for n in app._notifications if link in n.message]
        assert toast.markup is False
        assert toast.message.endswith(link)
        assert app.is_running and not hooks["action_quit"].calls
    library.close()


# --- links -------------------------------------------------------------------------------------

UNSAFE_LINKS = {
    1: "javascript:alert(document.cookie)",
    2: "file:///etc/passwd",
    3: "data:text/html;base64,PHNjcmlwdD4=",
    4: "-https://example.org/option",
    5: "https://example.org/a b",
    6: "https://example.org/" + "a" * 2100,
    7: "vbscript:msgbox",
}


@pytest.mark.anyio
async def test_links_unsafe_are_never_stored_opened_or_copied(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [plain_item(n, f"Unsafe link {n}", link) for n, link in UNSAFE_LINKS.items()]
    library = imported(feed_server, "feed", rss(*items))
    papers = {p.title: p for p, _ in library.store.iter_papers() if p.title.startswith("Unsafe")}
    assert len(papers) == len(UNSAFE_LINKS)
    assert {p.url for p in papers.values()} == {""}
    opened: list[str] = []
    monkeypatch.setattr("tui.app.browser._open", opened.append)  # the launcher, not our check
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        clipboard = app.clipboard
        for paper in papers.values():
            await show(app, pilot, paper.id)
            await pilot.press("o", "Y")
        await settle(pilot)
        assert opened == []
        assert app.clipboard == clipboard
        messages = notifications(app)
        assert "This paper has no paper page link" in messages
        assert "Not copied: empty link" in messages
    library.close()


def test_links_store_revalidates_as_defence_in_depth(tmp_path: Path) -> None:
    library = Library.open(config=Config(feeds=()))
    hostile = Paper(
        id="h:links",
        title="Built without a source",
        url="javascript:alert(1)",
        pdf_url="-https://example.org/x.pdf",
        code_url="file:///etc/passwd",
        project_url="HTTPS://example.org/ok",
    )
    library.import_papers([hostile], "test")
    paper = stored(library, "h:links")
    assert (paper.url, paper.pdf_url, paper.code_url) == ("", "", "")
    assert paper.project_url == "https://example.org/ok"
    library.close()


def test_links_shell_metacharacters_never_reach_a_shell(tmp_path: Path) -> None:
    url = "https://example.org/$(touch${IFS}pwned);`touch${IFS}pwned2`|x&y>z"
    argv_file = tmp_path / "argv"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {argv_file}\n")
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from tui.app.browser import open_in_browser; open_in_browser({url!r})",
        ],
        cwd=tmp_path,
        env={**os.environ, "BROWSER": f"{browser} %s", "DISPLAY": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert argv_file.read_text() == url + "\n"  # one argument, exactly the link
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    # And nothing in feedtui can hand text to a shell.
    for source in (REPO / "tui").rglob("*.py"):
        code = source.read_text(encoding="utf-8")
        for pattern in ("shell=True", "os.system(", "os.popen(", "subprocess.getoutput"):
            assert pattern not in code, f"{source}: {pattern}"


REPO_LINKS = {
    "2901.00060": ("Code at https://github.com/acme/tool. Enjoy", "https://github.com/acme/tool"),
    "2901.00061": ("Code (https://github.com/acme/tool1).", "https://github.com/acme/tool1"),
    "2901.00062": ("Code: \\url{https://github.com/acme/tool2}", "https://github.com/acme/tool2"),
    "2901.00063": ("Clone https://github.com/acme/tool3.git now", "https://github.com/acme/tool3"),
    "2901.00064": ("Old http://github.com/acme/tool4 link", "https://github.com/acme/tool4"),
    "2901.00065": ("No scheme github.com/acme/tool5, see", "https://github.com/acme/tool5"),
    "2901.00066": (
        "Tree https://github.com/acme/tool6/tree/main/src;",
        "https://github.com/acme/tool6",
    ),
}


def test_links_repository_links_are_normalised(feed_server: FeedServer) -> None:
    items = "".join(rss_item(i, f"Paper {i}", text) for i, (text, _) in REPO_LINKS.items())
    library = imported(feed_server, "arxiv_rss", rss(items))
    for paper_id, (_, expected) in REPO_LINKS.items():
        assert stored(library, paper_id).code_url == expected
    assert len(library.search("has:code year:2099").ids) == len(REPO_LINKS)
    library.close()


# --- feeds and the network ---------------------------------------------------------------------


def sample_counts(library: Library) -> tuple[int, int, int]:
    counts = library.counts()
    return counts.total, counts.unread, counts.saved


@pytest.mark.parametrize("route", [{"delay": float("inf")}, {"drip": 0.5}], ids=["silent", "drip"])
def test_network_silent_and_dripping_servers_hit_the_deadline(
    feed_server: FeedServer, route: dict[str, float]
) -> None:
    library = library_with(feed_server, "hf_daily", b"[" + b" " * 100 + b"]", **route)
    before = sample_counts(library)
    started = time.monotonic()
    report = fetch_feed(library, library.config.feeds[0], force=True, deadline=1.0)
    assert time.monotonic() - started < 3
    assert not report.ok and report.error == "timed out after 1 s"
    assert sample_counts(library) == before
    assert library.store.feed_state("feed").last_error == "timed out after 1 s"
    library.close()


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", "refused redirect to file:///etc/passwd"),
        ("/feed", "refused redirect loop"),
        ("/hop1", "too many redirects"),
    ],
)
def test_network_bad_redirects_are_refused_with_the_reason(
    feed_server: FeedServer, location: str, reason: str
) -> None:
    for n in range(1, 8):
        feed_server.route(f"/hop{n}", status=302, headers={"Location": f"/hop{n + 1}"})
    library = library_with(feed_server, "feed", b"", status=302, headers={"Location": location})
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok and report.error.startswith(reason), report.error
    assert sample_counts(library) == before
    library.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "~/feed.xml", "ftp://x/y"])
def test_network_local_feed_urls_are_refused(feed_server: FeedServer, url: str) -> None:
    library = Library.open(config=Config(feeds=(FeedConfig(name="local", kind="feed", url=url),)))
    report = refresh(library)
    assert not report.ok and report.error.startswith("refused feed URL"), report.error
    assert feed_server.requests == []
    library.close()


def test_network_gzip_bomb_is_feed_too_large(feed_server: FeedServer) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1_000_000)
    bomb = b"".join(packer.compress(zeros) for _ in range(300)) + packer.flush()
    assert len(bomb) < 400_000  # 0.3 MB on the wire, 300 MB inflated
    library = library_with(
        feed_server, "feed", bomb, headers={"Content-Encoding": "gzip"}, content_type="text/xml"
    )
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok and report.error == "feed too large (over 20 MB)"
    assert sample_counts(library) == before
    library.close()


@pytest.mark.parametrize(
    ("kind", "body", "content_type", "reason"),
    [
        (
            "feed",
            b"<!DOCTYPE html><html><body>Log in to Wi-Fi</body></html>",
            "text/html",
            "not a feed (got HTML)",
        ),
        (
            "hf_daily",
            b"<html><head><title>Portal</title></head></html>",
            "text/html",
            "not a feed (got HTML)",
        ),
        ("arxiv_rss", b"", "application/xml", "not a feed (empty response)"),
        (
            "feed",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
            "image/png",
            "not a feed (got binary data)",
        ),
        (
            "hf_daily",
            b"\x00\x01\x02binary",
            "application/octet-stream",
            "not a feed (got binary data)",
        ),
    ],
    ids=["html-feed", "html-hf", "empty", "png", "binary-json"],
)
def test_network_bodies_that_are_not_feeds_change_nothing(
    feed_server: FeedServer, kind: str, body: bytes, content_type: str, reason: str
) -> None:
    library = library_with(feed_server, kind, body, content_type=content_type)
    library.set_saved(library.search("").ids[0], True)
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok and report.error == reason
    assert sample_counts(library) == before
    library.close()


def test_network_wrong_charset(feed_server: FeedServer) -> None:
    # A generic feed that says UTF-8 but is Latin-1: read as what it is, with a warning.
    body = rss(plain_item(1, "Caf\u00e9 r\u00e9sum\u00e9", "https://example.org/1")).decode()
    library = imported(feed_server, "feed", body.encode("latin-1"))
    titles = [p.title for p, _ in library.store.iter_papers() if p.url == "https://example.org/1"]
    assert titles == ["Caf\u00e9 r\u00e9sum\u00e9"]
    # JSON that is not UTF-8 is refused with the reason, and changes nothing.
    hf = json.dumps([hf_item("2901.00070", "Caf\u00e9")], ensure_ascii=False).encode("latin-1")
    url = feed_server.route("/hf", body=hf, content_type="application/json; charset=utf-8")
    library.config = Config(feeds=(FeedConfig(name="hf", kind="hf_daily", url=url),))
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok and report.error == "not valid JSON (not UTF-8 text)"
    assert sample_counts(library) == before
    library.close()


def test_network_truncated_feed_is_partial_and_deletes_nothing(feed_server: FeedServer) -> None:
    full = (FIXTURES / "arxiv_rss_cs_ai_2026-04-27.xml").read_bytes()
    library = imported(feed_server, "arxiv_rss", full)
    before = sample_counts(library)
    first = refresh_feeds(library, force=True)[0]  # the same listing again: nothing new
    assert first.ok and first.added == 0
    feed_server.route("/feed", body=full[: len(full) // 2])
    report = refresh(library)
    assert report.ok and "cut short" in report.note
    assert sample_counts(library) == before  # absent from a cut feed is not deleted
    library.close()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">' for n in range(1, 10)
    )
    + ']><rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
    "<link>https://arxiv.org/abs/2901.00080</link><guid>oai:arXiv.org:2901.00080v1</guid>"
    "</item></channel></rss>"
).encode()


def xxe(secret: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>Leak &x; here</title>'
        "<link>https://example.org/xxe</link><guid>xxe</guid><description>&x;</description>"
        "</item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("kind", ["arxiv_rss", "feed"])
def test_network_entity_attacks_expand_and_read_nothing(
    feed_server: FeedServer, tmp_path: Path, kind: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    library = library_with(feed_server, kind, BILLION_LAUGHS)
    started = time.monotonic()
    reports = [refresh(library)]
    feed_server.route("/feed", body=xxe(secret))
    reports.append(refresh(library))
    assert time.monotonic() - started < 20
    for report in reports:
        assert report.ok or "refused: the XML declares entities" in report.error, report.error
    for paper, _ in library.store.iter_papers():
        assert "TOPSECRET" not in " ".join(text_fields(paper))
        assert "lollol" not in paper.title
    library.close()


def test_network_malformed_json_items_are_skipped_and_counted(feed_server: FeedServer) -> None:
    good = [hf_item("2901.00090", "Good one"), hf_item("2901.00091", "Good two")]
    body = (
        b"["
        + json.dumps(good[0]).encode()
        + b","
        + b"[" * 50_000
        + b"]" * 50_000  # RecursionError territory
        + b',{"paper": {"id": 123, "title": "number id"}}'
        + b',{"paper": {"id": "2901.00092", "title": null}}'
        + b',{"paper": {"id": "2901.00093", "title": "NaN votes", "upvotes": NaN}}'
        + b","
        + json.dumps(good[1]).encode()
        + b"]"
    )
    library = library_with(feed_server, "hf_daily", body)
    report = refresh(library)
    assert report.ok, report.error
    assert (report.added, report.skipped) == (3, 3)
    assert "skipped 3 malformed" in report.line()
    assert stored(library, "2901.00093").upvotes is None
    assert library.get("2901.00092") is None
    assert {"2901.00090", "2901.00091"} <= set(library.search("ti:good ").ids)
    library.close()


def test_network_json_error_object(feed_server: FeedServer) -> None:
    body = b'{"error": "[@click=app.quit]limit\\u001b]0;x\\u0007 must be <= 100"}'
    library = library_with(feed_server, "hf_daily", body, status=200)
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok
    assert report.error == "Hugging Face said: [@click=app.quit]limit must be <= 100"
    assert sample_counts(library) == before
    library.close()


@pytest.mark.parametrize("status", [429, 503])
def test_network_rate_limit_backs_off_and_keeps_papers(
    feed_server: FeedServer, status: int
) -> None:
    body = json.dumps([hf_item("2901.00100", "Cached paper")]).encode()
    library = imported(feed_server, "hf_daily", body)
    feed_server.route("/feed", status=status, headers={"Retry-After": "120"}, body=b"slow down")
    before = sample_counts(library)
    report = refresh(library)
    assert not report.ok and "retry in 120 s" in report.error and "will retry after" in report.error
    requests = len(feed_server.requests)
    [again] = refresh_feeds(library)  # not forced: the back-off holds
    assert again.fetched is False and "backing off until" in again.note
    assert len(feed_server.requests) == requests
    assert sample_counts(library) == before and library.get("2901.00100") is not None
    library.close()


# --- storage and concurrency ---------------------------------------------------------------------


def test_storage_second_index_writer_gets_a_message_not_a_traceback() -> None:
    first = Library.open(config=Config(feeds=()))
    first.ensure_index()
    second = Library.open(config=Config(feeds=()))
    second.ensure_index()
    writer = first.index._ix.writer()  # the first process is in the middle of an index commit
    try:
        second.import_papers([Paper(id="h:second", title="Written by the second")], "second")
    finally:
        writer.cancel()
    assert "another feedtui process is updating the search index" in second.index_problem
    assert second.get("h:second") is not None  # the store took it
    assert not second.index_ready
    assert "h:second" in second.search("written second ").ids  # the fallback finds it
    second.ensure_index()
    assert second.index_ready and second.index_problem == ""
    assert second.search("written second ").ids == ["h:second"]
    first.close()
    second.close()


def test_storage_index_write_failure_is_reported_not_raised(feed_server: FeedServer) -> None:
    # tests/test_faults.py fills the disk for real in a child; this is the in-process report.
    library = Library.open(
        config=Config(
            feeds=(
                FeedConfig(
                    name="hf",
                    kind="hf_daily",
                    url=feed_server.route(
                        "/hf", body=json.dumps([hf_item("2901.00110", "Stale index")])
                    ),
                ),
            )
        )
    )
    library.ensure_index()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # Its own MonkeyPatch: undoing the test's `monkeypatch` would also undo the isolation of
    # tests/conftest.py, and the reopen below would then open the user's real library.
    with pytest.MonkeyPatch.context() as disk:
        disk.setattr("whoosh.writing.SegmentWriter.commit", disk_full)
        [report] = refresh_feeds(library)
    assert report.ok and report.added == 1
    assert "search index could not be written (No space left on device)" in report.note
    assert "rebuilt on the next start" in report.note
    assert library.get("2901.00110") is not None and not library.index_ready
    library.close()
    # The next start is a new process (Whoosh's write lock of the failed commit dies with this
    # one): the CLI brings the index in line before it searches.
    out = subprocess.run(
        [sys.executable, "-m", "tui", "search", "ti:stale", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert [paper["id"] for paper in json.loads(out.stdout)] == ["2901.00110"]
    reopened = Library.open(config=Config(feeds=()))
    assert reopened.index_ready and reopened.index.doc_count == reopened.counts().total
    reopened.close()


def test_storage_config_edit_is_atomic(capsys: pytest.CaptureFixture[str]) -> None:
    config = Library.open(config=Config(feeds=())).paths.config_file
    original = b"# my comments\nrefresh_minutes = 30\n"
    config.write_bytes(original)

    def crash(fd: int) -> None:
        raise OSError(5, "Input/output error")

    with pytest.MonkeyPatch.context() as broken:  # not monkeypatch.undo(): see above
        broken.setattr(os, "fsync", crash)
        code = cli_main(["feeds", "add", "mine", "feed", "--url", "https://example.org/f"])
    assert code != 0
    assert config.read_bytes() == original  # old file whole, never half-written
    assert [p.name for p in config.parent.iterdir()] == [config.name]  # no temp file left
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Input/output error" in err


# --- clipboard ---------------------------------------------------------------------------------


def run_copy(tmp_path: Path, tool: str | None) -> subprocess.CompletedProcess[str]:
    """Copy through the real pyperclip in a child, with ``tool`` as the only xclip on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    env.pop("WAYLAND_DISPLAY", None)
    if tool is None:
        env.pop("DISPLAY", None)
    else:
        env["DISPLAY"] = ":99"
        script = bin_dir / "xclip"
        script.write_text("#!/bin/sh\n" + tool)
        script.chmod(0o755)
    code = textwrap.dedent(
        """
        import time
        from tui.app.clipboard import ClipboardUnavailable, copy_to_system_clipboard
        started = time.monotonic()
        try:
            copy_to_system_clipboard("https://github.com/a/b", timeout=1.0)
            print("copied")
        except ClipboardUnavailable as error:
            print(f"unavailable: {error}")
        print(f"took {time.monotonic() - started:.1f}")
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = child.communicate(timeout=30)
    finally:
        # The hung tool outlives the child: end the whole process group we started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def test_clipboard_missing_tool_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    out = run_copy(tmp_path, None)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("unavailable: ")


def test_clipboard_hanging_tool_times_out(tmp_path: Path) -> None:
    out = run_copy(tmp_path, "exec sleep 60 </dev/null >/dev/null 2>&1\n")
    assert out.returncode == 0, out.stderr
    assert "unavailable: the clipboard tool did not answer within 1 s" in out.stdout
    took = float(out.stdout.split("took ")[1])
    assert took < 5


def test_clipboard_silently_failing_tool_is_not_copied(tmp_path: Path) -> None:
    # Exits 0 whatever it is asked, keeps nothing: "copy" succeeds, "paste" gives nothing back.
    out = run_copy(tmp_path, "cat > /dev/null\nexit 0\n")
    assert out.returncode == 0, out.stderr
    assert "unavailable: the system clipboard did not keep the text" in out.stdout
