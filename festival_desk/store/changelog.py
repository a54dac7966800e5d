"""The change log: every committed write, recorded in the same transaction as the write.

What is recorded
----------------
Importing this module registers session listeners (like `store.search` does for the index) that
note, at every flush, which records an ORM write touched: films (added, removed, or changed with
the fields that changed: "title", "status", and "rating", "notes", "credits"... for the rows that
belong to a film), screenings, reviews, pull quotes, critics, programmers, venues, settings. ORM
bulk statements (`session.execute(delete(Note).where(...))`) are seen too. Core writes are not: a
bulk writer (the submissions import, the generator) calls `note(session, ...)` for what it wrote.
Just before the transaction commits, the notes become rows of `change_log` (one per kind of record
and kind of change), with who (`Writer.who`), the database login, the writing process
(`Writer.client`), when, and a short description (`describe(session, text)`, else one made from
what changed). A rolled-back transaction leaves no entry.

Order
-----
`seq` is the commit order, on both databases. SQLite writers hold the write lock from their first
statement (BEGIN IMMEDIATE). On PostgreSQL each writer takes a transaction-scoped advisory lock just
before it appends its entries, which it holds until its commit is complete: a reader that has seen
entry N has seen every entry below N, so "the entries after the last one I saw" is always right.

Waking up
---------
On PostgreSQL the commit also sends `NOTIFY festival_desk_changes` with the last sequence number
(ids only: a payload must stay small). NOTIFY is delivered at commit, dropped on rollback, and never
replayed: a listener that lost its connection reads the log since its last entry (see `store.live`).

Pruning
-------
Entries older than `Festival.change_log_days` (30 by default) are removed now and then by the
writers (never the newest one). A reader whose last entry is older than the oldest one left
(`LogRead.behind`) reloads everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from festival_desk.store import models as m

NOTIFY_CHANNEL = "festival_desk_changes"
# pg_advisory_xact_lock key of the log's append order ("FDLG").
ADVISORY_LOCK_KEY = 0x46444C47
PRUNE_EVERY = 64  # entries: a writer whose entry number is a multiple of this prunes old entries
DEFAULT_KEEP_DAYS = 30
MAX_IDS = 5000  # more ids than this in one entry: the entry says "many" (ids empty, op "replaced")

KINDS = ("film", "screening", "review", "quote", "critic", "programmer", "venue", "setting", "person",
         "festival", "activity")
OPS = ("added", "changed", "removed", "replaced", "started", "finished")

_PENDING_KEY = "festival_desk.changelog.pending"
_DESCRIPTION_KEY = "festival_desk.changelog.description"
WRITER_KEY = "festival_desk.changelog.writer"
LAST_SEQ_KEY = "festival_desk.changelog.last_seq"

_LOG = m.ChangeLog.__table__

# Film columns that are bookkeeping, not something a person changed.
_FILM_BOOKKEEPING = frozenset({"updated_at", "version", "sort_title", "sort_key", "source_values", "created_at"})
# Rows that belong to one film, and the name of what they are on the film.
_FILM_PARTS: dict[type, str] = {
    m.FilmCredit: "credits", m.FilmCountry: "countries", m.FilmLanguage: "languages", m.Still: "stills",
    m.FilmTag: "tags", m.Rating: "rating", m.Note: "notes", m.Assignment: "assignments",
    m.StatusChange: "status", m.Viewing: "viewings", m.ConflictOfInterest: "conflicts",
    m.CatalogueFacts: "facts", m.MeetingDecision: "decisions",
}
_SETTING_NAMES: dict[type, str] = {m.Festival: "festival", m.Section: "sections", m.Tag: "tags",
                                   m.RubricCriterion: "rubric", m.Meeting: "meetings"}
_IGNORED: tuple[type, ...] = (m.ChangeLog, m.FilmEdit, m.TeamRole)


@dataclass(frozen=True)
class Writer:
    """Who writes: `who` is the programmer (or login, or system user) named in the log; `client`
    names the writing process's open database, so that a desk can tell its own entries."""

    who: str = ""
    client: str = ""


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: dt.datetime
    who: str
    login: str
    client: str
    kind: str
    op: str
    ids: tuple[Any, ...]
    fields: tuple[str, ...]
    description: str

    def as_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values["at"] = self.at.isoformat()
        values["ids"], values["fields"] = list(self.ids), list(self.fields)
        return values


