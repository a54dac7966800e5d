"""Which films a list shows and in which order: `FilmFilter`, turned into SQL, and `film_ids`.

Filtering and sorting happen in the database (a 25,000-film table cannot be sorted in a Qt proxy);
the desk's table model holds the ids `film_ids` returns and fetches rows for them with
`store.film_rows.film_rows`. Search text combines with every other criterion (all must hold).

Score definitions are those of `core.scores` over the ratings that count (`store.scoring`: overall
scores, recused programmers left out): mean, spread = population standard deviation (sorted here by
the variance, which orders the same way).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from festival_desk.core.errors import UserError
from festival_desk.core.scores import MAX_SCORE, MIN_SCORE
from festival_desk.core.workflow import ALL_STATUSES, parse_status
from festival_desk.store.models import (
    PREMIERE_VALUES, Assignment, CatalogueFacts, Film, FilmCountry, FilmLanguage, FilmTag, Rating, Review,
    Section, Tag,
)
from festival_desk.store.scoring import counted_ratings
from festival_desk.store.search import matching_condition, ranked_matches, sort_key_columns, sync_pending

# The columns `film_ids` sorts by ("relevance" needs search text; without it, it sorts by title).
SORT_COLUMNS = ("title", "original_title", "directors", "countries", "year", "runtime", "section", "status",
                "my_rating", "mean", "spread", "ratings", "reviews", "premiere", "relevance")

_TUPLE_FIELDS = ("sections", "statuses", "countries", "languages", "premieres", "tags", "subtitles")
_FACT_FLAGS = ("sdh", "audio_description", "content_advice")


def _as_int(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise UserError(f"filter field {name!r}: expected a whole number, not {value!r}")
    try:
        return int(value)
    except ValueError:
        raise UserError(f"filter field {name!r}: expected a whole number, not {value!r}") from None


def _as_score(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        score = float(value)
    except (TypeError, ValueError):
        raise UserError(f"filter field {name!r}: expected a score from {MIN_SCORE} to {MAX_SCORE}, "
                        f"not {value!r}") from None
    if isinstance(value, bool) or not MIN_SCORE <= score <= MAX_SCORE:
        raise UserError(f"filter field {name!r}: expected a score from {MIN_SCORE} to {MAX_SCORE}, not {value!r}")
    return score


def _as_texts(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or any(not isinstance(item, str) for item in value):
        raise UserError(f"filter field {name!r}: expected a list of texts, not {value!r}")
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


@dataclass(frozen=True)
class FilmFilter:
    """What a film list shows. Empty or None criteria do not narrow; the rest must all hold.

    Within one criterion, any listed value matches (statuses "shortlisted" or "selected"; a film
    with any of the tags). Ranges are inclusive; a film without a value (no year, no ratings) fails
    a range. `assigned_to_me` is resolved with the programmer given to `film_ids`/`search_films`.
    Values are checked and normalised on creation (statuses as their codes, countries upper-case
    ISO 3166, languages lower-case ISO 639); a bad one raises UserError naming the field.
    """

    search: str = ""
    sections: tuple[str, ...] = ()  # section codes
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    runtime_min: int | None = None
    runtime_max: int | None = None
    year_min: int | None = None
    year_max: int | None = None
    premieres: tuple[str, ...] = ()
    score_min: float | None = None  # of the mean rating
    score_max: float | None = None
    tags: tuple[str, ...] = ()  # tag names
    has_review: bool | None = None
    assigned_to: int | None = None  # a programmer id
    assigned_to_me: bool = False
    # Catalogue facts: subtitled in one of these languages (ISO 639-3); with (True) or without
    # (False: not known to have) SDH subtitles, audio description, content advice; suitable for an
    # audience of this age (a recommendation at or below it).
    subtitles: tuple[str, ...] = ()
    sdh: bool | None = None
    audio_description: bool | None = None
    content_advice: bool | None = None
    suitable_for_age: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.search, str):
            raise UserError(f"filter field 'search': expected a text, not {self.search!r}")
        for name in _TUPLE_FIELDS:
            set_(self, name, _as_texts(name, getattr(self, name)))
        try:
            set_(self, "statuses", tuple(parse_status(s).value for s in self.statuses))
        except ValueError as error:
            raise UserError(f"filter field 'statuses': {error}") from None
        unknown = [p for p in self.premieres if p.lower() not in PREMIERE_VALUES]
        if unknown:
            raise UserError(f"filter field 'premieres': unknown premiere {unknown[0]!r}; "
                            f"valid: {', '.join(PREMIERE_VALUES)}")
        set_(self, "premieres", tuple(p.lower() for p in self.premieres))
        set_(self, "countries", tuple(c.upper() for c in self.countries))
        set_(self, "languages", tuple(c.lower() for c in self.languages))
        set_(self, "subtitles", tuple(c.lower() for c in self.subtitles))
        for name in _FACT_FLAGS:
            if getattr(self, name) is not None and not isinstance(getattr(self, name), bool):
                raise UserError(f"filter field {name!r}: expected true, false or null, not {getattr(self, name)!r}")
        for name in ("runtime_min", "runtime_max", "year_min", "year_max", "assigned_to", "suitable_for_age"):
            set_(self, name, _as_int(name, getattr(self, name)))
        for name in ("score_min", "score_max"):
            set_(self, name, _as_score(name, getattr(self, name)))
        if self.has_review is not None and not isinstance(self.has_review, bool):
            raise UserError(f"filter field 'has_review': expected true, false or null, not {self.has_review!r}")
        if not isinstance(self.assigned_to_me, bool):
            raise UserError(f"filter field 'assigned_to_me': expected true or false, not {self.assigned_to_me!r}")

    @property
    def is_empty(self) -> bool:
        """True when the filter admits every film (a search of only spaces is no search)."""
        return not self.search.strip() and dataclasses.replace(self, search="") == FilmFilter()

    def to_dict(self) -> dict[str, Any]:
        """The criteria that are set, as JSON-ready values (for saving; see `from_dict`)."""
        defaults = FilmFilter()
        return {f.name: list(value) if isinstance(value, tuple) else value
                for f in dataclasses.fields(self)
                if (value := getattr(self, f.name)) != getattr(defaults, f.name)}

    @classmethod
    def from_dict(cls, data: Any) -> FilmFilter:
        """The filter saved by `to_dict`; UserError naming the field on anything else."""
        if not isinstance(data, dict):
            raise UserError(f"a saved filter is a mapping of criteria, not {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UserError(f"filter field {unknown[0]!r} is not a filter criterion "
                            f"(known: {', '.join(sorted(known))})")
        return cls(**data)

    def conditions(self, dialect_name: str, *, programmer_id: int | None = None) -> list[sa.ColumnElement[bool]]:
        """SQL conditions on `Film` (to put in the WHERE of a select of Film) for these criteria."""
        conditions: list[sa.ColumnElement[bool]] = []
        if self.search.strip():
            conditions.append(matching_condition(dialect_name, self.search))
        if self.sections:
            conditions.append(Film.section_id.in_(sa.select(Section.id).where(Section.code.in_(self.sections))))
        if self.statuses:
            conditions.append(Film.status.in_(self.statuses))
        if self.countries:
            conditions.append(Film.id.in_(sa.select(FilmCountry.film_id).where(FilmCountry.code.in_(self.countries))))
        if self.languages:
            conditions.append(Film.id.in_(
                sa.select(FilmLanguage.film_id).where(FilmLanguage.code.in_(self.languages))))
        conditions += _range(Film.runtime_minutes, self.runtime_min, self.runtime_max)
        conditions += _range(Film.year, self.year_min, self.year_max)
        if self.premieres:
            conditions.append(Film.premiere.in_(self.premieres))
        if self.score_min is not None or self.score_max is not None:
            counted = counted_ratings().subquery("counted")
            mean = sa.func.sum(counted.c.value) * 1.0 / sa.func.count()
            conditions.append(Film.id.in_(
                sa.select(counted.c.film_id).group_by(counted.c.film_id)
                .having(sa.and_(*_range(mean, self.score_min, self.score_max)))))
        if self.tags:
            conditions.append(Film.id.in_(
                sa.select(FilmTag.film_id).join(Tag, Tag.id == FilmTag.tag_id).where(Tag.name.in_(self.tags))))
        if self.has_review is not None:
            reviewed = sa.exists().where(Review.film_id == Film.id)
            conditions.append(reviewed if self.has_review else ~reviewed)
        conditions += self._fact_conditions()
        assignees = [p for p in (self.assigned_to, self._me(programmer_id)) if p is not None]
        for assignee in assignees:
            conditions.append(Film.id.in_(
                sa.select(Assignment.film_id).where(Assignment.programmer_id == assignee)))
        return conditions

    def _fact_conditions(self) -> list[sa.ColumnElement[bool]]:
        def having(*condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
            return Film.id.in_(sa.select(CatalogueFacts.film_id).where(*condition))

        conditions = []
        if self.subtitles:
            conditions.append(having(CatalogueFacts.subtitle_language.in_(self.subtitles)))
        for name, column in (("sdh", CatalogueFacts.sdh), ("audio_description", CatalogueFacts.audio_description)):
            wanted = getattr(self, name)
            if wanted is not None:
                condition = having(column.is_(True))
                conditions.append(condition if wanted else ~condition)
        if self.content_advice is not None:
            condition = having(CatalogueFacts.content_advice != "")
            conditions.append(condition if self.content_advice else ~condition)
        if self.suitable_for_age is not None:
            conditions.append(having(CatalogueFacts.age_recommendation <= self.suitable_for_age))
        return conditions

    def _me(self, programmer_id: int | None) -> int | None:
        if not self.assigned_to_me:
            return None
        if programmer_id is None:
            raise UserError("the filter “assigned to me” needs to know who you are: choose a programmer")
        return programmer_id


def _range(column: Any, low: float | None, high: float | None) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if low is not None:
        conditions.append(column >= low)
    if high is not None:
        conditions.append(column <= high)
    return conditions


def _ordinal(column: Any, values: Iterable[str]) -> sa.ColumnElement[Any]:
    """The position of `column`'s value in `values` (NULL when it is not one of them)."""
    return sa.case({value: position for position, value in enumerate(values)}, value=column, else_=None)


