"""A list of films (one area's view of the festival): the query, the table and its selection.

Id queries run on the task runner, one at a time per list: a query asked for while another is
still running waits, and only the latest one waiting runs when it ends (typing "documentary"
fast runs two or three queries, not eleven queued one behind the other); only the latest answer is
shown. Rows are read on demand by the model. `reloaded` is emitted whenever a new
id list is on screen (tests and the status bar use it).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from festival_desk.gui.film_query import FilmQuery, film_ids, film_rows
from festival_desk.gui.film_table import COLUMN_KEYS, FilmTableModel, FilmTableView
from festival_desk.gui.tasks import TaskRunner

if TYPE_CHECKING:  # the database stack loads on the worker, after the window shows
    from festival_desk.gui.film_table import RowFetcher
    from festival_desk.store.db import Database
    from festival_desk.store.film_rows import FilmRow


class FilmList(QWidget):
    """Signals: `current_film_changed(int)` (-1 when none), `selection_changed()`, `reloaded()`."""

    current_film_changed = Signal(int)
    selection_changed = Signal()
    reloaded = Signal()
    empty_state_action = Signal()  # the "Clear search" link of an empty list

    def __init__(self, runner: TaskRunner, query: FilmQuery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._database: Database | None = None
        self._programmer_id: int | None = None
        self._query = query
        self._generation = 0
        self._in_flight = False
        self._waiting: Callable[[], None] | None = None  # the newest reload asked for meanwhile
        self._preview: RowFetcher | None = None  # rows read before the database opened (show_preview)
        self._blind = False
        self.model = FilmTableModel(self._fetch_rows, self)
        self.view = FilmTableView(self)
        self.view.setModel(self.model)
        self.model.sort_requested.connect(self._sort)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.empty_state = QLabel(self.view.viewport())
        self.empty_state.setObjectName("emptyState")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.empty_state.setTextFormat(Qt.TextFormat.RichText)
        self.empty_state.linkActivated.connect(lambda _link: self.empty_state_action.emit())
        self.empty_state.hide()
        self.area_name = ""  # "shortlisted" in "No shortlisted film matches …"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    # --- data source -------------------------------------------------------------------------------

    def _fetch_rows(self, ids):
        if self._database is None:
            return self._preview(ids) if self._preview is not None else {}
        return film_rows(self._database, ids, self._programmer_id, blind=self._blind)

    def set_database(self, database: Database | None, programmer_id: int | None, *, load: bool = True) -> None:
        """Show the films of `database` (loaded now, or at the next `reload` when `load` is False).

        A preview of the same films (`show_preview`) stays on screen, scroll position and selection
        included, while the list re-reads them from `database`."""
        kept = self._preview is not None and database is not None
        self._preview = None
        self._database = database
        self._programmer_id = programmer_id
        self._generation += 1
        if not kept:
            self.model.set_ids([])
        self.model.invalidate()
        if load:
            self.reload()

    def show_preview(self, ids: list[int], first_rows: dict[int, FilmRow], fetch_rows: RowFetcher) -> None:
        """Show `ids` (this list's query, read before its database is open) with rows from
        `fetch_rows`, until `set_database` hands over to the database."""
        self._preview = fetch_rows
        self.model.add_rows(first_rows)
        self._show_ids(ids)
        self.reloaded.emit()

    def call_after_paint(self, callback: Callable[[], None], timeout_ms: int = 300) -> None:
        """Call `callback` once, when the table's next paint has ended (or after `timeout_ms`
        when nothing is painted, e.g. in a minimised window)."""
        viewport = self.view.viewport()
        called = False

        def call() -> None:
            nonlocal called
            if not called:
                called = True
                viewport.removeEventFilter(watcher)
                watcher.deleteLater()
                callback()

        class PaintWatcher(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, self, call)  # runs once this paint is over
                return False

        watcher = PaintWatcher(self)
        viewport.installEventFilter(watcher)
        QTimer.singleShot(timeout_ms, watcher, call)

    @property
    def database(self) -> Database | None:
        return self._database

    def set_programmer(self, programmer_id: int | None) -> None:
        self._programmer_id = programmer_id
        self.model.invalidate()

    def set_blind(self, blind: bool) -> None:
        """Blind mode: no mean or spread of a film I have not rated yet."""
        if blind != self._blind:
            self._blind = blind
            self.model.invalidate()

    @property
    def query(self) -> FilmQuery:
        return self._query

    def set_query(self, query: FilmQuery) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def set_search_text(self, text: str, on_loaded: Callable[[], None] | None = None) -> None:
        query = dataclasses.replace(self._query, text=text)
        if query != self._query:
            self._query = query
            self.reload(on_loaded)

    def _show_empty_state(self) -> None:
        """Say why the list is empty (a search or the area's status), with a way out."""
        if self.model.rowCount() or self._database is None:
            self.empty_state.hide()
            return
        films = self.tr("%1 film").replace("%1", self.area_name) if self.area_name else self.tr("film")
        if self._query.text:
            text = self.tr("No %1 matches ‘%2’ — <a href='clear'>Clear search</a>") \
                .replace("%1", html.escape(films)).replace("%2", html.escape(self._query.text))
        else:
            text = self.tr("No %1 yet.").replace("%1", html.escape(films))
        self.empty_state.setText(text)
        self.empty_state.setGeometry(self.view.viewport().rect().adjusted(16, 16, -16, -16))
        self.empty_state.show()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.empty_state.isVisible():
            self.empty_state.setGeometry(self.view.viewport().rect().adjusted(16, 16, -16, -16))

    def _sort(self, key: str, descending: bool) -> None:
        self.set_query(dataclasses.replace(self._query, sort=key, descending=descending))

    def reload(self, on_loaded: Callable[[], None] | None = None) -> None:
        """Re-query the ids; the table keeps its selection and scroll position where it can."""
        if self._database is None:
            return
        self._generation += 1
        if self._in_flight:
            self._waiting = lambda: self.reload(on_loaded)
            return
        generation, database, query, me = self._generation, self._database, self._query, self._programmer_id
        blind = self._blind

        def query_with_first_rows() -> tuple[list[int], dict]:
            # The first rows come with the ids: the GUI thread paints them without a query.
            ids = film_ids(database, query, me)
            return ids, film_rows(database, ids[:self.model.BLOCK], me, blind=blind)

        def shown(result: tuple[list[int], dict]) -> None:
            finished()
            if generation != self._generation or database is not self._database:
                return  # a newer query (or another database) took over
            ids, first_rows = result
            if me == self._programmer_id and blind == self._blind:  # else they show someone else's view
                self.model.add_rows(first_rows)
            self._show_ids(ids)
            self._show_empty_state()
            if on_loaded is not None:
                on_loaded()
            self.reloaded.emit()

        def failed(message: str) -> None:
            finished()
            if generation == self._generation:  # a superseded query's failure concerns no one
                self._runner.failed.emit(task, message, "")

        def finished() -> None:
            self._in_flight = False
            waiting, self._waiting = self._waiting, None
            if waiting is not None:
                waiting()

        self._in_flight = True
        task = self._runner.submit(query_with_first_rows, shown, failed,
                                   title=self.tr("Finding films"))

    def _show_ids(self, ids: list[int]) -> None:
        selected = self.selected_film_ids()
        current = self.current_film_id()
        top = self.view.indexAt(self.view.viewport().rect().topLeft())
        top_id = self.model.film_id(top.row()) if top.isValid() else None
        if not self.model.set_ids(ids):
            return
        # After a reset (not a pure removal/insertion) put selection and scroll back by film id.
        if top_id is not None and self.model.row_of(top_id) is not None:
            top_row = self.model.row_of(top_id)
            self.view.scrollTo(self.model.index(top_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        self.select_films(selected, current=current)

    # --- selection -------------------------------------------------------------------------------

    def current_film_id(self) -> int | None:
        index = self.view.selectionModel().currentIndex()
        return self.model.film_id(index.row()) if index.isValid() else None

    def selected_film_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.film_id(row) for row in rows]

    def select_films(self, film_ids: Iterable[int], *, current: int | None = None) -> None:
        """Select these films (those in the list) and make `current` the current one."""
        rows = sorted(row for row in (self.model.row_of(film_id) for film_id in film_ids) if row is not None)
        selection = QItemSelection()
        last_column = self.model.columnCount() - 1
        start = previous = None
        for row in rows + [None]:
            if start is not None and (row is None or row != previous + 1):
                selection.select(self.model.index(start, 0), self.model.index(previous, last_column))
                start = None
            if row is not None and start is None:
                start = row
            previous = row
        selection_model = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        if current is not None and self.model.row_of(current) is not None:
            selection_model.setCurrentIndex(self.model.index(self.model.row_of(current), 0), flags.NoUpdate)
        selection_model.select(selection, flags.ClearAndSelect)

    def _current_row_changed(self, current, _previous) -> None:
        self.current_film_changed.emit(self.model.film_id(current.row()) if current.isValid() else -1)

    # --- state -------------------------------------------------------------------------------------

    def header_state(self) -> bytes:
        return bytes(self.view.horizontalHeader().saveState().data())

    def restore_header_state(self, state: bytes | None) -> None:
        header = self.view.horizontalHeader()
        if state and header.restoreState(state) and header.count() != len(COLUMN_KEYS):
            header.reset()
