"""The desk's undo and redo: a mirror of `Change.undo`, never a widget trick.

Each undoable action's `Change` is pushed here. Undo runs `change.undo(database)` (one new action,
on the worker) and keeps the inverse `Change` it returns for Redo, whose own undo is the redo. The
menu names the action: "Undo Move 3 films to Shortlisted".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from festival_desk.actions.changes import Change
from festival_desk.gui.tasks import TaskRunner

if TYPE_CHECKING:  # the database stack loads on the worker, after the window shows
    from festival_desk.store.db import Database

LIMIT = 200


class UndoHistory(QObject):
    """Signals: `changed()` when what Undo/Redo would do changes; `applied(Change)` with the
    Change of every undo or redo once it is done (views refresh from it)."""

    changed = Signal()
    applied = Signal(object)

    def __init__(self, runner: TaskRunner, database: Callable[[], Database | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._database = database
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._busy = False

    def push(self, change: Change) -> None:
        """Record a newly done action (one that cannot be undone clears nothing and is skipped)."""
        if not change.can_undo:
            return
        self._undo.append(change)
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

    def undo_text(self) -> str:
        return self.tr("Undo %1").replace("%1", self._undo[-1].description) if self._undo else self.tr("Undo")

    def redo_text(self) -> str:
        return self.tr("Redo %1").replace("%1", self._redo[-1].description) if self._redo else self.tr("Redo")

    def undo(self) -> None:
        if self.can_undo:
            self._run(self._undo.pop(), self._redo)

    def redo(self) -> None:
        if self.can_redo:
            self._run(self._redo.pop(), self._undo)

    def _run(self, change: Change, inverse_stack: list[Change]) -> None:
        database = self._database()
        if database is None or change.undo is None:
            return
        self._busy = True
        self.changed.emit()

        def done(inverse: Change) -> None:
            self._busy = False
            if inverse.can_undo:
                inverse_stack.append(inverse)
            self.changed.emit()
            self.applied.emit(inverse)

        def failed(message: str) -> None:
            # The action could not be reversed (e.g. a colleague changed the film meanwhile): the
            # history no longer matches the data, so it is dropped rather than replayed wrongly.
            self._busy = False
            self._undo.clear()
            self._redo.clear()
            self.changed.emit()
            self._runner.failed.emit(None, self.tr("Could not undo: %1").replace("%1", message), "")

        undo = change.undo
        self._runner.submit(lambda: undo(database), done, failed, title=change.description)