@dataclass(frozen=True)
class LogRead:
    """Entries after a sequence number. `behind` is True when entries the reader has not seen
    were pruned meanwhile: it must reload everything instead of applying `entries`."""

    entries: list[LogEntry]
    last_seq: int
    behind: bool


# --- collecting what a transaction writes ---------------------------------------------------------


@dataclass
class _Pending:
    # (kind, op) -> ids in first-seen order; (kind, op) -> fields
    ids: dict[tuple[str, str], dict[Any, None]] = field(default_factory=lambda: defaultdict(dict))
    fields: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    quote_reviews: set[int] = field(default_factory=set)  # reviews whose films are found at commit

    def add(self, kind: str, op: str, ids: Iterable[Any], fields: Iterable[str] = ()) -> None:
        bucket = self.ids[(kind, op)]
        for record_id in ids:
            if record_id is not None:
                bucket[record_id] = None
        self.fields[(kind, op)].update(fields)

    def __bool__(self) -> bool:
        return any(self.ids.values())


def _pending(session: Session) -> _Pending:
    return session.info.setdefault(_PENDING_KEY, _Pending())


def note(session: Session, kind: str, op: str, ids: Iterable[Any], fields: Iterable[str] = ()) -> None:
    """Record that this transaction wrote `ids` of `kind` (`op`: added, changed, removed,
    replaced), for writes the listeners cannot see (Core statements)."""
    if kind not in KINDS or op not in OPS:
        raise ValueError(f"unknown change log kind/op {kind}/{op}")
    _pending(session).add(kind, op, ids, fields)


def describe(session: Session, text: str) -> None:
    """Name what this transaction does, for the log ("Rate “Moon” 4 of 5"); the last call wins."""
    session.info[_DESCRIPTION_KEY] = text


def _changed_fields(instance: Any) -> list[str]:
    attrs = sa.inspect(instance).attrs
    return [attr.key for attr in attrs if attr.key not in _FILM_BOOKKEEPING and attr.history.has_changes()]


def _note_instance(pending: _Pending, instance: Any, op: str) -> None:
    kind = type(instance)
    if kind is m.Film:
        pending.add("film", op, [instance.id], _changed_fields(instance) if op == "changed" else ())
    elif kind in _FILM_PARTS:
        film_ids = [instance.film_id]
        if op == "changed":  # a row moved to another film changes that film too
            film_ids += [v for v in sa.inspect(instance).attrs.film_id.history.deleted if v is not None]
        pending.add("film", "changed", film_ids, [_FILM_PARTS[kind]])
    elif kind is m.Screening:
        pending.add("screening", op, [instance.id])
    elif kind is m.ScreeningItem:
        pending.add("screening", "changed", [instance.screening_id], ["films"])
        pending.add("film", "changed", [instance.film_id], ["screenings"])
    elif kind is m.ScreeningGuest:
        pending.add("screening", "changed", [instance.screening_id], ["guests"])
    elif kind is m.Review:
        pending.add("review", op, [instance.id])
        pending.add("film", "changed", [instance.film_id], ["reviews"])
    elif kind is m.PullQuote:
        pending.add("quote", op, [instance.id])
        pending.quote_reviews.add(instance.review_id)
    elif kind is m.Critic:
        pending.add("critic", op, [instance.id])
    elif kind is m.Programmer:
        pending.add("programmer", op, [instance.id])
    elif kind is m.ProgrammerLanguage:
        pending.add("programmer", "changed", [instance.programmer_id], ["languages"])
    elif kind is m.Venue:
        pending.add("venue", op, [instance.id])
    elif kind is m.Screen:
        pending.add("venue", "changed", [instance.venue_id], ["screens"])
    elif kind is m.VenueTravel:
        pending.add("venue", "changed", [instance.venue_a_id, instance.venue_b_id], ["travel"])
    elif kind is m.Preset:
        pending.add("setting", "changed", [instance.kind])
    elif kind in _SETTING_NAMES:
        fields = _changed_fields(instance) if op == "changed" and kind is m.Festival else ()
        pending.add("setting", "changed", [_SETTING_NAMES[kind]], fields)
    elif kind is m.Person:
        pending.add("person", op, [instance.id])


