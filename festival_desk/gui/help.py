"""Help: the keyboard shortcuts (listed from the window's own actions, so the list cannot go
stale) and a one-page getting started with the three jobs of the desk."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

# An action whose text changes (Undo names the last action) is listed under this property instead.
SHORTCUT_LABEL = "shortcut_label"
# Keys handled by widgets rather than by actions (the film list, the rating control, the search box).
WIDGET_KEYS = (
    ("1 … 5", "Rate the selected films (in the film list or on the rating control)"),
    ("0, Backspace", "Clear my rating of the selected films"),
    ("Esc", "Clear the search box"),
    ("Down, Enter", "From the search box to the list of films found"),
)


def _plain(text: str) -> str:
    """A menu text without its & mnemonic and trailing dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) of every action with a shortcut in the window's menus, in menu
    order, then the keys widgets handle themselves."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {_plain(action.menu().title())}")
            elif action.shortcut() and id(action) not in seen and not action.isSeparator():
                seen.add(id(action))
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                label = action.property(SHORTCUT_LABEL) or action.text()
                rows.append((path, _plain(label), keys))

    for action in window.menuBar().actions():
        if action.menu() is not None:
            walk(action.menu(), _plain(action.menu().title()))
    rows += [("Film list", what, keys) for keys, what in WIDGET_KEYS]
    return rows


def _lay_out(dialog: QDialog, content: QWidget, width: int, height: int) -> None:
    """`content` above a Close button, at a readable size."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(content)
    layout.addWidget(buttons)
    dialog.resize(width, height)


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("What"), self.tr("Keys")])
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        _lay_out(self, self.table, 640, 560)


GETTING_STARTED = (
    ("Triage: watch, rate, decide",
     "Submissions lists every film. Pick one: its page shows the details and, underneath, my rating and "
     "my note (saved as I type) beside my colleagues' ratings and notes. Keys 1–5 rate the selected "
     "films, 0 clears my rating; Films ▸ Move to (Ctrl+Shift+ a status's letter) moves them through "
     "the workflow. Shortlist and Selection list the films that made it; sort by Mean or Spread to "
     "see where the committee agrees. Every step can be undone (Ctrl+Z)."),
    ("Reviews: critics' words for the catalogue",
     "Drop a review file (text, Markdown, a saved web page or Word) on the window, or use Import. The "
     "desk finds the film it is about, keeps the critic and the outlet, and lists its pull quotes in "
     "Reviews, where a quote is approved (or shortened) for print."),
    ("Print: the programme booklet",
     "Schedule puts the selected films on the screens over the festival days (drag a film onto the "
     "grid). Print builds the booklet as a print-ready PDF: cover, contents, one entry per film with "
     "its still, credits, synopsis, pull quote and screenings, the day grids and the indexes."),
)


class GettingStartedDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gettingStarted")
        self.setWindowTitle(self.tr("Getting Started"))
        self.text = QTextBrowser(self)
        parts = [f"<h2>{html.escape(self.tr('Festival Desk in three jobs'))}</h2>"]
        for title, body in GETTING_STARTED:
            parts.append(f"<h3>{html.escape(self.tr(title))}</h3><p>{html.escape(self.tr(body))}</p>")
        parts.append(f"<p>{html.escape(self.tr('Help ▸ Keyboard Shortcuts (F1) lists every key.'))}</p>")
        self.text.setHtml("".join(parts))
        _lay_out(self, self.text, 620, 520)
