"""The schedule as an iCalendar file (RFC 5545), for calendar programs.

Guarantees: one VEVENT per screening with a UID derived from the festival and the screening id only,
so a second export of the same festival updates the same events in a calendar (and a later export
carries a higher SEQUENCE for programs that compare it); DTSTART/DTEND in the festival's zone with
its VTIMEZONE included; a DTSTAMP; the title as SUMMARY; venue, screen and address in LOCATION;
the films (in order, with runtimes), intro, Q&A, guests and premiere in DESCRIPTION. DTEND is when
the audience leaves (the changeover is not theirs).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from icalendar import Calendar, Event, Timezone

from festival_desk.core.files import write_file
from festival_desk.core.schedule import Schedule, Screening
from festival_desk.core.text import fold

PRODID = "-//Festival Desk//festival-desk//EN"
_SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def festival_key(name: str, edition: str = "") -> str:
    """A stable, readable key for the festival in UIDs ("Test Docs", "2025" -> "test-docs-2025")."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(f"{name} {edition}")).strip("-")
    return slug or "festival"


def screening_uid(screening_id: int, key: str) -> str:
    return f"screening-{screening_id}@{key}.festival-desk"


def _description(schedule: Schedule, screening: Screening) -> str:
    lines = []
    for item in screening.items:
        film = schedule.films.get(item.film_id)
        title = film.title if film else f"film #{item.film_id}"
        lines.append(f"{title} ({item.runtime_minutes} min)" if item.runtime_minutes else title)
    if screening.intro_minutes:
        lines.append(f"Introduction: {screening.intro_minutes} min")
    if screening.qa_minutes:
        lines.append(f"Q&A: {screening.qa_minutes} min")
    if screening.guests:
        lines.append("Guests: " + ", ".join(g.name for g in screening.guests))
    if screening.premiere:
        lines.append(f"Premiere: {screening.premiere}")
    if screening.kind != "public":
        lines.append(f"{screening.kind.capitalize()} screening")
    return "\n".join(lines)


def _location(schedule: Schedule, screening: Screening) -> str:
    screen = schedule.screens.get(screening.screen_id)
    if screen is None:
        return ""
    venue = schedule.venues.get(screen.venue_id)
    parts = [screen.venue_name, screen.name] if screen.venue_name else [screen.name]
    if venue is not None and venue.address:
        parts.append(venue.address)
    return ", ".join(parts)


def build_calendar(schedule: Schedule, festival_name: str, key: str, *, stamp: dt.datetime | None = None) -> Calendar:
    """The calendar of every screening; `stamp` (UTC, default now) becomes DTSTAMP."""
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    festival = schedule.festival
    zone = festival.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", festival_name)
    calendar.add("x-wr-timezone", festival.time_zone)
    if schedule.screenings:
        first = min(s.start for s in schedule.screenings).date() - dt.timedelta(days=1)
        last = max(s.start for s in schedule.screenings).date() + dt.timedelta(days=2)
        calendar.add_component(Timezone.from_tzid(festival.time_zone, first_date=first, last_date=last))
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    for screening in sorted(schedule.screenings, key=lambda s: (s.start, s.screen_id, s.id)):
        event = Event()
        event.add("uid", screening_uid(screening.id, key))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", screening.start.astimezone(zone))
        event.add("dtend", schedule.show_end_of(screening).astimezone(zone))
        title = schedule.title_of(screening)
        if screening.kind != "public":
            title = f"{title} ({screening.kind} screening)"
        event.add("summary", title)
        event.add("location", _location(schedule, screening))
        event.add("description", _description(schedule, screening))
        event.add("categories", [screening.kind])
        calendar.add_component(event)
    return calendar


def write_ics(schedule: Schedule, path: Path, festival_name: str, key: str, *, stamp: dt.datetime | None = None) -> int:
    """Write the calendar to `path`; returns the number of events."""
    calendar = build_calendar(schedule, festival_name, key, stamp=stamp)
    write_file(Path(path), calendar.to_ical())
    return len(schedule.screenings)
