"""Where each value of a TOML document is: the line of every key, table and array element.

tomllib only reports lines for syntax errors; the config's validation errors name the line of
the wrong value with this (tui/config.py).
"""

from __future__ import annotations

import contextlib
import re
import tomllib

TomlPath = tuple[str | int, ...]

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END_RE = re.compile(r"[,\]}\n#]")


class TomlLocator:
    """The line each key, table and array element of a TOML document starts on, by path:
    ``[[feeds]]`` #2's ``kind`` is ``("feeds", 1, "kind")``, the header itself ``("feeds", 1)``
    and an inline ``feeds = [{...}, {...}]`` maps the same way. It reads text tomllib has
    already accepted, so it only needs to follow the structure (headers, keys, strings,
    brackets), not check it; if it ever loses its way, the lines found so far still count."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[TomlPath, int] = {}
        self._arrays: dict[TomlPath, int] = {}  # array-of-tables path -> tables seen so far
        # The line at `_counted_to`, moved forward as the scan goes: positions are recorded in
        # order, so the newlines of the text are counted once (from 0 every time: quadratic).
        self._counted_to = 0
        self._counted_line = 1
        with contextlib.suppress(IndexError, ValueError, RecursionError, tomllib.TOMLDecodeError):
            self._document()

    def _line(self, pos: int) -> int:
        if pos < self._counted_to:  # not expected (positions only grow), but stay right
            return self.text.count("\n", 0, pos) + 1
        self._counted_line += self.text.count("\n", self._counted_to, pos)
        self._counted_to = pos
        return self._counted_line

    def _record(self, path: TomlPath, pos: int) -> None:
        self.lines.setdefault(path, self._line(pos))

    def _document(self) -> None:
        table: TomlPath = ()
        text = self.text
        while True:
            self._skip_blank()
            if self.pos >= len(text):
                return
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                keys = self._key()
                self._expect("]]")
                array = self._resolve(keys)
                count = self._arrays.get(array, 0)
                self._arrays[array] = count + 1
                self._record(array, start)
                table = (*array, count)
                self._record(table, start)
            elif text[start] == "[":
                self.pos += 1
                keys = self._key()
                self._expect("]")
                table = self._resolve(keys)
                self._record(table, start)
            else:
                self._key_value(table)

    def _resolve(self, keys: tuple[str, ...]) -> TomlPath:
        """A header's path: an array of tables on the way means its latest table."""
        path: TomlPath = ()
        for n, key in enumerate(keys):
            path = (*path, key)
            if n < len(keys) - 1 and path in self._arrays:
                path = (*path, self._arrays[path] - 1)
        return path

    def _key_value(self, table: TomlPath) -> None:
        start = self.pos
        path = (*table, *self._key())
        self._skip_spaces()
        self._expect("=")
        self._skip_spaces()
        self._record(path, start)
        self._value(path)

    def _key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self._skip_spaces()
            char = self.text[self.pos]
            if char in "\"'":
                start = self.pos
                self._string()
                parts.append(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
            else:
                match = _BARE_KEY_RE.match(self.text, self.pos)
                if not match:
                    raise ValueError("not a key")
                parts.append(match.group())
                self.pos = match.end()
            self._skip_spaces()
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def _value(self, path: TomlPath) -> None:
        text = self.text
        char = text[self.pos]
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip_blank()
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                self._record((*path, index), self.pos)
                self._value((*path, index))
                index += 1
                self._skip_blank()
                if text[self.pos] == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self._skip_blank()
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                self._key_value(path)
                self._skip_blank()
                if text[self.pos] == ",":
                    self.pos += 1
        else:  # a number, a boolean, a date
            match = _SCALAR_END_RE.search(text, self.pos)
            self.pos = match.start() if match else len(text)

    def _string(self) -> None:
        text, start = self.text, self.pos
        quote = text[start]
        if text.startswith(quote * 3, start):
            end = start + 3
            while True:
                end = text.index(quote * 3, end)
                if quote == "'" or not _escaped(text, end):
                    break
                end += 1
            end += 3
            while end < len(text) and text[end] == quote and end - start < 8 + 2:
                end += 1  # up to two quotes of the content may touch the closing ones
            self.pos = end
            return
        end = start + 1
        while True:
            end = text.index(quote, end)
            if quote == "'" or not _escaped(text, end):
                break
            end += 1
        self.pos = end + 1

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def _skip_blank(self) -> None:
        """Spaces, newlines and comments."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n":
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        self._skip_spaces()
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r}")
        self.pos += len(token)


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1
