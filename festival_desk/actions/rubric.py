"""The festival's weighted rubric and ratings given per criterion.

Guarantees:
- `set_rubric` replaces the rubric as one action (undo puts the previous one back); a weight of 0
  or less, a nameless or doubled criterion are refused with one line and nothing changes.
  Criteria taken out stay on record (inactive) with the scores given under them.
- `rate_criteria` records a programmer's per-criterion scores of a film; the rating's overall score
  is their weighted mean under the rubric in force (core.committee.weighted_overall), kept exactly
  as computed: changing the rubric later does not change it. A criterion the rubric lacks is
  refused with one line naming the rubric's criteria; so is a programmer with a conflict of
  interest on the film. Undo restores the rating exactly as it was (none, a whole score, or the
  earlier criterion scores).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change, undo_by
from festival_desk.actions.programming import _films, _programmer
from festival_desk.actions.recusals import refuse_if_conflicted
from festival_desk.core.committee import (
    Criterion,
    RuleError,
    describe_rubric,
    match_criteria,
    parse_rubric,
    stars_of,
    weighted_overall,
)
from festival_desk.core.errors import UserError
from festival_desk.core.text import fold_words
from festival_desk.store.db import Database
from festival_desk.store.models import CriterionScore, Note, Rating, RubricCriterion

RUBRIC_SETTING = "rubric"


# --- the rubric ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricEntry:
    id: int
    name: str
    weight: float
    position: int
    active: bool


def _entries(session: Session) -> list[RubricEntry]:
    rows = session.exec(select(RubricCriterion).order_by(RubricCriterion.active.desc(), RubricCriterion.position,
                                                         RubricCriterion.name)).all()
    return [RubricEntry(row.id, row.name, row.weight, row.position, row.active) for row in rows]


def active_criteria(session: Session) -> list[RubricEntry]:
    """The rubric in force, in its order."""
    return [entry for entry in _entries(session) if entry.active]


def rubric(database: Database) -> dict:
    """The rubric as `rubric show --json` prints it: the criteria in force with their weights and
    share of the overall score, the rubric as text, and the criteria taken out earlier."""
    with database.reading() as session:
        entries = _entries(session)
    active = [entry for entry in entries if entry.active]
    total = sum(entry.weight for entry in active)
    return {
        "rubric": describe_rubric(Criterion(entry.name, entry.weight) for entry in active),
        "criteria": [{"name": entry.name, "weight": entry.weight, "share": entry.weight / total}
                     for entry in active],
        "retired": [entry.name for entry in entries if not entry.active],
    }


def _apply_rubric(session: Session, criteria: Sequence[Criterion]) -> None:
    rows = {fold_words(row.name): row for row in session.exec(select(RubricCriterion)).all()}
    wanted = {fold_words(criterion.name) for criterion in criteria}
    for row in rows.values():
        if row.active and row.name_key not in wanted:
            row.active = False
            session.add(row)
    for position, criterion in enumerate(criteria):
        key = fold_words(criterion.name)
        row = rows.get(key) or RubricCriterion(name=criterion.name, name_key=key, weight=criterion.weight)
        row.name, row.weight, row.position, row.active = criterion.name, criterion.weight, position, True
        session.add(row)


def set_rubric(database: Database, text: str) -> Change:
    """Make "Craft:2,Relevance:1,..." the rubric (see the module's guarantees)."""
    try:
        criteria = parse_rubric(text)
    except RuleError as error:
        raise UserError(f"rubric: {error}") from None
    return _replace_rubric(database, criteria)


def _replace_rubric(database: Database, criteria: Sequence[Criterion]) -> Change:
    with database.transaction() as session:
        before = [Criterion(entry.name, entry.weight) for entry in active_criteria(session)]
        _apply_rubric(session, criteria)
    description = f"Set the rubric to {describe_rubric(criteria)}" if criteria else "Clear the rubric"

    undo = undo_by(description, lambda db: _replace_rubric(db, before), lambda db: _replace_rubric(db, criteria))
    return Change(description=description, settings={RUBRIC_SETTING}, undo=undo,
                  details={"rubric": describe_rubric(criteria),
                           "criteria": [{"name": c.name, "weight": c.weight} for c in criteria],
                           "previous": describe_rubric(before)})


# --- a rating as given ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenRating:
    """A programmer's rating of a film as stored: the whole score, the exact overall score of a
    rating given per criterion (None otherwise), and its criterion scores (criterion id, score,
    weight then)."""

    score: int
    overall: float | None = None
    criteria: tuple[tuple[int, int, float], ...] = ()


def read_given(session: Session, film_id: int, programmer_id: int) -> GivenRating | None:
    rating = session.exec(select(Rating).where(Rating.film_id == film_id,
                                               Rating.programmer_id == programmer_id)).first()
    if rating is None:
        return None
    criteria = tuple((criterion_id, score, weight) for criterion_id, score, weight in session.execute(
        sa.select(CriterionScore.criterion_id, CriterionScore.score, CriterionScore.weight)
        .where(CriterionScore.rating_id == rating.id).order_by(CriterionScore.criterion_id)))
    return GivenRating(rating.score, rating.criteria_overall, criteria)


def write_given(session: Session, film_id: int, programmer_id: int, given: GivenRating | None,
                now: dt.datetime | None = None) -> None:
    """Make the programmer's rating of the film exactly `given` (None: no rating)."""
    rating = session.exec(select(Rating).where(Rating.film_id == film_id,
                                               Rating.programmer_id == programmer_id)).first()
    if given is None:
        if rating is not None:
            session.delete(rating)
            session.flush()
        return
    if rating is None:
        rating = Rating(film_id=film_id, programmer_id=programmer_id, score=given.score)
    rating.score, rating.criteria_overall = given.score, given.overall
    rating.rated_at = now or dt.datetime.now(dt.UTC)
    session.add(rating)
    session.flush()
    session.execute(sa.delete(CriterionScore).where(CriterionScore.rating_id == rating.id))
    for criterion_id, score, weight in given.criteria:
        session.add(CriterionScore(rating_id=rating.id, criterion_id=criterion_id, score=score, weight=weight))
    session.flush()


def _set_given(database: Database, film_id: int, programmer_id: int, given: GivenRating | None,
               description: str, note: str | None = None) -> Change:
    with database.transaction() as session:
        if given is not None:
            refuse_if_conflicted(session, programmer_id, [film_id], "rate it")
        before = read_given(session, film_id, programmer_id)
        write_given(session, film_id, programmer_id, given)
        note_id = None
        if note and note.strip():
            added = Note(film_id=film_id, programmer_id=programmer_id, text=note.strip())
            session.add(added)
            session.flush()
            note_id = added.id

    def undo(db: Database) -> Change:
        if note_id is not None:
            with db.transaction() as session:
                session.execute(sa.delete(Note).where(Note.id == note_id))
        inverse = _set_given(db, film_id, programmer_id, before, description)
        inverse.undo = lambda db2: _set_given(db2, film_id, programmer_id, given, description, note)
        return inverse

    return Change(description=description, films={film_id}, programmers={programmer_id}, undo=undo,
                  details={"note_id": note_id})


def rate_criteria(database: Database, film_id: int, programmer: str, scores: Sequence[tuple[str, int]],
                  note: str | None = None) -> Change:
    """Record `programmer`'s per-criterion scores of a film (see the module's guarantees).
    `change.details` holds "overall" (the weighted mean), "score" (in whole stars) and "criteria"."""
    with database.reading() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        refuse_if_conflicted(session, who.id, [film_id], "rate it")
        rubric_now = active_criteria(session)
        who_id, who_name, title = who.id, who.name, film.title
    if not scores:
        raise UserError("give at least one --criterion NAME=SCORE")
    by_name = {entry.name: entry for entry in rubric_now}
    try:
        paired = match_criteria(scores, [Criterion(entry.name, entry.weight) for entry in rubric_now])
        overall = weighted_overall(paired)
    except RuleError as error:
        raise UserError(str(error)) from None
    given = GivenRating(stars_of(overall), overall, tuple(sorted(
        (by_name[criterion.name].id, score, criterion.weight) for criterion, score in paired)))
    parts = ", ".join(f"{criterion.name} {score}" for criterion, score in paired)
    change = _set_given(database, film_id, who_id, given, f"Rate “{title}”: {parts}", note)
    change.details.update(film_id=film_id, programmer=who_name, title=title, overall=overall,
                          score=given.score, criteria=[{"name": criterion.name, "score": score,
                                                        "weight": criterion.weight} for criterion, score in paired])
    return change


@dataclass(frozen=True)
class CriterionLine:
    name: str
    score: int
    weight: float  # as it was when the score was given


def rating_criteria(database: Database, film_id: int, programmer_id: int) -> tuple[float | None, list[CriterionLine]]:
    """(exact overall score, criterion scores) of a programmer's rating of a film given per
    criterion; (None, []) for a whole score or no rating."""
    with database.reading() as session:
        given = read_given(session, film_id, programmer_id)
        if given is None or given.overall is None:
            return None, []
        names = dict(session.execute(sa.select(RubricCriterion.id, RubricCriterion.name)).all())
    return given.overall, [CriterionLine(names.get(cid, "?"), score, weight) for cid, score, weight in given.criteria]
