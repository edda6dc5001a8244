"""The bundled sample: 85 trending papers a first run shows before any feed was fetched.

It ships in the Hugging Face daily-papers wire format (assets/sample_daily_papers.json) so that
it goes through the live feed's own parser (tests/sample_asset.py keeps it equal to the seed).
Its papers carry the feed name "sample" until a live feed brings them too; the library removes
the ones the user never marked when the first live feed brings papers (Library.remove_sample).
"""

from __future__ import annotations

from importlib import resources

from tui.model import Paper

SAMPLE_FEED = "sample"
SAMPLE_ASSET = "sample_daily_papers.json"
# Set in the store's meta table when the first live feed replaced the sample.
SAMPLE_REMOVED = "sample_removed"


def is_sample_paper(paper: Paper) -> bool:
    """The paper came from the bundled sample alone (no live feed brought it)."""
    return paper.sources == (SAMPLE_FEED,)


def load_sample_papers() -> list[Paper]:
    """The bundled sample, parsed like a live Hugging Face feed."""
    # The one import of tui.feeds below it (an import-linter exception, pyproject.toml), on a
    # first run only: the parser is the live feed's own.
    from tui.feeds.sources import huggingface

    body = resources.files("tui.assets").joinpath(SAMPLE_ASSET).read_bytes()
    return huggingface.parse(body).papers
