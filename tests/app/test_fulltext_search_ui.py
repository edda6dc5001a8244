"""A paper read in the reader is kept offline and searchable: the preview says so, body:word
and has:fulltext typed in the search box list it."""

from __future__ import annotations

import pytest

from tests.app.conftest import burst, main_screen, paper_list, settle, visible_rows, wait_until
from tests.app.test_reader import HF_MARKDOWN, open_reader, point_at
from tests.feed_server import FeedServer
from tui.app.app import FeedApp
from tui.app.screens.reader import ReaderScreen
from tui.library import Library

pytestmark = pytest.mark.anyio


async def test_a_read_paper_is_found_by_its_body(library: Library, feed_server: FeedServer) -> None:
    point_at(library, feed_server)
    app = FeedApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        paper_id = screen.paper_list.current_id
        title = library.get(paper_id).paper.title  # type: ignore[union-attr]
        assert "full text offline" not in screen.preview.text
        feed_server.route(f"/hf/{paper_id}.md", body=HF_MARKDOWN, content_type="text/markdown")
        await open_reader(app, pilot, ["t"])
        burst(app, ["escape"])
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen))
        await settle(pilot)
        await wait_until(pilot, lambda: "full text offline" in main_screen(app).preview.text)
        # "sweep" is in the text's heading, in no sample paper's title or abstract.
        burst(app, ["slash", *"body:sweep "])
        await wait_until(pilot, lambda: main_screen(app).status.text.startswith("1 shown"))
        await settle(pilot)
        assert paper_list(app).current_id == paper_id
        rows = visible_rows(app)
        assert len(rows) == 1 and title[:25] in rows[0]
        burst(app, ["ctrl+u", *"has:fulltext "])
        await wait_until(pilot, lambda: main_screen(app).status.text.startswith("1 shown"))
        assert paper_list(app).current_id == paper_id
        burst(app, ["ctrl+u", *"-has:fulltext "])
        await wait_until(pilot, lambda: main_screen(app).status.text.startswith("84 shown"))
