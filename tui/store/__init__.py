"""The SQLite store: papers and the user's state, the one source of truth.

`Store` is the whole public surface (with `StoreError`, the one exception it raises, explained
for the user, and `has_filters`: whether a query has filters for the store to answer); the
types it returns are tui.model's. Inside: the connection and migrations (_core), the queries
(_store), the schema (_schema), the row mapping (_rows), the SQL that a parsed query becomes
(_sql) and the cache of filter results (_cache).
"""

from tui.store._cache import has_filters
from tui.store._core import StoreError
from tui.store._schema import SCHEMA_VERSION
from tui.store._store import Store

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "has_filters"]
