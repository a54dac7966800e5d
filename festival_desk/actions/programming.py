"""The committee's work on submissions: who is rating, ratings and notes, assignments, the status
workflow with its history, and coloured tags (flags).

Every writing function is one user action in one transaction and returns a `Change` whose `undo`
performs the inverse as a new action (returning its own Change, whose undo redoes). A programmer is
named by the name they work under (`--as NAME` on the command line), in any case or accent
spelling; a name that is not on the committee is refused with the nearest members named, never
added silently (`add_programmer` adds one; `rename_programmer` and `merge_programmers` repair a
duplicate).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.actions.conflicts import by_whom, conflict, insert_once, who_changed
from festival_desk.actions.films import StatusMove, status_moves
from festival_desk.actions.recusals import refuse_if_conflicted
from festival_desk.core.codes import country_name, language_name
from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.core.matching import nearest_names
from festival_desk.core.scores import ScoreSummary, check_score, summarize_overall
from festival_desk.core.text import counted, fold_words
from festival_desk.core.workflow import Status, allowed_targets, can_move, parse_status
from festival_desk.store import changelog
from festival_desk.store.db import IDENTITY_KEY, Database
from festival_desk.store.filters import FilmFilter, film_ids
from festival_desk.store.scoring import counted_ratings
from festival_desk.store.models import (
    Assignment,
    ConflictOfInterest,
    Festival,
    Film,
    FilmCountry,
    FilmCredit,
    FilmLanguage,
    FilmTag,
    Note,
    Person,
    Programmer,
    Rating,
    Section,
    StatusChange,
    Tag,
)

if TYPE_CHECKING:
    from festival_desk.printing.shortlist import ShortlistSheet

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# --- who am I ---------------------------------------------------------------------------------


def _clean_name(name: str | None) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise UserError("the programmer's name is empty: every rating and note is someone's")
    return clean


def unknown_programmer_message(name: str, members: Sequence[str]) -> str:
    """One line for a name that is not on the committee, naming the nearest members."""
    nearest = nearest_names(name, members)
    hint = f" (did you mean {' or '.join(repr(member) for member in nearest)}?)" if nearest else ""
    return f"no committee member called {name!r}{hint}; to add one: festival-desk programmers add {name!r}"


def _member_named(members: Sequence[Programmer], name: str) -> Programmer | None:
    key = fold_words(name)
    return next((member for member in members if fold_words(member.name) == key), None)


def _team_programmer(session: Session, name: str | None) -> Programmer | None:
    """On a team database, the programmer the signed-in login is (a different name is refused);
    None elsewhere, where the name says who is working."""
    identity = session.info.get(IDENTITY_KEY)
    if identity is None or not identity.is_team_member:
        return None
    me = session.get(Programmer, identity.programmer_id) if identity.programmer_id is not None else None
    if me is None:
        raise UserError(f"you are signed in as {identity.login}, who is not on this festival's committee "
                        "(ask an admin: festival-desk team add)")
    clean = " ".join((name or "").split())
    if clean and fold_words(clean) not in (fold_words(me.name), fold_words(identity.login)):
        raise UserError(f"you are signed in as {identity.login} ({me.name}); working as {clean!r} is refused: "
                        "on a team database everyone works as themselves")
    return me


def _programmer(session: Session, name: str | None) -> Programmer:
    """The committee member working under `name` (case and accents aside). A name that is not on
    the committee is refused (UserError naming the nearest members), never added silently. On a
    team database it is the signed-in login's programmer (`name` may be left out)."""
    me = _team_programmer(session, name)
    if me is not None:
        return me
    return _member(session, name)


def _member(session: Session, name: str | None) -> Programmer:
    """The committee member named `name` (case and accents aside), whoever is working: the one a
    film is assigned to, one present at a meeting. A name not on the committee is refused, naming
    the nearest members."""
    clean = _clean_name(name)
    members = session.exec(select(Programmer)).all()
    found = _member_named(members, clean)
    if found is None:
        raise UserError(unknown_programmer_message(clean, [member.name for member in members]))
    return found


def find_member(database: Database, name: str) -> tuple[int | None, str, list[str]]:
    """(id, name as stored, []) of the committee member working under `name`, else (None, the
    name as typed, the nearest members' names). UserError only for an empty name."""
    clean = _clean_name(name)
    with database.reading() as session:
        members = session.exec(select(Programmer)).all()
    found = _member_named(members, clean)
    if found is None:
        return None, clean, nearest_names(clean, [member.name for member in members])
    return found.id, found.name, []


def programmer_id(database: Database, name: str) -> int:
    """The id of the committee member working under `name`; UserError when there is none."""
    with database.reading() as session:
        return _programmer(session, name).id


def committee(database: Database) -> list[tuple[int, str]]:
    """(id, name) of every committee member, by name."""
    with database.reading() as session:
        return [(row.id, row.name) for row in session.exec(select(Programmer).order_by(Programmer.name))]


def nearest_members(database: Database, name: str) -> list[str]:
    """The committee members whose names are most like `name` (case and accents aside)."""
    return nearest_names(name, [member for _, member in committee(database)])


def _free_name(session: Session, name: str, *, except_id: int | None = None) -> str:
    clean = _clean_name(name)
    key = fold_words(clean)
    for other in session.exec(select(Programmer)).all():
        if other.id != except_id and fold_words(other.name) == key:
            raise UserError(f"{other.name!r} is already on the committee (programmer {other.id})")
    return clean


