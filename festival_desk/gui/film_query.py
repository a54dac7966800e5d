"""The film list's queries: which films (ids, filtered and sorted in the database) and their rows.

A stand-in until `store.filters` / `store.film_rows` / `store.search` serve the same purpose: raw
SQL, because building ORM objects for a page of rows costs ten times as much (TECH-NOTES). Rows are
plain frozen dataclasses, safe to hand from a worker thread to the GUI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from festival_desk.core.text import words
from festival_desk.core.workflow import Status
from festival_desk.store.db import Database

_STATUS_ORDER = "CASE f.status " + " ".join(
    f"WHEN '{status.value}' THEN {rank}" for rank, status in enumerate(Status)) + " END"

# Sort expressions per column key; each sorts NULLs last and ties by sort title.
SORT_EXPRESSIONS: dict[str, str] = {
    "title": "f.sort_key",
    "original_title": "lower(coalesce(f.original_title, f.title))",
    "directors": "(SELECT p.name_key FROM filmcredit c JOIN person p ON p.id = c.person_id "
                 "WHERE c.film_id = f.id AND c.role = 'director' ORDER BY c.position LIMIT 1)",
    "countries": "(SELECT coalesce(c.code, c.label) FROM filmcountry c WHERE c.film_id = f.id "
                 "ORDER BY c.position LIMIT 1)",
    "year": "f.year",
    "runtime": "f.runtime_minutes",
    "section": "(SELECT s.position FROM section s WHERE s.id = f.section_id)",
    "status": _STATUS_ORDER,
    "my_rating": "(SELECT r.score FROM rating r WHERE r.film_id = f.id AND r.programmer_id = :me)",
    "mean": "(SELECT avg(r.score) FROM rating r WHERE r.film_id = f.id)",
    "spread": "(SELECT avg(r.score * r.score) - avg(r.score) * avg(r.score) FROM rating r "
              "WHERE r.film_id = f.id)",
    "reviews": "(SELECT count(*) FROM review v WHERE v.film_id = f.id)",
    "premiere": "f.premiere",
    "tags": "(SELECT min(t.name) FROM filmtag ft JOIN tag t ON t.id = ft.tag_id WHERE ft.film_id = f.id)",
}


@dataclass(frozen=True)
class FilmQuery:
    """Which films a list shows and in what order."""

    statuses: tuple[str, ...] = ()  # empty: every status
    text: str = ""
    sort: str = "title"
    descending: bool = False


@dataclass(frozen=True)
class FilmRow:
    """One line of the film table, every column as a plain value."""

    id: int
    title: str
    original_title: str | None
    directors: str
    countries: str
    year: int | None
    runtime: int | None
    section: str | None
    section_colour: str | None
    status: str
    my_rating: int | None
    mean: float | None
    spread: float | None
    ratings_count: int
    reviews: int
    premiere: str | None
    tags: str


def film_ids(database: Database, query: FilmQuery, programmer_id: int | None = None) -> list[int]:
    """The ids of the films matching `query`, in its order (ties by sort title, then id)."""
    conditions: list[str] = ["f.is_external = :external"]
    params: dict[str, object] = {"me": programmer_id or -1, "external": False}
    if query.statuses:
        names = []
        for number, status in enumerate(query.statuses):
            names.append(f":status{number}")
            params[f"status{number}"] = status
        conditions.append(f"f.status IN ({', '.join(names)})")
    for number, word in enumerate(words(query.text)):
        params[f"word{number}"] = f"%{word}%"
        conditions.append(
            f"(f.sort_key LIKE :word{number} OR lower(coalesce(f.original_title, '')) LIKE :word{number} "
            f"OR EXISTS (SELECT 1 FROM filmcredit c JOIN person p ON p.id = c.person_id "
            f"WHERE c.film_id = f.id AND c.role = 'director' AND p.name_key LIKE :word{number}))")
    order = SORT_EXPRESSIONS.get(query.sort, "f.sort_key")
    direction = "DESC" if query.descending else "ASC"
    sql = (f"SELECT f.id FROM film f WHERE {' AND '.join(conditions)} "
           f"ORDER BY ({order}) IS NULL, {order} {direction}, f.sort_key, f.id")
    with database.engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.text(sql), params)]


def _in_list(ids: Sequence[int]) -> str:
    return ", ".join(str(int(film_id)) for film_id in ids)


def film_rows(database: Database, ids: Sequence[int], programmer_id: int | None = None) -> dict[int, FilmRow]:
    """The table rows of the films `ids` (at most a few hundred at a time), keyed by id."""
    if not ids:
        return {}
    listed = _in_list(ids)
    with database.engine.connect() as connection:
        def grouped(sql: str) -> dict[int, list[str]]:
            result: dict[int, list[str]] = {}
            for film_id, value in connection.exec_driver_sql(sql):
                result.setdefault(film_id, []).append(value)
            return result

        directors = grouped(
            "SELECT c.film_id, p.name FROM filmcredit c JOIN person p ON p.id = c.person_id "
            f"WHERE c.role = 'director' AND c.film_id IN ({listed}) ORDER BY c.film_id, c.position")
        countries = grouped(f"SELECT film_id, coalesce(code, label) FROM filmcountry "
                            f"WHERE film_id IN ({listed}) ORDER BY film_id, position")
        tags = grouped(f"SELECT ft.film_id, t.name FROM filmtag ft JOIN tag t ON t.id = ft.tag_id "
                       f"WHERE ft.film_id IN ({listed}) ORDER BY ft.film_id, t.name")
        scores = {film_id: (count, mean, mean_square) for film_id, count, mean, mean_square in
                  connection.exec_driver_sql(
                      f"SELECT film_id, count(*), avg(score), avg(score * score) FROM rating "
                      f"WHERE film_id IN ({listed}) GROUP BY film_id")}
        mine = dict(connection.execute(sa.text(
            f"SELECT film_id, score FROM rating WHERE programmer_id = :me AND film_id IN ({listed})"),
            {"me": programmer_id or -1}).all())
        reviews = dict(connection.exec_driver_sql(
            f"SELECT film_id, count(*) FROM review WHERE film_id IN ({listed}) GROUP BY film_id").all())
        rows: dict[int, FilmRow] = {}
        for (film_id, title, original_title, year, runtime, section, colour, status,
             premiere) in connection.exec_driver_sql(
                "SELECT f.id, f.title, f.original_title, f.year, f.runtime_minutes, s.name, s.colour, "
                "f.status, f.premiere FROM film f LEFT JOIN section s ON s.id = f.section_id "
                f"WHERE f.id IN ({listed})"):
            count, mean, mean_square = scores.get(film_id, (0, None, None))
            spread = max(mean_square - mean * mean, 0.0) ** 0.5 if mean is not None else None
            rows[film_id] = FilmRow(
                id=film_id, title=title, original_title=original_title,
                directors=", ".join(directors.get(film_id, ())),
                countries=", ".join(countries.get(film_id, ())), year=year, runtime=runtime,
                section=section, section_colour=colour, status=status, my_rating=mine.get(film_id),
                mean=mean, spread=spread, ratings_count=count, reviews=reviews.get(film_id, 0),
                premiere=premiere, tags=", ".join(tags.get(film_id, ())))
    return rows


def programmers(database: Database) -> list[tuple[int, str]]:
    """Every programmer as (id, name), by name."""
    with database.engine.connect() as connection:
        return [(pid, name) for pid, name in
                connection.exec_driver_sql("SELECT id, name FROM programmer ORDER BY name")]
