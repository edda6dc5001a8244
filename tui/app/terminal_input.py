"""How feedtui reads a key typed right after Escape: as Escape, then the key.

Terminals send Alt+key (Meta) as ESC followed by the key, and so arrives Escape followed quickly
by a key: a vim user's `Esc /`, or anything tmux and SSH deliver in one burst. Textual 8.2.8's
parser gets both wrong:
- ESC + a letter becomes `alt+letter` (typed into a text box as the letter) and ESC + any other
  character (`/`, `?`, digits) the bare character: the Escape is dropped
  (Textualize/textual#6663: the alt modifier is only kept for one-letter key names);
- when more than 32 characters follow the ESC in one read (`Esc /` and a typed query), the
  parser gives up looking for an escape sequence and types the ESC as a `^`.
Either way `Esc /` in the search box types into it instead of leaving it and starting a new
search.

feedtui binds no Alt keys, so it reads ESC + a printable character that cannot start an escape
sequence, or ESC + Enter, as the two keys the user most likely pressed: before the parser sees a
read, each such ESC becomes the unambiguous Escape key of the kitty keyboard protocol (`CSI 27
u`), which Textual parses without lookahead. An ESC that ends one read and whose key starts the
next is split the same way when the parser resolves it. ESC + a control key (Alt+Backspace, ESC
ESC, arrows) keeps Textual's reading. Installed once, by the app; tests/app/test_typing.py feeds
the parser directly and tests/app/test_typing_pty.py types through a real terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser

ESC = "\x1b"
ESCAPE_KEY = "\x1b[27u"  # the kitty keyboard protocol's Escape: no lookahead needed
# What may follow an ESC in an escape sequence (CSI, SS3, OSC, DCS, APC, PM, SOS) or another ESC.
_INTRODUCERS = frozenset("[O]P_^X\x1b")
_MARK = "_feedtui_escape_then_key"


# Enter right after Escape (`Esc Enter`): Textual would read it as a bare Enter, the Escape lost.
_ALSO_SPLIT = frozenset("\r\n")


def split_escapes(data: str) -> str:
    """``ESC /`` -> Escape key + ``/``, for every ESC followed by a printable character that
    cannot start an escape sequence, or by Enter; everything else unchanged."""
    if ESC not in data or "\x1b[200~" in data:  # a bracketed paste is text, not keys
        return data
    pieces = data.split(ESC)
    out = [pieces[0]]
    for piece in pieces[1:]:
        if (
            piece
            and piece[0] not in _INTRODUCERS
            and (piece[0].isprintable() or piece[0] in _ALSO_SPLIT)
        ):
            out.append(ESCAPE_KEY + piece)
        else:
            out.append(ESC + piece)
    return "".join(out)


def install() -> None:
    """Make the terminal parser read ESC + a printable character as two keys (idempotent)."""
    feed: Callable[..., Iterable[object]] = XTermParser.feed
    if getattr(feed, _MARK, False):
        return
    to_keys: Callable[..., Iterable[events.Key]] = XTermParser._sequence_to_key_events

    def feed_split(self: Any, data: str) -> Iterable[object]:
        return feed(self, split_escapes(data))

    def escape_then_key(self: Any, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and len(sequence) == 1 and sequence.isprintable():
            yield events.Key("escape", ESC)
            alt = False
        yield from to_keys(self, sequence, alt)

    setattr(feed_split, _MARK, True)
    XTermParser.feed = feed_split  # type: ignore[method-assign,assignment]
    XTermParser._sequence_to_key_events = escape_then_key  # type: ignore[method-assign]
