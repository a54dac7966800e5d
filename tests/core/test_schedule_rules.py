"""Conflict rules of the timetable: one planted case per rule, clean schedules that raise nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from festival_desk.core.errors import UserError
from festival_desk.core.schedule import (
    RULES,
    Festival,
    Film,
    Guest,
    Schedule,
    ScheduleChecker,
    Screen,
    Screening,
    ScreeningItem,
    check_schedule,
    local_datetime,
    moved,
    parse_local_datetime,
    screening_end,
)

ZONE = "Europe/Ljubljana"
FESTIVAL = Festival(first_day=dt.date(2025, 3, 13), last_day=dt.date(2025, 3, 16), time_zone=ZONE)
SCREENS = {
    1: Screen(1, "Big Hall", venue_id=10, venue_name="Kinodvor", capacity=400),
    2: Screen(2, "Small Hall", venue_id=10, venue_name="Kinodvor", capacity=90),
    3: Screen(3, "Dvorana", venue_id=20, venue_name="Kino Šiška", capacity=200,
              opens=dt.time(10, 0), closes=dt.time(1, 0)),
}
FILMS = {
    1: Film(1, "River of Salt", 90, "selected"),
    2: Film(2, "Ёлка у моря", 75, "confirmed"),
    3: Film(3, "Short One", 12, "selected"),
    4: Film(4, "Short Two", 18, "selected"),
    5: Film(5, "Kovač & <Sons>", 100, "selected", premiere="World premiere"),
}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(dt.datetime(2025, 3, day, hour, minute), ZONE)


def show(sid: int, screen: int, start: dt.datetime, *films: int, **extra) -> Screening:
    items = tuple(ScreeningItem(f, FILMS[f].runtime_minutes if f in FILMS else 60) for f in films)
    return Screening(sid, screen, start, items, **extra)


def clean_screenings() -> list[Screening]:
    ana = Guest(7, "Ana Kovač")
    return [
        show(1, 1, at(13, 18), 1, qa_minutes=30, guests=(ana,)),  # ends 20:00, free 20:15
        show(2, 1, at(13, 20, 15), 2),  # exactly after the changeover
        show(3, 2, at(13, 18), 3, 4, intro_minutes=10),
        show(4, 3, at(13, 21), 5, premiere="World premiere", guests=(ana,)),  # 60 min > 30 travel
        show(5, 3, at(16, 23, 30), 1),  # last day, runs past midnight, screen open until 01:00
        show(6, 2, at(13, 10), 2, kind="press"),
        show(7, 1, at(15, 16), 2),
        show(8, 2, at(15, 12), 3, 4),
        show(9, 1, at(16, 12), 5),
    ]


def schedule_of(screenings, films=None, festival=FESTIVAL) -> Schedule:
    return Schedule(festival, SCREENS, dict(films or FILMS), screenings)


def rules_of(schedule: Schedule) -> list[str]:
    return [f.rule for f in check_schedule(schedule)]


def test_clean_schedule_raises_nothing():
    assert check_schedule(schedule_of(clean_screenings())) == []


def test_derived_end_is_content_plus_changeover():
    screening = clean_screenings()[0]
    assert screening_end(screening, 15) == at(13, 20, 15)


def only(schedule: Schedule) -> list:
    return check_schedule(schedule)


def test_overlap_on_one_screen():
    screenings = clean_screenings()
    screenings[1] = replace(screenings[1], start=at(13, 19, 40))
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "screen_overlap" and finding.severity == "error"
    assert finding.screening_ids == (1, 2) and set(finding.film_ids) == {1, 2}
    assert "Big Hall" in finding.message and "River of Salt" in finding.message
    assert "overlap by 20 minutes" in finding.message


def test_gap_shorter_than_changeover_is_a_conflict_and_the_buffer_is_configurable():
    screenings = clean_screenings()
    screenings[1] = replace(screenings[1], start=at(13, 20, 5))
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "screen_overlap"
    assert "only 5 minutes" in finding.message and "15 minutes" in finding.message
    relaxed = replace(FESTIVAL, changeover_minutes=5)
    assert check_schedule(schedule_of(screenings, festival=relaxed)) == []


def test_hand_set_end_that_leaves_no_changeover_still_conflicts():
    screenings = clean_screenings()
    screenings[0] = replace(screenings[0], end=at(13, 20))
    screenings[1] = replace(screenings[1], start=at(13, 20))
    assert rules_of(schedule_of(screenings)) == ["screen_overlap"]


def test_content_does_not_fit_a_hand_set_slot():
    screenings = clean_screenings()
    screenings[0] = replace(screenings[0], end=at(13, 19, 30))  # needs 120 minutes
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "content_exceeds_slot" and finding.screening_ids == (1,)
    assert "120 minutes" in finding.message and "19:30" in finding.message


@pytest.mark.parametrize("status", ["submitted", "shortlisted", "declined", "withdrawn"])
def test_film_not_selected_is_scheduled(status):
    films = dict(FILMS)
    films[2] = replace(films[2], status=status)
    found = only(schedule_of(clean_screenings(), films))
    assert [f.rule for f in found] == ["film_not_programmed"]
    assert found[0].film_ids == (2,) and set(found[0].screening_ids) == {2, 6, 7}
    assert "Ёлка у моря" in found[0].message


def test_guest_in_two_overlapping_screenings():
    screenings = clean_screenings()
    screenings[2] = replace(screenings[2], guests=(Guest(7, "Ana Kovač"),))
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "guest_double_booked" and finding.screening_ids == (1, 3)
    assert "Ana Kovač" in finding.message


def test_guest_cannot_travel_between_venues_in_time():
    screenings = clean_screenings()
    screenings[3] = replace(screenings[3], start=at(13, 20, 20))  # Q&A ends 20:00, other venue
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "guest_travel"
    assert "20 minutes" in finding.message and "30 minutes" in finding.message
    # The same gap within one venue is fine.
    same_venue = replace(screenings[3], screen_id=2, premiere=None)
    screenings[3] = same_venue
    assert "guest_travel" not in rules_of(schedule_of(screenings))


def test_world_premiere_that_is_not_the_first_public_screening():
    screenings = clean_screenings()
    screenings[8] = replace(screenings[8], start=at(13, 12))  # film 5 now screens before its premiere
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "premiere_not_first" and finding.screening_ids == (9, 4)
    assert "world premiere" in finding.message


def test_premiere_film_first_shown_to_industry():
    screenings = clean_screenings()
    screenings.append(show(10, 2, at(13, 14), 5, kind="industry"))
    assert rules_of(schedule_of(screenings)) == ["premiere_not_first"]


def test_press_screening_after_the_first_public_one_is_a_warning():
    screenings = clean_screenings()
    screenings[5] = replace(screenings[5], start=at(16, 10))
    [finding] = only(schedule_of(screenings))
    assert (finding.rule, finding.severity) == ("press_after_public", "warning")
    assert finding.screening_ids == (2, 6)


def test_selected_film_without_screening_and_with_too_few():
    films = dict(FILMS)
    films[6] = Film(6, "Unscheduled", 80, "confirmed")
    found = only(schedule_of(clean_screenings(), films))
    assert [(f.rule, f.severity, f.film_ids) for f in found] == [("film_unscheduled", "warning", (6,))]
    # Every other film screens at least twice, so asking for two adds nothing but the missing one.
    strict = replace(FESTIVAL, min_screenings=2)
    found = only(schedule_of(clean_screenings(), films, strict))
    assert [(f.rule, f.film_ids) for f in found] == [("film_unscheduled", (6,))]


def test_minimum_screenings_is_configurable():
    screenings = [s for s in clean_screenings() if s.id != 9]  # film 5 keeps one screening
    strict = replace(FESTIVAL, min_screenings=2)
    found = only(schedule_of(screenings, festival=strict))
    assert [(f.rule, f.film_ids) for f in found] == [("film_too_few_screenings", (5,))]
    assert "at least 2" in found[0].message


def test_outside_festival_days_and_midnight_belongs_to_the_evening_before():
    screenings = clean_screenings()
    screenings.append(show(11, 2, at(17, 0, 30), 3))  # after midnight of the last day: still day 16
    assert check_schedule(schedule_of(screenings)) == []
    screenings.append(show(12, 2, at(17, 14), 3))
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "outside_festival_days" and finding.screening_ids == (12,)
    screenings[-1] = show(12, 2, at(12, 20), 3)
    assert rules_of(schedule_of(screenings)) == ["outside_festival_days"]


def test_outside_opening_hours_across_midnight():
    screenings = clean_screenings()
    screenings[4] = replace(screenings[4], start=at(16, 23, 45))  # 90 min: ends 01:15, closes 01:00
    [finding] = only(schedule_of(screenings))
    assert finding.rule == "outside_opening_hours" and "01:15" in finding.message
    screenings[4] = replace(screenings[4], start=at(16, 9, 0))
    assert rules_of(schedule_of(screenings)) == ["outside_opening_hours"]


def test_every_rule_has_a_planted_case_here():
    tested = {"screen_overlap", "content_exceeds_slot", "film_not_programmed", "guest_double_booked",
              "guest_travel", "premiere_not_first", "press_after_public", "film_unscheduled",
              "film_too_few_screenings", "outside_festival_days", "outside_opening_hours"}
    assert tested == set(RULES)


def test_dst_nonexistent_and_ambiguous_local_times_are_refused():
    with pytest.raises(UserError, match="does not exist"):
        parse_local_datetime("2025-03-30T02:30", ZONE)
    with pytest.raises(UserError, match="happens twice"):
        parse_local_datetime("2025-10-26T02:30", ZONE, "start")
    explicit = parse_local_datetime("2025-10-26T02:30+01:00", ZONE)
    assert explicit.utcoffset() == dt.timedelta(hours=1)
    assert parse_local_datetime("2025-03-30T03:30", ZONE).utcoffset() == dt.timedelta(hours=2)
    with pytest.raises(UserError, match="start"):
        parse_local_datetime("tomorrow", ZONE)
    with pytest.raises(UserError, match="time zone"):
        local_datetime(dt.datetime(2025, 1, 1), "Mars/Olympus")


def test_overlap_counts_real_minutes_across_a_dst_change():
    festival = Festival(dt.date(2025, 3, 29), dt.date(2025, 3, 30), ZONE)
    first = show(1, 1, local_datetime(dt.datetime(2025, 3, 30, 1, 0), ZONE), 1)  # 90 min + 15
    second = show(2, 1, local_datetime(dt.datetime(2025, 3, 30, 3, 30), ZONE), 2)  # 01:45 real later
    found = check_schedule(Schedule(festival, SCREENS, dict(FILMS), [first, second]))
    assert [f.rule for f in found if f.rule == "screen_overlap"] == ["screen_overlap"]


def random_schedule(count: int, seed: int) -> Schedule:
    rng = random.Random(seed)
    films = {i: Film(i, f"Film {i}", rng.choice([12, 45, 80, 95, 120]),
                     rng.choice(["selected", "confirmed", "confirmed", "shortlisted"]),
                     rng.choice([None, None, "World premiere"])) for i in range(1, count // 2)}
    screens = {i: Screen(i, f"Screen {i}", venue_id=i // 3, venue_name=f"Venue {i // 3}",
                         opens=dt.time(10), closes=dt.time(0, 30)) for i in range(1, 17)}
    guests = [Guest(g, f"Guest {g}") for g in range(40)]
    screenings = []
    for sid in range(1, count + 1):
        day = rng.randint(12, 17)
        start = at(day, rng.randint(9, 23), rng.choice([0, 15, 30, 45]))
        film_ids = rng.sample(sorted(films), rng.choice([1, 1, 1, 3]))
        screenings.append(Screening(
            sid, rng.randint(1, 16), start, tuple(ScreeningItem(f, films[f].runtime_minutes) for f in film_ids),
            end=rng.choice([None] * 4 + [start + dt.timedelta(minutes=100)]),
            qa_minutes=rng.choice([0, 20]), kind=rng.choice(["public"] * 5 + ["press", "industry"]),
            premiere=rng.choice([None] * 5 + ["World premiere"]),
            guests=tuple(rng.sample(guests, rng.choice([0, 0, 1, 2])))))
    return Schedule(replace(FESTIVAL, min_screenings=2), screens, films, screenings)


def test_incremental_checker_agrees_with_a_full_check_after_random_moves():
    schedule = random_schedule(300, seed=4)
    checker = ScheduleChecker(schedule)
    assert {f.rule for f in checker.findings()} == set(RULES)  # the random schedule trips every rule
    rng = random.Random(9)
    current = {s.id: s for s in schedule.screenings}
    for step in range(150):
        sid = rng.choice(sorted(current))
        if step % 25 == 0:
            checker.remove(sid)
            del current[sid]
            continue
        new = moved(current[sid], screen_id=rng.randint(1, 16),
                    start=at(rng.randint(12, 17), rng.randint(9, 23), 5 * rng.randint(0, 11)))
        current[sid] = new
        checker.put(new)
    fresh = ScheduleChecker(replace(schedule, screenings=list(current.values())))
    assert set(checker.findings()) == set(fresh.findings())
    assert len(checker.findings()) == len(fresh.findings())


def test_moved_keeps_a_hand_set_length():
    screening = show(1, 1, at(13, 18), 1, end=at(13, 20))
    later = moved(screening, start=at(13, 19))
    assert later.end == at(13, 21)
    assert moved(screening, end=at(13, 22)).end == at(13, 22)
