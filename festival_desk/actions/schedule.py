"""Scheduling use cases: venues and screens, screenings and their films, the conflict check.

Every writing function does one user action in one transaction and returns a `Change` naming the
screenings (and films, venues) touched, with an `undo` that restores the previous state as a new
action (whose own `undo` is the redo). Bad input raises `UserError` naming the field; nothing is
written then.

Times: callers pass local wall-clock times of the festival's time zone (naive datetimes or ISO
text; an aware datetime is converted). A time that does not exist or is ambiguous on a
daylight-saving change is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.actions.conflicts import conflict
from festival_desk.actions.people import PersonDirectory
from festival_desk.actions.rows import RowTargets, row_data, undoable_by_rows
from festival_desk.core import schedule as core
from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.core.text import fold
from festival_desk.core.workflow import PROGRAMMED_STATUSES
from festival_desk.exporters import calendar, schedule_tables
from festival_desk.printing import daysheets
from festival_desk.store import models as m
from festival_desk.store.db import Database

# ---------------------------------------------------------------------------------------------
# Reading


def festival_settings(session: Session) -> core.Festival:
    """The festival's scheduling settings (UTC and no festival days when there is no festival row)."""
    row = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
    if row is None:
        return core.Festival(None, None, "UTC")
    travel = {frozenset((pair.venue_a_id, pair.venue_b_id)): pair.minutes
              for pair in session.exec(select(m.VenueTravel))}
    return core.Festival(row.starts_on, row.ends_on, row.timezone or "UTC", row.changeover_minutes,
                         row.min_screenings, default_travel_minutes=row.travel_minutes, travel_minutes=travel)


def _core_screens(session: Session) -> tuple[dict[int, core.Venue], dict[int, core.Screen]]:
    venues = {v.id: core.Venue(v.id, v.name, v.address, v.accessibility)
              for v in session.exec(select(m.Venue).order_by(m.Venue.position, m.Venue.name))}
    screens = {}
    venue_order = {venue_id: position for position, venue_id in enumerate(venues)}
    rows = session.exec(select(m.Screen)).all()
    for s in sorted(rows, key=lambda s: (venue_order.get(s.venue_id, len(venue_order)), s.position, s.name)):
        venue = venues.get(s.venue_id)
        screens[s.id] = core.Screen(s.id, s.name, s.venue_id, venue.name if venue else "", s.capacity,
                                    s.opens_at, s.closes_at)
    return venues, screens


def load_schedule(session: Session) -> core.Schedule:
    """The whole timetable as core values: every screening, the screens and venues, and the films
    that are programmed or scheduled. Ends set by hand are kept; others follow from the content."""
    festival = festival_settings(session)
    venues, screens = _core_screens(session)
    scheduled = select(m.ScreeningItem.film_id)
    film_rows = session.exec(select(m.Film.id, m.Film.title, m.Film.runtime_minutes, m.Film.status, m.Film.premiere)
                             .where(or_(m.Film.status.in_(PROGRAMMED_STATUSES), m.Film.id.in_(scheduled))))
    films = {fid: core.Film(fid, title, runtime or 0, status, premiere)
             for fid, title, runtime, status, premiere in film_rows}
    screenings = _core_screenings(session, festival.time_zone, {fid: f.runtime_minutes for fid, f in films.items()})
    return core.Schedule(festival, screens, films, screenings, venues)


def _core_screenings(session: Session, zone: str, runtimes: dict[int, int],
                     screening_id: int | None = None) -> list[core.Screening]:
    """Screenings as core values (all, or the one with `screening_id`), by start."""
    item_query = select(m.ScreeningItem.screening_id, m.ScreeningItem.film_id)
    guest_query = (select(m.ScreeningGuest.screening_id, m.ScreeningGuest.person_id, m.Person.name)
                   .join(m.Person, m.Person.id == m.ScreeningGuest.person_id))
    row_query = select(m.Screening)
    if screening_id is not None:
        item_query = item_query.where(m.ScreeningItem.screening_id == screening_id)
        guest_query = guest_query.where(m.ScreeningGuest.screening_id == screening_id)
        row_query = row_query.where(m.Screening.id == screening_id)
    items: dict[int, list[core.ScreeningItem]] = {}
    for sid, film_id in session.exec(item_query.order_by(m.ScreeningItem.screening_id, m.ScreeningItem.position)):
        items.setdefault(sid, []).append(core.ScreeningItem(film_id, runtimes.get(film_id) or 0))
    guests: dict[int, list[core.Guest]] = {}
    for sid, person_id, name in session.exec(guest_query.order_by(m.ScreeningGuest.screening_id, m.Person.name)):
        guests.setdefault(sid, []).append(core.Guest(person_id, name))
    return [
        core.Screening(row.id, row.screen_id, core.from_wall_clock(row.starts_at, zone),
                       tuple(items.get(row.id, ())),
                       core.from_wall_clock(row.ends_at, zone) if row.end_is_manual else None,
                       row.intro_minutes, row.qa_minutes, row.kind, row.premiere, tuple(guests.get(row.id, ())),
                       row.title, row.notes or "", row.version)
        for row in session.exec(row_query.order_by(m.Screening.starts_at, m.Screening.id))]


def read_schedule(database: Database) -> core.Schedule:
    with database.reading() as session:
        return load_schedule(session)


def check(database: Database) -> list[core.Finding]:
    """Every conflict of the stored schedule, errors first, then by time."""
    return core.check_schedule(read_schedule(database))


