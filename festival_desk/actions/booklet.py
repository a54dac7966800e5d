"""The programme booklet use cases: read the festival into a snapshot, build the PDF, keep the
booklet's options and the last build (for the proof changelog) in the database.

Guarantees of `build_booklet`: the output file appears complete or not at all (written beside the
target and renamed into place); the stored "last build" is updated only when the file was written;
a cancelled build (progress raising `Cancelled`) writes and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.actions.conflicts import conflict
from festival_desk.actions.films import image_facts
from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import fold_words, sort_key
from festival_desk.core.workflow import PROGRAMMED_STATUSES
from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.changelog import proof_changes
from festival_desk.printing.impose import impose_saddle, sheet_size
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.press import make_pdfx
from festival_desk.printing.press_stills import ConvertedStills
from festival_desk.printing.snapshot import (
    BookletSnapshot,
    CatalogueFactsEntry,
    FestivalInfo,
    FilmEntry,
    Place,
    Quote,
    ScreenInfo,
    Screening,
    SectionEntry,
    ShortsProgramme,
    StillImage,
    VenueInfo,
)
from festival_desk.printing.typography import TEXT_LANGUAGES
from festival_desk.store import models as m
from festival_desk.store.db import Database
from festival_desk.store.locations import cache_dir

OPTIONS_KIND, OPTIONS_NAME = "booklet", "default"
LAST_BUILD_KIND, LAST_BUILD_NAME = "booklet_snapshot", "last"
IMPOSITIONS = ("saddle",)
UNSECTIONED_CODE = "OTHER"


@dataclass
class BookletBuild:
    """What one build made. `changes` lists what differs from the previous build (proofing)."""

    path: Path
    pages: int
    films: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    changes: list[str] = field(default_factory=list)
    imposed: str | None = None
    sheet_sides: int | None = None


# --- options ----------------------------------------------------------------------------------


def _preset(session: Session, kind: str, name: str) -> m.Preset | None:
    return session.exec(select(m.Preset).where(m.Preset.kind == kind, m.Preset.name == name)).first()


def load_options(database: Database) -> BookletOptions:
    """The saved booklet options, or the defaults when none were saved."""
    with database.reading() as session:
        preset = _preset(session, OPTIONS_KIND, OPTIONS_NAME)
        return BookletOptions.from_json(preset.data) if preset else BookletOptions()


def save_options(database: Database, options: BookletOptions) -> Change:
    """Validate and store the booklet options (undoable)."""
    options.validate()
    with database.transaction() as session:
        preset = _preset(session, OPTIONS_KIND, OPTIONS_NAME)
        before = dict(preset.data) if preset else None
        if preset is None:
            preset = m.Preset(kind=OPTIONS_KIND, name=OPTIONS_NAME)
        preset.data = options.to_json()
        preset.updated_at = m.utcnow()
        session.add(preset)

    def undo(db: Database) -> Change:
        previous = BookletOptions.from_json(before) if before is not None else BookletOptions()
        return save_options(db, previous)

    return Change("Change booklet options", settings={"booklet"}, undo=undo)


# --- snapshot ---------------------------------------------------------------------------------


def read_snapshot(session: Session) -> BookletSnapshot:
    """The programmed films (selected or confirmed) with their approved quotes, first stills and
    screenings, in section order, as plain values."""
    festival_row = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
    festival = FestivalInfo(name="Festival")
    if festival_row is not None:
        festival = FestivalInfo(
            name=festival_row.name, edition=festival_row.edition, starts_on=festival_row.starts_on,
            ends_on=festival_row.ends_on, welcome=festival_row.welcome_text or "",
            text_language=festival_row.text_language or "en",
            cover_image=StillImage(festival_row.cover_image) if festival_row.cover_image else None)

    films = list(session.exec(select(m.Film).where(m.Film.status.in_(list(PROGRAMMED_STATUSES)))))
    film_ids = [film.id for film in films]
    people = {p.id: p.name for p in session.exec(select(m.Person))}

    credits: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for credit in session.exec(select(m.FilmCredit).where(m.FilmCredit.film_id.in_(film_ids))
                               .order_by(m.FilmCredit.film_id, m.FilmCredit.role, m.FilmCredit.position)):
        credits[credit.film_id].append((credit.role, people.get(credit.person_id, "")))
    countries: dict[int, list[Place]] = defaultdict(list)
    for row in session.exec(select(m.FilmCountry).where(m.FilmCountry.film_id.in_(film_ids))
                            .order_by(m.FilmCountry.film_id, m.FilmCountry.position)):
        countries[row.film_id].append(Place(row.code, row.label))
    languages: dict[int, list[Place]] = defaultdict(list)
    for row in session.exec(select(m.FilmLanguage).where(m.FilmLanguage.film_id.in_(film_ids))
                            .order_by(m.FilmLanguage.film_id, m.FilmLanguage.position)):
        languages[row.film_id].append(Place(row.code, row.label))
    quotes: dict[int, Quote] = {}
    quote_rows = session.exec(
        select(m.PullQuote, m.Review, m.Critic)
        .join(m.Review, m.Review.id == m.PullQuote.review_id)
        .join(m.Critic, m.Critic.id == m.Review.critic_id)
        .where(m.PullQuote.approved, m.Review.film_id.in_(film_ids))
        .order_by(m.Review.film_id, m.PullQuote.position, m.PullQuote.id))
    for quote, review, critic in quote_rows:
        quotes.setdefault(review.film_id, Quote(quote.text, critic.name, critic.outlet))
    stills: dict[int, StillImage] = {}
    for still in session.exec(select(m.Still).where(m.Still.film_id.in_(film_ids))
                              .order_by(m.Still.film_id, m.Still.position, m.Still.id)):
        stills.setdefault(still.film_id, StillImage(still.data, still.width_px, still.height_px, still.credit))

    facts = _catalogue_facts(session, film_ids)
    screenings, programme_rows = _read_screenings(session, set(film_ids), people)
    first_start = {}
    for screening in screenings:
        for film_id in screening.film_ids:
            first_start.setdefault(film_id, screening.starts_at)

    entries: dict[int, FilmEntry] = {}
    for film in films:
        film_credits = credits.get(film.id, [])
        others: dict[str, list[str]] = defaultdict(list)
        for role, name in film_credits:
            if role != "director":
                others[role].append(name)
        entries[film.id] = FilmEntry(
            id=film.id, title=film.title, sort_title=film.sort_title, original_title=film.original_title,
            directors=[name for role, name in film_credits if role == "director"],
            credits=list(others.items()), countries=countries.get(film.id, []),
            languages=languages.get(film.id, []), year=film.year, runtime_minutes=film.runtime_minutes,
            premiere=film.premiere, synopsis=film.synopsis or "", quote=quotes.get(film.id),
            still=stills.get(film.id), text_language=film.text_language,
            facts=facts.get(film.id))

    section_rows = list(session.exec(select(m.Section).order_by(m.Section.position, m.Section.name)))
    sections = [SectionEntry(row.code, row.name, row.colour, row.description) for row in section_rows]
    by_section_id = {row.id: section for row, section in zip(section_rows, sections, strict=True)}
    unsectioned = SectionEntry(UNSECTIONED_CODE, "More films", "#555555")
    far_future = dt.datetime.max
    # Running order within a section: by first screening, then by sort title.
    for film in sorted(films, key=lambda f: (first_start.get(f.id, far_future), f.sort_key or sort_key(f.title))):
        section = by_section_id.get(film.section_id, unsectioned)
        entry = entries[film.id]
        entry.position = len(section.films)
        section.films.append(entry)
    if unsectioned.films:
        sections.append(unsectioned)

    film_section = {film.id: section for section in sections for film in section.films}
    for title, film_ids_in_order, screening_ids in programme_rows:
        section = film_section.get(film_ids_in_order[0])
        if section is not None:
            section.programmes.append(ShortsProgramme(fold_words(title) or f"p{screening_ids[0]}", title,
                                                      film_ids_in_order, screening_ids))

    venues = []
    screens_by_venue: dict[int, list[ScreenInfo]] = defaultdict(list)
    for screen in session.exec(select(m.Screen).order_by(m.Screen.position, m.Screen.name)):
        screens_by_venue[screen.venue_id].append(ScreenInfo(screen.name, screen.capacity))
    for venue in session.exec(select(m.Venue).order_by(m.Venue.position, m.Venue.name)):
        venues.append(VenueInfo(venue.name, venue.address, venue.accessibility, screens_by_venue.get(venue.id, [])))
    return BookletSnapshot(festival, [s for s in sections if s.films], screenings, venues)


def _catalogue_facts(session: Session, film_ids: list[int]) -> dict[int, CatalogueFactsEntry]:
    """The catalogue facts of the films that have any (actions.facts, issue 15)."""
    from festival_desk.actions.facts import facts_of

    entries = {}
    for film_id, known in facts_of(session, film_ids).items():
        subtitles = Place(known.subtitle_language, known.subtitle_label) \
            if known.subtitle_language or known.subtitle_label else None
        entry = CatalogueFactsEntry(subtitles, known.sdh, known.audio_description, known.content_advice,
                                    known.age_recommendation)
        if entry != CatalogueFactsEntry():
            entries[film_id] = entry
    return entries


def _read_screenings(session: Session, programmed: set[int], people: dict[int, str]):
    """Screenings showing programmed films, and the shorts programmes among them as
    (title, film ids in order, screening ids): a titled screening of several films."""
    screens = {s.id: s for s in session.exec(select(m.Screen))}
    venues = {v.id: v.name for v in session.exec(select(m.Venue))}
    items: dict[int, list[int]] = defaultdict(list)
    for item in session.exec(select(m.ScreeningItem).order_by(m.ScreeningItem.screening_id,
                                                              m.ScreeningItem.position)):
        if item.film_id in programmed:
            items[item.screening_id].append(item.film_id)
    guests: dict[int, list[str]] = defaultdict(list)
    for guest in session.exec(select(m.ScreeningGuest)):
        guests[guest.screening_id].append(people.get(guest.person_id, ""))
    screenings = []
    programmes: dict[str, tuple[str, list[int], list[int]]] = {}
    for row in session.exec(select(m.Screening).order_by(m.Screening.starts_at, m.Screening.id)):
        film_ids = items.get(row.id)
        if not film_ids:
            continue
        screen = screens.get(row.screen_id)
        screenings.append(Screening(
            id=row.id, starts_at=row.starts_at, ends_at=row.ends_at,
            venue=venues.get(screen.venue_id, "") if screen else "", screen=screen.name if screen else "",
            film_ids=film_ids, title=row.title, kind=row.kind, premiere=row.premiere,
            intro_minutes=row.intro_minutes, qa_minutes=row.qa_minutes, guests=sorted(guests.get(row.id, []))))
        if row.title and len(film_ids) > 1:
            key = fold_words(row.title)
            programme = programmes.setdefault(key, (row.title, film_ids, []))
            programme[2].append(row.id)
    return screenings, list(programmes.values())


# --- build ------------------------------------------------------------------------------------


def resolve_options(database: Database, **overrides: Any) -> BookletOptions:
    """The saved options with `overrides` (None values ignored) applied and checked; unknown
    section codes are refused naming the known ones."""
    options = load_options(database)
    given = {key: value for key, value in overrides.items() if value is not None}
    options = replace(options, **given).validate()
    if options.sections is not None:
        with database.reading() as session:
            known = [code for code in session.exec(select(m.Section.code).order_by(m.Section.position))]
        unknown = [code for code in options.sections if code not in known]
        if unknown:
            raise UserError(f"sections: unknown section code {unknown[0]!r}; known codes: {', '.join(known)}")
    return options


def build_booklet(database: Database, output: str | Path, options: BookletOptions | None = None, *,
                  impose: str | None = None, sheet: str | tuple[float, float] = "sra4", creep_mm: float = 0.0,
                  progress: Progress = no_progress) -> BookletBuild:
    """Build the booklet of the festival in `database` into the PDF file `output`.

    With `impose="saddle"` the file holds printer's sheets (two pages per side of `sheet`, SRA4 by
    default, in saddle-stitch order, with bleed, crop and fold marks and `creep_mm` of creep)
    instead of single pages. Returns the build report with the proof
    changelog against the previous build.
    """
    started = time.perf_counter()
    options = (options or load_options(database)).validate()
    if impose is not None and impose not in IMPOSITIONS:
        raise UserError(f"impose: unknown imposition {impose!r}; choose {', '.join(IMPOSITIONS)}")
    if impose is None and creep_mm:
        raise UserError("creep: creep applies to imposed sheets; add --impose saddle")
    if impose == "saddle":
        sheet_size(sheet)  # an unknown sheet is refused before the build
    target = Path(output)
    if not target.parent.is_dir():
        raise UserError(f"{target}: the folder {target.parent} does not exist")
    with database.reading() as session:
        snapshot = read_snapshot(session)
        previous = _preset(session, LAST_BUILD_KIND, LAST_BUILD_NAME)
        previous_data = dict(previous.data) if previous else None
    sheet_sides = None
    # A press file built again after a late correction converts only the stills that changed.
    still_cache = ConvertedStills(cache_dir() / "press-stills") if options.press else None
    if impose == "saddle":
        result = render_booklet(snapshot, options, progress, still_cache=still_cache)
        pdf = impose_saddle(result.pdf, sheet, creep_mm=creep_mm, progress=progress)
        sheet_sides = result.pages // 2
        if options.press:
            pdf = make_pdfx(pdf, snapshot.festival.name)
        files.write_file(target, pdf)
    else:
        # Written as it is made (the stills are most of the file), into the temporary that
        # becomes the target only when the build is complete.
        with files.replacing(target) as temporary, open(temporary, "wb") as output:
            result = render_booklet(snapshot, options, progress, output, still_cache)
    changes = proof_changes(previous_data, snapshot)
    if not database.read_only:  # a festival opened for reading still prints; the next proof compares with an older build
        with database.transaction() as session:
            preset = _preset(session, LAST_BUILD_KIND, LAST_BUILD_NAME) or m.Preset(
                kind=LAST_BUILD_KIND, name=LAST_BUILD_NAME)
            preset.data = snapshot.to_json()
            preset.updated_at = m.utcnow()
            session.add(preset)
    return BookletBuild(path=target, pages=result.pages, films=result.films, warnings=result.warnings,
                        seconds=round(time.perf_counter() - started, 3), changes=changes, imposed=impose,
                        sheet_sides=sheet_sides)


def list_sections(database: Database) -> list[tuple[str, str]]:
    """(code, name) of every section in booklet order, for choosing what to print."""
    with database.reading() as session:
        return [(row.code, row.name) for row in session.exec(select(m.Section).order_by(m.Section.position,
                                                                                         m.Section.name))]


@dataclass(frozen=True)
class CoverAndWelcome:
    welcome_text: str
    cover_image: bytes | None
    version: int = field(default=0, compare=False)  # of the settings, which a save is made against


def load_cover_and_welcome(database: Database) -> CoverAndWelcome:
    """The booklet's welcome text and cover image as the festival row holds them."""
    with database.reading() as session:
        festival = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
        if festival is None:
            return CoverAndWelcome("", None)
        return CoverAndWelcome(festival.welcome_text or "", festival.cover_image, festival.version)


