"""Desk speed on a generated 25,000-film festival (offscreen), each figure beside a baseline run in
the same process:

- cold start to the main window showing its first rows, started as `festival-desk --db FILE` (a
  fresh interpreter per run, with the bytecode caches a user's second start has), against a bare PySide6 window with a 25,000-row
  table, the two alternated;
- typing a word in the search box until the table shows the new results, against the same
  search's database part alone;
- scrolling from top to bottom, one page per frame: the slowest frame, against a bare QTableView
  with the same size, columns and texts scrolled the same way;
- resident memory with the database open.

Run: QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_desk.py [--films N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import shutil
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

# Prints two times: the film table's first paint with rows in it (what the user sees), then the
# first moment the GUI thread is free again after it (a zero timer set during that paint runs).
# Nothing polls meanwhile: a polling timer on the GUI thread would fight the worker for the GIL.
DESK = textwrap.dedent("""
    import sys, time
    start = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from festival_desk.gui import app as desk_app
    from festival_desk.gui.settings import DeskSettings
    application = desk_app.application()
    DeskSettings().programmer = "Bench"
    painted = []
    def report():
        print(painted[0], time.perf_counter() - start)
        application.removeEventFilter(paints)
        next(w for w in application.topLevelWidgets() if w.objectName() == "mainWindow").close()
    class FirstRowsPaint(QObject):
        def eventFilter(self, watched, event):
            if not painted and event.type() == QEvent.Type.Paint and watched.objectName() == "qt_scrollarea_viewport":
                table = watched.parent()
                if table.objectName() == "filmTable" and table.isVisible() and table.model().rowCount() > 0:
                    painted.append(time.perf_counter() - start)
                    QTimer.singleShot(0, report)
            return False
    paints = FirstRowsPaint()
    application.installEventFilter(paints)
    from festival_desk.cli import main  # the `festival-desk --db FILE` command, as a user starts it
    main(["--db", sys.argv[1]])