def list_venues(database: Database) -> list[dict[str, Any]]:
    """Venues in their order, each with its screens: ids, names, capacity, address, opening hours."""
    with database.reading() as session:
        venues, screens = _core_screens(session)
    listed = []
    for venue in venues.values():
        listed.append({
            "id": venue.id, "name": venue.name, "address": venue.address, "accessibility": venue.accessibility,
            "screens": [{"id": s.id, "name": s.name, "capacity": s.capacity,
                         "opens": s.opens.isoformat("minutes") if s.opens else None,
                         "closes": s.closes.isoformat("minutes") if s.closes else None}
                        for s in screens.values() if s.venue_id == venue.id],
        })
    return listed


def list_screenings(database: Database, day: dt.date | str | None = None) -> list[dict[str, Any]]:
    return read_schedule(database).rows(None if day is None else _parse_day(day))


# ---------------------------------------------------------------------------------------------
# Screenings: validation and snapshots


def _zone(session: Session) -> str:
    return festival_settings(session).time_zone


def _require_screen(session: Session, screen_id: int) -> m.Screen:
    screen = session.get(m.Screen, screen_id)
    if screen is None:
        raise UserError(f"screen: there is no screen with id {screen_id}")
    return screen


def _require_films(session: Session, film_ids: Sequence[int]) -> dict[int, m.Film]:
    films = {f.id: f for f in session.exec(select(m.Film).where(m.Film.id.in_(list(film_ids))))}
    for film_id in film_ids:
        if film_id not in films:
            raise UserError(f"film: there is no film with id {film_id}")
    if len(set(film_ids)) != len(film_ids):
        raise UserError("film: a film can appear only once in a screening")
    return films


def _require_screening(session: Session, screening_id: int, *, expected_version: int | None = None,
                       undo: bool = False) -> m.Screening:
    """The screening, its row held until the transaction ends; with `expected_version` (the
    version the caller read, or its own action left), a ConflictError when a colleague saved it
    since."""
    row = session.get(m.Screening, screening_id, with_for_update=True)
    if row is None:
        if expected_version is not None:
            raise conflict(session, "screening", screening_id, f"screening #{screening_id} was deleted", undo=undo)
        raise UserError(f"screening: there is no screening with id {screening_id}")
    if expected_version is not None and row.version != expected_version:
        raise conflict(session, "screening", screening_id, f"screening #{screening_id} was changed", undo=undo)
    return row


def _premiere_value(label: str | None) -> str | None:
    """A premiere label as stored ("World premiere", "world", "WP" -> "world")."""
    if label is None or not label.strip():
        return None
    text = fold(label).replace("premiere", "").strip()
    aliases = {"wp": "world", "ip": "international", "ep": "european"}
    value = aliases.get(text, text)
    if value not in m.PREMIERE_VALUES:
        raise UserError(f"premiere: {label!r} is not a premiere label; use one of {', '.join(m.PREMIERE_VALUES)}")
    return value


def _check_minutes(value: int, field_name: str) -> int:
    if value is None or value < 0:
        raise UserError(f"{field_name}: minutes must be 0 or more, not {value}")
    return int(value)


def _film_ids_of(session: Session, screening_id: int) -> list[int]:
    return list(session.exec(select(m.ScreeningItem.film_id).where(m.ScreeningItem.screening_id == screening_id)
                             .order_by(m.ScreeningItem.position)))


def _derived_end(session: Session, row: m.Screening, film_ids: Sequence[int]) -> dt.datetime:
    festival = festival_settings(session)
    runtimes = {f.id: f.runtime_minutes or 0 for f in session.exec(select(m.Film).where(m.Film.id.in_(list(film_ids))))}
    minutes = row.intro_minutes + sum(runtimes[f] for f in film_ids) + row.qa_minutes + festival.changeover_minutes
    end = core.from_wall_clock(row.starts_at, festival.time_zone) + dt.timedelta(minutes=minutes)
    return end.astimezone(festival.zone).replace(tzinfo=None)


def _settle_end(session: Session, row: m.Screening, film_ids: Sequence[int]) -> None:
    """Recompute a derived end; check that a hand-set one is after the start."""
    if not row.end_is_manual:
        row.ends_at = _derived_end(session, row, film_ids)
    if row.ends_at <= row.starts_at:
        raise UserError(f"end: {row.ends_at:%Y-%m-%d %H:%M} is not after the start {row.starts_at:%Y-%m-%d %H:%M}")


def _set_items(session: Session, screening_id: int, film_ids: Sequence[int]) -> None:
    session.execute(delete(m.ScreeningItem).where(m.ScreeningItem.screening_id == screening_id))
    session.flush()
    for position, film_id in enumerate(film_ids):
        session.add(m.ScreeningItem(screening_id=screening_id, film_id=film_id, position=position))


def _set_guests(session: Session, screening_id: int, guests: Iterable[tuple[int, str]]) -> None:
    session.execute(delete(m.ScreeningGuest).where(m.ScreeningGuest.screening_id == screening_id))
    session.flush()
    for person_id, role in guests:
        session.add(m.ScreeningGuest(screening_id=screening_id, person_id=person_id, role=role))


def _snapshot(session: Session, screening_id: int) -> dict[str, Any] | None:
    row = session.get(m.Screening, screening_id)
    if row is None:
        return None
    guests = session.exec(select(m.ScreeningGuest.person_id, m.ScreeningGuest.role)
                          .where(m.ScreeningGuest.screening_id == screening_id))
    return {"row": row.model_dump(), "films": _film_ids_of(session, screening_id),
            "guests": [tuple(g) for g in guests]}