_log_present: weakref.WeakKeyDictionary[sa.Engine, bool] = weakref.WeakKeyDictionary()


def _has_log(connection: sa.Connection) -> bool:
    engine = connection.engine
    present = _log_present.get(engine)
    if present is None:
        present = _log_present[engine] = sa.inspect(connection).has_table(_LOG.name)
    return present


def forget_log_presence() -> None:
    """Make the listeners look again for the log table (after the migrations made it)."""
    _log_present.clear()


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _flush_context: Any) -> None:
    # After the flush, new rows have their ids; `new`, `dirty`, `deleted` and the attribute
    # histories still describe what this flush wrote.
    touched = ([(obj, "added") for obj in session.new] + [(obj, "removed") for obj in session.deleted]
               + [(obj, "changed") for obj in session.dirty if session.is_modified(obj, include_collections=False)])
    touched = [(obj, op) for obj, op in touched if not isinstance(obj, _IGNORED)]
    if not touched:
        return
    pending = _pending(session)
    for instance, op in touched:
        _note_instance(pending, instance, op)


def _bulk_ids(state: ORMExecuteState, entity: type, column: Any) -> set[Any]:
    """Values of `column` in the rows an ORM bulk UPDATE or DELETE on `entity` will touch."""
    statement = state.statement
    rows = sa.select(column)
    if statement.whereclause is not None:
        rows = rows.where(statement.whereclause)
    elif isinstance(state.parameters, list):  # bulk UPDATE by primary key
        return {row.get(column.key) for row in state.parameters} - {None}
    return set(state.session.connection().execute(rows).scalars())


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert) or state.bind_mapper is None:
        return None
    entity = state.bind_mapper.class_
    if entity in _IGNORED:
        return None
    session = state.session
    op = "removed" if state.is_delete else "added" if state.is_insert else "changed"
    if state.is_insert:
        parameters = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        pending = _pending(session)
        for row in parameters:  # rows whose ids are not given are found by their parents only
            _note_instance(pending, entity(**row), op)
        return None
    if entity is m.Film:
        ids = _bulk_ids(state, entity, m.Film.id)
        _pending(session).add("film", op, ids)
    elif entity in _FILM_PARTS:
        _pending(session).add("film", "changed", _bulk_ids(state, entity, entity.film_id), [_FILM_PARTS[entity]])
    elif entity in (m.ScreeningItem, m.ScreeningGuest):
        _pending(session).add("screening", "changed", _bulk_ids(state, entity, entity.screening_id))
    elif hasattr(entity, "id"):
        kind = {m.Screening: "screening", m.Review: "review", m.PullQuote: "quote", m.Critic: "critic",
                m.Programmer: "programmer", m.Venue: "venue", m.Person: "person"}.get(entity)
        if kind is not None:
            _pending(session).add(kind, op, _bulk_ids(state, entity, entity.id))
        else:
            _pending(session).add("setting", "changed", [_SETTING_NAMES.get(entity, entity.__tablename__)])
    return None


# --- writing the entries at commit ------------------------------------------------------------------


