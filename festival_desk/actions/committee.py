"""The committee's process between meetings: viewing assignments with deadlines, spreading films
over the committee, "watched" marks, conflicts of interest, language skills, and the screener.

Every writing function is one user action in one transaction returning a `Change` whose undo
reverses it exactly. Guarantees:
- A film is never assigned to a programmer who declared a conflict of interest with it: by hand
  it is refused naming the reason; `spread_assignments` leaves such pairs out (core.committee).
- A due date in the past is accepted; the assignment then shows as overdue until watched.
- An assignment is done when its programmer has marked the film watched (any amount) or rated it.
- Declaring a conflict takes back the programmer's assignment of the film (undo returns it);
  their rating stays on record but no longer counts (store.scoring) and they may not rate again.
- The screener password is returned only when asked for (`screener(..., reveal=True)`); lists,
  sheets and JSON outputs of this module never carry it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change, undo_by
from festival_desk.actions.programming import _films, _member, _programmer
from festival_desk.actions.recusals import refuse_if_conflicted
from festival_desk.core.codes import language_code, language_name
from festival_desk.core.committee import FilmToCover, RuleError, Viewer, is_overdue, plan_spread
from festival_desk.core.errors import UserError
from festival_desk.core.text import counted, fold_words
from festival_desk.core.workflow import parse_status
from festival_desk.store.db import Database
from festival_desk.store.models import (
    Assignment,
    CatalogueFacts,
    ConflictOfInterest,
    Film,
    FilmLanguage,
    Preset,
    Programmer,
    ProgrammerLanguage,
    Rating,
    RubricCriterion,
    Viewing,
)

SETTINGS_KIND = "committee"
VIEWERS_SETTING = "viewers_per_film"
DEFAULT_VIEWERS = 3


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


# --- assignments --------------------------------------------------------------------------------


def _assignment_rows(session: Session, programmer_id: int, film_ids: Sequence[int]) -> dict[int, Assignment]:
    return {row.film_id: row for row in session.exec(select(Assignment).where(
        Assignment.programmer_id == programmer_id, Assignment.film_id.in_(list(film_ids)))).all()}


def assign_films(database: Database, film_ids: Sequence[int], programmer: str, *, due: dt.date | None = None,
                 remove: bool = False) -> Change:
    """Give films to `programmer` to watch by `due` (or take them back with `remove`). A film
    already assigned to them gets the new due date when one is given. Refused, naming the reason,
    for a film they declared a conflict of interest with. Undo restores exactly what was there."""
    with database.transaction() as session:
        films = _films(session, film_ids)
        who = _member(session, programmer)
        ids = [film.id for film in films]
        existing = _assignment_rows(session, who.id, ids)
        before = {film_id: row.due_on for film_id, row in existing.items()}
        if remove:
            added, updated, unchanged = [], [], [f for f in ids if f not in existing]
            removed = [f for f in ids if f in existing]
            session.execute(sa.delete(Assignment).where(Assignment.programmer_id == who.id,
                                                        Assignment.film_id.in_(removed)))
        else:
            refuse_if_conflicted(session, who.id, ids, "be assigned it")
            removed = []
            added = [f for f in ids if f not in existing]
            updated = [f for f in ids if f in existing and due is not None and existing[f].due_on != due]
            unchanged = [f for f in ids if f in existing and f not in updated]
            for film_id in added:
                session.add(Assignment(film_id=film_id, programmer_id=who.id, due_on=due))
            for film_id in updated:
                existing[film_id].due_on = due
                session.add(existing[film_id])
        who_id, who_name = who.id, who.name
    touched = set(added) | set(updated) | set(removed)
    if remove:
        description = f"Take back {counted(len(removed), 'film')} from {who_name}"
    else:
        description = f"Assign {counted(len(touched), 'film')} to {who_name}" + (f" by {due:%d %b %Y}" if due else "")

    undo = undo_by(description, lambda db: _restore_assignments(db, who_id, {f: before.get(f, _ABSENT) for f in touched},
                                                                 description),
                   lambda db: assign_films(db, ids, who_name, due=due, remove=remove))
    return Change(description=description, films=touched, programmers={who_id}, undo=undo if touched else None,
                  details={"programmer": who_name, "due": due, "assigned": added, "due_changed": updated,
                           "removed": removed, "unchanged": unchanged})


_ABSENT = object()  # "no assignment" in a state to restore


def _restore_assignments(database: Database, programmer_id: int, state: dict[int, Any], description: str) -> Change:
    """Make the programmer's assignments of the films in `state` what it says: a due date (or None),
    or _ABSENT for none."""
    with database.transaction() as session:
        existing = _assignment_rows(session, programmer_id, list(state))
        for film_id, due in state.items():
            row = existing.get(film_id)
            if due is _ABSENT:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(Assignment(film_id=film_id, programmer_id=programmer_id, due_on=due))
            else:
                row.due_on = due
                session.add(row)
    return Change(description=description, films=set(state), programmers={programmer_id})


def _seen(session: Session, film_ids: Sequence[int] | None = None) -> dict[int, set[int]]:
    """{film id: programmers who watched or rated it}."""
    seen: dict[int, set[int]] = defaultdict(set)
    for table in (Viewing, Rating):
        query = sa.select(table.film_id, table.programmer_id)
        for film_id, programmer_id in _in_chunks(session, query, table.film_id, film_ids):
            seen[film_id].add(programmer_id)
    return seen


def _conflicted(session: Session, film_ids: Sequence[int] | None = None) -> dict[int, set[int]]:
    """{film id: programmers with a conflict of interest on it}."""
    conflicted: dict[int, set[int]] = defaultdict(set)
    for film_id, programmer_id in _in_chunks(
            session, sa.select(ConflictOfInterest.film_id, ConflictOfInterest.programmer_id),
            ConflictOfInterest.film_id, film_ids):
        conflicted[film_id].add(programmer_id)
    return conflicted


def _in_chunks(session: Session, query: sa.Select, column: Any, ids: Sequence[int] | None) -> list[tuple]:
    if ids is None:
        return list(session.execute(query).all())
    rows: list[tuple] = []
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        rows += session.execute(query.where(column.in_(unique[start:start + 500]))).all()
    return rows


def _set_setting(session: Session, name: str, value: Any) -> None:
    preset = session.exec(select(Preset).where(Preset.kind == SETTINGS_KIND, Preset.name == name)).first()
    preset = preset or Preset(kind=SETTINGS_KIND, name=name)
    preset.data, preset.updated_at = {"value": value}, dt.datetime.now(dt.UTC)
    session.add(preset)


def viewers_per_film(session: Session) -> int:
    """K, the viewers each film should have: as the last spread asked (3 until then)."""
    preset = session.exec(select(Preset).where(Preset.kind == SETTINGS_KIND, Preset.name == VIEWERS_SETTING)).first()
    value = preset.data.get("value") if preset else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_VIEWERS


def spread_assignments(database: Database, viewers: int, *, due: dt.date | None = None,
                       statuses: Sequence[str] = ()) -> Change:
    """Assign films so that each gets at least `viewers` viewers (core.committee.plan_spread):
    every submitted film, or those in `statuses`; the active committee, their conflicts of interest
    and known languages respected. `change.details`: "per_programmer" (new assignments by name),
    "totals" (open assignments by name after the spread), "added", "films", "short" (films left
    with fewer viewers, each with the reason). Undo takes the new assignments back."""
    if isinstance(viewers, bool) or not isinstance(viewers, int) or viewers < 1:
        raise UserError(f"--viewers: give a whole number of at least 1, not {viewers!r}")
    try:
        wanted = [parse_status(status).value for status in statuses]
    except ValueError as error:
        raise UserError(f"--status: {error}") from None
    with database.transaction() as session:
        query = sa.select(Film.id, Film.title).where(Film.is_external.is_(False))
        if wanted:
            query = query.where(Film.status.in_(wanted))
        titles = dict(session.execute(query.order_by(Film.id)).all())
        members = session.exec(select(Programmer).where(Programmer.active.is_(True)).order_by(Programmer.id)).all()
        if not members:
            raise UserError("the committee is empty: add programmers first (festival-desk programmers add NAME)")
        if viewers > len(members):
            raise UserError(f"--viewers {viewers}: the committee has only {counted(len(members), 'active member')}")
        film_ids = None if not wanted else list(titles)
        assigned: dict[int, set[int]] = defaultdict(set)
        for film_id, programmer_id in _in_chunks(session, sa.select(Assignment.film_id, Assignment.programmer_id),
                                                 Assignment.film_id, film_ids):
            assigned[film_id].add(programmer_id)
        conflicted = _conflicted(session, film_ids)
        languages: dict[int, set[str]] = defaultdict(set)
        for film_id, code in _in_chunks(session, sa.select(FilmLanguage.film_id, FilmLanguage.code)
                                        .where(FilmLanguage.code.is_not(None)), FilmLanguage.film_id, film_ids):
            languages[film_id].add(code)
        for film_id, code in _in_chunks(session, sa.select(CatalogueFacts.film_id, CatalogueFacts.subtitle_language)
                                        .where(CatalogueFacts.subtitle_language.is_not(None)),
                                        CatalogueFacts.film_id, film_ids):
            languages[film_id].add(code)
        seen = _seen(session, film_ids)
        skills: dict[int, set[str]] = defaultdict(set)
        for programmer_id, code in session.execute(sa.select(ProgrammerLanguage.programmer_id, ProgrammerLanguage.code)):
            skills[programmer_id].add(code)
        open_counts = _open_assignment_counts(session)
        plan = plan_spread(
            [FilmToCover(film_id, frozenset(languages[film_id]), frozenset(assigned[film_id]),
                         frozenset(seen[film_id]), frozenset(conflicted[film_id])) for film_id in titles],
            [Viewer(member.id, frozenset(skills[member.id]), open_counts.get(member.id, 0)) for member in members],
            viewers)
        if plan.assignments:
            session.execute(sa.insert(Assignment), [
                {"film_id": film_id, "programmer_id": programmer_id, "due_on": due,
                 "assigned_at": dt.datetime.now(dt.UTC)} for film_id, programmer_id in plan.assignments])
        previous_target = viewers_per_film(session)
        _set_setting(session, VIEWERS_SETTING, viewers)
        totals = _open_assignment_counts(session)
        names = {member.id: member.name for member in members}
    added = list(plan.assignments)
    counts = plan.counts()
    description = f"Spread {counted(len(titles), 'film')} over the committee: {viewers} viewers each"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            for start in range(0, len(added), 500):
                chunk = added[start:start + 500]
                session.execute(sa.delete(Assignment).where(sa.tuple_(Assignment.film_id, Assignment.programmer_id)
                                                            .in_(chunk)))
            _set_setting(session, VIEWERS_SETTING, previous_target)
        return Change(description=description, films={f for f, _ in added}, programmers=set(counts),
                      undo=lambda db2: spread_assignments(db2, viewers, due=due, statuses=statuses))

    return Change(
        description=description, films={f for f, _ in added}, programmers=set(counts),
        settings={f"{SETTINGS_KIND}:{VIEWERS_SETTING}"}, undo=undo if added else None,
        details={"viewers": viewers, "films": len(titles), "added": len(added), "due": due,
                 "per_programmer": {names[pid]: counts.get(pid, 0) for pid in sorted(names, key=lambda p: fold_words(names[p]))},
                 "totals": {names[pid]: totals.get(pid, 0) for pid in sorted(names, key=lambda p: fold_words(names[p]))},
                 "short": [{"film_id": s.film_id, "title": titles[s.film_id], "viewers": s.viewers, "reason": s.reason}
                           for s in sorted(plan.short, key=lambda s: s.film_id)]})


def _done_condition() -> sa.ColumnElement[bool]:
    """True for an assignment whose programmer has watched or rated its film."""
    watched = sa.exists().where(Viewing.film_id == Assignment.film_id, Viewing.programmer_id == Assignment.programmer_id)
    rated = sa.exists().where(Rating.film_id == Assignment.film_id, Rating.programmer_id == Assignment.programmer_id)
    return sa.or_(watched, rated)


def _open_assignment_counts(session: Session) -> dict[int, int]:
    return dict(session.execute(sa.select(Assignment.programmer_id, sa.func.count())
                                .where(~_done_condition()).group_by(Assignment.programmer_id)).all())


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment as the queue and `festival-desk assignments` show it."""

    film_id: int
    title: str
    programmer: str
    programmer_id: int
    assigned_at: dt.datetime
    due: dt.date | None
    watched: bool
    minutes: int | None  # where they stopped (None: to the end, or not watched)
    rated: bool
    done: bool
    overdue: bool
    runtime_minutes: int | None
    status: str


