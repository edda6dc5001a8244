"""The reader (t, Enter Enter): the full text fetched in a worker, shown with the Markdown
viewer, found with / n N, and one line with the PDF link when no source has it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets.markdown import MarkdownBlock

from tests.app.conftest import burst, main_screen, notifications, settle, wait_until
from tests.feed_server import FIXTURES, FeedServer
from tui.app.app import FeedApp
from tui.app.screens.reader import FETCH_GROUP, FETCHING, ReaderScreen
from tui.app.widgets.paper_text import PaperText
from tui.app.widgets.text_entry import TextEntry
from tui.library import Library

pytestmark = pytest.mark.anyio

HF_MARKDOWN = (FIXTURES / "hf_paper_markdown_excerpt.md").read_bytes()
ARXIV_HTML = (FIXTURES / "arxiv_html_latexml_excerpt.html").read_bytes()


def point_at(library: Library, server: FeedServer) -> None:
    library.config = replace(
        library.config,
        fulltext_sources=(server.url("/hf/{id}.md"), server.url("/html/{id}")),
    )


def reader(app: FeedApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen), f"expected the reader, got {screen!r}"
    return screen


def shown_text(app: FeedApp) -> str:
    return "\n".join(
        str(block._content) for block in app.screen.query(MarkdownBlock) if block._content
    )


async def open_reader(app: FeedApp, pilot, keys: list[str]) -> ReaderScreen:  # type: ignore[no-untyped-def]
    burst(app, keys)
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
    screen = reader(app)
    await wait_until(pilot, lambda: screen.paper_text is not None and screen.shown_at)
    await settle(pilot)
    return screen


async def test_t_reads_the_paper_from_hugging_face(
    library: Library, feed_server: FeedServer
) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN, content_type="text/markdown")
        await open_reader(app, pilot, ["t"])
        assert "Temperature Sweep Test" in shown_text(app)
        assert "Δ₁₃" in shown_text(app)
        burst(app, ["escape"])
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen))


async def test_enter_twice_from_the_list_opens_the_reader(
    library: Library, feed_server: FeedServer
) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/html/{paper_id}", body=ARXIV_HTML, content_type="text/html")
        burst(app, ["enter"])
        await wait_until(pilot, lambda: main_screen(app).focused is main_screen(app).preview)
        assert not isinstance(app.screen, ReaderScreen)  # the first Enter only focuses
        await open_reader(app, pilot, ["enter"])
        assert "Figure 1: Δ_13 across temperatures" in shown_text(app)
        burst(app, ["q"])
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen))


async def test_no_source_has_it_one_line_and_the_pdf(
    library: Library, feed_server: FeedServer
) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        burst(app, ["t"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        state = app.screen.query_one("#reader-state")
        await wait_until(pilot, lambda: str(state.render()) != FETCHING)
        line = str(state.render())
        assert line.startswith(f"No full text for {paper_id} (")
        assert line.endswith(f"Read the PDF: https://arxiv.org/pdf/{paper_id}")
        assert "\n" not in line


async def test_find_with_n_and_N(library: Library, feed_server: FeedServer) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN)
        screen = await open_reader(app, pilot, ["t"])
        status = screen.query_one("#reader-status")
        burst(app, ["slash", *"temperature", "enter"])
        await wait_until(pilot, lambda: "match 1 of" in str(status.render()))
        total = len(screen.matches)
        assert total >= 4
        viewer = app.screen.query_one(PaperText)
        assert total == viewer.document.source.casefold().count("temperature")
        first = app.screen.query_one("MarkdownBlock.-match")
        burst(app, ["n", "n"])
        await wait_until(pilot, lambda: f"match 3 of {total}" in str(status.render()))
        burst(app, ["N"])
        await wait_until(pilot, lambda: f"match 2 of {total}" in str(status.render()))
        burst(app, ["N", "N"])  # wraps round to the last
        await wait_until(pilot, lambda: f"match {total} of {total}" in str(status.render()))
        assert app.screen.query_one("MarkdownBlock.-match") is not first
        # n in the find box is typed, not a jump
        burst(app, ["slash", "n", "o", "p", "e", "x", "enter"])
        await wait_until(pilot, lambda: "no match for 'nopex'" in str(status.render()))


async def test_hostile_text_is_shown_as_text(library: Library, feed_server: FeedServer) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    hostile = (
        "# Title\n\n" + "Filler words to pass the minimum length. " * 10 + "\n\n"
        "[@click=app.quit]quit[/] and [b]bold[/b] \x1b]52;c;aGk=\x07 \x1b[2J "
        "[link](javascript:alert(1)) [file](file:///etc/passwd)\n"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=hostile)
        await open_reader(app, pilot, ["t"])
        text = shown_text(app)
        assert "[@click=app.quit]quit[/]" in text and "[b]bold[/b]" in text
        assert "\x1b" not in text and "aGk=" not in text
        viewer = app.screen.query_one(PaperText)
        assert "javascript" not in viewer.document.source
        assert "file:" not in viewer.document.source
        assert app.is_running and not notifications(app)


async def test_a_long_paper_is_drawn_as_lines_and_found(
    library: Library, feed_server: FeedServer
) -> None:
    from tests.bench.reader import synthetic_paper
    from tui.app.widgets.paper_lines import PaperLines

    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=synthetic_paper(20))
        burst(app, ["t"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = reader(app)
        await wait_until(pilot, lambda: screen.loaded, timeout=30)
        viewer = screen.paper_text
        assert isinstance(viewer, PaperLines)
        assert not app.screen.query(MarkdownBlock)  # one widget, not thousands
        burst(app, ["pagedown", "pagedown"])
        await wait_until(pilot, lambda: viewer.scroll_y > 0)
        burst(app, ["slash", *"page 19, paragraph 3:", "enter"])
        status = screen.query_one("#reader-status")
        await wait_until(pilot, lambda: "match 1 of 1" in str(status.render()))
        assert "page 19, paragraph 3:" in viewer.rendered.texts[viewer.match_line]
        assert viewer.scroll_y > viewer.match_line - 5
        burst(app, ["c"])  # the contents: the sections, to jump to
        await wait_until(pilot, lambda: screen.has_class("-contents"))
        burst(app, ["end", "enter"])
        await wait_until(pilot, lambda: not screen.has_class("-contents"))
        assert viewer.scroll_y >= viewer.max_scroll_y - 1 or viewer.scroll_y > 1000


async def test_closing_the_reader_while_it_fetches(
    library: Library, feed_server: FeedServer
) -> None:
    from tests.bench.reader import synthetic_paper

    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=synthetic_paper(20), delay=0.3)
        burst(app, ["t"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        burst(app, ["escape"])
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen))
        await wait_until(pilot, lambda: len(feed_server.requests) == 1)
        # The closed reader's fetch is cancelled; settle would raise on it while it is still
        # listed (it goes once its task has seen the cancellation).
        await wait_until(pilot, lambda: not [w for w in app.workers if w.group == FETCH_GROUP])
        await settle(pilot)
        assert app.is_running and not notifications(app)
        assert isinstance(app.screen, type(main_screen(app)))


# -- keys typed right behind t, in one burst (over SSH, tmux, a paste) -------------------------


def find_box(screen: ReaderScreen) -> str:
    return screen.query_one("#reader-find", TextEntry).value


def status_line(screen: ReaderScreen) -> str:
    return str(screen.query_one("#reader-status").render())


async def test_t_and_a_find_typed_in_one_burst_find_the_word_in_the_text(
    library: Library, feed_server: FeedServer
) -> None:
    """`t/temperature⏎` at once: the reader opens and finds the word in the paper. Before, the
    keys behind t went to the main screen (`/` opened its search box, the word was searched
    for in the list) and the reader found nothing."""
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        paper_id = main.paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN, content_type="text/markdown")
        burst(app, ["t", "slash", *"temperature", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = reader(app)
        await wait_until(pilot, lambda: "match 1 of" in status_line(screen))
        assert status_line(screen) == f"match 1 of {len(screen.matches)}"
        assert len(screen.matches) >= 4
        assert find_box(screen) == "temperature"
        match = screen.query_one("MarkdownBlock.-match")
        assert "temperature" in str(match._content).casefold()  # type: ignore[attr-defined]
        assert screen.focused is screen.paper_text  # n / N go on from here
        assert main.search_input.value == ""  # nothing reached the main screen


async def test_enter_enter_a_find_and_n_typed_in_one_burst(
    library: Library, feed_server: FeedServer
) -> None:
    """`⏎⏎/causal⏎n` at once: the preview, the reader, the find, then the next match (the n
    is not typed into the find box)."""
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        paper_id = main.paper_list.current_id
        feed_server.route(f"/html/{paper_id}", body=ARXIV_HTML, content_type="text/html")
        burst(app, ["enter", "enter", "slash", *"causal", "enter", "n"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = reader(app)
        await wait_until(pilot, lambda: "match 2 of" in status_line(screen))
        assert status_line(screen) == f"match 2 of {len(screen.matches)}"
        assert find_box(screen) == "causal"
        assert main.search_input.value == ""


async def test_a_key_typed_before_t_in_the_burst_moves_to_the_paper_read(
    library: Library, feed_server: FeedServer
) -> None:
    """`jt` at once reads the paper j moved to (t opens the reader as it arrives; the paper is
    chosen once j has been applied)."""
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ids = main_screen(app).paper_list.ids
        for paper_id in ids[:2]:
            feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN)
        screen = await open_reader(app, pilot, ["j", "t"])
        assert screen.entry is not None and screen.entry.paper.id == ids[1]
        title = str(screen.query_one("#reader-title").render())
        assert title == library.get(ids[1]).paper.title  # type: ignore[union-attr]
        assert [path for path, _ in feed_server.requests] == [f"/hf/{ids[1]}.md"]


async def test_q_closes_the_reader_at_once_while_the_text_is_on_its_way(
    library: Library, feed_server: FeedServer
) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN, delay=3)
        burst(app, ["t"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.pause()  # drawn: "Fetching the full text…"
        burst(app, ["j", "q"])  # j waits for the text; q does not
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen), timeout=2)


# -- a text longer than a screen: its first screen is mounted first --------------------------


def top_blocks(markdown: str) -> list[tuple[str, list[int] | None]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("gfm-like").parse(markdown)
    return [(token.type, token.map) for token in tokens if token.level == 0 and token.nesting >= 0]


@pytest.mark.parametrize(
    "around_the_cut",
    [
        "```\ncode\n\n\nstill code, after blank lines\n```\n",
        "- a loose list\n\n- its second item\n\n  a paragraph in it\n",
        "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 40,
        "> a quote\n>\n> on two paragraphs\n",
    ],
)
def test_the_first_screen_is_whole_blocks_of_the_text(around_the_cut: str) -> None:
    from tui.app.widgets.paper_text import FIRST_SCREEN_CHARS, first_screen

    filler = "A paragraph of the paper, long enough to fill a line or two. " * 3 + "\n\n"
    before = filler * (FIRST_SCREEN_CHARS // len(filler))
    markdown = before + (around_the_cut + "\n") * 20 + filler * 200
    first = first_screen(markdown)
    assert FIRST_SCREEN_CHARS <= len(first) < len(markdown) // 2
    assert markdown.startswith(first)
    # Its blocks are the whole text's first blocks, as they are in the whole text.
    assert top_blocks(first) == top_blocks(markdown)[: len(top_blocks(first))]
    assert first_screen(filler * 10) == ""  # a short text is mounted at once


async def test_a_text_of_a_few_screens_is_drawn_first_then_all_of_it_and_found(
    library: Library, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two pages: the first frame holds the first screen's blocks only (a few dozen widgets
    instead of every block), then the whole text replaces it; the find typed in the same burst
    as t waits for the whole text and finds a line near its end."""
    from tests.bench.reader import synthetic_paper
    from tui.app.widgets.paper_text import first_screen

    markdown = synthetic_paper(2)
    drawn: list[int] = []  # the blocks mounted when the first frame with text was drawn
    painted = ReaderScreen._painted

    async def counted(screen: ReaderScreen) -> None:
        assert isinstance(screen.paper_text, PaperText)
        drawn.append(len(screen.paper_text.blocks()))
        await painted(screen)

    monkeypatch.setattr(ReaderScreen, "_painted", counted)
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        paper_id = main_screen(app).paper_list.current_id
        feed_server.route(f"/hf/{paper_id}.md", body=markdown.encode())
        burst(app, ["t", "slash", *"page 1, paragraph 29:", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = reader(app)
        await wait_until(pilot, lambda: "match 1 of 1" in status_line(screen))
        viewer = screen.paper_text
        assert isinstance(viewer, PaperText)
        first_blocks = len(top_blocks(first_screen(markdown, 100 * 30)))  # the screen
        whole_blocks = len(top_blocks(markdown))
        assert drawn == [first_blocks] and first_blocks < whole_blocks // 2
        assert screen.loaded and len(viewer.blocks()) == whole_blocks
        match = screen.query_one("MarkdownBlock.-match")
        assert "page 1, paragraph 29:" in str(match._content)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: viewer.scroll_y > 0)  # scrolled down to it
