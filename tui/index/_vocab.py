"""The in-memory vocabulary of the index: every term with its document frequency and fields,
what the prefix being typed is expanded against. Cached per segment in a sidecar file.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.fields import Schema

from tui.index._schema import FIELD_BIT, TEXT_FIELDS, analyze
from tui.index._sidecar import Sidecar


class Vocabulary:
    """Every indexed term of the text fields, sorted, with its document frequency (summed over
    fields) and the fields it occurs in: what a prefix is expanded against.

    Immutable once built; an update makes a new one, so searches read it without locking.
    Frequencies after updates are approximate (a replaced paper counts twice), which only
    affects which completions of a prefix are tried first.
    """

    __slots__ = ("_cache", "df", "fields", "terms")

    def __init__(
        self, df: dict[str, int], fields: dict[str, int], terms: list[str] | None = None
    ) -> None:
        self.df = df
        self.fields = fields  # term -> bit mask of FIELD_BIT
        self.terms = sorted(df) if terms is None else terms  # `terms`: already sorted keys
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_reader(cls, reader: Any, ix_path: Path) -> Vocabulary:
        """The vocabulary of every segment, each read from its cache file in `ix_path` (or
        computed and cached: segments never change once written)."""
        parts = [
            _segment_vocabulary(segreader, ix_path)
            for segreader, _ in reader.leaf_readers()
            if segreader.segment() is not None  # None: the EmptyReader of an empty index
        ]
        VOCABULARY_FILES.remove_stale(ix_path, reader)
        if not parts:
            return cls({}, {})
        parts.sort(key=lambda part: len(part[0]), reverse=True)
        df, fields = parts[0]
        if len(parts) > 1:
            df, fields = dict(df), dict(fields)
            for other_df, other_fields in parts[1:]:
                for term, count in other_df.items():
                    df[term] = df.get(term, 0) + count
                    fields[term] = fields.get(term, 0) | other_fields[term]
        return cls(df, fields)

    def with_documents(self, docs: Iterable[dict[str, str]], schema: Schema) -> Vocabulary:
        df = dict(self.df)
        fields = dict(self.fields)
        for doc in docs:
            for name in TEXT_FIELDS:
                bit = FIELD_BIT[name]
                for term in set(analyze(schema, name, doc[name])):
                    df[term] = df.get(term, 0) + 1
                    fields[term] = fields.get(term, 0) | bit
        new_terms = [term for term in df.keys() - self.df.keys()]
        if not new_terms:
            return Vocabulary(df, fields, self.terms)
        terms = self.terms + sorted(new_terms)
        terms.sort()  # two sorted runs: a linear merge, not a full sort
        return Vocabulary(df, fields, terms)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent terms starting with `prefix`."""
        cached = self._cache.get(prefix)
        if cached is not None:
            return cached
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff", lo)
        found = heapq.nlargest(limit, self.terms[lo:hi], key=self.df.__getitem__)
        if len(self._cache) > 4096:  # one entry per distinct prefix typed
            self._cache.clear()
        self._cache[prefix] = found
        return found

    def variants(self, word: str) -> list[str]:
        """`word` plus its simple plural/singular form when that is indexed (cheap stemming)."""
        out = [word]
        other = word[:-1] if word.endswith("s") and len(word) > 3 else word + "s"
        if other in self.df:
            out.append(other)
        return out


VOCABULARY_FILES = Sidecar("feedtui-vocab-", b"FTV1")


def _segment_vocabulary(segreader: Any, ix_path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(term -> document frequency, term -> field bits) of one segment.

    Reading a lexicon through Whoosh costs ~30 µs a term (seconds at 100k papers), so each
    segment's vocabulary is cached next to it (tui/index/_sidecar)."""
    cached = VOCABULARY_FILES.load_object(segreader, ix_path)
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached[0], cached[1]
    df: dict[str, int] = {}
    fields: dict[str, int] = {}
    for name in TEXT_FIELDS:
        bit = FIELD_BIT[name]
        for btext, info in segreader.iter_field(name):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            df[term] = df.get(term, 0) + info.doc_frequency()
            fields[term] = fields.get(term, 0) | bit
    VOCABULARY_FILES.save_object(segreader, ix_path, (df, fields))
    return df, fields
