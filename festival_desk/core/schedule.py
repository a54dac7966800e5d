"""The festival timetable as plain values, and the conflict rules that explain themselves.

Times are timezone-aware datetimes; a local time typed by a user becomes one through `local_datetime`,
which refuses a time that does not exist or is ambiguous on a daylight-saving change.

A screening's `end` is either set by hand or follows from its content plus the changeover buffer:
`start + intro + runtimes + Q&A + changeover`. Two screenings on one screen conflict when the second
starts before the first has ended *and* been changed over (a hand-set end that leaves no changeover
still counts the buffer).

A festival day runs from `Festival.day_rollover` (06:00) to the same hour next morning, so a midnight
screening belongs to the evening before: it is in the festival when that evening is.

`ScheduleChecker` keeps the findings of a whole schedule and, after one screening changes, re-checks
only what that screening can affect: its screen, its guests and its films.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from festival_desk.core.errors import UserError
from festival_desk.core.workflow import PROGRAMMED_STATUSES

ERROR = "error"
WARNING = "warning"

KINDS: tuple[str, ...] = ("public", "press", "industry", "school")

DEFAULT_CHANGEOVER_MINUTES = 15
DEFAULT_TRAVEL_MINUTES = 30

# Every rule the checker knows, with its severity. Keys are the `rule` of a Finding.
RULES: dict[str, str] = {
    "screen_overlap": ERROR,
    "content_exceeds_slot": ERROR,
    "film_not_programmed": ERROR,
    "guest_double_booked": ERROR,
    "guest_travel": ERROR,
    "premiere_not_first": ERROR,
    "press_after_public": WARNING,
    "film_unscheduled": WARNING,
    "film_too_few_screenings": WARNING,
    "outside_festival_days": ERROR,
    "outside_opening_hours": ERROR,
}


# ---------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class Venue:
    id: int
    name: str
    address: str = ""
    accessibility: str = ""


@dataclass(frozen=True)
class Screen:
    """A room. `opens`/`closes` are local times of day; a `closes` at or before `opens` is after
    midnight. Without them the screen is open all day."""

    id: int
    name: str
    venue_id: int
    venue_name: str = ""
    capacity: int | None = None
    opens: dt.time | None = None
    closes: dt.time | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.venue_name})" if self.venue_name else self.name


@dataclass(frozen=True)
class Film:
    id: int
    title: str
    runtime_minutes: int
    status: str
    premiere: str | None = None


@dataclass(frozen=True)
class ScreeningItem:
    film_id: int
    runtime_minutes: int


@dataclass(frozen=True)
class Guest:
    """A person attending a screening. `key` identifies the person across screenings (a person id,
    or the folded name when there is none)."""

    key: Hashable
    name: str


@dataclass(frozen=True)
class Screening:
    id: int
    screen_id: int
    start: dt.datetime
    items: tuple[ScreeningItem, ...] = ()
    end: dt.datetime | None = None
    intro_minutes: int = 0
    qa_minutes: int = 0
    kind: str = "public"
    premiere: str | None = None
    guests: tuple[Guest, ...] = ()
    title: str | None = None  # a shorts programme's name
    notes: str = ""

    @property
    def content_minutes(self) -> int:
        """Intro + every film + Q&A: the time the audience is in the room."""
        return self.intro_minutes + sum(item.runtime_minutes for item in self.items) + self.qa_minutes

    @property
    def film_ids(self) -> tuple[int, ...]:
        return tuple(item.film_id for item in self.items)


@dataclass(frozen=True)
class Tally:
    """A slot's arithmetic: films + intro + Q&A against the slot's length (minutes). Without a
    hand-set end the slot is exactly the content (`manual_end` False)."""

    films: int
    film_minutes: int
    intro_minutes: int
    qa_minutes: int
    slot_minutes: int
    manual_end: bool

    @property
    def content_minutes(self) -> int:
        return self.film_minutes + self.intro_minutes + self.qa_minutes

    @property
    def spare_minutes(self) -> int:
        """Minutes left in the slot (negative: the content runs over)."""
        return self.slot_minutes - self.content_minutes

    def sentence(self) -> str:
        """"3 films 42′ + intro 5′ + Q&A 20′ = 67′ of a 90′ slot, 23′ to spare"."""
        parts = [f"{self.films} film{'s' if self.films != 1 else ''} {self.film_minutes}′"]
        if self.intro_minutes:
            parts.append(f"intro {self.intro_minutes}′")
        if self.qa_minutes:
            parts.append(f"Q&A {self.qa_minutes}′")
        text = " + ".join(parts)
        if len(parts) > 1:
            text += f" = {self.content_minutes}′"
        if not self.manual_end:
            return text
        text += f" of a {self.slot_minutes}′ slot"
        spare = self.spare_minutes
        if spare > 0:
            return text + f", {spare}′ to spare"
        if spare < 0:
            return text + f", {-spare}′ too long"
        return text + ", exactly"


@dataclass(frozen=True)
class Festival:
    """Festival-wide settings. Without `first_day`/`last_day` the festival-days rule is not applied."""

    first_day: dt.date | None
    last_day: dt.date | None
    time_zone: str = "UTC"
    changeover_minutes: int = DEFAULT_CHANGEOVER_MINUTES
    min_screenings: int = 1
    default_travel_minutes: int = DEFAULT_TRAVEL_MINUTES
    # frozenset({venue_a, venue_b}) -> minutes; pairs not named take `default_travel_minutes`.
    travel_minutes: dict[frozenset[int], int] = field(default_factory=dict)
    day_rollover: dt.time = dt.time(6, 0)

    @property
    def zone(self) -> ZoneInfo:
        return zone_info(self.time_zone)

    @property
    def days(self) -> list[dt.date]:
        if self.first_day is None or self.last_day is None:
            return []
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=n) for n in range(max(count, 0))]

    def festival_day(self, moment: dt.datetime) -> dt.date:
        """The festival day a moment belongs to (before the rollover hour: the day before)."""
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        rollover = dt.timedelta(hours=self.day_rollover.hour, minutes=self.day_rollover.minute)
        return (local - rollover).date()

    def day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The aware start and end of a festival day (rollover to rollover)."""
        start = dt.datetime.combine(day, self.day_rollover, tzinfo=self.zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), self.day_rollover, tzinfo=self.zone)
        return start, end

    def travel_between(self, venue_a: int, venue_b: int) -> int:
        if venue_a == venue_b:
            return 0
        return self.travel_minutes.get(frozenset((venue_a, venue_b)), self.default_travel_minutes)


