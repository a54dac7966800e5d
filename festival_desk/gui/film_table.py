"""The film table: a model holding ids plus a row cache that fetches rows on demand.

Guarantees, at 25,000 films and more:
- the model only ever holds the ids of the list and the rows seen recently (a bounded cache);
  rows are fetched a small block at a time (about 6 ms for 50 rows at 25,000 films) when the view
  paints them. Not read ahead on a worker: its Python holds the GIL in 5 ms slices, and every
  `data()` call of a painting frame then waits for it (frames got slower, not faster);
- sorting and filtering happen in the database (`sort()` only asks for a new id list: there is no
  QSortFilterProxyModel, which takes seconds per keystroke at this scale);
- `set_ids` turns a new id list into row removals/insertions when it can, so that scroll position
  and selection survive a re-query; `refresh` repaints just the films a Change names.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QT_TRANSLATE_NOOP,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from festival_desk.gui.plurals import count_text
from festival_desk.gui.status_style import status_colour, status_icon, status_label

if TYPE_CHECKING:  # the database stack loads on the worker, after the window shows
    from festival_desk.store.film_rows import FilmRow

RowFetcher = Callable[[Sequence[int]], "dict[int, FilmRow]"]
FILM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Computed once, as plain ints: `data()` runs seven times per painted cell (some 1,500 times a
# frame), and every Qt enum looked up or combined in Python costs microseconds each time.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_ANSWERED_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _ACCESSIBLE_TEXT,
                             int(FILM_ID_ROLE)})
_ALIGNMENTS = {numeric: int((Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft)
                            | Qt.AlignmentFlag.AlignVCenter) for numeric in (False, True)}


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _premiere_text(value: str | None) -> str:
    return QCoreApplication.translate("Premiere", value.capitalize()) if value else ""


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # source text; shown through QCoreApplication.translate("FilmTable", title)
    text: Callable[[FilmRow], str]
    numeric: bool = False
    visible_by_default: bool = True
    width: int = 90


# The default columns are those of triage (title, status, my rating, mean, spread, year, runtime):
# at 1280×800 they fit beside the film page without scrolling sideways. The others are one click
# away on the header's context menu.
COLUMNS: tuple[Column, ...] = (
    Column("title", QT_TRANSLATE_NOOP("FilmTable", "Title"), lambda r: r.title, width=190),
    Column("status", QT_TRANSLATE_NOOP("FilmTable", "Status"), lambda r: status_label(r.status), width=100),
    Column("my_rating", QT_TRANSLATE_NOOP("FilmTable", "My rating"),
           lambda r: "★" * r.my_rating if r.my_rating else "", width=72),
    Column("mean", QT_TRANSLATE_NOOP("FilmTable", "Mean"), lambda r: _number(r.mean), True, width=48),
    Column("spread", QT_TRANSLATE_NOOP("FilmTable", "Spread"), lambda r: _number(r.spread, 2), True, width=54),
    Column("year", QT_TRANSLATE_NOOP("FilmTable", "Year"), lambda r: str(r.year or ""), True, width=44),
    Column("runtime", QT_TRANSLATE_NOOP("FilmTable", "Runtime"),
           lambda r: f"{r.runtime_minutes}′" if r.runtime_minutes else "", True, width=58),
    Column("directors", QT_TRANSLATE_NOOP("FilmTable", "Directors"), lambda r: ", ".join(r.directors),
           visible_by_default=False, width=110),
    Column("countries", QT_TRANSLATE_NOOP("FilmTable", "Countries"), lambda r: ", ".join(r.countries),
           visible_by_default=False, width=60),
    Column("original_title", QT_TRANSLATE_NOOP("FilmTable", "Original title"),
           lambda r: r.original_title or "", visible_by_default=False, width=160),
    Column("section", QT_TRANSLATE_NOOP("FilmTable", "Section"), lambda r: r.section_name or "",
           visible_by_default=False, width=120),
    Column("reviews", QT_TRANSLATE_NOOP("FilmTable", "Reviews"),
           lambda r: str(r.reviews_count) if r.reviews_count else "", True, visible_by_default=False, width=65),
    Column("premiere", QT_TRANSLATE_NOOP("FilmTable", "Premiere"), lambda r: _premiere_text(r.premiere),
           visible_by_default=False, width=100),
    Column("tags", QT_TRANSLATE_NOOP("FilmTable", "Tags"), lambda r: ", ".join(tag.name for tag in r.tags), visible_by_default=False,
           width=120),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)


def column_title(column: Column) -> str:
    return QCoreApplication.translate("FilmTable", column.title)


class FilmTableModel(QAbstractTableModel):
    """Films as table rows: `ids` in display order, rows fetched lazily through `fetch_rows`.

    `sort_requested(key, descending)` is emitted by `sort()`: the owner re-queries the ids in the
    database and calls `set_ids`.
    """

    BLOCK = 50
    MAX_DIFF_ROWS = 100  # more rows removed or added than this: reset rather than diff
    CACHE_LIMIT = 3000
    sort_requested = Signal(str, bool)

    def __init__(self, fetch_rows: RowFetcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        # Each cached row with its cell texts, made once when the row arrives (painting asks for
        # them again and again, and formatting joins and numbers each time costs a frame milliseconds).
        self._cache: dict[int, tuple[FilmRow, tuple[str, ...]]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # --- the id list ---------------------------------------------------------------------------

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def film_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, film_id: int) -> int | None:
        return self._row_of.get(film_id)

    def set_fetcher(self, fetch_rows: RowFetcher) -> None:
        """Use another row source (another database or programmer); every row is re-read."""
        self._fetch_rows = fetch_rows
        self.invalidate()

    def set_ids(self, ids: Sequence[int]) -> bool:
        """Show `ids` in this order. Removals-only and insertions-only changes in a few runs of
        rows (a film moved away, films added) are signalled as such (views keep their scroll
        position and selection); anything else, a new search included, resets the model.
        Returns True when the model was reset."""
        new = list(ids)
        old = self._ids
        if new == old:
            return False
        # Each run costs a view update and a re-index of every row: a search that keeps one film
        # in three would take seconds run by run, and one reset a few milliseconds.
        small = abs(len(new) - len(old)) <= self.MAX_DIFF_ROWS
        if small and len(new) < len(old) and self._is_subsequence(new, old):
            keep = set(new)
            row = len(old) - 1
            while row >= 0:  # remove runs bottom-up so that earlier row numbers stay valid
                if old[row] in keep:
                    row -= 1
                    continue
                last = row
                while row >= 0 and old[row] not in keep:
                    row -= 1
                self.beginRemoveRows(QModelIndex(), row + 1, last)
                del self._ids[row + 1:last + 1]
                self._reindex()
                self.endRemoveRows()
            return False
        if small and len(new) > len(old) and self._is_subsequence(old, new):
            have = set(old)
            row = 0
            while row < len(new):
                if new[row] in have:
                    row += 1
                    continue
                first = row
                while row < len(new) and new[row] not in have:
                    row += 1
                self.beginInsertRows(QModelIndex(), first, row - 1)
                self._ids[first:first] = new[first:row]
                self._reindex()
                self.endInsertRows()
            return False
        self.beginResetModel()
        self._ids = new
        self._reindex()
        self.endResetModel()
        return True

    @staticmethod
    def _is_subsequence(short: list[int], long: list[int]) -> bool:
        iterator = iter(long)
        return all(item in iterator for item in short)

    def _reindex(self) -> None:
        self._row_of = {film_id: row for row, film_id in enumerate(self._ids)}

    def refresh(self, film_ids: Sequence[int] | set[int]) -> None:
        """Re-read the rows of these films (those shown) and repaint only them."""
        last_column = self.columnCount() - 1
        for film_id in film_ids:
            self._cache.pop(film_id, None)
            row = self._row_of.get(film_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))

    def invalidate(self) -> None:
        """Forget every cached row (e.g. the programmer changed: "my rating" differs everywhere)."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def cached_row(self, film_id: int) -> FilmRow | None:
        entry = self._cache.get(film_id)
        return entry[0] if entry is not None else None

    def film_row(self, row: int) -> FilmRow | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def _entry(self, row: int) -> tuple[FilmRow, tuple[str, ...]] | None:
        film_id = self._ids[row]
        found = self._cache.get(film_id)
        if found is None:
            self._fetch_block(row)
            found = self._cache.get(film_id)
        return found

    def _fetch_block(self, row: int) -> None:
        start = max(0, row - self.BLOCK // 8)  # mostly ahead: views paint and scroll downwards
        wanted = [film_id for film_id in self._ids[start:start + self.BLOCK] if film_id not in self._cache]
        self.add_rows(self._fetch_rows(wanted))

    def add_rows(self, rows: dict[int, FilmRow]) -> None:
        """Cache rows read elsewhere (e.g. with the ids, on the worker), current as of now."""
        # Forget the longest-cached rows beyond CACHE_LIMIT (clearing all would re-read those on screen).
        excess = len(self._cache) + len(rows) - self.CACHE_LIMIT
        if excess > 0:
            for film_id in list(itertools.islice(self._cache, excess)):
                del self._cache[film_id]
        self._cache.update((film_id, (row, tuple(column.text(row) for column in COLUMNS)))
                           for film_id, row in rows.items())

    # --- Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        # The painting hot path: roles nobody answers (font, background, check state) leave first,
        # and an invalid index fails the row check (its row is -1) without a call into Qt.
        if role not in _ANSWERED_ROLES:
            return None
        row_number = index.row()
        ids = self._ids
        if not 0 <= row_number < len(ids):
            return None
        if role == FILM_ID_ROLE:
            return ids[row_number]
        column_number = index.column()
        column = COLUMNS[column_number]
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column.numeric]
        entry = self._cache.get(ids[row_number]) or self._entry(row_number)
        if entry is None:
            return None
        row, texts = entry
        if role == _DISPLAY or role == _ACCESSIBLE_TEXT:
            return texts[column_number]
        if role == _DECORATION:
            return status_icon(row.status) if column.key == "status" else None
        if role == _FOREGROUND:
            return status_colour(row.status) if column.key == "status" else None
        if column.key == "title":  # tooltip
            return "\n".join(part for part in (row.title, row.original_title, ", ".join(row.directors)) if part)
        if column.key == "mean" and row.ratings_count:
            return count_text("FilmTableModel", row.ratings_count, "1 rating", "%n ratings")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return column_title(COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                flag = Qt.AlignmentFlag.AlignRight if COLUMNS[section].numeric else Qt.AlignmentFlag.AlignLeft
                return int(flag | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.sort_requested.emit(COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)


class FilmTableView(QTableView):
    """The table widget: fixed row height, whole-row multi-selection, user-chosen columns (header
    context menu), keys 1–5 to rate the selected films and 0 or Backspace to clear my rating
    (`rate_requested`, 0 meaning clear)."""

    rate_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filmTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.setCornerButtonEnabled(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        # Fixed heights: the view never measures rows (resizeRowsToContents takes 31 s at 100k).
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def setModel(self, model) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        header = self.horizontalHeader()
        for number, column in enumerate(COLUMNS):
            header.resizeSection(number, column.width)
            header.setSectionHidden(number, not column.visible_by_default)

    def visible_columns(self) -> list[str]:
        """The keys of the shown columns in their on-screen order."""
        header = self.horizontalHeader()
        return [COLUMNS[header.logicalIndex(visual)].key for visual in range(header.count())
                if not header.isSectionHidden(header.logicalIndex(visual))]

    def set_column_visible(self, key: str, visible: bool) -> None:
        self.horizontalHeader().setSectionHidden(COLUMN_KEYS.index(key), not visible)

    def _column_menu(self, position) -> None:
        menu = self.column_menu(self)
        menu.exec(self.horizontalHeader().mapToGlobal(position))

    def column_menu(self, parent: QWidget) -> QMenu:
        """A menu of checkable column names (the title column always stays)."""
        menu = QMenu(self.tr("Columns"), parent)
        header = self.horizontalHeader()
        for number, column in enumerate(COLUMNS):
            action = menu.addAction(column_title(column))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(number))
            action.setEnabled(column.key != "title")
            action.toggled.connect(lambda shown, key=column.key: self.set_column_visible(key, shown))
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.NoModifier and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_5:
            self.rate_requested.emit(event.key() - Qt.Key.Key_0)
            event.accept()
            return
        if modifiers == Qt.KeyboardModifier.NoModifier and event.key() == Qt.Key.Key_Backspace:
            self.rate_requested.emit(0)
            event.accept()
            return
        super().keyPressEvent(event)