def add_programmer(database: Database, name: str) -> Change:
    """Add a member to the committee. Refuses an empty name and a name already there (case and
    accents aside). Undo removes the member again while they have rated and written nothing."""
    with database.transaction() as session:
        programmer = Programmer(name=_free_name(session, name))
        session.add(programmer)
        session.flush()
        added_id, added_name = programmer.id, programmer.name
    description = f"Add {added_name} to the committee"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            used = any(session.exec(select(table.programmer_id).where(table.programmer_id == added_id)).first()
                       is not None for table in (Rating, Note, Assignment))
            if used:
                raise UserError(f"{added_name} has rated or written notes since; merge them into another "
                                "member instead of removing them")
            session.execute(sa.delete(Programmer).where(Programmer.id == added_id))
        return Change(description=description, programmers={added_id},
                      undo=lambda db2: add_programmer(db2, added_name))

    return Change(description=description, programmers={added_id}, undo=undo,
                  details={"id": added_id, "name": added_name})


def rename_programmer(database: Database, programmer_id: int, name: str) -> Change:
    """Give a committee member another name (their ratings and notes stay theirs)."""
    with database.transaction() as session:
        programmer = session.get(Programmer, programmer_id)
        if programmer is None:
            raise UserError(f"no programmer with id {programmer_id}")
        new_name = _free_name(session, name, except_id=programmer_id)
        old_name = programmer.name
        if new_name == old_name:
            return Change(description=f"Rename {old_name}", details={"id": programmer_id, "name": old_name})
        programmer.name = new_name
        session.add(programmer)
    description = f"Rename {old_name} to {new_name}"

    def undo(db: Database) -> Change:
        change = rename_programmer(db, programmer_id, old_name)
        change.description = description
        return change

    return Change(description=description, programmers={programmer_id}, undo=undo,
                  details={"id": programmer_id, "name": new_name, "previous_name": old_name})


def merge_programmers(database: Database, from_id: int, into_id: int) -> Change:
    """Fold the member `from_id` (say, an accidental duplicate) into `into_id`: their ratings,
    notes, assignments and status moves become `into_id`'s, and `from_id` leaves the committee.
    Where both rated the same film, `into_id`'s rating stays and the other is kept aside for undo.
    Undo puts everything back as it was."""
    if from_id == into_id:
        raise UserError("merge: choose two different programmers")
    with database.transaction() as session:
        source, target = session.get(Programmer, from_id), session.get(Programmer, into_id)
        for wanted, found in ((from_id, source), (into_id, target)):
            if found is None:
                raise UserError(f"no programmer with id {wanted}")
        target_rated = set(session.exec(select(Rating.film_id).where(Rating.programmer_id == into_id)).all())
        dropped = [(r.id, r.film_id, r.score, r.rated_at) for r in session.exec(
            select(Rating).where(Rating.programmer_id == from_id, Rating.film_id.in_(target_rated))).all()]
        moved_ratings = list(session.exec(select(Rating.id).where(
            Rating.programmer_id == from_id, Rating.film_id.not_in(target_rated))).all())
        moved_notes = list(session.exec(select(Note.id).where(Note.programmer_id == from_id)).all())
        target_assigned = set(session.exec(select(Assignment.film_id).where(Assignment.programmer_id == into_id)).all())
        moved_assignments = [film for film in session.exec(select(Assignment.film_id).where(
            Assignment.programmer_id == from_id)).all() if film not in target_assigned]
        moved_moves = list(session.exec(select(StatusChange.id).where(StatusChange.programmer_id == from_id)).all())
        session.execute(sa.update(Rating).where(Rating.id.in_(moved_ratings)).values(programmer_id=into_id))
        session.execute(sa.update(Note).where(Note.id.in_(moved_notes)).values(programmer_id=into_id))
        session.execute(sa.update(Assignment).where(Assignment.programmer_id == from_id,
                                                    Assignment.film_id.in_(moved_assignments))
                        .values(programmer_id=into_id))
        session.execute(sa.update(StatusChange).where(StatusChange.id.in_(moved_moves)).values(programmer_id=into_id))
        # Viewings, conflicts of interest, languages and chaired meetings (actions.committee_merge).
        from festival_desk.actions.committee_merge import fold_process_records

        restore_process_records = fold_process_records(session, from_id, into_id)
        session.execute(sa.delete(Programmer).where(Programmer.id == from_id))
        source_name, source_email, target_name = source.name, source.email, target.name
        films = {film for (film,) in session.execute(sa.select(Rating.film_id).where(Rating.id.in_(moved_ratings)))}
        films |= {film for (film,) in session.execute(sa.select(Note.film_id).where(Note.id.in_(moved_notes)))}
        films |= {film_id for _, film_id, _, _ in dropped}
    description = f"Merge {source_name} into {target_name}"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            session.add(Programmer(id=from_id, name=source_name, email=source_email))
            session.flush()
            session.execute(sa.update(Rating).where(Rating.id.in_(moved_ratings)).values(programmer_id=from_id))
            session.execute(sa.update(Note).where(Note.id.in_(moved_notes)).values(programmer_id=from_id))
            session.execute(sa.update(Assignment).where(Assignment.programmer_id == into_id,
                                                        Assignment.film_id.in_(moved_assignments))
                            .values(programmer_id=from_id))
            session.execute(sa.update(StatusChange).where(StatusChange.id.in_(moved_moves))
                            .values(programmer_id=from_id))
            for rating_id, film_id, score, rated_at in dropped:
                session.add(Rating(id=rating_id, film_id=film_id, programmer_id=from_id, score=score,
                                   rated_at=rated_at))
            session.flush()
            restore_process_records(session)
        return Change(description=description, films=films, programmers={from_id, into_id},
                      undo=lambda db2: merge_programmers(db2, from_id, into_id))

    return Change(description=description, films=films, programmers={from_id, into_id}, undo=undo,
                  details={"from": from_id, "into": into_id, "ratings": len(moved_ratings),
                           "notes": len(moved_notes), "kept_aside": len(dropped)})


