"""What merging two committee members (`actions.programming.merge_programmers`) does to the
committee's process records: the duplicate's viewings, conflicts of interest, languages and chaired
meetings become the member's, so that nothing of it is lost to the cascade when the duplicate
leaves, and a recusal keeps holding for the ratings that move.

`fold_process_records` runs inside the merge's transaction and returns the function its undo runs
(inside the undo's transaction, after the duplicate is back) to restore every row as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from festival_desk.store.models import ConflictOfInterest, Meeting, ProgrammerLanguage, Rating, Viewing

_PER_FILM = (Viewing, ConflictOfInterest)


def _rows(session: Session, table: Any, programmer_id: int) -> list[dict[str, Any]]:
    columns = [column.name for column in table.__table__.columns]
    return [dict(zip(columns, row)) for row in session.execute(
        sa.select(*(table.__table__.c[name] for name in columns)).where(table.programmer_id == programmer_id))]


def fold_process_records(session: Session, from_id: int, into_id: int) -> Callable[[Session], None]:
    """Move `from_id`'s process records to `into_id` where `into_id` has none of its own (a
    conflict of either counts for the merged member); return the undo's restorer."""
    from festival_desk.actions.rubric import read_given, write_given

    saved = {table: _rows(session, table, from_id) for table in (*_PER_FILM, ProgrammerLanguage)}
    moved: dict[Any, list[Any]] = {}
    for table in _PER_FILM:
        taken = set(session.execute(sa.select(table.film_id).where(table.programmer_id == into_id)).scalars())
        moved[table] = [row["film_id"] for row in saved[table] if row["film_id"] not in taken]
        session.execute(sa.update(table).where(table.programmer_id == from_id, table.film_id.in_(moved[table]))
                        .values(programmer_id=into_id))
    spoken = set(session.execute(sa.select(ProgrammerLanguage.code)
                                 .where(ProgrammerLanguage.programmer_id == into_id)).scalars())
    moved_codes = [row["code"] for row in saved[ProgrammerLanguage] if row["code"] not in spoken]
    session.execute(sa.update(ProgrammerLanguage).where(ProgrammerLanguage.programmer_id == from_id,
                                                        ProgrammerLanguage.code.in_(moved_codes))
                    .values(programmer_id=into_id))
    chaired = list(session.execute(sa.select(Meeting.id).where(Meeting.chair_id == from_id)).scalars())
    session.execute(sa.update(Meeting).where(Meeting.id.in_(chaired)).values(chair_id=into_id))
    # Ratings of films both rated stay the member's; the duplicate's come back with their criteria.
    both = set(session.execute(sa.select(Rating.film_id).where(Rating.programmer_id == into_id)).scalars())
    kept_aside = {film_id: read_given(session, film_id, from_id) for film_id in session.execute(
        sa.select(Rating.film_id).where(Rating.programmer_id == from_id, Rating.film_id.in_(both))).scalars()}

    def restore(undo_session: Session) -> None:
        for table in _PER_FILM:
            undo_session.execute(sa.update(table).where(table.programmer_id == into_id,
                                                        table.film_id.in_(moved[table]))
                                 .values(programmer_id=from_id))
            for row in saved[table]:
                if row["film_id"] not in moved[table]:
                    undo_session.execute(sa.insert(table).values(**row))
        undo_session.execute(sa.update(ProgrammerLanguage).where(ProgrammerLanguage.programmer_id == into_id,
                                                                 ProgrammerLanguage.code.in_(moved_codes))
                             .values(programmer_id=from_id))
        for row in saved[ProgrammerLanguage]:
            if row["code"] not in moved_codes:
                undo_session.execute(sa.insert(ProgrammerLanguage).values(**row))
        undo_session.execute(sa.update(Meeting).where(Meeting.id.in_(chaired)).values(chair_id=from_id))
        for film_id, given in kept_aside.items():
            write_given(undo_session, film_id, from_id, given)

    return restore
