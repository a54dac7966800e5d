"""Benchmark of the schedule conflict check: the full check of 1,500 screenings (target < 50 ms) and
the re-check after moving one screening (target < 5 ms).

Baseline, run in the same process so the ratio does not depend on the machine: one pass that only
computes every screening's end (the least any check must do). Run:
    /work/venv/bin/python tests/benchmarks/bench_schedule.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from festival_desk.core.schedule import (
    Festival,
    Film,
    Guest,
    Schedule,
    ScheduleChecker,
    Screen,
    Screening,
    ScreeningItem,
    local_datetime,
    moved,
    screening_end,
)

ZONE = "Europe/Berlin"


def build(count: int = 1500, seed: int = 1) -> Schedule:
    """A Berlinale-sized festival: 11 days, 40 screens, 750 films screening twice, guests on a third of
    the screenings; screenings follow each other on each screen with some 5-minute jitter, so that a
    realistic few dozen conflicts appear, as in a timetable being worked on."""
    rng = random.Random(seed)
    festival = Festival(dt.date(2025, 2, 13), dt.date(2025, 2, 23), ZONE, min_screenings=2)
    screens = {i: Screen(i, f"Screen {i}", venue_id=i // 4, venue_name=f"Venue {i // 4}",
                         opens=dt.time(9), closes=dt.time(1)) for i in range(1, 41)}
    films = {i: Film(i, f"Film {i}", rng.choice([15, 52, 75, 90, 110, 140]), "selected",
                     rng.choice([None, None, "World premiere", "International premiere"]))
             for i in range(1, count // 2 + 1)}
    guests = [Guest(g, f"Guest {g}") for g in range(600)]
    film_queue = [f for f in films for _ in range(2)]
    rng.shuffle(film_queue)
    screenings = []
    sid = 0
    while sid < count:
        for screen_id in screens:
            for day in range(13, 24):
                clock = local_datetime(dt.datetime(2025, 2, day, 10), ZONE)
                last_start = local_datetime(dt.datetime(2025, 2, day, 22), ZONE)
                while sid < count and clock < last_start:
                    sid += 1
                    film_id = film_queue[(sid - 1) % len(film_queue)]
                    screening = Screening(
                        sid, screen_id, clock, (ScreeningItem(film_id, films[film_id].runtime_minutes),),
                        qa_minutes=rng.choice([0, 0, 20, 30]),
                        kind=rng.choice(["public"] * 12 + ["press"]),
                        guests=tuple(rng.sample(guests, rng.choice([0, 0, 1]))))
                    screenings.append(screening)
                    clock = screening_end(screening, 15) + dt.timedelta(minutes=5 * (-1 if rng.random() < 0.03 else rng.choice([0, 1, 2, 3])))
                if sid >= count:
                    break
            if sid >= count:
                break
    return Schedule(festival, screens, films, screenings)


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    schedule = build()
    baseline = median_ms(lambda: [screening_end(s, 15) for s in schedule.screenings], 21)
    full = median_ms(lambda: ScheduleChecker(schedule).findings(), 11)
    checker = ScheduleChecker(schedule)
    rng = random.Random(2)
    by_id = {s.id: s for s in schedule.screenings}

    def move_one() -> None:
        sid = rng.randint(1, len(by_id))
        new = moved(by_id[sid], screen_id=rng.randint(1, 40),
                    start=by_id[sid].start + dt.timedelta(minutes=5 * rng.randint(-24, 24)))
        by_id[sid] = new
        checker.put(new)
        checker.findings()  # what the grid redraws from

    incremental = median_ms(move_one, 201)
    findings = len(checker.findings())
    print(f"screenings: {len(schedule.screenings)}, findings: {findings}")
    print(f"baseline (compute every end):   {baseline:7.2f} ms median")
    print(f"full check:                     {full:7.2f} ms median  ({full / baseline:5.1f}x baseline; target < 50 ms)")
    print(f"re-check + list after a move:    {incremental:7.3f} ms median  "
          f"({incremental / baseline:5.2f}x baseline; target < 5 ms)")


if __name__ == "__main__":
    main()
