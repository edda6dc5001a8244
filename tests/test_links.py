"""tui.links: the URL validator and the repository / project-page links found in text."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED
from tui.links import (
    MAX_URL_LENGTH,
    UnsafeURL,
    find_project_pages,
    find_repo_links,
    normalize_repo_url,
    pick_code_url,
    pick_project_url,
    safe_url,
    validate_url,
)

# --- validate_url / safe_url ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "refused javascript: link"),
        ("JavaScript:alert(document.cookie)", "refused javascript: link"),
        ("file:///etc/passwd", "refused file: link"),
        ("data:text/html;base64,PHNjcmlwdD4=", "refused data: link"),
        ("-https://example.org", "refused a link that starts with '-'"),
        ("--remote-debugging-port=9222", "refused a link that starts with '-'"),
        ("https://example.org/a b", "link contains spaces or control characters"),
        (
            "https://example.org/\x1b]52;c;ZXZpbA==\x07",
            "link contains spaces or control characters",
        ),
        ("https://example.org/\u202egnp.exe", "link contains spaces or control characters"),
        ("https://exa\u200bmple.org", "link contains spaces or control characters"),
        ("https://example.org/\nX-Injected: 1", "link contains spaces or control characters"),
        ("https://example.org/" + "a" * MAX_URL_LENGTH, "link is longer than 2048 characters"),
        ("ftp://example.org/paper.pdf", "refused ftp: link"),
        ("gopher://example.org", "not an http(s) link"),
        ("example.org/paper", "not an http(s) link"),
        ("//example.org/paper", "not an http(s) link"),
        ("https:///no-host", "link has no host"),
        ("http:example.org", "link has no host"),
        ("https://[::1/", "malformed link"),
        ("", "empty link"),
    ],
)
def test_validate_url_refuses_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL) as refused:
        validate_url(url)
    assert str(refused.value).startswith(reason)
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2311.09677", "https://arxiv.org/abs/2311.09677"),
        ("http://example.org/x?q=1#frag", "http://example.org/x?q=1#frag"),
        ("HTTPS://Example.org/Path", "https://Example.org/Path"),
        ("  https://example.org/\n", "https://example.org/"),
        ("https://example.org/" + "a" * (MAX_URL_LENGTH - 20), None),
    ],
)
def test_validate_url_accepts_plain_http_links(url: str, expected: str | None) -> None:
    expected = expected or url
    assert validate_url(url) == expected
    assert safe_url(url) == expected


@pytest.mark.parametrize("value", [None, 42, b"https://example.org", ["https://example.org"]])
def test_safe_url_takes_anything(value: object) -> None:
    assert safe_url(value) == ""


# --- normalize_repo_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/a/b",
        "https://github.com/a/b.",
        "https://github.com/a/b).",
        "(https://github.com/a/b)",
        "https://github.com/a/b,",
        "https://github.com/a/b;",
        "https://github.com/a/b.git",
        "https://github.com/a/b.git.",
        "https://github.com/a/b/",
        "https://github.com/a/b/tree/main/src",
        "https://github.com/a/b/blob/main/README.md#usage",
        "https://github.com/a/b?tab=readme",
        "\\url{https://github.com/a/b}",
        "\\url{https://github.com/a/b}.",
        "http://github.com/a/b",
        "github.com/a/b",
        "www.github.com/a/b",
        "https://www.github.com/a/b",
        "<https://github.com/a/b>",
    ],
)
def test_github_links_are_normalised(url: str) -> None:
    assert normalize_repo_url(url) == "https://github.com/a/b"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gitlab.com/group/project.git", "https://gitlab.com/group/project"),
        (
            "https://gitlab.com/group/sub/project/-/tree/main",
            "https://gitlab.com/group/sub/project",
        ),
        ("https://gitlab.com/group/project/blob/master/x.py", "https://gitlab.com/group/project"),
        ("http://bitbucket.org/team/repo/src/master/", "https://bitbucket.org/team/repo"),
        ("codeberg.org/owner/repo.", "https://codeberg.org/owner/repo"),
        ("https://huggingface.co/spaces/owner/demo).", "https://huggingface.co/spaces/owner/demo"),
        (
            "https://huggingface.co/datasets/owner/data/",
            "https://huggingface.co/datasets/owner/data",
        ),
        (
            "https://huggingface.co/meta-llama/Llama-2-7b-hf/tree/main",
            "https://huggingface.co/meta-llama/Llama-2-7b-hf",
        ),
        ("huggingface.co/owner/model.", "https://huggingface.co/owner/model"),
        ("https://github.com/Owner/Repo-Name_1.x", "https://github.com/Owner/Repo-Name_1.x"),
    ],
)
def test_other_forges_are_normalised(url: str, expected: str) -> None:
    assert normalize_repo_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://skillchoreographer.github.io/",
        "https://ltlhuuu.github.io/PSEC/.",
        "https://anonymous.4open.science/r/weight-ensembling_MoE-67C9/",
        "https://generalist.top/",
        "https://github.com/shizhediao",  # a profile, not a repository
        "https://github.com",
        "https://github.com/orgs/facebookresearch/repositories",
        "https://github.com/topics/llm",
        "https://huggingface.co/papers/2311.09677",
        "https://huggingface.co/spaces/owner",
        "https://huggingface.co/models",
        "https://gist.github.com/a/0123abcd",
        "https://raw.githubusercontent.com/a/b/main/x",
        "https://github.com.evil.example/a/b",
        "https://evil.example/github.com/a/b",
        "javascript:alert('github.com/a/b')",
        "-https://github.com/a/b",
        "https://github.com/a b/c",
        "",
    ],
)
def test_non_repositories_are_not_normalised(url: str) -> None:
    assert normalize_repo_url(url) is None


# --- links in free text ---------------------------------------------------------------------


def test_find_repo_links_in_order_without_duplicates() -> None:
    text = (
        "Code: https://github.com/a/b. Mirror http://github.com/A/B.git, models at "
        "huggingface.co/org/model; demo (https://huggingface.co/spaces/org/demo). "
        "Project page https://org.github.io/proj/. See also \\url{https://gitlab.com/g/p}."
    )
    assert find_repo_links(text) == [
        "https://github.com/a/b",
        "https://huggingface.co/org/model",
        "https://huggingface.co/spaces/org/demo",
        "https://gitlab.com/g/p",
    ]


def test_find_project_pages_skips_repositories_and_arxiv() -> None:
    text = (
        "Project page: https://org.github.io/proj/. Code: https://github.com/a/b. "
        "Anonymous code: https://anonymous.4open.science/r/x-67C9/. Prior work: "
        "https://arxiv.org/abs/2101.00001. Demo site (https://demo.example.org/page). "
        "Again https://org.github.io/proj and bare other.github.io/site."
    )
    assert find_project_pages(text) == [
        "https://org.github.io/proj/",
        "https://anonymous.4open.science/r/x-67C9/",
        "https://demo.example.org/page",
        "https://other.github.io/site",
    ]


def test_latex_escapes_inside_links_are_undone() -> None:
    text = "Code: \\url{https://github.com/some\\_org/my\\_repo}. Page https://a.github.io/x\\_y."
    assert find_repo_links(text) == ["https://github.com/some_org/my_repo"]
    assert find_project_pages(text) == ["https://a.github.io/x_y"]


def test_balanced_parentheses_stay_in_a_link() -> None:
    text = "see (https://en.wikipedia.org/wiki/Mixture_(statistics))."
    assert find_project_pages(text) == ["https://en.wikipedia.org/wiki/Mixture_(statistics)"]


def test_dangerous_links_in_text_are_never_returned() -> None:
    text = "javascript:alert(1) file:///etc/passwd data:text/html,x vbscript:msgbox"
    assert find_project_pages(text) == []
    assert find_repo_links(text) == []
    # In prose a dash before a link is punctuation: what comes out is the link itself.
    assert find_repo_links("code -https://github.com/a/b") == ["https://github.com/a/b"]


def test_pick_code_url_prefers_the_field_then_the_comment_then_the_abstract() -> None:
    comment = "Accepted at X. Code: https://github.com/from/comment."
    abstract = "Code is at https://github.com/from/abstract."
    assert pick_code_url("https://github.com/from/field.git", comment, abstract) == (
        "https://github.com/from/field"
    )
    assert pick_code_url(None, comment, abstract) == "https://github.com/from/comment"
    assert pick_code_url("", "no code here", abstract) == "https://github.com/from/abstract"
    # A field that is not a repository does not win over a real one.
    assert pick_code_url("https://x.github.io/", "", abstract) == "https://github.com/from/abstract"
    assert pick_code_url(None, "", "Project page: https://x.github.io/") == ""
    assert pick_code_url() == ""


def test_pick_project_url_prefers_the_field_then_the_comment_then_the_abstract() -> None:
    comment = "Website: https://comment.github.io/p."
    abstract = "Project page: https://abstract.github.io/p/."
    assert pick_project_url("https://field.example.org/", comment, abstract) == (
        "https://field.example.org/"
    )
    assert pick_project_url("javascript:alert(1)", comment, abstract) == (
        "https://comment.github.io/p"
    )
    assert pick_project_url(None, "", abstract) == "https://abstract.github.io/p/"
    assert pick_project_url(None, "", "Code: https://github.com/a/b") == ""


# --- the seed papers ------------------------------------------------------------------------

# Read off the abstracts in tests/fixtures/seed/trending_papers.json by hand: each arXiv id
# with the repository its abstract links to (the raw link in the comment).
SEED_REPOSITORIES = {
    "2311.09677": "https://github.com/shizhediao/R-Tuning",  # ".../R-Tuning."
    "2311.05185": "https://github.com/facebookresearch/mowst-gnn",  # "(.../mowst-gnn)."
    "2311.11482": "https://github.com/meta-prompting/meta-prompting",  # "...meta-prompting)."
    "2206.05262": "https://github.com/facebookresearch/meta-ot",  # "http://github.com/..."
    "2308.00352": "https://github.com/geekan/MetaGPT",  # "available on:https://...MetaGPT."
    "2410.02472": "https://github.com/acostarelli/meta-models-public",  # "... ."
    "2505.13379": "https://github.com/VainF/Thinkless",  # end of the abstract
    "2309.05444": "https://github.com/for-ai/parameter-efficient-moe",
    "2406.18219": "https://github.com/kamanphoebe/Look-into-MoEs",
}
# Abstracts that link only to a project page: no repository may come out of them.
SEED_PROJECT_PAGES = {
    "2211.13350": "https://skillchoreographer.github.io/",
    "2505.20310": "https://black-yt.github.io/meta-analysis-page/",
    "2402.00433": "https://anonymous.4open.science/r/weight-ensembling_MoE-67C9/",
    "2505.04620": "https://generalist.top/",
    "2502.05932": "https://ltlhuuu.github.io/PSEC/",
}


@pytest.fixture(scope="module")
def seed_papers() -> dict[str, dict[str, Any]]:
    papers = json.loads(SEED.read_text(encoding="utf-8"))
    return {paper["arxiv_id"]: paper for paper in papers}


def test_seed_abstracts_give_their_repositories(seed_papers: dict[str, dict[str, Any]]) -> None:
    for arxiv_id, repository in SEED_REPOSITORIES.items():
        abstract = seed_papers[arxiv_id]["abstract"]
        assert find_repo_links(abstract) == [repository], arxiv_id
        assert pick_code_url(None, "", abstract) == repository


def test_seed_project_pages_are_not_repositories(seed_papers: dict[str, dict[str, Any]]) -> None:
    for arxiv_id, page in SEED_PROJECT_PAGES.items():
        abstract = seed_papers[arxiv_id]["abstract"]
        assert find_repo_links(abstract) == [], arxiv_id
        assert pick_code_url(None, "", abstract) == ""
        assert find_project_pages(abstract) == [page], arxiv_id
        assert pick_project_url(None, "", abstract) == page


def test_every_seed_link_is_clean(seed_papers: dict[str, dict[str, Any]]) -> None:
    repositories = [
        link for paper in seed_papers.values() for link in find_repo_links(paper["abstract"])
    ]
    # 18 abstracts link to a GitHub repository (counted by hand in the seed).
    assert len(repositories) == 18
    for link in repositories:
        assert link.startswith("https://github.com/")
        assert ".github.io" not in link
        assert not link.endswith((".", ")", ",", ".git", "/"))
        assert link.count("/") == 4


# --- properties -----------------------------------------------------------------------------

_PIECES = [
    *"htps:/.-_ ()[]<>{}\\,;\n\t\x00\x1b\u202e",
    "https://",
    "http://",
    "github.com/",
    "gitlab.com/",
    "huggingface.co/",
    "spaces/",
    "owner",
    "/repo",
    ".git",
    ".github.io",
    "\\url{",
    "javascript:",
    "file://",
    "-",
    "a" * 700,
]
link_text = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES)).map("".join))


def _assert_clean_link(link: str) -> None:
    assert link.startswith(("https://", "http://")), link
    assert len(link) <= MAX_URL_LENGTH
    assert not any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in link), (
        link
    )
    assert validate_url(link) == link


@settings(max_examples=200, deadline=None)
@given(link_text)
def test_link_functions_never_return_an_unsafe_link(text: str) -> None:
    returned: list[str | None] = [
        safe_url(text),
        normalize_repo_url(text),
        pick_code_url(text, text, text),
        pick_project_url(text, text, text),
        *find_repo_links(text),
        *find_project_pages(text),
    ]
    # validate_url may refuse, but only ever with UnsafeURL; everything else never raises.
    with contextlib.suppress(UnsafeURL):
        returned.append(validate_url(text))
    for link in returned:
        if link:
            _assert_clean_link(link)
