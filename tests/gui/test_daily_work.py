"""A programmer's day in the desk, through the real widgets: rate and write notes on the film page,
edits kept when switching films or closing, undo that reads right, who is working, the triage
list, search, help and blind mode."""

from __future__ import annotations

import sqlalchemy as sa
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from festival_desk.gui import opinions as opinions_module
from tests.gui.conftest import PROGRAMMER, close_desk, open_desk, type_text, wait_idle


def _scalar(database, sql: str, **params):
    with database.engine.connect() as connection:
        return connection.execute(sa.text(sql), params).scalar()


def _film_id(database, title: str) -> int:
    return _scalar(database, "SELECT id FROM film WHERE title = :t", t=title)


def _my_notes(database, film_id: int) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.execute(sa.text(
            "SELECT n.text FROM note n JOIN programmer p ON p.id = n.programmer_id "
            "WHERE n.film_id = :f AND p.name = :p ORDER BY n.id"), {"f": film_id, "p": PROGRAMMER}).scalars())


def _show(qtbot, desk, title: str):
    """Select the film `title` in the current list and wait for its page and panel."""
    film_area = desk.window.current_film_area()
    film_id = _film_id(desk.context.database, title)
    film_area.list.select_films([film_id], current=film_id)
    qtbot.waitUntil(lambda: film_area.page.film_id == film_id, timeout=10000)
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: film_area.page.opinions._opinions is not None
                    and film_area.page.opinions._opinions.film_id == film_id, timeout=10000)
    return film_area, film_id


def _press(widget, key: Qt.Key, text: str = "") -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))


def test_rate_and_write_my_note_on_the_film_page_as_one_undo_step(qtbot, desk, monkeypatch):
    monkeypatch.setattr(opinions_module, "SAVE_DELAY_MS", 150)
    film_area, film_id = _show(qtbot, desk, "Aquarela")
    panel = film_area.page.opinions
    database = desk.context.database
    assert panel.isVisible() and film_area.page.tabs.isVisible()  # both at once, no tab to switch

    _press(panel.star_row, Qt.Key.Key_4, "4")
    wait_idle(qtbot, desk)
    assert _scalar(database, "SELECT score FROM rating r JOIN programmer p ON p.id = r.programmer_id "
                             "WHERE r.film_id = :f AND p.name = :p", f=film_id, p=PROGRAMMER) == 4
    qtbot.waitUntil(lambda: panel.star_row.buttons[3].text() == "★" and panel.star_row.buttons[4].text() == "☆")
    before = list(_my_notes(database, film_id))

    panel.new_note_button.click()
    panel._save_timer.setInterval(150)
    type_text(panel.note_edit, "Vodni posnetki so čudoviti; ")
    qtbot.waitUntil(lambda: _my_notes(database, film_id) != before, timeout=5000)  # saved while typing
    type_text(panel.note_edit, "the ending <drags> & needs a cut.")
    qtbot.waitUntil(lambda: panel.save_state.text() == "Saved" and not panel.has_pending_note, timeout=5000)
    wait_idle(qtbot, desk)
    assert _my_notes(database, film_id) == [*before, "Vodni posnetki so čudoviti; the ending <drags> & needs a cut."]
    # One editing session is one undo step, however many saves it took.
    assert desk.window.undo_action.text() == "Undo Note on “Aquarela”"
    desk.window.undo_action.trigger()
    wait_idle(qtbot, desk)
    assert _my_notes(database, film_id) == before
    assert desk.window.undo_action.text() == "Undo Rate “Aquarela” 4 of 5"
    desk.window.redo_action.trigger()
    wait_idle(qtbot, desk)
    assert _my_notes(database, film_id)[-1].endswith("needs a cut.")

    _press(panel.star_row, Qt.Key.Key_Backspace)  # takes my rating back
    wait_idle(qtbot, desk)
    assert _scalar(database, "SELECT count(*) FROM rating r JOIN programmer p ON p.id = r.programmer_id "
                             "WHERE r.film_id = :f AND p.name = :p", f=film_id, p=PROGRAMMER) == 0