@dataclass
class Schedule:
    festival: Festival
    screens: dict[int, Screen]
    films: dict[int, Film]
    screenings: list[Screening]
    venues: dict[int, Venue] = field(default_factory=dict)

    def end_of(self, screening: Screening) -> dt.datetime:
        return screening_end(screening, self.festival.changeover_minutes)

    def show_end_of(self, screening: Screening) -> dt.datetime:
        """When the audience leaves: the hand-set end, else the end of the content (no changeover)."""
        if screening.end is not None:
            return screening.end
        if screening.content_minutes == 0:
            return self.end_of(screening)
        return screening.start + dt.timedelta(minutes=screening.content_minutes)

    def tally_of(self, screening: Screening) -> Tally:
        """The minutes a screening's content needs against the slot it has."""
        film_minutes = sum(item.runtime_minutes for item in screening.items)
        if screening.end is not None:
            slot = int((screening.end - screening.start).total_seconds() // 60)
        else:
            slot = screening.content_minutes
        return Tally(len(screening.items), film_minutes, screening.intro_minutes, screening.qa_minutes, slot,
                     screening.end is not None)

    def title_of(self, screening: Screening) -> str:
        """The programme's name, else its films' titles joined."""
        if screening.title:
            return screening.title
        return " + ".join(self.films[f].title if f in self.films else f"film #{f}" for f in screening.film_ids)

    def rows(self, day: dt.date | None = None) -> list[dict[str, Any]]:
        """Plain rows of the schedule (optionally one festival day), by start then screen: local
        wall-clock ISO times, film ids and titles, screen and venue names."""
        festival = self.festival
        zone = festival.zone
        rows = []
        for s in sorted(self.screenings, key=lambda s: (s.start, s.screen_id, s.id)):
            festival_day = festival.festival_day(s.start)
            if day is not None and festival_day != day:
                continue
            screen = self.screens.get(s.screen_id)
            rows.append({
                "id": s.id, "screen_id": s.screen_id,
                "start": s.start.astimezone(zone).replace(tzinfo=None).isoformat(),
                "end": self.end_of(s).astimezone(zone).replace(tzinfo=None).isoformat(),
                "film_ids": list(s.film_ids), "kind": s.kind, "premiere": s.premiere,
                "title": self.title_of(s), "end_is_manual": s.end is not None,
                "intro_minutes": s.intro_minutes, "qa_minutes": s.qa_minutes,
                "films": [self.films[f].title if f in self.films else f"film #{f}" for f in s.film_ids],
                "screen": screen.name if screen else "", "venue": screen.venue_name if screen else "",
                "guests": [g.name for g in s.guests], "day": festival_day.isoformat(),
            })
        return rows


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    screening_ids: tuple[int, ...]
    film_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "screening_ids": list(self.screening_ids), "film_ids": list(self.film_ids)}


