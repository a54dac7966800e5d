"""The schedule area: a day selector, the grid, the selected screening's details, and the
conflicts beside it.

Every change goes through `festival_desk.actions.schedule` and yields a `Change`. Standalone
(`ScheduleWidget(database=...)`) the action runs at once and the widget keeps its own undo list;
hosted by the desk (`schedule_widget(context, parent)`) it runs through `context.perform`, so it
lands on the desk's undo history, and the widget refreshes whenever a Change names screenings,
venues or films. Each action on a screening passes the screening as the grid shows it
(`expected`), so that one a colleague deleted or changed meanwhile is refused with a message
instead of being changed on a wrong premise.

A screening opens in the editor on double-click or Enter; Delete deletes it; its context menu
edits, deletes, duplicates it to another day, names its programme or opens one of its films.
Dropping films on a screening offers to add them to its programme. `print_area` (Ctrl+P in the
desk) writes the shown day's sheets for the venues and hands them to the PDF viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QMenu, QMessageBox, QSplitter, QVBoxLayout, QWidget)

from festival_desk.actions import schedule as actions
from festival_desk.actions.changes import Change
from festival_desk.core.errors import UserError
from festival_desk.core.schedule import ERROR, Finding, Schedule, ScheduleChecker, Screening
from festival_desk.core.text import filing
from festival_desk.core.workflow import PROGRAMMED_STATUSES
from festival_desk.gui.file_opening import show_file
from festival_desk.gui.schedule.editor import ScreeningEditor
from festival_desk.gui.schedule.grid import ScheduleGridView, film_mime_data
from festival_desk.store.db import Database

Action = Callable[[Database], Change]
Job = Callable[[Callable[[Database], Any], Callable[[Any], None], Callable[[str], None]], None]


def severity_word(finding: Finding) -> str:
    return "Conflict: " if finding.severity == ERROR else "Warning: "


class ConflictList(QListWidget):
    """The findings as wrapped sentences; each item's data is the screening ids it names."""

    def set_findings(self, findings: list[Finding]) -> None:
        self.clear()
        for finding in findings:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, list(finding.screening_ids))
            item.setToolTip(finding.rule)
            # A plain item never wraps here; a word-wrapping label shows the whole sentence.
            label = QLabel(severity_word(finding) + finding.message)
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
    the message of a refused action (also shown under the grid), `open_film_requested(film_id)`
    from a screening's context menu."""

    changed = Signal(object)
    error = Signal(str)
    open_film_requested = Signal(int)
    HINT = QT_TRANSLATE_NOOP("ScheduleWidget", "Click a screening to see its films and tally; double-click or "
                                               "press Enter to edit it, right-click for more.")

    def __init__(self, database: Database | None = None, parent: QWidget | None = None, *,
                 perform: Callable[[Action, Callable[[Change], None], Callable[[str], None]], None] | None = None,
                 database_getter: Callable[[], Database | None] | None = None, job: Job | None = None):
        super().__init__(parent)
        self._database = database
        self._database_getter = database_getter or (lambda: self._database)
        self._perform = perform
        self._job = job
        # The dialog or menu open at the moment (non-blocking), for the host and tests to reach.
        self.editor: ScreeningEditor | None = None
        self.question: QMessageBox | None = None
        self.menu: QMenu | None = None
        self.name_dialog: QInputDialog | None = None
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
        self.message.setObjectName("scheduleMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(self.tr(self.HINT))
        self.details.setObjectName("screeningDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Day:")))
        top.addWidget(self.day_selector, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(self.details)
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

        self.grid.move_requested.connect(self._move)
        self.grid.resize_requested.connect(self._resize)
        self.grid.films_dropped.connect(
            lambda films, screen_id, start: self.run(lambda db: actions.add_screening(db, screen_id, _wall(start), films)))
        self.grid.films_dropped_on.connect(self.offer_to_add)
        self.grid.screening_clicked.connect(self._show_details)
        self.grid.screening_activated.connect(self.edit_screening)
        self.grid.delete_requested.connect(self.delete_screening)
        self.grid.menu_requested.connect(self.show_menu)
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

    def refresh_for(self, change: Change) -> None:
        """Refresh after a Change: only a change to screenings, venues or films concerns the grid."""
        if change.screenings or change.venues or change.films or change.settings:
            self.reload()

    def findings(self) -> list[Finding]:
        return self.checker.findings() if self.checker else []

    def run(self, action: Action) -> None:
        """Perform one action; show a refused one's message."""
        self._say("")
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
        self._say(text, error=True)
        self.error.emit(text)
        self.reload()  # put the dragged block back where the data says it is

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c62828" if error else "")
        self.message.setText(text)

    # -- actions on one screening ----------------------------------------------------------------

    def screening(self, screening_id: int) -> Screening | None:
        """The screening as this area shows it (what its actions pass as `expected`)."""
        if self.schedule is None:
            return None
        return next((s for s in self.schedule.screenings if s.id == screening_id), None)

    def describe(self, screening: Screening) -> str:
        """"The Red Soul, Thu 15 Apr 14:00, Mala dvorana"."""
        zone = self.schedule.festival.zone
        screen = self.schedule.screens.get(screening.screen_id)
        where = screen.name if screen else ""
        return f"{self.schedule.title_of(screening)}, {screening.start.astimezone(zone):%a %d %b %H:%M}, {where}"

    def _move(self, screening_id: int, screen_id: int, start: dt.datetime) -> None:
        seen = self.screening(screening_id)
        self.run(lambda db: actions.move_screening(db, screening_id, start=_wall(start), screen_id=screen_id,
                                                   expected=seen))

    def _resize(self, screening_id: int, end: dt.datetime) -> None:
        seen = self.screening(screening_id)
        self.run(lambda db: actions.resize_screening(db, screening_id, _wall(end), expected=seen))

    def edit_screening(self, screening_id: int) -> None:
        """Open the editor on a screening; saving it is one action, undoable."""
        seen = self.screening(screening_id)
        if seen is None:
            return
        editor = ScreeningEditor(self.schedule, seen, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        initial = editor.edits()
        self.editor = editor

        def finished(result: int) -> None:
            self.editor = None
            if result != ScreeningEditor.DialogCode.Accepted:
                return
            if editor.delete_requested:
                self.delete_screening(screening_id)
                return
            edits = editor.edits()
            changed = {key: value for key, value in edits.items() if value != initial[key]}
            if changed:
                self.run(lambda db: actions.edit_screening(db, screening_id, expected=seen, **changed))

        editor.finished.connect(finished)
        editor.open()

    def delete_screening(self, screening_id: int) -> None:
        seen = self.screening(screening_id)
        if seen is not None:
            self.run(lambda db: actions.delete_screening(db, screening_id, expected=seen))

    def duplicate_screening(self, screening_id: int, day: dt.date) -> None:
        seen = self.screening(screening_id)
        if seen is not None:
            self.run(lambda db: actions.duplicate_screening(db, screening_id, day, expected=seen))

    def name_programme(self, screening_id: int) -> None:
        """Ask for the programme's name (the booklet prints it) and set it on its screenings."""
        seen = self.screening(screening_id)
        if seen is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("programmeName")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Name the programme"))
        dialog.setLabelText(self.tr("Name of the programme %1 (the booklet prints it):").replace(
            "%1", self.describe(seen)))
        dialog.setTextValue(seen.title or "")
        self.name_dialog = dialog

        def chosen(name: str) -> None:
            if " ".join(name.split()) != (seen.title or ""):
                self.run(lambda db: actions.name_programme(db, screening_id, name, expected=seen))

        dialog.textValueSelected.connect(chosen)
        dialog.finished.connect(lambda _result: setattr(self, "name_dialog", None))
        dialog.open()

    def show_menu(self, screening_id: int, position: QPoint) -> None:
        """The context menu of a screening: Edit…, Delete, Duplicate to another day, Name
        programme…, Open film."""
        seen = self.screening(screening_id)
        if seen is None:
            return
        menu = QMenu(self)
        menu.setObjectName("screeningMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Edit…"), lambda: self.edit_screening(screening_id))
        menu.addAction(self.tr("Delete"), lambda: self.delete_screening(screening_id))
        festival = self.schedule.festival
        own_day = festival.festival_day(seen.start)
        days = [d for d in (festival.days or self._listed_days()) if d != own_day]
        duplicate = menu.addMenu(self.tr("Duplicate to another day"))
        duplicate.setEnabled(bool(days))
        for day in days:
            duplicate.addAction(f"{day:%a %d %b}", lambda day=day: self.duplicate_screening(screening_id, day))
        menu.addAction(self.tr("Name programme…"), lambda: self.name_programme(screening_id))
        films = [(f, self.schedule.films[f].title if f in self.schedule.films else f"film #{f}")
                 for f in seen.film_ids]
        if len(films) == 1:
            menu.addAction(self.tr("Open film “%1”").replace("%1", films[0][1]),
                           lambda: self.open_film_requested.emit(films[0][0]))
        else:
            open_film = menu.addMenu(self.tr("Open film"))
            for film_id, title in films:
                open_film.addAction(title, lambda film_id=film_id: self.open_film_requested.emit(film_id))
        self.menu = menu
        menu.aboutToHide.connect(lambda: setattr(self, "menu", None))
        menu.popup(position)

    def _listed_days(self) -> list[dt.date]:
        return [self.day_selector.itemData(i) for i in range(self.day_selector.count())]

    def offer_to_add(self, film_ids: list[int], screening_id: int) -> None:
        """Films dropped on a screening: ask before adding them to its programme."""
        seen = self.screening(screening_id)
        if seen is None:
            return
        titles = [self.schedule.films[f].title if f in self.schedule.films else f"film #{f}" for f in film_ids]
        already = [t for f, t in zip(film_ids, titles, strict=True) if f in seen.film_ids]
        if already:
            self._say(self.tr("%1 is already in %2.").replace("%1", ", ".join(already)).replace(
                "%2", self.describe(seen)), error=True)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Add to the programme?"),
                          self.tr("Add %1 to %2?").replace("%1", " + ".join(titles)).replace("%2", self.describe(seen)),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("addToProgramme")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        add = box.addButton(self.tr("Add to this programme"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(add)
        runtime = sum(self.schedule.films[f].runtime_minutes for f in film_ids if f in self.schedule.films)
        box.setInformativeText(self.tr("The programme then runs %1′ of films (now %2′).")
                               .replace("%1", str(self.schedule.tally_of(seen).film_minutes + runtime))
                               .replace("%2", str(self.schedule.tally_of(seen).film_minutes)))
        self.question = box

        def answered(_result: int) -> None:
            self.question = None
            if box.clickedButton() is add:
                self.run(lambda db: actions.add_films_to_screening(db, screening_id, film_ids, expected=seen))

        box.finished.connect(answered)
        box.open()

    def _show_details(self, screening_id: int) -> None:
        """The selected screening in full under the grid: what, when, its films and tally, its conflicts."""
        seen = self.screening(screening_id)
        if seen is None:
            return
        schedule = self.schedule
        zone = schedule.festival.zone
        screen = schedule.screens.get(seen.screen_id)
        lines = [f"{schedule.title_of(seen)} — {seen.start.astimezone(zone):%a %d %b %H:%M}–"
                 f"{schedule.show_end_of(seen).astimezone(zone):%H:%M}, {screen.label if screen else ''}"]
        if len(seen.items) > 1 or seen.title:
            lines.append(" · ".join(f"{schedule.films[i.film_id].title if i.film_id in schedule.films else i.film_id}"
                                    f" {i.runtime_minutes}′" for i in seen.items))
        lines.append(schedule.tally_of(seen).sentence())
        lines += [severity_word(f) + f.message for f in self.findings() if screening_id in f.screening_ids]
        self.details.setText("\n".join(lines))

    # -- printing the day sheets -------------------------------------------------------------------

    def print_area(self) -> None:
        """Ctrl+P here: write the shown day's sheets for the venue managers and open them."""
        day = self.day_selector.currentData()
        if day is None or self._database_getter() is None:
            return
        suggested = Path.home() / f"day-sheets-{day.isoformat()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the day sheets of %1").replace(
            "%1", f"{day:%a %d %b %Y}"), str(suggested), self.tr("PDF files (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"

        def written(result: dict) -> None:
            shown = show_file(result["path"])
            self._say(self.tr("Day sheets of %1 written (%2 screenings). %3").replace("%1", f"{day:%a %d %b}")
                      .replace("%2", str(result["screenings"])).replace("%3", shown.message))

        self._say(self.tr("Writing the day sheets…"))
        self.background(lambda db: actions.export_day_sheets(db, path, day), written)

    def background(self, function: Callable[[Database], Any], on_done: Callable[[Any], None]) -> None:
        """Run `function(database)` off the GUI thread in the desk (at once, standalone)."""
        if self._job is not None:
            self._job(function, on_done, lambda message: self._say(message, error=True))
            return
        try:
            result = function(self._database_getter())
        except UserError as refused:
            self._say(str(refused), error=True)
            return
        on_done(result)

    # -- days and drawing ------------------------------------------------------------------------

    def _fill_days(self) -> None:
        """The festival days (and any other day with screenings), each with its count of
        screenings and of conflicts."""
        festival = self.schedule.festival
        screenings: dict[dt.date, int] = {}
        day_of: dict[int, dt.date] = {}
        for screening in self.schedule.screenings:
            day_of[screening.id] = festival.festival_day(screening.start)
            screenings[day_of[screening.id]] = screenings.get(day_of[screening.id], 0) + 1
        conflicts: dict[dt.date, int] = {}
        for finding in self.findings():
            if finding.severity == ERROR:
                for day in {day_of[s] for s in finding.screening_ids if s in day_of}:
                    conflicts[day] = conflicts.get(day, 0) + 1
        days = set(festival.days) | set(screenings)
        if not days:
            days = {dt.date.today()}
        current = self.day_selector.currentData()
        self.day_selector.blockSignals(True)
        self.day_selector.clear()
        for day in sorted(days):
            count, clashes = screenings.get(day, 0), conflicts.get(day, 0)
            text = f"{day:%a %d %b %Y} — " + (self.tr("1 screening") if count == 1 else
                                               self.tr("%1 screenings").replace("%1", str(count)))
            if clashes:
                text += ", " + (self.tr("1 conflict") if clashes == 1 else
                                self.tr("%1 conflicts").replace("%1", str(clashes)))
            if festival.days and day not in festival.days:
                text += self.tr(" (outside the festival)")
            self.day_selector.addItem(text, day)
        index = self._day_index(current)
        if index < 0:  # first fill: the first festival day with screenings
            index = next((i for i in range(self.day_selector.count())
                          if screenings.get(self.day_selector.itemData(i))), 0)
        self.day_selector.setCurrentIndex(index)
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
        selected = self.grid.selected_id()
        if selected is not None:
            self._show_details(selected)
        else:
            self.details.setText(self.tr(self.HINT))
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

    def job(function: Callable[[Database], Any], on_done: Callable[[Any], None],
            on_error: Callable[[str], None]) -> None:
        context.run_job(lambda database, _progress: function(database), widget.tr("Writing day sheets"),
                        on_done, on_error)

    widget = ScheduleWidget(parent=parent, perform=perform, database_getter=lambda: context.database, job=job)
    context.changed.connect(widget.refresh_for)
    context.database_changed.connect(widget.reload)
    widget.reload()  # the desk builds this area when first shown, usually with a database already open
    return widget
