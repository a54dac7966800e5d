"""What the database says when a write cannot be made, in words a programmer understands.

No raw `IntegrityError`, `StaleDataError`, "database is locked" or PostgreSQL permission error
reaches a user: `Database.transaction` turns each into a `UserError` (a `ConflictError` where a
colleague's change crossed this one) with one line saying what happened and that nothing was
written. Actions that know more (which film, which colleague) raise their own message first.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from festival_desk.core.errors import ConflictError, UserError

# SQLSTATEs (PostgreSQL) of the failures handled here.
_INSUFFICIENT_PRIVILEGE = "42501"
_SERIALIZATION_FAILURE = "40001"
_DEADLOCK = "40P01"
_UNIQUE = "23505"
_FOREIGN_KEY = "23503"
_CHECK = "23514"
_NOT_NULL = "23502"

# What a unique constraint or index protects, by its name (models.NAMING_CONVENTION).
_UNIQUE_WHAT = {
    "programmer": "committee member", "critic": "critic", "tag": "tag", "section": "section",
    "venue": "venue", "screen": "screen", "preset": "saved setting", "review": "review",
    "rating": "rating", "film": "submission", "search": "search entry", "filmtag": "tag",
    "assignment": "assignment",
}
_SQLITE_LOCKED = ("database is locked", "database table is locked", "database schema is locked")


def _sqlstate(error: sa.exc.DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None) or getattr(getattr(error.orig, "diag", None), "sqlstate", None)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _table_of(error: sa.exc.DBAPIError) -> str:
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "table_name", None) or getattr(diag, "constraint_name", None) or ""
    if not name:  # SQLite: "UNIQUE constraint failed: programmer.name"
        found = re.search(r"failed: (\w+)\.", _first_line(error))
        name = found.group(1) if found else ""
    return re.sub(r"^(uq|pk|ix|fk|ck)_", "", name).split("_")[0]


def is_locked(error: BaseException) -> bool:
    """True for SQLite's "database is locked" (another process holds the write lock)."""
    return any(text in str(error) for text in _SQLITE_LOCKED)


def plain_error(error: BaseException, label: str) -> UserError | None:
    """The UserError to show instead of `error` (raised by a write on the database `label`), or
    None when it is not one of the failures concurrent use produces."""
    if isinstance(error, StaleDataError):
        return ConflictError("a colleague saved the same record at the same moment; nothing was "
                             "written: look at their change and save again")
    if not isinstance(error, sa.exc.DBAPIError):
        return None
    state = _sqlstate(error)
    message = _first_line(error)
    if state == _INSUFFICIENT_PRIVILEGE or "row-level security" in message or "permission denied" in message:
        reason = message.removeprefix("ERROR:").strip()
        return UserError(f"not allowed by your role on this festival ({reason}); nothing was written")
    if state in (_SERIALIZATION_FAILURE, _DEADLOCK):
        return ConflictError("a colleague's change crossed yours at the same moment; nothing was "
                             "written: try again")
    if isinstance(error, sa.exc.IntegrityError):
        what = _UNIQUE_WHAT.get(_table_of(error), "record")
        lowered = message.lower()
        if state == _UNIQUE or "unique constraint" in lowered or "duplicate key" in lowered:
            return ConflictError(f"a colleague saved the same {what} at the same moment; nothing "
                                 "was written: try again")
        if state == _FOREIGN_KEY or "foreign key" in lowered:
            return ConflictError("this refers to a record a colleague has just removed; nothing was "
                                 "written: reload and try again")
        if state in (_CHECK, _NOT_NULL) or "check constraint" in lowered or "not null" in lowered:
            return UserError(f"a value is missing or out of range ({message}); nothing was written")
    if isinstance(error, sa.exc.OperationalError) and is_locked(error):
        return UserError(f"{label} stayed busy with another program's change for too long; nothing "
                         "was written: try again when it has finished")
    return None
