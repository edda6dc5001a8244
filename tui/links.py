"""Links: the one URL validator, and code-repository / project-page links found in text.

Every link feedtui opens, copies or stores passes `validate_url`: http(s) with a host, no
spaces or control characters, not starting with "-" (a browser launcher may read it as an
option), at most 2048 characters. Everything else is refused with a reason the user can read.

Repository links are normalised to one canonical form (``https://github.com/owner/repo``) so
that the same repository found in a feed field, an arXiv comment and an abstract is one link.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048

# Schemes worth naming in the refusal, because they are the dangerous ones people meet.
_NAMED_SCHEMES = ("javascript", "file", "data", "vbscript", "blob", "about", "ftp", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_OUTER_WHITESPACE = " \t\r\n\f\v"


class UnsafeURL(ValueError):
    """A link that must not be opened or copied; str() is the reason, for the user."""


def validate_url(url: str) -> str:
    """The URL (surrounding blanks trimmed, scheme lower-cased) if it is a plain http(s) link
    with a host; otherwise raises `UnsafeURL` naming the problem."""
    if not isinstance(url, str):
        raise UnsafeURL("not an http(s) link")
    url = url.strip(_OUTER_WHITESPACE)
    if not url:
        raise UnsafeURL("empty link")
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(f"link is longer than {MAX_URL_LENGTH} characters")
    if url.startswith("-"):
        raise UnsafeURL("refused a link that starts with '-'")
    if any(_is_space_or_control(char) for char in url):
        raise UnsafeURL("link contains spaces or control characters")
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme in _NAMED_SCHEMES:
        raise UnsafeURL(f"refused {scheme}: link")
    if scheme not in ("http", "https"):
        raise UnsafeURL("not an http(s) link")
    url = scheme + url[len(scheme) :]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as error:
        raise UnsafeURL(f"malformed link ({error})") from None
    if not parts.hostname:
        raise UnsafeURL("link has no host")
    return url


def safe_url(url: object) -> str:
    """`validate_url`, or "" for anything it refuses (never raises)."""
    if not isinstance(url, str):
        return ""
    try:
        return validate_url(url)
    except UnsafeURL:
        return ""


def _is_space_or_control(char: str) -> bool:
    # Cc: C0/C1 controls; Cf: bidi and zero-width format characters; Cs: lone surrogates;
    # Z*: every kind of space and line/paragraph separator.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")


# --- repositories ---------------------------------------------------------------------------

_GIT_FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_HUGGINGFACE = ("huggingface.co", "hf.co")
_REPO_HOSTS = _GIT_FORGES + _HUGGINGFACE

# First path segments that are site pages, not owners.
_FORGE_RESERVED_WORDS = (
    "about apps blog collections contact customer-stories dashboard enterprise events "
    "explore features help issues join login logout marketplace new notifications orgs "
    "organizations pricing pulls search security settings site signup sponsors topics "
    "trending users -"
)
_FORGE_RESERVED = frozenset(_FORGE_RESERVED_WORDS.split())
_HF_RESERVED_WORDS = (
    "api blog chat collections docs enterprise join learn login models new notifications "
    "organizations papers posts pricing search settings tasks"
)
_HF_RESERVED = frozenset(_HF_RESERVED_WORDS.split())
# GitLab project paths may be nested (group/subgroup/project); these mark where the project
# path ends in URLs that predate GitLab's "/-/" separator.
_GITLAB_PAGE_WORDS = (
    "tree blob raw commits commit issues merge_requests wikis pipelines releases tags branches"
)
_GITLAB_PAGES = frozenset(_GITLAB_PAGE_WORDS.split())
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,98}[A-Za-z0-9_])?$")
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")

# Characters that end a link found in free text: blanks, controls, quotes, braces (so that
# `\url{...}` ends at its brace), and the bidi/zero-width characters.
_LINK_END = r"\s\x00-\x20\x7f-\x9f<>\"'`{}|\\^\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
_HOST_ALTERNATIVES = "|".join(re.escape(host) for host in _REPO_HOSTS)
_LINK_IN_TEXT = re.compile(
    rf"(?:https?://|(?<![\w./@\-])(?:www\.)?(?:{_HOST_ALTERNATIVES})/)[^{_LINK_END}]+",
    re.IGNORECASE,
)
# A bare `name.github.io` with no scheme, as in "Project page: name.github.io/project".
_GITHUB_IO_IN_TEXT = re.compile(
    rf"(?<![\w./@:\-])[A-Za-z0-9\-]+\.github\.io(?:/[^{_LINK_END}]*)?", re.IGNORECASE
)
_LATEX_URL_ESCAPE = re.compile(r"\\([_%#&~])")
_URL_WRAPPER = re.compile(r"^\\(?:url|href)\{([^{}]*)\}")
_TRAILING_JUNK = ".,;:!?'\"]>}*"


def normalize_repo_url(url: str) -> str | None:
    """The canonical link of the code repository ``url`` points into, or None when it is not a
    repository (a project page, a user profile, a file host...).

    ``http://github.com/a/b.git``, ``github.com/a/b/tree/main/src``, ``\\url{...}`` and
    ``https://github.com/a/b).`` all give ``https://github.com/a/b``. Hugging Face spaces and
    datasets (``huggingface.co/spaces/owner/name``) and models (``huggingface.co/owner/name``)
    count as repositories; ``*.github.io`` and ``anonymous.4open.science`` do not."""
    if not isinstance(url, str):
        return None
    candidate = _tidy_link(url)
    if not candidate:
        return None
    if not _SCHEME.match(candidate):
        candidate = "https://" + candidate.lstrip("/")
    link = safe_url(candidate)
    if not link:
        return None
    parts = urlsplit(link)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if host in _GIT_FORGES:
        path = _forge_path(host, segments)
    elif host in _HUGGINGFACE:
        host = "huggingface.co"
        path = _huggingface_path(segments)
    else:
        return None
    return f"https://{host}/{'/'.join(path)}" if path else None


def _tidy_link(url: str) -> str:
    """Unwrap `\\url{}` and drop the punctuation that text wraps around links."""
    url = url.strip(_OUTER_WHITESPACE)
    wrapped = _URL_WRAPPER.match(url)
    if wrapped:
        url = wrapped.group(1).strip(_OUTER_WHITESPACE)
    url = url.lstrip("(<[\"'")
    return _strip_trailing_punctuation(url)


def _strip_trailing_punctuation(url: str) -> str:
    while url:
        if url[-1] in _TRAILING_JUNK:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            # A closing parenthesis is part of the link only when the link opened one
            # (`.../Foo_(bar)`); otherwise it closes the sentence around it.
            url = url[:-1]
        else:
            break
    return url


def _forge_path(host: str, segments: list[str]) -> list[str]:
    if host == "gitlab.com":
        project: list[str] = []
        for segment in segments:
            if segment == "-" or (len(project) >= 2 and segment in _GITLAB_PAGES):
                break
            project.append(segment)
        segments = project
    else:
        segments = segments[:2]
    if len(segments) < 2 or segments[0].lower() in _FORGE_RESERVED:
        return []
    *owners, name = segments
    name = _strip_git_suffix(name)
    if not all(_OWNER.match(owner) for owner in owners) or not _valid_name(name):
        return []
    return [*owners, name]


def _huggingface_path(segments: list[str]) -> list[str]:
    if segments and segments[0] in ("spaces", "datasets"):
        kind, segments = [segments[0]], segments[1:]
    else:
        kind = []
    if len(segments) < 2 or (not kind and segments[0].lower() in _HF_RESERVED):
        return []
    owner, name = segments[0], _strip_git_suffix(segments[1])
    if not _OWNER.match(owner) or not _valid_name(name):
        return []
    return [*kind, owner, name]


def _strip_git_suffix(name: str) -> str:
    name = name.removesuffix(".git") if name.lower().endswith(".git") else name
    return name.rstrip(".")


def _valid_name(name: str) -> bool:
    return bool(_NAME.match(name)) and name not in (".", "..")


def find_repo_links(text: str) -> list[str]:
    """Repository links in free text (abstracts, arXiv comments), normalised, in order of
    appearance, without duplicates (compared case-insensitively, as the forges do)."""
    found: list[str] = []
    seen: set[str] = set()
    for candidate in _candidates(text):
        link = normalize_repo_url(candidate)
        if link and link.lower() not in seen:
            seen.add(link.lower())
            found.append(link)
    return found


def find_project_pages(text: str) -> list[str]:
    """The other http(s) links in free text: project pages (``*.github.io``,
    ``anonymous.4open.science``, any site that is not a code repository), with trailing
    punctuation stripped, in order, without duplicates. Links to arXiv itself are left out:
    they point at papers, not at the project."""
    found: list[str] = []
    seen: set[str] = set()
    for candidate in _candidates(text, bare_github_io=True):
        if normalize_repo_url(candidate) is not None:
            continue
        tidy = _tidy_link(candidate)
        if tidy and not _SCHEME.match(tidy):
            tidy = "https://" + tidy
        link = safe_url(tidy)
        if not link or _is_arxiv(link):
            continue
        key = link.rstrip("/")
        if key not in seen:
            seen.add(key)
            found.append(link)
    return found


def _candidates(text: str, *, bare_github_io: bool = False) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    if "\\" in text:
        # Abstracts written in LaTeX escape URL characters (`github.com/a/my\_repo`); the
        # backslash would otherwise end the link early and give the wrong repository.
        text = _LATEX_URL_ESCAPE.sub(r"\1", text)
    matches = list(_LINK_IN_TEXT.finditer(text))
    if bare_github_io:
        matches += _GITHUB_IO_IN_TEXT.finditer(text)
        matches.sort(key=lambda match: match.start())
    return [match.group(0) for match in matches]


def _is_arxiv(link: str) -> bool:
    host = (urlsplit(link).hostname or "").lower()
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def pick_code_url(github_repo: str | None = None, comment: str = "", abstract: str = "") -> str:
    """The paper's code repository: the Hugging Face ``githubRepo`` field first, then the first
    repository linked in the arXiv comment, then in the abstract; "" when there is none."""
    if github_repo:
        link = normalize_repo_url(github_repo)
        if link:
            return link
    for text in (comment, abstract):
        links = find_repo_links(text)
        if links:
            return links[0]
    return ""


def pick_project_url(project_page: str | None = None, comment: str = "", abstract: str = "") -> str:
    """The paper's project page: the Hugging Face ``projectPage`` field first (as given, if it
    is a safe link), then the first project page linked in the comment, then in the abstract."""
    if isinstance(project_page, str) and project_page:
        link = safe_url(_tidy_link(project_page))
        if link:
            return link
    for text in (comment, abstract):
        pages = find_project_pages(text)
        if pages:
            return pages[0]
    return ""


__all__ = [
    "MAX_URL_LENGTH",
    "UnsafeURL",
    "find_project_pages",
    "find_repo_links",
    "normalize_repo_url",
    "pick_code_url",
    "pick_project_url",
    "safe_url",
    "validate_url",
]
