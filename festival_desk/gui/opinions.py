"""The film page's ratings and notes panel: my rating, my note (saved as I type), and what my
colleagues rated and wrote, visible under the film's details without switching tabs.

Guarantees:
- a rating is one action (one undo step); the same score again changes nothing; 0 or Backspace
  (or Clear) takes my rating back;
- my note is saved as I type, a moment after the last keystroke, and at once when I leave the
  editor, pick another film or close the desk (`flush`); all saves of one editing session are one
  undo step; emptying a note deletes it; only my own notes can be edited or deleted;
- colleagues' notes are shown in full, wrapped and selectable, with author and date, exactly as
  typed (no markup is interpreted); in blind mode they stay hidden until I have rated the film;
- a refresh (my action, an undo, a colleague's change) never overwrites the note I am typing.
"""

from __future__ import annotations

import html
import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from festival_desk.gui import roles
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.plurals import count_text

if TYPE_CHECKING:
    from festival_desk.actions.programming import FilmOpinions, NoteView

SAVE_DELAY_MS = 800
_sessions = itertools.count(1)


def _programming():
    from festival_desk.actions import programming

    return programming


def stars(score: int | None) -> str:
    return "★" * score + "☆" * (5 - score) if score else ""


def _when(note: NoteView) -> str:
    stamp = note.updated_at if note.updated_at and note.updated_at > note.created_at else note.created_at
    return stamp.astimezone().strftime("%d %b %Y %H:%M") if stamp else ""