def _films(session: Session, film_ids: Iterable[int], *, lock: bool = False) -> list[Film]:
    """The films by id, in the order given; `lock` holds them until the transaction ends, so that
    a colleague's move of the same films waits for this one (PostgreSQL; SQLite writers hold the
    whole file)."""
    ids = list(dict.fromkeys(film_ids))
    if not ids:
        raise UserError("no films given")
    query = select(Film).where(Film.id.in_(ids)).order_by(Film.id)
    films = {film.id: film for film in session.exec(query.with_for_update() if lock else query).all()}
    missing = [str(film_id) for film_id in ids if film_id not in films]
    if missing:
        raise UserError(f"no film with id {', '.join(missing)}")
    return [films[film_id] for film_id in ids]


def _label(film: Film) -> str:
    return f"film {film.id} “{film.title}”"


# --- ratings and notes --------------------------------------------------------------------------


def _set_scores(database: Database, programmer_id: int, targets: dict[int, int | None], description: str,
                note: tuple[int, str] | None = None, restore: dict[int, Any] | None = None) -> Change:
    """Give each film in `targets` the programmer's score (None: no rating), and add `note`
    (film id, text) when given. Returns a Change whose undo puts back the ratings this replaced
    (one given per criterion comes back with its criterion scores: `restore`, film id → the
    rating as given); films whose score was already the target are left alone, and a change of
    nothing has no undo. Refused for a film the programmer declared a conflict of interest with."""
    # actions.rubric builds on this module: imported here, when a rating is written.
    from festival_desk.actions.rubric import read_given, write_given

    with database.transaction() as session:
        _films(session, targets)
        refuse_if_conflicted(session, programmer_id, [f for f, score in targets.items() if score is not None],
                             "rate it")
        current = {rating.film_id: rating for rating in session.exec(select(Rating).where(
            Rating.programmer_id == programmer_id, Rating.film_id.in_(list(targets)))).all()}
        previous = {film_id: current[film_id].score if film_id in current else None for film_id in targets}
        now = dt.datetime.now(dt.UTC)
        changed: set[int] = set()
        replaced: dict[int, Any] = {}  # ratings given per criterion that a whole score replaces
        for film_id, score in targets.items():
            rating = current.get(film_id)
            if rating is not None and rating.criteria_overall is not None and score != previous[film_id]:
                replaced[film_id] = read_given(session, film_id, programmer_id)
            if previous[film_id] == score and film_id not in (restore or {}):
                continue
            changed.add(film_id)
            if film_id in (restore or {}):
                write_given(session, film_id, programmer_id, restore[film_id], now)
            elif film_id in replaced:
                write_given(session, film_id, programmer_id, None)
                if score is not None:
                    session.add(Rating(film_id=film_id, programmer_id=programmer_id, score=score, rated_at=now))
            elif score is None:
                session.delete(rating)
            elif rating is not None:
                rating.score, rating.rated_at = score, now
                session.add(rating)
            else:
                # The same programmer may rate from two desks at once: one row either way.
                rating = insert_once(session, Rating(film_id=film_id, programmer_id=programmer_id, score=score,
                                                     rated_at=now),
                                     lambda film_id=film_id: session.exec(select(Rating).where(
                                         Rating.film_id == film_id, Rating.programmer_id == programmer_id)).first())
                rating.score, rating.rated_at = score, now
                session.add(rating)
        changelog.describe(session, description)
        note_id = None
        if note is not None and note[1].strip():
            added = Note(film_id=note[0], programmer_id=programmer_id, text=note[1].strip())
            session.add(added)
            session.flush()
            note_id = added.id
    back = {film_id: previous[film_id] for film_id in changed}

    def undo(db: Database) -> Change:
        if note_id is not None:
            _delete_note_row(db, note_id)
        inverse = _set_scores(db, programmer_id, back, description, restore=replaced)
        if note_id is not None:  # redo adds the note again
            inverse.undo = lambda db2: _set_scores(db2, programmer_id, {f: targets[f] for f in changed},
                                                   description, note)
        return inverse

    touched = changed | ({note[0]} if note_id is not None else set())
    return Change(description=description, films=touched, programmers={programmer_id},
                  undo=undo if touched else None,
                  details={"changed": sorted(changed), "previous_scores": previous, "note_id": note_id})


def _delete_note_row(database: Database, note_id: int) -> None:
    with database.transaction() as session:
        session.execute(sa.delete(Note).where(Note.id == note_id))


