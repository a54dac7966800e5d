"""Scheduling actions on a real database file: validation, one transaction, undo/redo, the loader."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from festival_desk.actions import schedule as actions
from festival_desk.core.errors import UserError
from festival_desk.store import models as m

ZONE = "Europe/Ljubljana"


@pytest.fixture
def festival_db(empty_db):
    """A festival 13–16 March 2025 in Ljubljana, a venue with two screens, five films, two people."""
    with empty_db.transaction() as session:
        session.add(m.Festival(name="Test Docs", starts_on=dt.date(2025, 3, 13), ends_on=dt.date(2025, 3, 16),
                               timezone=ZONE, changeover_minutes=15, min_screenings=1))
        for fid, (title, runtime, status) in enumerate(
                [("River of Salt", 90, "selected"), ("Ёлка у моря", 75, "confirmed"), ("Short One", 12, "selected"),
                 ("Short Two", 18, "selected"), ("Not Yet", 80, "shortlisted")], start=1):
            session.add(m.Film(id=fid, title=title, sort_title=title, sort_key=title.lower(),
                               runtime_minutes=runtime, status=status))
        session.add(m.Person(id=1, name="Ana Kovač", name_key="ana kovac"))
        session.add(m.Person(id=2, name="Jon Doe", name_key="jon doe"))
    venue_id = actions.add_venue(empty_db, "Kinodvor", "Kolodvorska 13").details["venue_id"]
    actions.add_screen(empty_db, venue_id, "Big Hall", 400)
    actions.add_screen(empty_db, venue_id, "Small Hall", 90, "10:00", "01:00")
    return empty_db


def screens(database) -> dict[str, int]:
    return {s["name"]: s["id"] for v in actions.list_venues(database) for s in v["screens"]}


def test_add_screening_derives_the_end_and_lists_it(festival_db):
    big = screens(festival_db)["Big Hall"]
    change = actions.add_screening(festival_db, big, "2025-03-13T18:00", [1], qa_minutes=30, guest_ids=[1])
    sid = change.details["screening_id"]
    assert change.screenings == {sid} and change.films == {1}
    [row] = actions.list_screenings(festival_db)
    assert row["id"] == sid and row["screen_id"] == big and row["film_ids"] == [1]
    assert row["start"] == "2025-03-13T18:00:00"
    assert row["end"] == "2025-03-13T20:15:00"  # 90 + 30 Q&A + 15 changeover
    assert row["guests"] == ["Ana Kovač"] and row["kind"] == "public"
    found = actions.check(festival_db)
    assert {(f.rule, f.film_ids) for f in found} == {("film_unscheduled", (2,)), ("film_unscheduled", (3,)),
                                                      ("film_unscheduled", (4,))}


@pytest.mark.parametrize("kwargs, field", [
    ({"screen_id": 999}, "screen"),
    ({"film_ids": [1, 999]}, "film"),
    ({"film_ids": []}, "film"),
    ({"start": "2025-03-30T02:30"}, "does not exist"),
    ({"start": "2025-10-26T02:30"}, "happens twice"),
    ({"start": "2025-10-26T02:30+01:00"}, "happens twice"),
    ({"end": "2025-03-13T17:00"}, "end"),
    ({"kind": "gala"}, "kind"),
    ({"premiere": "galactic"}, "premiere"),
    ({"qa_minutes": -5}, "qa"),
    ({"guest_ids": [77]}, "guest"),
])
def test_bad_input_is_refused_and_nothing_is_written(festival_db, kwargs, field):
    arguments = {"screen_id": screens(festival_db)["Big Hall"], "start": "2025-03-13T18:00", "film_ids": [1]}
    arguments.update({k: v for k, v in kwargs.items() if k in arguments})
    extra = {k: v for k, v in kwargs.items() if k not in arguments}
    with pytest.raises(UserError, match=field):
        actions.add_screening(festival_db, arguments["screen_id"], arguments["start"], arguments["film_ids"], **extra)
    with festival_db.reading() as session:
        assert session.exec(select(m.Screening)).all() == []
        assert session.exec(select(m.ScreeningItem)).all() == []


def test_move_resize_and_undo_redo(festival_db):
    hall = screens(festival_db)
    sid = actions.add_screening(festival_db, hall["Big Hall"], "2025-03-13T18:00", [1]).details["screening_id"]
    moved = actions.move_screening(festival_db, sid, start="2025-03-14T20:00", screen_id=hall["Small Hall"])
    [row] = actions.list_screenings(festival_db)
    assert (row["screen_id"], row["start"], row["end"]) == (hall["Small Hall"], "2025-03-14T20:00:00",
                                                            "2025-03-14T21:45:00")
    undone = moved.undo(festival_db)
    [row] = actions.list_screenings(festival_db)
    assert (row["screen_id"], row["start"]) == (hall["Big Hall"], "2025-03-13T18:00:00")
    undone.undo(festival_db)  # redo
    assert actions.list_screenings(festival_db)[0]["start"] == "2025-03-14T20:00:00"

    resized = actions.resize_screening(festival_db, sid, "2025-03-14T21:00")
    [row] = actions.list_screenings(festival_db)
    assert row["end"] == "2025-03-14T21:00:00" and row["end_is_manual"]
    assert "content_exceeds_slot" in {f.rule for f in actions.check(festival_db)}
    # A hand-set slot keeps its length when moved.
    actions.move_screening(festival_db, sid, start="2025-03-14T19:00")
    assert actions.list_screenings(festival_db)[0]["end"] == "2025-03-14T20:00:00"
    with pytest.raises(UserError, match="end"):
        actions.resize_screening(festival_db, sid, "2025-03-14T18:00")
    resized.undo  # still callable later
    actions.resize_screening(festival_db, sid, None)
    assert actions.list_screenings(festival_db)[0]["end"] == "2025-03-14T20:45:00"


def test_shorts_programme_add_remove_reorder(festival_db):
    hall = screens(festival_db)["Small Hall"]
    sid = actions.add_screening(festival_db, hall, "2025-03-13T14:00", [3], intro_minutes=5,
                                title="Shorts <1> & more").details["screening_id"]
    actions.add_film_to_screening(festival_db, sid, 4)
    assert actions.list_screenings(festival_db)[0]["film_ids"] == [3, 4]
    assert actions.list_screenings(festival_db)[0]["end"] == "2025-03-13T14:50:00"  # 5 + 12 + 18 + 15
    change = actions.reorder_screening_films(festival_db, sid, [4, 3])
    assert actions.list_screenings(festival_db)[0]["film_ids"] == [4, 3]
    change.undo(festival_db)
    assert actions.list_screenings(festival_db)[0]["film_ids"] == [3, 4]
    with pytest.raises(UserError, match="already"):
        actions.add_film_to_screening(festival_db, sid, 3)
    with pytest.raises(UserError, match="exactly"):
        actions.reorder_screening_films(festival_db, sid, [3, 1])
    removal = actions.remove_film_from_screening(festival_db, sid, 3)
    assert actions.list_screenings(festival_db)[0]["film_ids"] == [4]
    with pytest.raises(UserError, match="only film"):
        actions.remove_film_from_screening(festival_db, sid, 4)
    removal.undo(festival_db)
    assert actions.list_screenings(festival_db)[0]["film_ids"] == [3, 4]


def test_delete_screening_undo_restores_the_same_id_films_and_guests(festival_db):
    hall = screens(festival_db)["Big Hall"]
    sid = actions.add_screening(festival_db, hall, "2025-03-13T18:00", [3, 4], guest_ids=[1, 2],
                                premiere="World premiere").details["screening_id"]
    before = actions.list_screenings(festival_db)
    deletion = actions.delete_screening(festival_db, sid)
    assert actions.list_screenings(festival_db) == []
    deletion.undo(festival_db)
    assert actions.list_screenings(festival_db) == before
    assert before[0]["premiere"] == "world"


def test_check_reports_planted_conflicts_from_the_database(festival_db):
    hall = screens(festival_db)
    actions.add_screening(festival_db, hall["Big Hall"], "2025-03-13T18:00", [1], guest_ids=[1])
    actions.add_screening(festival_db, hall["Big Hall"], "2025-03-13T19:00", [2])
    actions.add_screening(festival_db, hall["Small Hall"], "2025-03-13T18:30", [5], guest_ids=[1])
    actions.add_screening(festival_db, hall["Small Hall"], "2025-03-20T18:30", [3, 4])
    rules = sorted(f.rule for f in actions.check(festival_db) if f.rule != "film_unscheduled")
    assert rules == ["film_not_programmed", "guest_double_booked", "outside_festival_days", "screen_overlap"]


def test_list_by_festival_day_counts_midnight_as_the_evening_before(festival_db):
    hall = screens(festival_db)["Small Hall"]
    actions.add_screening(festival_db, hall, "2025-03-13T23:30", [3])
    actions.add_screening(festival_db, hall, "2025-03-14T00:30", [4])
    actions.add_screening(festival_db, hall, "2025-03-14T12:00", [1])
    assert [r["film_ids"] for r in actions.list_screenings(festival_db, "2025-03-13")] == [[3], [4]]
    assert [r["film_ids"] for r in actions.list_screenings(festival_db, dt.date(2025, 3, 14))] == [[1]]
    with pytest.raises(UserError, match="day"):
        actions.list_screenings(festival_db, "13/03")


def test_venues_and_screens_crud_with_undo(festival_db):
    venue_id = actions.add_venue(festival_db, "Kino Šiška", "Trg prekomorskih brigad 3").details["venue_id"]
    with pytest.raises(UserError, match="already a venue"):
        actions.add_venue(festival_db, "kino siska")
    added = actions.add_screen(festival_db, venue_id, "Dvorana", 200)
    screen_id = added.details["screen_id"]
    with pytest.raises(UserError, match="opens/closes"):
        actions.add_screen(festival_db, venue_id, "Foyer", 20, "10:00")
    edit = actions.update_screen(festival_db, screen_id, capacity=180, opens_at="11:00", closes_at="23:00")
    listed = {v["name"]: v for v in actions.list_venues(festival_db)}
    assert listed["Kino Šiška"]["screens"] == [
        {"id": screen_id, "name": "Dvorana", "capacity": 180, "opens": "11:00", "closes": "23:00"}]
    edit.undo(festival_db)
    assert {v["name"]: v for v in actions.list_venues(festival_db)}["Kino Šiška"]["screens"][0]["capacity"] == 200
    sid = actions.add_screening(festival_db, screen_id, "2025-03-13T18:00", [1]).details["screening_id"]
    with pytest.raises(UserError, match="screening"):
        actions.delete_venue(festival_db, venue_id)
    actions.delete_screening(festival_db, sid)
    deletion = actions.delete_venue(festival_db, venue_id)
    assert "Kino Šiška" not in {v["name"] for v in actions.list_venues(festival_db)}
    deletion.undo(festival_db)
    restored = {v["name"]: v for v in actions.list_venues(festival_db)}["Kino Šiška"]
    assert restored["id"] == venue_id and restored["screens"][0]["id"] == screen_id
    assert restored["address"] == "Trg prekomorskih brigad 3"


def test_loader_gives_core_values_in_the_festival_zone(festival_db):
    hall = screens(festival_db)["Small Hall"]
    actions.add_screening(festival_db, hall, "2025-03-13T18:00", [1], end="2025-03-13T20:00", guest_ids=[2])
    schedule = actions.read_schedule(festival_db)
    [screening] = schedule.screenings
    assert screening.start.utcoffset() == dt.timedelta(hours=1)
    assert screening.end.hour == 20 and screening.guests[0].name == "Jon Doe"
    assert schedule.screens[hall].opens == dt.time(10) and schedule.screens[hall].venue_name == "Kinodvor"
    assert schedule.festival.time_zone == ZONE and schedule.festival.first_day == dt.date(2025, 3, 13)
    assert set(schedule.films) == {1, 2, 3, 4}  # programmed or scheduled; the shortlisted film is neither