def assignments(database: Database, programmer: str | None = None, *, overdue_only: bool = False,
                open_only: bool = False, today: dt.date | None = None) -> list[AssignmentRow]:
    """Assignments (all, or `programmer`'s), by due date (none last), then title. `overdue_only`:
    only those past their due date and not done; `open_only`: only those not done."""
    day = _today(today)
    with database.reading() as session:
        query = (sa.select(Assignment.film_id, Film.title, Programmer.name, Programmer.id, Assignment.assigned_at,
                           Assignment.due_on, Viewing.film_id.is_not(None), Viewing.minutes,
                           Rating.id.is_not(None), Film.runtime_minutes, Film.status, Film.sort_key)
                 .join(Film, Film.id == Assignment.film_id)
                 .join(Programmer, Programmer.id == Assignment.programmer_id)
                 .outerjoin(Viewing, sa.and_(Viewing.film_id == Assignment.film_id,
                                             Viewing.programmer_id == Assignment.programmer_id))
                 .outerjoin(Rating, sa.and_(Rating.film_id == Assignment.film_id,
                                            Rating.programmer_id == Assignment.programmer_id)))
        if programmer is not None:
            query = query.where(Assignment.programmer_id == _member(session, programmer).id)
        rows = session.execute(query).all()
    result = []
    for film_id, title, name, pid, assigned_at, due, watched, minutes, rated, runtime, status, sort_key in rows:
        done = bool(watched or rated)
        late = is_overdue(due, done, day)
        if (overdue_only and not late) or (open_only and done):
            continue
        result.append((due is None, due or dt.date.max, sort_key, fold_words(name),
                       AssignmentRow(film_id, title, name, pid, assigned_at, due, bool(watched),
                                     minutes if watched else None, bool(rated), done, late, runtime, status)))
    result.sort(key=lambda item: item[:4])
    return [item[-1] for item in result]


