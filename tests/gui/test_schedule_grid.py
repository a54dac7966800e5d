"""The schedule grid driven as a user would: synthetic mouse drags on the view, drops of films on the
viewport, clicks in the conflict list; every change lands in the database and can be undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from festival_desk.actions import schedule as actions
from festival_desk.gui.schedule import ScheduleWidget, film_mime_data
from festival_desk.gui.schedule.grid import PIXELS_PER_MINUTE
from festival_desk.store import models as m
from tests.support.screenings import screening_rows as rows

pytestmark = pytest.mark.gui

ZONE = "Europe/Ljubljana"


@pytest.fixture
def database(empty_db):
    with empty_db.transaction() as session:
        session.add(m.Festival(name="Grid Docs", starts_on=dt.date(2025, 3, 13), ends_on=dt.date(2025, 3, 14),
                               timezone=ZONE))
        for fid, (title, runtime) in enumerate([("River of Salt", 90), ("Ёлка у моря", 75), ("Short One", 12),
                                                ("Short Two", 18)], start=1):
            session.add(m.Film(id=fid, title=title, sort_title=title, sort_key=title.lower(),
                               runtime_minutes=runtime, status="selected"))
    venue = actions.add_venue(empty_db, "Kinodvor").details["venue_id"]
    big = actions.add_screen(empty_db, venue, "Big Hall", 400).details["screen_id"]
    small = actions.add_screen(empty_db, venue, "Small Hall", 90).details["screen_id"]
    actions.add_screening(empty_db, big, "2025-03-13T18:00", [1], qa_minutes=20, premiere="world")
    actions.add_screening(empty_db, small, "2025-03-13T14:00", [3], title="Shorts")
    empty_db.test_screens = (big, small)
    return empty_db


@pytest.fixture
def widget(qtbot, database):
    widget = ScheduleWidget(database)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def mouse(view, kind, point: QPoint, buttons=Qt.MouseButton.LeftButton):
    button = Qt.MouseButton.LeftButton if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(point), QPointF(view.viewport().mapToGlobal(point)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def drag(view, start: QPoint, end: QPoint):
    mouse(view, QMouseEvent.Type.MouseButtonPress, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    mouse(view, QMouseEvent.Type.MouseMove, middle)
    mouse(view, QMouseEvent.Type.MouseMove, end)
    mouse(view, QMouseEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def drop(view, film_ids, point: QPoint):
    mime = film_mime_data(film_ids)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def agree_to_add(widget) -> str:
    """Answer the question a drop on a screening asks with "Add to this programme"; its text."""
    box = widget.question
    assert box is not None and box.isVisible()
    text = box.text()
    next(b for b in box.buttons() if b.text() == "Add to this programme").click()
    return text


def block_point(widget, screening_id, where="centre") -> QPoint:
    block = widget.grid.blocks[screening_id]
    widget.grid.centerOn(block)
    rect = block.sceneBoundingRect()
    scene_point = rect.center() if where == "centre" else QPointF(rect.center().x(), rect.bottom() - 2)
    return widget.grid.mapFromScene(scene_point)


def test_grid_draws_a_column_per_screen_and_the_days_screenings(widget, database):
    assert widget.day_selector.count() == 2
    assert set(widget.grid.blocks) == set(rows(database))
    first = widget.grid.blocks[1]
    assert first.rect().height() == pytest.approx((90 + 20 + 15) * PIXELS_PER_MINUTE)
    assert "River of Salt" in first.label.toPlainText() and "World premiere" in first.label.toPlainText()
    # Two selected films are not scheduled yet: warnings, no errors.
    assert widget.conflicts.count() == 2 and "errors: 0, warnings: 2" in widget.conflict_title.text()


def test_drag_moves_a_screening_to_another_screen_snapped_and_undo_puts_it_back(widget, database):
    big, small = database.test_screens
    start = block_point(widget, 1)
    target = QPoint(start.x() + int(170), start.y() + int(32 * PIXELS_PER_MINUTE))  # +32 min: snaps to +30
    drag(widget.grid, start, target)
    moved = rows(database)[1]
    assert (moved["screen_id"], moved["start"]) == (small, "2025-03-13T18:30:00")
    assert widget.grid.blocks[1].screening.screen_id == small
    widget.undo()
    assert (rows(database)[1]["screen_id"], rows(database)[1]["start"]) == (big, "2025-03-13T18:00:00")


def test_drag_of_the_bottom_edge_sets_the_end_by_hand(widget, database):
    bottom = block_point(widget, 1, "bottom")
    drag(widget.grid, bottom, QPoint(bottom.x(), bottom.y() + int(31 * PIXELS_PER_MINUTE)))
    row = rows(database)[1]
    assert row["end_is_manual"] and row["end"] == "2025-03-13T20:35:00"


def test_overlap_made_by_a_drag_is_drawn_listed_and_a_click_jumps_to_it(widget, database, qtbot):
    shorts = block_point(widget, 2)
    offset = widget.grid.blocks[1].sceneBoundingRect().center() - widget.grid.blocks[2].sceneBoundingRect().center()
    drag(widget.grid, shorts, shorts + offset.toPoint())  # onto the feature's screen and time
    assert "errors: 1," in widget.conflict_title.text()
    overlap = widget.conflicts.item(0)  # errors are listed first
    assert "overlap" in widget.conflicts.message(0) and "Short One" in widget.conflicts.message(0)
    assert widget.grid.blocks[1].severity == "error" and widget.grid.blocks[2].severity == "error"
    widget.day_selector.setCurrentIndex(1)
    assert widget.grid.blocks == {}
    widget.conflicts.itemClicked.emit(overlap)
    assert widget.day_selector.currentData() == dt.date(2025, 3, 13)
    assert widget.grid.blocks[1].isSelected()


def test_dropping_films_creates_a_screening_or_extends_a_programme(widget, database):
    big, small = database.test_screens
    shorts = block_point(widget, 2)
    drop(widget.grid, [4], shorts)
    assert rows(database)[2]["film_ids"] == [3]  # not before the question is answered
    assert agree_to_add(widget) == "Add Short Two to Shorts, Thu 13 Mar 14:00, Small Hall?"
    assert rows(database)[2]["film_ids"] == [3, 4]
    # An empty place in the Big Hall column, around 10:00.
    grid = widget.grid
    scene_y = grid.y_for(dt.datetime(2025, 3, 13, 10, 2, tzinfo=grid.schedule.festival.zone))
    grid.centerOn(QPointF(60 + 85, scene_y))
    point = grid.mapFromScene(QPointF(52 + 85, scene_y))
    drop(grid, [2], point)
    [new] = [r for r in rows(database).values() if r["film_ids"] == [2]]
    assert (new["screen_id"], new["start"]) == (big, "2025-03-13T10:00:00")
    assert new["id"] in widget.grid.blocks


def test_a_refused_drop_shows_the_message_and_changes_nothing(widget, database):
    before = rows(database)
    drop(widget.grid, [3], block_point(widget, 2))  # already in the programme
    assert "already" in widget.message.text()
    assert rows(database) == before


def test_screenshot(widget, database, tmp_path):
    drop(widget.grid, [4], block_point(widget, 2))
    agree_to_add(widget)
    widget.grid.centerOn(widget.grid.blocks[1])
    path = Path(tmp_path) / "grid.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 5000


def test_hosted_in_the_desk_changes_go_through_the_desk_undo_history(qtbot, database):
    from festival_desk.gui.desk import DeskContext
    from festival_desk.gui.schedule import schedule_widget

    context = DeskContext()
    context.set_database(database)
    hosted = schedule_widget(context, None)
    qtbot.addWidget(hosted)
    hosted.resize(1100, 800)
    hosted.show()
    qtbot.waitExposed(hosted)
    start = block_point(hosted, 1)
    with qtbot.waitSignal(context.changed, timeout=5000):
        drag(hosted.grid, start, QPoint(start.x(), start.y() + int(60 * PIXELS_PER_MINUTE)))
    assert rows(database)[1]["start"] == "2025-03-13T19:00:00"
    qtbot.waitUntil(lambda: hosted.grid.blocks[1].screening.start.hour == 19, timeout=5000)
    with qtbot.waitSignal(context.changed, timeout=5000):
        context.undo.undo()
    assert rows(database)[1]["start"] == "2025-03-13T18:00:00"
    qtbot.waitUntil(lambda: hosted.grid.blocks[1].screening.start.hour == 18, timeout=5000)


def test_programmed_films_are_listed_with_their_screening_count_and_drag_onto_the_grid(widget, database):
    listed = {widget.films.item(row).data(Qt.ItemDataRole.UserRole): widget.films.item(row).text()
              for row in range(widget.films.count())}
    assert set(listed) == {1, 2, 3, 4}
    assert listed[1].startswith("River of Salt · 90′ · 1×")
    assert "needs 1 more" in listed[2]  # not scheduled yet, the festival wants one screening
    row_of_film_2 = next(row for row in range(widget.films.count())
                         if widget.films.item(row).data(Qt.ItemDataRole.UserRole) == 2)
    mime = widget.films.mimeData([widget.films.item(row_of_film_2)])
    grid = widget.grid
    scene_y = grid.y_for(dt.datetime(2025, 3, 13, 10, 2, tzinfo=grid.schedule.festival.zone))
    grid.centerOn(QPointF(60 + 85, scene_y))
    point = grid.mapFromScene(QPointF(52 + 85, scene_y))
    for event in (QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier),
                  QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier)):
        QApplication.sendEvent(grid.viewport(), event)
    assert [r["film_ids"] for r in rows(database).values()].count([2]) == 1
    updated = next(widget.films.item(row).text() for row in range(widget.films.count())
                   if widget.films.item(row).data(Qt.ItemDataRole.UserRole) == 2)
    assert "· 1×" in updated and "needs" not in updated