def rate(database: Database, film_id: int, programmer: str, score: int, note: str | None = None) -> Change:
    """Record `programmer`'s 1–5 rating of a film (replacing their earlier one), with an optional
    note. UserError for a score outside 1–5, an unknown film or a name not on the committee.
    Rating a film with the score it already has changes nothing and adds no undo step."""
    try:
        check_score(score)
    except ValueError as error:
        raise UserError(f"score: {error}") from None
    with database.reading() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        who_id, who_name, title = who.id, who.name, film.title
    change = _set_scores(database, who_id, {film_id: score}, f"Rate “{title}” {score} of 5",
                         (film_id, note) if note else None)
    change.details.update(film_id=film_id, programmer=who_name, score=score, title=title,
                          previous_score=change.details["previous_scores"][film_id])
    return change


def rate_films(database: Database, film_ids: Sequence[int], programmer: str, score: int | None) -> Change:
    """Give several films `programmer`'s score (None clears their ratings) as one action."""
    if score is not None:
        try:
            check_score(score)
        except ValueError as error:
            raise UserError(f"score: {error}") from None
    with database.reading() as session:
        films = _films(session, film_ids)
        who = _programmer(session, programmer)
        who_id = who.id
        subject = f"“{films[0].title}”" if len(films) == 1 else counted(len(films), "film")
    description = f"Rate {subject} {score} of 5" if score is not None else f"Clear my rating of {subject}"
    return _set_scores(database, who_id, {film.id: score for film in films}, description)


def clear_rating(database: Database, film_id: int, programmer: str) -> Change:
    """Take back `programmer`'s rating of a film (nothing to undo when there was none)."""
    return rate_films(database, [film_id], programmer, None)


@dataclass(frozen=True)
class NoteView:
    """One note on a film as the film page shows it."""

    id: int
    programmer_id: int
    programmer: str
    text: str
    created_at: dt.datetime
    updated_at: dt.datetime


def add_note(database: Database, film_id: int, programmer: str, text: str) -> Change:
    """Add a note by `programmer` on a film; undo removes it (and redo adds it again)."""
    if not text or not text.strip():
        raise UserError("note: the note is empty")
    return save_note(database, film_id, programmer, text)


def save_note(database: Database, film_id: int, programmer: str, text: str, *, note_id: int | None = None) -> Change:
    """Write `programmer`'s note on a film: a new note (`note_id` None) or new text for their note
    `note_id`; empty text deletes that note. Only the author may change a note. Undo puts back
    what was there (the text, or no note); writing the text a note already has changes nothing."""
    with database.reading() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        who_id, title = who.id, film.title
    return _set_note(database, film_id, who_id, note_id, text.strip() or None, f"Note on “{title}”")


def delete_note(database: Database, note_id: int, programmer: str) -> Change:
    """Delete `programmer`'s own note `note_id` (undo brings it back)."""
    with database.reading() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise UserError(f"no note with id {note_id}")
        film_id = note.film_id
        title = session.get(Film, film_id).title
        who_id = _programmer(session, programmer).id
    return _set_note(database, film_id, who_id, note_id, None, f"Delete note on “{title}”")


def _set_note(database: Database, film_id: int, programmer_id: int, note_id: int | None, text: str | None,
              description: str) -> Change:
    """Make note `note_id` (None: a new note) of `programmer_id` on `film_id` hold `text` (None:
    no note). The Change's details name the note ("note_id") as it now is; its undo restores the
    text the note had (recreating it under its id when it was deleted)."""
    with database.transaction() as session:
        note = session.get(Note, note_id) if note_id is not None else None
        if note is not None and (note.programmer_id != programmer_id or note.film_id != film_id):
            owner = session.get(Programmer, note.programmer_id)
            raise UserError(f"that note is {owner.name if owner else 'someone else'}'s: only its author may change it")
        before = note.text if note is not None else None
        if before == text:
            return Change(description=description, details={"note_id": note_id if note else None})
        now = dt.datetime.now(dt.UTC)
        if text is None:
            session.delete(note)
            result_id = None
        elif note is not None:
            note.text, note.updated_at = text, now
            session.add(note)
            result_id = note.id
        else:
            free = note_id is not None and session.get(Note, note_id) is None
            note = Note(id=note_id if free else None, film_id=film_id, programmer_id=programmer_id, text=text,
                        created_at=now, updated_at=now)
            session.add(note)
            session.flush()
            result_id = note.id
    restored_id = result_id if result_id is not None else note_id

    def undo(db: Database) -> Change:
        return _set_note(db, film_id, programmer_id, restored_id, before, description)

    return Change(description=description, films={film_id}, programmers={programmer_id}, undo=undo,
                  details={"note_id": result_id})


def film_notes(database: Database, film_id: int) -> list[NoteView]:
    """Every note on a film, oldest first, with its author."""
    with database.reading() as session:
        rows = session.execute(
            sa.select(Note.id, Note.programmer_id, Programmer.name, Note.text, Note.created_at, Note.updated_at)
            .join(Programmer, Programmer.id == Note.programmer_id)
            .where(Note.film_id == film_id).order_by(Note.created_at, Note.id)).all()
    return [NoteView(*row) for row in rows]


@dataclass(frozen=True)
class ColleagueOpinion:
    """One programmer's rating (None: not rated) and notes on a film, as the film page lists them.
    `recused`: they declared a conflict of interest, so their rating does not count."""

    programmer_id: int
    programmer: str
    score: int | None
    notes: tuple[NoteView, ...]
    recused: bool = False


