"""`feedtui mark` takes a paper as the user has it: an id, an arXiv id or URL, or the paper's
Hugging Face page (one parser, tui.model.canonical_arxiv_id)."""

from __future__ import annotations

import pytest

from tui.cli import main
from tui.model import canonical_arxiv_id

FORMS = [
    "2311.09677",
    "2311.09677v2",
    "arXiv:2311.09677",
    "https://arxiv.org/abs/2311.09677v2",
    "https://arxiv.org/pdf/2311.09677",
    "https://huggingface.co/papers/2311.09677",
    "https://huggingface.co/papers/2311.09677/",
    "https://huggingface.co/papers/2311.09677?utm_source=x",
    "https://huggingface.co/papers/2311.09677#community",
    "huggingface.co/papers/2311.09677v2",
    "http://www.huggingface.co/papers/2311.09677",
    "  https://hf.co/papers/2311.09677  ",
]


@pytest.mark.parametrize("text", FORMS)
def test_every_form_of_a_paper_is_the_same_id(text: str) -> None:
    assert canonical_arxiv_id(text) == "2311.09677"


@pytest.mark.parametrize(
    "text",
    [
        "https://huggingface.co/papers",
        "https://huggingface.co/papers/2311.096771",  # six digits: not an arXiv id
        "https://huggingface.co/models/2311.09677",
        "https://evilhuggingface.co/papers/2311.09677",
        "https://huggingface.co.evil.example/papers/2311.09677",
    ],
)
def test_look_alikes_are_not_ids(text: str) -> None:
    assert canonical_arxiv_id(text) is None


@pytest.mark.parametrize("text", FORMS)
def test_mark_accepts_every_form(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert main(["mark", text, "--saved"]) == 0
    assert capsys.readouterr().out.strip() == "2311.09677: unread, saved"