@dataclass(frozen=True)
class ProgrammerProgress:
    programmer_id: int
    name: str
    assigned: int
    done: int
    overdue: int


@dataclass(frozen=True)
class FilmProgress:
    film_id: int
    title: str
    viewers: int  # programmers without a conflict who watched or rated it
    assigned: int
    target: int


@dataclass(frozen=True)
class Progress:
    """The committee's progress: per programmer, and per film (films short of K viewers first)."""

    target: int
    programmers: tuple[ProgrammerProgress, ...]
    films: tuple[FilmProgress, ...]


def progress(database: Database, *, today: dt.date | None = None, film_limit: int | None = 500) -> Progress:
    """Progress per programmer (assigned, done, overdue) and per assigned film (viewers so far of
    K); films listed up to `film_limit`, those furthest from K first. Counted in SQL: a festival
    of 25,000 films with 75,000 assignments reads in a fraction of a second."""
    day = _today(today)
    done = _done_condition()
    with database.reading() as session:
        target = viewers_per_film(session)
        members = dict(session.execute(sa.select(Programmer.id, Programmer.name)
                                       .where(Programmer.active.is_(True))).all())
        per_programmer = {pid: (0, 0, 0) for pid in members}
        for pid, name, assigned, finished, late in session.execute(
                sa.select(Assignment.programmer_id, Programmer.name, sa.func.count(),
                          sa.func.sum(sa.case((done, 1), else_=0)),
                          sa.func.sum(sa.case((sa.and_(~done, Assignment.due_on < day), 1), else_=0)))
                .join(Programmer, Programmer.id == Assignment.programmer_id)
                .group_by(Assignment.programmer_id, Programmer.name)):
            members.setdefault(pid, name)
            per_programmer[pid] = (assigned, int(finished or 0), int(late or 0))
        assigned_films = dict(session.execute(sa.select(Assignment.film_id, sa.func.count())
                                              .group_by(Assignment.film_id)).all())
        seen_pairs = sa.union(sa.select(Viewing.film_id, Viewing.programmer_id),
                              sa.select(Rating.film_id, Rating.programmer_id)).subquery("seen")
        recused = sa.exists().where(ConflictOfInterest.film_id == seen_pairs.c.film_id,
                                    ConflictOfInterest.programmer_id == seen_pairs.c.programmer_id)
        viewers = dict(session.execute(sa.select(seen_pairs.c.film_id, sa.func.count())
                                       .where(~recused).group_by(seen_pairs.c.film_id)).all())
        ranked = sorted(assigned_films, key=lambda film_id: (viewers.get(film_id, 0) - target, film_id))
        shown = ranked[:film_limit] if film_limit else ranked
        titles = dict(_in_chunks(session, sa.select(Film.id, Film.title), Film.id, shown))
    programmers = tuple(ProgrammerProgress(pid, members[pid], *counts)
                        for pid, counts in sorted(per_programmer.items(), key=lambda item: fold_words(members[item[0]])))
    films = sorted((FilmProgress(film_id, titles[film_id], viewers.get(film_id, 0), assigned_films[film_id], target)
                    for film_id in shown), key=lambda f: (f.viewers - f.target, fold_words(f.title)))
    return Progress(target, programmers, tuple(films))


