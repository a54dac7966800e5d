"""Starting and ending the desk: `run_desk` is what `festival-desk` (no command) calls.

Start-up shows the window at once and opens the database on the worker (migrations, or creating
the demo festival on first use, never freeze the window). With no database remembered and none
given, a first-run dialog asks who is working and which database. Ending (closing the window or
Ctrl+Q) cancels any running job, waits for the workers, closes the database, and returns 0 with
nothing written to stderr.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QMessageLogContext, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from festival_desk.gui.desk import DeskContext
from festival_desk.gui.film_list import FilmList
from festival_desk.gui.film_query import FilmQuery
from festival_desk.gui.first_rows_probe import install_if_asked
from festival_desk.gui.first_run import DEMO, FirstRunDialog
from festival_desk.gui.gc_pacing import GarbagePacer
from festival_desk.gui.live import install as install_live_feed
from festival_desk.gui.main_window import MainWindow
from festival_desk.gui.roles import warn_about_the_database
from festival_desk.gui.settings import APPLICATION, ORGANIZATION, DeskSettings
from festival_desk.gui.theme import apply_theme, follow_system
from festival_desk.core.urls import asks_for_a_password, masked, with_password, without_password

if TYPE_CHECKING:
    from festival_desk.store.db import Database
    from festival_desk.store.film_rows import FilmRow
    from festival_desk.store.peek import SqlitePeek


@dataclass(frozen=True)
class _Opened:
    database: Database
    spec: str
    programmer_id: int | None
    needs_demo: bool


def _open(spec: str, programmer: str | None, remember_password: bool = False, create: bool = False) -> _Opened:
    """Open the database named by `spec`; runs on the worker thread. A festival file is created
    only when asked (`create`: New festival, the first run's new file) and for the demo; a missing
    file otherwise is an error naming it (a Recent entry whose file was moved never becomes an
    empty festival). A server database that holds none yet is set up, as opening it asks.

    The database stack (SQLAlchemy, the models, Alembic) is imported here, on the worker, rather
    than at start-up: the window shows first instead of waiting a second for these imports."""
    from festival_desk.actions.demo import has_festival_data
    from festival_desk.actions.programming import find_member
    from festival_desk.store.credentials import with_stored_password
    from festival_desk.store.db import demo_database_path, open_database, resolve_url

    is_demo = spec == DEMO
    # A server's password: the URL's own, the system keyring's, or libpq's PGPASSWORD / ~/.pgpass.
    target = str(demo_database_path()) if is_demo else with_stored_password(resolve_url(spec))
    database = open_database(target, create=create or is_demo or _sqlite_path(spec) is None)
    if remember_password and not is_demo and target.password:
        from festival_desk.store.credentials import remember_password as keep

        keep(target._replace(password=None), target.password)
    try:
        needs_demo = is_demo and not has_festival_data(database)
        identity = database.identity  # read here, on the worker: the window asks it without waiting
        if identity.is_team_member:
            # On a team database the programmer is the signed-in login, whatever name was remembered.
            found = identity.programmer_id
        else:
            # On a demo still to be written, the programmer is looked up once it is there (the name
            # may be one of the demo's committee).
            found = find_member(database, programmer)[0] if programmer and not needs_demo else None
    except BaseException:
        database.close()
        raise
    return _Opened(database, spec, found, needs_demo)


@dataclass(frozen=True)
class _Preview:
    peek: SqlitePeek
    programmer_id: int | None
    ids: list[int]
    first_rows: dict[int, FilmRow]


def _sqlite_path(spec: str) -> Path | None:
    """The file a database spec names, when it is a SQLite file."""
    if spec == DEMO:
        from festival_desk.store.locations import demo_database_path

        return demo_database_path()
    if spec.startswith("sqlite:///"):
        return Path(spec.removeprefix("sqlite:///"))
    return None if "://" in spec else Path(spec)


def _preview(spec: str, programmer: str | None, statuses: tuple[str, ...], first: int) -> _Preview | None:
    """The ids of the films with `statuses` (empty: all) in title order, and the first `first` rows,
    read with the standard library's sqlite3 (None when `spec` is not a current festival file); runs
    on the worker thread in some 30 ms."""
    from festival_desk.store.peek import peek_sqlite

    path = _sqlite_path(spec)
    peek = peek_sqlite(path) if path is not None else None
    if peek is None:
        return None
    try:
        found = peek.programmer_id(programmer)
        ids = peek.film_ids_by_title(statuses)
        return _Preview(peek, found, ids, peek.film_rows(ids[:first], found))
    except BaseException:
        peek.close()
        raise


class Desk:
    """The running desk: settings, the shared context, the window, and the open database."""

    def __init__(self, settings: DeskSettings) -> None:
        self.settings = settings
        self.context = DeskContext()
        self.window = MainWindow(self.context, settings, self.open)
        self.live = install_live_feed(self.context, self.window)
        self.opening = False
        self._remember_password = False
        self._create_next = False  # the next opening may create its festival file (New festival)
        self._previewed: tuple[SqlitePeek, FilmList] | None = None
        self._garbage_pacer: GarbagePacer | None = None

    def open(self, spec: str, programmer: str | None = None, *, create: bool = False) -> None:
        """Switch to the database `spec` (DEMO, a path or a URL) on the worker; on failure the
        current database stays and the reason is shown. `create`: a new festival file is made at
        `spec` (else a missing file is refused).

        At start-up, the film list on screen first shows its rows read straight from a SQLite file
        (`store.peek`, some 30 ms) while the database stack loads (about a second)."""
        name = programmer or self.settings.programmer
        self.opening = True
        self._create_next = create
        self.window.statusBar().showMessage(self.window.tr("Opening %1…").replace("%1", masked(spec)))
        film_area = self.window.current_film_area()
        film_list = film_area.list if film_area is not None else None
        # A preview answers only a list's plain query: its statuses, in title order, no search text.
        if self.context.database is None and film_list is not None \
                and film_list.query == FilmQuery(statuses=film_list.query.statuses):
            statuses = film_list.query.statuses
            self.context.runner.submit(
                lambda: _preview(spec, name, statuses, film_list.model.BLOCK),
                lambda preview: self._show_preview(preview, film_list, spec, name),
                lambda _message: self._open(spec, name))  # the usual opening reports what is wrong
        else:
            self._open(spec, name)

    def _show_preview(self, preview: _Preview | None, film_list: FilmList, spec: str, name: str | None) -> None:
        if preview is None:
            self._open(spec, name)
            return
        self._previewed = (preview.peek, film_list)
        film_list.show_preview(preview.ids, preview.first_rows,
                               lambda ids: preview.peek.film_rows(ids, preview.programmer_id))
        # The worker waits until these rows are on screen: loading the database stack meanwhile
        # would make each of the paint's thousand calls into Python queue for the GIL.
        film_list.call_after_paint(lambda: self._open(spec, name))

    def _open(self, spec: str, name: str | None) -> None:
        if self.context.runner.closed:  # the window closed during the preview
            return
        remember, self._remember_password = self._remember_password, False
        create, self._create_next = self._create_next, False
        self.context.runner.submit(lambda: _open(spec, name, remember, create),
                                   lambda opened: self._opened(opened, name),
                                   lambda message: self._failed(message, spec, name),
                                   title=self.window.tr("Opening the database"))

    def _end_preview(self) -> None:
        """Close the first look at the file (its list has been handed a database, or cleared)."""
        if self._previewed is not None:
            peek, film_list = self._previewed
            self._previewed = None
            if film_list.database is None:
                film_list.set_database(None, None)
            peek.close()

    def _opened(self, opened: _Opened, name: str | None) -> None:
        from festival_desk.store.locations import remember_current

        self.opening = False
        previous = self.context.database
        self.settings.database_url = opened.spec
        # The command line works on the festival the desk opened last (a URL without its password).
        remember_current(opened.database.spec)
        identity = opened.database.identity
        if identity.is_team_member:
            name = identity.programmer_name  # who is signed in, not who was remembered
        elif name:
            self.settings.programmer = name
        known = opened.programmer_id is not None
        self.context.set_programmer(opened.programmer_id, name if known else None)
        if opened.needs_demo:
            from festival_desk.actions.demo import demo_committee

            self.context.committee_hint = demo_committee()
        self.context.set_database(opened.database)
        self._end_preview()
        if previous is not None and previous is not opened.database:
            previous.close()
        self.window.statusBar().clearMessage()
        warn_about_the_database(self.window, opened.database)
        # An upgrade's backup copy and a festival that opened for reading only are told, not hidden.
        notes = [opened.database.backup_note and opened.database.backup_note[0].upper() + opened.database.backup_note[1:],
                 opened.database.read_only and self.window.tr("%1 %2: you can read it, not change it.")
                 .replace("%1", opened.database.label).replace("%2", opened.database.read_only)]
        if any(notes):
            self.window.statusBar().showMessage("  ".join(note for note in notes if note))
        if not name:
            self.window.ask_programmer()
        elif not known and not opened.needs_demo:
            self.context.take_programmer(name)  # not on this festival's committee: asks to add
        # Everything loaded so far (Qt, SQLAlchemy, the models, the window) lives as long as the
        # desk: leave it out of the full collections, which otherwise scan it all and stall a
        # scrolling frame for about 100 ms now and then; and collect what comes later in pauses.
        gc.freeze()
        if self._garbage_pacer is None:
            self._garbage_pacer = GarbagePacer(QApplication.instance())
        if opened.needs_demo:
            from festival_desk.actions.demo import create_demo

            def written(_change) -> None:
                self.context.committee_hint = []
                if name:
                    self.context.take_programmer(name)

            self.context.run_job(lambda database, progress: create_demo(database, progress=progress),
                                 self.window.tr("Creating the demo festival"), written)

    def _failed(self, message: str, spec: str = "", name: str | None = None) -> None:
        self.opening = False
        self._end_preview()
        self.window.statusBar().clearMessage()
        if asks_for_a_password(message) and "://" in spec:
            from festival_desk.gui.password_dialog import ask_password

            answer = ask_password(self.window, masked(without_password(spec)))
            if answer is not None:
                password, self._remember_password = answer
                self.open(with_password(without_password(spec), password), name)
                return
        if self.context.database is None:
            self.ask_first_run(message)
        else:
            QMessageBox.warning(self.window, self.window.tr("Festival Desk"), message)

    def ask_first_run(self, message: str = "") -> None:
        dialog = FirstRunDialog(self.window, name=self.settings.programmer or "", message=message)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            if self.context.database is None:
                self.window.close()
            return
        spec, name = dialog.choice()
        self.open(spec, name, create=dialog.creates)

    def close(self) -> None:
        self.live.stop()
        self.context.runner.shutdown()
        if self._garbage_pacer is not None:
            self._garbage_pacer.stop()
            self._garbage_pacer = None
        self._end_preview()
        if self.context.database is not None:
            self.context.database.close()


def _install_translator(app: QApplication) -> None:
    """Load the GUI's translation for the user's locale when one is installed beside the icons."""
    from festival_desk.gui.icons import icons_folder

    translator = QTranslator(app)
    if translator.load(QLocale(), "festival_desk", "_", str(icons_folder().parent / "translations")):
        app.installTranslator(translator)


# Harmless notices of Qt's headless "offscreen" platform (tests, benchmarks) that would otherwise
# reach stderr; everything else Qt reports passes through.
_QUIET_MESSAGES = ("This plugin does not support",)


def _message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if any(message.startswith(prefix) for prefix in _QUIET_MESSAGES):
        return
    sys.stderr.write(message + "\n")


def application() -> QApplication:
    """The QApplication (created once, with the desk's names, theme and translation)."""
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_message_handler)
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(ORGANIZATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("Festival Desk")
        app.setDesktopFileName("festival-desk")
        _install_translator(app)
    return app


def run_desk(db_url: str | None, *, demo: bool) -> int:
    """Open the desk on `db_url` (else the demo with `demo`, else the remembered database, else
    ask) and run until the window closes. Returns the process exit code (0 on a normal close)."""
    app = application()
    settings = DeskSettings()
    apply_theme(app, settings.theme)
    follow_system(app, lambda: settings.theme)
    desk = Desk(settings)
    install_if_asked(app)
    desk.window.show()
    spec = DEMO if demo else db_url or settings.database_url
    if spec is None:
        desk.ask_first_run()
    else:
        desk.open(spec)
    code = app.exec() if desk.window.isVisible() or desk.opening else 0
    desk.close()
    desk.window.deleteLater()
    app.processEvents()
    return int(code)