def _write_snapshot(session: Session, screening_id: int, snapshot: dict[str, Any] | None) -> None:
    row = session.get(m.Screening, screening_id)
    if snapshot is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return
    if row is None:
        row = m.Screening(**snapshot["row"])
        session.add(row)
    else:
        for key, value in snapshot["row"].items():
            if key != "version":  # counted by the database's saves, never written back
                setattr(row, key, value)
    session.flush()
    _set_items(session, screening_id, snapshot["films"])
    _set_guests(session, screening_id, snapshot["guests"])


def _count_as_saved(session: Session, row: m.Screening) -> None:
    """Save the screening row even when only its films or guests changed, so that its version
    moves with every change a colleague could be overwriting."""
    flag_modified(row, "notes")
    session.flush()


def _versions_left(session: Session, before: dict[int, dict[str, Any] | None]) -> dict[int, int | None]:
    """The versions an action leaves the screenings `before` names at (None: it deleted one). A
    screening that existed before is counted as saved, so its version moves; one the action
    created or put back keeps the version it was written with."""
    left: dict[int, int | None] = {}
    for screening_id, snapshot in before.items():
        row = session.get(m.Screening, screening_id)
        if row is not None and snapshot is not None:
            _count_as_saved(session, row)
        left[screening_id] = row.version if row is not None else None
    return left


def _restore(database: Database, targets: dict[int, dict[str, Any] | None], description: str,
             inverse_description: str, left: dict[int, int | None]) -> Change:
    """Put screenings back to their `targets` (None: no such screening) as one action; undo is the
    redo. `left` holds the versions the action being undone left them at: when a colleague has
    saved one since, the undo is refused (ConflictError) rather than overwriting their change."""
    with database.transaction() as session:
        for screening_id, version in left.items():
            if version is not None:
                _require_screening(session, screening_id, expected_version=version, undo=True)
        current = {screening_id: _snapshot(session, screening_id) for screening_id in targets}
        for screening_id, target in targets.items():
            _write_snapshot(session, screening_id, target)
        now = _versions_left(session, current)
    films = {f for snapshot in [*current.values(), *targets.values()] if snapshot for f in snapshot["films"]}
    return Change(description, films=films, screenings=set(targets),
                  undo=partial(_restore, targets=current, description=inverse_description,
                               inverse_description=description, left=now))


def _screening_change(session: Session, description: str, before: dict[int, dict[str, Any] | None],
                      films: Iterable[int], screening_id: int) -> Change:
    """The Change of an action on the screenings `before` names (their snapshots before it, None
    for one it created), made inside the action's transaction; `details["screening_id"]` is the
    screening the action was about, `details["version"]` the version the action left it at."""
    left = _versions_left(session, before)
    return Change(description, films=set(films), screenings=set(before),
                  details={"screening_id": screening_id, "version": left.get(screening_id)},
                  undo=partial(_restore, targets=before, description=description,
                               inverse_description=description, left=left))


# ---------------------------------------------------------------------------------------------
# Screenings: what a person reads in the undo menu and in refusals


def _what(session: Session, title: str | None, film_ids: Sequence[int]) -> str:
    """A programme's name, else its film ("The Red Soul"), two films joined, or the first and a count."""
    if title:
        return title
    names = dict(session.exec(select(m.Film.id, m.Film.title).where(m.Film.id.in_(list(film_ids)))).all())
    shown = [names.get(film_id, f"film #{film_id}") for film_id in film_ids]
    if not shown:
        return "an empty screening"
    if len(shown) <= 2:
        return " + ".join(shown)
    return f"{shown[0]} + {len(shown) - 1} more films"


def _when_where(session: Session, starts_at: dt.datetime, screen_id: int) -> str:
    """"Thu 14:00, Mala dvorana": the weekday alone while the festival fits in a week, else the date too."""
    festival = festival_settings(session)
    days = festival.days
    in_one_week = bool(days) and len(days) <= 7 and \
        festival.festival_day(core.from_wall_clock(starts_at, festival.time_zone)) in days
    when = f"{starts_at:%a %H:%M}" if in_one_week else f"{starts_at:%a %d %b %H:%M}"
    screen = session.get(m.Screen, screen_id)
    return f"{when}, {screen.name if screen else f'screen #{screen_id}'}"


def _label(session: Session, snapshot: dict[str, Any]) -> str:
    """"The Red Soul, Thu 14:00, Mala dvorana" for a screening's snapshot."""
    row = snapshot["row"]
    return f"{_what(session, row['title'], snapshot['films'])}, {_when_where(session, row['starts_at'], row['screen_id'])}"


def _label_of_read(session: Session, screening: core.Screening) -> str:
    zone = core.zone_info(_zone(session))
    return (f"{_what(session, screening.title, screening.film_ids)}, "
            f"{_when_where(session, screening.start.astimezone(zone).replace(tzinfo=None), screening.screen_id)}")


