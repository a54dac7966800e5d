"""Conflicts of interest as the writing actions check them: a programmer with a declared conflict
on a film may not rate it nor be assigned it. (Declaring and withdrawing conflicts is in
`actions.committee`; how a conflict keeps a rating out of means is `store.scoring`.)"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from festival_desk.core.errors import UserError
from festival_desk.store.models import ConflictOfInterest, Film, Programmer


def conflicts_of(session: Session, programmer_id: int, film_ids: Iterable[int]) -> dict[int, str]:
    """{film id: reason} of `programmer_id`'s conflicts of interest among `film_ids`."""
    ids = list(dict.fromkeys(film_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        found.update(session.execute(
            sa.select(ConflictOfInterest.film_id, ConflictOfInterest.reason)
            .where(ConflictOfInterest.programmer_id == programmer_id,
                   ConflictOfInterest.film_id.in_(ids[start:start + 500]))).all())
    return found


def refuse_if_conflicted(session: Session, programmer_id: int, film_ids: Iterable[int], doing: str) -> None:
    """UserError (one line, naming the film and the reason) when `programmer_id` has declared a
    conflict of interest on any of `film_ids`; `doing` says what was refused ("rate it")."""
    conflicts = conflicts_of(session, programmer_id, film_ids)
    if not conflicts:
        return
    name = session.get(Programmer, programmer_id).name
    described = []
    for film_id, reason in sorted(conflicts.items()):
        film = session.get(Film, film_id)
        described.append(f"film {film_id} “{film.title if film else '?'}” ({reason})")
    raise UserError(f"{name} declared a conflict of interest with {'; '.join(described)}: "
                    f"they cannot {doing}")
