"""Meeting mode: the committee goes through an agenda of films ranked by weighted mean and decides.

Guarantees:
- A meeting's agenda is fixed when it starts (the films a filter or saved filter admits then, or
  the films named), so that a film decided during the meeting stays on the screen.
- `agenda` ranks the films by their mean (the ratings that count: overall scores, recused
  programmers left out), best first, then by spread (agreement first), then title; with each its
  spread, ratings, viewers (programmers without a conflict who watched or rated it), recused
  programmers and every programmer's newest note on one line.
- `decide` records one decision as one action: shortlist, select and decline move the film through
  the workflow (refused, naming the allowed moves, where the workflow has no such move), "discuss"
  flags it to be discussed again (tag “Discuss again”); the history entry names the meeting and
  who was present, and the meeting keeps the figures the committee saw. Undo takes the decision
  back (a status move is reversed and recorded as undone).
- `meeting_sheet` / `write_meeting_pdf`: the decisions on one page, no screener passwords.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.actions.committee import _conflicted, _in_chunks, _seen
from festival_desk.actions.programming import _films, _member, _programmer, _set_statuses, film_scores
from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.core.text import counted, fold_words
from festival_desk.core.workflow import Status
from festival_desk.store.db import Database
from festival_desk.store.committee_models import MEETING_DECISIONS
from festival_desk.store.filters import FilmFilter, film_ids
from festival_desk.store.models import (
    Film,
    FilmCountry,
    FilmCredit,
    FilmTag,
    Meeting,
    MeetingDecision,
    Note,
    Person,
    Programmer,
    Rating,
    StatusChange,
    Tag,
)

if TYPE_CHECKING:
    from festival_desk.printing.meeting_sheet import MeetingSheet

DISCUSS_TAG = "Discuss again"
DISCUSS_COLOUR = "#d97706"
NOTE_CHARACTERS = 140
MAX_AGENDA = 500
# The status each decision moves a film to ("discuss" moves nothing).
DECISION_STATUS = {"shortlist": Status.SHORTLISTED.value, "select": Status.SELECTED.value,
                   "decline": Status.DECLINED.value}
DECISION_LABELS = {"shortlist": "Shortlisted", "select": "Selected", "decline": "Declined",
                   "discuss": "Discuss again"}


def one_line(text: str, limit: int = NOTE_CHARACTERS) -> str:
    """The first line of `text`, cut at a word before `limit` characters with an ellipsis."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    flat = " ".join(first.split())
    if len(flat) <= limit and len(text.strip()) == len(first):
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if len(flat) > limit else flat
    return cut.rstrip(",;:.") + "…"


# --- starting ------------------------------------------------------------------------------------


def start_meeting(database: Database, title: str, chair: str, present: Sequence[str], *,
                  film_filter: FilmFilter | None = None, films: Sequence[int] | None = None,
                  agenda_label: str = "") -> Change:
    """Open a meeting chaired by `chair` with `present` (committee members; the chair is counted
    present) on the films `film_filter` admits now, or the `films` named. `change.details` holds
    "meeting_id" and "films". UserError for an empty agenda, or a name not on the committee."""
    clean_title = " ".join((title or "").split()) or f"Meeting of {dt.date.today():%d %B %Y}"
    with database.transaction() as session:
        chair_row = _programmer(session, chair)
        people = [chair_row.name]
        for name in present:
            member = _member(session, name).name
            if member not in people:
                people.append(member)
        if films is not None:
            ids = [film.id for film in _films(session, films)]
            label = agenda_label or counted(len(ids), "film")
        else:
            wanted = film_filter or FilmFilter()
            ids = film_ids(session, wanted, programmer_id=chair_row.id)
            label = agenda_label or "every film"
        if not ids:
            raise UserError(f"the agenda ({label}) has no films")
        if len(ids) > MAX_AGENDA:
            raise UserError(f"the agenda ({label}) has {len(ids)} films; a meeting takes up to {MAX_AGENDA}: "
                            "narrow the filter")
        meeting = Meeting(title=clean_title, present=sorted(people, key=fold_words), chair_id=chair_row.id,
                          agenda={"label": label, "films": ids,
                                  "filter": film_filter.to_dict() if film_filter is not None else None})
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    description = f"Start the meeting “{clean_title}”"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            if session.exec(select(MeetingDecision.id).where(MeetingDecision.meeting_id == meeting_id)).first():
                raise UserError(f"the meeting “{clean_title}” has decisions: take them back first")
            session.execute(sa.delete(Meeting).where(Meeting.id == meeting_id))
        return Change(description=description, settings={f"meeting:{meeting_id}"})

    return Change(description=description, settings={f"meeting:{meeting_id}"}, undo=undo,
                  details={"meeting_id": meeting_id, "films": ids, "present": sorted(people, key=fold_words),
                           "title": clean_title, "agenda": label})