# --- watched --------------------------------------------------------------------------------------


def mark_watched(database: Database, film_id: int, programmer: str, minutes: int | None = None) -> Change:
    """Mark that `programmer` watched the film: to the end, or stopped at `minutes` (a whole number
    above 0; at or past the runtime counts as to the end). Marking again replaces the mark; undo
    restores the earlier one (or none). Completes their assignment of the film."""
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1):
        raise UserError(f"--minutes: give the minute where you stopped (a whole number above 0), not {minutes!r}")
    with database.reading() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        who_id, who_name, title, runtime = who.id, who.name, film.title, film.runtime_minutes
    if minutes is not None and runtime is not None and minutes >= runtime:
        minutes = None
    description = f"Watched “{title}”" + (f" (stopped at {minutes} min)" if minutes else "")
    change = _set_viewing(database, film_id, who_id, (minutes,), description)
    with database.reading() as session:
        assigned = session.get(Assignment, (film_id, who_id)) is not None
    change.details.update(film_id=film_id, programmer=who_name, title=title, minutes=minutes,
                          to_the_end=minutes is None, runtime_minutes=runtime, completes_assignment=assigned)
    return change


def _set_viewing(database: Database, film_id: int, programmer_id: int, state: tuple[int | None] | None,
                 description: str) -> Change:
    """Make the viewing of the film by the programmer `state`: (minutes,) or None for no viewing."""
    with database.transaction() as session:
        row = session.get(Viewing, (film_id, programmer_id))
        before = (row.minutes,) if row is not None else None
        if state is None:
            if row is not None:
                session.delete(row)
        else:
            row = row or Viewing(film_id=film_id, programmer_id=programmer_id)
            row.minutes, row.watched_at = state[0], dt.datetime.now(dt.UTC)
            session.add(row)

    undo = undo_by(description, lambda db: _set_viewing(db, film_id, programmer_id, before, description),
                   lambda db: _set_viewing(db, film_id, programmer_id, state, description))
    return Change(description=description, films={film_id}, programmers={programmer_id},
                  undo=undo if before != state else None)