@dataclass(frozen=True)
class FilmOpinions:
    """Everything the film page's ratings and notes panel shows, as the programmer `viewer_id`
    may see it. In blind mode, until the viewer has rated the film, `hidden` is True: no summary,
    and of the others' opinions nothing at all."""

    film_id: int
    summary: ScoreSummary | None
    my_score: int | None
    my_notes: tuple[NoteView, ...]  # oldest first
    others: tuple[ColleagueOpinion, ...]  # by name
    hidden: bool
    # The reason of the viewer's own conflict of interest on the film (None: none): they may not rate it.
    my_conflict: str | None = None
    recused: tuple[str, ...] = ()  # the names of the programmers recused from the film


def film_opinions(database: Database, film_id: int, viewer_id: int | None, *, blind: bool = False) -> FilmOpinions:
    """The ratings and notes of a film as `viewer_id` (None: nobody in particular) may see them.
    The summary counts the ratings that count (store.scoring: overall scores, recused left out)."""
    with database.reading() as session:
        _films(session, [film_id])
        scores = dict(session.execute(sa.select(Rating.programmer_id, Rating.score)
                                      .where(Rating.film_id == film_id)).all())
        counted = [value for _, _, value in session.execute(counted_ratings().where(Rating.film_id == film_id))]
        names = dict(session.execute(sa.select(Programmer.id, Programmer.name)).all())
        conflicts = dict(session.execute(sa.select(ConflictOfInterest.programmer_id, ConflictOfInterest.reason)
                                         .where(ConflictOfInterest.film_id == film_id)).all())
    notes = film_notes(database, film_id)
    my_conflict = conflicts.get(viewer_id) if viewer_id is not None else None
    recused = tuple(sorted((names.get(pid, "?") for pid in conflicts), key=fold_words))
    my_score = scores.get(viewer_id) if viewer_id is not None else None
    my_notes = tuple(note for note in notes if note.programmer_id == viewer_id)
    hidden = blind and viewer_id is not None and my_score is None
    if hidden:
        return FilmOpinions(film_id, None, None, my_notes, (), hidden=True, my_conflict=my_conflict)
    others_ids = sorted({pid for pid in scores if pid != viewer_id} |
                        {note.programmer_id for note in notes if note.programmer_id != viewer_id},
                        key=lambda pid: fold_words(names.get(pid, "")))
    others = tuple(ColleagueOpinion(pid, names.get(pid, "?"), scores.get(pid),
                                    tuple(note for note in notes if note.programmer_id == pid),
                                    recused=pid in conflicts)
                   for pid in others_ids)
    return FilmOpinions(film_id, summarize_overall(counted), my_score, my_notes, others, hidden=False,
                        my_conflict=my_conflict, recused=recused)


@dataclass(frozen=True)
class RatingsView:
    """What a viewer may see of a film's ratings. In blind mode, until the viewer has rated the
    film, `hidden` is True and only the viewer's own (absent) rating is listed, with no summary."""

    film_id: int
    summary: ScoreSummary | None
    ratings: list[tuple[str, int]]
    notes: list[tuple[str, str]]
    my_score: int | None
    hidden: bool


def ratings_view(database: Database, film_id: int, viewer: str | None = None, *, blind: bool = False) -> RatingsView:
    """The ratings and notes of a film as `viewer` may see them (blind mode hides the others'
    ratings and notes until the viewer has rated)."""
    with database.reading() as session:
        rows = session.execute(
            sa.select(Programmer.name, Rating.score).join(Programmer, Programmer.id == Rating.programmer_id)
            .where(Rating.film_id == film_id).order_by(Programmer.name)).all()
        counted = [value for _, _, value in session.execute(counted_ratings().where(Rating.film_id == film_id))]
        notes = session.execute(
            sa.select(Programmer.name, Note.text).join(Programmer, Programmer.id == Note.programmer_id)
            .where(Note.film_id == film_id).order_by(Note.created_at, Note.id)).all()
    viewer_key = fold_words(viewer) if viewer else None
    my_score = next((score for name, score in rows if viewer_key and fold_words(name) == viewer_key), None)
    if blind and viewer_key and my_score is None:
        own_notes = [(name, text) for name, text in notes if fold_words(name) == viewer_key]
        return RatingsView(film_id, None, [], own_notes, None, hidden=True)
    return RatingsView(film_id, summarize_overall(counted), [tuple(r) for r in rows],
                       [tuple(n) for n in notes], my_score, hidden=False)


def film_scores(session: Session, film_ids: Sequence[int] | None = None) -> dict[int, ScoreSummary]:
    """Score summaries of films (all rated films when `film_ids` is None), for lists and sheets:
    the ratings that count (store.scoring: overall scores, recused programmers left out)."""
    scores: dict[int, list[float]] = {}
    ids = None if film_ids is None else list(dict.fromkeys(film_ids))
    for start in range(0, 1 if ids is None else len(ids), 500):
        query = counted_ratings()
        if ids is not None:
            query = query.where(Rating.film_id.in_(ids[start:start + 500]))
        for film_id, _programmer_id, value in session.execute(query):
            scores.setdefault(film_id, []).append(value)
    return {film_id: summarize_overall(values) for film_id, values in scores.items()}


# --- assignments ------------------------------------------------------------------------------


def assign(database: Database, film_ids: Sequence[int], programmer: str, *, remove: bool = False,
           due: dt.date | None = None) -> Change:
    """Give films to a programmer to watch (or take them back with `remove`); undo reverses it.
    See `actions.committee.assign_films` (due dates, conflicts of interest)."""
    from festival_desk.actions.committee import assign_films

    return assign_films(database, film_ids, programmer, due=due, remove=remove)