def end_meeting(database: Database, meeting_id: int) -> Change:
    """Record the end of the meeting (its decisions stay)."""
    with database.transaction() as session:
        meeting = _meeting(session, meeting_id)
        meeting.ended_at = dt.datetime.now(dt.UTC)
        session.add(meeting)
        title = meeting.title
    return Change(description=f"End the meeting “{title}”", settings={f"meeting:{meeting_id}"})


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError(f"no meeting with id {meeting_id}")
    return meeting


# --- the ranked agenda --------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteLine:
    programmer: str
    text: str  # the newest note's first line, shortened
    score: int | None  # their stars (None: not rated)
    recused: bool


@dataclass(frozen=True)
class AgendaFilm:
    film_id: int
    rank: int
    title: str
    directors: tuple[str, ...]
    countries: tuple[str, ...]
    year: int | None
    runtime_minutes: int | None
    status: str
    mean: float | None
    spread: float | None
    ratings: int
    viewers: int
    recused: tuple[str, ...]
    notes: tuple[NoteLine, ...]
    decision: str | None  # this meeting's latest decision on the film
    discuss_again: bool


@dataclass(frozen=True)
class MeetingView:
    meeting_id: int
    title: str
    agenda_label: str
    present: tuple[str, ...]
    chair: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    films: tuple[AgendaFilm, ...]


def _rank_key(item: dict[str, Any]) -> tuple:
    mean, spread = item["mean"], item["spread"]
    return (mean is None, -(mean or 0), spread if spread is not None else 9, fold_words(item["title"]), item["film_id"])


