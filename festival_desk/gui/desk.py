"""The desk context every page shares: the open database, who is working, the task runner, the
undo history, and the one way a page performs an action.

Pages (including the area widgets other parts of the project add) take a `DeskContext` and:
- read with `context.read(function, on_done)`: `function(database)` runs off the GUI thread and
  returns plain values;
- change data with `context.perform(function, on_done)`: `function(database)` is an action that
  returns a `Change`; it is pushed on the undo history and broadcast through `changed`, and every
  view refreshes what that Change names;
- run long work with `context.run_job(function, title, on_done)`: `function(database, progress)`,
  with progress in the status bar and a working Cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from festival_desk.actions.changes import Change
from festival_desk.gui.tasks import Task, TaskRunner
from festival_desk.gui.undo import UndoHistory

if TYPE_CHECKING:  # the database stack loads on the worker, after the window shows
    from festival_desk.store.db import Database


class DeskContext(QObject):
    """Signals: `changed(Change)` after every action, undo and redo; `database_changed()` when
    another database is opened; `programmer_changed()` when someone else takes the desk;
    `programmer_unknown(name, nearest)` when a name is not on the committee (the window asks
    whether to add it)."""

    changed = Signal(object)
    database_changed = Signal()
    programmer_changed = Signal()
    programmer_unknown = Signal(str, list)  # a name not on the committee, and the nearest members

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.undo = UndoHistory(self.runner, lambda: self.database, self)
        self.undo.applied.connect(self.changed.emit)
        self.database: Database | None = None
        self.programmer_id: int | None = None
        self.programmer_name: str | None = None
        # The committee's names while the database does not hold them yet (the demo being written).
        self.committee_hint: list[str] = []

    def set_database(self, database: Database | None) -> None:
        """Switch to `database` (the previous one is closed by its owner)."""
        self.database = database
        self.undo.clear()
        self.database_changed.emit()

    def set_programmer(self, programmer_id: int | None, name: str | None) -> None:
        self.programmer_id = programmer_id
        self.programmer_name = name
        self.programmer_changed.emit()

    def take_programmer(self, name: str) -> None:
        """Make the committee member `name` the programmer at the desk (looked up on the worker,
        case and accents aside, then set as `set_programmer` does). A name that is not on the
        committee is never added silently: `programmer_unknown(name, nearest members)` asks."""
        from festival_desk.actions.programming import find_member

        self.read(lambda database: find_member(database, name), lambda found: self._took(name, found))

    def _took(self, name: str, found: tuple[int | None, str, list[str]]) -> None:
        programmer_id, stored_name, nearest = found
        if programmer_id is None:
            self.programmer_unknown.emit(name, nearest)
        else:
            self.set_programmer(programmer_id, stored_name)

    def read(self, function: Callable[[Database], Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None] | None = None) -> Task | None:
        database = self.database
        if database is None:
            return None
        return self.runner.submit(lambda: function(database), on_done, on_error)

    def perform(self, function: Callable[[Database], Change],
                on_done: Callable[[Change], None] | None = None,
                on_error: Callable[[str], None] | None = None, *, title: str = "") -> Task | None:
        database = self.database
        if database is None:
            return None

        def done(change: Change) -> None:
            self.undo.push(change)
            self.changed.emit(change)
            if on_done is not None:
                on_done(change)

        return self.runner.submit(lambda: function(database), done, on_error, title=title)

    def run_job(self, function: Callable[[Database, Callable[[int, int, str], None]], Any], title: str,
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[str], None] | None = None) -> Task | None:
        database = self.database
        if database is None:
            return None

        def done(result: Any) -> None:
            if isinstance(result, Change):
                self.undo.push(result)
                self.changed.emit(result)
            if on_done is not None:
                on_done(result)

        return self.runner.run_job(lambda progress: function(database, progress), title, done, on_error)

