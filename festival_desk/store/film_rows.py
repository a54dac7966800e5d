"""The rows of the desk's film table: plain, frozen values (no ORM objects), fetched for a page of
ids at a time in a fixed, small number of queries (six, whatever the number of films).

The queries are plain SQL run on the driver's cursor, not SQLAlchemy statements: a page of rows is
read on the GUI thread while the table paints, and building, compiling and wrapping six statements
cost more than running them. For the same reason this module imports no SQLAlchemy: `read_film_rows`
also serves a bare `sqlite3` connection (see `store.peek`), before the database stack has loaded.

Scores follow `core.scores` (mean, median, population-std-dev spread) over the ratings that count
(`store.scoring`: overall scores, recused programmers left out); the spread is computed here from
sums, since `statistics.pstdev`'s exact fractions cost 0.15 ms a film, half the time of a 200-row
page (tests check both agree).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from festival_desk.core.scores import ScoreSummary
from festival_desk.store.scoring import OVERALL_SQL, RECUSED_SQL

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_CHUNK = 900  # ids per IN list: well inside every driver's parameter limit


@dataclass(frozen=True)
class RowTag:
    name: str
    colour: str


@dataclass(frozen=True)
class FilmRow:
    """Everything the film table shows for one film.

    `countries` are ISO 3166 codes, or the text as imported where no code fits. Score fields are
    None without ratings; with `blind=True` in `film_rows`, mean, median and spread are also None
    (and `scores_hidden` True) until the programmer has rated the film.
    """

    film_id: int
    title: str
    original_title: str | None
    directors: tuple[str, ...]
    countries: tuple[str, ...]
    year: int | None
    runtime_minutes: int | None
    section_code: str | None
    section_name: str | None
    section_colour: str | None
    status: str
    my_rating: int | None
    mean: float | None
    median: float | None
    spread: float | None
    ratings_count: int
    reviews_count: int
    premiere: str | None
    tags: tuple[RowTag, ...]
    scores_hidden: bool = False
    sort_title: str = ""  # the title as filed ("Red Soul, The"), for lists that show it


def _summary(scores: Sequence[float]) -> ScoreSummary:
    """core.scores.summarize_overall of already-validated overall scores (the database's checks
    hold them to 1–5). Whole scores give an exact spread; weighted ones may round a hair below 0,
    hence the floor."""
    count = len(scores)
    if not count:
        return ScoreSummary(count=0, mean=None, median=None, spread=None)
    total = sum(scores)
    squares = sum(score * score for score in scores)
    return ScoreSummary(count=count, mean=total / count, median=float(statistics.median(scores)),
                        spread=math.sqrt(max(0.0, count * squares - total * total)) / count)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    unique = list(dict.fromkeys(ids))
    return [unique[start:start + _CHUNK] for start in range(0, len(unique), _CHUNK)]


def film_rows(session: Session, ids: Sequence[int], *, programmer_id: int | None = None,
              blind: bool = False) -> list[FilmRow]:
    """The rows of the films `ids`, in the order given (ids of films that no longer exist are
    left out). `programmer_id` is the programmer whose rating is `my_rating`; `blind` hides the
    others' scores from that programmer on films they have not rated yet."""
    from festival_desk.store.db import parameter_marker  # loaded already: a Session is open

    session.flush()  # rows read through the connection must include this session's edits
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        return read_film_rows(cursor, parameter_marker(connection.dialect), ids, programmer_id=programmer_id,
                              blind=blind)
    finally:
        cursor.close()


def read_film_rows(cursor: Any, mark: str, ids: Sequence[int], *, programmer_id: int | None = None,
                   blind: bool = False) -> list[FilmRow]:
    """`film_rows` on a DB-API cursor whose parameter marker is `mark` ("?" or "%s")."""
    rows: dict[int, FilmRow] = {}
    for chunk in _chunks(ids):
        rows.update(_fetch(cursor, mark, chunk, programmer_id, blind))
    return [rows[film_id] for film_id in ids if film_id in rows]


# {ids} becomes the chunk's markers. Every list is ordered as the film page shows it.
_FILMS = ("SELECT film.id, film.title, film.original_title, film.year, film.runtime_minutes, film.status, "
          "film.premiere, section.code, section.name, section.colour, film.sort_title FROM film "
          "LEFT OUTER JOIN section ON section.id = film.section_id WHERE film.id IN ({ids})")
_DIRECTORS = ("SELECT filmcredit.film_id, person.name FROM filmcredit JOIN person ON person.id = filmcredit.person_id "
              "WHERE filmcredit.film_id IN ({ids}) AND filmcredit.role = 'director' "
              "ORDER BY filmcredit.film_id, filmcredit.position")
_COUNTRIES = ("SELECT film_id, code, label FROM filmcountry WHERE film_id IN ({ids}) "
              "ORDER BY film_id, position")
# Each rating with its whole score (the programmer's own stars), its overall score and whether its
# programmer is recused (store.scoring: a recused rating does not count).
_RATINGS = ("SELECT rating.film_id, rating.programmer_id, rating.score, " + OVERALL_SQL + ", " + RECUSED_SQL
            + " FROM rating WHERE rating.film_id IN ({ids})")