def my_unrated(database: Database, programmer: str) -> list[int]:
    """Film ids assigned to `programmer` that they have not rated yet, in title order."""
    with database.reading() as session:
        who = _programmer(session, programmer)
        rated = sa.select(Rating.film_id).where(Rating.programmer_id == who.id)
        return list(session.exec(
            select(Film.id).join(Assignment, Assignment.film_id == Film.id)
            .where(Assignment.programmer_id == who.id, Film.id.not_in(rated))
            .order_by(Film.sort_key, Film.id)).all())


# --- the status workflow ----------------------------------------------------------------------


_INVERSE_KIND = {"move": "undo", "undo": "redo", "redo": "undo"}


def _moved_since(session: Session, films: list[Film], expected: Mapping[int, str], *,
                 undo: bool) -> UserError | None:
    """The refusal of a move whose films a colleague moved since they were read (None: none was)."""
    moved = [film for film in films if film.id in expected and film.status != expected[film.id]]
    if not moved:
        return None
    if len(moved) == 1:
        film = moved[0]
        return conflict(session, "film", film.id, f"{_label(film)} was moved to {Status(film.status).label}",
                        undo=undo, fields=["status"])
    names = "; ".join(f"{_label(film)} is now {Status(film.status).label} "
                      f"({by_whom(who_changed(session, 'film', film.id, ['status']))})" for film in moved[:5])
    more = f" and {len(moved) - 5} more" if len(moved) > 5 else ""
    error = conflict(session, "film", moved[0].id, f"{len(moved)} films were moved", undo=undo, fields=["status"])
    error.args = (f"{error.args[0]}: {names}{more}",)
    return error


def _check_role_moves(session: Session, films: list[Film], targets: dict[int, str]) -> None:
    identity = session.info.get(IDENTITY_KEY)
    if identity is None or not identity.is_team_member:
        return
    refused = sorted({(film.status, targets[film.id]) for film in films if film.status != targets[film.id]
                      and not identity.may_move(film.status, targets[film.id])})
    if refused:
        moves = ", ".join(f"{Status(a).label} to {Status(b).label}" for a, b in refused)
        raise UserError(f"your role on this festival ({identity.role}) may not move films from {moves}; "
                        "a lead decides that")


def _set_statuses(database: Database, targets: dict[int, str], programmer: str | None, comment: str,
                  description: str, *, check: bool, kind: str = "move",
                  expected: Mapping[int, str] | None = None,
                  within: Callable[[Session, dict[int, StatusChange]], None] | None = None) -> Change:
    """Move each film to its target status, recording each move with `kind` ("move"; "undo" and
    "redo" for the moves Undo and Redo make, which the history shows as such). `expected`: the
    status each film was seen in (by the user, or left by the action being undone); a film a
    colleague has moved since is refused with their name, and nothing moves. `within(session,
    {film id: its history entry})` runs inside the same transaction, after the moves (a meeting
    records its decision there)."""
    with database.transaction() as session:
        films = _films(session, targets, lock=True)
        refusal = _moved_since(session, films, expected or {}, undo=kind != "move")
        if refusal is not None:
            raise refusal
        _check_role_moves(session, films, targets)
        who = _programmer(session, programmer)
        refused = [f"{_label(film)} is {Status(film.status).label.lower()}: it may move to "
                   f"{', '.join(allowed_targets(film.status)) or 'nothing'}"
                   for film in films if check and film.status != targets[film.id]
                   and not can_move(film.status, targets[film.id])]
        if refused:
            raise UserError(f"cannot move to {', '.join(sorted(set(targets.values())))}: {'; '.join(refused)}")
        previous = {film.id: film.status for film in films}
        now = dt.datetime.now(dt.UTC)
        moved: set[int] = set()
        entries: dict[int, StatusChange] = {}
        for film in films:
            target = targets[film.id]
            if film.status == target:
                continue
            entries[film.id] = StatusChange(film_id=film.id, programmer_id=who.id, at=now, from_status=film.status,
                                            to_status=target, comment=comment, kind=kind)
            session.add(entries[film.id])
            film.status, film.updated_at = target, now
            session.add(film)
            moved.add(film.id)
        if within is not None:
            session.flush()
            within(session, entries)
        who_name, who_id = who.name, who.id
        changelog.describe(session, description)
    back = {film_id: previous[film_id] for film_id in moved}
    left = {film_id: targets[film_id] for film_id in moved}

    def undo(db: Database) -> Change:
        # Undo restores the earlier statuses even where the workflow has no such step forward
        # (a fast-tracked film goes back to "submitted"); the history records it as an undo. A
        # film a colleague has moved since is not moved back over their move.
        return _set_statuses(db, back, who_name, "", description, check=False, kind=_INVERSE_KIND[kind],
                             expected=left)

    return Change(description=description, films=moved, programmers={who_id}, undo=undo if moved else None,
                  details={"moved": sorted(moved), "unchanged": sorted(set(targets) - moved)})


