"""The search index: Whoosh files, searched by feedtui's own matching and ranking (how and
why: docs/search.md). Derived from the store, so it can always be rebuilt from it.

The public surface is `PaperIndex`, what its searches return (`IndexHits`) and raise
(`IndexUnavailable`, `IndexBusy`, `IndexWriteFailed`, `SearchCancelled`), the schema version
(an index of another one is rebuilt), the names of its files (for `feedtui doctor`) and
`catch_up_path` (update or rebuild, by cost). Everything else is private to the package;
numpy is imported only by the search and the warm-up, never on the startup path.
"""

from tui.index._cost import catch_up_path
from tui.index._files import BUILD_LOCK_FILE, META_FILE
from tui.index._paper_index import PaperIndex
from tui.index._schema import INDEX_SCHEMA_VERSION
from tui.index._types import IndexBusy, IndexHits, IndexUnavailable, IndexWriteFailed
from tui.model import SearchCancelled

__all__ = [
    "BUILD_LOCK_FILE",
    "INDEX_SCHEMA_VERSION",
    "META_FILE",
    "IndexBusy",
    "IndexHits",
    "IndexUnavailable",
    "IndexWriteFailed",
    "PaperIndex",
    "SearchCancelled",
    "catch_up_path",
]
