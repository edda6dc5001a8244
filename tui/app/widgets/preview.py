"""The preview pane: everything about the highlighted paper, scrollable, as plain text, under
its momentum (a sparkline of its upvotes over time) when the paper has a history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.formatting import preview_content
from tui.app.keys import bindings_for
from tui.app.widgets.momentum import Momentum
from tui.sample import is_sample_paper

if TYPE_CHECKING:
    from tui.model import Entry, MetricPoint

SAMPLE_NOTE = "From the bundled sample, not from your feeds"


class PaperPreview(VerticalScroll, can_focus=True):
    """Scrollable details of one paper. Focus it (Enter) to scroll with the keyboard.

    | Key | Action |
    | :- | :- |
    | j, down / k, up | scroll down / up |
    | space, pagedown, ctrl+f, ctrl+d / pageup, ctrl+b, ctrl+u | a page down / up |
    | g, home / G, end | top / end |

    | Class | Description |
    | :- | :- |
    | `paper-preview--match` | Words matching the search. |
    | `paper-preview--label` | Field names and headings. |
    | `paper-preview--title` | The title. |
    """

    DEFAULT_CSS = """
    PaperPreview {
        height: 1fr;
        padding: 0 1;
        background: $surface;
        border: tall $border-blurred;
        scrollbar-size-vertical: 1;
        &:focus {
            border: tall $border;
        }
        & > .paper-preview--match {
            color: $text-warning;
            background: $warning-muted;
            text-style: bold;
        }
        & > .paper-preview--label {
            color: $text-accent;
            text-style: bold;
        }
        & > .paper-preview--title {
            text-style: bold;
        }
    }
    """

    BINDINGS = bindings_for("preview")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-preview--match",
        "paper-preview--label",
        "paper-preview--title",
    }

    # Key scrolling without animation: each key moves at once, so a burst of j's moves as far
    # as it has keys (an animation in flight would swallow the steps behind it).
    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_relative(
            y=max(1, self.scrollable_content_region.height - 1), animate=False, immediate=True
        )

    def action_page_up(self) -> None:
        self.scroll_relative(
            y=-max(1, self.scrollable_content_region.height - 1), animate=False, immediate=True
        )

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def compose(self) -> ComposeResult:
        # markup=False as a second lock: only Content objects built from plain text go in here.
        yield Momentum(id="preview-momentum")
        yield Static(Content("No paper selected."), id="preview-body", markup=False)

    @property
    def body(self) -> Static:
        return self.query_one("#preview-body", Static)

    @property
    def momentum(self) -> Momentum:
        return self.query_one(Momentum)

    @property
    def content(self) -> Content:
        """What the pane shows, with its styles (search matches are spans)."""
        content = self.body.content
        return content if isinstance(content, Content) else Content(str(content))

    @property
    def text(self) -> str:
        """What the pane shows, as plain text."""
        return self.content.plain

    def show(
        self,
        entry: Entry | None,
        terms: Iterable[str] = (),
        *,
        keep_scroll: bool = False,
        history: Sequence[MetricPoint] | None = None,
        because: Sequence[str] = (),
    ) -> None:
        """Show a paper from the top (`keep_scroll`: the same paper again, where the reader
        is, e.g. after a mark). ``history``: its upvotes and stars over time (None: keep the
        momentum shown, the same paper again). ``because``: why a related paper is listed."""
        if history is not None:
            self.momentum.show(history)
        if entry is None:
            self.show_message("No paper selected.")
            return
        style = self.get_visual_style
        content = preview_content(
            entry.paper,
            entry.read,
            entry.saved,
            terms,
            match_style=style("paper-preview--match", partial=True),
            label_style=style("paper-preview--label", partial=True),
            title_style=style("paper-preview--title", partial=True),
            tags=entry.tags,
            note=entry.note,
            fulltext=entry.fulltext,
            because=because,
        )
        if is_sample_paper(entry.paper):
            # Under the title: the pane still starts with what the paper is called.
            label = style("paper-preview--label", partial=True)
            end = content.plain.find("\n\n") + 2 if "\n\n" in content.plain else 0
            content = Content.assemble(content[:end], (SAMPLE_NOTE, label), "\n", content[end:])
        self.body.update(content)
        if not keep_scroll:
            self.scroll_home(animate=False, immediate=True)

    def show_message(self, message: str) -> None:
        self.momentum.show(())
        self.body.update(Content(message))
