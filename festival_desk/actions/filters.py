"""Saved filters: a `FilmFilter` kept under a name (a `Preset` of kind "filter"), shared by the
committee through the database.

Saving and deleting are undoable actions returning a `Change` whose `settings` names
"filter:NAME"; loading and listing only read.
"""

from __future__ import annotations

from sqlmodel import Session, select

from festival_desk.actions.changes import Change
from festival_desk.core.errors import UserError
from festival_desk.store.db import Database
from festival_desk.store.filters import FilmFilter
from festival_desk.store.models import Preset, utcnow

KIND = "filter"
MAX_NAME_LENGTH = 80


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("a saved filter needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise UserError(f"filter name {cleaned[:20]!r}…: at most {MAX_NAME_LENGTH} characters")
    return cleaned


def _preset(session: Session, name: str) -> Preset | None:
    return session.exec(select(Preset).where(Preset.kind == KIND, Preset.name == name)).first()


def _put(database: Database, name: str, data: dict | None, description: str) -> Change:
    """Store `data` under `name` (None: remove it); the Change's undo puts back what was there."""
    with database.transaction() as session:
        preset = _preset(session, name)
        previous = dict(preset.data) if preset is not None else None
        if data is None:
            if preset is not None:
                session.delete(preset)
        elif preset is None:
            session.add(Preset(kind=KIND, name=name, data=data))
        else:
            preset.data = data
            preset.updated_at = utcnow()

    def undo(db: Database) -> Change:
        return _put(db, name, previous, description)

    return Change(description=description, settings={f"{KIND}:{name}"}, undo=undo)


def save_filter(database: Database, name: str, film_filter: FilmFilter) -> Change:
    """Save `film_filter` as `name`, replacing a saved filter of that name (names are compared
    with runs of spaces collapsed). UserError for an empty or over-long name."""
    name = _clean_name(name)
    return _put(database, name, film_filter.to_dict(), f"Save filter “{name}”")


def load_filter(database: Database, name: str) -> FilmFilter:
    """The filter saved as `name`; UserError naming it when there is none (or it no longer reads)."""
    name = _clean_name(name)
    with database.reading() as session:
        preset = _preset(session, name)
        if preset is None:
            known = ", ".join(saved_filter_names(database)) or "none saved yet"
            raise UserError(f"no saved filter named “{name}” (saved filters: {known})")
        data = preset.data
    try:
        return FilmFilter.from_dict(data)
    except UserError as error:
        raise UserError(f"saved filter “{name}”: {error}") from None


def saved_filter_names(database: Database) -> list[str]:
    """The names of the saved filters, alphabetically (case-insensitive)."""
    with database.reading() as session:
        names = session.exec(select(Preset.name).where(Preset.kind == KIND)).all()
    return sorted(names, key=str.casefold)


def delete_filter(database: Database, name: str) -> Change:
    """Remove the saved filter `name`; UserError when there is none."""
    name = _clean_name(name)
    with database.reading() as session:
        if _preset(session, name) is None:
            raise UserError(f"no saved filter named “{name}”")
    return _put(database, name, None, f"Delete filter “{name}”")
