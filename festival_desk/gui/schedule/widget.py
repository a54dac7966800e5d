"""The schedule area: a day selector, the grid, and the conflicts beside it.

Every change goes through `festival_desk.actions.schedule` and yields a `Change`. Standalone
(`ScheduleWidget(database=...)`) the action runs at once and the widget keeps its own undo list;
hosted by the desk (`schedule_widget(context, parent)`) it runs through `context.perform`, so it
lands on the desk's undo history, and the widget refreshes whenever a Change names screenings,
venues or films.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSplitter,
                               QVBoxLayout, QWidget)

from festival_desk.actions import schedule as actions
from festival_desk.actions.changes import Change
from festival_desk.core.errors import UserError
from festival_desk.core.schedule import ERROR, Finding, Schedule, ScheduleChecker
from festival_desk.core.text import filing
from festival_desk.core.workflow import PROGRAMMED_STATUSES
from festival_desk.gui.schedule.grid import ScheduleGridView, film_mime_data
from festival_desk.store.db import Database

Action = Callable[[Database], Change]


class ConflictList(QListWidget):
    """The findings as wrapped sentences; each item's data is the screening ids it names."""

    def set_findings(self, findings: list[Finding]) -> None:
        self.clear()
        for finding in findings:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, list(finding.screening_ids))
            item.setToolTip(finding.rule)
            # A plain item never wraps here; a word-wrapping label shows the whole sentence.
            label = QLabel(("⛔ " if finding.severity == ERROR else "⚠ ") + finding.message)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setContentsMargins(4, 3, 4, 3)
            self.addItem(item)
            self.setItemWidget(item, label)
        self._fit_heights()

    def message(self, row: int) -> str:
        return self.itemWidget(self.item(row)).text()

    def _fit_heights(self) -> None:
        width = max(self.viewport().width() - 4, 120)
        for row in range(self.count()):
            item = self.item(row)
            label = self.itemWidget(item)
            item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_heights()


