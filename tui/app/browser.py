"""Opening links in the user's browser, safely and without blocking the UI.

Call `open_in_browser` from a worker thread: `webbrowser.open` can take seconds. Links are
validated first (tui.links). On a machine without a graphical session, `webbrowser` falls back
to console browsers (lynx, w3m...) that would run in this very terminal on top of the app and
wait for them to exit: those are refused, and the user is shown the link instead.
"""

from __future__ import annotations

import webbrowser

from tui.links import validate_url

CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})


class BrowserUnavailable(Exception):
    """No browser could take the link; the message says why."""


def open_in_browser(url: str) -> None:
    """Open ``url`` or raise UnsafeURL / BrowserUnavailable with a reason for the user."""
    url = validate_url(url)
    try:
        _open(url)
    except BrowserUnavailable as error:
        # Show the link so it can still be selected and opened by hand.
        raise BrowserUnavailable(f"{error} — {url}") from None


def _open(url: str) -> None:
    try:
        browser = webbrowser.get()
    except webbrowser.Error as error:
        raise BrowserUnavailable(f"no web browser found ({error})") from error
    name = getattr(browser, "name", "") or ""
    if isinstance(browser, webbrowser.GenericBrowser) and name in CONSOLE_BROWSERS:
        raise BrowserUnavailable(f"only a console browser ({name}) is available")
    if not browser.open(url):
        raise BrowserUnavailable("the browser did not accept the link")