def set_cover_and_welcome(database: Database, *, welcome_text: str | None = None,
                          cover_image: bytes | None = None, clear_cover: bool = False,
                          image_name: str = "cover image", expected_version: int | None = None,
                          _undo_of: bool = False) -> Change:
    """Store the booklet's welcome text and/or cover image (undoable). A cover that is not a
    readable image is refused with a UserError naming it; nothing is stored then. With
    `expected_version` (the festival settings' version as read, `CoverAndWelcome.version`) a
    colleague's newer change is not overwritten: ConflictError names it; undo is refused the same
    way once a colleague has changed the settings."""
    if cover_image is not None:
        image_facts(cover_image, image_name)
    with database.transaction() as session:
        festival = session.exec(select(m.Festival).order_by(m.Festival.id).with_for_update()).first()
        if festival is None:
            raise UserError("festival: the database holds no festival yet")
        if expected_version is not None and festival.version != expected_version:
            raise conflict(session, "setting", "festival", "the festival's settings were changed", undo=_undo_of)
        before = CoverAndWelcome(festival.welcome_text or "", festival.cover_image)
        if welcome_text is not None:
            festival.welcome_text = welcome_text
        if clear_cover:
            festival.cover_image = None
        elif cover_image is not None:
            festival.cover_image = cover_image
        session.add(festival)
        session.flush()
        left = festival.version

    def undo(db: Database) -> Change:
        return set_cover_and_welcome(db, welcome_text=before.welcome_text, cover_image=before.cover_image,
                                     clear_cover=before.cover_image is None, expected_version=left, _undo_of=True)

    return Change(description="Edit the booklet's cover and welcome", settings={"booklet:cover"}, undo=undo,
                  details={"version": left})