def _edit_label(session: Session, before: dict[str, Any], after: dict[str, Any], repeats: int = 0) -> str:
    """Name an edit by what it changed: a move, a new end, films added/removed/reordered, a
    programme's name (on `repeats` more screenings of it too), else "Edit …"."""
    old, new = before["row"], after["row"]
    moved = (old["starts_at"], old["screen_id"]) != (new["starts_at"], new["screen_id"])
    length = (lambda row: row["ends_at"] - row["starts_at"] if row["end_is_manual"] else None)
    end_changed = old["end_is_manual"] != new["end_is_manual"] or length(old) != length(new)
    films_changed = before["films"] != after["films"]
    others = {key for key in ("title", "kind", "premiere", "intro_minutes", "qa_minutes", "notes")
              if old[key] != new[key]} | ({"guests"} if sorted(before["guests"]) != sorted(after["guests"]) else set())
    was = _label(session, before)
    if moved and not (end_changed or films_changed or others):
        return f"Move {_what(session, new['title'], after['films'])} to " \
               f"{_when_where(session, new['starts_at'], new['screen_id'])}"
    if end_changed and not (moved or films_changed or others):
        if new["end_is_manual"]:
            return f"Set the end of {was} to {new['ends_at']:%H:%M}"
        return f"Let the end of {was} follow its films"
    if films_changed and not (moved or end_changed or others):
        added = [f for f in after["films"] if f not in before["films"]]
        removed = [f for f in before["films"] if f not in after["films"]]
        if added and not removed:
            return f"Add {_what(session, None, added)} to {was}"
        if removed and not added:
            return f"Remove {_what(session, None, removed)} from {was}"
        if not added and not removed:
            return f"Reorder the films of {was}"
    if others == {"title"} and not (moved or end_changed or films_changed):
        place = _when_where(session, new["starts_at"], new["screen_id"])
        count = f" ({repeats + 1} screenings)" if repeats else ""
        if old["title"] and new["title"]:
            return f"Rename the programme “{old['title']}” to “{new['title']}”{count}"
        if new["title"]:
            return f"Name the programme at {place} “{new['title']}”{count}"
        return f"Remove the name of the programme at {place}{count}"
    return f"Edit {_label(session, after)}"


# ---------------------------------------------------------------------------------------------
# Screenings: the state the caller read


def _state_key(screening: core.Screening) -> tuple:
    """What a colleague's edit can change on a screening (film runtimes are the film's, not its)."""
    return (screening.screen_id, screening.start, screening.film_ids, screening.end, screening.intro_minutes,
            screening.qa_minutes, screening.kind, screening.premiere or None,
            tuple(sorted(str(guest.key) for guest in screening.guests)), screening.title or None,
            screening.notes or "")


def read_screening(database: Database, screening_id: int) -> core.Screening:
    """One screening as the schedule holds it (what an editor shows and passes back as `expected`)."""
    with database.reading() as session:
        _require_screening(session, screening_id)
        [screening] = _core_screenings(session, _zone(session), _runtimes(session, screening_id), screening_id)
        return screening


def _runtimes(session: Session, screening_id: int) -> dict[int, int]:
    return dict(session.exec(select(m.Film.id, m.Film.runtime_minutes)
                             .join(m.ScreeningItem, m.ScreeningItem.film_id == m.Film.id)
                             .where(m.ScreeningItem.screening_id == screening_id)).all())


def _require_as_read(session: Session, screening_id: int, expected: core.Screening | None) -> m.Screening:
    """The screening's row; with `expected` (the screening as the caller read it), refused when a
    colleague deleted or changed it meanwhile, so that nothing is changed on a wrong premise."""
    row = session.get(m.Screening, screening_id, with_for_update=True)
    if row is None:
        if expected is None:
            raise UserError(f"screening: there is no screening with id {screening_id}")
        raise conflict(session, "screening", screening_id, f"{_label_of_read(session, expected)} was deleted")
    if expected is not None:
        [current] = _core_screenings(session, _zone(session), {}, screening_id)
        moved_on = bool(expected.version) and current.version != expected.version
        if moved_on or _state_key(current) != _state_key(expected):
            was, now = _label_of_read(session, expected), _label_of_read(session, current)
            raise conflict(session, "screening", screening_id, f"{was} was changed",
                           now=f"it is now {now}" if now != was else "")
    return row


# ---------------------------------------------------------------------------------------------
# Screenings: actions


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # "leave this field as it is" for `edit_screening`

FilmsEdit = Callable[[Session, list[int]], list[int]]


def add_screening(database: Database, screen_id: int, start: dt.datetime | str, film_ids: Sequence[int], *,
                  end: dt.datetime | str | None = None, intro_minutes: int = 0, qa_minutes: int = 0,
                  kind: str = "public", premiere: str | None = None, guest_ids: Sequence[int] = (),
                  guest_names: Sequence[str] = (), title: str | None = None, notes: str = "") -> Change:
    """Create a screening. Its end follows from the content and the changeover unless `end` is given.
    Guests are person ids and/or names (a name not yet known becomes a person).
    A screening that breaks a conflict rule is still stored (the check reports it); bad input is not.
    `details["screening_id"]` is the new id; the label names film, day, time and screen."""
    if not film_ids:
        raise UserError("film: a screening needs at least one film")
    with database.transaction() as session:
        zone = _zone(session)
        _require_screen(session, screen_id)
        _require_films(session, film_ids)
        _require_people(session, guest_ids)
        starts_at = core.wall_clock(start, zone, "start")
        guest_ids = _with_named_guests(session, guest_ids, guest_names)
        row = m.Screening(screen_id=screen_id, starts_at=starts_at, ends_at=starts_at,
                          end_is_manual=end is not None, title=(title or "").strip() or None,
                          kind=_check_kind(kind), premiere=_premiere_value(premiere),
                          intro_minutes=_check_minutes(intro_minutes, "intro"),
                          qa_minutes=_check_minutes(qa_minutes, "qa"), notes=notes or "")
        if end is not None:
            row.ends_at = core.wall_clock(end, zone, "end")
        _settle_end(session, row, film_ids)
        session.add(row)
        session.flush()
        _set_items(session, row.id, film_ids)
        _set_guests(session, row.id, [(p, "") for p in guest_ids])
        screening_id = row.id
        label = f"Schedule {_what(session, row.title, film_ids)} on {_when_where(session, starts_at, screen_id)}"
        change = _screening_change(session, label, {screening_id: None}, film_ids, screening_id)
    return change