_REVIEWS = "SELECT film_id, count(*) FROM review WHERE film_id IN ({ids}) GROUP BY film_id"
_TAGS = ("SELECT filmtag.film_id, tag.name, tag.colour FROM filmtag JOIN tag ON tag.id = filmtag.tag_id "
         "WHERE filmtag.film_id IN ({ids}) ORDER BY filmtag.film_id, tag.name")


def _querier(cursor: Any, mark: str, ids: list[int]):
    marks = ", ".join([mark] * len(ids))

    def query(sql: str) -> list[tuple]:
        cursor.execute(sql.format(ids=marks), ids)
        return cursor.fetchall()

    return query


def _names_by_film(query) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """(directors, countries) of the chunk's films, each list in the film page's order."""
    directors: dict[int, list[str]] = defaultdict(list)
    for film_id, name in query(_DIRECTORS):
        directors[film_id].append(name)
    countries: dict[int, list[str]] = defaultdict(list)
    for film_id, code, label in query(_COUNTRIES):
        countries[film_id].append(code or label)
    return directors, countries


def ids_by_title(cursor: Any, mark: str, statuses: Sequence[str] = (), sections: Sequence[str] = ()) -> list[int]:
    """The ids of the films with one of `statuses` in one of the `sections` (codes; empty: any),
    in the desk's title order: sort key, then id (as `store.filters.film_ids` sorts by title; a
    test compares the two)."""
    conditions, parameters = [], [*statuses, *sections]
    if statuses:
        conditions.append(f"status IN ({', '.join([mark] * len(statuses))})")
    if sections:
        conditions.append(f"section_id IN (SELECT id FROM section WHERE code IN ({', '.join([mark] * len(sections))}))")
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    cursor.execute(f"SELECT id FROM film {where}ORDER BY sort_key, id", parameters)
    return [film_id for (film_id,) in cursor.fetchall()]


def read_film_listing(cursor: Any, mark: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    """What `festival-desk films list` prints of the films `ids`, in the order given, as plain
    dicts: the table's facts with the counted ratings' mean, spread and number (store.scoring), but
    without tags or reviews (four queries a chunk instead of six, for lists of every film)."""
    listed: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        query = _querier(cursor, mark, chunk)
        films = query(_FILMS)
        directors, countries = _names_by_film(query)
        scores, _mine = _counted_scores(query, None)
        for (film_id, title, original_title, year, runtime, status, _premiere,
             section_code, _section_name, _section_colour, sort_title) in films:
            summary = _summary(scores.get(film_id, ()))
            listed[film_id] = {"id": film_id, "title": title, "original_title": original_title,
                               "sort_title": sort_title, "directors": directors.get(film_id, []),
                               "countries": countries.get(film_id, []), "year": year, "runtime": runtime,
                               "section": section_code, "status": status, "mean": summary.mean,
                               "spread": summary.spread, "ratings": summary.count}
    return [listed[film_id] for film_id in ids if film_id in listed]


def _counted_scores(query, programmer_id: int | None) -> tuple[dict[int, list[float]], dict[int, int]]:
    """({film: overall scores that count}, {film: the whole score `programmer_id` gave})."""
    scores: dict[int, list[float]] = defaultdict(list)
    mine: dict[int, int] = {}
    for film_id, rater, score, overall, recused in query(_RATINGS):
        if not recused:
            scores[film_id].append(overall)
        if rater == programmer_id:
            mine[film_id] = score
    return scores, mine


def _fetch(cursor: Any, mark: str, ids: list[int], programmer_id: int | None,
           blind: bool) -> dict[int, FilmRow]:
    query = _querier(cursor, mark, ids)
    films = query(_FILMS)
    if not films:
        return {}
    directors, countries = _names_by_film(query)
    scores, mine = _counted_scores(query, programmer_id)
    reviews = dict(query(_REVIEWS))
    tags: dict[int, list[RowTag]] = defaultdict(list)
    for film_id, name, colour in query(_TAGS):
        tags[film_id].append(RowTag(name=name, colour=colour))

    result = {}
    for (film_id, title, original_title, year, runtime, status, premiere,
         section_code, section_name, section_colour, sort_title) in films:
        summary = _summary(scores.get(film_id, ()))
        hidden = blind and film_id not in mine and summary.count > 0
        result[film_id] = FilmRow(
            film_id=film_id, title=title, original_title=original_title,
            directors=tuple(directors.get(film_id, ())), countries=tuple(countries.get(film_id, ())),
            year=year, runtime_minutes=runtime, section_code=section_code,
            section_name=section_name, section_colour=section_colour, status=status,
            my_rating=mine.get(film_id), mean=None if hidden else summary.mean,
            median=None if hidden else summary.median, spread=None if hidden else summary.spread,
            ratings_count=summary.count, reviews_count=reviews.get(film_id, 0), premiere=premiere,
            tags=tuple(tags.get(film_id, ())), scores_hidden=hidden, sort_title=sort_title)
    return result