def _summary(pending: _Pending) -> str:
    parts = []
    for (kind, op), ids in pending.ids.items():
        if ids:
            count = len(ids)
            fields = sorted(pending.fields[(kind, op)])
            what = f"{count} {kind}{'s' if count != 1 else ''}"
            parts.append(f"{op} {what}" + (f" ({', '.join(fields)})" if fields else ""))
    return "; ".join(parts)


def _entries(pending: _Pending) -> list[dict[str, Any]]:
    """The rows to append: one per kind and op; a record added or removed in the transaction is
    not also listed as changed."""
    rows = []
    for (kind, op), ids in pending.ids.items():
        listed = list(ids)
        if op == "changed":
            gone = set(pending.ids.get((kind, "added"), {})) | set(pending.ids.get((kind, "removed"), {}))
            listed = [record_id for record_id in listed if record_id not in gone]
        if not listed:
            continue
        fields = sorted(pending.fields[(kind, op)])
        if len(listed) > MAX_IDS:
            rows.append({"kind": kind, "op": "replaced", "ids": [], "fields": fields})
        else:
            rows.append({"kind": kind, "op": op, "ids": listed, "fields": fields})
    order = {kind: position for position, kind in enumerate(KINDS)}
    return sorted(rows, key=lambda row: (order[row["kind"]], OPS.index(row["op"])))


