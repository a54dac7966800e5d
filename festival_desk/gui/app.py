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
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QMessageLogContext, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from festival_desk.gui.desk import DeskContext
from festival_desk.gui.first_run import DEMO, FirstRunDialog
from festival_desk.gui.main_window import MainWindow
from festival_desk.gui.settings import APPLICATION, ORGANIZATION, DeskSettings
from festival_desk.gui.theme import apply_theme, follow_system

if TYPE_CHECKING:
    from festival_desk.store.db import Database


@dataclass(frozen=True)
class _Opened:
    database: Database
    spec: str
    programmer_id: int | None
    needs_demo: bool


def _open(spec: str, programmer: str | None) -> _Opened:
    """Open (creating when new) the database named by `spec`; runs on the worker thread.

    The database stack (SQLAlchemy, the models, Alembic) is imported here, on the worker, rather
    than at start-up: the window shows first instead of waiting a second for these imports."""
    from festival_desk.actions.demo import has_festival_data
    from festival_desk.actions.programming import programmer_id
    from festival_desk.store.db import demo_database_path, open_database

    is_demo = spec == DEMO
    database = open_database(str(demo_database_path()) if is_demo else spec, create=True)
    try:
        needs_demo = is_demo and not has_festival_data(database)
        found = programmer_id(database, programmer) if programmer else None
    except BaseException:
        database.close()
        raise
    return _Opened(database, spec, found, needs_demo)


class Desk:
    """The running desk: settings, the shared context, the window, and the open database."""

    def __init__(self, settings: DeskSettings) -> None:
        self.settings = settings
        self.context = DeskContext()
        self.window = MainWindow(self.context, settings, self.open)
        self.opening = False

    def open(self, spec: str, programmer: str | None = None) -> None:
        """Switch to the database `spec` (DEMO, a path or a URL) on the worker; on failure the
        current database stays and the reason is shown."""
        name = programmer or self.settings.programmer
        self.opening = True
        self.window.statusBar().showMessage(self.window.tr("Opening %1…").replace("%1", spec))
        self.context.runner.submit(lambda: _open(spec, name), lambda opened: self._opened(opened, name),
                                   self._failed, title=self.window.tr("Opening the database"))

    def _opened(self, opened: _Opened, name: str | None) -> None:
        self.opening = False
        previous = self.context.database
        self.settings.database_url = opened.spec
        if name:
            self.settings.programmer = name
        self.context.set_programmer(opened.programmer_id, name)
        self.context.set_database(opened.database)
        if previous is not None and previous is not opened.database:
            previous.close()
        self.window.statusBar().clearMessage()
        # Everything loaded so far (Qt, SQLAlchemy, the models, the window) lives as long as the
        # desk: leave it out of the full collections, which otherwise scan it all and stall a
        # scrolling frame for about 100 ms now and then.
        gc.freeze()
        if opened.needs_demo:
            from festival_desk.actions.demo import create_demo

            self.context.run_job(lambda database, progress: create_demo(database, progress=progress),
                                 self.window.tr("Creating the demo festival"))

    def _failed(self, message: str) -> None:
        self.opening = False
        self.window.statusBar().clearMessage()
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
        self.open(spec, name)

    def close(self) -> None:
        self.context.runner.shutdown()
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