def _check_kind(kind: str) -> str:
    if kind not in m.SCREENING_KINDS:
        raise UserError(f"kind: {kind!r} is not a screening kind; use one of {', '.join(m.SCREENING_KINDS)}")
    return kind


def _with_named_guests(session: Session, guest_ids: Sequence[int], guest_names: Sequence[str]) -> list[int]:
    people = PersonDirectory(session)
    named = [people.get(name).id for name in guest_names if name.strip()]
    return list(dict.fromkeys([*guest_ids, *named]))


def _require_people(session: Session, person_ids: Sequence[int]) -> None:
    found = set(session.exec(select(m.Person.id).where(m.Person.id.in_(list(person_ids)))))
    for person_id in person_ids:
        if person_id not in found:
            raise UserError(f"guest: there is no person with id {person_id}")


def edit_screening(database: Database, screening_id: int, *, expected: core.Screening | None = None,
                   screen_id: Any = KEEP, start: Any = KEEP, end: Any = KEEP, kind: Any = KEEP,
                   premiere: Any = KEEP, intro_minutes: Any = KEEP, qa_minutes: Any = KEEP, title: Any = KEEP,
                   notes: Any = KEEP, guests: Any = KEEP, film_ids: Any = KEEP,
                   rename_repeats: bool = True) -> Change:
    """Change a screening as one action; fields left at `KEEP` stay as they are.

    `end`: None lets the end follow from the content again, a time sets it by hand; a screening
    whose end is set by hand keeps its length when only its start moves. `premiere`: a label or
    None. `guests`: person ids and/or names (a new name becomes a person). `film_ids`: the films
    in order (at least one), or a function of (session, current ids) giving them. A new `title`
    names the programme, so with `rename_repeats` its other screenings (the same films in the
    same order under the same old name) take the new name too, in the same action.

    With `expected`, the screening as the caller read it (`read_screening`, or the desk's copy of
    the schedule), the edit is refused when a colleague deleted or changed the screening meanwhile.
    The Change's label says what changed and names film, day, time and screen ("Move The Red
    Soul to Thu 14:00, Mala dvorana"); bad input raises `UserError` naming the field, and nothing
    is written then."""
    with database.transaction() as session:
        row = _require_as_read(session, screening_id, expected)
        before = _snapshot(session, screening_id)
        zone = _zone(session)
        films = list(before["films"])
        # The row changes field by field; flushing half an edit would trip the "ends after
        # start" constraint before the end is settled.
        with session.no_autoflush:
            if callable(film_ids):
                films = list(film_ids(session, list(films)))
            elif film_ids is not KEEP:
                films = list(film_ids)
            if films != before["films"]:
                if not films:
                    raise UserError("film: a screening needs at least one film; delete the screening instead")
                _require_films(session, films)
            if screen_id is not KEEP:
                row.screen_id = _require_screen(session, screen_id).id
            if start is not KEEP:
                new_start = core.wall_clock(start, zone, "start")
                if row.end_is_manual and end is KEEP:
                    length = core.from_wall_clock(row.ends_at, zone) - core.from_wall_clock(row.starts_at, zone)
                    row.ends_at = core.wall_clock(core.from_wall_clock(new_start, zone) + length, zone, "end")
                row.starts_at = new_start
            if end is not KEEP:
                row.end_is_manual = end is not None
                if end is not None:
                    row.ends_at = core.wall_clock(end, zone, "end")
            if kind is not KEEP:
                row.kind = _check_kind(kind)
            if premiere is not KEEP:
                row.premiere = _premiere_value(premiere)
            if intro_minutes is not KEEP:
                row.intro_minutes = _check_minutes(intro_minutes, "intro")
            if qa_minutes is not KEEP:
                row.qa_minutes = _check_minutes(qa_minutes, "qa")
            if title is not KEEP:
                row.title = (title or "").strip() or None
            if notes is not KEEP:
                row.notes = notes or ""
            _settle_end(session, row, films)
        if films != before["films"]:
            _set_items(session, screening_id, films)
        if guests is not KEEP:
            ids = [g for g in guests if isinstance(g, int)]
            _require_people(session, ids)
            ids = _with_named_guests(session, ids, [g for g in guests if isinstance(g, str)])
            _set_guests(session, screening_id, [(p, "") for p in ids])
        befores = {screening_id: before}
        if rename_repeats and row.title != before["row"]["title"]:
            for repeat in _repeats(session, before):
                befores[repeat.id] = _snapshot(session, repeat.id)
                repeat.title = row.title
        session.flush()
        label = _edit_label(session, before, _snapshot(session, screening_id), len(befores) - 1)
        change = _screening_change(session, label, befores, set(before["films"]) | set(films), screening_id)
    return change


def _repeats(session: Session, snapshot: dict[str, Any]) -> list[m.Screening]:
    """The other screenings of the programme `snapshot` shows: the same films (two or more) in the
    same order under the same name (or none)."""
    films = snapshot["films"]
    if len(films) < 2:
        return []
    title = snapshot["row"]["title"]
    same_name = fold(title or "")
    candidates = session.exec(select(m.Screening).where(m.Screening.id != snapshot["row"]["id"])).all()
    return [other for other in candidates
            if fold(other.title or "") == same_name and _film_ids_of(session, other.id) == films]


