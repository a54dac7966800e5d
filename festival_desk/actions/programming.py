"""The committee's work on submissions: who is rating, ratings and notes, assignments, the status
workflow with its history, and coloured tags (flags).

Every writing function is one user action in one transaction and returns a `Change` whose `undo`
performs the inverse as a new action (returning its own Change, whose undo redoes). A programmer is
named by the name they work under (`--as NAME` on the command line); a name not seen before, in any
case or accent spelling, becomes a new programmer on first use.
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
from festival_desk.core.codes import country_name, language_name
from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.core.scores import ScoreSummary, check_score, summarize
from festival_desk.core.text import counted, fold_words
from festival_desk.core.workflow import Status, allowed_targets, can_move, parse_status
from festival_desk.store import changelog
from festival_desk.store.db import IDENTITY_KEY, Database
from festival_desk.store.filters import FilmFilter, film_ids
from festival_desk.store.models import (
    Assignment,
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


def _programmer(session: Session, name: str | None, *, create: bool = True) -> Programmer:
    me = _team_programmer(session, name)
    if me is not None:
        return me
    clean = " ".join((name or "").split())
    if not clean:
        raise UserError("name the programmer (--as NAME): every rating and note is someone's")
    key = fold_words(clean)

    def existing() -> Programmer | None:
        return next((p for p in session.exec(select(Programmer)).all() if fold_words(p.name) == key), None)

    programmer = existing()
    if programmer is not None:
        return programmer
    if not create:
        raise UserError(f"no programmer called {clean!r}")
    # Two people may name a new colleague at the same moment: the second gets the first's row.
    return insert_once(session, Programmer(name=clean), existing)


def programmer_id(database: Database, name: str) -> int:
    """The id of the programmer working under `name`, created on first use."""
    with database.transaction() as session:
        return _programmer(session, name).id


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


def _set_rating(database: Database, film_id: int, programmer: str, score: int | None,
                note_text: str | None, describe: Callable[[str], str]) -> Change:
    """`describe(film title)` names the change for the Undo menu."""
    with database.transaction() as session:
        [film] = _films(session, [film_id])
        description = describe(film.title)
        who = _programmer(session, programmer)
        rating = session.exec(select(Rating).where(Rating.film_id == film_id,
                                                   Rating.programmer_id == who.id)).first()
        previous = rating.score if rating else None
        if score is None:
            if rating:
                session.delete(rating)
        else:
            if rating is None:
                # The same programmer may rate from two desks at once: one row either way.
                rating = insert_once(session, Rating(film_id=film_id, programmer_id=who.id, score=score),
                                     lambda: session.exec(select(Rating).where(
                                         Rating.film_id == film_id, Rating.programmer_id == who.id)).first())
            rating.score, rating.rated_at = score, dt.datetime.now(dt.UTC)
            session.add(rating)
        changelog.describe(session, description)
        note_id = None
        if note_text and note_text.strip():
            note = Note(film_id=film_id, programmer_id=who.id, text=note_text.strip())
            session.add(note)
            session.flush()
            note_id = note.id
        who_name, who_id, title = who.name, who.id, film.title

    def undo(db: Database) -> Change:
        if note_id is not None:
            with db.transaction() as session:
                session.execute(sa.delete(Note).where(Note.id == note_id))
        inverse = _set_rating(db, film_id, who_name, previous, None, lambda _title: f"Undo: {description}")
        inverse.undo = lambda db2: _set_rating(db2, film_id, who_name, score, note_text, lambda _title: description)
        return inverse

    return Change(description=description, films={film_id}, programmers={who_id}, undo=undo,
                  details={"film_id": film_id, "programmer": who_name, "score": score,
                           "previous_score": previous, "note_id": note_id, "title": title})


def rate(database: Database, film_id: int, programmer: str, score: int, note: str | None = None) -> Change:
    """Record `programmer`'s 1–5 rating of a film (replacing their earlier one), with an optional
    note. UserError for a score outside 1–5 or an unknown film."""
    try:
        check_score(score)
    except ValueError as error:
        raise UserError(f"score: {error}") from None
    return _set_rating(database, film_id, programmer, score, note, lambda title: f"Rate “{title}” {score} of 5")


def add_note(database: Database, film_id: int, programmer: str, text: str) -> Change:
    """Add a note by `programmer` on a film; undo removes it (and redo adds it again)."""
    if not text or not text.strip():
        raise UserError("note: the note is empty")
    with database.transaction() as session:
        [film] = _films(session, [film_id])
        who = _programmer(session, programmer)
        note = Note(film_id=film_id, programmer_id=who.id, text=text.strip())
        session.add(note)
        session.flush()
        note_id, who_name, who_id = note.id, who.name, who.id
        description = f"Note on “{film.title}”"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            session.execute(sa.delete(Note).where(Note.id == note_id))

        def redo(db2: Database) -> Change:
            return add_note(db2, film_id, who_name, text)

        return Change(description=f"Undo: {description}", films={film_id}, programmers={who_id}, undo=redo)

    return Change(description=description, films={film_id}, programmers={who_id}, undo=undo,
                  details={"note_id": note_id})


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
        notes = session.execute(
            sa.select(Programmer.name, Note.text).join(Programmer, Programmer.id == Note.programmer_id)
            .where(Note.film_id == film_id).order_by(Note.created_at, Note.id)).all()
    viewer_key = fold_words(viewer) if viewer else None
    my_score = next((score for name, score in rows if viewer_key and fold_words(name) == viewer_key), None)
    if blind and viewer_key and my_score is None:
        own_notes = [(name, text) for name, text in notes if fold_words(name) == viewer_key]
        return RatingsView(film_id, None, [], own_notes, None, hidden=True)
    return RatingsView(film_id, summarize(score for _, score in rows), [tuple(r) for r in rows],
                       [tuple(n) for n in notes], my_score, hidden=False)


def film_scores(session: Session, film_ids: Sequence[int] | None = None) -> dict[int, ScoreSummary]:
    """Score summaries of films (all rated films when `film_ids` is None), for lists and sheets."""
    query = sa.select(Rating.film_id, Rating.score)
    if film_ids is not None:
        query = query.where(Rating.film_id.in_(list(film_ids)))
    scores: dict[int, list[int]] = {}
    for film_id, score in session.execute(query):
        scores.setdefault(film_id, []).append(score)
    return {film_id: summarize(values) for film_id, values in scores.items()}


# --- assignments ------------------------------------------------------------------------------


def assign(database: Database, film_ids: Sequence[int], programmer: str, *, remove: bool = False) -> Change:
    """Give films to a programmer to watch (or take them back with `remove`); undo reverses it."""
    with database.transaction() as session:
        films = _films(session, film_ids)
        who = _programmer(session, programmer)
        existing = set(session.exec(select(Assignment.film_id).where(
            Assignment.programmer_id == who.id, Assignment.film_id.in_([f.id for f in films]))).all())
        if remove:
            touched = [f.id for f in films if f.id in existing]
            session.execute(sa.delete(Assignment).where(Assignment.programmer_id == who.id,
                                                        Assignment.film_id.in_(touched)))
        else:
            touched = [f.id for f in films if f.id not in existing]
            for film_id in touched:
                session.add(Assignment(film_id=film_id, programmer_id=who.id))
        who_name, who_id = who.name, who.id
    verb = "Unassign" if remove else "Assign"
    description = f"{verb} {counted(len(touched), 'film')} {'from' if remove else 'to'} {who_name}"

    def undo(db: Database) -> Change:
        return assign(db, touched, who_name, remove=not remove) if touched else Change(description)

    return Change(description=description, films=set(touched), programmers={who_id},
                  undo=undo if touched else None)


def my_unrated(database: Database, programmer: str) -> list[int]:
    """Film ids assigned to `programmer` that they have not rated yet, in title order."""
    with database.reading() as session:
        who = _programmer(session, programmer, create=False)
        rated = sa.select(Rating.film_id).where(Rating.programmer_id == who.id)
        return list(session.exec(
            select(Film.id).join(Assignment, Assignment.film_id == Film.id)
            .where(Assignment.programmer_id == who.id, Film.id.not_in(rated))
            .order_by(Film.sort_key, Film.id)).all())


# --- the status workflow ----------------------------------------------------------------------


def _moved_since(session: Session, films: list[Film], expected: Mapping[int, str], targets: dict[int, str],
                 *, undo: bool) -> UserError | None:
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


def _set_statuses(database: Database, targets: dict[int, str], programmer: str, comment: str,
                  description: str, *, check: bool, expected: Mapping[int, str] | None = None,
                  undo_of: bool = False) -> Change:
    with database.transaction() as session:
        films = _films(session, targets, lock=True)
        refusal = _moved_since(session, films, expected or {}, targets, undo=undo_of)
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
        for film in films:
            target = targets[film.id]
            if film.status == target:
                continue
            session.add(StatusChange(film_id=film.id, programmer_id=who.id, at=now, from_status=film.status,
                                     to_status=target, comment=comment))
            film.status, film.updated_at = target, now
            session.add(film)
            moved.add(film.id)
        who_name, who_id = who.name, who.id
        changelog.describe(session, description)
    back = {film_id: previous[film_id] for film_id in moved}
    left = {film_id: targets[film_id] for film_id in moved}

    def undo(db: Database) -> Change:
        # Undo restores the earlier statuses even where the workflow has no such step forward
        # (a fast-tracked film goes back to "submitted"); the history records it as a move. A film
        # a colleague has moved since is not moved back over their move.
        return _set_statuses(db, back, who_name, f"Undo: {description}", f"Undo: {description}", check=False,
                             expected=left, undo_of=True)

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
    description = f"Move {counted(len(ids), 'film')} to {target.label}"
    return _set_statuses(database, {film_id: target.value for film_id in ids}, programmer, comment,
                         description, check=True, expected=expected)


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    programmer: str | None
    from_status: str | None
    to_status: str
    comment: str


def status_history(database: Database, film_id: int) -> list[HistoryEntry]:
    """Every status move of a film, oldest first."""
    with database.reading() as session:
        rows = session.execute(
            sa.select(StatusChange.at, Programmer.name, StatusChange.from_status, StatusChange.to_status,
                      StatusChange.comment)
            .outerjoin(Programmer, Programmer.id == StatusChange.programmer_id)
            .where(StatusChange.film_id == film_id).order_by(StatusChange.at, StatusChange.id)).all()
    return [HistoryEntry(*row) for row in rows]


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
        me = _programmer(session, programmer, create=False).id if programmer else None
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
