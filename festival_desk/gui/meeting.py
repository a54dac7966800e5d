"""Meeting mode: a full-screen, projector-friendly view of the meeting's agenda, ranked by weighted
mean, where the chair decides film by film with single keys.

Keys: S shortlist, A select ("accept"), D decline, F flag "discuss again", U (or Ctrl+Z) undo the
last decision, Up/Down move, P write the one-page PDF of the decisions, Esc end the meeting.
Each decision is one action (`actions.meeting.decide`, on the desk's undo history); the view
moves on to the next undecided film. Large type, light text on a dark ground, high-contrast
colours for the decisions: readable from the back of a room on a projector.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from festival_desk.core.workflow import Status
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.status_style import status_label

if TYPE_CHECKING:
    from festival_desk.actions.meeting import AgendaFilm, MeetingView
    from festival_desk.gui.film_query import FilmQuery

BACKGROUND = "#111418"
TEXT = "#f2f2f2"
MUTED = "#a8b0b8"
HIGHLIGHT = "#2b4c7e"
DECISION_COLOURS = {"shortlist": "#5dade2", "select": "#58d68d", "decline": "#ec7063", "discuss": "#f5b041"}
DECISION_KEYS = {Qt.Key.Key_S: "shortlist", Qt.Key.Key_A: "select", Qt.Key.Key_D: "decline",
                 Qt.Key.Key_F: "discuss"}
LEGEND = ("S shortlist", "A select", "D decline", "F discuss again", "U undo", "↑↓ move", "P decisions PDF",
          "Esc end meeting")


def _meeting():
    from festival_desk.actions import meeting

    return meeting


def _stars(score: int | None) -> str:
    return "★" * score + "☆" * (5 - score) if score else "–"


class MeetingStartDialog(QDialog):
    """Title, agenda (the current list, a saved filter, or a status) and who is present."""

    def __init__(self, context: DeskContext, current: FilmQuery | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingStart")
        self.setWindowTitle(self.tr("Meeting mode"))
        self._context, self._current = context, current
        self.title_edit = QLineEdit(self.tr("Meeting of %1").replace("%1", dt.date.today().strftime("%d %B %Y")), self)
        self.title_edit.setObjectName("meetingTitle")
        self.agenda = QComboBox(self)
        self.agenda.setObjectName("meetingAgenda")
        if current is not None:
            self.agenda.addItem(self.tr("The films in the current list"), ("current", None))
        for status in (Status.SHORTLISTED, Status.IN_REVIEW, Status.SUBMITTED, Status.SELECTED):
            self.agenda.addItem(self.tr("All %1 films").replace("%1", status_label(status.value).lower()),
                                ("status", status.value))
        self.present = QListWidget(self)
        self.present.setObjectName("meetingPresent")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the meeting"))
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Agenda"), self.agenda)
        form.addRow(self.tr("Present"), self.present)
        form.addRow(QLabel(self.tr("Chaired by %1").replace("%1", context.programmer_name or "—"), self))
        form.addRow(self.message)
        form.addRow(buttons)
        from festival_desk.actions.filters import saved_filter_names
        from festival_desk.actions.programming import committee

        context.read(lambda database: (committee(database), saved_filter_names(database)), self._fill)

    def _fill(self, found) -> None:
        members, filters = found
        for _, name in members:
            item = QListWidgetItem(name, self.present)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        for name in filters:
            self.agenda.addItem(self.tr("Saved filter “%1”").replace("%1", name), ("saved", name))

    def present_names(self) -> list[str]:
        return [self.present.item(row).text() for row in range(self.present.count())
                if self.present.item(row).checkState() == Qt.CheckState.Checked]

    def start(self) -> None:
        from festival_desk.store.filters import FilmFilter

        chair = self._context.programmer_name
        title, present = self.title_edit.text(), self.present_names()
        kind, value = self.agenda.currentData()
        label = self.agenda.currentText()
        current = self._current

        def begin(database):
            if kind == "current":
                film_filter = FilmFilter(search=current.text, statuses=current.statuses, **dict(current.facts))
            elif kind == "saved":
                from festival_desk.actions.filters import load_filter

                film_filter = load_filter(database, value)
            else:
                film_filter = FilmFilter(statuses=(value,))
            return _meeting().start_meeting(database, title, chair, present, film_filter=film_filter,
                                            agenda_label=label)

        self._context.perform(begin, self._started, self.message.setText, title=self.tr("Starting the meeting"))

    def _started(self, change) -> None:
        self.accept()
        open_meeting(self._context, change.details["meeting_id"], self.parentWidget())


def open_meeting(context: DeskContext, meeting_id: int, parent: QWidget | None = None) -> MeetingWindow:
    """The meeting's window, full screen on the desk's screen (sized to it first, for window
    managers, and bare X servers, that do not size full-screen windows themselves)."""
    window = MeetingWindow(context, meeting_id, parent)
    screen = parent.screen() if parent is not None else window.screen()
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.activateWindow()
    window.table.setFocus()
    return window


class MeetingWindow(QWidget):
    """The full-screen meeting. Signals: `loaded()` after the agenda was redrawn (tests wait for
    it); `ended()` when the meeting was closed."""

    loaded = Signal()
    ended = Signal()

    def __init__(self, context: DeskContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("meetingWindow")
        self.setWindowTitle(self.tr("Meeting mode"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._context, self.meeting_id = context, meeting_id
        self._view: MeetingView | None = None
        self._pending_next: int | None = None  # the film to show once a decision is recorded
        self._decided: list[int] = []  # films decided from this window, latest last (Undo returns to them)
        self._ended = False
        # Selectors by name: the dialogs this window opens (end the meeting, save the PDF) keep
        # the desk's own look.
        self.setStyleSheet(f"""
            QWidget#meetingWindow {{ background: {BACKGROUND}; }}
            QLabel#meetingTitle, QLabel#meetingDetail {{ color: {TEXT}; }}
            QLabel#meetingMuted, QLabel#meetingLegend {{ color: {MUTED}; }}
            QLabel#meetingMessage {{ color: #f5b041; }}
            QTableWidget#meetingTable {{ background: {BACKGROUND}; color: {TEXT}; gridline-color: #2a2f36;
                            selection-background-color: {HIGHLIGHT}; selection-color: white; border: none; }}
            QTableWidget#meetingTable QHeaderView::section {{ background: #1d2228; color: {MUTED}; border: none;
                                                             padding: 4px; }}
        """)
        base = QFont(self.font())
        base.setPointSizeF(max(base.pointSizeF(), 10) * 1.6)
        self.title = QLabel(self)
        self.title.setObjectName("meetingTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        title_font = QFont(base)
        title_font.setPointSizeF(base.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("meetingMuted")
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.subtitle.setFont(base)

        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("meetingTable")
        self.table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Film"), self.tr("Mean"), self.tr("±"),
                                              self.tr("Ratings"), self.tr("Viewers"), self.tr("Recused"),
                                              self.tr("Decision")])
        self.table.setFont(base)
        self.table.horizontalHeader().setFont(base)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(int(base.pointSizeF() * 2.4))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        self.table.installEventFilter(self)

        self.detail = QLabel(self)
        self.detail.setObjectName("meetingDetail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setFont(base)
        self.detail.setMinimumHeight(int(base.pointSizeF() * 9))
        self.message = QLabel(self)
        self.message.setObjectName("meetingMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setFont(base)
        self.legend = QLabel("    ".join(self.tr(text) for text in LEGEND), self)
        self.legend.setObjectName("meetingLegend")
        self.legend.setFont(base)
        self.legend.setWordWrap(True)  # a narrow projector (1024 px) takes the keys on two lines

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail, 2)
        layout.addWidget(self.message)
        layout.addWidget(self.legend)
        context.changed.connect(self._changed)
        self.refresh()

    # --- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        meeting_id = self.meeting_id
        self._context.read(lambda database: _meeting().agenda(database, meeting_id), self._fill,
                           self.message.setText)

    def _changed(self, change) -> None:
        if f"meeting:{self.meeting_id}" in change.settings or (
                self._view is not None and change.films & {film.film_id for film in self._view.films}):
            self.refresh()

    def _fill(self, view: MeetingView) -> None:
        if self._ended:
            return
        keep = self.current_film_id()
        self._view = view
        decided = sum(1 for film in view.films if film.decision)
        self.title.setText(view.title)
        self.subtitle.setText(self.tr("Present: %1 · chair: %2 · agenda: %3 · decided %4 of %5")
                              .replace("%1", ", ".join(view.present)).replace("%2", view.chair or "—")
                              .replace("%3", view.agenda_label).replace("%4", str(decided))
                              .replace("%5", str(len(view.films))))
        self.table.blockSignals(True)
        self.table.setRowCount(len(view.films))
        for row, film in enumerate(view.films):
            decision = self.tr(_meeting().DECISION_LABELS[film.decision]) if film.decision else ""
            if film.discuss_again and film.decision != "discuss":
                decision = (decision + " · " if decision else "") + self.tr("discuss again")
            cells = [str(film.rank), film.title, "–" if film.mean is None else f"{film.mean:.2f}",
                     "–" if film.spread is None else f"{film.spread:.2f}", str(film.ratings), str(film.viewers),
                     ", ".join(film.recused), decision]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, film.film_id)
                if column in (0, 2, 3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 7 and film.decision:
                    item.setForeground(QBrush(QColor(DECISION_COLOURS[film.decision])))
                    bold = QFont(self.table.font())
                    bold.setBold(True)
                    item.setFont(bold)
                if column == 6 and film.recused:
                    item.setForeground(QBrush(QColor("#f5b041")))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        target = self._pending_next if self._pending_next is not None else keep
        self._pending_next = None
        row = self._row_of(target) if target is not None else 0
        self.table.setCurrentCell(max(0, row), 1)
        self._show_current()
        self.loaded.emit()

    def _row_of(self, film_id: int) -> int:
        if self._view is None:
            return -1
        return next((row for row, film in enumerate(self._view.films) if film.film_id == film_id), -1)

    def current_film(self) -> AgendaFilm | None:
        row = self.table.currentRow()
        if self._view is None or not 0 <= row < len(self._view.films):
            return None
        return self._view.films[row]

    def current_film_id(self) -> int | None:
        film = self.current_film()
        return film.film_id if film is not None else None

    def _show_current(self) -> None:
        film = self.current_film()
        if film is None:
            self.detail.clear()
            return
        facts = ", ".join(part for part in (", ".join(film.directors), ", ".join(film.countries),
                                            str(film.year or ""), f"{film.runtime_minutes} min"
                                            if film.runtime_minutes else "") if part)
        parts = [f"<span style='font-size:130%; font-weight:bold'>{html.escape(film.title)}</span> "
                 f"<span style='color:{MUTED}'>{html.escape(facts)} · {html.escape(status_label(film.status))}"
                 f"</span>"]
        for line in film.notes:
            who = html.escape(line.programmer)
            score = html.escape(_stars(line.score))
            text = html.escape(line.text) if line.text else f"<span style='color:{MUTED}'>(no note)</span>"
            if line.recused:
                parts.append(f"<span style='color:#f5b041'>{who} — recused, does not count</span>: {text}")
            else:
                parts.append(f"<b>{who}</b> <span style='color:#f7dc6f'>{score}</span> — {text}")
        if not film.notes:
            parts.append(f"<span style='color:{MUTED}'>{html.escape(self.tr('Nobody has rated it or written a note.'))}"
                         "</span>")
        self.detail.setText("<br>".join(parts))

    # --- deciding ------------------------------------------------------------------------------

    def decide(self, decision: str) -> None:
        """Record `decision` on the current film, then move on to the next undecided one."""
        film, chair = self.current_film(), self._context.programmer_name
        if film is None or chair is None:
            return
        self.message.clear()
        self._pending_next = self._next_undecided(film.film_id)
        meeting_id, film_id = self.meeting_id, film.film_id
        self._context.perform(lambda database: _meeting().decide(database, meeting_id, film_id, decision, chair),
                              lambda _change: self._decided.append(film_id), self._refused,
                              title=self.tr("Recording the decision"))

    def _refused(self, message: str) -> None:
        self._pending_next = None
        self.message.setText(message)

    def _next_undecided(self, film_id: int) -> int | None:
        if self._view is None:
            return None
        films = list(self._view.films)
        start = self._row_of(film_id)
        for film in films[start + 1:] + films[:start]:
            if not film.decision:
                return film.film_id
        return film_id

    def undo(self) -> None:
        """Take back the desk's last action (in a meeting: the last decision), and show its film."""
        self.message.clear()
        if self._context.undo.can_undo:
            if self._decided:
                self._pending_next = self._decided.pop()
            self._context.undo.undo()

    def write_pdf(self, path: str | None = None) -> None:
        """The one-page PDF of the decisions: to `path`, or where the chair chooses."""
        if path is None:
            default = Path.home() / f"meeting-{dt.date.today():%Y-%m-%d}.pdf"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Meeting decisions"), str(default),
                                                  self.tr("PDF (*.pdf)"), options=QFileDialog.Option.DontUseNativeDialog)
            if not path:
                return
        meeting_id = self.meeting_id
        def written(change) -> None:
            text = self.tr("Decisions written to %1").replace("%1", change.details["path"])
            if change.details["warnings"]:
                text += self.tr(" (%1 lines with letters the printing font lacks: %2)").replace(
                    "%1", str(len(change.details["warnings"]))).replace("%2", change.details["warnings"][0])
            self.message.setText(text)

        self._context.perform(lambda database: _meeting().write_meeting_pdf(database, meeting_id, path), written,
                              self.message.setText, title=self.tr("Writing the decisions"))

    def end(self) -> None:
        answer = QMessageBox.question(self, self.tr("End the meeting"),
                                      self.tr("End the meeting? Its decisions stay recorded."))
        if answer == QMessageBox.StandardButton.Yes:
            meeting_id = self.meeting_id
            self._context.perform(lambda database: _meeting().end_meeting(database, meeting_id),
                                  lambda _change: self._closed(), self.message.setText)

    def _closed(self) -> None:
        # The window is deleted on close: nothing may reach it after (a read on its way, a key).
        self._ended = True
        self._context.changed.disconnect(self._changed)
        self.table.removeEventFilter(self)
        self.ended.emit()
        self.close()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        if watched is self.table and event.type() == QEvent.Type.KeyPress and self._key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        plain = not modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if plain and key in DECISION_KEYS:
            self.decide(DECISION_KEYS[key])
        elif (plain and key == Qt.Key.Key_U) or (key == Qt.Key.Key_Z and modifiers & Qt.KeyboardModifier.ControlModifier):
            self.undo()
        elif plain and key == Qt.Key.Key_P:
            self.write_pdf()
        elif key == Qt.Key.Key_Escape:
            self.end()
        else:
            return False
        return True
