from __future__ import annotations

import pytest

from tui.model import canonical_arxiv_id, stable_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2308.00352v3", "2308.00352"),
        ("2308.00352", "2308.00352"),
        ("arXiv:2308.00352v1", "2308.00352"),
        ("https://arxiv.org/abs/2308.00352v2", "2308.00352"),
        ("http://arxiv.org/pdf/2308.00352", "2308.00352"),
        ("oai:arXiv.org:2604.21941v1", "2604.21941"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.AG/0601001v1", "math.AG/0601001"),
        ("0704.0001", "0704.0001"),
        ("not an id", None),
        ("", None),
        (None, None),
        ("https://example.org/2308.00352", None),
    ],
)
def test_canonical_arxiv_id(text: str | None, expected: str | None) -> None:
    assert canonical_arxiv_id(text) == expected


def test_stable_id_is_stable_and_prefers_first_key() -> None:
    assert stable_id("guid-1", "https://x") == stable_id("guid-1", "https://y")
    assert stable_id(None, "https://x") == stable_id("", "https://x")
    assert stable_id("a") != stable_id("b")
    with pytest.raises(ValueError):
        stable_id(None, "  ")