""")


def _timed(script: str, *args: str, env: dict[str, str]) -> list[float]:
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                            check=True, cwd=REPO)
    return [float(value) for value in result.stdout.strip().splitlines()[-1].split()]


def _scroll_frames(view) -> tuple[list[float], list[float]]:
    """Wall and CPU time of each frame scrolling `view` from top to bottom a page at a time (the
    CPU time is the process's own: wall time minus waiting for a shared CPU)."""
    from PySide6.QtWidgets import QApplication

    bar = view.verticalScrollBar()
    bar.setValue(0)
    QApplication.processEvents()
    frames, frame_cpu = [], []
    while bar.value() < bar.maximum():
        begin, begin_cpu = time.perf_counter(), time.process_time()
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        QApplication.processEvents()
        frames.append(time.perf_counter() - begin)
        frame_cpu.append(time.process_time() - begin_cpu)
    return frames, frame_cpu


def _bare_table(like):
    """A plain QTableView over a minimal Python model with the desk table's size, visible columns,
    widths, row height and texts of the same length: the baseline for scrolling."""
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QTableView

    source = like.model()
    sample = [[source.data(source.index(row, column)) or "" for column in range(source.columnCount())]
              for row in range(min(200, source.rowCount()))]
    rows, columns = source.rowCount(), source.columnCount()

    class Bare(QAbstractTableModel):
        def rowCount(self, parent=None):  # noqa: N802
            return rows

        def columnCount(self, parent=None):  # noqa: N802
            return columns

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return sample[index.row() % len(sample)][index.column()]
            return None

    view = QTableView()
    view.setModel(Bare(view))
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(like.verticalHeader().defaultSectionSize())
    for column in range(columns):
        view.setColumnHidden(column, like.isColumnHidden(column))
        view.setColumnWidth(column, like.columnWidth(column))
    view.resize(like.size())
    view.show()
    return view


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=25000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="reuse a festival generated by an earlier run (a copy is used)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # A user's second start finds compiled bytecode (pip compiles installed packages, and Python
    # caches the rest on first import). Measure that: let the child processes write and read their
    # caches (in the scratch folder), and warm them with one untimed run each.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")

    path = folder / "festival.sqlite"
    if args.db is not None:
        shutil.copyfile(args.db, path)
    else:
        # In a child process (the `generate` command), so that the memory figure below is the
        # desk's alone.
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "festival_desk.cli", "generate", "--films", str(args.films),
                        "--seed", "7", "--db", str(path)], check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
        print(f"generated {args.films} films in {time.perf_counter() - started:.1f} s")

    _timed(BARE, env=env)
    _timed(DESK, str(path), env=env)
    bare_runs, desk_runs = [], []
    for _ in range(args.runs):  # alternated, so that a busy moment of the machine hits both alike
        bare_runs.append(_timed(BARE, env=env)[0])
        desk_runs.append(_timed(DESK, str(path), env=env))
    bare = statistics.median(bare_runs)
    desk = statistics.median(painted for painted, _ in desk_runs)
    responsive = statistics.median(free for _, free in desk_runs)
    print(f"cold start: desk first rows painted {desk:.3f} s median (GUI thread free again {responsive:.3f} s), "
          f"bare table window {bare:.3f} s, ratio {desk / bare:.1f}x (target: desk under 1.0 s)")

    from PySide6.QtCore import QEventLoop

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
    runner = desk_instance.context.runner

    def wait_until(condition) -> None:
        # Sleep in Qt's event loop between events, as the running desk does: a busy loop here
        # would hold the GIL and slow the worker down instead of measuring it.
        while not condition():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    area = window.current_film_area()
    wait_until(lambda: film_list.model.rowCount() > 0 and area.side_panel is not None and runner.idle)
    view = film_list.view

    def until_shown(text: str) -> float:
        begin = time.perf_counter()
        window.search_box.setText(text)
        wait_until(lambda: film_list.query.text == text and runner.idle)
        view.viewport().repaint()
        return time.perf_counter() - begin

    from festival_desk.gui.film_query import FilmQuery, film_ids, film_rows

    words = ("doc", "river", "nova", "mar", "the", "an")
    searches, queries = [], []
    for word in words:
        until_shown("")
        searches.append(until_shown(word))
        # Baseline: the same search's database part alone (ids and the first page of rows).
        begin = time.perf_counter()
        found = film_ids(desk_instance.context.database, FilmQuery(text=word))
        film_rows(desk_instance.context.database, found[:50])
        queries.append(time.perf_counter() - begin)
    until_shown("")
    print(f"search to results: {statistics.median(searches) * 1000:.0f} ms median, "
          f"{max(searches) * 1000:.0f} ms worst over {len(searches)} words (target under 100 ms); "
          f"its database part alone {statistics.median(queries) * 1000:.0f} ms median")

    desk_frames, desk_cpu = _scroll_frames(view)
    resident = _rss_mb()
    bare_view = _bare_table(view)
    bare_frames, _ = _scroll_frames(bare_view)
    bare_view.close()
    print(f"scroll top to bottom: {len(desk_frames)} frames, median {statistics.median(desk_frames) * 1000:.1f} ms, "
          f"slowest {max(desk_frames) * 1000:.1f} ms, over 50 ms: {sum(f > 0.05 for f in desk_frames)} "
          f"(target: none over 50 ms); CPU per frame median {statistics.median(desk_cpu) * 1000:.1f} ms, "
          f"slowest {max(desk_cpu) * 1000:.1f} ms; bare table of the same size and texts: median "
          f"{statistics.median(bare_frames) * 1000:.1f} ms, slowest {max(bare_frames) * 1000:.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"resident memory with {args.films} films open: {resident:.0f} MB (target under 400 MB)")
    window.close()
    desk_instance.close()


if __name__ == "__main__":
    main()