# --- language of the texts ----------------------------------------------------------------------


@dataclass(frozen=True)
class TextLanguages:
    """The festival's text language and the films that say otherwise (film id → language)."""

    festival: str
    films: dict[int, str]


def load_text_languages(database: Database) -> TextLanguages:
    with database.reading() as session:
        festival = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
        films = {film_id: language for film_id, language in session.exec(
            select(m.Film.id, m.Film.text_language).where(m.Film.text_language.is_not(None)))}
        return TextLanguages(festival.text_language if festival else "en", films)


def set_text_language(database: Database, language: str | None, *, film_id: int | None = None) -> Change:
    """Set the language synopses are written in: the festival's, or with `film_id` one film's
    (None: the film follows the festival again). The booklet hyphenates and quotes by it. Undoable."""
    if language is not None and language not in TEXT_LANGUAGES:
        raise UserError(f"language: {language!r} is not a language the booklet can hyphenate; choose one of "
                        f"{', '.join(TEXT_LANGUAGES)}")
    with database.transaction() as session:
        if film_id is None:
            if language is None:
                raise UserError("language: give the festival's language")
            row = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
            if row is None:
                raise UserError("festival: the database holds no festival yet")
        else:
            row = session.get(m.Film, film_id)
            if row is None:
                raise UserError(f"film: no film with id {film_id}")
        before = row.text_language
        row.text_language = language
        session.add(row)
        session.flush()
        version = row.version if film_id is None else None

    def undo(db: Database) -> Change:
        return set_text_language(db, before, film_id=film_id)

    what = "the festival's texts" if film_id is None else f"film {film_id}'s synopsis"
    return Change(f"Set the language of {what}", settings={"booklet:language"},
                  films={film_id} if film_id is not None else set(), undo=undo,
                  details={} if version is None else {"version": version})
