"""The plain data a booklet is printed from: no database, no session, just values.

`actions.booklet` fills these from the database; tests and benchmarks build them directly. A
snapshot also serialises to JSON (`to_json`/`from_json`, image bytes left out) so that the next
build can say what changed since this one (see `printing.changelog`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class StillImage:
    """An image as stored: its bytes and its pixel size (0 when unknown)."""

    data: bytes | None
    width_px: int = 0
    height_px: int = 0
    credit: str = ""


@dataclass
class Quote:
    """An approved pull quote, credited to its critic (and outlet)."""

    text: str
    critic: str
    outlet: str = ""


@dataclass
class Place:
    """A country or language: an ISO code when known, and the text as it arrived."""

    code: str | None
    label: str = ""


@dataclass
class CatalogueFactsEntry:
    """What the audience is told about access and content (printed by `printing.catalogue_facts`);
    None where not known."""

    subtitles: Place | None = None
    sdh: bool | None = None
    audio_description: bool | None = None
    content_advice: str = ""
    age_recommendation: int | None = None


@dataclass
class FilmEntry:
    id: int
    title: str
    sort_title: str = ""
    original_title: str | None = None
    directors: list[str] = field(default_factory=list)
    # Other credits as (role, names) in print order, e.g. ("cinematography", ["Ana Kovač"]).
    credits: list[tuple[str, list[str]]] = field(default_factory=list)
    countries: list[Place] = field(default_factory=list)
    languages: list[Place] = field(default_factory=list)
    year: int | None = None
    runtime_minutes: int | None = None
    premiere: str | None = None  # world, international, european, national, regional
    synopsis: str = ""
    quote: Quote | None = None
    still: StillImage | None = None
    position: int = 0  # the programmers' running order within the section
    text_language: str | None = None  # the synopsis's language where it differs from the festival's
    facts: CatalogueFactsEntry | None = None  # accessibility, content advice, age (issue 15)


@dataclass
class Screening:
    """One slot. `film_ids` are its items in order; a shorts programme has several and a title."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    screen: str
    film_ids: list[int] = field(default_factory=list)
    title: str | None = None
    kind: str = "public"
    premiere: str | None = None
    intro_minutes: int = 0
    qa_minutes: int = 0
    guests: list[str] = field(default_factory=list)


@dataclass
class ShortsProgramme:
    """Films shown together, printed as one entry. `key` is stable across builds."""

    key: str
    title: str
    film_ids: list[int]
    screening_ids: list[int] = field(default_factory=list)
    description: str = ""


@dataclass
class SectionEntry:
    code: str
    name: str
    colour: str = "#555555"
    description: str = ""
    films: list[FilmEntry] = field(default_factory=list)
    programmes: list[ShortsProgramme] = field(default_factory=list)


@dataclass
class ScreenInfo:
    name: str
    capacity: int | None = None


@dataclass
class VenueInfo:
    name: str
    address: str = ""
    accessibility: str = ""
    screens: list[ScreenInfo] = field(default_factory=list)


@dataclass
class FestivalInfo:
    name: str
    edition: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    welcome: str = ""
    cover_image: StillImage | None = None
    text_language: str = "en"  # the language synopses and texts are written in (hyphenation, quotes)


@dataclass
class BookletSnapshot:
    """Everything one booklet shows. Sections are in booklet order; a film listed in a programme
    of its section is printed within that programme, not on its own."""

    festival: FestivalInfo
    sections: list[SectionEntry] = field(default_factory=list)
    screenings: list[Screening] = field(default_factory=list)
    venues: list[VenueInfo] = field(default_factory=list)

    def films(self) -> list[FilmEntry]:
        return [film for section in self.sections for film in section.films]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy without image bytes (stills are compared by size and length only)."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if "data" in value and "width_px" in value:
            data = value.get("data")
            return {"length": len(data) if data else 0, "width_px": value["width_px"],
                    "height_px": value["height_px"], "credit": value.get("credit", "")}
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
