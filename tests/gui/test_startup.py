"""Start-up stays light: the window shows before the database stack and the document libraries
load, and the Submissions panel arrives once the first rows are on screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]

# What start-up must not import on the GUI thread before the window shows: each costs from a tenth
# of a second (python-docx, openpyxl) to a second (SQLAlchemy with SQLModel and the models).
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "reportlab", "docx", "openpyxl", "bs4", "markdown_it",
         "festival_desk.store.models", "festival_desk.actions.films")


def test_the_window_is_built_and_shown_without_the_heavy_libraries(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from festival_desk.gui.app import Desk, application\n"
        "from festival_desk.gui.settings import DeskSettings\n"
        "app = application()\n"
        "desk = Desk(DeskSettings())\n"
        "desk.window.show()\n"
        "app.processEvents()\n"
        f"print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))\n"
        "desk.window.close(); desk.close()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO,
                            timeout=120, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_festival_desk_command_paints_its_first_rows_before_the_heavy_libraries_load(
        demo_path: Path, tmp_path: Path) -> None:
    """Through the command a user runs (`festival-desk --db FILE`), not just the desk's classes: the
    command line must not load its sub-commands' modules to open the window."""
    script = (
        "import json, sys\n"
        "from PySide6.QtCore import QEvent, QObject, QTimer\n"
        "from festival_desk.gui.app import application\n"
        "app = application()\n"
        "loaded = []\n"
        "class FirstRows(QObject):\n"
        "    def eventFilter(self, watched, event):\n"
        "        if not loaded and event.type() == QEvent.Type.Paint and watched.objectName() == 'qt_scrollarea_viewport' \\\n"
        "                and watched.parent().objectName() == 'filmTable' and watched.parent().model().rowCount():\n"
        f"            loaded.append(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
        "            QTimer.singleShot(0, watched.window().close)\n"
        "        return False\n"
        "watcher = FirstRows()\n"
        "app.installEventFilter(watcher)\n"
        "from festival_desk.cli import main\n"
        "code = main(['--db', sys.argv[1]])\n"
        "print(json.dumps(loaded))\n"
        "sys.exit(code)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", script, str(demo_path)], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [[]]


def test_the_submissions_panel_is_beside_the_list_once_rows_show(qtbot, desk) -> None:
    from festival_desk.gui.submissions import SubmissionsPanel

    area = desk.window.film_areas["submissions"]
    qtbot.waitUntil(lambda: area.side_panel is not None, timeout=5000)
    assert isinstance(area.widget(0), SubmissionsPanel) and area.widget(1) is area.list
    assert area.side_panel.isVisible() and area.sizes()[0] > 0


# Starts the desk on a festival file and reports, as JSON: whether SQLAlchemy was loaded when the
# film table first painted rows, the ids then shown, whether the database was open then, the ids
# once it is open, how often the model was reset after that first paint, and the row of the film
# selected during the preview once the database has taken over.
HANDOVER = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from festival_desk.gui.app import Desk, application
from festival_desk.gui.settings import DeskSettings
app = application()
settings = DeskSettings()
settings.programmer = "Maja Kovačič"
desk = Desk(settings)
window = desk.window
film_list = window.film_areas["submissions"].list
report = {"resets": 0}
film_list.model.modelReset.connect(lambda: report.__setitem__("resets", report["resets"] + 1))
class FirstRows(QObject):
    def eventFilter(self, watched, event):
        if "first" not in report and event.type() == QEvent.Type.Paint and film_list.model.rowCount():
            report["first"] = {"sqlalchemy": "sqlalchemy" in sys.modules, "ids": film_list.model.ids,
                               "database_open": desk.context.database is not None,
                               "title": film_list.model.film_row(2).title}
            report["resets"] = 0
            film_list.select_films([film_list.model.film_id(2)], current=film_list.model.film_id(2))
        return False
