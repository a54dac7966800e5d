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


def test_the_submissions_panel_is_beside_the_list_once_rows_show(qtbot, desk) -> None:
    from festival_desk.gui.submissions import SubmissionsPanel

    area = desk.window.film_areas["submissions"]
    qtbot.waitUntil(lambda: area.side_panel is not None, timeout=5000)
    assert isinstance(area.widget(0), SubmissionsPanel) and area.widget(1) is area.list
    assert area.side_panel.isVisible() and area.sizes()[0] > 0
