"""Which ratings count toward a film's mean and spread, and with what value: the one definition
every list, sort, filter, sheet and meeting uses.

A rating counts unless its programmer has declared a conflict of interest on the film (they are
recused: the rating stays, for the record, but is left out). Its value is its overall score: the
weighted mean of its criterion scores when it was given per criterion (`rating.criteria_overall`,
kept as computed then, whatever the rubric says now), else the whole score given.

Plain SQL for the driver-cursor readers (`store.film_rows`, which must not load SQLAlchemy) and
SQLAlchemy expressions for the rest, built lazily; tests check that both agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa

# The value of a rating `rating` (a row of the rating table in the enclosing query).
OVERALL_SQL = "COALESCE(rating.criteria_overall, rating.score)"
# True when the rating's programmer is recused from its film.
RECUSED_SQL = ("EXISTS (SELECT 1 FROM conflict_of_interest WHERE conflict_of_interest.film_id = rating.film_id "
               "AND conflict_of_interest.programmer_id = rating.programmer_id)")


def overall_value() -> sa.ColumnElement[Any]:
    """The rating's overall score as an expression on `Rating`."""
    import sqlalchemy as sa

    from festival_desk.store.models import Rating

    return sa.func.coalesce(Rating.criteria_overall, Rating.score)


def is_recused() -> sa.ColumnElement[bool]:
    """True for a rating whose programmer has a conflict of interest on its film."""
    import sqlalchemy as sa

    from festival_desk.store.models import ConflictOfInterest, Rating

    return sa.exists().where(ConflictOfInterest.film_id == Rating.film_id,
                             ConflictOfInterest.programmer_id == Rating.programmer_id)


def counted_ratings() -> sa.Select:
    """SELECT film_id, programmer_id, value of every rating that counts (see the module)."""
    import sqlalchemy as sa

    from festival_desk.store.models import Rating

    return sa.select(Rating.film_id, Rating.programmer_id, overall_value().label("value")).where(~is_recused())