def test_colleagues_notes_show_in_full_as_typed_and_only_my_own_can_be_edited(qtbot, desk):
    from festival_desk.actions.programming import save_note

    database = desk.context.database
    film_id = _film_id(database, "Collective")
    long_note = ("A long note <b>not bold</b> & kept. " * 3000).strip()  # about 100,000 characters
    save_note(database, film_id, "Tomaž Žnidaršič", long_note)
    film_area, _ = _show(qtbot, desk, "Collective")
    panel = film_area.page.opinions
    qtbot.waitUntil(lambda: "Tomaž Žnidaršič" in panel.others.toPlainText(), timeout=10000)
    shown = panel.others.toPlainText()
    assert long_note in shown  # in full: not cut off with "…", markup shown as typed
    assert "<b>not bold</b>" in shown and "Edit" not in shown.split("Tomaž Žnidaršič")[1][:200]


def test_an_edit_is_stored_when_another_film_is_picked(qtbot, desk):
    film_area, film_id = _show(qtbot, desk, "Aquarela")
    page = film_area.page
    original = page.runtime_edit.text()
    page.runtime_edit.setText(str(int(original) + 2))
    assert page.dirty
    _show(qtbot, desk, "Collective")
    wait_idle(qtbot, desk)
    assert _scalar(desk.context.database, "SELECT runtime_minutes FROM film WHERE id = :f", f=film_id) \
        == int(original) + 2
    assert desk.window.undo_action.text() == "Undo Edit “Aquarela”"


def test_an_invalid_field_keeps_the_page_and_names_the_field(qtbot, desk):
    film_area, film_id = _show(qtbot, desk, "Aquarela")
    page = film_area.page
    page.year_edit.setText("18")  # not a year
    other = _film_id(desk.context.database, "Collective")
    film_area.list.select_films([other], current=other)
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: film_area.list.current_film_id() == film_id, timeout=5000)
    assert page.film_id == film_id and page.year_edit.text() == "18"
    assert "year" in page.error.text() and "Aquarela" in page.error.text()
    assert _scalar(desk.context.database, "SELECT year FROM film WHERE id = :f", f=film_id) == 2018


def test_closing_the_window_stores_the_edit_and_the_note_being_typed(qtbot, desk_settings, demo_path):
    desk = open_desk(qtbot, desk_settings, str(demo_path))
    film_area, film_id = _show(qtbot, desk, "Gunda")
    film_area.page.title_edit.setText("Gunda (restored)")
    panel = film_area.page.opinions
    panel.note_edit.setFocus()
    type_text(panel.note_edit, "Written just before closing.")
    assert panel.has_pending_note
    close_desk(desk)
    reopened = open_desk(qtbot, desk_settings, str(demo_path))
    try:
        database = reopened.context.database
        assert _scalar(database, "SELECT title FROM film WHERE id = :f", f=film_id) == "Gunda (restored)"
        assert "Written just before closing." in _my_notes(database, film_id)[-1]
    finally:
        close_desk(reopened)


def test_undo_and_redo_read_right_through_five_cycles(qtbot, desk):
    film_area, film_id = _show(qtbot, desk, "Crip Camp")
    window = desk.window
    window.move_actions["in_review"].trigger()
    wait_idle(qtbot, desk)
    label = "Move “Crip Camp” to In review"
    for _cycle in range(5):
        assert window.undo_action.text() == f"Undo {label}" and window.undo_action.iconText() == "Undo"
        window.undo_action.trigger()
        wait_idle(qtbot, desk)
        assert window.redo_action.text() == f"Redo {label}" and window.redo_action.iconText() == "Redo"
        window.redo_action.trigger()
        wait_idle(qtbot, desk)
    with desk.context.database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT kind, comment FROM statuschange WHERE film_id = :f "
                                          "ORDER BY id"), {"f": film_id}).all()
    assert [kind for kind, _ in rows[-11:]] == ["move"] + ["undo", "redo"] * 5
    assert not any("Undo" in comment for _, comment in rows)
    qtbot.waitUntil(lambda: film_area.page.history.topLevelItemCount() == len(rows), timeout=5000)
    moves = [film_area.page.history.topLevelItem(row).text(2) for row in range(len(rows))]
    assert sum("(undone)" in move for move in moves) == 5 and sum("(redone)" in move for move in moves) == 5


