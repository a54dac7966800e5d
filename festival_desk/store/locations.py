"""Where Festival Desk keeps its databases, and which festival a command works on when none is
named (platformdirs only: the desk and `--help` ask before SQLAlchemy has loaded).

The current festival is shared by the desk and the command line: the desk remembers each festival
it opens (`remember_current`), so that `festival-desk info` right after `festival-desk --demo`
reads the demo. `default_database` says how the default was chosen, in words for the user.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "festival-desk"
DB_ENV_VAR = "FESTIVAL_DESK_DB"
HOW_THE_DEFAULT_IS_CHOSEN = (
    f"--db URL, else ${DB_ENV_VAR}, else the festival the desk last opened, else the demo festival "
    "when it is the only festival in your data folder, else festival.sqlite in your data folder")
# A festival file is an SQLite database with its own extension, so that a file manager opens it in
# the desk (the desktop packages register the type). Files made before it keep working.
FESTIVAL_SUFFIX = ".festival"
FESTIVAL_SUFFIXES = (FESTIVAL_SUFFIX, ".sqlite", ".db")


def data_dir() -> Path:
    """The per-user folder where Festival Desk keeps its databases unless told otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The per-user folder for what can be made again (the press file's converted stills): safe
    to delete at any time."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "festival.sqlite"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite"


def _current_file() -> Path:
    return config_dir() / "current-festival"


def remember_current(spec: str) -> None:
    """Remember `spec` (a file path or a database URL, never with a password) as the festival
    the command line uses when none is named. A failure to write it is not the user's problem."""
    from festival_desk.core.errors import UserError
    from festival_desk.core.files import write_file

    try:
        _current_file().parent.mkdir(parents=True, exist_ok=True)
        write_file(_current_file(), (spec.strip() + "\n").encode("utf-8"))
    except (OSError, UserError):  # a read-only home folder must not stop the desk
        pass


def remembered_current() -> str | None:
    try:
        text = _current_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def _festivals_in_data_dir() -> list[Path]:
    try:
        return sorted(path for path in data_dir().iterdir()
                      if path.is_file() and path.suffix in FESTIVAL_SUFFIXES)
    except OSError:
        return []


def default_database() -> tuple[str, str]:
    """(the database to use when none is named, how it was chosen), as `HOW_THE_DEFAULT_IS_CHOSEN` says."""
    from_environment = os.environ.get(DB_ENV_VAR)
    if from_environment:
        return from_environment, f"from ${DB_ENV_VAR}"
    remembered = remembered_current()
    if remembered:
        return remembered, "the festival the desk last opened"
    festivals = _festivals_in_data_dir()
    if festivals == [demo_database_path()]:
        return str(demo_database_path()), "the demo festival, the only festival in your data folder"
    return str(default_database_path()), "the default festival file in your data folder"
