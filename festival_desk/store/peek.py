"""A first look at a SQLite festival file with the standard library alone.

Loading SQLAlchemy, the models and the migration checks takes about a second; the desk shows the
first rows of its film list from here meanwhile, then hands over to the database opened the usual
way (`store.db.open_database`). The look is read-only and answers only for a file that is already a
current Festival Desk database: anything else (no file, an older or newer schema, another program's
file, a file that cannot be read) gives None, and the usual opening decides what to do and what to
tell the user.

The film list's title order and rows come from the same definitions the usual path uses: the title
order is that of `store.filters.film_ids` (sort key, then id: tests compare the two), the rows are
`store.film_rows.read_film_rows`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from festival_desk.core import files
from festival_desk.core.text import fold_words
from festival_desk.store.film_rows import FilmRow, ids_by_title, read_film_rows
from festival_desk.store.revisions import VERSION_TABLE, head


class SqlitePeek:
    """A read-only connection to a current festival file (usable from any one thread at a time)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = connection

    def programmer_id(self, name: str | None) -> int | None:
        """The id of the programmer working under `name` (matched as `actions.programming` does),
        None when there is none yet."""
        key = fold_words(" ".join((name or "").split()))
        if not key:
            return None
        for programmer_id, programmer_name in self._connection.execute("SELECT id, name FROM programmer"):
            if fold_words(programmer_name) == key:
                return programmer_id
        return None

    def film_ids_by_title(self, statuses: Sequence[str] = (), sections: Sequence[str] = ()) -> list[int]:
        """The ids of the films with one of `statuses` and of one of the `sections` (codes; empty:
        any), in title order."""
        cursor = self._connection.cursor()
        try:
            return ids_by_title(cursor, "?", statuses, sections)
        finally:
            cursor.close()

    def cursor(self) -> sqlite3.Cursor:
        """A cursor on the look's read-only connection (close it after use)."""
        return self._connection.cursor()

    def film_rows(self, ids: Sequence[int], programmer_id: int | None = None) -> dict[int, FilmRow]:
        cursor = self._connection.cursor()
        try:
            return {row.film_id: row for row in read_film_rows(cursor, "?", ids, programmer_id=programmer_id)}
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the look (once; later calls do nothing)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            files.release_live(self.path)


def read_only_uri(path: str | Path) -> str:
    """The SQLite URI that opens `path` read-only (the path quoted, so that `?`, `#` or `%` in a
    folder name stay part of it)."""
    return f"file:{quote(str(Path(path).expanduser().resolve()))}?mode=ro"


def peek_sqlite(path: str | Path) -> SqlitePeek | None:
    """A look at the festival file at `path`, or None when it is not a current festival database
    that can be read right now. Never writes to the file and never raises for what it finds."""
    path = Path(path).expanduser()
    try:
        if not path.is_file():
            return None
        # A writer holding the file never makes the window wait: give up and open it the usual way.
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=0.1, check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    files.claim_live(path)
    try:
        revisions = [revision for (revision,) in connection.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
        if revisions != [head()]:
            raise LookupError(f"schema at {revisions}, not {head()}")
    except (sqlite3.Error, LookupError):
        connection.close()
        files.release_live(path)
        return None
    return SqlitePeek(path, connection)