watcher = FirstRows()
film_list.view.viewport().installEventFilter(watcher)
page = window.film_areas["submissions"].page
waited = []
def check():
    opened = desk.context.database is not None and desk.context.runner.idle and not desk.opening
    if opened:
        waited.append(1)
    if not opened or (page.heading.text() == "" and len(waited) < 250):  # the page: 5 s at most
        QTimer.singleShot(20, check); return
    report["after"] = {"ids": film_list.model.ids, "selected": film_list.selected_film_ids(),
                       "title": film_list.model.film_row(2).title, "page": page.heading.text(),
                       "my_rating_known": desk.context.programmer_id is not None}
    window.close()
QTimer.singleShot(0, check)
window.show()
desk.open(sys.argv[1])
app.exec()
desk.close()
print(json.dumps(report))
"""


def test_first_rows_show_before_the_database_stack_loads_and_the_list_keeps_them(demo_path: Path,
                                                                                 tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", HANDOVER, str(demo_path)], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    first, after = report["first"], report["after"]
    assert first["sqlalchemy"] is False and first["database_open"] is False
    assert len(first["ids"]) == 59 and first["ids"] == after["ids"]
    assert first["title"] == after["title"]
    # Handed over in place: no reset, so the film chosen during the preview stays selected.
    assert report["resets"] == 0 and after["selected"] == [first["ids"][2]]
    assert after["page"] == after["title"]  # and its page opens once the database is there


def test_closing_the_window_during_the_preview_exits_cleanly(demo_path: Path, tmp_path: Path) -> None:
    script = ("import sys\nfrom PySide6.QtCore import QTimer\nfrom festival_desk.gui import app as desk_app\n"
              "application = desk_app.application()\n"
              "def close_at_first_rows():\n"
              "    windows = [w for w in application.topLevelWidgets() if w.objectName() == 'mainWindow']\n"
              "    lists = [w.film_areas['submissions'].list for w in windows]\n"
              "    if lists and lists[0].model.rowCount():\n"
              "        print('database open' if windows[0].context.database else 'preview')\n"
              "        windows[0].close(); return\n"
              "    QTimer.singleShot(1, close_at_first_rows)\n"
              "QTimer.singleShot(0, close_at_first_rows)\n"
              "sys.exit(desk_app.run_desk(sys.argv[1], demo=False))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", script, str(demo_path)], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=120)
    assert (result.returncode, result.stderr, result.stdout.split()) == (0, "", ["preview"])


DEMO_FIRST_START = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from festival_desk.gui.app import Desk, application
from festival_desk.gui.first_run import DEMO
from festival_desk.gui.settings import DeskSettings
app = application()
warnings = []
QMessageBox.warning = lambda *args, **kwargs: warnings.append(str(args[2]))
settings = DeskSettings()
settings.programmer = "Maja Kovačič"  # remembered from an earlier festival
desk = Desk(settings)
desk.context.runner.failed.connect(lambda _task, message, _details: warnings.append(message))
film_list = desk.window.film_areas["submissions"].list
def check():
    if warnings or (film_list.model.rowCount() == 59 and desk.context.programmer_id is not None
                    and desk.context.runner.idle):
        from festival_desk.actions.programming import programmer_id
        print(json.dumps({"warnings": warnings, "films": film_list.model.rowCount(),
                          "programmer": desk.context.programmer_id,
                          "demo_maja": programmer_id(desk.context.database, "Maja Kovačič")
                          if desk.context.database else None}))
        desk.window.close(); return
    QTimer.singleShot(50, check)
QTimer.singleShot(0, check)
desk.window.show()
desk.open(DEMO)
app.exec()
desk.close()
"""


def test_the_demo_written_on_first_start_keeps_a_remembered_programmer_of_its_committee(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", DEMO_FIRST_START], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=180)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["warnings"] == [] and report["films"] == 59
    assert report["programmer"] == report["demo_maja"] is not None
