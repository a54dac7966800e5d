"""The desk's undo and redo: a mirror of `Change.undo`, never a widget trick.

Each undoable action's `Change` is pushed here with its label, the action's description. Undo runs
`change.undo(database)` (one new action, on the worker) and keeps the inverse `Change` it returns
for Redo, whose own undo is the redo again. The label stays with the step through any number of
cycles: the menu reads "Undo Move 3 films to Shortlisted" and then "Redo Move 3 films to
Shortlisted", never "Undo Undo: …". Consecutive changes with the same `merge_key` (the saves of
one note while it is typed) are one step, whose undo restores what was there before them all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from festival_desk.actions.changes import Change
from festival_desk.gui.tasks import TaskRunner

if TYPE_CHECKING:  # the database stack loads on the worker, after the window shows
    from festival_desk.store.db import Database

LIMIT = 200


@dataclasses.dataclass
class _Step:
    label: str
    change: Change


class UndoHistory(QObject):
    """Signals: `changed()` when what Undo/Redo would do changes; `applied(Change)` with the
    Change of every undo or redo once it is done (views refresh from it; its description says
    what happened: "Undone: …" / "Redone: …")."""

    changed = Signal()
    applied = Signal(object)

    def __init__(self, runner: TaskRunner, database: Callable[[], Database | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._database = database
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._busy = False

    def push(self, change: Change) -> None:
        """Record a newly done action (one that cannot be undone changes nothing and is skipped)."""
        if not change.can_undo:
            return
        top = self._undo[-1] if self._undo else None
        if top is not None and change.merge_key is not None and top.change.merge_key == change.merge_key:
            # One step: the first change's undo goes back to before them all.
            top.label = change.description
            top.change = dataclasses.replace(change, undo=top.change.undo)
        else:
            self._undo.append(_Step(change.description, change))
            del self._undo[:-LIMIT]
        self._redo.clear()
        self.changed.emit()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self.changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo) and not self._busy

    @property
    def can_redo(self) -> bool:
        return bool(self._redo) and not self._busy

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo_text(self) -> str:
        return self.tr("Undo %1").replace("%1", self._undo[-1].label) if self._undo else self.tr("Undo")

    def redo_text(self) -> str:
        return self.tr("Redo %1").replace("%1", self._redo[-1].label) if self._redo else self.tr("Redo")

    def undo(self) -> None:
        if self.can_undo:
            self._run(self._undo.pop(), self._redo, self.tr("Undone: %1"))

    def redo(self) -> None:
        if self.can_redo:
            self._run(self._redo.pop(), self._undo, self.tr("Redone: %1"))

    def _run(self, step: _Step, inverse_stack: list[_Step], message: str) -> None:
        database = self._database()
        change = step.change
        if database is None or change.undo is None:
            return
        self._busy = True
        self.changed.emit()

        def done(inverse: Change) -> None:
            self._busy = False
            if inverse.can_undo:
                inverse_stack.append(_Step(step.label, inverse))
            self.changed.emit()
            self.applied.emit(dataclasses.replace(inverse, description=message.replace("%1", step.label)))

        def failed(text: str) -> None:
            # The action could not be reversed (e.g. a colleague changed the film meanwhile): the
            # history no longer matches the data, so it is dropped rather than replayed wrongly.
            self._busy = False
            self._undo.clear()
            self._redo.clear()
            self.changed.emit()
            self._runner.failed.emit(None, self.tr("Could not undo “%1”: %2").replace("%1", step.label)
                                     .replace("%2", text), "")

        undo = change.undo
        self._runner.submit(lambda: undo(database), done, failed, title=step.label)