def move_screening(database: Database, screening_id: int, *, start: dt.datetime | str | None = None,
                   screen_id: int | None = None, expected: core.Screening | None = None) -> Change:
    """Move a screening to another start and/or screen; a hand-set end keeps the slot's length."""
    return edit_screening(database, screening_id, expected=expected, start=KEEP if start is None else start,
                          screen_id=KEEP if screen_id is None else screen_id)


def resize_screening(database: Database, screening_id: int, end: dt.datetime | str | None, *,
                     expected: core.Screening | None = None) -> Change:
    """Set the end by hand, or (None) let it follow from the content again."""
    return edit_screening(database, screening_id, expected=expected, end=end)


def update_screening(database: Database, screening_id: int, *, intro_minutes: int | None = None,
                     qa_minutes: int | None = None, kind: str | None = None, premiere: str | None = None,
                     clear_premiere: bool = False, title: str | None = None,
                     guest_ids: Sequence[int] | None = None, expected: core.Screening | None = None) -> Change:
    """Change a screening's details; only the arguments given change."""
    def given(value: Any) -> Any:
        return KEEP if value is None else value
    return edit_screening(database, screening_id, expected=expected, intro_minutes=given(intro_minutes),
                          qa_minutes=given(qa_minutes), kind=given(kind),
                          premiere=None if clear_premiere else given(premiere), title=given(title),
                          guests=given(None if guest_ids is None else list(guest_ids)))


def name_programme(database: Database, screening_id: int, name: str | None, *,
                   expected: core.Screening | None = None) -> Change:
    """Name the programme a screening shows ("Shorts 2: Close to Home"; empty: no name). The
    booklet prints a named screening of several films as a programme under this name."""
    return edit_screening(database, screening_id, expected=expected, title=name or None)


def delete_screening(database: Database, screening_id: int, *, expected: core.Screening | None = None) -> Change:
    """Delete a screening. With `expected`, a screening a colleague already deleted (or changed)
    is refused with a message naming it, and nothing else changes."""
    with database.transaction() as session:
        _require_as_read(session, screening_id, expected)
        before = _snapshot(session, screening_id)
        label = f"Delete {_label(session, before)}"
        _write_snapshot(session, screening_id, None)
        change = _screening_change(session, label, {screening_id: before}, before["films"], screening_id)
    return change


def duplicate_screening(database: Database, screening_id: int, day: dt.date | str, *,
                        expected: core.Screening | None = None) -> Change:
    """Copy a screening (films, guests, details) to the same time and screen on another festival
    day; a premiere label stays with the original (a repeat is not a premiere).
    `details["screening_id"]` is the copy; undo removes it. A copy that conflicts is stored and
    flagged by the check, like any screening."""
    day = _parse_day(day)
    with database.transaction() as session:
        row = _require_as_read(session, screening_id, expected)
        before = _snapshot(session, screening_id)
        festival = festival_settings(session)
        zone = festival.time_zone
        shift = day - festival.festival_day(core.from_wall_clock(row.starts_at, zone))
        if not shift:
            raise UserError(f"day: {_label(session, before)} is already on {day:%a %d %b}; choose another day")
        data = {key: value for key, value in before["row"].items() if key not in ("id", "version")}
        data["premiere"] = None
        data["starts_at"] = core.wall_clock(row.starts_at + shift, zone, "start")
        data["ends_at"] = core.wall_clock(row.ends_at + shift, zone, "end") if row.end_is_manual else data["starts_at"]
        copy = m.Screening(**data)
        _settle_end(session, copy, before["films"])
        session.add(copy)
        session.flush()
        _set_items(session, copy.id, before["films"])
        _set_guests(session, copy.id, before["guests"])
        copy_id = copy.id
        label = (f"Duplicate {_what(session, copy.title, before['films'])} to "
                 f"{_when_where(session, copy.starts_at, copy.screen_id)}")
        change = _screening_change(session, label, {copy_id: None}, before["films"], copy_id)
    return change


def _parse_day(day: dt.date | str) -> dt.date:
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(day.strip())
    except ValueError:
        raise UserError(f"day: {day!r} is not a date (use e.g. 2025-03-14)") from None


def add_films_to_screening(database: Database, screening_id: int, film_ids: Sequence[int],
                           position: int | None = None, *, expected: core.Screening | None = None) -> Change:
    """Add films to a screening (a shorts programme), in the order given, at `position` or last."""
    if not film_ids:
        raise UserError("film: no film to add")

    def add(session: Session, current: list[int]) -> list[int]:
        _require_films(session, film_ids)
        for film_id in film_ids:
            if film_id in current:
                raise UserError(f"film: {_what(session, None, [film_id])} is already in this screening")
        at = len(current) if position is None else max(0, min(position, len(current)))
        return current[:at] + list(film_ids) + current[at:]
    return edit_screening(database, screening_id, expected=expected, film_ids=add)


def add_film_to_screening(database: Database, screening_id: int, film_id: int, position: int | None = None) -> Change:
    """Add one film to a screening (a shorts programme), at `position` or last."""
    return add_films_to_screening(database, screening_id, [film_id], position)


