"""Builds the bundled sample (assets/sample_daily_papers.json) from the vendored seed,
tests/fixtures/seed/trending_papers.json (see tests/fixtures/README.md).

The sample is shipped in the Hugging Face daily-papers wire format so that it goes through the
same parser as the live feed. Run ``python -m tests.sample_asset`` to regenerate it; the test
suite checks that the shipped file still matches the seed.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "seed" / "trending_papers.json"
ASSET = REPO / "assets" / "sample_daily_papers.json"


def daily_item(seed: dict) -> dict:
    published = f"{seed['published']}T00:00:00.000Z" if seed.get("published") else None
    paper: dict = {
        "id": seed["arxiv_id"],
        "authors": [{"name": name, "hidden": False} for name in seed["authors"]],
        "title": seed["title"],
        "summary": seed["abstract"],
        # No upvotes: the seed does not know them, and "0 upvotes" would be a claim.
    }
    if published:
        paper["publishedAt"] = published
    item: dict = {
        "paper": paper,
        "title": seed["title"],
        "summary": seed["abstract"],
        "numComments": 0,
        "isAuthorParticipating": False,
    }
    if published:
        item["publishedAt"] = published
    return item


def build() -> str:
    seeds = json.loads(SEED.read_text(encoding="utf-8"))
    return json.dumps([daily_item(s) for s in seeds], indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    ASSET.write_text(build(), encoding="utf-8")
    print(f"wrote {ASSET}")