def unmark_watched(database: Database, film_id: int, programmer: str) -> Change:
    """Take back `programmer`'s watched mark of the film."""
    with database.reading() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        who_id, title = who.id, film.title
    return _set_viewing(database, film_id, who_id, None, f"Not watched: “{title}”")


# --- conflicts of interest ----------------------------------------------------------------------------


def declare_conflict(database: Database, film_id: int, programmer: str, reason: str) -> Change:
    """Record `programmer`'s conflict of interest with a film and why (a declared one gets the new
    reason). Their assignment of the film is taken back; their rating no longer counts."""
    clean = " ".join((reason or "").split())
    if not clean:
        raise UserError("conflict: give the reason (--reason TEXT); the leads see it")
    with database.transaction() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        row = session.get(ConflictOfInterest, (film_id, who.id))
        before = row.reason if row is not None else None
        assignment = session.get(Assignment, (film_id, who.id))
        assignment_due = (assignment.due_on,) if assignment is not None else None
        if assignment is not None:
            session.delete(assignment)
        row = row or ConflictOfInterest(film_id=film_id, programmer_id=who.id, reason=clean)
        row.reason = clean
        session.add(row)
        rated = session.exec(select(Rating.id).where(Rating.film_id == film_id,
                                                     Rating.programmer_id == who.id)).first() is not None
        who_id, who_name, title = who.id, who.name, film.title
    description = f"{who_name} declares a conflict of interest with “{title}”"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            current = session.get(ConflictOfInterest, (film_id, who_id))
            if before is None and current is not None:
                session.delete(current)
            elif current is not None:
                current.reason = before
                session.add(current)
            if assignment_due is not None and session.get(Assignment, (film_id, who_id)) is None:
                session.add(Assignment(film_id=film_id, programmer_id=who_id, due_on=assignment_due[0]))
        return Change(description=description, films={film_id}, programmers={who_id},
                      undo=lambda db2: declare_conflict(db2, film_id, who_name, clean))

    return Change(description=description, films={film_id}, programmers={who_id}, undo=undo,
                  details={"film_id": film_id, "title": title, "programmer": who_name, "reason": clean,
                           "previous_reason": before, "assignment_taken_back": assignment_due is not None,
                           "rating_excluded": rated})