class NoteEditor(QPlainTextEdit):
    """My note; tells when it loses the keyboard focus (a natural end of an editing session)."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.left.emit()


class StarRow(QWidget):
    """Five star buttons; keys 1–5 rate, 0 and Backspace clear. `rated(int)`: 0 means clear."""

    rated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("myRating")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.buttons: list[QToolButton] = []
        for score in range(1, 6):
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setText("☆")
            button.setToolTip(self.tr("Rate %1 of 5 (key %1)").replace("%1", str(score)))
            button.setAccessibleName(self.tr("%1 stars").replace("%1", str(score)))
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            button.setFont(font)
            button.clicked.connect(lambda _checked=False, value=score: self.rated.emit(value))
            layout.addWidget(button)
            self.buttons.append(button)
        self._score: int | None = None

    def set_score(self, score: int | None) -> None:
        self._score = score
        for number, button in enumerate(self.buttons, start=1):
            button.setText("★" if score and number <= score else "☆")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_5:
            self.rated.emit(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.rated.emit(0)
        else:
            super().keyPressEvent(event)


class OpinionsPanel(QWidget):
    """Ratings and notes of the film given to `show_film`, as the programmer at the desk.

    `collapsed_changed(bool)` when the panel is folded or unfolded by its header."""

    collapsed_changed = Signal(bool)

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opinions")
        self._context = context
        self._film_id: int | None = None
        self._title = ""
        self._opinions: FilmOpinions | None = None
        self.blind = False
        # The note being edited: its id (None: not written yet), the text last sent to be saved,
        # whether a save is on its way, and the editing session (one undo step).
        self._note_id: int | None = None
        self._note_film: int | None = None
        self._saved_text: str | None = ""  # None: the last save failed, so the text is unsaved
        self._in_flight = False
        self._session = next(_sessions)

        self.toggle = QToolButton(self)
        self.toggle.setObjectName("opinionsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setText(self.tr("Ratings && notes"))
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._set_open)
        self.summary = QLabel(self)
        self.summary.setObjectName("opinionsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.summary, 1)

        self.body = QWidget(self)
        self.star_row = StarRow(self.body)
        self.star_row.rated.connect(self.rate)
        self.clear_button = QPushButton(self.tr("Clear"), self.body)
        self.clear_button.setToolTip(self.tr("Take my rating back (0 or Backspace)"))
        self.clear_button.clicked.connect(lambda: self.rate(0))
        self.my_label = QLabel(self.tr("My rating"), self.body)
        self.my_label.setBuddy(self.star_row)
        rating_row = QHBoxLayout()
        rating_row.addWidget(self.my_label)
        rating_row.addWidget(self.star_row)
        rating_row.addWidget(self.clear_button)
        rating_row.addStretch(1)
        self.save_state = QLabel(self.body)
        self.save_state.setObjectName("noteSaveState")
        self.new_note_button = QPushButton(self.tr("New note"), self.body)
        self.new_note_button.setToolTip(self.tr("Start another note of mine on this film"))
        self.new_note_button.clicked.connect(self.start_new_note)
        rating_row.addWidget(self.save_state)
        rating_row.addWidget(self.new_note_button)

        self.conflict_label = QLabel(self.body)
        self.conflict_label.setObjectName("myConflict")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.conflict_label.setStyleSheet("color: #b45309;")
        self.conflict_label.hide()

        self.note_edit = NoteEditor(self.body)
        self.note_edit.setObjectName("myNote")
        self.note_edit.setPlaceholderText(self.tr("My note on this film — saved as I type"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.note_edit.textChanged.connect(self._note_typed)
        self.note_edit.left.connect(self._note_left)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        self.others = QTextBrowser(self.body)
        self.others.setObjectName("colleaguesNotes")
        self.others.setOpenLinks(False)
        self.others.anchorClicked.connect(self._link)
        self.others.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.others.setMinimumHeight(60)

        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(rating_row)
        body_layout.addWidget(self.conflict_label)
        body_layout.addWidget(self.note_edit)
        body_layout.addWidget(self.others, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.body, 1)
        self._update_enabled()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 300 if self.is_open else 30)

    # --- folding -------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, shown: bool) -> None:
        self.toggle.setChecked(shown)

    def _set_open(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.body.setVisible(shown)
        self.collapsed_changed.emit(not shown)

    # --- showing -------------------------------------------------------------------------------

    def show_film(self, film_id: int | None, title: str = "") -> None:
        """Show `film_id`'s ratings and notes (my pending note of the previous film is saved first)."""
        if film_id != self._film_id:
            self.flush()
            self._film_id, self._title = film_id, title
            self._opinions = None
            self._load_note(None)
            self._session = next(_sessions)
        elif title:
            self._title = title
        self._update_enabled()
        self.refresh()

    def refresh(self) -> None:
        film_id, me, blind = self._film_id, self._context.programmer_id, self.blind
        if film_id is None:
            self.summary.clear()
            self.others.clear()
            self.star_row.set_score(None)
            return
        self._context.read(lambda database: _programming().film_opinions(database, film_id, me, blind=blind),
                           self._show, lambda message: self.summary.setText(message))

    def _show(self, opinions: FilmOpinions) -> None:
        if opinions.film_id != self._film_id:
            return
        self._opinions = opinions
        self.star_row.set_score(opinions.my_score)
        # A declared conflict of interest: my rating (kept on record) does not count, and I may not rate.
        conflicted = opinions.my_conflict is not None
        self.star_row.setEnabled(self._can_write() and not conflicted)
        self.clear_button.setEnabled(opinions.my_score is not None and self._can_write() and not conflicted)
        self.conflict_label.setVisible(conflicted)
        if conflicted:
            self.conflict_label.setText(self.tr("You declared a conflict of interest (%1): you cannot rate this "
                                                "film, and a rating you gave does not count.")
                                        .replace("%1", opinions.my_conflict))
        summary = opinions.summary
        recused = self.tr(" · recused: %1").replace("%1", ", ".join(opinions.recused)) if opinions.recused else ""
        if opinions.hidden:
            self.summary.setText(self.tr("Blind mode: rate the film to see your colleagues' ratings and notes"))
        elif summary is not None and summary.count:
            self.summary.setText(self.tr("Mean %1 · spread %2 · %3").replace("%1", f"{summary.mean:.1f}")
                                 .replace("%2", f"{summary.spread:.2f}")
                                 .replace("%3", count_text("OpinionsPanel", summary.count, "1 rating",
                                                           "%n ratings")) + recused)
        else:
            self.summary.setText(self.tr("No ratings yet") + recused)
        # The note being typed is never replaced; otherwise show my newest note (or the one edited).
        if not self._typing():
            mine = {note.id: note for note in opinions.my_notes}
            if self._note_id in mine:
                self._load_note(mine[self._note_id])
            elif self._note_id is None and self.note_edit.toPlainText() == "" and opinions.my_notes:
                self._load_note(opinions.my_notes[-1])
            elif self._note_id is not None and self._note_id not in mine:
                self._load_note(opinions.my_notes[-1] if opinions.my_notes else None)
        self.others.setHtml(self._others_html(opinions))

    def _others_html(self, opinions: FilmOpinions) -> str:
        parts = []
        for opinion in opinions.others:
            rating = html.escape(stars(opinion.score)) if opinion.score else html.escape(self.tr("not rated"))
            if opinion.recused:
                rating += " " + html.escape(self.tr("(recused: does not count)"))
            parts.append(f"<p style='margin-top:8px'><b>{html.escape(opinion.programmer)}</b> "
                         f"<span style='color:#b7791f'>{rating}</span></p>")
            for note in opinion.notes:
                parts.append(self._note_html(note, mine=False))
        earlier = [note for note in opinions.my_notes if note.id != self._note_id]
        if earlier:
            parts.append(f"<p style='margin-top:8px'><b>{html.escape(self.tr('My other notes'))}</b></p>")
            parts += [self._note_html(note, mine=True) for note in earlier]
        if not parts:
            hint = self.tr("No colleague has rated this film or written about it yet.")
            parts.append(f"<p style='color:gray'>{html.escape(hint)}</p>")
        return "".join(parts)

    def _note_html(self, note: NoteView, *, mine: bool) -> str:
        text = html.escape(note.text).replace("\n", "<br>")
        links = ""
        if mine:
            links = (f" · <a href='edit:{note.id}'>{html.escape(self.tr('Edit'))}</a>"
                     f" · <a href='delete:{note.id}'>{html.escape(self.tr('Delete'))}</a>")
        return (f"<p style='margin-left:12px; white-space:pre-wrap'>{text}<br>"
                f"<small style='color:gray'>{html.escape(_when(note))}</small>{links}</p>")

    def _link(self, url: QUrl) -> None:
        action, _, value = url.toString().partition(":")
        if not value.isdigit() or self._opinions is None:
            return
        note = next((n for n in self._opinions.my_notes if n.id == int(value)), None)
        if note is None:
            return
        if action == "edit":
            self.flush()
            self._session = next(_sessions)
            self._load_note(note)
            self.note_edit.setFocus()
            self.refresh()
        elif action == "delete":
            name = self._context.programmer_name
            if name:
                self._context.perform(lambda database: _programming().delete_note(database, note.id, name),
                                      on_error=self.save_state.setText, title=self.tr("Deleting a note"))

    def _can_write(self) -> bool:
        return self._film_id is not None and self._context.programmer_name is not None \
            and roles.rate_refusal(self._context) is None

    def _update_enabled(self) -> None:
        writable = self._can_write()
        for widget in (self.star_row, self.note_edit, self.new_note_button):
            widget.setEnabled(writable)
        refused = roles.rate_refusal(self._context)
        self.note_edit.setPlaceholderText(
            self.tr("My note on this film — saved as I type") if writable or self._film_id is None else
            refused or self.tr("Choose who you are (Edit ▸ Preferences) to rate this film and write notes"))

    def programmer_changed(self) -> None:
        self.flush()
        self._load_note(None)
        self._update_enabled()
        self.refresh()

    # --- rating --------------------------------------------------------------------------------

    def rate(self, score: int) -> None:
        """Rate the film `score` (1–5) as me; 0 takes my rating back."""
        film_id, name = self._film_id, self._context.programmer_name
        if film_id is None or name is None:
            return
        programming = _programming
        if score:
            self._context.perform(lambda database: programming().rate_films(database, [film_id], name, score),
                                  title=self.tr("Rating"))
        else:
            self._context.perform(lambda database: programming().clear_rating(database, film_id, name),
                                  title=self.tr("Rating"))

    # --- my note -------------------------------------------------------------------------------

    def _typing(self) -> bool:
        return self.note_edit.hasFocus() or self._in_flight or self.has_pending_note

    def _load_note(self, note: NoteView | None) -> None:
        self._save_timer.stop()
        self._note_id = note.id if note is not None else None
        self._note_film = self._film_id
        self._saved_text = note.text if note is not None else ""
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(self._saved_text)
        self.note_edit.blockSignals(False)
        self.save_state.setText(self.tr("Saved") if note is not None else "")

    def start_new_note(self) -> None:
        self.flush()
        self._session = next(_sessions)
        self._load_note(None)
        self._note_film = self._film_id
        self.note_edit.setFocus()
        self.refresh()

    def _note_typed(self) -> None:
        self._note_film = self._film_id
        self.save_state.setText(self.tr("Editing…"))
        self._save_timer.start()

    def _note_left(self) -> None:
        self.flush()
        self._session = next(_sessions)

    @property
    def has_pending_note(self) -> bool:
        return self._save_timer.isActive() or self.note_edit.toPlainText().strip() != self._saved_text

    def flush(self) -> None:
        """Save my note now if it differs from what was saved (one save on its way at a time:
        the next one follows when it is done)."""
        self._save_timer.stop()
        text = self.note_edit.toPlainText().strip()
        film_id, name = self._note_film, self._context.programmer_name
        if film_id is None or name is None or text == self._saved_text:
            return
        if self._in_flight:
            self._save_timer.start()  # try again once the save on its way is back
            return
        note_id, key = self._note_id, f"note:{film_id}:{self._session}"
        self._in_flight = True
        self._saved_text = text
        self.save_state.setText(self.tr("Saving…"))

        def save(database):
            change = _programming().save_note(database, film_id, name, text, note_id=note_id)
            change.merge_key = key
            return change

        def saved(change) -> None:
            self._in_flight = False
            if self._note_film == film_id and self._note_id == note_id:
                self._note_id = change.details.get("note_id")
            if self._film_id == film_id:
                self.save_state.setText(self.tr("Saved") if text else self.tr("Note deleted"))

        def failed(message: str) -> None:
            self._in_flight = False
            self._saved_text = None  # the next flush tries again
            self.save_state.setText(self.tr("Not saved: %1").replace("%1", message))

        self._context.perform(save, saved, failed, title=self.tr("Saving my note"))
