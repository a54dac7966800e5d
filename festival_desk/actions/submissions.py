"""Importing submissions into the festival: new films added, changed ones updated, local work kept.

A re-import of a later export of the same call is idempotent by (source, submission ID). What the
committee did is never overwritten: the workflow status, ratings, notes and assignments are not
touched by an import at all, and a field the committee edited (its current value differs from the
value the last import wrote, kept per film in `Film.source_values`) keeps the committee's value.
Fields only the source knows (its statuses, tracking number, password, custom answers) always
follow the source.

The write is bulk (Core `executemany`, not the ORM unit of work per row) so that a 25,000-row call
imports in seconds, and it is one transaction: a failure or a cancel leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import uuid
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.actions.conflicts import conflict
from festival_desk.actions.films import record_edits
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import filing, fold_words
from festival_desk.importers.submissions import (
    FILMFREEWAY_SOURCE,
    ColumnMapping,
    ReadResult,
    SubmissionRecord,
    load_mapping,
    mapping_from_json,
    read_filmfreeway,
    read_mapped,
    read_table,
)
from festival_desk.store import changelog
from festival_desk.store.db import Database
from festival_desk.store.models import (
    Assignment, CatalogueFacts, ConflictOfInterest, Film, FilmCountry, FilmCredit, FilmLanguage, Note, Person, Preset,
    Rating, StatusChange, Viewing,
)
from festival_desk.store.search import FilmDocument, index_new_films, reindex_films

# Film columns the committee may edit after an import: a re-import only changes them where they
# still hold what the previous import wrote.
PROTECTED_COLUMNS = ("title", "original_title", "original_language", "year", "runtime_minutes",
                     "synopsis", "submission_link")
# Columns only the intake platform knows: they always follow the latest export.
SOURCE_COLUMNS = ("tracking_number", "submission_password", "source_status", "source_judging_status",
                  "extra")
CHILD_LISTS = ("countries", "languages", "credits")
_CREDIT_ROLE_OF = {"directors": "director", "writers": "writer", "producers": "producer", "key_cast": "cast"}
_CREDITS_IN_ROLE_ORDER = sorted(_CREDIT_ROLE_OF.items(), key=lambda item: item[1])

_FILM = Film.__table__
# The film columns an import writes (see write_records and _write_updates).
_IMPORTED_COLUMNS = (*PROTECTED_COLUMNS, *SOURCE_COLUMNS, "sort_title", "sort_key", "source_values", "updated_at")
_COUNTRY = FilmCountry.__table__
_LANGUAGE = FilmLanguage.__table__
_CREDIT = FilmCredit.__table__
_PERSON = Person.__table__


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do). `kept_local` counts fields a re-import
    left alone because the committee had edited them; `kept` names those films ({"film_id",
    "title", "fields"}): "kept your colleague's edit"."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    kept_local: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    facts: int = 0  # films whose catalogue facts the form's answers filled or changed

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": list(self.rejected), "kept_local": self.kept_local, "kept": list(self.kept),
                "source": self.source, "dry_run": self.dry_run, "facts": self.facts}


def imported_values(record: SubmissionRecord) -> dict[str, Any]:
    """The JSON-ready values an import writes for one record: film columns and child lists.

    Credits are ordered by role, then position, the order in which they are read back.
    """
    credits = [[role, person] for name, role in _CREDITS_IN_ROLE_ORDER for person in getattr(record, name)]
    original_language = next((language.code for language in record.languages if language.code), None)
    return {
        "title": record.title,
        "original_title": record.original_title,
        "original_language": original_language,
        "year": record.year,
        "runtime_minutes": record.runtime_minutes,
        "synopsis": record.synopsis or "",
        "submission_link": record.submission_link,
        "tracking_number": record.tracking_number,
        "submission_password": record.submission_password,
        "source_status": record.submission_status,
        "source_judging_status": record.judging_status,
        "extra": record.extra_fields(),
        "countries": [[country.code, country.text] for country in record.countries],
        "languages": [[language.code, language.text] for language in record.languages],
        "credits": credits,
    }


@dataclass
class _Update:
    film_id: int
    columns: dict[str, Any]
    children: dict[str, list[list[Any]]]
    source_values: dict[str, Any]


_PEOPLE_BATCH = 5000


class _People:
    """Person ids by name for the whole import: exact spelling first, then the folded name
    (as actions.films does), new people inserted in one batch."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_name: dict[str, int] = {}
        self._by_key: dict[str, int] = {}
        self.name_of: dict[int, str] = {}  # the name as stored, by person id
        for person_id, name, key in session.execute(sa.select(_PERSON.c.id, _PERSON.c.name, _PERSON.c.name_key)).all():
            self._by_name.setdefault(name, person_id)
            self._by_key.setdefault(key, person_id)
            self.name_of[person_id] = name

    def ids(self, names: Iterable[str]) -> dict[str, int]:
        """{name as given: person id}; names are matched with their runs of spaces made one."""
        spelled = {name: " ".join(name.split()) for name in names}
        # In order of first appearance, so that new people's ids rise with the films that name
        # them and the credits' person index is appended to rather than written all over.
        wanted = list(dict.fromkeys(spelled.values()))
        missing: dict[str, str] = {}
        for name in wanted:
            if name not in self._by_name:
                key = fold_words(name)
                if key in self._by_key:
                    self._by_name[name] = self._by_key[key]
                else:
                    missing.setdefault(key, name)
        # In batches: the rows and parameters of 200,000 new names at once weighed some 70 MB.
        keys = list(missing)
        for start in range(0, len(keys), _PEOPLE_BATCH):
            batch = keys[start:start + _PEOPLE_BATCH]
            rows = [{"name": missing[key], "name_key": key} for key in batch]
            for (person_id, name), key in zip(_insert_returning_ids(self._session, _PERSON, rows, "name"), batch):
                self._by_name[name] = person_id
                self._by_key[key] = person_id
                self.name_of[person_id] = name
        if missing:
            for name in wanted:
                if name not in self._by_name:
                    self._by_name[name] = self._by_key[fold_words(name)]
        return {given: self._by_name[name] for given, name in spelled.items()}


