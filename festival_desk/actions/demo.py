"""The demo festival: a complete, realistic season written by the project (db/seeds/).

It exercises what real festivals throw at the tool: diacritics, a Cyrillic original title,
three-country co-productions, two-director films, titles filed under their second word, shorts
programmes, ratings by five programmers, critics' reviews with pull quotes, and a still per film.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from festival_desk.actions.changes import Change
from festival_desk.actions.films import image_facts
from festival_desk.actions.people import PersonDirectory, add_credits
from festival_desk.core import codes
from festival_desk.core import schedule as schedule_rules
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import filing, fold, fold_words
from festival_desk.core.workflow import Status
from festival_desk.store.db import Database
from festival_desk.store.models import (
    Festival, Film, FilmCountry, FilmLanguage, FilmTag, Note, Programmer, Rating, Screen, Screening,
    ScreeningGuest, ScreeningItem, Section, StatusChange, Still, Tag, Venue,
)

# 1200 px across is over 250 dpi at the width an A5 booklet prints a still, and draws twice as
# fast as a full 300 dpi A4 still: the demo is made on a user's first start.
DEMO_STILL_SIZE = (1200, 675)
_WORKFLOW_PATH = (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED, Status.SELECTED, Status.CONFIRMED)


def seed_folder():  # -> importlib.resources Traversable
    return resources.files("festival_desk.db") / "seeds"


def load_seed() -> dict[str, Any]:
    return json.loads((seed_folder() / "festival.json").read_text(encoding="utf-8"))


def demo_committee() -> list[str]:
    """The names of the demo festival's committee, by name (read from its seed, no database)."""
    return sorted((item["name"] for item in load_seed()["programmers"]), key=fold_words)


def has_festival_data(database: Database) -> bool:
    with database.reading() as session:
        return session.exec(select(sa.func.count()).select_from(Film)).one() > 0 or \
            session.exec(select(sa.func.count()).select_from(Festival)).one() > 0


def clear_festival(session: Session) -> None:
    """Delete every row of every festival table (children first), inside the caller's transaction."""
    for table in reversed(SQLModel.metadata.sorted_tables):
        session.execute(table.delete())


def create_demo(database: Database, *, replace: bool = False, progress: Progress = no_progress) -> Change:
    """Fill `database` with the demo festival, in one transaction.

    Refuses (UserError) when the database already holds a festival, unless `replace` is given, in
    which case the old content is deleted in the same transaction (so a failure keeps it).
    """
    if has_festival_data(database) and not replace:
        raise UserError(f"{database.label} already holds a festival; use --force to replace it with the demo")
    seed = load_seed()
    with database.transaction() as session:
        if replace:
            clear_festival(session)
        film_ids = _DemoLoader(session, seed, progress).load()
    return Change(description="Create the demo festival", films_added=set(film_ids))


