"""End to end through the real widgets: open the demo, search (non-ASCII too), rate with a key,
move to Shortlisted, undo, reopen the database and find what was kept."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import Qt

from festival_desk.gui.film_table import COLUMN_KEYS
from tests.gui.conftest import PROGRAMMER, close_desk, open_desk, type_text, wait_idle


def _titles(film_list) -> list[str]:
    model = film_list.model
    column = COLUMN_KEYS.index("title")
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _search(qtbot, desk, text: str) -> list[str]:
    window = desk.window
    film_list = window.current_film_area().list
    window.search_box.clear()
    wait_idle(qtbot, desk)
    window.search_box.setFocus()
    type_text(window.search_box, text)
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: film_list.query.text == text)
    return _titles(film_list)


def _film(database, title: str) -> tuple[int, str]:
    with database.engine.connect() as connection:
        return tuple(connection.execute(sa.text("SELECT id, status FROM film WHERE title = :t"),
                                        {"t": title}).one())


def _my_score(database, film_id: int) -> int | None:
    with database.engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT r.score FROM rating r JOIN programmer p ON p.id = r.programmer_id "
            "WHERE r.film_id = :f AND p.name = :p"), {"f": film_id, "p": PROGRAMMER}).scalar()


def test_demo_opens_with_every_film_listed(desk):
    window = desk.window
    assert window.current_area().key == "submissions"
    titles = _titles(window.current_film_area().list)
    assert len(titles) >= 40 and "The Red Soul" in titles
    assert desk.context.database.label in window.database_label.text()
    assert PROGRAMMER in window.programmer_label.text()


def test_search_as_you_type_with_diacritics_and_without(qtbot, desk):
    assert _search(qtbot, desk, "Acasă") == ["Acasă, My Home"]
    assert _search(qtbot, desk, "acasa") == ["Acasă, My Home"]
    assert "The Red Soul" in _search(qtbot, desk, "red so")
    assert _search(qtbot, desk, "zzzz no such film") == []


def _submitted_title(database) -> str:
    with database.engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT title FROM film WHERE status = 'submitted' ORDER BY sort_key LIMIT 1")).scalar_one()


def test_rate_with_a_key_move_undo_and_reopen(qtbot, desk, desk_settings, demo_path):
    window = desk.window
    database = desk.context.database
    title = _submitted_title(database)
    film_id, original_status = _film(database, title)
    assert _search(qtbot, desk, title) == [title]
    film_list = window.current_film_area().list
    film_list.view.setFocus()
    film_list.view.selectRow(0)
    assert film_list.selected_film_ids() == [film_id]

    qtbot.keyClick(film_list.view, Qt.Key.Key_4)
    wait_idle(qtbot, desk)
    assert _my_score(database, film_id) == 4
    rating_cell = film_list.model.index(0, COLUMN_KEYS.index("my_rating"))
    qtbot.waitUntil(lambda: rating_cell.data() == "★★★★")

    window.move_actions["shortlisted"].trigger()
    wait_idle(qtbot, desk)
    assert _film(database, title)[1] == "shortlisted"
    assert window.undo_action.text() == f"Undo Move “{title}” to Shortlisted"
    assert window.undo_action.iconText() == "Undo"  # the toolbar button keeps its short label
    window.show_area("shortlist")
    wait_idle(qtbot, desk)
    shortlist = window.current_film_area().list
    qtbot.waitUntil(lambda: title in _titles(shortlist))

    window.undo_action.trigger()
    wait_idle(qtbot, desk)
    assert _film(database, title)[1] == original_status
    qtbot.waitUntil(lambda: title not in _titles(shortlist))
    assert window.redo_action.isEnabled() and window.redo_action.text() == f"Redo Move “{title}” to Shortlisted"

    close_desk(desk)
    reopened = open_desk(qtbot, desk_settings, str(demo_path))
    try:
        again = reopened.context.database
        assert _my_score(again, film_id) == 4
        assert _film(again, title)[1] == original_status
        assert desk_settings.database_url == str(demo_path)
    finally:
        close_desk(reopened)


def test_bulk_move_of_a_multi_selection_is_one_undo_step(qtbot, desk):
    window = desk.window
    film_list = window.current_film_area().list
    with desk.context.database.engine.connect() as connection:
        open_ids = set(connection.exec_driver_sql(
            "SELECT id FROM film WHERE status IN ('submitted', 'in_review')").scalars())
    chosen = [film_id for film_id in film_list.model.ids if film_id in open_ids][:3]
    rows = [film_list.model.row_of(film_id) for film_id in chosen]
    film_list.select_films(chosen)
    assert window.selected_film_ids() == chosen
    window.move_actions["declined"].trigger()
    wait_idle(qtbot, desk)
    column = COLUMN_KEYS.index("status")
    qtbot.waitUntil(lambda: all(film_list.model.index(row, column).data() == "Declined" for row in rows))
    assert window.undo_action.text() == "Undo Move 3 films to Declined"
    assert film_list.selected_film_ids() == chosen  # selection kept
    window.undo_action.trigger()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: all(film_list.model.index(row, column).data() != "Declined" for row in rows))


def test_a_refused_move_shows_a_readable_message_and_the_window_stays_usable(qtbot, desk):
    from PySide6.QtWidgets import QMessageBox

    window = desk.window
    database = desk.context.database
    assert _search(qtbot, desk, "Red Soul") == ["The Red Soul"]
    assert _film(database, "The Red Soul")[1] == "confirmed"
    film_list = window.current_film_area().list
    film_list.view.selectRow(0)
    window.move_actions["shortlisted"].trigger()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "failureMessage") is not None)
    box = window.findChild(QMessageBox, "failureMessage")
    assert "The Red Soul" in box.informativeText() and "Traceback" not in box.informativeText()
    box.accept()
    assert _film(database, "The Red Soul")[1] == "confirmed"
    assert _search(qtbot, desk, "Acasă") == ["Acasă, My Home"]  # still answering
