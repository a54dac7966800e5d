"""Opening, editing, deleting, duplicating and naming screenings on the grid as a programmer does:
double-click, Enter, the Delete key and the context menu; a shorts programme built by drops; two
overlapping screenings side by side, each clickable; the day list with its counts; a screening a
colleague deleted. Mouse and drops are synthetic events on the viewport (see TECH-NOTES)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu

from festival_desk.actions import schedule as actions
from festival_desk.gui.schedule import ScheduleWidget
from festival_desk.gui.schedule.grid import AXIS_WIDTH, COLUMN_WIDTH, HEADER_HEIGHT, side_by_side
from festival_desk.store import models as m
from tests.gui.test_schedule_grid import agree_to_add, block_point, drop
from tests.support.screenings import screening_rows as rows

pytestmark = pytest.mark.gui
ZONE = "Europe/Ljubljana"


@pytest.fixture
def database(empty_db):
    """Thu 13 – Sat 15 March 2025, Kinodvor with two screens; a feature on Thursday evening."""
    with empty_db.transaction() as session:
        session.add(m.Festival(name="Grid Docs", starts_on=dt.date(2025, 3, 13), ends_on=dt.date(2025, 3, 15),
                               timezone=ZONE))
        for fid, (title, runtime) in enumerate([("The Red Soul", 90), ("Ёлка у моря", 75), ("Short One", 12),
                                                ("Short Two", 18), ("Short Three", 9)], start=1):
            session.add(m.Film(id=fid, title=title, sort_title=title, sort_key=title.lower(),
                               runtime_minutes=runtime, status="selected"))
    venue = actions.add_venue(empty_db, "Kinodvor").details["venue_id"]
    empty_db.big = actions.add_screen(empty_db, venue, "Velika dvorana", 400).details["screen_id"]
    empty_db.small = actions.add_screen(empty_db, venue, "Mala dvorana", 90).details["screen_id"]
    empty_db.feature = actions.add_screening(empty_db, empty_db.big, "2025-03-13T19:30", [1],
                                             qa_minutes=20).details["screening_id"]
    return empty_db


@pytest.fixture
def widget(qtbot, database):
    widget = ScheduleWidget(database)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(view, point: QPoint, kind=QMouseEvent.Type.MouseButtonPress, button=Qt.MouseButton.LeftButton):
    for event_kind in ((QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease)
                       if kind == QMouseEvent.Type.MouseButtonPress else (kind,)):
        buttons = button if event_kind != QMouseEvent.Type.MouseButtonRelease else Qt.MouseButton.NoButton
        QApplication.sendEvent(view.viewport(), QMouseEvent(event_kind, QPointF(point),
                                                            QPointF(view.viewport().mapToGlobal(point)), button,
                                                            buttons, Qt.KeyboardModifier.NoModifier))


def double_click(view, point: QPoint) -> None:
    click(view, point)
    click(view, point, QMouseEvent.Type.MouseButtonDblClick)
    click(view, point, QMouseEvent.Type.MouseButtonRelease)


def empty_point(widget, screen_column: int, when: dt.datetime) -> QPoint:
    grid = widget.grid
    y = grid.y_for(when.replace(tzinfo=grid.schedule.festival.zone))
    x = AXIS_WIDTH + screen_column * COLUMN_WIDTH + COLUMN_WIDTH / 2
    grid.centerOn(QPointF(x, y))
    return grid.mapFromScene(QPointF(x, y))


def menu_actions(menu: QMenu) -> dict[str, object]:
    found = {}
    for action in menu.actions():
        found[action.text()] = action
        if action.menu() is not None:
            for sub in action.menu().actions():
                found[f"{action.text()} › {sub.text()}"] = sub
    return found


def test_double_click_opens_the_editor_and_save_is_one_undoable_change(qtbot, widget, database):
    before = rows(database)[database.feature]
    double_click(widget.grid, block_point(widget, database.feature))
    editor = widget.editor
    assert editor is not None and editor.isVisible()
    assert editor.windowTitle() == "Screening: The Red Soul"
    assert editor.film_ids() == [1] and editor.qa.value() == 20
    assert editor.tally.text() == "1 film 90′ + Q&A 20′ = 110′; ends 21:20, then 15′ changeover"
    editor.kind.setCurrentIndex(editor.kind.findData("press"))
    editor.qa.setValue(30)
    editor.premiere.setCurrentIndex(editor.premiere.findData("world"))
    editor.notes.setPlainText("35 mm print")
    editor.guest_name.setText("Jessica Gorter")
    editor.add_guest()
    with qtbot.waitSignal(widget.changed, timeout=5000) as changed:
        editor.buttons.button(editor.buttons.StandardButton.Save).click()
    assert changed.args[0].description == "Edit The Red Soul, Thu 19:30, Velika dvorana"
    after = rows(database)[database.feature]
    assert (after["kind"], after["qa_minutes"], after["premiere"], after["guests"]) == \
        ("press", 30, "world", ["Jessica Gorter"])
    assert after["end"] == "2025-03-13T21:45:00"  # 90 + 30 + 15 changeover
    assert "PRESS" in widget.grid.blocks[database.feature].label.toPlainText()
    widget.undo()
    assert rows(database)[database.feature] == before


def test_the_editor_moves_sets_the_end_and_arranges_the_programme(qtbot, widget, database):
    widget.grid.select_screening(database.feature)
    widget.grid.setFocus()
    qtbot.keyClick(widget.grid, Qt.Key.Key_Return)  # Enter opens the selected screening
    editor = widget.editor
    assert editor is not None
    editor.screen.setCurrentIndex(editor.screen.findData(database.small))
    editor.day.setDate(dt.date(2025, 3, 14))
    editor.start.setTime(dt.time(14, 0))
    for film_id in (3, 4):
        editor.film_choice.setCurrentIndex(editor.film_choice.findData(film_id))
        editor.add_chosen_film()
    editor.films.setCurrentRow(0)
    editor.remove_current_film()  # the feature goes
    editor.films.setCurrentRow(1)
    editor.move_film(-1)  # Short Two before Short One
    editor.manual_end.setChecked(True)
    editor.end.setTime(dt.time(14, 25))
    assert editor.tally.text() == "2 films 30′ + Q&A 20′ = 50′ of a 25′ slot, 25′ too long"
    assert "c62828" in editor.tally.styleSheet()  # red: too long
    editor.qa.setValue(0)
    assert editor.tally.text() == "2 films 30′ of a 25′ slot, 5′ too long"
    editor.end.setTime(dt.time(14, 40))
    assert editor.tally.text() == "2 films 30′ of a 40′ slot, 10′ to spare"
    editor.title.setText("Shorts 1: Water")
    with qtbot.waitSignal(widget.changed, timeout=5000):
        editor.buttons.button(editor.buttons.StandardButton.Save).click()
    moved = rows(database)[database.feature]
    assert (moved["screen_id"], moved["start"], moved["end"], moved["film_ids"], moved["title"]) == \
        (database.small, "2025-03-14T14:00:00", "2025-03-14T14:40:00", [4, 3], "Shorts 1: Water")
    assert widget.day_selector.currentData() == dt.date(2025, 3, 13)  # the day shown stays
    assert database.feature not in widget.grid.blocks


def test_the_delete_key_deletes_and_undo_brings_it_back(qtbot, widget, database):
    click(widget.grid, block_point(widget, database.feature))
    assert widget.grid.selected_id() == database.feature
    assert widget.details.text().startswith("The Red Soul — Thu 13 Mar 19:30–21:20, Velika dvorana (Kinodvor)")
    qtbot.keyClick(widget.grid, Qt.Key.Key_Delete)
    assert database.feature not in rows(database) and database.feature not in widget.grid.blocks
    assert widget.history[-1].description == "Delete The Red Soul, Thu 19:30, Velika dvorana"
    widget.undo()
    assert rows(database)[database.feature]["film_ids"] == [1] and database.feature in widget.grid.blocks


def test_the_context_menu_duplicates_names_opens_and_deletes(qtbot, widget, database):
    opened = []
    widget.open_film_requested.connect(opened.append)
    point = block_point(widget, database.feature)
    QApplication.sendEvent(widget.grid.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, widget.grid.viewport().mapToGlobal(point)))
    menu = widget.menu
    assert menu is not None and menu.isVisible()
    listed = menu_actions(menu)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Edit…", "Delete", "Duplicate to another day", "Name programme…", "Open film “The Red Soul”"]
    assert set(k for k in listed if k.startswith("Duplicate to another day › ")) == {
        "Duplicate to another day › Fri 14 Mar", "Duplicate to another day › Sat 15 Mar"}
    listed["Open film “The Red Soul”"].trigger()
    assert opened == [1]
    with qtbot.waitSignal(widget.changed, timeout=5000) as changed:
        listed["Duplicate to another day › Sat 15 Mar"].trigger()
    assert changed.args[0].description == "Duplicate The Red Soul to Sat 19:30, Velika dvorana"
    copy = changed.args[0].details["screening_id"]
    assert rows(database)[copy]["start"] == "2025-03-15T19:30:00"
    menu.close()
    # Name it through the menu's dialog.
    widget.name_programme(copy)
    dialog = widget.name_dialog
    assert dialog is not None and dialog.textValue() == ""
    dialog.setTextValue("Closing Night")
    with qtbot.waitSignal(widget.changed, timeout=5000):
        dialog.accept()
    assert rows(database)[copy]["title"] == "Closing Night"


def test_three_films_dropped_on_one_slot_make_a_programme_with_its_tally(qtbot, widget, database):
    drop(widget.grid, [3], empty_point(widget, 1, dt.datetime(2025, 3, 13, 14, 0)))
    [programme] = [sid for sid, r in rows(database).items() if r["film_ids"] == [3]]
    for film_id, title in ((4, "Short Two"), (5, "Short Three")):
        drop(widget.grid, [film_id], block_point(widget, programme))
        assert agree_to_add(widget).startswith(f"Add {title} to ")
    assert rows(database)[programme]["film_ids"] == [3, 4, 5]
    label = widget.grid.blocks[programme].label.toPlainText()
    assert "Short One · 12′\nShort Two · 18′\nShort Three · 9′\n3 films 39′" in label
    click(widget.grid, block_point(widget, programme))
    assert "Short One 12′ · Short Two 18′ · Short Three 9′\n3 films 39′" in widget.details.text()
    assert widget.history[-1].description == "Add Short Three to Short One + Short Two, Thu 14:00, Mala dvorana"
    # Cancelling the question adds nothing.
    drop(widget.grid, [2], block_point(widget, programme))
    widget.question.reject()
    assert rows(database)[programme]["film_ids"] == [3, 4, 5]


def test_overlapping_screenings_lie_side_by_side_and_each_can_be_clicked(qtbot, widget, database):
    other = actions.add_screening(database, database.big, "2025-03-13T20:00", [2]).details["screening_id"]
    widget.reload()
    first, second = widget.grid.blocks[database.feature], widget.grid.blocks[other]
    a, b = first.rect(), second.rect()
    assert not a.intersects(b) and a.width() > 60 and b.width() > 60
    assert AXIS_WIDTH <= min(a.left(), b.left()) and max(a.right(), b.right()) <= AXIS_WIDTH + COLUMN_WIDTH
    assert first.severity == second.severity == "error"
    assert first.label.toPlainText().endswith("⚠ conflict") or "⚠ conflict" in first.label.toPlainText()
    assert "⚠ conflict" in second.label.toPlainText()
    for screening_id, title in ((database.feature, "The Red Soul"), (other, "Ёлка у моря")):
        click(widget.grid, block_point(widget, screening_id))
        assert widget.grid.selected_id() == screening_id
        assert widget.details.text().startswith(title)
        assert "Conflict: On Velika dvorana (Kinodvor)" in widget.details.text()
    assert widget.day_selector.currentText() == "Thu 13 Mar 2025 — 2 screenings, 1 conflict"


def test_lanes_of_a_day():
    t = dt.datetime
    lanes = side_by_side([(1, t(2025, 1, 1, 10), t(2025, 1, 1, 12)), (2, t(2025, 1, 1, 11), t(2025, 1, 1, 13)),
                          (3, t(2025, 1, 1, 12), t(2025, 1, 1, 14)), (4, t(2025, 1, 1, 15), t(2025, 1, 1, 16))])
    assert lanes == {1: (0, 2), 2: (1, 2), 3: (0, 2), 4: (0, 1)}


def test_the_day_list_counts_and_the_grid_opens_an_hour_before_the_first_screening(qtbot, widget, database):
    texts = [widget.day_selector.itemText(i) for i in range(widget.day_selector.count())]
    assert texts == ["Thu 13 Mar 2025 — 1 screening", "Fri 14 Mar 2025 — 0 screenings", "Sat 15 Mar 2025 — 0 screenings"]
    grid = widget.grid
    first = grid.blocks[database.feature].screening.start
    assert grid.mapToScene(0, 0).y() == pytest.approx(grid.y_for(first - dt.timedelta(hours=1)) - HEADER_HEIGHT, abs=1)
    actions.add_screening(database, database.small, "2025-03-14T11:00", [2])
    widget.reload()
    widget.day_selector.setCurrentIndex(1)
    first = min(b.screening.start for b in grid.blocks.values())
    assert first.hour == 11
    assert grid.mapToScene(0, 0).y() == pytest.approx(grid.y_for(first - dt.timedelta(hours=1)) - HEADER_HEIGHT, abs=1)


def test_a_screening_a_colleague_deleted_is_refused_with_a_message(qtbot, widget, database):
    other = actions.add_screening(database, database.small, "2025-03-13T14:00", [3]).details["screening_id"]
    widget.reload()
    actions.delete_screening(database, database.feature)  # a colleague, behind this desk's back
    untouched = rows(database)
    click(widget.grid, block_point(widget, database.feature))
    qtbot.keyClick(widget.grid, Qt.Key.Key_Delete)
    assert widget.message.text().startswith("The Red Soul, Thu 19:30, Velika dvorana was deleted by ")
    assert widget.message.text().endswith("since you read it; nothing was saved: look at their change and save again")
    assert rows(database) == untouched and other in widget.grid.blocks
    assert database.feature not in widget.grid.blocks  # the grid shows the schedule as it is now


def test_a_drop_outside_the_festival_or_on_a_closed_screen_is_stored_and_flagged(qtbot, widget, database):
    actions.update_screen(database, database.small, opens_at="10:00", closes_at="23:00")
    widget.reload()
    drop(widget.grid, [2], empty_point(widget, 1, dt.datetime(2025, 3, 13, 7, 0)))
    [early] = [sid for sid, r in rows(database).items() if r["film_ids"] == [2]]
    assert widget.grid.blocks[early].severity == "error"
    assert any("outside the opening hours" in widget.conflicts.message(i) for i in range(widget.conflicts.count()))
    actions.add_screening(database, database.big, "2025-03-20T18:00", [3])
    widget.reload()
    assert widget.day_selector.itemText(widget.day_selector.count() - 1) == \
        "Thu 20 Mar 2025 — 1 screening, 1 conflict (outside the festival)"


def test_in_the_desk_ctrl_p_prints_the_day_sheets_and_open_film_shows_its_page(qtbot, desk, tmp_path, monkeypatch):
    from PySide6.QtGui import QKeySequence
    from pypdf import PdfReader

    from tests.gui.conftest import wait_idle

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    window = desk.window
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    window.show_area("schedule")
    area = window.area_pages["schedule"]
    qtbot.waitUntil(lambda: bool(area.grid.blocks), timeout=10000)
    day = area.day_selector.currentData()
    target = tmp_path / "sheets.pdf"
    asked = []
    monkeypatch.setattr("festival_desk.gui.schedule.widget.QFileDialog.getSaveFileName",
                        lambda parent, caption, suggested, filters: asked.append((caption, suggested)) or
                        (str(target), filters))
    window.print_action.trigger()
    qtbot.waitUntil(lambda: "written" in area.message.text(), timeout=30000)
    assert asked[0][0] == f"Save the day sheets of {day:%a %d %b %Y}"
    assert asked[0][1].endswith(f"day-sheets-{day.isoformat()}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    shown_day = {block.screening.id for block in area.grid.blocks.values()}
    assert f"{day:%A %d %B %Y}" in text and len(shown_day) > 0
    assert "path is copied" in area.message.text() and str(target) in area.message.text()
    # Open film from a screening's menu shows that film's page in the Selection area.
    screening = next(iter(area.grid.blocks.values())).screening
    area.open_film_requested.emit(screening.film_ids[0])
    assert window.current_area().key == "selection"
    page = window.film_areas["selection"].page
    qtbot.waitUntil(lambda: page.film_id == screening.film_ids[0], timeout=10000)
    wait_idle(qtbot, desk)
    # From any other area, Print is the Print area.
    window.print_action.trigger()
    assert window.current_area().key == "print"