def film_ids(session: Session, filter: FilmFilter | None = None, *,  # noqa: A002
             sort: tuple[str, bool] = ("title", True), programmer_id: int | None = None) -> list[int]:
    """The ids of the films `filter` admits, sorted in SQL by `sort` = (column, ascending).

    `column` is one of SORT_COLUMNS. Films without a value in the sort column (no year, no
    ratings, no section…) come last in either direction; ties are broken by title, then id.
    "my_rating" needs `programmer_id` (else the order is by title); "relevance" orders by search
    rank, best first when ascending. UserError on an unknown column.
    """
    column, ascending = sort
    if column not in SORT_COLUMNS:
        raise UserError(f"cannot sort films by {column!r}; sortable columns: {', '.join(SORT_COLUMNS)}")
    sync_pending(session)
    film_filter = filter or FilmFilter()
    dialect_name = session.get_bind().dialect.name
    statement = sa.select(Film.id).where(*film_filter.conditions(dialect_name, programmer_id=programmer_id))
    if column == "title":
        # Every film has a sort key: ordered by it alone (ties by id), the index on it serves the
        # whole order, read backwards when descending; no sort of 25,000 rows per keystroke.
        keys = (Film.sort_key, Film.id)
        statement = statement.order_by(*(key.asc() if ascending else key.desc() for key in keys))
    else:
        statement, keys = _sort_expression(statement, column, dialect_name, film_filter, programmer_id)
        if keys:
            if column == "relevance":  # a higher score is more relevant
                ascending = not ascending
            statement = statement.order_by(sa.case((keys[0].is_(None), 1), else_=0),
                                           *(key.asc() if ascending else key.desc() for key in keys))
        statement = statement.order_by(Film.sort_key, Film.id)
    return _first_column(session.connection().execute(statement))