class ProgrammeFilmList(QListWidget):
    """The programmed films, each with how often it is scheduled: drag one (or several) onto the
    grid to create a screening, or onto a shorts programme to add it there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("programmeFilms")
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        self.setToolTip(self.tr("Drag films onto the grid to schedule them"))

    def set_schedule(self, schedule: Schedule) -> None:
        screenings_of: dict[int, int] = {}
        for screening in schedule.screenings:
            for film_id in screening.film_ids:
                screenings_of[film_id] = screenings_of.get(film_id, 0) + 1
        wanted = schedule.festival.min_screenings
        self.clear()
        programmed = [f for f in schedule.films.values() if f.status in PROGRAMMED_STATUSES]
        for film in sorted(programmed, key=lambda f: filing(f.title)[1]):
            count = screenings_of.get(film.id, 0)
            item = QListWidgetItem(self.tr("%1 · %2′ · %3×").replace("%1", film.title)
                                   .replace("%2", str(film.runtime_minutes)).replace("%3", str(count)))
            item.setData(Qt.ItemDataRole.UserRole, film.id)
            if count < wanted:  # still needs slots: say so in words, not colour alone
                item.setText(item.text() + self.tr(" — needs %1 more").replace("%1", str(wanted - count)))
            self.addItem(item)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 (Qt's name)
        return film_mime_data([item.data(Qt.ItemDataRole.UserRole) for item in items])


class ScheduleWidget(QWidget):
    """Signals: `changed(Change)` after each action done here (standalone mode), `error(str)` with
    the message of a refused action (also shown under the grid)."""

    changed = Signal(object)
    error = Signal(str)

    def __init__(self, database: Database | None = None, parent: QWidget | None = None, *,
                 perform: Callable[[Action, Callable[[Change], None], Callable[[str], None]], None] | None = None,
                 database_getter: Callable[[], Database | None] | None = None):
        super().__init__(parent)
        self._database = database
        self._database_getter = database_getter or (lambda: self._database)
        self._perform = perform
        self.history: list[Change] = []  # standalone undo list (the desk keeps its own)
        self.schedule: Schedule | None = None
        self.checker: ScheduleChecker | None = None

        self.day_selector = QComboBox()
        self.day_selector.currentIndexChanged.connect(self._draw_grid)
        self.grid = ScheduleGridView()
        self.films = ProgrammeFilmList()
        self.conflicts = ConflictList()
        self.conflicts.itemClicked.connect(self._jump_to_conflict)
        self.conflict_title = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Day:")))
        top.addWidget(self.day_selector, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(self.message)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.conflict_title)
        right_layout.addWidget(self.conflicts, 1)
        films = QWidget()
        films_layout = QVBoxLayout(films)
        films_layout.setContentsMargins(0, 0, 0, 0)
        films_layout.addWidget(QLabel(self.tr("Programmed films")))
        films_layout.addWidget(self.films, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(films)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([220, 900, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # Moves are saved against the screening as this grid shows it: a colleague's change in between
        # is refused with their name instead of being overwritten.
        self.grid.move_requested.connect(
            lambda sid, screen_id, start: self.run(lambda db, seen=self._version_of(sid): actions.move_screening(
                db, sid, start=_wall(start), screen_id=screen_id, expected_version=seen)))
        self.grid.resize_requested.connect(
            lambda sid, end: self.run(lambda db, seen=self._version_of(sid): actions.resize_screening(
                db, sid, _wall(end), expected_version=seen)))
        self.grid.films_dropped.connect(
            lambda films, screen_id, start: self.run(lambda db: actions.add_screening(db, screen_id, _wall(start), films)))
        self.grid.films_dropped_on.connect(self._add_to_programme)
        if self._database_getter() is not None:
            self.reload()

    # -- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the whole schedule again and redraw the selected day."""
        database = self._database_getter()
        if database is None:
            return
        self.schedule = actions.read_schedule(database)
        self.checker = ScheduleChecker(self.schedule)
        self._fill_days()
        self._draw()

    def _version_of(self, screening_id: int) -> int | None:
        """The version of the screening as shown (None when unknown: saved without the check)."""
        screenings = self.schedule.screenings if getattr(self, "schedule", None) is not None else ()
        return next((s.version or None for s in screenings if s.id == screening_id), None)

    def refresh_for(self, change: Change) -> None:
        """Refresh after a Change: only a change to screenings, venues or films concerns the grid."""
        if change.screenings or change.venues or change.films or change.settings:
            self.reload()

    def findings(self) -> list[Finding]:
        return self.checker.findings() if self.checker else []

    def run(self, action: Action) -> None:
        """Perform one action; show a refused one's message."""
        self.message.clear()
        database = self._database_getter()
        if database is None:
            return
        if self._perform is not None:
            self._perform(action, lambda change: None, self._show_error)
            return
        try:
            change = action(database)
        except UserError as refused:
            self._show_error(str(refused))
            return
        self.history.append(change)
        self.refresh_for(change)
        self.changed.emit(change)

    def undo(self) -> None:
        """Standalone mode: undo the last change done here (its inverse becomes redo-able by undo)."""
        if not self.history:
            return
        change = self.history.pop()
        inverse = change.undo(self._database_getter())
        self.refresh_for(inverse)
        self.changed.emit(inverse)

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.error.emit(text)
        self.reload()  # put the dragged block back where the data says it is

    def _add_to_programme(self, film_ids: list[int], screening_id: int) -> None:
        self.run(lambda db: actions.add_films_to_screening(db, screening_id, film_ids))

    # -- days and drawing ------------------------------------------------------------------------

    def _fill_days(self) -> None:
        festival = self.schedule.festival
        days = set(festival.days) | {festival.festival_day(s.start) for s in self.schedule.screenings}
        if not days:
            days = {dt.date.today()}
        current = self.day_selector.currentData()
        self.day_selector.blockSignals(True)
        self.day_selector.clear()
        for day in sorted(days):
            outside = festival.days and day not in festival.days
            self.day_selector.addItem(f"{day:%a %d %b %Y}" + (self.tr(" (outside the festival)") if outside else ""),
                                      day)
        index = self._day_index(current)
        self.day_selector.setCurrentIndex(index if index >= 0 else 0)
        self.day_selector.blockSignals(False)

    def _day_index(self, day: dt.date | None) -> int:
        # findData does not match a date stored as item data; compare the values ourselves.
        return next((i for i in range(self.day_selector.count()) if self.day_selector.itemData(i) == day), -1)

    def select_day(self, day: dt.date) -> None:
        index = self._day_index(day)
        if index >= 0:
            self.day_selector.setCurrentIndex(index)

    def _draw_grid(self) -> None:
        if self.schedule is None or self.day_selector.currentData() is None:
            return
        self.grid.show_day(self.schedule, self.day_selector.currentData(), self.findings())

    def _draw(self) -> None:
        """The grid and the conflict list (which covers every day, so a day change keeps it)."""
        self._draw_grid()
        findings = self.findings()
        errors = sum(1 for f in findings if f.severity == ERROR)
        self.conflict_title.setText(self.tr("Conflicts — errors: %1, warnings: %2")
                                    .replace("%1", str(errors)).replace("%2", str(len(findings) - errors)))
        self.conflicts.set_findings(findings)
        self.films.set_schedule(self.schedule)

    def _jump_to_conflict(self, item: QListWidgetItem) -> None:
        screening_ids = item.data(Qt.ItemDataRole.UserRole) or []
        if screening_ids:
            self.show_screening(screening_ids[0])

    def show_screening(self, screening_id: int) -> None:
        """Switch to the screening's day, scroll to it and select it."""
        screening = next((s for s in self.schedule.screenings if s.id == screening_id), None) if self.schedule else None
        if screening is None:
            return
        self.select_day(self.schedule.festival.festival_day(screening.start))
        self.grid.focus_screening(screening_id)


def _wall(moment: dt.datetime) -> dt.datetime:
    """The grid's aware local time as the naive wall-clock time the actions take."""
    return moment.replace(tzinfo=None)


def schedule_widget(context, parent: QWidget | None = None) -> ScheduleWidget:
    """The desk's Schedule area: actions through `context.perform` (undo history, background)."""
    def perform(action: Action, on_done: Callable[[Change], None], on_error: Callable[[str], None]) -> None:
        context.perform(action, on_done, on_error)

    widget = ScheduleWidget(parent=parent, perform=perform, database_getter=lambda: context.database)
    context.changed.connect(widget.refresh_for)
    context.database_changed.connect(widget.reload)
    widget.reload()  # the desk builds this area when first shown, usually with a database already open
    return widget
