"""Closing the desk ends the process cleanly: exit code 0 and nothing on stderr, even with a job
running and a populated film table (guards the PySide6 6.12 / Python 3.11 abort at exit)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DRIVER = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from festival_desk.gui import app as desk_app
    from festival_desk.gui.settings import DeskSettings

    settings = DeskSettings()
    settings.programmer = "Exit Tester"
    application = desk_app.application()

    def close_when_ready():
        windows = [w for w in application.topLevelWidgets() if w.objectName() == "mainWindow"]
        if not windows or windows[0].current_film_area().list.model.rowCount() == 0:
            QTimer.singleShot(100, close_when_ready)
            return
        window = windows[0]
        window.current_film_area().list.view.selectRow(0)
        window.current_film_area().list.view.setFocus()
        # A long job still running at exit must be cancelled, not waited for.
        window.context.run_job(lambda database, progress: [progress(i, 0, "") or time.sleep(0.01)
                                                           for i in range(100000)], "slow")
        QTimer.singleShot(300, window.close)

    QTimer.singleShot(100, close_when_ready)
    sys.exit(desk_app.run_desk(sys.argv[1], demo=False))
""")


def test_closing_the_window_exits_with_code_0_and_a_silent_stderr(demo_path, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", DRIVER, str(demo_path)], env=env, capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