def test_a_name_not_on_the_committee_is_never_added_silently(qtbot, desk_settings, demo_path):
    desk = open_desk(qtbot, desk_settings, str(demo_path), programmer="maja")
    try:
        qtbot.waitUntil(lambda: desk.window.findChild(QMessageBox, "addProgrammer") is not None, timeout=10000)
        box = desk.window.findChild(QMessageBox, "addProgrammer")
        assert box.text() == "Add ‘maja’ to the committee?"
        buttons = {button.text(): button for button in box.findChildren(QPushButton)}
        assert "I am Maja Kovačič" in buttons and "Add ‘maja’" in buttons
        assert _scalar(desk.context.database, "SELECT count(*) FROM programmer") == 5
        buttons["I am Maja Kovačič"].click()
        qtbot.waitUntil(lambda: desk.context.programmer_name == "Maja Kovačič", timeout=10000)
        assert _scalar(desk.context.database, "SELECT count(*) FROM programmer") == 5
        assert desk_settings.programmer == "Maja Kovačič"
    finally:
        close_desk(desk)
    desk = open_desk(qtbot, desk_settings, str(demo_path), programmer="Nina Novak")
    try:
        qtbot.waitUntil(lambda: desk.window.findChild(QMessageBox, "addProgrammer") is not None, timeout=10000)
        box = desk.window.findChild(QMessageBox, "addProgrammer")
        next(b for b in box.findChildren(QPushButton) if b.text() == "Add ‘Nina Novak’").click()
        qtbot.waitUntil(lambda: desk.context.programmer_name == "Nina Novak", timeout=10000)
        assert _scalar(desk.context.database, "SELECT count(*) FROM programmer") == 6
    finally:
        close_desk(desk)


def test_the_triage_columns_fit_a_1280_by_800_window(qtbot, desk):
    window = desk.window
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    view = window.current_film_area().list.view
    shown = view.visible_columns()
    assert shown[:7] == ["title", "status", "my_rating", "mean", "spread", "year", "runtime"]
    header = view.horizontalHeader()
    widths = sum(header.sectionSize(header.logicalIndex(visual)) for visual in range(7))
    assert widths <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()
    menu_titles = [action.text() for action in view.column_menu(view).actions()]
    assert "Directors" in menu_titles and "Countries" in menu_titles  # one click away
    page = window.current_film_area().page
    assert page.minimumSizeHint().width() <= 320
    window.page_action.trigger()  # fold the film page away: the list takes the width
    assert not page.isVisible() and desk.window.settings.film_page_shown is False
    window.page_action.trigger()
    assert page.isVisible()


def test_search_esc_empty_state_and_rating_a_single_hit_with_a_key(qtbot, desk):
    window = desk.window
    film_list = window.current_film_area().list
    window.search_box.setFocus()
    type_text(window.search_box, "no such film zzz")
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: film_list.empty_state.isVisible(), timeout=5000)
    assert film_list.empty_state.text().startswith("No film matches ‘no such film zzz’")
    _press(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: film_list.model.rowCount() > 40 and not film_list.empty_state.isVisible())

    type_text(window.search_box, "Acasă")
    wait_idle(qtbot, desk)
    film_id = _film_id(desk.context.database, "Acasă, My Home")
    qtbot.waitUntil(lambda: film_list.selected_film_ids() == [film_id], timeout=5000)  # the one hit, selected
    assert window.rate_button.isEnabled()
    _press(window.search_box, Qt.Key.Key_Down)  # from the box to the list
    assert film_list.view.hasFocus() or QApplication.focusWidget() is film_list.view
    _press(film_list.view, Qt.Key.Key_2, "2")
    wait_idle(qtbot, desk)
    assert _scalar(desk.context.database, "SELECT score FROM rating r JOIN programmer p ON p.id = r.programmer_id "
                                          "WHERE r.film_id = :f AND p.name = :p", f=film_id, p=PROGRAMMER) == 2

    window.show_area("shortlist")
    shortlist = window.current_film_area().list
    wait_idle(qtbot, desk)
    assert window.search_box.text() == "Acasă" and "Shortlist" in window.search_box.placeholderText()
    qtbot.waitUntil(lambda: shortlist.empty_state.isVisible(), timeout=5000)
    assert shortlist.empty_state.text().startswith("No shortlisted film matches ‘Acasă’")
    film_list.select_films([])
    window.show_area("submissions")
    window.search_box.clear()
    wait_idle(qtbot, desk)
    window.current_film_area().list.select_films([])
    assert not window.rate_button.isEnabled() and not window.move_button.isEnabled()


