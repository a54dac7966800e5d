"""Desk speed on a generated 25,000-film festival (offscreen), each figure beside a baseline run in
the same process:

- cold start to the main window showing its first rows (a fresh interpreter per run), against a
  bare PySide6 window with a 25,000-row table;
- typing a word in the search box until the table shows the new results;
- scrolling from top to bottom, one page per frame: the slowest frame;
- resident memory with the database open.

Run: QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_desk.py [--films N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BARE = textwrap.dedent("""
    import sys, time
    start = time.perf_counter()
    from PySide6.QtCore import QAbstractTableModel, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QTableView
    class Model(QAbstractTableModel):
        def rowCount(self, parent=None): return 25000
        def columnCount(self, parent=None): return 8
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return f"{index.row()}:{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None
    app = QApplication([])
    view = QTableView(); model = Model(); view.setModel(model); view.resize(1200, 800); view.show()
    def done():
        print(time.perf_counter() - start); view.close()
    QTimer.singleShot(0, done)
    app.exec()
""")

DESK = textwrap.dedent("""
    import sys, time
    start = time.perf_counter()
    from PySide6.QtCore import QTimer
    from festival_desk.gui import app as desk_app
    from festival_desk.gui.settings import DeskSettings
    application = desk_app.application()
    DeskSettings().programmer = "Bench"
    def check():
        windows = [w for w in application.topLevelWidgets() if w.objectName() == "mainWindow"]
        view = windows[0].current_film_area().list.view if windows else None
        if view is None or view.model().rowCount() == 0:
            QTimer.singleShot(2, check); return
        view.viewport().repaint()  # the first rows painted
        print(time.perf_counter() - start)
        windows[0].close()
    QTimer.singleShot(0, check)
    desk_app.run_desk(sys.argv[1], demo=False)
""")


def _timed(script: str, *args: str, env: dict[str, str]) -> float:
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                            check=True, cwd=REPO)
    return float(result.stdout.strip().splitlines()[-1])


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=25000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    env = dict(os.environ, PYTHONPATH=str(REPO))

    from festival_desk.actions.generate import generate_festival
    from festival_desk.store.db import open_database

    path = folder / "festival.sqlite"
    started = time.perf_counter()
    database = open_database(str(path), create=True)
    generate_festival(database, args.films, 7)
    database.close()
    print(f"generated {args.films} films in {time.perf_counter() - started:.1f} s")

    bare = [_timed(BARE, env=env) for _ in range(args.runs)]
    desk = [_timed(DESK, str(path), env=env) for _ in range(args.runs)]
    print(f"cold start: desk {statistics.median(desk):.3f} s median, bare table window "
          f"{statistics.median(bare):.3f} s, ratio {statistics.median(desk) / statistics.median(bare):.1f}x "
          "(target: desk under 1.0 s)")

    from PySide6.QtWidgets import QApplication

    from festival_desk.gui.app import Desk, application
    from festival_desk.gui.settings import DeskSettings

    app = application()
    settings = DeskSettings()
    settings.programmer = "Bench"
    desk_instance = Desk(settings)
    window = desk_instance.window
    window.resize(1400, 900)
    window.show()
    film_list = window.current_film_area().list
    desk_instance.open(str(path))
    while film_list.model.rowCount() == 0:
        app.processEvents()
    view = film_list.view

    def until_shown(text: str) -> float:
        begin = time.perf_counter()
        window.search_box.setText(text)
        while film_list.query.text != text or not desk_instance.context.runner.idle:
            app.processEvents()
        view.viewport().repaint()
        return time.perf_counter() - begin

    searches = []
    for word in ("doc", "river", "nova", "mar", "the", "an"):
        until_shown("")
        searches.append(until_shown(word))
    until_shown("")
    print(f"search to results: {statistics.median(searches) * 1000:.0f} ms median, "
          f"{max(searches) * 1000:.0f} ms worst over {len(searches)} words (target under 100 ms)")

    bar = view.verticalScrollBar()
    frames = []
    bar.setValue(0)
    while bar.value() < bar.maximum():
        begin = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        QApplication.processEvents()
        frames.append(time.perf_counter() - begin)
    print(f"scroll top to bottom: {len(frames)} frames, median {statistics.median(frames) * 1000:.1f} ms, "
          f"slowest {max(frames) * 1000:.1f} ms (target: none over 50 ms)")
    print(f"resident memory with {args.films} films open: {_rss_mb():.0f} MB (target under 400 MB)")
    window.close()
    desk_instance.close()


if __name__ == "__main__":
    main()
