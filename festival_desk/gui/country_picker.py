"""A searchable picker of ISO 3166 countries: type part of a name or a code (accents and case do
not matter: "cote" finds Côte d'Ivoire), pick from the list, remove with the × or Delete."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from festival_desk.core.codes import country_code, country_name
from festival_desk.core.text import fold_words

MAX_SUGGESTIONS = 12


@cache
def all_countries() -> tuple[tuple[str, str, str], ...]:
    """(code, display name, folded "name code") of every country, by name."""
    import pycountry

    codes = {country.alpha_2 for country in pycountry.countries} | {"XK"}
    entries = [(code, country_name(code)) for code in codes]
    return tuple(sorted(((code, name, fold_words(f"{name} {code}")) for code, name in entries),
                        key=lambda entry: entry[2]))


def suggestions(text: str) -> list[tuple[str, str]]:
    """Countries whose name or code has a word starting with each typed word; (code, name)."""
    typed = fold_words(text).split()
    if not typed:
        return []
    found = []
    for code, name, key in all_countries():
        key_words = key.split()
        if all(any(word.startswith(part) for word in key_words) for part in typed):
            found.append((code, name))
    exact = country_code(text)
    if exact and all(code != exact for code, _ in found):
        found.insert(0, (exact, country_name(exact)))  # "UK", "Holland", "USA": known aliases
    return found[:MAX_SUGGESTIONS]


class _ChipList(QListWidget):
    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


class CountryPicker(QWidget):
    """`codes()` in order; `changed()` whenever the user adds or removes one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chips = _ChipList(self)
        self._chips.setObjectName("countryChips")
        self._chips.setFlow(QListView.Flow.LeftToRight)
        self._chips.setWrapping(True)
        # Laid out again when the page is resized (the film page opens narrow and widens): the chips
        # wrap onto the next line instead of running off behind a horizontal scroll bar.
        self._chips.setResizeMode(QListView.ResizeMode.Adjust)
        self._chips.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._chips.setSpacing(2)
        self._chips.setMaximumHeight(self.fontMetrics().height() * 3 + 8)
        self._chips.delete_pressed.connect(self._remove_selected)
        self._chips.setToolTip(self.tr("Select a country and press Delete to remove it"))
        self.search = QLineEdit(self)
        self.search.setObjectName("countrySearch")
        self.search.setPlaceholderText(self.tr("Add a country: type a name or code…"))
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.activated.connect(self._picked)
        self.search.setCompleter(self._completer)
        self.search.textEdited.connect(self._suggest)
        self.search.returnPressed.connect(self._add_typed)
        remove = QToolButton(self)
        remove.setText("×")
        remove.setToolTip(self.tr("Remove the selected country"))
        remove.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._chips)
        layout.addLayout(row)
        self._current: list[tuple[str, str]] = []

    def codes(self) -> list[str]:
        return [code for code, _ in self._current]

    def set_codes(self, codes: list[str]) -> None:
        self._current = [(code, country_name(code)) for code in codes]
        self._render()

    def add(self, code: str) -> None:
        if code not in self.codes():
            self._current.append((code, country_name(code)))
            self._render()
            self.changed.emit()

    def _render(self) -> None:
        self._chips.clear()
        for code, name in self._current:
            item = QListWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self._chips.addItem(item)

    def _suggest(self, text: str) -> None:
        self._model.setStringList([f"{name} ({code})" for code, name in suggestions(text)])
        self._completer.complete()

    def _picked(self, text: str) -> None:
        code = text.rsplit("(", 1)[-1].rstrip(")") if text.endswith(")") else country_code(text)
        if code:
            self.add(code)
        # The completer writes its choice into the field after this signal: clear it afterwards.
        QTimer.singleShot(0, self.search.clear)

    def _add_typed(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        if self._completer.popup().isVisible():
            return  # the popup's activation handles it
        found = suggestions(text)
        code = country_code(text) or (found[0][0] if len(found) == 1 else None)
        if code:
            self.add(code)
            self.search.clear()

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self._chips.selectedIndexes()}, reverse=True)
        if not rows and self._chips.currentRow() >= 0:
            rows = [self._chips.currentRow()]
        for row in rows:
            del self._current[row]
        if rows:
            self._render()
            self.changed.emit()
