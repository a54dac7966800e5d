"""Where Festival Desk keeps its databases unless told otherwise (platformdirs only: the desk asks
before SQLAlchemy has loaded)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "festival-desk"

# A festival file is an SQLite database with its own extension, so that a file manager opens it in
# the desk (the desktop bundle registers the type). Files made before it keep working.
FESTIVAL_SUFFIX = ".festival"
FESTIVAL_FILE_SUFFIXES = (FESTIVAL_SUFFIX, ".sqlite", ".db")


def data_dir() -> Path:
    """The per-user folder where Festival Desk keeps its databases unless told otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "festival.sqlite"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite"