def remove_film_from_screening(database: Database, screening_id: int, film_id: int, *,
                               expected: core.Screening | None = None) -> Change:
    def remove(session: Session, current: list[int]) -> list[int]:
        title = _what(session, None, [film_id])
        if film_id not in current:
            raise UserError(f"film: {title} is not in this screening")
        if len(current) == 1:
            raise UserError(f"film: {title} is the only film of this screening; delete the screening instead")
        return [f for f in current if f != film_id]
    return edit_screening(database, screening_id, expected=expected, film_ids=remove)


def reorder_screening_films(database: Database, screening_id: int, film_ids: Sequence[int], *,
                            expected: core.Screening | None = None) -> Change:
    """Put the films of a programme in the order given (the same films, reordered)."""
    def reorder(session: Session, current: list[int]) -> list[int]:
        if sorted(film_ids) != sorted(current):
            raise UserError("film: the new order must name exactly the films of the screening")
        return list(film_ids)
    return edit_screening(database, screening_id, expected=expected, film_ids=reorder)


# ---------------------------------------------------------------------------------------------
# Venues and screens


def _venue_change(description: str, venue_id: int, before: RowTargets, details: dict[str, Any]) -> Change:
    return undoable_by_rows(Change(description, venues={venue_id}, details=details), before)