class _DemoLoader:
    def __init__(self, session: Session, seed: dict[str, Any], progress: Progress) -> None:
        self.session = session
        self.seed = seed
        self.progress = progress
        self.people = PersonDirectory(session)
        self.films: dict[str, Film] = {}
        self.programmers: dict[str, Programmer] = {}

    def load(self) -> list[int]:
        steps = (self._festival, self._sections_and_tags, self._programmers, self._venues, self._films,
                 self._ratings, self._screenings, self._reviews)
        for number, step in enumerate(steps):
            self.progress(number, len(steps), step.__name__.strip("_").replace("_", " "))
            step()
        self.progress(len(steps), len(steps), "done")
        return [film.id for film in self.films.values()]

    def _festival(self) -> None:
        # Pillow loads only to build the demo: the desk asks `has_festival_data` at every start.
        from festival_desk.actions.artwork import make_cover

        info = self.seed["festival"]
        self.festival = Festival(
            name=info["name"], edition=info.get("edition", ""),
            starts_on=dt.date.fromisoformat(info["starts_on"]), ends_on=dt.date.fromisoformat(info["ends_on"]),
            timezone=info["timezone"], changeover_minutes=info.get("changeover_minutes", 15),
            min_screenings=info.get("min_screenings", 1), welcome_text=info.get("welcome_text", ""),
            cover_image=make_cover(info["name"]),
        )
        self.session.add(self.festival)

    def _sections_and_tags(self) -> None:
        self.sections = {}
        for position, item in enumerate(self.seed["sections"]):
            section = Section(code=item["code"], name=item["name"], colour=item["colour"], position=position,
                              description=item.get("description", ""))
            self.session.add(section)
            self.sections[item["code"]] = section
        self.tags = {}
        for item in self.seed.get("tags", []):
            tag = Tag(name=item["name"], colour=item["colour"])
            self.session.add(tag)
            self.tags[item["name"]] = tag
        self.session.flush()

    def _programmers(self) -> None:
        # Someone may already be working in this database under a demo programmer's name (the
        # desk records who is working when it opens a file): they become that programmer.
        existing = {fold_words(programmer.name): programmer for programmer in self.session.exec(select(Programmer))}
        for item in self.seed["programmers"]:
            programmer = existing.get(fold_words(item["name"]))
            if programmer is None:
                programmer = Programmer(name=item["name"], email=item.get("email", ""))
            else:
                programmer.name, programmer.email = item["name"], programmer.email or item.get("email", "")
            self.session.add(programmer)
            self.programmers[item["name"]] = programmer
        self.session.flush()

    def _venues(self) -> None:
        self.screens: dict[str, Screen] = {}
        for position, item in enumerate(self.seed["venues"]):
            venue = Venue(name=item["name"], address=item.get("address", ""),
                          accessibility=item.get("accessibility", ""), position=position)
            self.session.add(venue)
            self.session.flush()
            for screen_position, screen_item in enumerate(item["screens"]):
                screen = Screen(
                    venue_id=venue.id, name=screen_item["name"], capacity=screen_item.get("capacity"),
                    position=screen_position,
                    opens_at=dt.time.fromisoformat(screen_item["opens"]) if screen_item.get("opens") else None,
                    closes_at=dt.time.fromisoformat(screen_item["closes"]) if screen_item.get("closes") else None,
                )
                self.session.add(screen)
                self.screens[f"{item['name']} / {screen_item['name']}"] = screen
        self.session.flush()

    def _films(self) -> None:
        programmers = list(self.programmers.values())
        start = dt.datetime.combine(self.festival.starts_on, dt.time(10), tzinfo=dt.UTC) - dt.timedelta(days=120)
        for index, item in enumerate(self.seed["films"]):
            title = item["title"]
            filed_under, filing_key = filing(title)
            film = Film(
                title=title, original_title=item.get("original_title"),
                original_language=item.get("original_language"),
                sort_title=filed_under, sort_key=filing_key,
                year=item.get("year"), runtime_minutes=item.get("runtime"),
                logline=item.get("logline", ""), synopsis=item.get("synopsis", ""),
                premiere=item.get("premiere"), section_id=self.sections[item["section"]].id,
                status=item["status"], submission_source="demo", submission_id=item["key"],
                created_at=start + dt.timedelta(hours=7 * index),
            )
            self.session.add(film)
            self.session.flush()
            self.films[item["key"]] = film
            add_credits(self.session, self.people, film.id, "director", item["directors"])
            for role, names in item.get("credits", {}).items():
                add_credits(self.session, self.people, film.id, role, names)
            for position, code in enumerate(item.get("countries", [])):
                self.session.add(FilmCountry(film_id=film.id, position=position, code=code,
                                             label=codes.country_name(code) or code))
            for position, code in enumerate(item.get("languages", [])):
                self.session.add(FilmLanguage(film_id=film.id, position=position, code=code,
                                              label=codes.language_name(code) or code))
            for tag_name in item.get("tags", []):
                self.session.add(FilmTag(film_id=film.id, tag_id=self.tags[tag_name].id))
            self._still(film, item)
            self._status_history(film, programmers[index % len(programmers)], film.created_at)

    def _still(self, film: Film, item: dict[str, Any]) -> None:
        from festival_desk.actions.artwork import make_still

        data = make_still(item["key"], film.title, DEMO_STILL_SIZE[0], DEMO_STILL_SIZE[1])
        filename = f"{item['key']}.jpg"
        mime_type, width, height = image_facts(data, filename)
        self.session.add(Still(film_id=film.id, filename=filename, mime_type=mime_type,
                               width_px=width, height_px=height,
                               credit=item.get("still", {}).get("credit", ""), data=data))

    def _status_history(self, film: Film, programmer: Programmer, submitted_at: dt.datetime) -> None:
        """The moves that brought the film to its demo status, a few days apart."""
        target = Status(film.status)
        if target in _WORKFLOW_PATH:
            path = list(_WORKFLOW_PATH[: _WORKFLOW_PATH.index(target) + 1])
        else:  # declined or withdrawn after being looked at
            path = [Status.SUBMITTED, Status.IN_REVIEW, target]
        self.session.add(StatusChange(film_id=film.id, programmer_id=None, at=submitted_at,
                                      from_status=None, to_status=Status.SUBMITTED, comment="Submitted"))
        for step, (before, after) in enumerate(zip(path, path[1:]), start=1):
            self.session.add(StatusChange(
                film_id=film.id, programmer_id=programmer.id, at=submitted_at + dt.timedelta(days=9 * step),
                from_status=before, to_status=after, comment=""))

    def _ratings(self) -> None:
        for item in self.seed.get("ratings", []):
            film = self.films[item["film"]]
            programmer = self.programmers[item["programmer"]]
            rated_at = film.created_at + dt.timedelta(days=5)
            self.session.add(Rating(film_id=film.id, programmer_id=programmer.id, score=item["score"],
                                    rated_at=rated_at))
            if item.get("note"):
                self.session.add(Note(film_id=film.id, programmer_id=programmer.id, text=item["note"],
                                      created_at=rated_at, updated_at=rated_at))

    def _screenings(self) -> None:
        changeover = self.festival.changeover_minutes
        for item in self.seed["screenings"]:
            screen = self.screens[item["screen"]]
            films = [self.films[key] for key in item["films"]]
            start = dt.datetime.fromisoformat(item["start"])
            rule_view = schedule_rules.Screening(
                id=0, screen_id=screen.id, start=start,
                items=tuple(schedule_rules.ScreeningItem(f.id, f.runtime_minutes or 0) for f in films),
                intro_minutes=item.get("intro", 0), qa_minutes=item.get("qa", 0))
            screening = Screening(
                screen_id=screen.id, starts_at=start, ends_at=schedule_rules.screening_end(rule_view, changeover),
                title=item.get("title"), kind=item.get("kind", "public"), premiere=item.get("premiere"),
                intro_minutes=item.get("intro", 0), qa_minutes=item.get("qa", 0))
            self.session.add(screening)
            self.session.flush()
            for position, film in enumerate(films):
                self.session.add(ScreeningItem(screening_id=screening.id, film_id=film.id, position=position))
            for name in item.get("guests", []):
                person = self.people.get(name)
                self.session.add(ScreeningGuest(screening_id=screening.id, person_id=person.id))
        self.session.flush()

    def _reviews(self) -> None:
        reviews = self.seed.get("reviews", [])
        if not reviews:
            return
        from festival_desk.actions.reviews import import_parsed_review
        from festival_desk.importers.reviews import parse_review_text

        by_title = {fold(film.title): film for film in self.films.values()}
        for item in reviews:
            text = (seed_folder() / item["file"]).read_text(encoding="utf-8")
            parsed = parse_review_text(text, item["file"])
            film = by_title.get(fold(parsed.film.title))
            if film is None:
                raise UserError(f"demo review {item['file']}: no demo film titled {parsed.film.title!r}")
            import_parsed_review(self.session, parsed, film_id=film.id, approve_quotes=item.get("approve_quotes", []),
                                 outlet=item.get("outlet"))
