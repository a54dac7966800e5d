"""The main window: navigation between areas, the film lists with their film page, search,
toolbar, menus, status bar, undo/redo, and what is remembered between runs."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from festival_desk import version
from festival_desk.actions.changes import Change
from festival_desk.core.workflow import Status, allowed_targets
from festival_desk.gui.areas import AREAS, Area, hosted_factory, placeholder_page
from festival_desk.gui import roles
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.festival_files import choose_festival_file, choose_new_festival_file
from festival_desk.gui.film_list import FilmList
from festival_desk.gui.plurals import count_text
from festival_desk.gui.film_page import FilmPage
from festival_desk.gui.film_query import FilmQuery
from festival_desk.gui.icons import icon
from festival_desk.gui.settings import DeskSettings
from festival_desk.gui.status_style import status_icon, status_label
from festival_desk.gui.tasks import Task
from festival_desk.gui.theme import apply_theme


# Ctrl+Shift and the status's letter, for every move.
MOVE_SHORTCUTS = {
    Status.SUBMITTED.value: "Ctrl+Shift+U",
    Status.IN_REVIEW.value: "Ctrl+Shift+R",
    Status.SHORTLISTED.value: "Ctrl+Shift+S",
    Status.SELECTED.value: "Ctrl+Shift+E",
    Status.CONFIRMED.value: "Ctrl+Shift+C",
    Status.DECLINED.value: "Ctrl+Shift+D",
    Status.WITHDRAWN.value: "Ctrl+Shift+W",
}
# The film table's columns changed order with the triage columns first: older saved layouts
# (under "columns/") would put titles under the wrong headings, so layouts are kept under a new key.
COLUMNS_STATE = "columns-v2"
SAVE_ON_CLOSE_MS = 15000


def _programming():
    """actions.programming, imported on first use on the worker: it loads the database stack and
    ReportLab, which the window must not wait for at start-up."""
    from festival_desk.actions import programming

    return programming


def _film_reviews_panel(context: DeskContext, parent: QWidget) -> QWidget | None:
    """The film page's Reviews tab, from gui.reviews when that part is there (None: not yet)."""
    factory = hosted_factory("festival_desk.gui.reviews", "film_reviews_panel")
    return factory(context, parent) if factory is not None else None