# ---------------------------------------------------------------------------------------------
# Time helpers


def zone_info(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(f"time zone: unknown time zone {name!r} (use a name such as Europe/Ljubljana)") from None


def local_datetime(value: dt.datetime, time_zone: str, field_name: str = "start") -> dt.datetime:
    """`value` as an aware datetime in `time_zone`.

    A naive value is a local wall-clock time; one that does not exist (skipped by a spring-forward
    change) or is ambiguous (repeated by a fall-back change) is refused with a UserError naming
    `field_name`. An aware value is an unambiguous instant and is only converted.
    """
    zone = zone_info(time_zone)
    if value.tzinfo is not None:
        return value.astimezone(zone)
    earlier = value.replace(tzinfo=zone, fold=0)
    later = value.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    round_trip = earlier.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    shown = value.strftime("%Y-%m-%d %H:%M")
    if round_trip != value:
        raise UserError(f"{field_name}: {shown} does not exist in {time_zone} (the clocks skip that hour "
                        "for daylight-saving time); choose another time")
    raise UserError(f"{field_name}: {shown} happens twice in {time_zone} (the clocks go back that night); "
                    "choose another time")


def parse_local_datetime(text: str, time_zone: str, field_name: str = "start") -> dt.datetime:
    """Parse an ISO date-time typed by a user (with or without UTC offset) into the festival zone."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{field_name}: {text!r} is not a date and time (use e.g. 2025-03-14T18:30)") from None
    return local_datetime(value, time_zone, field_name)


def wall_clock(value: dt.datetime | str, time_zone: str, field_name: str = "start") -> dt.datetime:
    """The naive local wall-clock time to store for `value` (a datetime, naive = local, or ISO text).

    Refuses (UserError naming `field_name`) a wall time that does not exist or is ambiguous in
    `time_zone`, even when given with an offset: stored naive, it could not be read back unambiguously.
    """
    if isinstance(value, str):
        value = parse_local_datetime(value, time_zone, field_name)
    if value.tzinfo is not None:
        value = value.astimezone(zone_info(time_zone)).replace(tzinfo=None)
    local_datetime(value.replace(second=0, microsecond=0), time_zone, field_name)
    return value.replace(second=0, microsecond=0)


def from_wall_clock(value: dt.datetime, time_zone: str) -> dt.datetime:
    """A stored naive local time as an aware datetime (the earlier reading if it were ambiguous)."""
    return value.replace(tzinfo=zone_info(time_zone), fold=0)


def screening_end(screening: Screening, changeover_minutes: int) -> dt.datetime:
    """The hand-set end, else start + content + changeover."""
    if screening.end is not None:
        return screening.end
    return screening.start + dt.timedelta(minutes=screening.content_minutes + changeover_minutes)


def _minutes(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // 60


def _clock(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def _when(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


@functools.lru_cache(maxsize=64)
def premiere_rank(label: str | None) -> str | None:
    """"world" or "international" for labels naming those premieres ("World premiere", "WP",
    "international"), else None: only those two must be a film's first public screening."""
    if not label:
        return None
    text = label.strip().casefold()
    if text in {"wp", "world"} or text.startswith("world"):
        return "world"
    if text in {"ip", "international"} or text.startswith("international"):
        return "international"
    return None


# ---------------------------------------------------------------------------------------------
# The checker


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is the check's largest cost
class _Slot:
    """A screening with the figures every rule needs, computed once."""

    screening: Screening
    start: int  # minutes since the epoch
    show_end: int  # when the audience leaves: hand-set end, else end of content
    content_end: int
    busy_until: int  # the screen is free for the next screening from here
    venue_id: int
    day: dt.date
    film_ids: tuple[int, ...]


def _title(films: dict[int, Film], film_id: int) -> str:
    film = films.get(film_id)
    return f"“{film.title}”" if film else f"film #{film_id}"


class ScheduleChecker:
    """The findings of one schedule, kept up to date one screening change at a time.

    Guarantees: `findings()` after any sequence of `put`/`remove` equals the findings of a fresh
    checker built on the resulting schedule (same set; order: errors first, then by time).
    """

    def __init__(self, schedule: Schedule):
        self.festival = schedule.festival
        self.zone = schedule.festival.zone
        self.screens = schedule.screens
        self.films = schedule.films
        self._slots: dict[int, _Slot] = {}
        self._by_screen: dict[int, list[tuple[int, int]]] = defaultdict(list)  # sorted (start, id)
        self._by_guest: dict[Hashable, set[int]] = defaultdict(set)
        self._by_film: dict[int, set[int]] = defaultdict(set)
        self._longest = 0
        # Findings are filed under the scope that produced them so a change drops exactly those.
        self._own: dict[int, list[Finding]] = {}
        self._pairs: dict[tuple[str, int, int], Finding] = {}
        self._pairs_of: dict[int, set[tuple[str, int, int]]] = defaultdict(set)
        self._film_findings: dict[int, list[Finding]] = {}
        self._descriptions: dict[int, str] = {}
        self._windows: dict[tuple[int, dt.date], tuple[int, int]] = {}
        for screening in schedule.screenings:
            slot = self._index(screening)
            self._by_screen[screening.screen_id].append((slot.start, screening.id))
        for entries in self._by_screen.values():
            entries.sort()
        for slot in self._slots.values():
            self._own[slot.screening.id] = self._check_own(slot)
        for screen_id in self._by_screen:
            self._sweep_screen(screen_id)
        checked: set[frozenset[int]] = set()
        for ids in self._by_guest.values():
            ordered = sorted(ids)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if frozenset((a, b)) not in checked:
                        checked.add(frozenset((a, b)))
                        self._check_guest_pair(self._slots[a], self._slots[b])
        for film_id in self._films_to_check(self.films):
            self._film_findings[film_id] = self._check_film(film_id)

    # -- public --------------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for own in self._own.values():
            found.extend(own)
        found.extend(self._pairs.values())
        for film_findings in self._film_findings.values():
            found.extend(film_findings)
        return sorted(found, key=self._order)

    def findings_for(self, screening_id: int) -> list[Finding]:
        return [f for f in self.findings() if screening_id in f.screening_ids]

    def put(self, screening: Screening) -> None:
        """Add a screening, or replace the one with the same id, and re-check what it touches."""
        old = self._slots.get(screening.id)
        films = set(screening.film_ids)
        if old is not None:
            films |= set(old.film_ids)
            self._unindex(old.screening.id)
        slot = self._index(screening)
        bisect.insort(self._by_screen[screening.screen_id], (slot.start, screening.id))
        self._own[screening.id] = self._check_own(slot)
        self._check_screen_neighbours(slot)
        for other_id in {o for g in screening.guests for o in self._by_guest[g.key]} - {screening.id}:
            self._check_guest_pair(slot, self._slots[other_id])
        self._recheck_films(films)

    def remove(self, screening_id: int) -> None:
        old = self._slots.get(screening_id)
        if old is None:
            return
        self._unindex(screening_id)
        self._recheck_films(set(old.film_ids))

    def set_film(self, film: Film) -> None:
        """A film's status, title or premiere changed: re-check its screenings' film rules."""
        self.films[film.id] = film
        self._recheck_films({film.id})

    # -- indexing ------------------------------------------------------------------------------

    def _index(self, screening: Screening) -> _Slot:
        start = _minutes(screening.start)
        content_end = start + screening.content_minutes
        changeover = self.festival.changeover_minutes
        if screening.end is None:
            show_end = content_end
            busy_until = content_end + changeover
        else:
            show_end = _minutes(screening.end)
            busy_until = max(show_end, content_end + changeover)
        screen = self.screens.get(screening.screen_id)
        film_ids = screening.film_ids
        slot = _Slot(screening, start, show_end, content_end, busy_until,
                     screen.venue_id if screen else -1, self.festival.festival_day(screening.start), film_ids)
        self._descriptions.pop(screening.id, None)
        self._slots[screening.id] = slot
        self._longest = max(self._longest, busy_until - start)
        for guest in screening.guests:
            self._by_guest[guest.key].add(screening.id)
        for film_id in film_ids:
            self._by_film[film_id].add(screening.id)
        return slot

    def _unindex(self, screening_id: int) -> None:
        slot = self._slots.pop(screening_id)
        entries = self._by_screen[slot.screening.screen_id]
        del entries[bisect.bisect_left(entries, (slot.start, screening_id))]
        for guest in slot.screening.guests:
            self._by_guest[guest.key].discard(screening_id)
        for film_id in slot.film_ids:
            self._by_film[film_id].discard(screening_id)
        self._own.pop(screening_id, None)
        for key in self._pairs_of.pop(screening_id, set()):
            self._pairs.pop(key, None)
            other = key[2] if key[1] == screening_id else key[1]
            self._pairs_of[other].discard(key)

    def _films_to_check(self, films: Iterable[int]) -> set[int]:
        return set(films) | {f for f, ids in self._by_film.items() if ids}

    def _recheck_films(self, film_ids: set[int]) -> None:
        for film_id in film_ids:
            self._film_findings[film_id] = self._check_film(film_id)

    def _order(self, finding: Finding) -> tuple:
        starts = [self._slots[s].start for s in finding.screening_ids if s in self._slots]
        return (finding.severity != ERROR, min(starts) if starts else 0, finding.rule, finding.screening_ids,
                finding.film_ids)

    def _finding(self, rule: str, message: str, screenings: Iterable[int], films: Iterable[int]) -> Finding:
        return Finding(rule, RULES[rule], message, tuple(screenings), tuple(dict.fromkeys(films)))

    def _titles(self, slot: _Slot) -> str:
        return " + ".join(_title(self.films, f) for f in slot.film_ids) or "an empty screening"

    def _describe(self, slot: _Slot) -> str:
        """“Title” (+ “Title” …) on Screen (Venue), Fri 14 Mar 18:00."""
        sid = slot.screening.id
        if sid not in self._descriptions:
            screen = self.screens.get(slot.screening.screen_id)
            where = screen.label if screen else f"screen #{slot.screening.screen_id}"
            self._descriptions[sid] = f"{self._titles(slot)} on {where}, {_when(slot.screening.start, self.zone)}"
        return self._descriptions[sid]

    # -- rules on one screening ----------------------------------------------------------------

    def _check_own(self, slot: _Slot) -> list[Finding]:
        found: list[Finding] = []
        s = slot.screening
        films = slot.film_ids
        if s.end is not None and slot.content_end > slot.show_end:
            slot_minutes = slot.show_end - slot.start
            found.append(self._finding(
                "content_exceeds_slot",
                f"{self._describe(slot)} needs {s.content_minutes} minutes (intro {s.intro_minutes}, films "
                f"{s.content_minutes - s.intro_minutes - s.qa_minutes}, Q&A {s.qa_minutes}) but its slot "
                f"ends at {_clock(s.end, self.zone)}, {slot_minutes} minutes after the start.",
                [s.id], films))
        first, last = self.festival.first_day, self.festival.last_day
        if first is not None and last is not None and not first <= slot.day <= last:
            found.append(self._finding(
                "outside_festival_days",
                f"{self._describe(slot)} falls outside the festival days "
                f"({first:%a %d %b} to {last:%a %d %b %Y}).",
                [s.id], films))
        screen = self.screens.get(s.screen_id)
        if screen is not None and screen.opens is not None and screen.closes is not None:
            opens, closes = self._opening_window(screen, slot.day)
            if slot.start < opens or slot.show_end > closes:
                found.append(self._finding(
                    "outside_opening_hours",
                    f"{self._describe(slot)} runs until {_clock(s.start + dt.timedelta(minutes=slot.show_end - slot.start), self.zone)}, "
                    f"outside the opening hours of {screen.label} "
                    f"({screen.opens:%H:%M}–{screen.closes:%H:%M}).",
                    [s.id], films))
        return found

    def _opening_window(self, screen: Screen, day: dt.date) -> tuple[int, int]:
        key = (screen.id, day)
        if key not in self._windows:
            opens = dt.datetime.combine(day, screen.opens, tzinfo=self.zone)
            close_day = day + dt.timedelta(days=1 if screen.closes <= screen.opens else 0)
            closes = dt.datetime.combine(close_day, screen.closes, tzinfo=self.zone)
            self._windows[key] = (_minutes(opens), _minutes(closes))
        return self._windows[key]

    # -- rules on pairs ------------------------------------------------------------------------

    def _file_pair(self, rule: str, a: int, b: int, finding: Finding | None) -> None:
        key = (rule, min(a, b), max(a, b))
        if finding is None:
            return
        self._pairs[key] = finding
        self._pairs_of[a].add(key)
        self._pairs_of[b].add(key)

    def _sweep_screen(self, screen_id: int) -> None:
        entries = self._by_screen[screen_id]
        for i, (_, first_id) in enumerate(entries):
            first = self._slots[first_id]
            for start, second_id in entries[i + 1:]:
                if start >= first.busy_until:
                    break
                self._check_screen_pair(first, self._slots[second_id])

    def _check_screen_neighbours(self, slot: _Slot) -> None:
        entries = self._by_screen[slot.screening.screen_id]
        low = bisect.bisect_left(entries, (slot.start - self._longest, -1))
        for start, other_id in entries[low:]:
            if start >= slot.busy_until:
                break
            if other_id == slot.screening.id:
                continue
            other = self._slots[other_id]
            if (other.start, other_id) < (slot.start, slot.screening.id):
                if other.busy_until > slot.start:
                    self._check_screen_pair(other, slot)
            else:
                self._check_screen_pair(slot, other)

    def _check_screen_pair(self, first: _Slot, second: _Slot) -> None:
        """`first` starts no later than `second`, on the same screen, before `first.busy_until`."""
        screen = self.screens.get(first.screening.screen_id)
        where = screen.label if screen else f"screen #{first.screening.screen_id}"
        a, b = first.screening, second.screening
        titles_a, titles_b = self._titles(first), self._titles(second)
        if second.start < first.show_end:
            overlap = min(first.show_end, second.show_end) - second.start
            message = (f"On {where}, {titles_a} ({_when(a.start, self.zone)}–"
                       f"{_clock(a.start + dt.timedelta(minutes=first.show_end - first.start), self.zone)}) and "
                       f"{titles_b} (from {_clock(b.start, self.zone)}) overlap by {overlap} minutes.")
        else:
            gap = second.start - first.show_end
            message = (f"On {where}, {titles_b} starts at {_clock(b.start, self.zone)}, only {gap} minutes "
                       f"after {titles_a} ends at "
                       f"{_clock(a.start + dt.timedelta(minutes=first.show_end - first.start), self.zone)} "
                       f"({_when(a.start, self.zone)[:10]}): the changeover needs "
                       f"{self.festival.changeover_minutes} minutes.")
        self._file_pair("screen_overlap", a.id, b.id, self._finding(
            "screen_overlap", message, [a.id, b.id], first.film_ids + second.film_ids))

    def _check_guest_pair(self, x: _Slot, y: _Slot) -> None:
        first, second = (x, y) if (x.start, x.screening.id) <= (y.start, y.screening.id) else (y, x)
        shared = {g.key: g.name for g in first.screening.guests}
        names = [g.name for g in second.screening.guests if g.key in shared]
        if not names:
            return
        who = ", ".join(names)
        a, b = first.screening, second.screening
        ids = [a.id, b.id]
        films = first.film_ids + second.film_ids
        if second.start < first.show_end:
            self._file_pair("guest_double_booked", a.id, b.id, self._finding(
                "guest_double_booked",
                f"{who} is a guest of {self._describe(first)} and of {self._describe(second)}, "
                "which overlap.", ids, films))
            return
        travel = self.festival.travel_between(first.venue_id, second.venue_id)
        gap = second.start - first.show_end
        if gap < travel:
            end = a.start + dt.timedelta(minutes=first.show_end - first.start)
            self._file_pair("guest_travel", a.id, b.id, self._finding(
                "guest_travel",
                f"{who} cannot get from {self._describe(first)} (ends {_clock(end, self.zone)}) to "
                f"{self._describe(second)} in {gap} minutes: the journey between the venues takes "
                f"{travel} minutes.", ids, films))

    # -- rules on a film's screenings ----------------------------------------------------------

    def _check_film(self, film_id: int) -> list[Finding]:
        found: list[Finding] = []
        film = self.films.get(film_id)
        slots = sorted((self._slots[s] for s in self._by_film.get(film_id, ())), key=lambda t: (t.start, t.screening.id))
        title = _title(self.films, film_id)
        ids = [t.screening.id for t in slots]
        status = film.status if film else None
        if slots and status not in PROGRAMMED_STATUSES:
            state = f"is {status.replace('_', ' ')}" if status else "is not in the database"
            times = "; ".join(self._describe(t) for t in slots)
            found.append(self._finding(
                "film_not_programmed",
                f"{title} {state}, not selected or confirmed, but is scheduled: {times}.", ids, [film_id]))
        if film is not None and status in PROGRAMMED_STATUSES:
            minimum = max(self.festival.min_screenings, 1)
            if not slots:
                found.append(self._finding(
                    "film_unscheduled", f"{title} is {status} but has no screening.", [], [film_id]))
            elif len(slots) < minimum:
                found.append(self._finding(
                    "film_too_few_screenings",
                    f"{title} has {len(slots)} screening{'s' if len(slots) != 1 else ''}; "
                    f"the festival wants at least {minimum}.", ids, [film_id]))
        public = [t for t in slots if t.screening.kind == "public"]
        first_public = public[0] if public else None
        film_rank = premiere_rank(film.premiere) if film else None
        for slot in slots:
            rank = premiere_rank(slot.screening.premiere)
            if rank is None:
                continue
            if slot.screening.kind != "public":
                found.append(self._finding(
                    "premiere_not_first",
                    f"{self._describe(slot)} is labelled a {rank} premiere but is a {slot.screening.kind} "
                    f"screening: a premiere must be the film's first public screening.",
                    [slot.screening.id], [film_id]))
            elif slot is not first_public:
                found.append(self._finding(
                    "premiere_not_first",
                    f"{self._describe(slot)} is labelled the {rank} premiere of {title}, but the film "
                    f"already screens to the public earlier: {self._describe(first_public)}.",
                    [first_public.screening.id, slot.screening.id], [film_id]))
        if film_rank is not None:
            audience = [t for t in slots if t.screening.kind != "press"]
            if audience and audience[0].screening.kind != "public":
                early = audience[0]
                found.append(self._finding(
                    "premiere_not_first",
                    f"{title} is a {film_rank} premiere, but its first audience screening is the "
                    f"{early.screening.kind} screening {self._describe(early)}, before any public one.",
                    [early.screening.id] + ([first_public.screening.id] if first_public else []), [film_id]))
        if first_public is not None:
            late_press = [t for t in slots if t.screening.kind == "press" and t.start > first_public.start]
            for press in late_press:
                found.append(self._finding(
                    "press_after_public",
                    f"The press screening of {title} ({self._describe(press)}) comes after its first public "
                    f"screening ({self._describe(first_public)}): critics usually see a film before the public.",
                    [first_public.screening.id, press.screening.id], [film_id]))
        return found


def check_schedule(schedule: Schedule) -> list[Finding]:
    """Every finding of the schedule, errors first then by time."""
    return ScheduleChecker(schedule).findings()


def moved(screening: Screening, *, screen_id: int | None = None, start: dt.datetime | None = None,
          end: dt.datetime | None = None, keep_length: bool = True) -> Screening:
    """The screening moved to another screen and/or start; a hand-set end moves with it when
    `keep_length` (a drag), or is replaced by `end` when given (a resize)."""
    new_start = start if start is not None else screening.start
    new_end = end
    if new_end is None and screening.end is not None and keep_length:
        new_end = new_start + (screening.end - screening.start)
    return replace(screening, screen_id=screen_id if screen_id is not None else screening.screen_id,
                   start=new_start, end=new_end)
