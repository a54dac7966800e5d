"""Festival files: a new festival is saved as NAME.festival, older .sqlite files still open, and
`festival-desk FILE` (what a double-click runs) opens the desk on that file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(("typed", "created"), [
    ("Berlin 2028", "Berlin 2028.festival"),
    ("Berlin 2028.festival", "Berlin 2028.festival"),
    ("Berlin 2028.FESTIVAL", "Berlin 2028.FESTIVAL"),
    ("old-style.sqlite", "old-style.sqlite"),
    ("archive.2027", "archive.2027.festival"),
])
def test_a_new_festival_file_gets_the_festival_extension(qtbot, desk, tmp_path, monkeypatch, typed, created) -> None:
    asked = {}

    def save_dialog(parent, title, proposed, filters):
        asked.update(title=title, proposed=proposed, filters=filters)
        return str(tmp_path / typed), filters.split(";;")[0]

    monkeypatch.setattr("festival_desk.gui.festival_files.QFileDialog.getSaveFileName", save_dialog)
    desk.window.new_database()
    expected = tmp_path / created
    qtbot.waitUntil(lambda: desk.context.database is not None and desk.context.database.label == str(expected)
                    and not desk.opening, timeout=20000)
    assert expected.is_file()
    assert asked["proposed"] == "festival.festival"
    assert asked["filters"].startswith("Festival files (*.festival *.sqlite *.db)")
    assert desk.window.film_areas["submissions"].list.model.rowCount() == 0


def test_the_open_dialog_offers_festival_and_older_sqlite_files(qtbot, desk, demo_path, tmp_path, monkeypatch) -> None:
    older = tmp_path / "older.sqlite"
    older.write_bytes(demo_path.read_bytes())
    offered = {}

    def open_dialog(parent, title, folder, filters):
        offered["filters"] = filters
        return str(older), ""

    monkeypatch.setattr("festival_desk.gui.festival_files.QFileDialog.getOpenFileName", open_dialog)
    desk.window.open_database_file()
    qtbot.waitUntil(lambda: desk.context.database.label == str(older) and not desk.opening, timeout=20000)
    assert offered["filters"] == "Festival files (*.festival *.sqlite *.db);;All files (*)"
    qtbot.waitUntil(lambda: desk.window.film_areas["submissions"].list.model.rowCount() > 40, timeout=20000)


def test_the_first_run_dialog_creates_a_festival_file(qtbot, tmp_path, monkeypatch) -> None:
    from festival_desk.gui.first_run import FirstRunDialog

    monkeypatch.setattr("festival_desk.gui.festival_files.QFileDialog.getSaveFileName",
                        lambda *args: (str(tmp_path / "Ribnik 2028"), ""))
    dialog = FirstRunDialog(name="Maja Kovač")
    qtbot.addWidget(dialog)
    dialog._choose_new()
    assert dialog.new_radio.isChecked()
    assert dialog.choice() == (str(tmp_path / "Ribnik 2028.festival"), "Maja Kovač")


@pytest.mark.parametrize("name", ["Ribnik 2027.festival", "older.sqlite"])
def test_festival_desk_FILE_opens_the_desk_on_it_and_exits_0(demo_path, tmp_path, name) -> None:  # noqa: N802
    """What the menu entry's `Exec=festival-desk %f` runs when a file is double-clicked (the desk
    closes itself once rows are on screen, through FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS)."""
    path = tmp_path / name
    path.write_bytes(demo_path.read_bytes())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS="1")
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", str(path)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    films = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info", "--db", str(path), "--json"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert result.stdout == f"first rows: {json.loads(films)['films']}\n"


def test_a_command_name_is_never_taken_for_a_file(tmp_path) -> None:
    """`festival-desk info` runs the command even with a file called `info` in the folder."""
    (tmp_path / "info").write_text("")
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info", "--db", str(tmp_path / "x.festival")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "x.festival" in result.stderr and result.stderr.count("\n") == 1


def test_a_recent_festival_whose_file_is_gone_is_refused_not_created(qtbot, desk, tmp_path) -> None:
    """Open Recent on a file that was moved or deleted says so; it never becomes an empty festival,
    and the festival that was open stays open."""
    gone = tmp_path / "moved away.festival"
    shown = desk.context.database.label
    warnings = []
    from festival_desk.gui import app as desk_app

    original = desk_app.QMessageBox.warning
    desk_app.QMessageBox.warning = staticmethod(lambda parent, title, text: warnings.append(text))
    try:
        desk.window.switch_database(str(gone))
        qtbot.waitUntil(lambda: not desk.opening and bool(warnings), timeout=20000)
    finally:
        desk_app.QMessageBox.warning = original
    assert not gone.exists()
    assert str(gone) in warnings[0]
    assert desk.context.database.label == shown