class FilmArea(QSplitter):
    """A film list with the film page of the current film beside it (and, for Submissions, the
    import/export panel before it).

    The Submissions panel's module loads python-docx, ReportLab and openpyxl (half a second): an
    empty stand-in holds its place until the list first shows its rows, then `build_side_panel`
    puts the panel there, keeping the splitter's sizes."""

    def __init__(self, area: Area, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.area = area
        self.context = context
        self.setObjectName(f"area-{area.key}")
        self.setChildrenCollapsible(False)
        self.list = FilmList(context.runner, FilmQuery(statuses=area.statuses or ()), self)
        self.list.setObjectName(f"list-{area.key}")
        self.list.area_name = {"shortlist": self.tr("shortlisted"), "selection": self.tr("selected")}.get(area.key, "")
        self.page = FilmPage(context, self, reviews_panel=_film_reviews_panel)
        self.side_panel: QWidget | None = None
        if area.key == "submissions":
            self.addWidget(QWidget(self))
            self.list.reloaded.connect(self._rows_shown)
        self.addWidget(self.list)
        self.addWidget(self.page)
        self.setStretchFactor(self.count() - 2, 3)
        self.setStretchFactor(self.count() - 1, 2)
        # At 1280×800 the list's triage columns fit beside a film page of about 390 px.
        self.setSizes([740, 400] if self.count() == 2 else [150, 600, 390])
        self.list.current_film_changed.connect(self.page.show_film)
        # The page keeps its film when its edits could not be saved: select that film again.
        self.page.stayed.connect(lambda film_id: self.list.select_films([film_id], current=film_id))
        self.list.empty_state_action.connect(self._empty_state_action)
        self.stale = True

    def set_page_shown(self, shown: bool) -> None:
        """Show or fold away the film page (the list then takes the whole width)."""
        self.page.setVisible(shown)

    def _empty_state_action(self) -> None:
        window = self.window()
        if hasattr(window, "clear_search"):
            window.clear_search()

    def _rows_shown(self) -> None:
        if self.list.database is None:
            return  # a preview before the database opens: the worker is loading the same modules
        self.list.reloaded.disconnect(self._rows_shown)
        # The rows reach the screen first; the panel's imports hold the GUI thread a moment after.
        self.list.view.viewport().repaint()
        QTimer.singleShot(0, self.build_side_panel)

    def build_side_panel(self) -> QWidget | None:
        """The Submissions panel in place of its stand-in (built once; None while that part has
        not landed or in the other areas)."""
        if self.side_panel is None and self.area.key == "submissions":
            factory = hosted_factory("festival_desk.gui.submissions", "submissions_panel")
            if factory is not None:
                # Made without a parent: the splitter refuses to put one of its children in place.
                self.side_panel = factory(self.context, None)
                self.replaceWidget(0, self.side_panel).deleteLater()
        return self.side_panel


class MainWindow(QMainWindow):
    """Signals: `database_opened(str)` with the database's label."""

    database_opened = Signal(str)

    def __init__(self, context: DeskContext, settings: DeskSettings,
                 open_database: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.context = context
        self.settings = settings
        self._open_database = open_database
        self.setWindowTitle(self.tr("Festival Desk"))
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.film_areas: dict[str, FilmArea] = {}
        self.area_pages: dict[str, QWidget] = {}
        self._unbuilt_areas = {area.key for area in AREAS if not area.is_film_list}

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setSpacing(2)
        self.navigation.setMinimumWidth(128)
        self.stack = QStackedWidget(self)
        for area in AREAS:
            item = QListWidgetItem(icon(area.icon), area.label())
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setSizeHint(QSize(128, 34))
            self.navigation.addItem(item)
            # Hosted areas (reviews, schedule, print) are built the first time they are shown:
            # their modules and first reads cost about two seconds that start-up must not wait for.
            page = self._area_page(area) if area.is_film_list else QWidget(self)
            self.area_pages[area.key] = page
            self.stack.addWidget(page)
        self.navigation.currentRowChanged.connect(self._area_chosen)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.setObjectName("bodySplitter")
        body.addWidget(self.navigation)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 1)
        body.setSizes([140, 1140])
        body.setChildrenCollapsible(False)
        self.setCentralWidget(body)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        # Assignments, the spread over the committee, meeting mode, the facts filter (gui.committee_menu).
        from festival_desk.gui.committee_menu import install_committee_menu

        self.committee_menu = install_committee_menu(self)

        context.changed.connect(self.apply_change)
        context.undo.changed.connect(self._update_undo_actions)
        context.runner.failed.connect(self._show_failure)
        context.runner.busy_changed.connect(self._busy_changed)
        context.runner.progressed.connect(self._progressed)
        context.database_changed.connect(self._database_changed)
        context.programmer_changed.connect(self._programmer_changed)
        context.programmer_unknown.connect(self.ask_to_add_programmer)
        for film_area in self.film_areas.values():
            film_area.list.reloaded.connect(self._update_count)
            film_area.list.selection_changed.connect(self._update_film_actions)
            film_area.list.view.rate_requested.connect(self.rate_selected)
            film_area.list.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            film_area.list.view.customContextMenuRequested.connect(
                lambda position, view=film_area.list.view: self._film_menu().exec(view.viewport().mapToGlobal(position)))
        self.navigation.setCurrentRow(0)
        self._restore_state()
        self._update_undo_actions()
        self._update_film_actions()

    # --- building ------------------------------------------------------------------------------

    def _build_area(self, row: int) -> None:
        """Put the real page of the area at `row` in place of its empty stand-in (once)."""
        area = AREAS[row]
        if area.key not in self._unbuilt_areas:
            return
        self._unbuilt_areas.discard(area.key)
        stand_in = self.area_pages[area.key]
        page = self._area_page(area)
        self.area_pages[area.key] = page
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()

    def _area_page(self, area: Area) -> QWidget:
        if area.is_film_list:
            film_area = FilmArea(area, self.context, self)
            self.film_areas[area.key] = film_area
            return film_area
        factory = hosted_factory(area.module, area.factory) if area.module and area.factory else None
        if factory is None:
            return placeholder_page(area, self)
        page = factory(self.context, self)
        page.setObjectName(page.objectName() or f"area-{area.key}")
        if hasattr(page, "open_film_requested"):
            page.open_film_requested.connect(self.open_film)
        if hasattr(page, "film_chosen"):  # a page with a film of its own (My queue): Rate acts on it
            page.film_chosen.connect(lambda _film_id: self._update_film_actions())
        if hasattr(page, "rate_requested"):
            page.rate_requested.connect(self.rate_selected)
        return page

    def _action(self, text: str, slot: Callable, shortcut=None, icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New Database…"), self.new_database, QKeySequence.StandardKey.New,
                                       "database")
        self.open_action = self._action(self.tr("&Open Database…"), self.open_database_file,
                                        QKeySequence.StandardKey.Open, "database")
        self.open_url_action = self._action(self.tr("Open &PostgreSQL Database…"), self.open_database_url)
        self.import_action = self._action(self.tr("&Import…"), self.import_files, "Ctrl+I", "import")
        self.export_action = self._action(self.tr("&Export…"), self.export_list, "Ctrl+E", "export")
        self.print_action = self._action(self.tr("&Print…"), self.print_current_area,
                                         QKeySequence.StandardKey.Print, "print")
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self._action(self.tr("Undo"), self.context.undo.undo, QKeySequence.StandardKey.Undo, "undo")
        self.redo_action = self._action(self.tr("Redo"), self.context.undo.redo, QKeySequence.StandardKey.Redo, "redo")
        self.find_action = self._action(self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find, "search")
        self.preferences_action = self._action(self.tr("Pr&eferences…"), self.show_preferences,
                                               QKeySequence.StandardKey.Preferences)
        if self.preferences_action.shortcut().isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = self._action(self.tr("&About Festival Desk"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.move_actions: dict[str, QAction] = {}
        for status in Status:
            action = self._action(self.tr("Move to %1").replace("%1", status_label(status.value)),
                                  lambda value=status.value: self.move_selected(value))
            action.setIcon(status_icon(status.value))
            self.move_actions[status.value] = action
        for status, keys in MOVE_SHORTCUTS.items():
            self.move_actions[status].setShortcut(QKeySequence(keys))
        self.rate_actions = [self._action(self.tr("Rate %1").replace("%1", str(score)) + "  " + "★" * score,
                                          lambda value=score: self.rate_selected(value), str(score))
                             for score in range(1, 6)]
        self.clear_rating_action = self._action(self.tr("Clear My Rating"), lambda: self.rate_selected(0), "0")
        for action in [*self.rate_actions, self.clear_rating_action]:
            # The keys act in the film list (and the rating control), not while typing elsewhere.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.undo_action.setIconText(self.tr("Undo"))
        self.redo_action.setIconText(self.tr("Redo"))
        self.undo_action.setProperty("shortcut_label", self.tr("Undo the last action"))
        self.redo_action.setProperty("shortcut_label", self.tr("Redo what was undone"))
        self.blind_action = self._action(self.tr("&Blind Mode"), self._blind_toggled, "Ctrl+Shift+B")
        self.blind_action.setCheckable(True)
        self.blind_action.setChecked(self.settings.blind)
        self.blind_action.setToolTip(self.tr("Hide colleagues' ratings and notes of a film until I have rated it"))
        self.page_action = self._action(self.tr("Film &Page"), self._page_toggled, "Ctrl+Shift+P")
        self.page_action.setCheckable(True)
        self.page_action.setChecked(self.settings.film_page_shown)
        self.shortcuts_action = self._action(self.tr("&Keyboard Shortcuts"), self.show_shortcuts, "F1")
        self.getting_started_action = self._action(self.tr("&Getting Started"), self.show_getting_started)
        self.area_actions = []
        for number, area in enumerate(AREAS, start=1):
            action = self._action(area.label(), lambda key=area.key: self.show_area(key), f"Ctrl+{number}", area.icon)
            self.area_actions.append(action)
        self.addActions([self.undo_action, self.redo_action, self.find_action, *self.area_actions,
                         *self.move_actions.values(), self.blind_action, self.page_action, self.shortcuts_action])

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        self.move_button = QToolButton(self)
        self.move_button.setText(self.tr("Move to"))
        self.move_button.setIcon(icon("move"))
        self.move_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(self.tr("&Move to"), self)
        self.move_menu.addActions(list(self.move_actions.values()))
        self.move_button.setMenu(self.move_menu)
        toolbar.addWidget(self.move_button)
        self.rate_button = QToolButton(self)
        self.rate_button.setText(self.tr("Rate"))
        self.rate_button.setIcon(icon("rate"))
        self.rate_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.rate_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.rate_menu = QMenu(self.tr("&Rate"), self)
        self.rate_menu.addActions(self.rate_actions)
        self.rate_button.setMenu(self.rate_menu)
        toolbar.addWidget(self.rate_button)
        toolbar.addSeparator()
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.print_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(self.tr("Search titles, directors… (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setMinimumWidth(300)
        self.search_box.textChanged.connect(self.search)
        self.search_box.installEventFilter(self)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action, self.open_url_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self._action(self.tr("Open the &Demo Festival"), self.open_demo))
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_action, self.print_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self._action(self.tr("Select &All Films"), self.select_all_films,
                                         QKeySequence("Ctrl+Shift+A")))
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        films_menu = bar.addMenu(self.tr("F&ilms"))
        films_menu.addMenu(self.move_menu)
        films_menu.addMenu(self.rate_menu)
        self.rate_menu.addSeparator()
        self.rate_menu.addAction(self.clear_rating_action)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(self.area_actions)
        view_menu.addSeparator()
        view_menu.addAction(self.page_action)
        view_menu.addAction(self.blind_action)
        view_menu.addSeparator()
        self.columns_menu = view_menu.addMenu(self.tr("&Columns"))
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        theme_menu = view_menu.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        for value, text in (("system", self.tr("Follow the &System")), ("light", self.tr("&Light")),
                            ("dark", self.tr("&Dark"))):
            action = theme_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(self.settings.theme == value)
            action.triggered.connect(lambda _checked=False, choice=value: self.set_theme(choice))
            group.addAction(action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.getting_started_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseLabel")
        self.programmer_label = QLabel(self)
        self.programmer_label.setObjectName("programmerLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.job_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.context.runner.cancel_all)
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.hide()
        for widget in (self.job_label, self.progress, self.cancel_button, self.count_label,
                       self.programmer_label, self.database_label):
            bar.addPermanentWidget(widget)

    # --- areas and search ------------------------------------------------------------------------

    def current_area(self) -> Area:
        return AREAS[max(0, self.navigation.currentRow())]

    def current_film_area(self) -> FilmArea | None:
        return self.film_areas.get(self.current_area().key)

    def show_area(self, key: str) -> None:
        for row, area in enumerate(AREAS):
            if area.key == key:
                self.navigation.setCurrentRow(row)

    def _area_chosen(self, row: int) -> None:
        if row < 0:
            return
        previous = self.stack.currentWidget()
        if isinstance(previous, FilmArea):
            previous.page.leave()  # saved in the background; an invalid field stays on that page
        self._build_area(row)
        self.stack.setCurrentIndex(row)
        film_area = self.current_film_area()
        if film_area is not None:
            text = self.search_box.text()
            if film_area.list.query.text != text:
                film_area.list.set_search_text(text)
            elif film_area.stale:
                film_area.list.reload()
            film_area.stale = False
        self._update_count()
        self._update_film_actions()
        reason = roles.area_refusal(self.context, self.current_area().key)
        if reason:
            self.statusBar().showMessage(reason, 15000)
        self.search_box.setPlaceholderText(self.tr("Search %1… (Ctrl+F)").replace("%1", self.current_area().label()))

    def print_current_area(self) -> None:
        """Print: an area that prints something of its own (the Schedule's day sheets) does; from
        anywhere else, the Print area."""
        page = self.area_pages.get(self.current_area().key)
        print_area = getattr(page, "print_area", None)
        if callable(print_area):
            print_area()
        else:
            self.show_area("print")

    def open_film(self, film_id: int) -> None:
        """Show a film's page in the Selection area (asked for by another area, e.g. the Schedule)."""
        self.show_area("selection")
        area = self.film_areas["selection"]
        area.page.show_film(film_id)
        area.list.reload(on_loaded=lambda: area.list.select_films([film_id], current=film_id))

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        """Show the films matching `text` in the current film list (Submissions when elsewhere).
        The box is one for the whole desk: the film areas all show the query it holds."""
        if self.current_film_area() is None:
            self.show_area("submissions")
        film_area = self.current_film_area()
        if film_area is not None:
            film_area.stale = False
            film_area.list.set_search_text(text, on_loaded=self._select_single_hit)

    def _select_single_hit(self) -> None:
        """One film found: select it, so that 1–5 rate it and its page shows."""
        film_area = self.current_film_area()
        if film_area is not None and film_area.list.model.rowCount() == 1 and film_area.list.query.text:
            only = film_area.list.model.film_id(0)
            if film_area.list.selected_film_ids() != [only]:
                film_area.list.select_films([only], current=only)

    def clear_search(self) -> None:
        self.search_box.clear()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """In the search box: Esc clears it; Down or Enter moves to the list (to rate and move)."""
        from PySide6.QtCore import QEvent

        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                film_area = self.current_film_area()
                if film_area is not None and film_area.list.model.rowCount():
                    film_area.list.view.setFocus()
                    if not film_area.list.selected_film_ids():
                        first = film_area.list.model.film_id(0)
                        film_area.list.select_films([first], current=first)
                    return True
        return super().eventFilter(watched, event)

    def select_all_films(self) -> None:
        film_area = self.current_film_area()
        if film_area is not None:
            film_area.list.view.setFocus()
            film_area.list.view.selectAll()

    def _update_count(self) -> None:
        film_area = self.current_film_area()
        if film_area is None:
            self.count_label.clear()
            return
        count = film_area.list.model.rowCount()
        self.count_label.setText(count_text("MainWindow", count, "1 film", "%n films"))

    # --- database and programmer -----------------------------------------------------------------

    def _database_changed(self) -> None:
        database = self.context.database
        self.database_label.setText(self.tr("Database: %1").replace("%1", database.label) if database else
                                    self.tr("No database"))
        self.database_label.setToolTip(database.label if database else "")
        for film_area in self.film_areas.values():
            shown = film_area is self.current_film_area()
            # Hidden lists load when their area is first shown.
            film_area.list.set_database(database, self.context.programmer_id, load=shown)
            film_area.stale = not shown
            # A list handed over from its preview keeps its current film: show its page now.
            film_area.page.show_film(film_area.list.current_film_id() if database is not None else None)
        if database is not None:
            self.database_opened.emit(database.label)

    def _programmer_changed(self) -> None:
        name = self.context.programmer_name
        if name:
            self.settings.programmer = name  # as the committee spells it
        self.programmer_label.setText(self.tr("Programmer: %1").replace("%1", name) if name else
                                      self.tr("No programmer chosen"))
        for film_area in self.film_areas.values():
            film_area.list.set_programmer(self.context.programmer_id)
        self._update_film_actions()

    # --- actions on films ------------------------------------------------------------------------

    def selected_film_ids(self) -> list[int]:
        """The films Move to and Rate act on: the film list's selection, or the film an area of
        its own shows (My queue)."""
        film_area = self.current_film_area()
        if film_area is not None:
            return film_area.list.selected_film_ids()
        shown = self.current_film_id()
        return [shown] if shown is not None else []

    def current_film_id(self) -> int | None:
        film_area = self.current_film_area()
        if film_area is not None:
            return film_area.list.current_film_id()
        page = self.area_pages.get(self.current_area().key)
        shown = getattr(page, "shown_film_id", None)
        return shown() if callable(shown) else None

    def _update_film_actions(self) -> None:
        """Move to and Rate act on the selected films: enabled exactly when films are selected
        (and someone is at the desk)."""
        selected = bool(self.selected_film_ids())
        someone = self.context.programmer_name is not None
        for action in [*self.move_actions.values(), *self.rate_actions, self.clear_rating_action]:
            action.setEnabled(selected and someone)
        self.move_button.setEnabled(selected and someone)
        self.rate_button.setEnabled(selected and someone)
        self._apply_role()

    def _apply_role(self) -> None:
        """On a team database, what the signed-in login's role may not do is disabled, saying why."""
        statuses = self._selected_statuses()
        for status, action in self.move_actions.items():
            reason = roles.move_refusal(self.context, statuses, status)
            if reason:
                action.setEnabled(False)
            action.setToolTip(reason or action.text())
        reason = roles.rate_refusal(self.context)
        for action in [*self.rate_actions, self.clear_rating_action]:
            if reason:
                action.setEnabled(False)
            action.setToolTip(reason or action.text())
        self.rate_button.setToolTip(reason or "")
        if reason:
            self.rate_button.setEnabled(False)
        reason = roles.import_refusal(self.context)
        self.import_action.setEnabled(reason is None)
        self.import_action.setToolTip(reason or self.import_action.text())

    def _selected_statuses(self) -> set[str]:
        """The statuses of the selected films as this desk shows them."""
        film_area = self.current_film_area()
        statuses = set()
        if film_area is not None:
            for film_id in self.selected_film_ids():
                row = film_area.list.model.cached_row(film_id)
                if row is not None:
                    statuses.add(row.status)
        return statuses

    def _film_menu(self) -> QMenu:
        menu = QMenu(self)
        ids = self.selected_film_ids()
        film_area = self.current_film_area()
        statuses = set()
        if film_area is not None:
            for film_id in ids:
                row = film_area.list.model.cached_row(film_id)
                if row is not None:
                    statuses.add(row.status)
        targets = set.intersection(*(set(allowed_targets(s)) for s in statuses)) if statuses else set()
        targets = {target for target in targets if roles.move_refusal(self.context, statuses, target) is None}
        move = menu.addMenu(count_text("MainWindow", len(ids), "Move 1 film to", "Move %n films to"))
        for status, action in self.move_actions.items():
            if status in targets:
                move.addAction(action)
        move.setEnabled(bool(targets) and self.context.programmer_name is not None)
        menu.addMenu(self.rate_menu)
        menu.addAction(self.committee_menu.assign_action)
        return menu

    def rate_selected(self, score: int) -> None:
        """Rate the selected films `score` (1–5; 0 clears my rating) as the programmer at the
        desk, as one action."""
        ids = self.selected_film_ids()
        name = self.context.programmer_name
        if not ids or name is None:
            self.statusBar().showMessage(self.tr("Choose who you are (Preferences) and a film to rate it."), 4000)
            return
        self.context.perform(lambda database: _programming().rate_films(database, ids, name, score or None),
                             title=self.tr("Rating"))


    def move_selected(self, status: str) -> None:
        """Move the selected films to `status` as one action (one undo step)."""
        ids = self.selected_film_ids()
        name = self.context.programmer_name
        if not ids or name is None:
            return
        # Moved from the statuses this desk shows: a colleague's move in between is refused, named.
        film_area = self.current_film_area()
        seen = {film_id: row.status for film_id in ids
                if film_area is not None and (row := film_area.list.model.cached_row(film_id)) is not None}
        self.context.perform(lambda database: _programming().move_status(database, ids, status, name, expected=seen),
                             title=self.tr("Moving films"))

    def apply_change(self, change: Change) -> None:
        """Refresh what `change` names: the rows of its films; lists whose membership may have
        changed re-query (keeping scroll and selection); hidden lists just become stale. A change of
        everything (a colleague replaced the festival, a live desk that was out of touch) reloads
        every list."""
        if change.everything:
            for film_area in self.film_areas.values():
                film_area.list.model.invalidate()
                if film_area is self.current_film_area():
                    film_area.list.reload()
                else:
                    film_area.stale = True
            if change.description:
                self.statusBar().showMessage(change.description, 5000)
            return
        touched = change.films | change.films_added | change.films_removed
        if not touched:
            return
        for film_area in self.film_areas.values():
            film_area.list.model.refresh(change.films)
            membership_may_change = change.row_set_changed or bool(film_area.list.query.statuses) \
                or "status" in change.details.get("fields", ())
            if film_area is self.current_film_area():
                if membership_may_change or film_area.list.query.sort != "title" or film_area.list.query.text:
                    film_area.list.reload()
            else:
                film_area.stale = True
        if change.description:
            self.statusBar().showMessage(change.description, 5000)

    def _update_undo_actions(self) -> None:
        """The Edit menu and the tooltips name the action ("Undo Move 3 films to Shortlisted");
        the toolbar keeps its short "Undo"/"Redo" so that it never jumps."""
        undo = self.context.undo
        for action, text, short, enabled in ((self.undo_action, undo.undo_text(), self.tr("Undo"), undo.can_undo),
                                             (self.redo_action, undo.redo_text(), self.tr("Redo"), undo.can_redo)):
            action.setText(text.replace("&", "&&"))  # a title's "&" is not a menu mnemonic
            action.setIconText(short)
            action.setToolTip(f"{text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            action.setEnabled(enabled)

    # --- background work feedback ----------------------------------------------------------------

    def _busy_changed(self, busy: bool) -> None:
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.setVisible(busy)
        if busy:
            tasks = self.context.runner.long_tasks
            self.job_label.setText(tasks[0].title if tasks else "")
            self.progress.setRange(0, 0)

    def _progressed(self, task: Task, done: int, total: int, message: str) -> None:
        self.job_label.setText(message or task.title)
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _show_failure(self, task: Task | None, message: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Festival Desk"), message, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("failureMessage")
        if task is not None and task.title:
            box.setText(self.tr("%1 failed.").replace("%1", task.title))
            box.setInformativeText(message)
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    # --- menus -----------------------------------------------------------------------------------

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for url in self.settings.recent_databases:
            self.recent_menu.addAction(url).triggered.connect(lambda _checked=False, value=url: self.switch_database(value))
        self.recent_menu.setEnabled(bool(self.settings.recent_databases))

    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        film_area = self.current_film_area() or self.film_areas["submissions"]
        for action in film_area.list.view.column_menu(self.columns_menu).actions():
            action.setParent(self.columns_menu)
            self.columns_menu.addAction(action)

    def switch_database(self, url: str, *, create: bool = False) -> None:
        """Open the festival `url` names; `create` makes a new festival file there."""
        if self._open_database is not None:
            self._open_database(url, create=create)

    def new_database(self) -> None:
        path = choose_new_festival_file(self, self.tr("New festival file"))
        if path:
            self.switch_database(path, create=True)

    def open_database_file(self) -> None:
        path = choose_festival_file(self, self.tr("Open a festival file"))
        if path:
            self.switch_database(path)

    def open_database_url(self) -> None:
        url, ok = QInputDialog.getText(self, self.tr("Open a PostgreSQL database"),
                                       self.tr("Database URL (postgresql://user@host/name):"))
        if ok and url.strip():
            self.switch_database(url.strip())

    def open_demo(self) -> None:
        self.switch_database("demo:")

    def import_files(self) -> None:
        importer = hosted_factory("festival_desk.gui.submissions", "import_dialog")
        if importer is None:
            QMessageBox.information(self, self.tr("Import"),
                                    self.tr("Importing submissions and reviews is not built into this version yet."))
            return
        importer(self.context, self).open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # Import after the drop has returned, so the dragging application is not held by a dialog.
            QTimer.singleShot(0, lambda: self.import_paths(paths))

    def import_paths(self, paths: list[Path]) -> None:
        """Import dropped files: review files (one opens the review dialog, several are imported
        as a background job); a .csv or .xlsx opens the import dialog on it; anything else is named as refused."""
        from festival_desk.gui.reviews import REVIEW_SUFFIXES, import_review_paths
        from festival_desk.gui.submissions import SPREADSHEET_SUFFIXES, import_dialog

        if self.context.database is None:
            return
        reviews = [path for path in paths if path.suffix.lower() in REVIEW_SUFFIXES]
        sheets = [path for path in paths if path.suffix.lower() in SPREADSHEET_SUFFIXES]
        refused = [path.name for path in paths if path not in reviews and path not in sheets]
        if refused:
            self.statusBar().showMessage(self.tr("Not imported (not a review or spreadsheet): %1")
                                         .replace("%1", ", ".join(refused)), 8000)
        if reviews:
            import_review_paths(self, self.context, reviews)
        if sheets:
            dialog = import_dialog(self.context, self)
            dialog.set_path(str(sheets[0]))
            dialog.open()

    def export_list(self) -> None:
        exporter = hosted_factory("festival_desk.gui.submissions", "export_dialog")
        film_area = self.current_film_area()
        if exporter is None or film_area is None:
            QMessageBox.information(self, self.tr("Export"),
                                    self.tr("Exporting lists is not built into this version yet."))
            return
        exporter(self.context, self, film_area.list.model.ids).open()

    def show_preferences(self) -> None:
        from festival_desk.gui.first_run import PreferencesDialog

        dialog = PreferencesDialog(self.context, self.settings, self)
        dialog.open()

    def ask_programmer(self) -> None:
        """Ask who is working (the desk was opened without a programmer); not blocking."""
        from festival_desk.gui.first_run import PreferencesDialog

        dialog = PreferencesDialog(self.context, self.settings, self, asking=True)
        dialog.open()
        dialog.name_combo.setFocus()

    def _blind_toggled(self) -> None:
        blind = self.blind_action.isChecked()
        self.settings.blind = blind
        for film_area in self.film_areas.values():
            film_area.list.set_blind(blind)
            film_area.page.opinions.blind = blind
            film_area.page.opinions.refresh()

    def _page_toggled(self) -> None:
        shown = self.page_action.isChecked()
        self.settings.film_page_shown = shown
        for film_area in self.film_areas.values():
            film_area.set_page_shown(shown)

    def show_shortcuts(self) -> None:
        from festival_desk.gui.help import ShortcutsDialog

        ShortcutsDialog(self).open()

    def show_getting_started(self) -> None:
        from festival_desk.gui.help import GettingStartedDialog

        GettingStartedDialog(self).open()

    def ask_to_add_programmer(self, name: str, nearest: list[str]) -> None:
        """`name` is not on the committee: add it, or take one of the nearest members' names."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Who is working?"),
                          self.tr("Add ‘%1’ to the committee?").replace("%1", name), parent=self)
        box.setObjectName("addProgrammer")
        box.setInformativeText(
            self.tr("‘%1’ is not on this festival's committee. Add a new member, or choose your name:")
            .replace("%1", name) if nearest else
            self.tr("‘%1’ is not on this festival's committee yet.").replace("%1", name))
        add = box.addButton(self.tr("Add ‘%1’").replace("%1", name), QMessageBox.ButtonRole.AcceptRole)
        members = {box.addButton(self.tr("I am %1").replace("%1", member), QMessageBox.ButtonRole.ActionRole): member
                   for member in nearest}
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(next(iter(members), add))

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked is add:
                self.context.perform(lambda database: _programming().add_programmer(database, name),
                                     lambda _change: self.context.take_programmer(name),
                                     title=self.tr("Adding a committee member"))
            elif clicked in members:
                self.settings.programmer = members[clicked]
                self.context.take_programmer(members[clicked])

        box.finished.connect(answered)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    def set_theme(self, choice: str) -> None:
        self.settings.theme = choice
        apply_theme(QApplication.instance(), choice)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Festival Desk"), self.tr(
            "<h3>Festival Desk %1</h3><p>Run a documentary festival's programming season: submissions, "
            "ratings, shortlists, reviews, the schedule and the printed programme.</p>"
            "<p>Database: %2</p>").replace("%1", html.escape(version())).replace(
                "%2", html.escape(self.context.database.label if self.context.database else "—")))

    # --- state -----------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry:
            self.restoreGeometry(geometry)
        window_state = self.settings.state("window")
        if window_state:
            self.restoreState(window_state)
        body = self.settings.state("splitter/body")
        if body:
            self.centralWidget().restoreState(body)
        for key, film_area in self.film_areas.items():
            splitter = self.settings.state(f"splitter/{key}")
            if splitter:
                film_area.restoreState(splitter)
            page_splitter = self.settings.state(f"splitter/{key}/page")
            if page_splitter:
                film_area.page.splitter.restoreState(page_splitter)
            film_area.page.opinions.set_open(self.settings.opinions_shown)
            film_area.list.restore_header_state(self.settings.state(f"{COLUMNS_STATE}/{key}"))
            film_area.set_page_shown(self.settings.film_page_shown)
            film_area.list.set_blind(self.settings.blind)
            film_area.page.opinions.blind = self.settings.blind

    def save_state(self) -> None:
        self.settings.set_state("geometry", bytes(self.saveGeometry().data()))
        self.settings.set_state("window", bytes(self.saveState().data()))
        self.settings.set_state("splitter/body", bytes(self.centralWidget().saveState().data()))
        for key, film_area in self.film_areas.items():
            self.settings.set_state(f"splitter/{key}", bytes(film_area.saveState().data()))
            self.settings.set_state(f"splitter/{key}/page", bytes(film_area.page.splitter.saveState().data()))
            self.settings.set_state(f"{COLUMNS_STATE}/{key}", film_area.list.header_state())
        self.settings.opinions_shown = self.film_areas["submissions"].page.opinions.is_open
        self.settings.sync()

    def save_pending_edits(self) -> bool:
        """Save every edit still on a film page (fields and my note) and wait until they are
        stored. False when a page has an invalid field: that page is shown with the field named."""
        for key, film_area in self.film_areas.items():
            if not film_area.page.leave():
                self.show_area(key)
                return False
        runner = self.context.runner
        deadline = QDeadlineTimer(SAVE_ON_CLOSE_MS)
        while not runner.idle and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.context.runner.closed and not self.save_pending_edits():
            event.ignore()
            return
        self.save_state()
        self.context.runner.shutdown()
        event.accept()
