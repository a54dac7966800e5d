"""The film page's Edits tab: every change of the film's fields, who made it and when, old → new,
newest first, with "Restore the earlier value" so that nothing overwritten is beyond recovery."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from festival_desk.gui.conflict_dialog import FIELD_LABELS
from festival_desk.gui.desk import DeskContext

ROWS = 500  # the newest edits of a film shown


def _films():
    from festival_desk.actions import films

    return films


def _full(value: Any) -> str:
    if isinstance(value, str):
        return value or "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value is None else json.dumps(value, ensure_ascii=False)


def _text(value: Any) -> str:
    text = _full(value)
    return text if len(text) <= 80 else text[:77] + "…"


class EditHistory(QWidget):
    """Shows the edits of the film given to `show_film` in `entries`, one item an edit: when and
    who on the first line, "Field: before → after" under it (wrapped, never cut off)."""

    def __init__(self, context: DeskContext, film_version: Callable[[], int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editHistory")
        self._context = context
        self._film_version = film_version
        self._film_id: int | None = None
        self.entries = QListWidget(self)
        self.entries.setObjectName("editHistoryEntries")
        self.entries.setWordWrap(True)
        self.entries.setAlternatingRowColors(True)
        self.entries.currentItemChanged.connect(lambda *_: self._update_button())
        self.restore_button = QPushButton(self.tr("Restore the earlier value"), self)
        self.restore_button.setObjectName("restoreValue")
        self.restore_button.clicked.connect(self.restore_selected)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.entries, 1)
        layout.addLayout(row)
        self._update_button()

    def show_film(self, film_id: int | None) -> None:
        self._film_id = film_id
        self.entries.clear()
        self.message.clear()
        if film_id is not None:
            self._context.read(lambda database: _films().edit_history(database, film_id, limit=ROWS),
                               lambda edits: self._fill(film_id, edits), self.message.setText)

    def _fill(self, film_id: int, edits: list) -> None:
        if film_id != self._film_id:
            return
        self.entries.clear()
        for edit in edits:
            field = self.tr(FIELD_LABELS.get(edit.field, edit.field.replace("_", " ")))
            item = QListWidgetItem(f"{edit.at.astimezone().strftime('%d %b %Y %H:%M')} · {edit.who}\n"
                                   f"{field}: {_text(edit.old_value)} → {_text(edit.new_value)}")
            item.setData(Qt.ItemDataRole.UserRole, edit.id)
            item.setToolTip(f"{field}\n{self.tr('Before')}: {_full(edit.old_value)}\n"
                            f"{self.tr('After')}: {_full(edit.new_value)}")
            self.entries.addItem(item)
        if not edits:
            self.message.setText(self.tr("No field of this film has been changed yet."))
        self._update_button()

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.entries.currentItem() is not None)

    def restore_selected(self) -> None:
        """Put back the value the selected field had before that edit (a new, undoable edit)."""
        item = self.entries.currentItem()
        if item is None:
            return
        edit_id = item.data(Qt.ItemDataRole.UserRole)
        version = self._film_version()
        self._context.perform(lambda database: _films().restore_value(database, edit_id, expected_version=version),
                              on_error=self.message.setText, title=self.tr("Restoring"))
