"""A small festival for the search, filter and film-row tests (our own words), on SQLite and, when
a server is given, on PostgreSQL. Imported by test_search*.py, test_filters*.py, test_film_rows*.py."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from festival_desk.core.text import sort_key, sort_title
from festival_desk.store.db import Database, open_database
from festival_desk.store.models import (
    Assignment, Critic, Film, FilmCountry, FilmCredit, FilmLanguage, FilmTag, Note, Person, Programmer,
    Rating, Review, Section, Tag,
)


@dataclass
class FilmSpec:
    title: str
    original_title: str | None = None
    directors: Sequence[str] = ()
    synopsis: str = ""
    notes: Sequence[str] = ()
    reviews: Sequence[str] = ()
    status: str = "submitted"
    section: str | None = None
    countries: Sequence[str] = ()
    languages: Sequence[str] = ()
    year: int | None = None
    runtime: int | None = None
    premiere: str | None = None
    ratings: dict[str, int] | None = None  # programmer name -> score
    tags: Sequence[str] = ()
    assigned_to: Sequence[str] = ()


def _person(session: Session, name: str) -> Person:
    key = sort_key(name)
    person = session.exec(select(Person).where(Person.name_key == key)).first()
    if person is None:
        person = Person(name=name, name_key=key)
        session.add(person)
        session.flush()
    return person


def _named(session: Session, model: type, name: str, **values: object) -> object:
    row = session.exec(select(model).where(model.name == name)).first()
    if row is None:
        row = model(name=name, **values)
        session.add(row)
        session.flush()
    return row


def add_film(session: Session, spec: FilmSpec) -> int:
    """Write one film with everything around it through the ORM (as the desk's actions do)."""
    section_id = None
    if spec.section:
        section = session.exec(select(Section).where(Section.code == spec.section)).first()
        if section is None:
            section = Section(code=spec.section, name=f"Section {spec.section}", colour="#336699")
            session.add(section)
            session.flush()
        section_id = section.id
    shown = sort_title(spec.title)
    film = Film(title=spec.title, original_title=spec.original_title, sort_title=shown, sort_key=sort_key(shown),
                synopsis=spec.synopsis, status=spec.status, section_id=section_id, year=spec.year,
                runtime_minutes=spec.runtime, premiere=spec.premiere)
    session.add(film)
    session.flush()
    for position, name in enumerate(spec.directors):
        session.add(FilmCredit(film_id=film.id, person_id=_person(session, name).id, role="director",
                               position=position))
    for position, code in enumerate(spec.countries):
        session.add(FilmCountry(film_id=film.id, position=position, code=code, label=code))
    for position, code in enumerate(spec.languages):
        session.add(FilmLanguage(film_id=film.id, position=position, code=code, label=code))
    writer = _named(session, Programmer, "Mara")
    for text in spec.notes:
        session.add(Note(film_id=film.id, programmer_id=writer.id, text=text))
    for number, text in enumerate(spec.reviews):
        critic = session.exec(select(Critic).where(Critic.name_key == "ivo")).first()
        if critic is None:
            critic = Critic(name="Ivo", name_key="ivo")
            session.add(critic)
            session.flush()
        session.add(Review(film_id=film.id, critic_id=critic.id, body_text=text,
                           content_hash=f"{film.id}-{number}-{len(text)}"))
    for name, score in (spec.ratings or {}).items():
        session.add(Rating(film_id=film.id, programmer_id=_named(session, Programmer, name).id, score=score))
    for name in spec.tags:
        session.add(FilmTag(film_id=film.id, tag_id=_named(session, Tag, name, colour="#aa0000").id))
    for name in spec.assigned_to:
        session.add(Assignment(film_id=film.id, programmer_id=_named(session, Programmer, name).id))
    session.flush()
    return film.id


def add_films(database: Database, specs: Sequence[FilmSpec]) -> dict[str, int]:
    """Film ids by title."""
    with database.transaction() as session:
        return {spec.title: add_film(session, spec) for spec in specs}


def programmer_id(database: Database, name: str) -> int:
    with database.reading() as session:
        return session.exec(select(Programmer.id).where(Programmer.name == name)).one()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    """An empty migrated database: SQLite, and PostgreSQL when $FESTIVAL_DESK_TEST_PG_URL is set."""
    if request.param == "sqlite":
        database = open_database(str(tmp_path / "festival.sqlite"), create=True)
    else:
        database = open_database(request.getfixturevalue("postgres_url"), create=True)
    yield database
    database.close()