def append(session: Session) -> int | None:
    """Append what this transaction wrote to the log (in the caller's transaction); returns the
    last sequence number written, None when there was nothing to write. Runs by itself before
    every commit."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending: _Pending | None = session.info.pop(_PENDING_KEY, None)
    description = session.info.pop(_DESCRIPTION_KEY, None)
    if not pending:
        return None
    connection = session.connection()
    if not _has_log(connection):
        return None
    if pending.quote_reviews:
        films = connection.execute(sa.select(m.Review.film_id).where(m.Review.id.in_(pending.quote_reviews)))
        pending.add("film", "changed", films.scalars(), ["quotes"])
    writer: Writer = session.info.get(WRITER_KEY) or Writer()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
    now = dt.datetime.now(dt.UTC)
    text = description or _summary(pending)
    rows = [row | {"at": now, "who": writer.who, "client": writer.client, "description": text}
            for row in _entries(pending)]
    if not rows:
        return None
    # The login is the database's own word for who is connected, not something a client says.
    login = sa.literal_column("current_user") if postgres else sa.literal("")
    connection.execute(sa.insert(_LOG).values(login=login), rows)
    last_seq = connection.execute(sa.select(sa.func.max(_LOG.c.seq))).scalar_one()
    if last_seq % PRUNE_EVERY < len(rows):
        prune(connection, keep_newest=last_seq)
    if postgres:
        connection.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, str(last_seq))))
    session.info[LAST_SEQ_KEY] = last_seq
    return last_seq


@event.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    # Also called when a savepoint is released: only the outermost commit writes the entries.
    if not session.in_nested_transaction():
        append(session)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_DESCRIPTION_KEY, None)


def keep_days(connection: sa.Connection) -> int:
    days = connection.execute(sa.select(m.Festival.change_log_days).order_by(m.Festival.id).limit(1)).scalar()
    return int(days) if days else DEFAULT_KEEP_DAYS


def prune(connection: sa.Connection, *, keep_newest: int | None = None, days: int | None = None) -> int:
    """Delete entries older than `days` (the festival's setting when None), never the newest one;
    returns how many went."""
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=keep_days(connection) if days is None else days)
    newest = keep_newest if keep_newest is not None else \
        connection.execute(sa.select(sa.func.max(_LOG.c.seq))).scalar()
    if newest is None:
        return 0
    result = connection.execute(sa.delete(_LOG).where(_LOG.c.at < cutoff, _LOG.c.seq < newest))
    return result.rowcount or 0


# --- reading ----------------------------------------------------------------------------------------


def _entry(row: Any) -> LogEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
    return LogEntry(seq=row.seq, at=at, who=row.who, login=row.login, client=row.client, kind=row.kind,
                    op=row.op, ids=tuple(row.ids or ()), fields=tuple(row.fields or ()),
                    description=row.description)


def _connection(source: Session | sa.Connection) -> sa.Connection:
    return source if isinstance(source, sa.Connection) else source.connection()


def latest_seq(source: Session | sa.Connection) -> int:
    """The sequence number of the newest entry (0 when the log is empty)."""
    return _connection(source).execute(sa.select(sa.func.coalesce(sa.func.max(_LOG.c.seq), 0))).scalar_one()


def read_since(source: Session | sa.Connection, seq: int, *, limit: int | None = None) -> LogRead:
    """The entries after `seq`, oldest first (at most `limit`)."""
    connection = _connection(source)
    oldest = connection.execute(sa.select(sa.func.min(_LOG.c.seq))).scalar()
    query = sa.select(_LOG).where(_LOG.c.seq > seq).order_by(_LOG.c.seq)
    if limit is not None:
        query = query.limit(limit)
    entries = [_entry(row) for row in connection.execute(query)]
    behind = seq > 0 and oldest is not None and seq < oldest - 1
    return LogRead(entries=entries, last_seq=entries[-1].seq if entries else seq, behind=behind)


def latest_entry_for(source: Session | sa.Connection, kind: str, record_id: Any, *,
                     fields: Sequence[str] = (), after: int = 0, other_than_client: str | None = None,
                     scan: int = 500) -> LogEntry | None:
    """The newest entry (among the last `scan` after `after`) that names record `record_id` of
    `kind`, optionally with one of `fields`, optionally written by another client than the one
    given: "who changed this last"."""
    connection = _connection(source)
    query = (sa.select(_LOG).where(_LOG.c.kind == kind, _LOG.c.seq > after)
             .order_by(_LOG.c.seq.desc()).limit(scan))
    if other_than_client is not None:
        query = query.where(_LOG.c.client != other_than_client)
    for row in connection.execute(query):
        entry = _entry(row)
        if (record_id in entry.ids or entry.op == "replaced") and (
                not fields or not entry.fields or set(fields) & set(entry.fields)):
            return entry
    return None


def recent_writers(source: Session | sa.Connection, *, minutes: int = 15) -> list[tuple[str, str, dt.datetime]]:
    """(who, client, last entry time) of everyone who wrote in the last `minutes`, newest first."""
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    rows = _connection(source).execute(
        sa.select(_LOG.c.who, _LOG.c.client, sa.func.max(_LOG.c.at).label("last"))
        .where(_LOG.c.at >= cutoff).group_by(_LOG.c.who, _LOG.c.client)).all()
    result = [(who, client, last if last.tzinfo else last.replace(tzinfo=dt.UTC)) for who, client, last in rows]
    return sorted(result, key=lambda row: row[2], reverse=True)


# --- activities: long writes others should know about ------------------------------------------------

ACTIVITY_HOURS = 1  # an activity started longer ago than this without an end is taken as ended


def start_activity(session: Session, token: str, description: str) -> None:
    """Note (in its own short transaction, committed before the long one) that a long write such
    as an import begins; `description` says what ("an import of submissions.csv")."""
    note(session, "activity", "started", [token])
    describe(session, description)


def finish_activity(session: Session, token: str) -> None:
    """Note, in the long write's own transaction (or in one of its own after a failure), that the
    activity `token` is over."""
    note(session, "activity", "finished", [token])


def running_activity(source: Session | sa.Connection) -> LogEntry | None:
    """The newest activity started in the last ACTIVITY_HOURS and not finished, if any."""
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(hours=ACTIVITY_HOURS)
    rows = _connection(source).execute(
        sa.select(_LOG).where(_LOG.c.kind == "activity", _LOG.c.at >= cutoff).order_by(_LOG.c.seq.desc()))
    finished: set[Any] = set()
    for row in rows:
        entry = _entry(row)
        if entry.op == "finished":
            finished.update(entry.ids)
        elif entry.op == "started" and not set(entry.ids) & finished:
            return entry
    return None
