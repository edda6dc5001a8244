"""The typed queries the benchmark replays, letter by letter, and how each keystroke is classed.

Every script is replayed as a user types it: "t", "tr", "tra", ... so the 1-3 letter prefixes
that dominate the cost of search-as-you-type are measured as often as they really happen.
"""

from __future__ import annotations

from tui.query import Query, parse_query

# What a user types, in one session. Words come from the corpus's head vocabulary (tests.bench
# .corpus) plus one rare word, so they match as they would in a real library.
SCRIPTS: tuple[str, ...] = (
    "transformer attention",
    "diffusion models for image generation",
    "reinforcement learning from human feedback",
    "large language model reasoning",
    "graph neural networks",
    "efficient fine tuning",
    "zero shot transfer",
    "au:wang",
    'au:"wei zhang"',
    "au:kumar diffusion",
    "is:unread transformer",
    "is:unread diffusion models",
    "has:code robot manipulation",
    '"language model"',
    '"neural radiance fields" rendering',
    '"chain of thought" reasoning',
    "-survey contrastive learning",
)

# Short scripts for the smoke test and the --quick mode.
QUICK_SCRIPTS: tuple[str, ...] = ("transformer attention", "au:wang", '"language model"')

CLASSES = (
    "prefix 1-3 letters",
    "words / longer prefix",
    "field (au:)",
    "is:unread + words",
    "phrase",
    "filters only / empty",
)


def keystrokes(script: str) -> list[str]:
    """The search box's text after each keystroke of `script`."""
    return [script[:n] for n in range(1, len(script) + 1)]


def classify(query: Query) -> str:
    """The class of one keystroke, by what its parsed query asks the index to do."""
    if not query.has_text:
        return "filters only / empty"
    if query.phrases:
        return "phrase"
    if query.authors:
        return "field (au:)"
    if query.unread:
        return "is:unread + words"
    if query.prefix and len(query.prefix) <= 3:
        return "prefix 1-3 letters"
    return "words / longer prefix"


def replay(scripts: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, class) for every keystroke of every script, in typing order."""
    return [(text, classify(parse_query(text))) for s in scripts for text in keystrokes(s)]
