"""Undo by rows: an action records the rows it touched as they were (None: not there), and its
undo sets them back as one new action, whose own undo sets them to what they were in turn.

For small actions whose rows are few (venues, screens, an imported review with its quotes and
critic): the rows go through the ORM, so the search index follows them as it follows every edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from festival_desk.actions.changes import Change
from festival_desk.store.db import Database

# (model, primary key, the row's data or None when the row is absent), parents before children.
RowTargets = Sequence[tuple[type, int, dict[str, Any] | None]]


def row_data(row: Any) -> dict[str, Any]:
    return row.model_dump()


def read_rows(session: Session, keys: Sequence[tuple[type, int]]) -> list[tuple[type, int, dict[str, Any] | None]]:
    """The rows `keys` as they are now (None where a row is absent)."""
    return [(model, row_id, row_data(row) if (row := session.get(model, row_id)) else None) for model, row_id in keys]


def _put_row(session: Session, model: type, row_id: int, data: dict[str, Any] | None) -> None:
    row = session.get(model, row_id)
    if data is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return
    if row is None:
        session.add(model(**data))
    else:
        for key, value in data.items():
            setattr(row, key, value)
    session.flush()


def restore_rows(database: Database, targets: RowTargets, description: str, **change_fields: Any) -> Change:
    """Set each (model, id) row to its target data (None: absent) as one action: deletions run
    children first, writes parents first. The Change carries `change_fields` (the ids that views
    refresh) and an undo that sets the rows back to what they were before this."""
    with database.transaction() as session:
        current = read_rows(session, [(model, row_id) for model, row_id, _ in targets])
        for model, row_id, data in reversed(targets):
            if data is None:
                _put_row(session, model, row_id, None)
        for model, row_id, data in targets:
            if data is not None:
                _put_row(session, model, row_id, data)
    return undoable_by_rows(Change(description, **change_fields), current)


def undoable_by_rows(change: Change, before: RowTargets) -> Change:
    """`change` with an undo that sets the rows back to `before` (a new action: see `restore_rows`)."""
    fields = {name: getattr(change, name) for name in ("films", "films_added", "films_removed", "screenings",
                                                       "reviews", "critics", "programmers", "venues", "settings")}
    # What the undo adds is what this change removed, and the other way round.
    fields["films_added"], fields["films_removed"] = fields["films_removed"], fields["films_added"]
    change.undo = lambda db: restore_rows(db, before, change.description, **fields)
    return change
