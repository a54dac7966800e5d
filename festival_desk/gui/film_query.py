"""The film list's queries: which films (ids, filtered and sorted in the database) and their rows.

Thin wrappers over `store.filters.film_ids` and `store.film_rows.film_rows` that open their own
short read session, so that they can run on a worker thread and hand plain rows to the GUI. The
store modules are imported on first use (on the worker): the window does not wait for SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from festival_desk.store.db import Database
    from festival_desk.store.film_rows import FilmRow


@dataclass(frozen=True)
class FilmQuery:
    """Which films a list shows and in what order."""

    statuses: tuple[str, ...] = ()  # empty: every status
    text: str = ""
    sort: str = "title"
    descending: bool = False
    # Catalogue-facts criteria of `store.filters.FilmFilter` as (name, value) pairs, e.g.
    # (("sdh", True),): the desk's accessibility filter (gui.committee_menu).
    facts: tuple[tuple[str, object], ...] = ()


def film_ids(database: Database, query: FilmQuery, programmer_id: int | None = None) -> list[int]:
    """The ids of the films matching `query`, in its order (ties by sort title, then id)."""
    from festival_desk.store.filters import SORT_COLUMNS, FilmFilter, film_ids as _store_film_ids

    sort = query.sort if query.sort in SORT_COLUMNS else "title"
    with database.reading() as session:
        return _store_film_ids(session, FilmFilter(search=query.text, statuses=query.statuses, **dict(query.facts)),
                               sort=(sort, not query.descending), programmer_id=programmer_id)


def film_rows(database: Database, ids: Sequence[int], programmer_id: int | None = None, *,
              blind: bool = False) -> dict[int, FilmRow]:
    """The table rows of the films `ids`, keyed by id (`blind`: no mean or spread of a film the
    programmer has not rated yet)."""
    from festival_desk.store.film_rows import read_film_rows

    if not ids:
        return {}
    # A page is read while the table paints: a driver cursor, without a Session (which would cost
    # as much as the six queries).
    with database.cursor() as (cursor, mark):
        return {row.film_id: row for row in read_film_rows(cursor, mark, ids, programmer_id=programmer_id,
                                                           blind=blind)}


def programmers(database: Database) -> list[tuple[int, str]]:
    """Every programmer as (id, name), by name."""
    from sqlmodel import select

    from festival_desk.store.models import Programmer

    with database.reading() as session:
        return [(pid, name) for pid, name in session.exec(select(Programmer.id, Programmer.name)
                                                          .order_by(Programmer.name))]
