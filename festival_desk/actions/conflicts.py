"""Saving against what was read: the messages of refused saves and undos, and inserts that two
people may make at the same moment.

A save names the version (or, for a status move, the status) it was made against; when a colleague
saved first, the action raises `ConflictError` saying who changed what and when (from the change
log) and writes nothing. Undo passes the state its own action left: when a colleague has changed
the record since, the undo is refused the same way instead of overwriting their work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from festival_desk.core.errors import ConflictError
from festival_desk.store.changelog import WRITER_KEY, LogEntry, latest_entry_for

Row = TypeVar("Row")


def _when(entry: LogEntry) -> str:
    return entry.at.astimezone().strftime("%H:%M")


def who_changed(session: Session, kind: str, record_id: object, fields: Iterable[str] = ()) -> LogEntry | None:
    """The change log's newest entry about that record by someone else than this writer (one
    touching `fields` if there is one), else the newest by anyone; None when the log does not say."""
    writer = session.info.get(WRITER_KEY)
    others = writer.client if writer is not None and writer.client else None
    for wanted_fields, other_than in ((tuple(fields), others), ((), others), ((), None)):
        entry = latest_entry_for(session, kind, record_id, fields=wanted_fields, other_than_client=other_than)
        if entry is not None:
            return entry
    return None


def by_whom(entry: LogEntry | None) -> str:
    """"by Ayşe Demirtaş at 14:02" (or "by someone else" when the log does not say)."""
    if entry is None:
        return "by someone else"
    return f"by {entry.who or entry.login or 'someone else'} at {_when(entry)}"


def conflict(session: Session, kind: str, record_id: object, what: str, *, undo: bool = False,
             fields: Iterable[str] = (), now: str = "") -> ConflictError:
    """The ConflictError for `what` ("“Moon” was changed", "screening #3 was moved") done by a
    colleague since it was read; for an undo, that the undo would overwrite it. `now` says what
    the record is now ("it is now Thu 21:00, Mala dvorana"), when that helps."""
    entry = who_changed(session, kind, record_id, () if undo else fields)
    changed = f" ({', '.join(entry.fields)})" if entry is not None and entry.fields else ""
    state = f" ({now})" if now else ""
    if undo:
        message = (f"{what} {by_whom(entry)}{changed} after your change{state}; undoing it would overwrite "
                   "their work, so nothing was changed")
    else:
        message = (f"{what} {by_whom(entry)}{changed} since you read it{state}; nothing was saved: look at "
                   "their change and save again")
    return ConflictError(message, kind=kind, record_id=record_id, who=entry.who if entry else "",
                         at=entry.at if entry else None)


def insert_once(session: Session, row: Row, find: Callable[[], Row | None]) -> Row:
    """Add `row` (which has a unique key) in a savepoint; when a colleague's transaction inserted
    the same key at the same moment, their row, found by `find`, is returned instead of the
    unique-key error."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
        return row
    except sa.exc.IntegrityError:
        found = find()
        if found is None:
            raise
        return found