def _insert_rows(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) with one driver-level executemany.

    Values pass through their columns' bind processors (JSON, dates) exactly as with
    `connection.execute(sa.insert(table), rows)`, minus SQLAlchemy's per-row parameter assembly,
    which cost more than SQLite's own work on an import's 100,000 credit rows.
    """
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    compiled = sa.insert(table).compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup) if compiled.positional else names
    processors = [(position, processor) for position, name in enumerate(order)
                  if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))]
    row_values = operator.itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
    parameters: list[Any] = []
    for row in rows:
        values = row_values(row)
        if processors:
            values = list(values)
            for position, processor in processors:
                values[position] = processor(values[position])
        parameters.append(tuple(values) if compiled.positional else dict(zip(order, values)))
    connection.exec_driver_sql(compiled.string, parameters)


def _insert_returning_ids(session: Session, table: sa.Table, rows: list[dict[str, Any]], key: str,
                          *conditions: sa.ColumnElement[bool]) -> list[tuple[int, Any]]:
    """Insert `rows` with one plain executemany and return (new id, row[key]) in row order.

    RETURNING with executemany costs about three times as much on SQLite; instead the new rows are
    read back above the highest id seen before the insert (the transaction holds the write lock on
    SQLite; on PostgreSQL rows of concurrent writers are told apart by `key`).
    """
    connection = session.connection()
    before = connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    _insert_rows(connection, table, rows)
    wanted = {row[key] for row in rows}
    found = {value: row_id for row_id, value in connection.execute(
        sa.select(table.c.id, table.c[key]).where(table.c.id > before, *conditions).order_by(table.c.id)).all()
        if value in wanted}
    return [(found[row[key]], row[key]) for row in rows]


def _current_children(session: Session, film_ids: list[int]) -> dict[int, dict[str, list[list[Any]]]]:
    children: dict[int, dict[str, list[list[Any]]]] = defaultdict(lambda: {name: [] for name in CHILD_LISTS})
    for chunk_start in range(0, len(film_ids), 500):
        chunk = film_ids[chunk_start:chunk_start + 500]
        for table, name in ((_COUNTRY, "countries"), (_LANGUAGE, "languages")):
            for film_id, code, label in session.execute(
                    sa.select(table.c.film_id, table.c.code, table.c.label)
                    .where(table.c.film_id.in_(chunk)).order_by(table.c.film_id, table.c.position)):
                children[film_id][name].append([code, label])
        for film_id, role, person in session.execute(
                sa.select(_CREDIT.c.film_id, _CREDIT.c.role, _PERSON.c.name)
                .join(_PERSON, _PERSON.c.id == _CREDIT.c.person_id)
                .where(_CREDIT.c.film_id.in_(chunk))
                .order_by(_CREDIT.c.film_id, _CREDIT.c.role, _CREDIT.c.position)):
            children[film_id]["credits"].append([role, person])
    return children


def _film_row(values: dict[str, Any], source: str, submission_id: str, now: dt.datetime) -> dict[str, Any]:
    row = {name: values[name] for name in PROTECTED_COLUMNS + SOURCE_COLUMNS}
    row["sort_title"], row["sort_key"] = filing(values["title"], values["original_language"])
    row.update(submission_source=source, submission_id=submission_id, source_values=values,
               status="submitted", logline="", is_external=False, created_at=now, updated_at=now,
               version=1)
    return row


def _child_rows(film_id: int, name: str, values: list[list[Any]], person_ids: dict[str, int]) -> list[dict]:
    if name == "credits":
        positions: dict[str, int] = defaultdict(int)
        rows = []
        for role, person in values:
            rows.append({"film_id": film_id, "person_id": person_ids[person],
                         "role": role, "position": positions[role]})
            positions[role] += 1
        return rows
    return [{"film_id": film_id, "position": position, "code": code, "label": label}
            for position, (code, label) in enumerate(values)]


_CHILD_TABLES = {"countries": _COUNTRY, "languages": _LANGUAGE, "credits": _CREDIT}
# What undoing an import puts back besides the film rows: the children, and the catalogue facts
# the form's answers filled (actions.facts).
_RESTORED_TABLES = {**_CHILD_TABLES, "catalogue_facts": CatalogueFacts.__table__}


def _plan_update(film_id: int, values: dict[str, Any], previous: dict[str, Any], current: dict[str, Any],
                 children_now: dict[str, list[list[Any]]]) -> tuple[_Update, list[str]]:
    """The update of one film from a new import of it: source columns follow the source; a
    protected column or list follows it only where it still holds what the last import wrote
    (else the committee's edit is kept: its name is in the returned list)."""
    columns: dict[str, Any] = {name: values[name] for name in SOURCE_COLUMNS}
    children: dict[str, list[list[Any]]] = {}
    kept: list[str] = []
    for name in PROTECTED_COLUMNS:
        if values[name] == previous.get(name):
            columns[name] = current[name]
        elif current[name] == previous.get(name) or name not in previous:
            columns[name] = values[name]
        else:
            columns[name] = current[name]
            kept.append(name)
    for name in CHILD_LISTS:
        if values[name] == previous.get(name):
            continue
        now_list = children_now[name]
        if now_list == previous.get(name, now_list):
            children[name] = values[name]
        else:
            kept.append(name)
    return _Update(film_id, columns, children, values), kept


def _locked_current(session: Session, film_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The protected columns of films as they are now, their rows held until the transaction
    ends: a colleague's save made after the import read the films is seen here, and one made
    after this waits for the import's commit (PostgreSQL; SQLite writers hold the whole file)."""
    columns = [_FILM.c[name] for name in PROTECTED_COLUMNS]
    rows = session.execute(sa.select(_FILM.c.id, *columns).where(_FILM.c.id.in_(film_ids))
                           .order_by(_FILM.c.id).with_for_update())
    return {row[0]: dict(zip(PROTECTED_COLUMNS, row[1:])) for row in rows}


def _lock_source(session: Session, source: str) -> None:
    """Two imports of the same source wait for each other (PostgreSQL): the second then sees the
    first's films instead of adding them again."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"festival-desk import {source}".encode()).digest()[:8], "big", signed=True)
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


UPDATE_CHUNK = 500


def write_records(session: Session, result: ReadResult, *, dry_run: bool = False,
                  progress: Progress = no_progress) -> tuple[ImportReport, set[int], set[int], _FilmRows]:
    """Add and update films from `result` within the caller's transaction.

    Returns (report, ids of added films, ids of updated films, the updated films' rows as they were
    before, for undo); with `dry_run` nothing is written (and no ids are known for films that would
    be added). Films are updated from their values as they are when written, not as they were when
    the import began: a colleague's edit saved meanwhile is kept like any other committee edit, and
    named in `report.kept`.
    """
    source = result.source
    report = ImportReport(source=source, dry_run=dry_run,
                          rejected=[{"line": row.line, "reason": row.reason} for row in result.rejected])
    if not dry_run:
        _lock_source(session, source)
    existing: dict[str, tuple[int, dict[str, Any], dict[str, Any]]] = {}
    current_columns = [_FILM.c[name] for name in PROTECTED_COLUMNS]
    for row in session.execute(sa.select(_FILM.c.id, _FILM.c.submission_id, _FILM.c.source_values,
                                         *current_columns).where(_FILM.c.submission_source == source)):
        existing[row[1]] = (row[0], row[2] or {}, dict(zip(PROTECTED_COLUMNS, row[3:])))

    # A new film's values are made when its batch is written (below), not all at once here:
    # held for every row of a large export they cost more memory than the records themselves.
    new_records: list[SubmissionRecord] = []
    changed: list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    for record in result.records:
        if record.submission_id not in existing:
            new_records.append(record)
            continue
        values = imported_values(record)
        film_id, previous, current = existing[record.submission_id]
        if values == previous:
            report.unchanged += 1
        else:
            changed.append((film_id, values, previous, current))
    report.added = len(new_records)
    report.updated = len(changed)

    if dry_run:
        children_now = _current_children(session, [
            film_id for film_id, values, previous, _ in changed
            if any(values[name] != previous.get(name) for name in CHILD_LISTS)])
        for film_id, values, previous, current in changed:
            _, kept = _plan_update(film_id, values, previous, current, children_now[film_id])
            report.kept_local += len(kept)
        return report, set(), set(), _FilmRows()

    total = len(new_records) + len(changed)
    progress(0, total, "Writing films")
    people = _People(session)
    person_ids = people.ids([person for record in new_records for name, _ in _CREDITS_IN_ROLE_ORDER
                             for person in getattr(record, name)])

    added_ids: list[int] = []
    now = dt.datetime.now(dt.UTC)
    batch = 2000
    for start in range(0, len(new_records), batch):
        chunk = [(record.submission_id, imported_values(record)) for record in new_records[start:start + batch]]
        rows = [_film_row(values, source, submission_id, now) for submission_id, values in chunk]
        ids = [film_id for film_id, _ in _insert_returning_ids(
            session, _FILM, rows, "submission_id", _FILM.c.submission_source == source)]
        added_ids.extend(ids)
        child_rows: dict[str, list[dict]] = {name: [] for name in CHILD_LISTS}
        for film_id, (_, values) in zip(ids, chunk):
            for name in CHILD_LISTS:
                child_rows[name].extend(_child_rows(film_id, name, values[name], person_ids))
        for name, rows_of_kind in child_rows.items():
            if rows_of_kind:
                _insert_rows(session.connection(), _CHILD_TABLES[name], rows_of_kind)
        # Core writes are invisible to the search index's session listeners: the new films are
        # indexed here, in the same transaction, from what was just written.
        index_new_films(session, {film_id: _search_document(row, values, person_ids, people.name_of)
                                  for film_id, row, (_, values) in zip(ids, rows, chunk)})
        progress(start + len(chunk), total, "Writing films")

    who = getattr(session.info.get(changelog.WRITER_KEY), "who", "")
    before = _FilmRows(children={name: [] for name in _CHILD_TABLES})
    updated_ids: set[int] = set()
    fields_changed: set[str] = set()
    for start in range(0, len(changed), UPDATE_CHUNK):
        chunk = changed[start:start + UPDATE_CHUNK]
        fresh = _locked_current(session, [film_id for film_id, *_ in chunk])
        children_now = _current_children(session, [
            film_id for film_id, values, previous, _ in chunk
            if film_id in fresh and any(values[name] != previous.get(name) for name in CHILD_LISTS)])
        updates = []
        for film_id, values, previous, _at_start in chunk:
            if film_id not in fresh:  # deleted by a colleague meanwhile: nothing to update
                continue
            update, kept = _plan_update(film_id, values, previous, fresh[film_id], children_now[film_id])
            updates.append(update)
            if kept:
                report.kept_local += len(kept)
                report.kept.append({"film_id": film_id, "title": fresh[film_id]["title"], "fields": kept})
            edits = {name: (fresh[film_id][name], update.columns[name]) for name in PROTECTED_COLUMNS
                     if update.columns[name] != fresh[film_id][name]}
            edits |= {name: (children_now[film_id][name], listed) for name, listed in update.children.items()}
            fields_changed.update(edits)
            record_import_edits(session, film_id, who, edits)
        person_ids |= people.ids([person for update in updates for _, person in update.children.get("credits", [])])
        if updates:
            before.extend(_FilmRows.read(session, [update.film_id for update in updates]))
            _write_updates(session, updates, person_ids, now)
        updated_ids.update(update.film_id for update in updates)
        progress(len(new_records) + start + len(chunk), total, "Writing films")
    progress(total, total, "Indexing for search")
    reindex_films(session, updated_ids)
    changelog.note(session, "film", "added", added_ids)
    changelog.note(session, "film", "changed", sorted(updated_ids), sorted(fields_changed) or ["source"])
    progress(total, total, "Writing films")
    return report, set(added_ids), updated_ids, before


def record_import_edits(session: Session, film_id: int, who: str, edits: dict[str, tuple[Any, Any]]) -> None:
    """Keep what an import changed of a film in its edit history (lists as "role: name" lines,
    as the film page's history keeps them)."""
    if not edits:
        return
    as_history = {}
    for name, (old, new) in edits.items():
        if name in CHILD_LISTS:
            old = [f"{a}: {b}" if name == "credits" else (a or b) for a, b in old]
            new = [f"{a}: {b}" if name == "credits" else (a or b) for a, b in new]
        as_history[name] = (old, new)
    record_edits(session, film_id, f"import ({who})" if who else "import", as_history, source="import")


@dataclass
class _FilmRows:
    """Films' imported columns and their countries, languages, credits and catalogue facts as
    stored: what an import replaced (to undo it) or added (to redo it)."""

    films: list[dict[str, Any]] = field(default_factory=list)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [row["id"] for row in self.films]

    def extend(self, more: _FilmRows) -> None:
        self.films += more.films
        for name, rows in more.children.items():
            self.children.setdefault(name, []).extend(rows)

    @classmethod
    def read(cls, session: Session, film_ids: list[int], *, whole: bool = False) -> _FilmRows:
        """The rows of `film_ids`: every column with `whole` (films to put back as new rows),
        else the columns an import writes."""
        columns = list(_FILM.c) if whole else [_FILM.c.id, *(_FILM.c[name] for name in _IMPORTED_COLUMNS)]
        rows = cls(children={name: [] for name in _RESTORED_TABLES})
        for start in range(0, len(film_ids), 500):
            chunk = film_ids[start:start + 500]
            rows.films += [dict(row) for row in session.execute(
                sa.select(*columns).where(_FILM.c.id.in_(chunk))).mappings()]
            for name, table in _RESTORED_TABLES.items():
                rows.children[name] += [dict(row) for row in session.execute(
                    sa.select(table).where(table.c.film_id.in_(chunk))).mappings()]
        return rows

    def put_back(self, session: Session) -> None:
        """Give the films their imported columns and children as read (the films exist)."""
        if not self.films:
            return
        statement = (sa.update(_FILM).where(_FILM.c.id == sa.bindparam("film_id"))
                     .values({name: sa.bindparam(f"old_{name}") for name in _IMPORTED_COLUMNS}
                             | {"version": _FILM.c.version + 1}))
        session.connection().execute(statement, [
            {"film_id": row["id"], **{f"old_{name}": row[name] for name in _IMPORTED_COLUMNS}} for row in self.films])
        self._children_again(session)

    def insert(self, session: Session) -> None:
        """Insert the films (read `whole`) and their children again, under their ids."""
        if self.films:
            _insert_rows(session.connection(), _FILM, self.films)
            self._children_again(session)

    def _children_again(self, session: Session) -> None:
        ids = self.ids
        for name, table in _RESTORED_TABLES.items():
            for start in range(0, len(ids), 500):
                session.execute(sa.delete(table).where(table.c.film_id.in_(ids[start:start + 500])))
            if self.children.get(name):
                _insert_rows(session.connection(), table, self.children[name])
        reindex_films(session, ids)


def _search_document(film_row: dict[str, Any], values: dict[str, Any], person_ids: dict[str, int],
                     name_of: dict[int, str]) -> FilmDocument:
    """The search document of a film just added from `film_row` and its imported `values`, as
    store.search would read it back (directors by their stored names, in credit order)."""
    document = FilmDocument.of_film(title=film_row["title"], original_title=film_row["original_title"],
                                    sort_title=film_row["sort_title"], logline=film_row["logline"],
                                    synopsis=film_row["synopsis"])
    for role, person in values["credits"]:
        if role == "director":
            document.add_director(name_of[person_ids[person]])
    for code, label in values["countries"]:
        document.add_country(code, label)
    return document


def _write_updates(session: Session, updates: list[_Update], person_ids: dict[str, int],
                   now: dt.datetime) -> None:
    rows = []
    for update in updates:
        row = {f"new_{name}": value for name, value in update.columns.items()}
        row["new_sort_title"], row["new_sort_key"] = filing(update.columns["title"],
                                                            update.columns["original_language"])
        row.update(film_id=update.film_id, new_source_values=update.source_values, new_updated_at=now)
        rows.append(row)
    assigned = _IMPORTED_COLUMNS
    statement = (sa.update(_FILM).where(_FILM.c.id == sa.bindparam("film_id"))
                 .values({name: sa.bindparam(f"new_{name}") for name in assigned}
                         | {"version": _FILM.c.version + 1}))
    session.connection().execute(statement, rows)
    for name, table in _CHILD_TABLES.items():
        replaced = [update for update in updates if name in update.children]
        if not replaced:
            continue
        session.execute(sa.delete(table).where(table.c.film_id.in_([u.film_id for u in replaced])))
        child_rows = [row for update in replaced
                      for row in _child_rows(update.film_id, name, update.children[name], person_ids)]
        if child_rows:
            _insert_rows(session.connection(), table, child_rows)


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk import. The records, rows and documents of a
    large export stay alive until the end, and the collector, triggered by every few hundred new
    objects, walked all of them again and again: a third of a 25,000-row import. Reference
    counting still frees everything as usual; only cycles wait for the next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _larger_page_cache(session: Session) -> Iterator[None]:
    """On SQLite, a 64 MiB page cache while an import writes: with the default 2 MiB the index
    pages it writes all over (sort keys, people's names) are spilled and read back again and
    again (about 5 % of a 25,000-row import). The connection's own size is restored before the
    commit; dirty pages stay cached until then whatever the size."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {previous}")


def read_submissions(path: str | Path, *, source: str = FILMFREEWAY_SOURCE,
                     mapping: ColumnMapping | str | Path | None = None,
                     progress: Progress = no_progress) -> ReadResult:
    """Read a file as FilmFreeway (`source="filmfreeway"`) or through a column mapping
    (`source="mapped"` with `mapping`: a ColumnMapping or the path of a mapping JSON file)."""
    if source == FILMFREEWAY_SOURCE:
        return read_filmfreeway(path, progress=progress)
    if source != "mapped":
        raise UserError(f"unknown submissions source {source!r}; use filmfreeway or mapped")
    if mapping is None:
        raise UserError("a mapped import needs a column mapping (--mapping FILE)")
    if not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    return read_mapped(path, mapping, progress=progress)


def import_submissions(database: Database, path: str | Path, *, source: str = FILMFREEWAY_SOURCE,
                       mapping: ColumnMapping | str | Path | None = None, dry_run: bool = False,
                       progress: Progress = no_progress) -> Change:
    """Import a submissions export in ONE transaction and return what changed.

    `change.details` holds {"added", "updated", "unchanged", "rejected": [{"line", "reason"}],
    "kept_local", "kept": [{"film_id", "title", "fields"}], "source", "dry_run"}. With `dry_run`
    the report says what would happen and nothing is written. Raises UserError for an unreadable
    file; `progress` may raise Cancelled, which rolls everything back. Undo removes the films the
    import added and puts back what it updated, as one step (refused when the committee has
    rated, noted or moved an added film since, or a colleague has changed any of its films).
    The import is announced in the change log while it runs (colleagues see whose import is
    holding the festival file) and never writes back over an edit saved while it ran.
    """
    name = Path(path).name
    with _cycle_collection_paused():
        result = read_submissions(path, source=source, mapping=mapping, progress=progress)
        if dry_run:
            with database.reading() as session:
                report, added, updated, before = write_records(session, result, dry_run=True, progress=progress)
            after, versions = _FilmRows(), {}
        else:
            report, added, updated, before, after, versions = _write_announced(database, result, name, progress)
    description = f"{'Check' if dry_run else 'Import'} submissions from {name}"
    change = Change(description=description, films=updated, films_added=added, details=report.as_dict())
    if not dry_run and (added or updated):
        change.undo = lambda db: _take_back_import(db, description, sorted(added), before, after, versions)
    return change


def _write_announced(database: Database, result: ReadResult, name: str, progress: Progress):
    """Write an import in one transaction, announced in the change log first (colleagues' desks
    and writers waiting for the file say whose import it is), its end recorded with it. Returns
    what write_records does, the updated films' rows after it, and the versions it left."""
    token = uuid.uuid4().hex[:12]
    with database.transaction() as session:
        changelog.start_activity(session, token, f"an import of {name}")
    try:
        with database.transaction() as session, _larger_page_cache(session):
            report, added, updated, before = write_records(session, result, progress=progress)
            # Catalogue facts answered in the form (actions.facts): in the same transaction.
            from festival_desk.actions.facts import apply_fact_answers

            report.facts = apply_fact_answers(session, added | updated)
            after = _FilmRows.read(session, sorted(updated))
            versions = _versions(session, sorted(added | updated))
            changelog.finish_activity(session, token)
            changelog.describe(session, f"Import submissions from {name}: {report.added} added, "
                                        f"{report.updated} updated")
    except BaseException:
        with contextlib.suppress(Exception), database.transaction() as session:
            changelog.finish_activity(session, token)
        raise
    return report, added, updated, before, after, versions


def _versions(session: Session, film_ids: list[int], *, lock: bool = False) -> dict[int, int]:
    versions: dict[int, int] = {}
    for start in range(0, len(film_ids), 500):
        query = sa.select(_FILM.c.id, _FILM.c.version).where(_FILM.c.id.in_(film_ids[start:start + 500]))
        versions.update(session.execute(query.with_for_update() if lock else query).all())
    return versions


def _unchanged_since(session: Session, versions: dict[int, int]) -> None:
    """Refuse an undo or redo of an import when a colleague has changed one of its films since
    (their edit would be overwritten)."""
    now = _versions(session, sorted(versions), lock=True)
    changed = [film_id for film_id, version in versions.items() if film_id in now and now[film_id] != version]
    if changed:
        what = f"film {changed[0]}" + (f" (and {len(changed) - 1} more of its films)" if len(changed) > 1 else "")
        raise conflict(session, "film", changed[0], f"{what} was changed", undo=True)


def _take_back_import(database: Database, description: str, added: list[int], before: _FilmRows,
                      after: _FilmRows, versions: dict[int, int]) -> Change:
    """Undo an import: remove the films it added, put back the films it updated. Returns the
    Change whose undo imports them again (the same rows, under the same ids)."""
    with database.transaction() as session:
        _unchanged_since(session, versions)
        worked = _committee_work(session, added)
        if worked:
            raise UserError(f"{len(worked)} of the films this import added have ratings, notes or moves since "
                            f"(first: film {worked[0]}); undoing it would delete that work")
        added_rows = _FilmRows.read(session, added, whole=True)
        for start in range(0, len(added), 500):
            session.execute(sa.delete(_FILM).where(_FILM.c.id.in_(added[start:start + 500])))
        changelog.note(session, "film", "removed", added)
        before.put_back(session)
        changelog.note(session, "film", "changed", before.ids, ["source"])
        left = _versions(session, before.ids)

    def import_again(db: Database) -> Change:
        with db.transaction() as session:
            _unchanged_since(session, left)
            added_rows.insert(session)
            after.put_back(session)
            changelog.note(session, "film", "added", added)
            changelog.note(session, "film", "changed", after.ids, ["source"])
            again = _versions(session, sorted(set(added) | set(after.ids)))
        return Change(description=description, films=set(after.ids), films_added=set(added),
                      undo=lambda db2: _take_back_import(db2, description, added, before, after, again))

    return Change(description=description, films=set(before.ids), films_removed=set(added), undo=import_again)


def _committee_work(session: Session, film_ids: list[int]) -> list[int]:
    """The films among `film_ids` that someone has rated, written a note on, moved, been assigned,
    watched or declared a conflict of interest with."""
    worked: set[int] = set()
    for start in range(0, len(film_ids), 500):
        chunk = film_ids[start:start + 500]
        for model in (Rating, Note, StatusChange, Assignment, Viewing, ConflictOfInterest):
            worked |= set(session.exec(select(model.film_id).where(model.film_id.in_(chunk))).all())
    return sorted(worked)


# --- column mappings saved per source -----------------------------------------------------------

MAPPING_PRESET_KIND = "column_mapping"


def save_mapping(database: Database, mapping: ColumnMapping) -> Change:
    """Save `mapping` under its source name (replacing an earlier one) for the next import."""
    with database.transaction() as session:
        preset = session.exec(select(Preset).where(Preset.kind == MAPPING_PRESET_KIND,
                                                   Preset.name == mapping.source)).first()
        if preset is None:
            preset = Preset(kind=MAPPING_PRESET_KIND, name=mapping.source)
        preset.data, preset.updated_at = mapping.to_json(), dt.datetime.now(dt.UTC)
        session.add(preset)
    return Change(description=f"Save column mapping “{mapping.source}”", settings={f"mapping:{mapping.source}"})


def saved_mappings(database: Database) -> dict[str, ColumnMapping]:
    """The saved column mappings by source name."""
    with database.reading() as session:
        presets = session.exec(select(Preset).where(Preset.kind == MAPPING_PRESET_KIND)
                               .order_by(Preset.name)).all()
        return {preset.name: mapping_from_json(preset.data, f"saved mapping {preset.name!r}") for preset in presets}


def preview_rows(path: str | Path, rows: int = 5) -> tuple[list[str], list[list[str]]]:
    """(headers, first `rows` data rows) of a CSV/XLSX file, for choosing a column mapping."""
    table = read_table(path, max_rows=rows)
    return table.headers, [cells for _, cells in table.rows[:rows]]
