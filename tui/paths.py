"""Where feedtui keeps its files.

platformdirs gives the per-user data, config and cache directories. ``FEEDTUI_HOME=DIR``
relocates all three below DIR (tests, portable use, the ``--sample`` demo).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "feedtui"
HOME_ENV = "FEEDTUI_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    data_dir: Path
    config_dir: Path
    cache_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "feedtui.sqlite3"

    @property
    def index_dir(self) -> Path:
        # The index is derived data: it lives with the cache and can always be rebuilt.
        return self.cache_dir / "index"

    @property
    def fulltext_dir(self) -> Path:
        # Fetched papers' texts, kept for offline reading (a cache with a cap, but in the data
        # dir: losing it means fetching again, which may no longer be possible offline).
        return self.data_dir / "fulltext"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    def ensure(self) -> None:
        for directory in (self.data_dir, self.config_dir, self.cache_dir):
            directory.mkdir(parents=True, exist_ok=True)


def default_paths(env: dict[str, str] | None = None) -> Paths:
    env = dict(os.environ) if env is None else env
    home = env.get(HOME_ENV)
    if home:
        root = Path(home).expanduser()
        return Paths(root / "data", root / "config", root / "cache")
    return Paths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )


def export_dir(configured: str = "", env: dict[str, str] | None = None) -> Path:
    """Where the TUI's E writes: the config's ``export_dir`` (``~`` expanded) when set, else
    ``FEEDTUI_HOME/exports`` when FEEDTUI_HOME relocates feedtui, else the user's documents
    folder (platformdirs: ~/Documents, or XDG_DOCUMENTS_DIR on Linux)."""
    if configured:
        return Path(configured).expanduser()
    env = dict(os.environ) if env is None else env
    home = env.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / "exports"
    return Path(platformdirs.user_documents_dir())
