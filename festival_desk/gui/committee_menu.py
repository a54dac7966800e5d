"""The desk's Committee menu and its dialogs: assigning the selected films with a due date,
spreading films over the committee, meeting mode, and the catalogue-facts filter of the film lists.

`install_committee_menu(window)` adds them to the main window (one call, so that the window's own
module stays as it is). Every change goes through `DeskContext.perform` (one action, undoable).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from festival_desk.core.workflow import Status
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.status_style import status_label

if TYPE_CHECKING:
    from festival_desk.gui.main_window import MainWindow

DEFAULT_DUE_DAYS = 14
# The facts filter's choices: (label, FilmFilter criteria). Ages are "suitable for" (at or below).
# (menu text, short name for the button, FilmFilter criteria). Ages are "suitable for" (at or below).
FACT_FILTERS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("With subtitles for the deaf and hard of hearing (SDH)", "SDH", {"sdh": True}),
    ("With audio description", "audio description", {"audio_description": True}),
    ("Subtitled in English", "English subtitles", {"subtitles": ("eng",)}),
    ("With content advice", "content advice", {"content_advice": True}),
    ("Suitable for children (6)", "age 6", {"suitable_for_age": 6}),
    ("Suitable for 12-year-olds", "age 12", {"suitable_for_age": 12}),
)


def _committee():
    from festival_desk.actions import committee

    return committee


def _members(database) -> list[tuple[int, str]]:
    from festival_desk.actions.programming import committee

    return committee(database)


class _DueDate(QWidget):
    """A due date that may be left out: a check box and a date (a past day is allowed)."""

    def __init__(self, parent: QWidget | None = None, *, checked: bool = True) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self.tr("Due by"), self)
        self.check.setChecked(checked)
        self.date = QDateEdit(self)
        self.date.setObjectName("dueDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate.currentDate().addDays(DEFAULT_DUE_DAYS))
        self.check.toggled.connect(self.date.setEnabled)
        self.date.setEnabled(checked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.date, 1)

    def value(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        day = self.date.date()
        return dt.date(day.year(), day.month(), day.day())


class AssignDialog(QDialog):
    """Give the chosen films to a committee member, by a due date."""

    def __init__(self, context: DeskContext, film_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle(self.tr("Assign films"))
        self._context, self._film_ids = context, film_ids
        self.member = QComboBox(self)
        self.member.setObjectName("assignTo")
        self.due = _DueDate(self)
        self.message = QLabel(self)
        self.message.setObjectName("assignMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Assign"))
        buttons.accepted.connect(self.assign)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("%1 film(s) selected.").replace("%1", str(len(film_ids))), self))
        form.addRow(self.tr("Assign to"), self.member)
        form.addRow(self.tr("Due date"), self.due)
        form.addRow(self.message)
        form.addRow(buttons)
        context.read(_members, self._fill)

    def _fill(self, members: list[tuple[int, str]]) -> None:
        for _, name in members:
            self.member.addItem(name)
        if self._context.programmer_name:
            self.member.setCurrentText(self._context.programmer_name)

    def assign(self) -> None:
        name, due, ids = self.member.currentText(), self.due.value(), list(self._film_ids)
        if not name or not ids:
            return
        self._context.perform(lambda database: _committee().assign_films(database, ids, name, due=due),
                              lambda _change: self.accept(), self.message.setText, title=self.tr("Assigning"))


class SpreadDialog(QDialog):
    """Spread films over the committee so that each gets K viewers; shows the counts after."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spreadDialog")
        self.setWindowTitle(self.tr("Spread films over the committee"))
        self._context = context
        self.viewers = QSpinBox(self)
        self.viewers.setObjectName("viewers")
        self.viewers.setRange(1, 20)
        self.viewers.setValue(3)
        self.due = _DueDate(self)
        self.statuses: dict[str, QCheckBox] = {}
        statuses = QWidget(self)
        row = QHBoxLayout(statuses)
        row.setContentsMargins(0, 0, 0, 0)
        for status in (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED):
            box = QCheckBox(status_label(status.value), statuses)
            self.statuses[status.value] = box
            row.addWidget(box)
        self.result = QLabel(self)
        self.result.setObjectName("spreadResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Spread"))
        self.buttons.accepted.connect(self.spread)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Viewers per film"), self.viewers)
        form.addRow(self.tr("Due date"), self.due)
        form.addRow(self.tr("Only films that are"), statuses)
        form.addRow(QLabel(self.tr("(none ticked: every film; conflicts of interest and known languages are "
                                   "respected, and who has seen a film already counts)"), self))
        form.addRow(self.result)
        form.addRow(self.buttons)

    def spread(self) -> None:
        viewers, due = self.viewers.value(), self.due.value()
        statuses = [status for status, box in self.statuses.items() if box.isChecked()]
        self.result.setText(self.tr("Spreading…"))
        self._context.perform(lambda database: _committee().spread_assignments(database, viewers, due=due,
                                                                              statuses=statuses),
                              self._done, self.result.setText, title=self.tr("Spreading films"))

    def _done(self, change) -> None:
        details = change.details
        lines = [self.tr("%1 new assignments over %2 films.").replace("%1", str(details["added"]))
                 .replace("%2", str(details["films"]))]
        lines += [f"{name}: +{count} ({details['totals'][name]} open)" for name, count in details["per_programmer"].items()]
        if details["short"]:
            lines.append(self.tr("%1 films cannot get enough viewers, e.g. “%2”: %3")
                         .replace("%1", str(len(details["short"]))).replace("%2", details["short"][0]["title"])
                         .replace("%3", details["short"][0]["reason"]))
        self.result.setText("\n".join(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)


class CommitteeMenu:
    """The Committee menu and the facts filter button of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        context = window.context
        self.menu = QMenu(window.tr("&Committee"), window)
        self.menu.setObjectName("committeeMenu")
        self.queue_action = self._add(window.tr("My &Queue"), lambda: window.show_area("queue"))
        self.assign_action = self._add(window.tr("&Assign Selected Films…"), self.assign_selected, "Ctrl+Shift+G")
        self.spread_action = self._add(window.tr("&Spread Films over the Committee…"),
                                       lambda: SpreadDialog(context, window).open())
        self.menu.addSeparator()
        self.meeting_action = self._add(window.tr("&Meeting Mode…"), self.start_meeting, "Ctrl+Shift+M")
        bar = window.menuBar()
        view = next((action for action in bar.actions() if action.menu() is not None
                     and action.menu().title().replace("&", "") == window.tr("View").replace("&", "")), None)
        if view is not None:
            bar.insertMenu(view, self.menu)
        else:
            bar.addMenu(self.menu)

        self.facts_button = QToolButton(window)
        self.facts_button.setObjectName("factsFilter")
        self.facts_button.setText(window.tr("Access: all"))
        self.facts_button.setToolTip(window.tr("Show only films with these catalogue facts"))
        self.facts_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.facts_menu = QMenu(window.tr("Catalogue &Facts"), window)
        self.fact_actions: list[QAction] = []
        for label, short, criteria in FACT_FILTERS:
            action = self.facts_menu.addAction(window.tr(label))
            action.setCheckable(True)
            action.setData(criteria)
            action.setIconText(window.tr(short))
            action.toggled.connect(self.apply_facts_filter)
            self.fact_actions.append(action)
        self.facts_menu.addSeparator()
        self.facts_menu.addAction(window.tr("Show All Films")).triggered.connect(self.clear_facts_filter)
        self.facts_button.setMenu(self.facts_menu)
        toolbar = window.findChild(QToolBar, "mainToolbar")
        if toolbar is not None:  # just before the search box: both narrow what the lists show
            search = next((action for action in toolbar.actions()
                           if toolbar.widgetForAction(action) is getattr(window, "search_box", None)), None)
            if search is not None:
                toolbar.insertWidget(search, self.facts_button)
            else:
                toolbar.addWidget(self.facts_button)

    def _add(self, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        self.window.addAction(action)
        return action

    def assign_selected(self) -> None:
        ids = self.window.selected_film_ids()
        if not ids:
            self.window.statusBar().showMessage(self.window.tr("Select the films to assign first."), 4000)
            return
        AssignDialog(self.window.context, ids, self.window).open()

    def start_meeting(self) -> None:
        from festival_desk.gui.meeting import MeetingStartDialog

        if self.window.context.programmer_name is None:
            self.window.statusBar().showMessage(self.window.tr("Choose who you are (Preferences): a meeting "
                                                               "needs its chair."), 5000)
            return
        film_area = self.window.current_film_area()
        MeetingStartDialog(self.window.context, film_area.list.query if film_area else None, self.window).open()

    def facts_criteria(self) -> dict[str, Any]:
        criteria: dict[str, Any] = {}
        for action in self.fact_actions:
            if action.isChecked():
                for name, value in action.data().items():
                    if name == "suitable_for_age" and name in criteria:
                        value = min(value, criteria[name])
                    criteria[name] = value
        return criteria

    def apply_facts_filter(self) -> None:
        """Show in every film list only the films with the ticked facts (all must hold)."""
        criteria = self.facts_criteria()
        chosen = [action.iconText() for action in self.fact_actions if action.isChecked()]
        self.facts_button.setText(self.window.tr("Access: %1").replace("%1", ", ".join(chosen)) if chosen
                                  else self.window.tr("Access: all"))
        facts = tuple(sorted(criteria.items()))
        for film_area in self.window.film_areas.values():
            film_area.list.set_query(dataclasses.replace(film_area.list.query, facts=facts))

    def clear_facts_filter(self) -> None:
        for action in self.fact_actions:
            action.blockSignals(True)
            action.setChecked(False)
            action.blockSignals(False)
        self.apply_facts_filter()


def install_committee_menu(window: MainWindow) -> CommitteeMenu:
    return CommitteeMenu(window)
