"""The tables of the committee's process: who watched what, conflicts of interest, language skills,
the weighted rubric with its per-criterion scores, meetings and their decisions, and the films'
catalogue facts (accessibility, content advice, age recommendation).

Imported by `store.models` (which re-exports every class), so that the metadata, the migrations
and the models-vs-migrations test see these tables with the others. Naming follows
`store.models.NAMING_CONVENTION`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

MEETING_DECISIONS = ("shortlist", "select", "decline", "discuss")
MAX_AGE_RECOMMENDATION = 21


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


class Viewing(SQLModel, table=True):
    """A programmer watched a film's screener: to the end (`minutes` None) or stopped at `minutes`.
    One row per programmer and film; marking again replaces it. A viewing completes the
    programmer's assignment of that film."""

    __tablename__ = "viewing"
    __table_args__ = (
        sa.CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        sa.Index("ix_viewing_programmer_id", "programmer_id"),
    )

    film_id: int = Field(foreign_key="film.id", primary_key=True, ondelete="CASCADE")
    programmer_id: int = Field(foreign_key="programmer.id", primary_key=True, ondelete="CASCADE")
    minutes: int | None = None
    watched_at: dt.datetime = Field(default_factory=_utcnow)


class ConflictOfInterest(SQLModel, table=True):
    """A programmer's declared stake in a film, with the reason (for the leads). While it stands the
    programmer cannot rate the film, is never assigned it, and their rating is left out of its
    mean and spread."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (
        sa.CheckConstraint("reason <> ''", name="reason_given"),
        sa.Index("ix_conflict_of_interest_programmer_id", "programmer_id"),
    )

    film_id: int = Field(foreign_key="film.id", primary_key=True, ondelete="CASCADE")
    programmer_id: int = Field(foreign_key="programmer.id", primary_key=True, ondelete="CASCADE")
    reason: str
    declared_at: dt.datetime = Field(default_factory=_utcnow)


class ProgrammerLanguage(SQLModel, table=True):
    """A language a programmer can follow a film in (ISO 639-3). A programmer with none listed is
    taken to follow any film."""

    __tablename__ = "programmer_language"

    programmer_id: int = Field(foreign_key="programmer.id", primary_key=True, ondelete="CASCADE")
    code: str = Field(primary_key=True, max_length=3)


class RubricCriterion(SQLModel, table=True):
    """A criterion of the festival's rubric with its weight. A criterion taken out of the rubric
    stays (inactive) so that the scores given under it keep their meaning."""

    __tablename__ = "rubric_criterion"
    __table_args__ = (
        sa.UniqueConstraint("name_key"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str  # core.text.fold_words of the name: "Craft" and "craft" are one criterion
    weight: float
    position: int = 0
    active: bool = True


class CriterionScore(SQLModel, table=True):
    """One criterion's 1–5 score within a rating, with the weight the criterion had when it was
    given (the rating's overall score was computed with it)."""

    __tablename__ = "criterion_score"
    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    rating_id: int = Field(foreign_key="rating.id", primary_key=True, ondelete="CASCADE")
    criterion_id: int = Field(foreign_key="rubric_criterion.id", primary_key=True, ondelete="RESTRICT")
    score: int
    weight: float


class Meeting(SQLModel, table=True):
    """A selection meeting: its agenda (a saved filter's criteria, or film ids), who was present
    (their names as they were then), who chaired, when it started and ended."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    agenda: dict[str, Any] = _json(dict)
    present: list[str] = _json(list)
    chair_id: int | None = Field(default=None, foreign_key="programmer.id", ondelete="SET NULL")
    started_at: dt.datetime = Field(default_factory=_utcnow)
    ended_at: dt.datetime | None = None


class MeetingDecision(SQLModel, table=True):
    """A decision taken in a meeting on one film, with the figures the committee saw when it took
    it. A status decision names the history entry it wrote (`status_change_id`)."""

    __tablename__ = "meeting_decision"
    __table_args__ = (
        sa.CheckConstraint("decision IN ('shortlist', 'select', 'decline', 'discuss')", name="decision"),
        sa.Index("ix_meeting_decision_meeting_id", "meeting_id"),
        sa.Index("ix_meeting_decision_film_id", "film_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE")
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    decision: str = Field(max_length=10)
    at: dt.datetime = Field(default_factory=_utcnow)
    from_status: str = Field(max_length=20)
    status_change_id: int | None = Field(default=None, foreign_key="statuschange.id", ondelete="SET NULL")
    mean: float | None = None
    spread: float | None = None
    ratings: int = 0
    viewers: int = 0
    recused: list[str] = _json(list)


class CatalogueFacts(SQLModel, table=True):
    """What the catalogue tells the audience about a film beyond its credits: accessibility
    (subtitle language as ISO 639-3 with the text as given, subtitles for the deaf and hard of
    hearing, audio description; None: not known), content advice, and the recommended minimum age.

    `imported` holds the values the last submissions import wrote, so that a re-import changes a
    fact only where the committee has not edited it."""

    __tablename__ = "catalogue_facts"
    __table_args__ = (
        sa.CheckConstraint(f"age_recommendation IS NULL OR age_recommendation BETWEEN 0 AND {MAX_AGE_RECOMMENDATION}",
                           name="age_range"),
        sa.Index("ix_catalogue_facts_subtitle_language", "subtitle_language"),
    )

    film_id: int = Field(foreign_key="film.id", primary_key=True, ondelete="CASCADE")
    subtitle_language: str | None = Field(default=None, max_length=3)
    subtitle_label: str = ""
    sdh: bool | None = None
    audio_description: bool | None = None
    content_advice: str = ""
    age_recommendation: int | None = None
    imported: dict[str, Any] = _json(dict)