def _first_column(result: sa.CursorResult) -> list[Any]:
    """The first value of every row, read straight from the driver's cursor: SQLAlchemy's result
    rows cost about 2 µs each, 45 ms for a list of 25,000 films (three times the query)."""
    try:
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()


def _ratings_aggregate() -> sa.Subquery:
    """Per film: the number, sum and sum of squares of the ratings that count (store.scoring)."""
    counted = counted_ratings().subquery("counted")
    return (sa.select(counted.c.film_id, sa.func.count().label("n"), sa.func.sum(counted.c.value).label("total"),
                      sa.func.sum(counted.c.value * counted.c.value).label("total_squares"))
            .group_by(counted.c.film_id).subquery("ratings"))


def _count_of(model: Any, name: str) -> sa.Subquery:
    return sa.select(model.film_id, sa.func.count().label("n")).group_by(model.film_id).subquery(name)


def _sort_expression(statement: sa.Select, column: str, dialect_name: str, film_filter: FilmFilter,
                     programmer_id: int | None) -> tuple[sa.Select, list[Any]]:
    """`statement` with the joins `column` needs, and the expressions to order by (none: by title)."""
    if column in ("original_title", "directors", "countries"):
        keys = sort_key_columns()
        statement = statement.outerjoin(keys, keys.c.film_id == Film.id)
        return statement, [sa.func.nullif(keys.c[column], "")]
    if column == "year":
        return statement, [Film.year]
    if column == "runtime":
        return statement, [Film.runtime_minutes]
    if column == "section":
        statement = statement.outerjoin(Section, Section.id == Film.section_id)
        return statement, [Section.position, Section.name]
    if column == "status":
        return statement, [_ordinal(Film.status, ALL_STATUSES)]
    if column == "premiere":
        return statement, [_ordinal(Film.premiere, PREMIERE_VALUES)]
    if column == "my_rating":
        if programmer_id is None:
            return statement, []
        statement = statement.outerjoin(Rating, sa.and_(Rating.film_id == Film.id,
                                                         Rating.programmer_id == programmer_id))
        return statement, [Rating.score]
    if column in ("mean", "spread", "ratings"):
        ratings = _ratings_aggregate()
        statement = statement.outerjoin(ratings, ratings.c.film_id == Film.id)
        if column == "mean":
            return statement, [ratings.c.total * 1.0 / ratings.c.n]
        if column == "spread":  # n²·variance = n·Σx² − (Σx)², exact for whole scores
            return statement, [(ratings.c.n * ratings.c.total_squares - ratings.c.total * ratings.c.total)
                               * 1.0 / (ratings.c.n * ratings.c.n)]
        return statement, [sa.func.coalesce(ratings.c.n, 0)]
    if column == "reviews":
        reviews = _count_of(Review, "review_counts")
        statement = statement.outerjoin(reviews, reviews.c.film_id == Film.id)
        return statement, [sa.func.coalesce(reviews.c.n, 0)]
    # relevance
    matches = ranked_matches(dialect_name, film_filter.search) if film_filter.search.strip() else None
    if matches is None:
        return statement, []
    statement = statement.join(matches, matches.c.film_id == Film.id)
    return statement, [matches.c.score]
