"""The desk's team-mode parts on their own: the film's edit history with Restore, what a role
may not do disabled with the reason, no password kept in the settings, the network-drive warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from festival_desk.actions import films
from festival_desk.store.db import open_database
from tests.gui.conftest import close_desk, desk_settings, open_desk, wait_idle  # noqa: F401 (fixture)

pytestmark = pytest.mark.gui


def test_the_edits_tab_lists_who_changed_what_and_restores_an_overwritten_synopsis(qtbot, desk_settings,
                                                                                    demo_path: Path):
    database = open_database(str(demo_path))
    database.actor = "Ayşe Demirtaş"
    original = films.film_details(database, 12).fields["synopsis"]
    films.edit_film(database, 12, fields={"synopsis": "Overwritten in a hurry."})
    database.close()
    desk = open_desk(qtbot, desk_settings, str(demo_path), "Maja Kovačič")
    try:
        area = desk.window.film_areas["submissions"]
        area.list.select_films([12], current=12)
        page = area.page
        qtbot.waitUntil(lambda: page.film_id == 12 and page.edits.entries.count() == 1, timeout=10000)
        entry = page.edits.entries.item(0).text()
        assert "Ayşe Demirtaş" in entry and "Synopsis:" in entry and "Overwritten in a hurry." in entry
        page.edits.entries.setCurrentRow(0)
        page.edits.restore_button.click()
        qtbot.waitUntil(lambda: page.synopsis_edit.toPlainText() == original, timeout=10000)
        qtbot.waitUntil(lambda: page.edits.entries.count() == 2, timeout=10000)
        assert "Maja Kovačič" in page.edits.entries.item(0).text()
        assert desk.context.undo.can_undo  # the restore is an edit like any other
    finally:
        close_desk(desk)


@pytest.mark.postgres
def test_a_programmers_desk_disables_a_leads_moves_and_a_viewers_saves_and_says_why(qtbot, desk_settings, team_pg):
    desk = open_desk(qtbot, desk_settings, team_pg.url("ayse"))
    try:
        window = desk.window
        assert desk.context.programmer_name == "Ayşe Demirtaş"  # the login, whatever was remembered
        window.film_areas["submissions"].list.select_films([12], current=12)
        qtbot.waitUntil(lambda: window.move_actions["in_review"].isEnabled(), timeout=10000)
        selected = window.move_actions["selected"]
        assert not selected.isEnabled()
        assert selected.toolTip() == "Your role on this festival (programmer) may not move these films there; " \
                                     "a lead decides that."
        assert window.rate_actions[0].isEnabled()
    finally:
        close_desk(desk)
    viewer = open_desk(qtbot, desk_settings, team_pg.url("vera"))
    try:
        area = viewer.window.film_areas["submissions"]
        area.list.select_films([12], current=12)
        page = area.page
        qtbot.waitUntil(lambda: page.film_id == 12 and page.body.isVisible(), timeout=10000)
        page.title_edit.setText("A viewer's title")
        assert not page.save_button.isEnabled()
        assert page.error.text() == "Your role on this festival (viewer) may not change films."
        assert not page.opinions.star_row.isEnabled() and not viewer.window.rate_actions[0].isEnabled()
        assert not viewer.window.import_action.isEnabled()
    finally:
        close_desk(viewer)


def test_a_password_in_a_url_is_never_kept_in_the_settings(qapp, desk_settings, tmp_path: Path):
    secret = "s3cr3t-Pa55"
    desk_settings.database_url = f"postgresql://maja:{secret}@db.example/season"
    desk_settings.sync()
    assert desk_settings.database_url == "postgresql://maja@db.example/season"
    assert desk_settings.recent_databases[0] == "postgresql://maja@db.example/season"
    written = "".join(path.read_text(errors="replace") for path in (tmp_path / "settings").rglob("*") if path.is_file())
    assert secret not in written and "maja@db.example" in written


def test_a_festival_file_on_a_network_drive_is_warned_about(qtbot, desk_settings, demo_path: Path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from festival_desk.store import filesystems

    monkeypatch.setattr(filesystems, "network_file_system", lambda path, mountinfo=None: "nfs4")
    desk = open_desk(qtbot, desk_settings, str(demo_path), "Maja Kovačič")
    try:
        box = desk.window.findChild(QMessageBox, "networkDriveWarning")
        assert box is not None and box.isVisible()
        assert "network drive (nfs4)" in box.text() and "belongs on PostgreSQL" in box.text()
    finally:
        close_desk(desk)


def test_a_password_the_server_asks_for_is_asked_once_and_kept_out_of_the_settings(qtbot, desk_settings,
                                                                                   demo_path: Path, tmp_path: Path,
                                                                                   monkeypatch):
    import dataclasses

    from festival_desk.core.errors import UserError
    from festival_desk.gui import app, password_dialog

    real_open, calls = app._open, []

    def server(spec: str, programmer, remember: bool = False, create: bool = False):
        calls.append((spec, remember))
        if "secret" not in spec:
            raise UserError('cannot open the database at postgresql+psycopg://maja@db.example/season: connection '
                            'failed: FATAL:  password authentication failed for user "maja"')
        return dataclasses.replace(real_open(str(demo_path), programmer), spec=spec)

    monkeypatch.setattr(app, "_open", server)
    monkeypatch.setattr(password_dialog, "ask_password", lambda parent, where: ("secret!", True))
    desk = app.Desk(desk_settings)
    qtbot.addWidget(desk.window)
    desk.window.show()
    desk.open("postgresql://maja@db.example/season", "Maja Kovačič")
    try:
        qtbot.waitUntil(lambda: desk.context.database is not None and not desk.opening, timeout=20000)
        assert calls == [("postgresql://maja@db.example/season", False),
                         ("postgresql://maja:secret%21@db.example/season", True)]
        desk_settings.sync()
        assert desk_settings.database_url == "postgresql://maja@db.example/season"
        written = "".join(path.read_text(errors="replace") for path in (tmp_path / "settings").rglob("*")
                          if path.is_file())
        assert "secret" not in written and "secret" not in desk.window.statusBar().currentMessage()
    finally:
        close_desk(desk)