def move_status(database: Database, film_ids: Sequence[int], status: str, programmer: str | None,
                comment: str = "", *, expected: Mapping[int, str] | None = None) -> Change:
    """Move one or many films to `status`, recording who, when, from, to and the comment.

    All or nothing: if any film may not make that move, nothing moves and the UserError names
    each such film with the statuses it may move to. Films already in `status` are left as they are.
    `expected` ({film id: the status it was seen in}) makes the move a compare-and-set: a film a
    colleague has moved since is named in a ConflictError (who, when, to what) and nothing moves.
    On a team database the move must be one the signed-in login's role may make.
    """
    try:
        target = parse_status(status)
    except ValueError as error:
        raise UserError(str(error)) from None
    ids = list(dict.fromkeys(film_ids))
    if len(ids) == 1:
        with database.reading() as session:
            [film] = _films(session, ids)
            subject = f"“{film.title}”"
    else:
        subject = counted(len(ids), "film")
    description = f"Move {subject} to {target.label}"
    return _set_statuses(database, {film_id: target.value for film_id in ids}, programmer, comment,
                         description, check=True, expected=expected)


HistoryEntry = StatusMove


def status_history(database: Database, film_id: int) -> list[StatusMove]:
    """Every status move of a film, oldest first."""
    with database.reading() as session:
        return list(status_moves(session, film_id))


# --- tags and flags -----------------------------------------------------------------------------


def tag_films(database: Database, film_ids: Sequence[int], tag: str, *, colour: str | None = None,
              remove: bool = False) -> Change:
    """Put a coloured tag (a flag) on films, creating the tag on first use, or take it off with
    `remove`. `colour` is "#rrggbb"; given for an existing tag it recolours it."""
    name = " ".join((tag or "").split())
    if not name:
        raise UserError("tag: the tag name is empty")
    if colour is not None and not _COLOUR.match(colour):
        raise UserError(f"tag colour: {colour!r} is not a colour like #e0a020")
    with database.transaction() as session:
        films = _films(session, film_ids)
        row = session.exec(select(Tag).where(Tag.name == name)).first()
        if row is None:
            if remove:
                raise UserError(f"no tag called {name!r}")
            row = Tag(name=name, colour=colour or "#888888")
            session.add(row)
            session.flush()
        elif colour is not None:
            row.colour = colour
            session.add(row)
        have = set(session.exec(select(FilmTag.film_id).where(
            FilmTag.tag_id == row.id, FilmTag.film_id.in_([f.id for f in films]))).all())
        if remove:
            touched = [f.id for f in films if f.id in have]
            session.execute(sa.delete(FilmTag).where(FilmTag.tag_id == row.id, FilmTag.film_id.in_(touched)))
        else:
            touched = [f.id for f in films if f.id not in have]
            for film_id in touched:
                session.add(FilmTag(film_id=film_id, tag_id=row.id))
    description = f"{'Remove' if remove else 'Add'} tag “{name}” {'from' if remove else 'on'} {counted(len(touched), 'film')}"

    def undo(db: Database) -> Change:
        return tag_films(db, touched, name, remove=not remove)

    return Change(description=description, films=set(touched), settings={f"tag:{name}"},
                  undo=undo if touched else None)