def withdraw_conflict(database: Database, film_id: int, programmer: str) -> Change:
    """Withdraw `programmer`'s conflict of interest with a film (their rating counts again)."""
    with database.transaction() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        row = session.get(ConflictOfInterest, (film_id, who.id))
        if row is None:
            raise UserError(f"{who.name} has no conflict of interest declared with film {film_id} “{film.title}”")
        reason, who_name, title, who_id = row.reason, who.name, film.title, who.id
        session.delete(row)
    description = f"{who_name} withdraws the conflict of interest with “{title}”"

    undo = undo_by(description, lambda db: declare_conflict(db, film_id, who_name, reason),
                   lambda db: withdraw_conflict(db, film_id, who_name))
    return Change(description=description, films={film_id}, programmers={who_id}, undo=undo,
                  details={"film_id": film_id, "programmer": who_name, "reason": reason})


@dataclass(frozen=True)
class ConflictRow:
    film_id: int
    title: str
    programmer: str
    reason: str
    declared_at: dt.datetime


def conflicts(database: Database, film_id: int | None = None) -> list[ConflictRow]:
    """Every declared conflict of interest (or one film's), by film title then programmer."""
    with database.reading() as session:
        query = (sa.select(ConflictOfInterest.film_id, Film.title, Programmer.name, ConflictOfInterest.reason,
                           ConflictOfInterest.declared_at, Film.sort_key)
                 .join(Film, Film.id == ConflictOfInterest.film_id)
                 .join(Programmer, Programmer.id == ConflictOfInterest.programmer_id))
        if film_id is not None:
            query = query.where(ConflictOfInterest.film_id == film_id)
        rows = session.execute(query).all()
    rows = sorted(rows, key=lambda row: (row[5], row[0], fold_words(row[2])))
    return [ConflictRow(*row[:5]) for row in rows]


# --- language skills ------------------------------------------------------------------------------------


def set_languages(database: Database, programmer: str, languages: Iterable[str]) -> Change:
    """The languages `programmer` can follow a film in (names or codes; none: not known, so any
    film may be assigned to them). An unknown language is refused naming it."""
    codes: list[str] = []
    for text in languages:
        for piece in text.split(","):
            if not piece.strip():
                continue
            code = language_code(piece)
            if code is None:
                raise UserError(f"languages: {piece.strip()!r} is not a language name or ISO 639 code")
            if code not in codes:
                codes.append(code)
    with database.transaction() as session:
        who = _programmer(session, programmer)
        before = sorted(session.exec(select(ProgrammerLanguage.code)
                                     .where(ProgrammerLanguage.programmer_id == who.id)).all())
        session.execute(sa.delete(ProgrammerLanguage).where(ProgrammerLanguage.programmer_id == who.id))
        for code in codes:
            session.add(ProgrammerLanguage(programmer_id=who.id, code=code))
        who_id, who_name = who.id, who.name
    names = ", ".join(language_name(code) for code in codes) or "not known"
    description = f"Languages of {who_name}: {names}"

    undo = undo_by(description, lambda db: set_languages(db, who_name, before),
                   lambda db: set_languages(db, who_name, codes))
    return Change(description=description, programmers={who_id}, undo=undo,
                  details={"programmer": who_name, "languages": codes, "previous": before})


def committee_languages(database: Database) -> list[dict[str, Any]]:
    """Every active member with the languages they follow (codes and names)."""
    with database.reading() as session:
        members = session.execute(sa.select(Programmer.id, Programmer.name).where(Programmer.active.is_(True))).all()
        skills: dict[int, list[str]] = defaultdict(list)
        for programmer_id, code in session.execute(sa.select(ProgrammerLanguage.programmer_id, ProgrammerLanguage.code)
                                                   .order_by(ProgrammerLanguage.code)):
            skills[programmer_id].append(code)
    return [{"programmer": name, "languages": skills[pid], "names": [language_name(c) for c in skills[pid]]}
            for pid, name in sorted(members, key=lambda m: fold_words(m[1]))]


