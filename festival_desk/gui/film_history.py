"""The film page's Edits tab: every change of the film's fields, who made it and when, old → new,
newest first, with "Restore the earlier value" so that nothing overwritten is beyond recovery."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

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
    """Shows the edits of the film given to `show_film`; its tree is `tree` (one row an edit)."""

    def __init__(self, context: DeskContext, film_version: Callable[[], int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editHistory")
        self._context = context
        self._film_version = film_version
        self._film_id: int | None = None
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("editHistoryTree")
        self.tree.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Change")])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self.restore_button = QPushButton(self.tr("Restore the earlier value"), self)
        self.restore_button.setObjectName("restoreValue")
        self.restore_button.clicked.connect(self.restore_selected)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._update_button()

    def show_film(self, film_id: int | None) -> None:
        self._film_id = film_id
        self.tree.clear()
        self.message.clear()
        if film_id is not None:
            self._context.read(lambda database: _films().edit_history(database, film_id, limit=ROWS),
                               lambda edits: self._fill(film_id, edits), self.message.setText)

    def _fill(self, film_id: int, edits: list) -> None:
        if film_id != self._film_id:
            return
        self.tree.clear()
        for edit in edits:
            field = self.tr(FIELD_LABELS.get(edit.field, edit.field.replace("_", " ")))
            change = f"{field}: {_text(edit.old_value)} → {_text(edit.new_value)}"
            item = QTreeWidgetItem([edit.at.astimezone().strftime("%d %b %H:%M"), edit.who, change])
            item.setData(0, Qt.ItemDataRole.UserRole, edit.id)
            item.setToolTip(2, f"{field}\n{self.tr('Before')}: {_full(edit.old_value)}\n"
                               f"{self.tr('After')}: {_full(edit.new_value)}")
            self.tree.addTopLevelItem(item)
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        if not edits:
            self.message.setText(self.tr("No field of this film has been changed yet."))
        self._update_button()

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.tree.currentItem() is not None)

    def restore_selected(self) -> None:
        """Put back the value the selected field had before that edit (a new, undoable edit)."""
        item = self.tree.currentItem()
        if item is None:
            return
        edit_id = item.data(0, Qt.ItemDataRole.UserRole)
        version = self._film_version()
        self._context.perform(lambda database: _films().restore_value(database, edit_id, expected_version=version),
                              on_error=self.message.setText, title=self.tr("Restoring"))
