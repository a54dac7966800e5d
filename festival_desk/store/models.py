"""The tables of a festival database.

One database holds one festival edition's season (a `Festival` row; a file per edition is the usual
practice). Countries are ISO 3166-1 alpha-2 codes, languages ISO 639-3 codes; where an imported value
has no code, the code is NULL and `label` keeps the text as it arrived.

Local wall-clock times (screenings, festival days) are stored naive, in the festival's time zone
(`Festival.timezone`); every other timestamp is an aware UTC datetime (sqlmodel's UTCDateTime).

Every constraint has a name (see `NAMING_CONVENTION`) so that migrations can alter it on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlalchemy.orm import declared_attr
from sqlmodel import JSON, Column, Field, SQLModel

from festival_desk.core.workflow import ALL_STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

PREMIERE_VALUES = ("world", "international", "european", "national", "regional")
SCREENING_KINDS = ("public", "press", "industry", "school")
CREDIT_ROLES = ("director", "producer", "writer", "cinematography", "editing", "music", "sound",
                "cast", "other")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _in(column: str, values: tuple[str, ...], *, nullable: bool = False) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {condition}" if nullable else condition


def _json_column(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


# --- festival and sections -------------------------------------------------------------------


class Festival(SQLModel, table=True):
    """The festival edition this database plans."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    edition: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    timezone: str = "UTC"
    changeover_minutes: int = 15
    min_screenings: int = 1
    # Time a guest needs between two venues unless a VenueTravel row says otherwise.
    travel_minutes: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    welcome_text: str = ""
    cover_image: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    # The language synopses and other texts are written in (ISO 639-1): the booklet hyphenates and
    # sets quotation marks by it. A film may say otherwise (Film.text_language).
    text_language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    # Days the change log keeps its entries (a desk that was away longer reloads everything).
    change_log_days: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    # Saved against the version that was read: a stale save raises StaleDataError.
    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class Section(SQLModel, table=True):
    """A strand of the programme, in booklet order (`position`) and with its colour."""

    __table_args__ = (sa.UniqueConstraint("code"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20)
    name: str
    colour: str = Field(default="#555555", max_length=7)
    position: int = 0
    description: str = ""


# --- people and films -------------------------------------------------------------------------


class Person(SQLModel, table=True):
    """Anyone credited on a film or attending a screening. `name_key` is the folded name
    (core.text.fold_words) used for diacritics-insensitive lookup; it is not unique, since two
    people may share a name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(index=True)


class Film(SQLModel, table=True):
    """A film: a submission, a selected title, or an external title a review is about."""

    __table_args__ = (
        sa.UniqueConstraint("submission_source", "submission_id"),
        sa.CheckConstraint(_in("status", ALL_STATUSES), name="status"),
        sa.CheckConstraint(_in("premiere", PREMIERE_VALUES, nullable=True), name="premiere"),
        sa.CheckConstraint("runtime_minutes IS NULL OR runtime_minutes > 0", name="runtime_positive"),
        sa.Index("ix_film_sort_key", "sort_key"),
        sa.Index("ix_film_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str
    original_title: str | None = None
    original_language: str | None = Field(default=None, max_length=3)
    sort_title: str
    sort_key: str  # folded sort title: orders "Čas" with "Cas", "The Red Soul" under R
    year: int | None = None
    runtime_minutes: int | None = None
    logline: str = ""
    synopsis: str = ""
    # The synopsis's language where it differs from the festival's (Festival.text_language).
    text_language: str | None = Field(default=None, max_length=8)
    premiere: str | None = None
    section_id: int | None = Field(default=None, foreign_key="section.id", index=True, ondelete="SET NULL")
    status: str = Field(default="submitted", max_length=20)
    is_external: bool = False  # created for a review, never submitted

    submission_source: str | None = None  # "filmfreeway", a mapped source's name, ...
    submission_id: str | None = None
    tracking_number: str | None = None
    submission_link: str | None = None
    submission_password: str | None = None
    source_status: str | None = None  # the intake platform's own statuses, kept apart from ours
    source_judging_status: str | None = None
    # Custom-question answers and other source columns without a field of their own.
    extra: dict[str, Any] = _json_column(dict)
    # The values of the last import, per field: a field whose current value differs was edited
    # by the committee and is left alone by a re-import.
    source_values: dict[str, Any] = _json_column(dict)

    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)

    # Optimistic locking: a stale edit raises StaleDataError instead of overwriting a colleague's.
    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class FilmCredit(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("film_id", "role", "position"),
        sa.CheckConstraint(_in("role", CREDIT_ROLES), name="role"),
        sa.Index("ix_filmcredit_person_id", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT")
    role: str = Field(max_length=20)
    position: int = 0


class FilmCountry(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("film_id", "position"), sa.Index("ix_filmcountry_code", "code"))

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    position: int = 0
    code: str | None = Field(default=None, max_length=2)  # ISO 3166-1 alpha-2
    label: str = ""  # the text as it arrived


class FilmLanguage(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("film_id", "position"), sa.Index("ix_filmlanguage_code", "code"))

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    position: int = 0
    code: str | None = Field(default=None, max_length=3)  # ISO 639-3
    label: str = ""


class Still(SQLModel, table=True):
    """A production still, kept inside the database so that a festival file is self-contained."""

    __table_args__ = (sa.Index("ix_still_film_id", "film_id"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    position: int = 0
    filename: str = ""
    mime_type: str = "image/jpeg"
    width_px: int = 0
    height_px: int = 0
    credit: str = ""
    data: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))


class Tag(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    colour: str = Field(default="#888888", max_length=7)


class FilmTag(SQLModel, table=True):
    film_id: int = Field(foreign_key="film.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


# --- the committee ---------------------------------------------------------------------------


class Programmer(SQLModel, table=True):
    """A member of the committee. On a team database (PostgreSQL, `festival-desk team`) `login` is
    the database login they sign in with; the programmer at a desk is then the signed-in login."""

    __table_args__ = (sa.UniqueConstraint("name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    email: str = ""
    active: bool = True
    login: str | None = Field(default=None, index=True, unique=True)


class StatusChange(SQLModel, table=True):
    """One move of a film through the workflow: who, when, from, to, why."""

    __table_args__ = (sa.Index("ix_statuschange_film_id", "film_id"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    programmer_id: int | None = Field(default=None, foreign_key="programmer.id", ondelete="SET NULL")
    at: dt.datetime = Field(default_factory=utcnow)
    from_status: str | None = None
    to_status: str
    comment: str = ""
    # "move" (a decision), "undo" (taking one back with Undo), "redo" (making it again with Redo).
    kind: str = Field(default="move", max_length=10, sa_column_kwargs={"server_default": "move"})


class Rating(SQLModel, table=True):
    """A programmer's overall score of a film. Given per criterion of the rubric, `score` is the
    weighted mean of the criterion scores rounded to a whole star and `criteria_overall` the exact
    weighted mean, which every mean and spread uses (see `store.scoring`); both stay as they were
    given when the rubric changes later. NULL for a score given directly."""

    __table_args__ = (
        sa.UniqueConstraint("film_id", "programmer_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        sa.CheckConstraint("criteria_overall IS NULL OR criteria_overall BETWEEN 1 AND 5",
                           name="criteria_overall_range"),
        sa.Index("ix_rating_programmer_id", "programmer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    programmer_id: int = Field(foreign_key="programmer.id", ondelete="CASCADE")
    score: int
    rated_at: dt.datetime = Field(default_factory=utcnow)
    criteria_overall: float | None = None


class Note(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_note_film_id", "film_id"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    programmer_id: int = Field(foreign_key="programmer.id", ondelete="CASCADE")
    text: str
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """A film given to a programmer to watch, by `due_on` (a day in the festival's calendar; None:
    no deadline). Done once the programmer has marked it watched (`store.committee_models.Viewing`)."""

    __table_args__ = (sa.Index("ix_assignment_programmer_id_due_on", "programmer_id", "due_on"),)

    film_id: int = Field(foreign_key="film.id", primary_key=True, ondelete="CASCADE")
    programmer_id: int = Field(foreign_key="programmer.id", primary_key=True, ondelete="CASCADE")
    assigned_at: dt.datetime = Field(default_factory=utcnow)
    due_on: dt.date | None = None


# --- critics and reviews ---------------------------------------------------------------------


class Critic(SQLModel, table=True):
    """One record per person: `name_key` (folded name) is unique."""

    __table_args__ = (sa.UniqueConstraint("name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str
    bio: str = ""
    outlet: str = ""


class Review(SQLModel, table=True):
    """A critic's review of a film, with its structure and the raw text it was read from.

    `sections` is a list of {"heading": str|None, "paragraphs": [str]}. `content_hash` identifies
    the text (normalised) so that importing the same review twice does not duplicate it.
    """

    __table_args__ = (sa.UniqueConstraint("content_hash"), sa.Index("ix_review_film_id", "film_id"))

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    critic_id: int = Field(foreign_key="critic.id", ondelete="RESTRICT", index=True)
    standfirst: str | None = None
    tags: list[str] = _json_column(list)
    sections: list[dict[str, Any]] = _json_column(list)
    captions: list[str] = _json_column(list)
    body_text: str = ""  # the paragraphs as plain text, for search
    raw_text: str = ""
    source_name: str = ""
    content_hash: str = Field(max_length=64)
    imported_at: dt.datetime = Field(default_factory=utcnow)


class PullQuote(SQLModel, table=True):
    """A quotable sentence of a review. Only `approved` quotes go into print; `text` may be a
    shortened form of `original_text`."""

    __table_args__ = (sa.Index("ix_pullquote_review_id", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", ondelete="CASCADE")
    text: str
    original_text: str
    approved: bool = False
    position: int = 0
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


# --- venues and the schedule -----------------------------------------------------------------


class Venue(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    address: str = ""
    accessibility: str = ""
    position: int = 0


class VenueTravel(SQLModel, table=True):
    """Travel time between two venues (either direction), where it differs from the festival's
    default. The pair is stored with the smaller venue id first."""

    __table_args__ = (
        sa.CheckConstraint("venue_a_id < venue_b_id", name="ordered_pair"),
        sa.CheckConstraint("minutes >= 0", name="minutes_non_negative"),
    )

    venue_a_id: int = Field(foreign_key="venue.id", primary_key=True, ondelete="CASCADE")
    venue_b_id: int = Field(foreign_key="venue.id", primary_key=True, ondelete="CASCADE")
    minutes: int


class Screen(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("venue_id", "name"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id", ondelete="CASCADE", index=True)
    name: str
    capacity: int | None = None
    position: int = 0
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None  # may be earlier than opens_at: open past midnight


class Screening(SQLModel, table=True):
    """A slot on a screen holding one feature or a programme of several films (items in order).

    `starts_at`/`ends_at` are local wall-clock times in the festival's time zone. `ends_at` follows
    from the content plus the changeover unless `end_is_manual`.
    """

    __table_args__ = (
        sa.CheckConstraint(_in("kind", SCREENING_KINDS), name="kind"),
        sa.CheckConstraint(_in("premiere", PREMIERE_VALUES, nullable=True), name="premiere"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_screening_screen_id_starts_at", "screen_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    screen_id: int = Field(foreign_key="screen.id", ondelete="RESTRICT")
    starts_at: NaiveDatetime
    ends_at: NaiveDatetime
    end_is_manual: bool = False
    title: str | None = None  # a shorts programme's name
    kind: str = Field(default="public", max_length=10)
    premiere: str | None = None
    intro_minutes: int = 0
    qa_minutes: int = 0
    notes: str = ""
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class ScreeningItem(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("screening_id", "position"), sa.Index("ix_screeningitem_film_id", "film_id"))

    id: int | None = Field(default=None, primary_key=True)
    screening_id: int = Field(foreign_key="screening.id", ondelete="CASCADE")
    film_id: int = Field(foreign_key="film.id", ondelete="RESTRICT")
    position: int = 0


class ScreeningGuest(SQLModel, table=True):
    screening_id: int = Field(foreign_key="screening.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="RESTRICT")
    role: str = ""  # "director", "moderator", ...


# --- settings ----------------------------------------------------------------------------------


class Preset(SQLModel, table=True):
    """A named, saved setting of some kind: a search filter, a column mapping of an intake source,
    the booklet options, the last booklet build's snapshot (for the proof changelog)."""

    __table_args__ = (sa.UniqueConstraint("kind", "name"),)

    KINDS: ClassVar[tuple[str, ...]] = ("filter", "column_mapping", "booklet", "booklet_snapshot")

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    name: str
    data: dict[str, Any] = _json_column(dict)
    updated_at: dt.datetime = Field(default_factory=utcnow)


# --- several people on one festival --------------------------------------------------------------


class ChangeLog(SQLModel, table=True):
    """One entry of the change log: what one committed action did to one kind of record.

    Written by `store.changelog` in the same transaction as the change it records, so that the log
    holds exactly what was committed, in commit order (`seq`). `kind` is film, screening, review,
    quote, critic, programmer, venue, setting, person, festival or activity; `op` is added,
    changed, removed, replaced (everything: reload), started or finished (activities such as an
    import); `ids` are the records' ids (setting names for settings), `fields` what changed of
    them ("title", "status", "rating", "notes"...). `client` names the writing process, so that a
    desk can tell its own entries from its colleagues'.
    """

    __tablename__ = "change_log"
    __table_args__ = (sa.Index("ix_change_log_at", "at"), {"sqlite_autoincrement": True})

    seq: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    who: str = ""
    login: str = ""
    client: str = Field(default="", max_length=40)
    kind: str = Field(max_length=20)
    op: str = Field(max_length=20)
    ids: list[Any] = _json_column(list)
    fields: list[str] = _json_column(list)
    description: str = ""


class FilmEdit(SQLModel, table=True):
    """One field of a film changed by an edit, an import or an undo: who, when, old → new, so that
    nothing overwritten is beyond recovery. Lists (countries, languages, credits) are kept as the
    list of values."""

    __tablename__ = "film_edit"
    __table_args__ = (sa.Index("ix_film_edit_film_id", "film_id"),)

    id: int | None = Field(default=None, primary_key=True)
    film_id: int = Field(foreign_key="film.id", ondelete="CASCADE")
    at: dt.datetime = Field(default_factory=utcnow)
    who: str = ""
    field: str = Field(max_length=40)
    old_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    new_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    source: str = Field(default="edit", max_length=20)  # edit, import, undo


class TeamRole(SQLModel, table=True):
    """PostgreSQL team databases: the database role that stands for each team role (viewer,
    programmer, lead, admin) of this festival, written by `festival-desk team init`. Empty: not a
    team database (whoever connects may do everything the database lets them)."""

    __tablename__ = "team_role"

    role: str = Field(primary_key=True, max_length=20)
    db_role: str = Field(max_length=63)
# The committee's process (viewings, conflicts of interest, language skills, the rubric, meetings
# and catalogue facts) keeps its tables in their own module; importing it here puts them on the
# metadata with the rest, so that everything reading this module sees every table.
from festival_desk.store.committee_models import (  # noqa: E402,F401  (re-exported)
    CatalogueFacts,
    ConflictOfInterest,
    CriterionScore,
    Meeting,
    MeetingDecision,
    ProgrammerLanguage,
    RubricCriterion,
    Viewing,
)
