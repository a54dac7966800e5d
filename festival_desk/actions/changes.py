"""The record every action returns: what changed (so views refresh only that) and how to undo it.

Undo is part of the action contract, not a widget trick: an action that can be undone returns a
`Change` whose `undo` performs the inverse as one new action (one transaction) and returns the
`Change` of that inverse, whose own `undo` is the redo. The GUI's undo stack and a script alike just
call `change.undo(database)`. Descriptions name what the user did ("Move 3 films to Shortlisted");
an inverse keeps the description of the action it reverses, and no "Undo" wording ever reaches
stored data (a status move made by Undo is recorded as a move of kind "undo").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from festival_desk.store.db import Database

UndoFunction = Callable[["Database"], "Change"]


@dataclass
class Change:
    """What one action did.

    `description` names the action for a menu ("Move 3 films to Shortlisted"). The id sets name the
    records touched; `*_added`/`*_removed` say when rows appeared or vanished (a table must then
    re-query rather than refresh a row). `details` carries action-specific results for the caller
    (e.g. an import report). `undo` is None when the action cannot be undone.
    """

    description: str
    films: set[int] = field(default_factory=set)
    films_added: set[int] = field(default_factory=set)
    films_removed: set[int] = field(default_factory=set)
    screenings: set[int] = field(default_factory=set)
    reviews: set[int] = field(default_factory=set)
    critics: set[int] = field(default_factory=set)
    programmers: set[int] = field(default_factory=set)
    venues: set[int] = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    details: dict[str, Any] = field(default_factory=dict)
    undo: UndoFunction | None = None
    # Anything may have changed (a colleague replaced the festival, or a desk was away longer than
    # the change log keeps): every view reloads.
    everything: bool = False
    # Consecutive changes with the same key are one step for Undo (e.g. the saves of one note
    # while it is being typed): the undo of the first one restores what was there before them all.
    merge_key: str | None = None

    @property
    def can_undo(self) -> bool:
        return self.undo is not None

    @property
    def row_set_changed(self) -> bool:
        """True when films appeared or vanished (lists must re-query, not just repaint rows)."""
        return bool(self.films_added or self.films_removed or self.everything)


def undo_by(description: str, back: UndoFunction, again: UndoFunction) -> UndoFunction:
    """The usual undo of an action whose inverse and redo are themselves actions: `back(database)`
    restores what was there, and the Change it returns keeps `description` and redoes with
    `again(database)`."""

    def undo(database: Database) -> Change:
        inverse = back(database)
        inverse.description = description
        inverse.undo = again
        return inverse

    return undo
