"""The feed kinds: ONE entry per kind, with everything that differs between kinds.

Each `FeedKind` says how its URL is built from the config, which parser of
``tui/feeds/sources/`` reads its bodies, which config key it needs, which keys only it accepts
and the limits it has. Adding a kind is one entry here (its name in `KindName` too, for the
type checker) and one parser module.

Pure data, standard library only: `tui.config` checks a feed's keys against it without
importing the fetching code (config is a low layer: the library reads it, and the library never
imports `tui.feeds`). `tui.feeds.kinds` is the fetching side of these entries: the URL, the
parser itself, the once-per-announcement-day rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args
from urllib.parse import urlencode

if TYPE_CHECKING:
    from tui.config import FeedConfig

KindName = Literal["hf_daily", "hf_trending", "arxiv_rss", "arxiv_query", "feed"]

HF_API = "https://huggingface.co/api/daily_papers"
ARXIV_RSS = "https://rss.arxiv.org/rss/"
ARXIV_API = "https://export.arxiv.org/api/query"
HF_PAGE_LIMIT = 100  # the API answers {"error": ...} above this
ARXIV_API_MAX_RESULTS = 2000  # arXiv answers at most this many results per request


@dataclass(frozen=True, slots=True)
class FeedKind:
    name: KindName
    # The module of tui.feeds.sources whose ``parse(body)`` reads this kind's bodies (by name,
    # so that this module imports no parser).
    parser: str
    # The URL from the config's other keys; None: the kind has no URL of its own (``url``).
    # An explicit ``url`` in the config overrides it for any kind (a mirror, a test server).
    build_url: Callable[[FeedConfig], str] | None
    # The key the URL is built from ("" for none); an explicit ``url`` stands in for it.
    needs: str = ""
    # Keys no other kind accepts.
    own_keys: tuple[str, ...] = ()
    # The most ``max_results`` the server gives in one request, and whose limit that is.
    max_results_limit: tuple[int, str] | None = None
    # The listing changes once a day (at midnight US Eastern): fetched once per day.
    once_per_announcement_day: bool = False


def _hf_url(sort: str) -> Callable[[FeedConfig], str]:
    def build(config: FeedConfig) -> str:
        query = {"sort": sort} if sort else {}
        query["limit"] = str(min(config.max_results, HF_PAGE_LIMIT))
        return f"{HF_API}?{urlencode(query)}"

    return build


def _arxiv_rss_url(config: FeedConfig) -> str:
    return ARXIV_RSS + "+".join(config.categories)


def _arxiv_query_url(config: FeedConfig) -> str:
    query = {
        "search_query": config.search_query,
        "start": 0,
        "max_results": config.max_results,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    return f"{ARXIV_API}?{urlencode(query)}"


KINDS: dict[str, FeedKind] = {
    kind.name: kind
    for kind in (
        FeedKind("hf_daily", parser="huggingface", build_url=_hf_url("")),
        FeedKind("hf_trending", parser="huggingface", build_url=_hf_url("trending")),
        FeedKind(
            "arxiv_rss",
            parser="arxiv_rss",
            build_url=_arxiv_rss_url,
            needs="categories",
            own_keys=("categories",),
            once_per_announcement_day=True,
        ),
        FeedKind(
            "arxiv_query",
            parser="arxiv_api",
            build_url=_arxiv_query_url,
            needs="search_query",
            own_keys=("search_query",),
            max_results_limit=(ARXIV_API_MAX_RESULTS, "arXiv's limit per request"),
        ),
        FeedKind("feed", parser="feed", build_url=None, needs="url"),
    )
}
KIND_NAMES: tuple[KindName, ...] = get_args(KindName)
assert tuple(KINDS) == KIND_NAMES, "KindName and KINDS list the same kinds, in the same order"
# Key -> the one kind that accepts it.
OWN_KEYS: dict[str, KindName] = {key: kind.name for kind in KINDS.values() for key in kind.own_keys}


def kind_named(text: str) -> KindName | None:
    """The kind called ``text``, or None when there is none."""
    kind = KINDS.get(text)
    return kind.name if kind else None