def _unique_venue_name(session: Session, name: str, venue_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise UserError("name: a venue needs a name")
    for other in session.exec(select(m.Venue).where(m.Venue.id != (venue_id or -1))):
        if fold(other.name) == fold(name):
            raise UserError(f"name: there is already a venue named {other.name!r}")
    return name


def add_venue(database: Database, name: str, address: str = "", accessibility: str = "") -> Change:
    """Create a venue; `details["venue_id"]` is its id."""
    with database.transaction() as session:
        name = _unique_venue_name(session, name)
        position = len(session.exec(select(m.Venue.id)).all())
        venue = m.Venue(name=name, address=address, accessibility=accessibility, position=position)
        session.add(venue)
        session.flush()
        venue_id = venue.id
    return _venue_change(f"Add venue {name}", venue_id, [(m.Venue, venue_id, None)], {"venue_id": venue_id})


def update_venue(database: Database, venue_id: int, *, name: str | None = None, address: str | None = None,
                 accessibility: str | None = None) -> Change:
    with database.transaction() as session:
        venue = _require_venue(session, venue_id)
        before = [(m.Venue, venue_id, row_data(venue))]
        if name is not None:
            venue.name = _unique_venue_name(session, name, venue_id)
        if address is not None:
            venue.address = address
        if accessibility is not None:
            venue.accessibility = accessibility
    return _venue_change(f"Edit venue {venue.name}", venue_id, before, {"venue_id": venue_id})


def _require_venue(session: Session, venue_id: int) -> m.Venue:
    venue = session.get(m.Venue, venue_id)
    if venue is None:
        raise UserError(f"venue: there is no venue with id {venue_id}")
    return venue


def _refuse_if_scheduled(session: Session, screen_ids: list[int], what: str) -> None:
    count = len(session.exec(select(m.Screening.id).where(m.Screening.screen_id.in_(screen_ids))).all())
    if count:
        raise UserError(f"{what} has {count} screening{'s' if count != 1 else ''}; move or delete them first")


def delete_venue(database: Database, venue_id: int) -> Change:
    """Delete a venue with its screens; refused while any of its screens has a screening."""
    with database.transaction() as session:
        venue = _require_venue(session, venue_id)
        screens = session.exec(select(m.Screen).where(m.Screen.venue_id == venue_id)).all()
        _refuse_if_scheduled(session, [s.id for s in screens], f"venue {venue.name!r}")
        before = [(m.Venue, venue_id, row_data(venue))] + [(m.Screen, s.id, row_data(s)) for s in screens]
        for screen in screens:
            session.delete(screen)
        session.flush()
        session.delete(venue)
    return _venue_change(f"Delete venue {venue.name}", venue_id, before, {"venue_id": venue_id})


def _parse_time(value: dt.time | str | None, field_name: str) -> dt.time | None:
    if value is None or isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{field_name}: {value!r} is not a time of day (use e.g. 10:00)") from None


def _screen_fields(session: Session, venue_id: int, name: str, capacity: int | None, screen_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise UserError("name: a screen needs a name")
    if capacity is not None and capacity < 0:
        raise UserError(f"capacity: must be 0 or more, not {capacity}")
    for other in session.exec(select(m.Screen).where(m.Screen.venue_id == venue_id, m.Screen.id != (screen_id or -1))):
        if fold(other.name) == fold(name):
            raise UserError(f"name: the venue already has a screen named {other.name!r}")
    return name


def add_screen(database: Database, venue_id: int, name: str, capacity: int | None = None,
               opens_at: dt.time | str | None = None, closes_at: dt.time | str | None = None) -> Change:
    """Create a screen in a venue; `details["screen_id"]` is its id. Opening hours are optional; a
    closing time at or before the opening time is after midnight."""
    with database.transaction() as session:
        _require_venue(session, venue_id)
        name = _screen_fields(session, venue_id, name, capacity, None)
        opens, closes = _parse_time(opens_at, "opens"), _parse_time(closes_at, "closes")
        if (opens is None) != (closes is None):
            raise UserError("opens/closes: give both opening and closing time, or neither")
        position = len(session.exec(select(m.Screen.id).where(m.Screen.venue_id == venue_id)).all())
        screen = m.Screen(venue_id=venue_id, name=name, capacity=capacity, opens_at=opens, closes_at=closes,
                          position=position)
        session.add(screen)
        session.flush()
        screen_id = screen.id
    return _venue_change(f"Add screen {name}", venue_id, [(m.Screen, screen_id, None)],
                         {"screen_id": screen_id, "venue_id": venue_id})



def update_screen(database: Database, screen_id: int, *, name: str | None = None, capacity: Any = KEEP,
                  opens_at: Any = KEEP, closes_at: Any = KEEP) -> Change:
    """Change a screen; only the arguments given change (capacity/opening hours may be set to None)."""
    with database.transaction() as session:
        screen = _require_screen(session, screen_id)
        before = [(m.Screen, screen_id, row_data(screen))]
        if capacity is not KEEP:
            screen.capacity = capacity
        screen.name = _screen_fields(session, screen.venue_id, name if name is not None else screen.name,
                                     screen.capacity, screen_id)
        if opens_at is not KEEP:
            screen.opens_at = _parse_time(opens_at, "opens")
        if closes_at is not KEEP:
            screen.closes_at = _parse_time(closes_at, "closes")
        if (screen.opens_at is None) != (screen.closes_at is None):
            raise UserError("opens/closes: give both opening and closing time, or neither")
        venue_id = screen.venue_id
    return _venue_change(f"Edit screen {screen.name}", venue_id, before, {"screen_id": screen_id})


def delete_screen(database: Database, screen_id: int) -> Change:
    """Delete a screen; refused while it has screenings."""
    with database.transaction() as session:
        screen = _require_screen(session, screen_id)
        _refuse_if_scheduled(session, [screen_id], f"screen {screen.name!r}")
        before = [(m.Screen, screen_id, row_data(screen))]
        venue_id = screen.venue_id
        session.delete(screen)
    return _venue_change(f"Delete screen {screen.name}", venue_id, before, {"screen_id": screen_id})


# ---------------------------------------------------------------------------------------------
# Exports


def festival_name(session: Session) -> tuple[str, str]:
    """The festival's name and edition ("Festival", "" when there is no festival row)."""
    row = session.exec(select(m.Festival).order_by(m.Festival.id)).first()
    return (row.name, row.edition or "") if row else ("Festival", "")


def _export_target(path: Path | str, suffix: str, option: str) -> Path:
    target = Path(path)
    if not target.parent.is_dir():
        raise UserError(f"{option}: the folder {str(target.parent)!r} does not exist")
    if target.is_dir():
        raise UserError(f"{option}: {str(target)!r} is a folder; give a file name ending in {suffix}")
    return target


def _snapshot_for_export(database: Database) -> tuple[core.Schedule, str, str]:
    with database.reading() as session:
        name, edition = festival_name(session)
        return load_schedule(session), name, edition


def export_ics(database: Database, path: Path | str, *, stamp: dt.datetime | None = None) -> dict[str, Any]:
    """Write the schedule as iCalendar; UIDs stay the same across exports of the same festival."""
    target = _export_target(path, ".ics", "ics")
    schedule, name, edition = _snapshot_for_export(database)
    title = f"{name} {edition}".strip()
    count = calendar.write_ics(schedule, target, title, calendar.festival_key(name, edition), stamp=stamp)
    return {"path": str(target), "screenings": count}


def export_table(database: Database, path: Path | str, file_format: str) -> dict[str, Any]:
    """Write the schedule as "csv" or "xlsx"."""
    writers = {"csv": schedule_tables.write_csv, "xlsx": schedule_tables.write_xlsx}
    target = _export_target(path, f".{file_format}", file_format)
    schedule, _, _ = _snapshot_for_export(database)
    return {"path": str(target), "screenings": writers[file_format](schedule, target)}


def export_day_sheets(database: Database, path: Path | str, day: dt.date | str | None = None) -> dict[str, Any]:
    """Write the venue managers' day sheets PDF: every festival day, or only `day`."""
    target = _export_target(path, ".pdf", "output")
    schedule, name, edition = _snapshot_for_export(database)
    if day is not None:
        day = _parse_day(day)
        schedule = replace(schedule, screenings=[s for s in schedule.screenings
                                                 if schedule.festival.festival_day(s.start) == day])
        if not schedule.screenings:
            raise UserError(f"day: there are no screenings on {day:%a %d %b %Y}")
    pdf = daysheets.render_day_sheets(schedule, f"{name} {edition}".strip())
    files.write_file(target, pdf)
    return {"path": str(target), "screenings": len(schedule.screenings)}


def set_travel_time(database: Database, venue_a_id: int, venue_b_id: int, minutes: int | None) -> Change:
    """Set how long a guest needs between two venues (either direction); `None` returns the pair to
    the festival's default. Undo restores the previous setting."""
    if venue_a_id == venue_b_id:
        raise UserError("venues: travel time is between two different venues")
    if minutes is not None and minutes < 0:
        raise UserError(f"minutes: travel time cannot be negative (got {minutes})")
    first, second = sorted((venue_a_id, venue_b_id))
    with database.transaction() as session:
        names = [_require_venue(session, venue_id).name for venue_id in (first, second)]
        row = session.get(m.VenueTravel, (first, second))
        previous = row.minutes if row is not None else None
        if minutes is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(m.VenueTravel(venue_a_id=first, venue_b_id=second, minutes=minutes))
        else:
            row.minutes = minutes
    description = (f"Set travel {names[0]} – {names[1]} to {minutes} min" if minutes is not None
                   else f"Use the default travel time for {names[0]} – {names[1]}")
    return Change(description, venues={first, second},
                  undo=partial(set_travel_time, venue_a_id=first, venue_b_id=second, minutes=previous))