# --- the screener ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screener:
    """Where to watch a film. `password` is None unless it was asked for (`reveal`)."""

    film_id: int
    title: str
    link: str | None
    has_password: bool
    password: str | None
    runtime_minutes: int | None


def screener(database: Database, film_id: int, *, reveal: bool = False) -> Screener:
    """The film's screener link, and its password only when `reveal` is asked."""
    with database.reading() as session:
        [film] = _films(session, [film_id])
        return Screener(film.id, film.title, film.submission_link or None, bool(film.submission_password),
                        film.submission_password if reveal else None, film.runtime_minutes)


def parse_due_date(text: str | None) -> dt.date | None:
    """`--due` as a date (None when not given); UserError naming the field otherwise."""
    if text is None:
        return None
    from festival_desk.core.committee import parse_due

    try:
        return parse_due(text)
    except RuleError as error:
        raise UserError(f"--due: {error}") from None


# --- the film page's view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FilmCommitteeView:
    """What the film page shows of the committee's process on one film, for `viewer_id`: the
    screener (no password), the viewer's watched mark, assignment and conflict, who is assigned,
    who watched, who is recused (with reasons, for the leads), and the rubric with the viewer's
    criterion scores."""

    film_id: int
    link: str | None
    has_password: bool
    runtime_minutes: int | None
    watched: bool
    stopped_at: int | None
    assigned_due: dt.date | None
    assigned_to_me: bool
    overdue: bool
    assigned: tuple[str, ...]
    viewers: tuple[str, ...]  # watched or rated, without a conflict
    target: int
    conflicts: tuple[tuple[str, str], ...]  # (programmer, reason)
    my_conflict: str | None
    rubric: tuple[tuple[str, float], ...]  # (criterion, weight) in force
    my_criteria: tuple[tuple[str, int], ...]  # (criterion, score) of my rating given per criterion
    my_overall: float | None


def film_committee_view(database: Database, film_id: int, viewer_id: int | None, *,
                        today: dt.date | None = None) -> FilmCommitteeView:
    from festival_desk.actions.rubric import active_criteria, read_given

    with database.reading() as session:
        [film] = _films(session, [film_id])
        names = dict(session.execute(sa.select(Programmer.id, Programmer.name)).all())
        assigned = dict(session.execute(sa.select(Assignment.programmer_id, Assignment.due_on)
                                        .where(Assignment.film_id == film_id)).all())
        conflicted = dict(session.execute(sa.select(ConflictOfInterest.programmer_id, ConflictOfInterest.reason)
                                          .where(ConflictOfInterest.film_id == film_id)).all())
        seen = _seen(session, [film_id])[film_id]
        viewing = session.get(Viewing, (film_id, viewer_id)) if viewer_id is not None else None
        target = viewers_per_film(session)
        rubric_now = active_criteria(session)
        given = read_given(session, film_id, viewer_id) if viewer_id is not None else None
        criterion_names = dict(session.execute(sa.select(RubricCriterion.id, RubricCriterion.name)).all())
    mine_due = assigned.get(viewer_id)
    assigned_to_me = viewer_id in assigned
    done = viewing is not None or (given is not None)

    def by_name(ids: Iterable[int]) -> tuple[str, ...]:
        return tuple(sorted((names.get(pid, "?") for pid in ids), key=fold_words))

    return FilmCommitteeView(
        film_id=film_id, link=film.submission_link or None, has_password=bool(film.submission_password),
        runtime_minutes=film.runtime_minutes, watched=viewing is not None,
        stopped_at=viewing.minutes if viewing is not None else None, assigned_due=mine_due,
        assigned_to_me=assigned_to_me, overdue=assigned_to_me and is_overdue(mine_due, done, _today(today)),
        assigned=by_name(assigned), viewers=by_name(seen - set(conflicted)), target=target,
        conflicts=tuple(sorted(((names.get(pid, "?"), reason) for pid, reason in conflicted.items()),
                               key=lambda item: fold_words(item[0]))),
        my_conflict=conflicted.get(viewer_id) if viewer_id is not None else None,
        rubric=tuple((entry.name, entry.weight) for entry in rubric_now),
        my_criteria=tuple((criterion_names.get(cid, "?"), score) for cid, score, _ in given.criteria) if given else (),
        my_overall=given.overall if given else None)