def test_help_lists_every_shortcut_from_the_actions(qtbot, desk):
    from festival_desk.gui.help import GettingStartedDialog, ShortcutsDialog

    dialog = ShortcutsDialog(desk.window)
    qtbot.addWidget(dialog)
    rows = [tuple(dialog.table.item(row, column).text() for column in range(3))
            for row in range(dialog.table.rowCount())]
    what = {row[1]: row[2] for row in rows}
    for status in ("Submitted", "In review", "Shortlisted", "Selected", "Confirmed", "Declined", "Withdrawn"):
        assert what[f"Move to {status}"].startswith("Ctrl+Shift+")  # a shortcut for every move
    assert len({what[f"Move to {status}"] for status in ("Submitted", "In review", "Shortlisted", "Selected",
                                                          "Confirmed", "Declined", "Withdrawn")}) == 7
    assert what["Undo the last action"] == "Ctrl+Z" and what["Keyboard Shortcuts"] == "F1"
    # Actions added later appear without editing the help.
    desk.window.menuBar().actions()[0].menu().addAction("Brand New Thing").setShortcut("Ctrl+Alt+N")
    again = ShortcutsDialog(desk.window)
    qtbot.addWidget(again)
    assert any(again.table.item(row, 1).text() == "Brand New Thing" for row in range(again.table.rowCount()))
    guide = GettingStartedDialog(desk.window)
    qtbot.addWidget(guide)
    text = guide.text.toPlainText()
    assert "Triage" in text and "Reviews" in text and "Print" in text


def test_blind_mode_hides_colleagues_until_i_have_rated(qtbot, desk):
    window = desk.window
    database = desk.context.database
    film_id = _film_id(database, "Dick Johnson Is Dead")
    with database.transaction() as session:
        session.execute(sa.text("DELETE FROM rating WHERE film_id = :f AND programmer_id = "
                                "(SELECT id FROM programmer WHERE name = :p)"), {"f": film_id, "p": PROGRAMMER})
    window.blind_action.trigger()
    assert desk.window.settings.blind is True
    film_area, _ = _show(qtbot, desk, "Dick Johnson Is Dead")
    panel = film_area.page.opinions
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Blind mode"), timeout=5000)
    assert panel.others.toPlainText().strip() == "No colleague has rated this film or written about it yet." \
        or "★" not in panel.others.toPlainText()
    row = film_area.list.model.row_of(film_id)
    qtbot.waitUntil(lambda: film_area.list.model.index(row, 3).data() == "")  # no mean before I rate
    _press(panel.star_row, Qt.Key.Key_3, "3")
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Mean"), timeout=5000)
    assert "★" in panel.others.toPlainText()
    window.blind_action.trigger()


def test_an_ampersand_in_a_title_reads_right_in_the_undo_menu(qtbot, desk):
    film_area, film_id = _show(qtbot, desk, "Aquarela")
    film_area.page.title_edit.setText("Water & Ice")
    film_area.page.save()
    wait_idle(qtbot, desk)
    undo = desk.window.undo_action
    assert undo.text() == "Undo Edit “Water && Ice”"  # a doubled "&" shows as one in the menu
    assert undo.toolTip().startswith("Undo Edit “Water & Ice”")
