"""The film page's committee tabs: "Screener && viewing" (the screener link and, on request, its
password; my watched mark; my assignment and the film's viewers; conflicts of interest; my rating
per criterion of the rubric) and "Catalogue facts" (accessibility, content advice, age).

Guarantees:
- The screener password is read from the database only when "Show password" is pressed, and is
  hidden again when another film is shown.
- Every change is one action through the desk (`DeskContext.perform`): it can be undone, and the
  page refreshes from the Change it returns.
- A programmer with a conflict of interest on the film sees why they cannot rate it; rating per
  criterion is then disabled, as is the star rating above (gui.opinions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from festival_desk.gui.desk import DeskContext

if TYPE_CHECKING:
    from festival_desk.actions.committee import FilmCommitteeView
    from festival_desk.actions.facts import Facts

OVERDUE_COLOUR = "#c0392b"
AGES = (0, 6, 9, 12, 14, 16, 18)


def _committee():
    from festival_desk.actions import committee

    return committee


def _plain_label(parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class ViewingPanel(QScrollArea):
    """The "Screener && viewing" tab of the film page."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewingPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._context = context
        self._film_id: int | None = None
        self._view: FilmCommitteeView | None = None
        page = QWidget(self)
        layout = QVBoxLayout(page)

        screener = QGroupBox(self.tr("Screener"), page)
        self.link_label = _plain_label(screener, "screenerLink")
        self.open_button = QPushButton(self.tr("Open screener"), screener)
        self.open_button.setObjectName("openScreener")
        self.open_button.clicked.connect(self.open_screener)
        self.password_button = QPushButton(self.tr("Show password"), screener)
        self.password_button.setObjectName("showPassword")
        self.password_button.clicked.connect(self.show_password)
        self.password_edit = QLineEdit(screener)
        self.password_edit.setObjectName("screenerPassword")
        self.password_edit.setReadOnly(True)
        self.password_edit.hide()
        self.copy_button = QPushButton(self.tr("Copy"), screener)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.password_edit.text()))
        self.copy_button.hide()
        row = QHBoxLayout()
        for widget in (self.open_button, self.password_button, self.password_edit, self.copy_button):
            row.addWidget(widget)
        row.addStretch(1)
        box = QVBoxLayout(screener)
        box.addWidget(self.link_label)
        box.addLayout(row)
        layout.addWidget(screener)

        watched = QGroupBox(self.tr("Watched"), page)
        self.watched_label = _plain_label(watched, "watchedState")
        self.assignment_label = _plain_label(watched, "assignmentState")
        self.viewers_label = _plain_label(watched, "viewersState")
        self.stopped_spin = QSpinBox(watched)
        self.stopped_spin.setObjectName("stoppedAt")
        self.stopped_spin.setRange(1, 1500)
        self.stopped_spin.setSuffix(self.tr(" min"))
        self.to_end_button = QPushButton(self.tr("Watched to the end"), watched)
        self.to_end_button.setObjectName("watchedToEnd")
        self.to_end_button.clicked.connect(lambda: self.mark_watched(None))
        self.stopped_button = QPushButton(self.tr("Stopped at"), watched)
        self.stopped_button.setObjectName("watchedStopped")
        self.stopped_button.clicked.connect(lambda: self.mark_watched(self.stopped_spin.value()))
        self.unwatch_button = QPushButton(self.tr("Not watched"), watched)
        self.unwatch_button.clicked.connect(self.unmark_watched)
        row = QHBoxLayout()
        for widget in (self.to_end_button, self.stopped_button, self.stopped_spin, self.unwatch_button):
            row.addWidget(widget)
        row.addStretch(1)
        box = QVBoxLayout(watched)
        for widget in (self.watched_label, self.assignment_label, self.viewers_label):
            box.addWidget(widget)
        box.addLayout(row)
        layout.addWidget(watched)

        conflict = QGroupBox(self.tr("Conflicts of interest"), page)
        self.conflict_label = _plain_label(conflict, "conflictState")
        self.declare_button = QPushButton(self.tr("Declare a conflict of interest…"), conflict)
        self.declare_button.setObjectName("declareConflict")
        self.declare_button.clicked.connect(self.ask_conflict)
        self.withdraw_button = QPushButton(self.tr("Withdraw my conflict"), conflict)
        self.withdraw_button.clicked.connect(self.withdraw_conflict)
        row = QHBoxLayout()
        row.addWidget(self.declare_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        box = QVBoxLayout(conflict)
        box.addWidget(self.conflict_label)
        box.addLayout(row)
        layout.addWidget(conflict)

        self.criteria_box = QGroupBox(self.tr("My rating by criteria"), page)
        self.criteria_form = QFormLayout()
        self.criteria_note = _plain_label(self.criteria_box, "criteriaState")
        self.rate_criteria_button = QPushButton(self.tr("Rate by criteria"), self.criteria_box)
        self.rate_criteria_button.setObjectName("rateCriteria")
        self.rate_criteria_button.clicked.connect(self.rate_by_criteria)
        box = QVBoxLayout(self.criteria_box)
        box.addLayout(self.criteria_form)
        box.addWidget(self.criteria_note)
        box.addWidget(self.rate_criteria_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.criteria_box)
        self.criteria_spins: dict[str, QSpinBox] = {}

        self.error_label = _plain_label(page, "viewingError")
        self.error_label.setStyleSheet(f"color: {OVERDUE_COLOUR};")
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.setWidget(page)
        context.programmer_changed.connect(self.refresh)

    # --- showing -----------------------------------------------------------------------------

    def show_film(self, film_id: int | None) -> None:
        if film_id != self._film_id:
            self._hide_password()
        self._film_id = film_id
        self.refresh()

    def refresh(self) -> None:
        film_id, me = self._film_id, self._context.programmer_id
        if film_id is None:
            return
        self._context.read(lambda database: _committee().film_committee_view(database, film_id, me), self._show,
                           self.error_label.setText)

    def _hide_password(self) -> None:
        self.password_edit.clear()
        self.password_edit.hide()
        self.copy_button.hide()
        self.password_button.show()

    def _show(self, view: FilmCommitteeView) -> None:
        if view.film_id != self._film_id:
            return
        self._view = view
        self.error_label.clear()
        someone = self._context.programmer_name is not None
        self.link_label.setText(view.link or self.tr("No screener link for this film."))
        self.open_button.setEnabled(bool(view.link))
        self.password_button.setEnabled(view.has_password)
        self.password_button.setText(self.tr("Show password") if view.has_password else self.tr("No password"))
        if view.watched:
            self.watched_label.setText(self.tr("You stopped at %1 min.").replace("%1", str(view.stopped_at))
                                       if view.stopped_at else self.tr("You watched it to the end."))
        else:
            self.watched_label.setText(self.tr("You have not marked it watched."))
        if view.runtime_minutes:
            self.stopped_spin.setMaximum(max(1, view.runtime_minutes - 1))
        if view.assigned_to_me:
            due = view.assigned_due.strftime("%d %b %Y") if view.assigned_due else self.tr("no due date")
            text = self.tr("Assigned to you, due %1").replace("%1", due)
            if view.overdue:
                text += self.tr(" — overdue")
            self.assignment_label.setText(text)
            self.assignment_label.setStyleSheet(f"color: {OVERDUE_COLOUR}; font-weight: bold;" if view.overdue else "")
        else:
            self.assignment_label.setText(self.tr("Not assigned to you."))
            self.assignment_label.setStyleSheet("")
        viewers = ", ".join(view.viewers) or self.tr("nobody yet")
        self.viewers_label.setText(self.tr("Viewers so far: %1 of %2 (%3). Assigned: %4.")
                                   .replace("%1", str(len(view.viewers))).replace("%2", str(view.target))
                                   .replace("%3", viewers).replace("%4", ", ".join(view.assigned) or "—"))
        for button in (self.to_end_button, self.stopped_button):
            button.setEnabled(someone)
        self.unwatch_button.setEnabled(someone and view.watched)
        if view.conflicts:
            lines = [self.tr("%1: %2").replace("%1", name).replace("%2", reason) for name, reason in view.conflicts]
            self.conflict_label.setText(self.tr("Recused — their ratings do not count:") + "\n" + "\n".join(lines))
        else:
            self.conflict_label.setText(self.tr("No conflicts of interest declared."))
        self.declare_button.setEnabled(someone and view.my_conflict is None)
        self.withdraw_button.setVisible(view.my_conflict is not None)
        self._fill_criteria(view, someone)

    def _fill_criteria(self, view: FilmCommitteeView, someone: bool) -> None:
        while self.criteria_form.rowCount():
            self.criteria_form.removeRow(0)
        self.criteria_spins = {}
        mine = dict(view.my_criteria)
        for name, weight in view.rubric:
            spin = QSpinBox(self.criteria_box)
            spin.setRange(0, 5)
            spin.setSpecialValueText(self.tr("not scored"))
            spin.setValue(mine.get(name, 0))
            spin.setObjectName(f"criterion:{name}")
            self.criteria_spins[name] = spin
            self.criteria_form.addRow(self.tr("%1 (weight %2)").replace("%1", name).replace("%2", f"{weight:g}"), spin)
        enabled = someone and view.my_conflict is None and bool(view.rubric)
        for spin in self.criteria_spins.values():
            spin.setEnabled(enabled)
        self.rate_criteria_button.setEnabled(enabled)
        if not view.rubric:
            self.criteria_note.setText(self.tr("The festival has no rubric: rate with one score above "
                                               "(a lead sets one with festival-desk rubric set)."))
        elif view.my_conflict is not None:
            self.criteria_note.setText(self.tr("You declared a conflict of interest: you cannot rate this film."))
        elif view.my_overall is not None:
            self.criteria_note.setText(self.tr("Your overall score: %1 (weighted mean of the criteria you scored).")
                                       .replace("%1", f"{view.my_overall:.2f}"))
        else:
            self.criteria_note.setText(self.tr("Score the criteria you can judge; the overall score is their "
                                               "weighted mean."))

    # --- actions -------------------------------------------------------------------------------

    def _perform(self, function, title: str) -> None:
        self._context.perform(function, on_error=self.error_label.setText, title=title)

    def open_screener(self) -> None:
        if self._view is not None and self._view.link:
            QDesktopServices.openUrl(QUrl(self._view.link))

    def show_password(self) -> None:
        """Read the password (only now) and show it until another film is shown."""
        film_id = self._film_id
        if film_id is None:
            return

        def shown(screener) -> None:
            if screener.film_id != self._film_id:
                return
            self.password_edit.setText(screener.password or "")
            self.password_edit.show()
            self.copy_button.show()
            self.password_button.hide()

        self._context.read(lambda database: _committee().screener(database, film_id, reveal=True), shown,
                           self.error_label.setText)

    def mark_watched(self, minutes: int | None) -> None:
        film_id, name = self._film_id, self._context.programmer_name
        if film_id is not None and name is not None:
            self._perform(lambda database: _committee().mark_watched(database, film_id, name, minutes),
                          self.tr("Marking watched"))

    def unmark_watched(self) -> None:
        film_id, name = self._film_id, self._context.programmer_name
        if film_id is not None and name is not None:
            self._perform(lambda database: _committee().unmark_watched(database, film_id, name),
                          self.tr("Marking watched"))

    def ask_conflict(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("Conflict of interest"),
                                          self.tr("Why? (The leads see the reason. You will not be able to rate "
                                                  "this film, and your rating will not count.)"))
        if ok:
            self.declare_conflict(reason)

    def declare_conflict(self, reason: str) -> None:
        film_id, name = self._film_id, self._context.programmer_name
        if film_id is not None and name is not None:
            self._perform(lambda database: _committee().declare_conflict(database, film_id, name, reason),
                          self.tr("Declaring a conflict of interest"))

    def withdraw_conflict(self) -> None:
        film_id, name = self._film_id, self._context.programmer_name
        if film_id is not None and name is not None:
            self._perform(lambda database: _committee().withdraw_conflict(database, film_id, name),
                          self.tr("Withdrawing a conflict of interest"))

    def rate_by_criteria(self) -> None:
        film_id, name = self._film_id, self._context.programmer_name
        scores = [(criterion, spin.value()) for criterion, spin in self.criteria_spins.items() if spin.value()]
        if film_id is None or name is None:
            return
        if not scores:
            self.error_label.setText(self.tr("Score at least one criterion."))
            return
        from festival_desk.actions.rubric import rate_criteria

        self._perform(lambda database: rate_criteria(database, film_id, name, scores), self.tr("Rating"))


class FactsPanel(QScrollArea):
    """The "Catalogue facts" tab of the film page: edited in place, saved as one action."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factsPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._context = context
        self._film_id: int | None = None
        self._loaded: dict | None = None
        page = QWidget(self)
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.subtitles_edit = QLineEdit(page)
        self.subtitles_edit.setObjectName("subtitles")
        self.subtitles_edit.setPlaceholderText(self.tr("e.g. English"))
        self.sdh_combo = self._yes_no(page, "sdh")
        self.audio_combo = self._yes_no(page, "audioDescription")
        self.advice_edit = QLineEdit(page)
        self.advice_edit.setObjectName("contentAdvice")
        self.advice_edit.setPlaceholderText(self.tr("e.g. scenes of animal slaughter"))
        self.age_combo = QComboBox(page)
        self.age_combo.setObjectName("age")
        self.age_combo.addItem(self.tr("Not known"), None)
        for age in AGES:
            self.age_combo.addItem(self.tr("All ages") if age == 0 else f"{age}+", age)
        self.printed_label = _plain_label(page, "factsPrinted")
        self.error_label = _plain_label(page, "factsError")
        self.error_label.setStyleSheet(f"color: {OVERDUE_COLOUR};")
        self.save_button = QPushButton(self.tr("Save facts"), page)
        self.save_button.setObjectName("saveFacts")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.tr("Subtitle language"), self.subtitles_edit)
        form.addRow(self.tr("Subtitles for the deaf and hard of hearing (SDH)"), self.sdh_combo)
        form.addRow(self.tr("Audio description"), self.audio_combo)
        form.addRow(self.tr("Content advice"), self.advice_edit)
        form.addRow(self.tr("Recommended age"), self.age_combo)
        form.addRow(self.tr("In the booklet"), self.printed_label)
        form.addRow(self.error_label, self.save_button)
        self.setWidget(page)

    def _yes_no(self, parent: QWidget, name: str) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(name)
        for text, value in ((self.tr("Not known"), None), (self.tr("Yes"), True), (self.tr("No"), False)):
            combo.addItem(text, value)
        return combo

    def show_film(self, film_id: int | None) -> None:
        self._film_id = film_id
        if film_id is None:
            return
        from festival_desk.actions.facts import catalogue_facts

        self._context.read(lambda database: catalogue_facts(database, film_id), self._show, self.error_label.setText)

    def _show(self, facts: Facts) -> None:
        if facts.film_id != self._film_id:
            return
        self.error_label.clear()
        self.subtitles_edit.setText(facts.subtitles)
        self.sdh_combo.setCurrentIndex(self.sdh_combo.findData(facts.sdh))
        self.audio_combo.setCurrentIndex(self.audio_combo.findData(facts.audio_description))
        self.advice_edit.setText(facts.content_advice)
        if facts.age_recommendation is not None and self.age_combo.findData(facts.age_recommendation) < 0:
            self.age_combo.addItem(f"{facts.age_recommendation}+", facts.age_recommendation)
        self.age_combo.setCurrentIndex(max(0, self.age_combo.findData(facts.age_recommendation)))
        self.printed_label.setText(" · ".join(facts.phrases()) or self.tr("(nothing: no facts known)"))
        self._loaded = self._values()

    def _values(self) -> dict:
        return {"subtitles": self.subtitles_edit.text().strip(), "sdh": self.sdh_combo.currentData(),
                "audio_description": self.audio_combo.currentData(),
                "content_advice": self.advice_edit.text().strip(), "age_recommendation": self.age_combo.currentData()}

    def save(self) -> None:
        """Save the facts changed since they were shown, as one action."""
        film_id = self._film_id
        if film_id is None or self._loaded is None:
            return
        changed = {name: value for name, value in self._values().items() if value != self._loaded.get(name)}
        if not changed:
            return
        from festival_desk.actions.facts import set_facts

        self._context.perform(lambda database: set_facts(database, film_id, **changed),
                              on_error=self.error_label.setText, title=self.tr("Saving catalogue facts"))
