"""The iCalendar export read back with the icalendar library: zone, stable UIDs, fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import icalendar

from festival_desk.core.schedule import (Festival, Film, Guest, Schedule, Screen, Screening, ScreeningItem, Venue,
                                         local_datetime)
from festival_desk.exporters.calendar import festival_key, write_ics

ZONE = "Europe/Ljubljana"


def sample() -> Schedule:
    def at(day, hour, minute=0):
        return local_datetime(dt.datetime(2025, 3, day, hour, minute), ZONE)

    films = {1: Film(1, "Kovač & <Sons>", 90, "selected"), 2: Film(2, "Ёлка", 12, "selected"),
             3: Film(3, "Short, Two; Three", 18, "selected")}
    return Schedule(
        Festival(dt.date(2025, 3, 28), dt.date(2025, 3, 31), ZONE),
        {1: Screen(1, "Big Hall", 1, "Kinodvor", 400)}, films,
        [Screening(10, 1, at(29, 18), (ScreeningItem(1, 90),), qa_minutes=30, guests=(Guest(1, "Ana Kovač"),),
                   premiere="world"),
         Screening(11, 1, at(30, 20), (ScreeningItem(2, 12), ScreeningItem(3, 18)), intro_minutes=5,
                   title="Shorts 1", kind="press")],
        {1: Venue(1, "Kinodvor", "Kolodvorska 13")})


def read(path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_events_carry_times_in_the_festival_zone_and_the_zone_itself(tmp_path):
    path = tmp_path / "festival.ics"
    assert write_ics(sample(), path, "Test Docs 2025", festival_key("Test Docs", "2025")) == 2
    calendar = read(path)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == ZONE
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    first = events["screening-10@test-docs-2025.festival-desk"]
    start = first.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=1) and (start.hour, start.minute) == (18, 0)
    assert first["DTSTART"].params["TZID"] == ZONE
    assert first.decoded("DTEND") - start == dt.timedelta(minutes=120)  # film + Q&A, no changeover
    assert str(first["SUMMARY"]) == "Kovač & <Sons>"
    assert str(first["LOCATION"]) == "Kinodvor, Big Hall, Kolodvorska 13"
    assert "Ana Kovač" in str(first["DESCRIPTION"]) and "Q&A: 30 min" in str(first["DESCRIPTION"])
    assert isinstance(first.decoded("DTSTAMP"), dt.datetime)
    shorts = events["screening-11@test-docs-2025.festival-desk"]
    # After the spring-forward night: summer time.
    assert shorts.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
    assert str(shorts["SUMMARY"]) == "Shorts 1 (press screening)"
    description = str(shorts["DESCRIPTION"])
    assert description.index("Ёлка") < description.index("Short, Two; Three")


def test_a_second_export_updates_the_same_events(tmp_path):
    schedule = sample()
    key = festival_key("Test Docs", "2025")
    write_ics(schedule, tmp_path / "a.ics", "Test Docs", key, stamp=dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc))
    moved = replace(schedule, screenings=[replace(schedule.screenings[0],
                                                  start=schedule.screenings[0].start + dt.timedelta(hours=1)),
                                          schedule.screenings[1]])
    write_ics(moved, tmp_path / "b.ics", "Test Docs", key, stamp=dt.datetime(2025, 3, 2, tzinfo=dt.timezone.utc))
    before = {str(e["UID"]): e for e in read(tmp_path / "a.ics").walk("VEVENT")}
    after = {str(e["UID"]): e for e in read(tmp_path / "b.ics").walk("VEVENT")}
    assert set(before) == set(after)
    uid = "screening-10@test-docs-2025.festival-desk"
    assert after[uid].decoded("DTSTART").hour == 19 and before[uid].decoded("DTSTART").hour == 18
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    # Another festival's export never collides with these events.
    assert festival_key("Other Fest", "2025") != key