def film_tags(database: Database, film_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(tag name, colour) of each film, in name order."""
    with database.reading() as session:
        rows = session.execute(sa.select(FilmTag.film_id, Tag.name, Tag.colour)
                               .join(Tag, Tag.id == FilmTag.tag_id)
                               .where(FilmTag.film_id.in_(list(film_ids))).order_by(Tag.name)).all()
    tags: dict[int, list[tuple[str, str]]] = {film_id: [] for film_id in film_ids}
    for film_id, name, colour in rows:
        tags[film_id].append((name, colour))
    return tags


# --- committee outputs ------------------------------------------------------------------------


def _film_facts(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Plain facts of films (columns, directors, countries, languages, section) by id."""
    facts: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in session.execute(
                sa.select(Film.id, Film.title, Film.original_title, Film.year, Film.runtime_minutes, Film.status,
                          Film.submission_source, Film.submission_id, Film.source_status,
                          Section.name.label("section"), Section.colour.label("section_colour"),
                          Section.position.label("section_position"))
                .outerjoin(Section, Section.id == Film.section_id).where(Film.id.in_(chunk))).mappings():
            facts[row["id"]] = dict(row) | {"directors": [], "countries": [], "languages": []}
        for film_id, name in session.execute(
                sa.select(FilmCredit.film_id, Person.name).join(Person, Person.id == FilmCredit.person_id)
                .where(FilmCredit.film_id.in_(chunk), FilmCredit.role == "director")
                .order_by(FilmCredit.film_id, FilmCredit.position)):
            facts[film_id]["directors"].append(name)
        for table, key, namer in ((FilmCountry, "countries", country_name), (FilmLanguage, "languages", language_name)):
            for film_id, code, label in session.execute(
                    sa.select(table.film_id, table.code, table.label).where(table.film_id.in_(chunk))
                    .order_by(table.film_id, table.position)):
                facts[film_id][key].append(namer(code) if code else label)
    return facts


def list_rows(database: Database, film_filter: FilmFilter | None = None,
              programmer: str | None = None) -> list[dict[str, Any]]:
    """Plain rows (see exporters.lists.LIST_COLUMNS) of the films `film_filter` admits, in title
    order; `programmer` resolves "assigned to me"."""
    with database.reading() as session:
        me = _programmer(session, programmer).id if programmer else None
        ids = film_ids(session, film_filter, programmer_id=me)
        facts = _film_facts(session, ids)
        scores = film_scores(session, ids)
        tags = dict.fromkeys(ids, ())
        for film_id, name in session.execute(sa.select(FilmTag.film_id, Tag.name).join(Tag, Tag.id == FilmTag.tag_id)
                                             .where(FilmTag.film_id.in_(ids)).order_by(Tag.name)):
            tags[film_id] = (*tags[film_id], name)
    rows = []
    for film_id in ids:
        fact, summary = facts[film_id], scores.get(film_id)
        rows.append({
            "film_id": film_id, "title": fact["title"], "original_title": fact["original_title"],
            "directors": fact["directors"], "countries": fact["countries"], "languages": fact["languages"],
            "year": fact["year"], "runtime_minutes": fact["runtime_minutes"], "section": fact["section"],
            "status": Status(fact["status"]).label, "mean": summary.mean if summary else None,
            "median": summary.median if summary else None, "spread": summary.spread if summary else None,
            "ratings": summary.count if summary else 0, "tags": list(tags[film_id]),
            "submission_source": fact["submission_source"], "submission_id": fact["submission_id"],
            "source_status": fact["source_status"],
        })
    return rows


def export_list(database: Database, path: str | Path, *, fmt: str | None = None,
                film_filter: FilmFilter | None = None, programmer: str | None = None) -> Change:
    """Write the filtered film list as CSV or XLSX (`fmt`, else from the file name)."""
    path = Path(path)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in ("csv", "xlsx"):
        raise UserError(f"{path}: export as csv or xlsx, not {kind or 'a file without extension'}")
    # The writers (openpyxl for XLSX) load on export only, not wherever this module is imported.
    from festival_desk.exporters.lists import write_csv, write_xlsx

    rows = list_rows(database, film_filter, programmer)
    (write_csv if kind == "csv" else write_xlsx)(rows, path)
    return Change(description=f"Export {counted(len(rows), 'film')} to {path.name}",
                  details={"path": str(path), "films": len(rows), "format": kind})


def shortlist_sheet(database: Database, statuses: Sequence[str] = (Status.SHORTLISTED,)) -> ShortlistSheet:
    """The snapshot of the shortlist sheet: films in `statuses` grouped by section (booklet order,
    unplaced films last), each section ordered by mean score, best first."""
    # printing.shortlist loads ReportLab: only for the sheet, not whenever this module is imported.
    from festival_desk.printing.shortlist import (
        ShortlistFilm,
        ShortlistNote,
        ShortlistSection,
        ShortlistSheet,
    )

    try:
        wanted = [parse_status(status).value for status in statuses]
    except ValueError as error:
        raise UserError(str(error)) from None
    with database.reading() as session:
        festival = session.execute(sa.select(Festival.name, Festival.edition)).first()
        ids = list(session.execute(sa.select(Film.id).where(Film.status.in_(wanted))).scalars())
        facts = _film_facts(session, ids)
        scores = film_scores(session, ids)
        notes: dict[int, list[ShortlistNote]] = {film_id: [] for film_id in ids}
        for start in range(0, len(ids), 500):
            for film_id, name, text in session.execute(
                    sa.select(Note.film_id, Programmer.name, Note.text)
                    .join(Programmer, Programmer.id == Note.programmer_id)
                    .where(Note.film_id.in_(ids[start:start + 500])).order_by(Note.created_at, Note.id)):
                notes[film_id].append(ShortlistNote(name, text))
    sections: dict[tuple[int, str], tuple[str, list[ShortlistFilm]]] = {}
    for film_id in ids:
        fact, summary = facts[film_id], scores.get(film_id)
        key = (fact["section_position"] if fact["section"] else 1 << 30, fact["section"] or "No section")
        sections.setdefault(key, (fact["section_colour"] or "#555555", []))[1].append(ShortlistFilm(
            film_id=film_id, title=fact["title"], original_title=fact["original_title"],
            directors=tuple(fact["directors"]), countries=tuple(fact["countries"]), year=fact["year"],
            runtime_minutes=fact["runtime_minutes"], status=Status(fact["status"]).label,
            mean=summary.mean if summary else None, spread=summary.spread if summary else None,
            count=summary.count if summary else 0, notes=tuple(notes[film_id])))
    ordered = []
    for (_, name), (colour, films) in sorted(sections.items()):
        films.sort(key=lambda film: (film.mean is None, -(film.mean or 0), fold_words(film.title)))
        ordered.append(ShortlistSection(name=name, colour=colour, films=tuple(films)))
    festival_name = " ".join(part for part in (festival or ("Festival", "")) if part) if festival else "Festival"
    labels = ", ".join(Status(status).label for status in wanted)
    return ShortlistSheet(festival=festival_name, subtitle=f"{labels} — {dt.date.today():%d %B %Y}",
                          sections=tuple(ordered))


def write_shortlist_pdf(database: Database, path: str | Path,
                        statuses: Sequence[str] = (Status.SHORTLISTED,)) -> Change:
    """Render the shortlist sheet of films in `statuses` to a PDF file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise UserError(f"{path}: the folder {path.parent} does not exist")
    from festival_desk.printing.shortlist import render_shortlist

    sheet = shortlist_sheet(database, statuses)
    files.write_file(path, render_shortlist(sheet))
    count = sum(len(section.films) for section in sheet.sections)
    return Change(description=f"Shortlist sheet of {counted(count, 'film')}", details={"path": str(path), "films": count})
