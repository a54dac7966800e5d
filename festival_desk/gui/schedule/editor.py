"""The screening editor: every field of one screening and its films in order, with the runtime
tally against the slot updated as you type.

The dialog works on plain values (the `core.Schedule` the grid shows and the `core.Screening` as it
was read); it writes nothing. Accepted, `edits()` gives the arguments of
`actions.schedule.edit_screening` and `screening` is what the host passes as `expected`, so that a
colleague's change in the meantime is refused rather than overwritten. "Delete screening" closes
the dialog with `delete_requested` set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QSpinBox, QTimeEdit, QVBoxLayout, QWidget)

from festival_desk.core.schedule import KINDS, Schedule, Screening, ScreeningItem
from festival_desk.core.text import filing
from festival_desk.core.workflow import PROGRAMMED_STATUSES

PREMIERES = (("", "No premiere"), ("world", "World premiere"), ("international", "International premiere"),
             ("european", "European premiere"), ("national", "National premiere"), ("regional", "Regional premiere"))
_FILM = Qt.ItemDataRole.UserRole
_GUEST = Qt.ItemDataRole.UserRole


def _minutes_box(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 600)
    box.setSuffix(" min")
    box.setValue(value)
    return box


class ScreeningEditor(QDialog):
    """Edit one screening. `edits()` after `exec()` returns Accepted; `delete_requested` when the
    user chose to delete it instead."""

    def __init__(self, schedule: Schedule, screening: Screening, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screeningEditor")
        self.schedule = schedule
        self.screening = screening
        self.delete_requested = False
        self.zone = schedule.festival.zone
        start = screening.start.astimezone(self.zone)
        self.setWindowTitle(self.tr("Screening: %1").replace("%1", schedule.title_of(screening)))

        self.day = QDateEdit(QDate(start.year, start.month, start.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.start = QTimeEdit(QTime(start.hour, start.minute))
        self.start.setDisplayFormat("HH:mm")
        self.screen = QComboBox()
        for screen in schedule.screens.values():
            self.screen.addItem(screen.label, screen.id)
        self.screen.setCurrentIndex(max(self.screen.findData(screening.screen_id), 0))
        self.manual_end = QCheckBox(self.tr("Set the end by hand"))
        self.manual_end.setChecked(screening.end is not None)
        end = schedule.show_end_of(screening).astimezone(self.zone)
        self.end = QTimeEdit(QTime(end.hour, end.minute))
        self.end.setDisplayFormat("HH:mm")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(self.tr(kind.capitalize()), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(screening.kind), 0))
        self.premiere = QComboBox()
        for value, label in PREMIERES:
            self.premiere.addItem(self.tr(label), value)
        self.premiere.setCurrentIndex(max(self.premiere.findData(screening.premiere or ""), 0))
        self.title = QLineEdit(screening.title or "")
        self.title.setPlaceholderText(self.tr("A shorts programme's name, e.g. Shorts 2: Close to Home"))
        self.intro = _minutes_box(screening.intro_minutes)
        self.qa = _minutes_box(screening.qa_minutes)
        self.notes = QPlainTextEdit(screening.notes)
        self.notes.setPlaceholderText(self.tr("For the venue's day sheet: print format, subtitles, reserved seats…"))
        self.notes.setFixedHeight(54)

        self.guests = QListWidget()
        self.guests.setObjectName("guests")
        self.guests.setFixedHeight(62)
        for guest in screening.guests:
            item = QListWidgetItem(guest.name)
            item.setData(_GUEST, guest.key)
            self.guests.addItem(item)
        self.guest_name = QLineEdit()
        self.guest_name.setPlaceholderText(self.tr("Guest's name"))
        self.guest_name.returnPressed.connect(self.add_guest)
        add_guest = QPushButton(self.tr("Add guest"))
        add_guest.setAutoDefault(False)
        add_guest.clicked.connect(self.add_guest)
        remove_guest = QPushButton(self.tr("Remove guest"))
        remove_guest.setAutoDefault(False)
        remove_guest.clicked.connect(lambda: self.guests.takeItem(self.guests.currentRow()))

        self.films = QListWidget()
        self.films.setObjectName("films")
        self.films.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.films.setFixedHeight(110)
        for item in screening.items:
            self._add_film_item(item.film_id)
        self.film_choice = QComboBox()
        self.film_choice.setObjectName("filmChoice")
        self._fill_film_choice()
        add_film = QPushButton(self.tr("Add film"))
        add_film.setAutoDefault(False)
        add_film.clicked.connect(self.add_chosen_film)
        self.up = QPushButton(self.tr("Up"))
        self.down = QPushButton(self.tr("Down"))
        self.remove_film = QPushButton(self.tr("Remove film"))
        for button, slot in ((self.up, lambda: self.move_film(-1)), (self.down, lambda: self.move_film(1)),
                             (self.remove_film, self.remove_current_film)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
        self.tally = QLabel()
        self.tally.setObjectName("tally")
        self.tally.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")

        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.day, 1)
        when.addWidget(self.start)
        form.addRow(self.tr("Starts"), when)
        form.addRow(self.tr("Screen"), self.screen)
        ends = QHBoxLayout()
        ends.addWidget(self.manual_end)
        ends.addWidget(self.end)
        ends.addStretch(1)
        form.addRow(self.tr("Ends"), ends)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Premiere"), self.premiere)
        form.addRow(self.tr("Programme name"), self.title)
        minutes = QHBoxLayout()
        minutes.addWidget(QLabel(self.tr("Intro")))
        minutes.addWidget(self.intro)
        minutes.addWidget(QLabel(self.tr("Q&A")))
        minutes.addWidget(self.qa)
        minutes.addStretch(1)
        form.addRow(self.tr("Talk"), minutes)
        guest_row = QHBoxLayout()
        guest_row.addWidget(self.guest_name, 1)
        guest_row.addWidget(add_guest)
        guest_row.addWidget(remove_guest)
        guest_box = QVBoxLayout()
        guest_box.addWidget(self.guests)
        guest_box.addLayout(guest_row)
        form.addRow(self.tr("Guests"), guest_box)
        form.addRow(self.tr("Notes"), self.notes)
        film_buttons = QHBoxLayout()
        film_buttons.addWidget(self.film_choice, 1)
        film_buttons.addWidget(add_film)
        film_buttons.addWidget(self.up)
        film_buttons.addWidget(self.down)
        film_buttons.addWidget(self.remove_film)
        film_box = QVBoxLayout()
        film_box.addWidget(self.films)
        film_box.addLayout(film_buttons)
        film_box.addWidget(self.tally)
        form.addRow(self.tr("Films"), film_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(self.tr("Delete screening"),
                                                    QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.clicked.connect(self._delete)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        for signal in (self.day.dateChanged, self.start.timeChanged, self.end.timeChanged, self.intro.valueChanged,
                       self.qa.valueChanged, self.manual_end.toggled):
            signal.connect(self._update)
        self.films.model().rowsMoved.connect(self._update)
        self._update()
        self.resize(620, 0)

    # --- films and guests -----------------------------------------------------------------------

    def _film_label(self, film_id: int) -> str:
        film = self.schedule.films.get(film_id)
        return f"{film.title} · {film.runtime_minutes}′" if film else f"film #{film_id}"

    def _add_film_item(self, film_id: int) -> None:
        item = QListWidgetItem(self._film_label(film_id))
        item.setData(_FILM, film_id)
        self.films.addItem(item)

    def film_ids(self) -> list[int]:
        return [self.films.item(row).data(_FILM) for row in range(self.films.count())]

    def _fill_film_choice(self) -> None:
        present = set(self.film_ids())
        self.film_choice.clear()
        programmed = [f for f in self.schedule.films.values()
                      if f.status in PROGRAMMED_STATUSES and f.id not in present]
        for film in sorted(programmed, key=lambda f: filing(f.title)[1]):
            self.film_choice.addItem(self._film_label(film.id), film.id)

    def add_chosen_film(self) -> None:
        film_id = self.film_choice.currentData()
        if film_id is None:
            return
        self._add_film_item(film_id)
        self.films.setCurrentRow(self.films.count() - 1)
        self._fill_film_choice()
        self._update()

    def remove_current_film(self) -> None:
        row = self.films.currentRow()
        if row >= 0:
            self.films.takeItem(row)
            self._fill_film_choice()
            self._update()

    def move_film(self, step: int) -> None:
        row = self.films.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.films.count():
            return
        item = self.films.takeItem(row)
        self.films.insertItem(target, item)
        self.films.setCurrentRow(target)
        self._update()

    def add_guest(self) -> None:
        name = " ".join(self.guest_name.text().split())
        if not name:
            return
        if name.casefold() not in {self.guests.item(r).text().casefold() for r in range(self.guests.count())}:
            self.guests.addItem(QListWidgetItem(name))  # no key: a name, found or created on saving
        self.guest_name.clear()

    def guest_values(self) -> list[int | str]:
        """Person ids for the guests that were there, names for those added."""
        values = []
        for row in range(self.guests.count()):
            item = self.guests.item(row)
            key = item.data(_GUEST)
            values.append(key if isinstance(key, int) else item.text())
        return values

    # --- times and the tally --------------------------------------------------------------------

    def start_time(self) -> dt.datetime:
        """The chosen start as the naive wall-clock time the actions take."""
        day, time = self.day.date(), self.start.time()
        return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())

    def end_time(self) -> dt.datetime | None:
        """The hand-set end (the next morning when earlier than the start), or None: derived."""
        if not self.manual_end.isChecked():
            return None
        start = self.start_time()
        time = self.end.time()
        end = start.replace(hour=time.hour(), minute=time.minute())
        return end if end > start else end + dt.timedelta(days=1)

    def draft(self) -> Screening:
        """The screening as the fields now say (for the tally)."""
        runtimes = {f: (self.schedule.films[f].runtime_minutes if f in self.schedule.films else 0)
                    for f in self.film_ids()}
        end = self.end_time()
        return replace(self.screening, start=self.start_time().replace(tzinfo=self.zone),
                       end=end.replace(tzinfo=self.zone) if end else None,
                       items=tuple(ScreeningItem(f, runtimes[f]) for f in self.film_ids()),
                       intro_minutes=self.intro.value(), qa_minutes=self.qa.value())

    def _update(self, *_args) -> None:
        self.end.setEnabled(self.manual_end.isChecked())
        draft = self.draft()
        tally = self.schedule.tally_of(draft)
        show_end = self.schedule.show_end_of(draft).astimezone(self.zone)
        text = tally.sentence()
        if not self.manual_end.isChecked():
            text += self.tr("; ends %1, then %2′ changeover").replace("%1", f"{show_end:%H:%M}").replace(
                "%2", str(self.schedule.festival.changeover_minutes))
        self.tally.setText(text)
        self.tally.setStyleSheet("color: #c62828" if tally.spare_minutes < 0 else "")
        if not self.manual_end.isChecked():
            self.end.blockSignals(True)
            self.end.setTime(QTime(show_end.hour, show_end.minute))
            self.end.blockSignals(False)
        self.problem.clear()

    # --- the result -----------------------------------------------------------------------------

    def _accept(self) -> None:
        if not self.film_ids():
            self.problem.setText(self.tr("A screening needs at least one film; delete the screening instead."))
            return
        self.accept()

    def _delete(self) -> None:
        self.delete_requested = True
        self.accept()

    def edits(self) -> dict:
        """The fields as keyword arguments of `actions.schedule.edit_screening`."""
        return {
            "screen_id": self.screen.currentData(), "start": self.start_time(), "end": self.end_time(),
            "kind": self.kind.currentData(), "premiere": self.premiere.currentData() or None,
            "intro_minutes": self.intro.value(), "qa_minutes": self.qa.value(),
            "title": self.title.text().strip() or None, "notes": self.notes.toPlainText().strip(),
            "guests": self.guest_values(), "film_ids": self.film_ids(),
        }
