"""Travel times between venues feed the guest-travel rule of the schedule check."""

import datetime as dt

import pytest

from festival_desk.actions import schedule
from festival_desk.core.errors import UserError
from festival_desk.store import models as m


def _two_venues_and_a_guest_rushing_between(database) -> tuple[int, int]:
    with database.transaction() as session:
        session.add(m.Festival(name="Test Days", starts_on=dt.date(2027, 4, 14), ends_on=dt.date(2027, 4, 18),
                               timezone="Europe/Ljubljana"))
        films = [m.Film(title=t, sort_title=t, sort_key=t.lower(), runtime_minutes=60, status="selected")
                 for t in ("North", "South")]
        session.add_all(films)
        session.flush()
        film_ids = [f.id for f in films]
    a = schedule.add_venue(database, "Kino Šiška").details["venue_id"]
    b = schedule.add_venue(database, "Harbour Hall").details["venue_id"]
    screen_a = schedule.add_screen(database, a, "Main").details["screen_id"]
    screen_b = schedule.add_screen(database, b, "One").details["screen_id"]
    # The first screening's audience leaves at 11:00; the guest's next one starts at 11:40.
    schedule.add_screening(database, screen_a, dt.datetime(2027, 4, 15, 10), [film_ids[0]], guest_names=["Ana Novak"])
    schedule.add_screening(database, screen_b, dt.datetime(2027, 4, 15, 11, 40), [film_ids[1]], guest_names=["Ana Novak"])
    return a, b


def travel_findings(database):
    return [f for f in schedule.check(database) if f.rule == "guest_travel"]


def test_a_longer_travel_time_between_two_venues_raises_the_guest_rule_and_undo_clears_it(empty_db) -> None:
    a, b = _two_venues_and_a_guest_rushing_between(empty_db)
    assert travel_findings(empty_db) == []  # 40 minutes are enough against the 30-minute default
    change = schedule.set_travel_time(empty_db, b, a, 50)
    findings = travel_findings(empty_db)
    assert len(findings) == 1 and "50 minutes" in findings[0].message
    change.undo(empty_db)
    assert travel_findings(empty_db) == []


def test_travel_time_is_refused_for_one_venue_or_negative_minutes(empty_db) -> None:
    a, b = _two_venues_and_a_guest_rushing_between(empty_db)
    with pytest.raises(UserError, match="two different venues"):
        schedule.set_travel_time(empty_db, a, a, 10)
    with pytest.raises(UserError, match="cannot be negative"):
        schedule.set_travel_time(empty_db, a, b, -5)
