"""The "My queue" area: what the programmer at the desk must watch, by due date (overdue in red),
with the film's page beside it (screener, watched, rating, notes); and the committee's progress,
per programmer and per film (viewers so far of K), with the spread of films over the committee.

Reads are plain snapshots from `actions.committee` on the worker; the lists refresh after every
action (a Change naming films or programmers), a change of programmer, or another database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from festival_desk.gui.desk import DeskContext
from festival_desk.gui.film_page import FilmPage
from festival_desk.gui.status_style import status_label

if TYPE_CHECKING:
    from festival_desk.actions.committee import AssignmentRow, Progress

OVERDUE = QColor("#c0392b")
DONE = QColor("#6b7280")


def _committee():
    from festival_desk.actions import committee

    return committee


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(False)
    return table


class QueueArea(QSplitter):
    """Signals: `loaded()` after the queue or the progress was refilled (tests wait for it)."""

    loaded = Signal()
    film_chosen = Signal(int)  # the film the queue's page shows (the window's Rate acts on it)
    rate_requested = Signal(int)  # 1–5 pressed in the queue (0 or Backspace: clear), as in the film lists
    _shown_film_id: int | None = None

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("area-queue")
        self.setChildrenCollapsible(False)
        self._context = context
        self._rows: list[AssignmentRow] = []
        self._stale = False

        self.tabs = QTabWidget(self)
        queue = QWidget(self.tabs)
        self.summary = QLabel(queue)
        self.summary.setObjectName("queueSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.show_done = QCheckBox(self.tr("Show watched films"), queue)
        self.show_done.toggled.connect(self.refresh)
        self.table = _table(queue, [self.tr("Due"), self.tr("Film"), self.tr("Runtime"), self.tr("Status"),
                                    self.tr("Watched"), self.tr("Rated")], "queueTable")
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(self._row_chosen)
        self.table.installEventFilter(self)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.show_done)
        layout = QVBoxLayout(queue)
        layout.addLayout(header)
        layout.addWidget(self.table)
        self.tabs.addTab(queue, self.tr("My queue"))

        progress = QWidget(self.tabs)
        self.target_label = QLabel(progress)
        self.target_label.setTextFormat(Qt.TextFormat.PlainText)
        self.spread_button = QPushButton(self.tr("Spread films over the committee…"), progress)
        self.spread_button.setObjectName("spreadFilms")
        self.spread_button.clicked.connect(self.open_spread)
        self.people = _table(progress, [self.tr("Programmer"), self.tr("Assigned"), self.tr("Done"),
                                        self.tr("Overdue"), self.tr("Progress")], "programmerProgress")
        self.people.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.films = _table(progress, [self.tr("Film"), self.tr("Viewers so far"), self.tr("Assigned")],
                            "filmProgress")
        self.films.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.films.currentCellChanged.connect(self._film_chosen)
        top = QHBoxLayout()
        top.addWidget(self.target_label, 1)
        top.addWidget(self.spread_button)
        layout = QVBoxLayout(progress)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Per programmer"), progress))
        layout.addWidget(self.people, 2)
        layout.addWidget(QLabel(self.tr("Per film (furthest from the viewers it needs first)"), progress))
        layout.addWidget(self.films, 3)
        self.tabs.addTab(progress, self.tr("Committee progress"))

        self.page = FilmPage(context, self)
        self.addWidget(self.tabs)
        self.addWidget(self.page)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)
        self.setSizes([560, 560])
        # Here the page is mostly for watching: its tabs (screener, watched) get the larger part.
        self.page.splitter.setSizes([430, 270])
        context.changed.connect(self._changed)
        context.programmer_changed.connect(self._changed_all)
        context.database_changed.connect(self._changed_all)
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        name = self._context.programmer_name
        open_only = not self.show_done.isChecked()
        if name is None:
            self._fill_queue([])
            self.summary.setText(self.tr("Choose who you are (Edit ▸ Preferences) to see your queue."))
        else:
            self._context.read(lambda database: _committee().assignments(database, name, open_only=open_only),
                               self._fill_queue, self.summary.setText)
        self._context.read(lambda database: _committee().progress(database), self._fill_progress,
                           self.target_label.setText)

    def _changed(self, change) -> None:
        if change.films or change.programmers or change.films_added or change.films_removed or change.settings:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True  # read again when the area is shown

    def _changed_all(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def _fill_queue(self, rows: list[AssignmentRow]) -> None:
        current = self.page.film_id
        self._rows = rows
        self.table.blockSignals(True)  # refilling is not choosing: the page keeps its film
        self.table.setRowCount(len(rows))
        today = dt.date.today()
        bold = QFont()
        bold.setBold(True)
        for number, row in enumerate(rows):
            due = row.due.strftime("%d %b %Y") if row.due else self.tr("no due date")
            if row.overdue:
                days = (today - row.due).days
                due += " · " + (self.tr("1 day late") if days == 1 else
                                self.tr("%1 days late").replace("%1", str(days)))
            watched = (self.tr("stopped at %1 min").replace("%1", str(row.minutes)) if row.minutes else
                       self.tr("yes")) if row.watched else ""
            cells = [due, row.title, f"{row.runtime_minutes} min" if row.runtime_minutes else "",
                     status_label(row.status), watched, self.tr("yes") if row.rated else ""]
            for column, text in enumerate(cells):
                item = _item(text, row.film_id)
                if row.overdue:
                    item.setForeground(QBrush(OVERDUE))
                    item.setFont(bold)
                elif row.done:
                    item.setForeground(QBrush(DONE))
                self.table.setItem(number, column, item)
        overdue = sum(row.overdue for row in rows)
        waiting = sum(not row.done for row in rows)
        if self._context.programmer_name is not None:
            text = self.tr("%1 to watch").replace("%1", str(waiting))
            if overdue:
                text += self.tr(", %1 overdue").replace("%1", str(overdue))
            self.summary.setText(text if rows else self.tr("Nothing assigned to you."))
        if current is None or not self.select_film(current):
            self.table.setCurrentCell(-1, -1)
            self.table.clearSelection()
        self.table.blockSignals(False)
        self.loaded.emit()

    def _fill_progress(self, report: Progress) -> None:
        self.target_label.setText(self.tr("Each film needs %1 viewers.").replace("%1", str(report.target)))
        self.people.setRowCount(len(report.programmers))
        for number, person in enumerate(report.programmers):
            share = f"{person.done / person.assigned:.0%}" if person.assigned else "—"
            cells = [person.name, str(person.assigned), str(person.done), str(person.overdue), share]
            for column, text in enumerate(cells):
                item = _item(text)
                if person.overdue and column == 3:
                    item.setForeground(QBrush(OVERDUE))
                self.people.setItem(number, column, item)
        self.films.setRowCount(len(report.films))
        for number, film in enumerate(report.films):
            cells = [film.title, f"{film.viewers} / {film.target}", str(film.assigned)]
            for column, text in enumerate(cells):
                item = _item(text, film.film_id)
                if film.viewers < film.target and column == 1:
                    item.setForeground(QBrush(OVERDUE))
                self.films.setItem(number, column, item)
        self.loaded.emit()

    # --- choosing ------------------------------------------------------------------------------

    def current_film_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The number keys rate the film shown, as they do in the film lists."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            key = event.key()
            if Qt.Key.Key_0 <= key <= Qt.Key.Key_5 or key == Qt.Key.Key_Backspace:
                self.rate_requested.emit(0 if key == Qt.Key.Key_Backspace else key - Qt.Key.Key_0)
                return True
        return super().eventFilter(watched, event)

    def shown_film_id(self) -> int | None:
        """The film whose page is shown beside the lists (what Rate and Move to act on)."""
        return self._shown_film_id

    def select_film(self, film_id: int) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == film_id:
                self.table.setCurrentCell(row, 1)
                return True
        return False

    def _row_chosen(self, row: int, *_args) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.page.film_id:
            self.page.show_film(item.data(Qt.ItemDataRole.UserRole))
        if item is not None:
            self._shown_film_id = item.data(Qt.ItemDataRole.UserRole)
            self.film_chosen.emit(self._shown_film_id)

    def _film_chosen(self, row: int, *_args) -> None:
        item = self.films.item(row, 0) if row >= 0 else None
        if item is not None:
            self.page.show_film(item.data(Qt.ItemDataRole.UserRole))
            self._shown_film_id = item.data(Qt.ItemDataRole.UserRole)
            self.film_chosen.emit(self._shown_film_id)

    def open_spread(self) -> None:
        from festival_desk.gui.committee_menu import SpreadDialog

        SpreadDialog(self._context, self).open()


def queue_widget(context: DeskContext, parent: QWidget | None = None) -> QWidget:
    return QueueArea(context, parent)
