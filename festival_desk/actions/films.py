"""Editing a film: its fields, credits, countries, languages and stills, as undoable actions.

Every function here is one user action in one transaction and returns a `Change` naming the film,
whose `undo` restores exactly what the action replaced (and whose own undo redoes it). Bad input
raises `UserError` naming the field; nothing is written then.

`film_details` is the read side the film page shows: a plain snapshot, no ORM objects, so that it
may be built on a worker thread and handed to the GUI.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.core.codes import country_code, country_name, language_code, language_name
from festival_desk.core.errors import UserError
from festival_desk.core.text import fold_words, filing
from festival_desk.store.db import Database
from festival_desk.store.models import (
    CREDIT_ROLES,
    PREMIERE_VALUES,
    Critic,
    Film,
    FilmCountry,
    FilmCredit,
    FilmLanguage,
    Person,
    Programmer,
    PullQuote,
    Review,
    Section,
    StatusChange,
    Still,
)

# The fields of a film a programmer edits on the film page. Status is not here: it moves through
# the workflow actions (actions.programming), which keep its history.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title", "original_title", "original_language", "year", "runtime_minutes", "logline",
    "synopsis", "premiere", "section_id", "submission_link",
)
FIRST_FILM_YEAR = 1888
MAX_RUNTIME_MINUTES = 1500  # the longest documentaries run about 14 hours
MAX_STILL_BYTES = 40 * 1024 * 1024


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditLine:
    role: str
    name: str


@dataclass(frozen=True)
class StillInfo:
    id: int
    filename: str
    width_px: int
    height_px: int
    credit: str


@dataclass(frozen=True)
class StatusMove:
    at: dt.datetime
    programmer: str | None
    from_status: str | None
    to_status: str
    comment: str
    kind: str = "move"  # "move", or "undo"/"redo" for the moves Undo and Redo made


def status_moves(session: Session, film_id: int) -> tuple[StatusMove, ...]:
    """Every status move of a film, oldest first."""
    return tuple(StatusMove(*row) for row in session.execute(
        sa.select(StatusChange.at, Programmer.name, StatusChange.from_status, StatusChange.to_status,
                  StatusChange.comment, StatusChange.kind)
        .outerjoin(Programmer, Programmer.id == StatusChange.programmer_id)
        .where(StatusChange.film_id == film_id).order_by(StatusChange.at, StatusChange.id)).all())


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    critic: str
    outlet: str
    standfirst: str | None
    quotes: tuple[tuple[str, bool], ...]  # (text, approved)


@dataclass(frozen=True)
class FilmDetails:
    """Everything the film page shows, as plain values."""

    id: int
    version: int
    fields: dict[str, Any]
    status: str
    section_name: str | None
    countries: tuple[str, ...]  # ISO codes; a country without a code appears as its label
    languages: tuple[str, ...]
    credits: tuple[CreditLine, ...]
    stills: tuple[StillInfo, ...]
    history: tuple[StatusMove, ...]
    reviews: tuple[ReviewSummary, ...]
    sections: tuple[tuple[int, str], ...] = field(default=())  # every section, for the picker


def _film_or_error(session: Session, film_id: int) -> Film:
    film = session.get(Film, film_id)
    if film is None:
        raise UserError(f"film {film_id}: no such film")
    return film


def film_details(database: Database, film_id: int) -> FilmDetails:
    """A snapshot of one film with its credits, stills, history and reviews (ratings and notes:
    `actions.programming.film_opinions`)."""
    with database.reading() as session:
        film = _film_or_error(session, film_id)
        fields = {name: getattr(film, name) for name in EDITABLE_FIELDS}
        section_rows = session.exec(select(Section.id, Section.name).order_by(Section.position,
                                                                               Section.name)).all()
        sections = tuple((sid, name) for sid, name in section_rows)
        section_name = dict(sections).get(film.section_id) if film.section_id else None
        countries = tuple(code or label for code, label in session.exec(
            select(FilmCountry.code, FilmCountry.label).where(FilmCountry.film_id == film_id)
            .order_by(FilmCountry.position)).all())
        languages = tuple(code or label for code, label in session.exec(
            select(FilmLanguage.code, FilmLanguage.label).where(FilmLanguage.film_id == film_id)
            .order_by(FilmLanguage.position)).all())
        credits = tuple(CreditLine(role, name) for role, name in session.exec(
            select(FilmCredit.role, Person.name).join(Person, Person.id == FilmCredit.person_id)
            .where(FilmCredit.film_id == film_id)
            .order_by(FilmCredit.role, FilmCredit.position)).all())
        credits = tuple(sorted(credits, key=lambda c: CREDIT_ROLES.index(c.role)))
        stills = tuple(StillInfo(*row) for row in session.exec(
            select(Still.id, Still.filename, Still.width_px, Still.height_px, Still.credit)
            .where(Still.film_id == film_id).order_by(Still.position, Still.id)).all())
        history = status_moves(session, film_id)
        quotes: dict[int, list[tuple[str, bool]]] = {}
        review_rows = session.exec(
            select(Review.id, Critic.name, Critic.outlet, Review.standfirst)
            .join(Critic, Critic.id == Review.critic_id).where(Review.film_id == film_id)
            .order_by(Review.imported_at, Review.id)).all()
        if review_rows:
            for review_id, text, approved in session.exec(
                    select(PullQuote.review_id, PullQuote.text, PullQuote.approved)
                    .where(PullQuote.review_id.in_([r[0] for r in review_rows]))
                    .order_by(PullQuote.position, PullQuote.id)):
                quotes.setdefault(review_id, []).append((text, approved))
        reviews = tuple(ReviewSummary(rid, critic, outlet, standfirst, tuple(quotes.get(rid, ())))
                        for rid, critic, outlet, standfirst in review_rows)
        return FilmDetails(id=film_id, version=film.version, fields=fields, status=film.status,
                           section_name=section_name, countries=countries, languages=languages,
                           credits=credits, stills=stills, history=history,
                           reviews=reviews, sections=sections)


def still_image(database: Database, still_id: int) -> bytes:
    """The image data of one still (kept out of `film_details`: stills are large)."""
    with database.reading() as session:
        data = session.exec(select(Still.data).where(Still.id == still_id)).first()
    if data is None:
        raise UserError(f"still {still_id}: no such still")
    return data


# --- validation ---------------------------------------------------------------------------------


def _optional_int(name: str, value: Any, low: int, high: int, label: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        raise UserError(f"{name}: {label} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise UserError(f"{name}: {label} must be between {low} and {high}, not {number}")
    return number


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def validate_fields(session: Session, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The edited fields as they will be stored; UserError naming the first field that is wrong."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise UserError(f"{sorted(unknown)[0]}: not an editable film field "
                        f"(editable: {', '.join(EDITABLE_FIELDS)})")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            title = _optional_text(value)
            if title is None:
                raise UserError("title: a film needs a title")
            clean[name] = title
        elif name == "year":
            clean[name] = _optional_int(name, value, FIRST_FILM_YEAR, dt.date.today().year + 2, "the year")
        elif name == "runtime_minutes":
            clean[name] = _optional_int(name, value, 1, MAX_RUNTIME_MINUTES, "the runtime in minutes")
        elif name == "premiere":
            premiere = _optional_text(value)
            if premiere is not None:
                premiere = premiere.lower()
                if premiere not in PREMIERE_VALUES:
                    raise UserError(f"premiere: {value!r} is not a premiere status "
                                    f"(one of: {', '.join(PREMIERE_VALUES)})")
            clean[name] = premiere
        elif name == "original_language":
            text = _optional_text(value)
            code = language_code(text) if text else None
            if text and code is None:
                raise UserError(f"original_language: {value!r} is not a known language")
            clean[name] = code
        elif name == "section_id":
            if value in (None, ""):
                clean[name] = None
            else:
                if session.get(Section, int(value)) is None:
                    raise UserError(f"section_id: there is no section {value}")
                clean[name] = int(value)
        elif name in ("logline", "synopsis"):
            clean[name] = "" if value is None else str(value).strip()
        else:  # original_title, submission_link
            clean[name] = _optional_text(value)
    return clean


def _codes(values: Sequence[str], lookup: Callable[[str], str | None], field_name: str,
           standard: str) -> list[str]:
    """The codes of `values` in order, duplicates dropped; UserError naming the first unknown one."""
    codes: list[str] = []
    for value in values:
        code = lookup(value)
        if code is None:
            raise UserError(f"{field_name}: {value!r} is not an {standard} code or name")
        if code not in codes:
            codes.append(code)
    return codes


def _clean_credits(credits: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    clean: list[tuple[str, str]] = []
    for number, (role, name) in enumerate(credits, start=1):
        role_key = (role or "").strip().lower()
        if role_key not in CREDIT_ROLES:
            raise UserError(f"credits, line {number}: {role!r} is not a role "
                            f"(one of: {', '.join(CREDIT_ROLES)})")
        person = (name or "").strip()
        if not person:
            raise UserError(f"credits, line {number}: the {role_key}'s name is empty")
        clean.append((role_key, person))
    return clean


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FilmState:
    """What one edit replaced, so that undo can put it back. None means "not touched"."""

    fields: dict[str, Any] | None
    countries: list[tuple[str | None, str]] | None
    languages: list[tuple[str | None, str]] | None
    credits: list[tuple[str, str]] | None


def _read_state(session: Session, film: Film, *, fields: Sequence[str] | None, countries: bool,
                languages: bool, credits: bool) -> _FilmState:
    film_id = film.id
    return _FilmState(
        fields={name: getattr(film, name) for name in fields} if fields is not None else None,
        countries=[(c, label) for c, label in session.exec(
            select(FilmCountry.code, FilmCountry.label).where(FilmCountry.film_id == film_id)
            .order_by(FilmCountry.position))] if countries else None,
        languages=[(c, label) for c, label in session.exec(
            select(FilmLanguage.code, FilmLanguage.label).where(FilmLanguage.film_id == film_id)
            .order_by(FilmLanguage.position))] if languages else None,
        credits=[(role, name) for role, name in session.exec(
            select(FilmCredit.role, Person.name).join(Person, Person.id == FilmCredit.person_id)
            .where(FilmCredit.film_id == film_id).order_by(FilmCredit.role, FilmCredit.position))]
        if credits else None,
    )


def _person(session: Session, name: str) -> Person:
    """The person of that exact name, else one with the same folded name, else a new one."""
    key = fold_words(name)
    candidates = session.exec(select(Person).where(Person.name_key == key)).all()
    for person in candidates:
        if person.name == name:
            return person
    if candidates:
        return candidates[0]
    person = Person(name=name, name_key=key)
    session.add(person)
    session.flush()
    return person


def _write_state(session: Session, film: Film, state: _FilmState) -> None:
    film_id = film.id
    if state.fields is not None:
        for name, value in state.fields.items():
            setattr(film, name, value)
        if "title" in state.fields or "original_language" in state.fields:
            film.sort_title, film.sort_key = filing(film.title, film.original_language)
    if state.countries is not None:
        session.execute(sa.delete(FilmCountry).where(FilmCountry.film_id == film_id))
        session.flush()
        for position, (code, label) in enumerate(state.countries):
            session.add(FilmCountry(film_id=film_id, position=position, code=code, label=label))
    if state.languages is not None:
        session.execute(sa.delete(FilmLanguage).where(FilmLanguage.film_id == film_id))
        session.flush()
        for position, (code, label) in enumerate(state.languages):
            session.add(FilmLanguage(film_id=film_id, position=position, code=code, label=label))
    if state.credits is not None:
        session.execute(sa.delete(FilmCredit).where(FilmCredit.film_id == film_id))
        session.flush()
        positions: dict[str, int] = {}
        for role, name in state.credits:
            position = positions.get(role, 0)
            positions[role] = position + 1
            session.add(FilmCredit(film_id=film_id, person_id=_person(session, name).id, role=role,
                                   position=position))
    film.updated_at = dt.datetime.now(dt.UTC)
    session.add(film)


def _apply(database: Database, film_id: int, new: _FilmState, description: str | None,
           expected_version: int | None) -> Change:
    with database.transaction() as session:
        film = _film_or_error(session, film_id)
        if expected_version is not None and film.version != expected_version:
            raise UserError(f"film {film_id}: “{film.title}” was changed by someone else since you "
                            "opened it; reopen it to see their changes")
        old = _read_state(session, film, fields=list(new.fields) if new.fields is not None else None,
                          countries=new.countries is not None, languages=new.languages is not None,
                          credits=new.credits is not None)
        if old == new:  # nothing to save: no write, no undo step
            return Change(description=description or f"Edit “{film.title}”")
        _write_state(session, film, new)
        session.flush()
        name = description or f"Edit “{film.title}”"

    def undo(db: Database) -> Change:
        return _apply(db, film_id, old, name, None)

    return Change(description=name, films={film_id}, undo=undo)


def edit_film(database: Database, film_id: int, *, fields: Mapping[str, Any] | None = None,
              countries: Sequence[str] | None = None, languages: Sequence[str] | None = None,
              credits: Sequence[tuple[str, str]] | None = None, expected_version: int | None = None,
              description: str | None = None) -> Change:
    """Save the film page: any of its fields, countries, languages and credits, as one action.

    Arguments left None are not touched. Countries and languages are names or codes (stored as
    ISO 3166 alpha-2 / ISO 639-3 codes, in the order given, duplicates dropped); credits are
    (role, name) pairs in order, people found by name (diacritics-insensitive) or created.
    `expected_version` (the film's `version` when the page was opened) refuses to overwrite a
    colleague's newer edit. UserError names the field at fault; nothing is written then.
    """
    with database.reading() as session:
        _film_or_error(session, film_id)
        clean_fields = validate_fields(session, fields) if fields else None
    country_codes = _codes(countries, country_code, "countries", "ISO 3166") if countries is not None else None
    language_codes = _codes(languages, language_code, "languages", "ISO 639") if languages is not None else None
    state = _FilmState(
        fields=clean_fields,
        countries=[(code, country_name(code)) for code in country_codes] if country_codes is not None else None,
        languages=[(code, language_name(code)) for code in language_codes] if language_codes is not None else None,
        credits=_clean_credits(credits) if credits is not None else None,
    )
    return _apply(database, film_id, state, description, expected_version)


def image_facts(data: bytes, filename: str) -> tuple[str, int, int]:
    """(MIME type, width, height) of an image a user gives us; a file that is too large, unreadable
    or of an unsupported kind raises UserError naming `filename`."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_STILL_BYTES:
        raise UserError(f"{filename}: the image is larger than {MAX_STILL_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise UserError(f"{filename}: not a readable image ({error})") from None
    mime = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "TIFF": "image/tiff",
            "GIF": "image/gif"}.get(kind or "")
    if mime is None:
        raise UserError(f"{filename}: {kind} images are not supported (use JPEG, PNG, WebP or TIFF)")
    return mime, width, height


def _insert_still(database: Database, film_id: int, data: bytes, filename: str, credit: str,
                  position: int | None, description: str | None) -> Change:
    mime, width, height = image_facts(data, filename)
    with database.transaction() as session:
        film = _film_or_error(session, film_id)
        if position is None:
            last = session.exec(select(sa.func.max(Still.position)).where(Still.film_id == film_id)).one()
            position = 0 if last is None else last + 1
        still = Still(film_id=film_id, position=position, filename=filename, mime_type=mime,
                      width_px=width, height_px=height, credit=credit.strip(), data=data)
        session.add(still)
        session.flush()
        still_id = still.id
        name = description or f"Add still to “{film.title}”"

    def undo(db: Database) -> Change:
        return _delete_still(db, still_id, name)

    return Change(description=name, films={film_id}, undo=undo, details={"still_id": still_id})


def _delete_still(database: Database, still_id: int, description: str | None) -> Change:
    with database.transaction() as session:
        still = session.get(Still, still_id)
        if still is None:
            raise UserError(f"still {still_id}: no such still")
        film = _film_or_error(session, still.film_id)
        film_id, data, filename, credit, position = (still.film_id, still.data, still.filename,
                                                     still.credit, still.position)
        name = description or f"Remove still from “{film.title}”"
        session.delete(still)

    def undo(db: Database) -> Change:
        return _insert_still(db, film_id, data, filename, credit, position, name)

    return Change(description=name, films={film_id}, undo=undo)


def add_still(database: Database, film_id: int, data: bytes, filename: str, *, credit: str = "") -> Change:
    """Attach an image (JPEG, PNG, WebP, TIFF) to the film as its last still.

    UserError names the file when it is not a readable image. `details["still_id"]` is the new id.
    """
    return _insert_still(database, film_id, data, filename, credit, None, None)


def remove_still(database: Database, still_id: int) -> Change:
    """Delete one still; undo puts the same image back in the same place."""
    return _delete_still(database, still_id, None)