def _figures(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per film: title, facts, counted scores, viewers, recused names, notes by programmer, tag."""
    names = dict(session.execute(sa.select(Programmer.id, Programmer.name)).all())
    figures: dict[int, dict[str, Any]] = {}
    for film_id, title, year, runtime, status in _in_chunks(
            session, sa.select(Film.id, Film.title, Film.year, Film.runtime_minutes, Film.status), Film.id, ids):
        figures[film_id] = {"film_id": film_id, "title": title, "year": year, "runtime_minutes": runtime,
                            "status": status, "directors": [], "countries": []}
    for film_id, name in _in_chunks(session, sa.select(FilmCredit.film_id, Person.name)
                                    .join(Person, Person.id == FilmCredit.person_id)
                                    .where(FilmCredit.role == "director")
                                    .order_by(FilmCredit.film_id, FilmCredit.position), FilmCredit.film_id, ids):
        figures[film_id]["directors"].append(name)
    for film_id, code, label in _in_chunks(session, sa.select(FilmCountry.film_id, FilmCountry.code, FilmCountry.label)
                                           .order_by(FilmCountry.film_id, FilmCountry.position),
                                           FilmCountry.film_id, ids):
        figures[film_id]["countries"].append(code or label)
    scores = film_scores(session, ids)
    seen = _seen(session, ids)
    conflicted = _conflicted(session, ids)
    stars: dict[int, dict[int, int]] = defaultdict(dict)
    for film_id, programmer_id, score in _in_chunks(
            session, sa.select(Rating.film_id, Rating.programmer_id, Rating.score), Rating.film_id, ids):
        stars[film_id][programmer_id] = score
    newest: dict[int, dict[int, str]] = defaultdict(dict)
    for film_id, programmer_id, text in _in_chunks(
            session, sa.select(Note.film_id, Note.programmer_id, Note.text).order_by(Note.updated_at, Note.id),
            Note.film_id, ids):
        newest[film_id][programmer_id] = text
    flagged = {film_id for (film_id,) in _in_chunks(
        session, sa.select(FilmTag.film_id).join(Tag, Tag.id == FilmTag.tag_id).where(Tag.name == DISCUSS_TAG),
        FilmTag.film_id, ids)}
    for film_id, item in figures.items():
        summary = scores.get(film_id)
        item.update(mean=summary.mean if summary else None, spread=summary.spread if summary else None,
                    ratings=summary.count if summary else 0,
                    viewers=len(seen[film_id] - conflicted[film_id]),
                    recused=sorted((names.get(p, "?") for p in conflicted[film_id]), key=fold_words),
                    discuss_again=film_id in flagged)
        people = set(newest[film_id]) | set(stars[film_id])
        item["notes"] = [NoteLine(names.get(pid, "?"), one_line(newest[film_id].get(pid, "")),
                                  stars[film_id].get(pid), pid in conflicted[film_id])
                         for pid in sorted(people, key=lambda p: fold_words(names.get(p, "")))]
    return figures


def agenda(database: Database, meeting_id: int) -> MeetingView:
    """The meeting with its films ranked (see the module's guarantees)."""
    with database.reading() as session:
        meeting = _meeting(session, meeting_id)
        ids = [film_id for film_id in meeting.agenda.get("films", [])]
        figures = _figures(session, ids)
        latest: dict[int, str] = {}
        for film_id, decision in session.execute(
                sa.select(MeetingDecision.film_id, MeetingDecision.decision)
                .where(MeetingDecision.meeting_id == meeting_id).order_by(MeetingDecision.id)):
            latest[film_id] = decision
        chair = session.get(Programmer, meeting.chair_id).name if meeting.chair_id else None
        header = (meeting.id, meeting.title, meeting.agenda.get("label", ""), tuple(meeting.present), chair,
                  meeting.started_at, meeting.ended_at)
    ranked = sorted((item for film_id, item in figures.items()), key=_rank_key)
    films = tuple(AgendaFilm(
        film_id=item["film_id"], rank=rank, title=item["title"], directors=tuple(item["directors"]),
        countries=tuple(item["countries"]), year=item["year"], runtime_minutes=item["runtime_minutes"],
        status=item["status"], mean=item["mean"], spread=item["spread"], ratings=item["ratings"],
        viewers=item["viewers"], recused=tuple(item["recused"]), notes=tuple(item["notes"]),
        decision=latest.get(item["film_id"]), discuss_again=item["discuss_again"])
        for rank, item in enumerate(ranked, start=1))
    return MeetingView(*header, films=films)


# --- deciding ----------------------------------------------------------------------------------------


def _history_comment(meeting: Meeting) -> str:
    return f"Meeting “{meeting.title}” ({meeting.started_at.astimezone():%d %b %Y}); present: {', '.join(meeting.present)}"


def decide(database: Database, meeting_id: int, film_id: int, decision: str, chair: str) -> Change:
    """Record the meeting's decision on a film (see the module's guarantees)."""
    if decision not in MEETING_DECISIONS:
        raise UserError(f"unknown decision {decision!r}; decisions: {', '.join(MEETING_DECISIONS)}")
    with database.reading() as session:
        meeting = _meeting(session, meeting_id)
        if meeting.ended_at is not None:
            raise UserError(f"the meeting “{meeting.title}” has ended")
        if film_id not in meeting.agenda.get("films", []):
            raise UserError(f"film {film_id} is not on the agenda of “{meeting.title}”")
        [film] = _films(session, [film_id])
        chair_name = _programmer(session, chair).name
        comment = _history_comment(meeting)
        figures = _figures(session, [film_id])[film_id]
        title, from_status = film.title, film.status
    description = f"{DECISION_LABELS[decision]}: “{title}”"
    snapshot = {"mean": figures["mean"], "spread": figures["spread"], "ratings": figures["ratings"],
                "viewers": figures["viewers"], "recused": figures["recused"]}
    recorded: dict[str, Any] = {}

    def record(session: Session, entries: dict[int, StatusChange]) -> None:
        entry = entries.get(film_id)
        row = MeetingDecision(meeting_id=meeting_id, film_id=film_id, decision=decision, from_status=from_status,
                              status_change_id=entry.id if entry is not None else None, **snapshot)
        session.add(row)
        session.flush()
        recorded.update(id=row.id, moved=entry is not None)

    if decision in DECISION_STATUS:
        change = _set_statuses(database, {film_id: DECISION_STATUS[decision]}, chair_name, comment, description,
                               check=True, within=record)
    else:
        change = _flag_discuss(database, film_id, chair_name, comment, from_status, record)
        recorded["tagged"] = change.details.pop("tagged")
    decision_id, moved = recorded["id"], recorded["moved"]

    def undo(db: Database) -> Change:
        def forget(session: Session, _entries: dict[int, StatusChange]) -> None:
            session.execute(sa.delete(MeetingDecision).where(MeetingDecision.id == decision_id))

        if decision in DECISION_STATUS and moved:
            inverse = _set_statuses(db, {film_id: from_status}, chair_name, "", description, check=False,
                                    kind="undo", within=forget, expected={film_id: DECISION_STATUS[decision]})
        elif decision == "discuss":
            inverse = _unflag_discuss(db, film_id, decision_id, recorded.get("tagged", False), forget)
        else:
            with db.transaction() as session:
                forget(session, {})
            inverse = Change(description=description, films={film_id})
        inverse.description = description
        inverse.settings |= {f"meeting:{meeting_id}"}
        inverse.undo = lambda db2: decide(db2, meeting_id, film_id, decision, chair_name)
        return inverse

    change.undo = undo
    change.description = description
    change.films |= {film_id}
    change.settings |= {f"meeting:{meeting_id}"}
    change.details.update(meeting_id=meeting_id, film_id=film_id, decision=decision, decision_id=decision_id,
                          from_status=from_status, to_status=DECISION_STATUS.get(decision, from_status))
    return change


def _discuss_tag(session: Session) -> Tag:
    tag = session.exec(select(Tag).where(Tag.name == DISCUSS_TAG)).first()
    if tag is None:
        tag = Tag(name=DISCUSS_TAG, colour=DISCUSS_COLOUR)
        session.add(tag)
        session.flush()
    return tag


def _flag_discuss(database: Database, film_id: int, chair: str, comment: str, status: str, record) -> Change:
    """Flag the film to be discussed again: the tag, a history entry of kind "discuss" (its status
    stays), and the meeting's record."""
    with database.transaction() as session:
        who = _programmer(session, chair)
        tag = _discuss_tag(session)
        tagged = session.get(FilmTag, (film_id, tag.id)) is None  # False: flagged before, and stays so
        if tagged:
            session.add(FilmTag(film_id=film_id, tag_id=tag.id))
        entry = StatusChange(film_id=film_id, programmer_id=who.id, from_status=status, to_status=status,
                             comment=comment, kind="discuss")
        session.add(entry)
        session.flush()
        record(session, {film_id: entry})
    change = Change(description="", films={film_id}, settings={f"tag:{DISCUSS_TAG}"})
    change.details["tagged"] = tagged
    return change


def _unflag_discuss(database: Database, film_id: int, decision_id: int, remove_tag: bool, forget) -> Change:
    with database.transaction() as session:
        entry_id = session.execute(sa.select(MeetingDecision.status_change_id)
                                   .where(MeetingDecision.id == decision_id)).scalar()
        forget(session, {})
        if entry_id is not None:
            session.execute(sa.delete(StatusChange).where(StatusChange.id == entry_id))
        still_flagged = session.execute(sa.select(MeetingDecision.id).where(
            MeetingDecision.film_id == film_id, MeetingDecision.decision == "discuss")).first()
        if remove_tag and still_flagged is None:
            tag = session.exec(select(Tag).where(Tag.name == DISCUSS_TAG)).first()
            if tag is not None:
                session.execute(sa.delete(FilmTag).where(FilmTag.film_id == film_id, FilmTag.tag_id == tag.id))
    return Change(description="", films={film_id}, settings={f"tag:{DISCUSS_TAG}"})


# --- the meeting's page ----------------------------------------------------------------------------


def meeting_sheet(database: Database, meeting_id: int) -> MeetingSheet:
    """The plain snapshot the meeting's one-page PDF is printed from: its latest decision on each
    film, in agenda rank, with the figures seen when deciding."""
    from festival_desk.printing.meeting_sheet import MeetingSheet, SheetDecision

    view = agenda(database, meeting_id)
    with database.reading() as session:
        festival = session.execute(sa.text("SELECT name, edition FROM festival ORDER BY id LIMIT 1")).first()
        rows = session.execute(sa.select(MeetingDecision).where(MeetingDecision.meeting_id == meeting_id)
                               .order_by(MeetingDecision.id)).scalars().all()
        latest = {row.film_id: row for row in rows}
    ranks = {film.film_id: film for film in view.films}
    decisions = tuple(SheetDecision(
        rank=ranks[film_id].rank, title=ranks[film_id].title, directors=ranks[film_id].directors,
        decision=DECISION_LABELS[row.decision], mean=row.mean, spread=row.spread, ratings=row.ratings,
        viewers=row.viewers, recused=tuple(row.recused))
        for film_id, row in sorted(latest.items(), key=lambda item: ranks[item[0]].rank) if film_id in ranks)
    festival_name = " ".join(part for part in (festival or ()) if part) or "Festival"
    when = view.started_at.astimezone()
    return MeetingSheet(festival=festival_name, title=view.title, date=f"{when:%d %B %Y}", chair=view.chair or "",
                        present=view.present, agenda=view.agenda_label, agenda_films=len(view.films),
                        decisions=decisions)


def write_meeting_pdf(database: Database, meeting_id: int, path: str | Path) -> Change:
    """The meeting's decisions on one A4 page (printing.meeting_sheet), written to `path`."""
    path = Path(path)
    if not path.parent.is_dir():
        raise UserError(f"{path}: the folder {path.parent} does not exist")
    from festival_desk.printing.meeting_sheet import render_meeting_sheet

    from festival_desk.printing.fonts import coverage_warnings

    sheet = meeting_sheet(database, meeting_id)
    data, shown = render_meeting_sheet(sheet)
    files.write_file(path, data)
    warnings = coverage_warnings([(f"Film {item.title!r}", f"{item.title} {' '.join(item.directors)}")
                                  for item in sheet.decisions[:shown]] +
                                 [("Present", " ".join(sheet.present)), ("Title", sheet.title)])
    return Change(description=f"Meeting decisions: {path.name}",
                  details={"path": str(path), "decisions": len(sheet.decisions), "printed": shown,
                           "warnings": warnings})


def meetings(database: Database) -> list[dict[str, Any]]:
    """Every meeting, newest first, with its number of decisions."""
    with database.reading() as session:
        counts = dict(session.execute(sa.select(MeetingDecision.meeting_id, sa.func.count())
                                      .group_by(MeetingDecision.meeting_id)).all())
        rows = session.exec(select(Meeting).order_by(Meeting.started_at.desc(), Meeting.id.desc())).all()
        return [{"id": row.id, "title": row.title, "started_at": row.started_at, "ended_at": row.ended_at,
                 "present": list(row.present), "agenda": row.agenda.get("label", ""),
                 "films": len(row.agenda.get("films", [])), "decisions": counts.get(row.id, 0)} for row in rows]
