"""The main window around the lists: areas and placeholders, the film page saving as one undoable
action, a dropped still, remembered columns and geometry."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from festival_desk.gui.areas import AREAS
from tests.gui.conftest import close_desk, open_desk, type_text, wait_idle


def _open_page(qtbot, desk, row: int = 0):
    area = desk.window.current_film_area()
    with qtbot.waitSignal(area.page.loaded, timeout=10000):
        area.list.view.selectRow(row)
    return area.page


def test_every_area_has_a_page_and_a_shortcut(qtbot, desk):
    window = desk.window
    for number, area in enumerate(AREAS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_area().key == area.key
        assert window.stack.currentWidget() is window.area_pages[area.key]


def test_film_page_edit_is_validated_saved_as_one_action_and_undone(qtbot, desk):
    page = _open_page(qtbot, desk)
    film_id = page.film_id
    database = desk.context.database
    page.year_edit.setText("")
    type_text(page.year_edit, "1700")
    assert not page.save_button.isEnabled() and "year" in page.error.text()
    page.year_edit.setText("2016")
    page.title_edit.setText("Ćao, <Ana> & Co")
    page.countries.search.setText("cote")
    page.countries._add_typed()
    assert page.countries.codes()[-1] == "CI"
    assert page.save_button.isEnabled()
    page.save_button.click()
    wait_idle(qtbot, desk)
    with database.engine.connect() as connection:
        title, year = connection.execute(sa.text("SELECT title, year FROM film WHERE id = :i"), {"i": film_id}).one()
        codes = connection.execute(sa.text("SELECT code FROM filmcountry WHERE film_id = :i ORDER BY position"),
                                   {"i": film_id}).scalars().all()
    assert (title, year, codes[-1]) == ("Ćao, <Ana> & Co", 2016, "CI")
    qtbot.waitUntil(lambda: page.heading.text() == "Ćao, <Ana> & Co")  # shown exactly as typed
    assert desk.window.undo_action.text() == "Undo Edit “Ćao, <Ana> && Co”"  # "&&": one "&" in the menu
    desk.window.undo_action.trigger()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: page.heading.text() != "Ćao, <Ana> & Co")
    with database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM filmcountry WHERE film_id = :i AND code = 'CI'"),
                                  {"i": film_id}).scalar() == 0


def test_dropping_an_image_adds_a_still(qtbot, desk, tmp_path):
    page = _open_page(qtbot, desk, 2)
    before = page.stills.count()
    image = tmp_path / "still.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (20, 90, 160)).save(buffer, "PNG")
    image.write_bytes(buffer.getvalue())
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(image))])
    page.tabs.setCurrentIndex(2)
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page.stills.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page.stills.viewport(), drop)
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: page.stills.count() == before + 1, timeout=10000)


def test_columns_splitters_and_geometry_are_remembered(qtbot, desk_settings, demo_path):
    first = open_desk(qtbot, desk_settings, str(demo_path))
    # A window that fits the screen the platform reports (offscreen: 800×800; Xvfb: 1280×800), so
    # that restoring it is never clamped by a smaller screen and the checks hold on any screen.
    screen = first.window.screen().availableGeometry()
    first.window.resize(min(1200, screen.width() - 40), min(720, screen.height() - 60))
    qtbot.waitUntil(lambda: first.window.width() <= screen.width() - 40)
    view = first.window.current_film_area().list.view
    view.set_column_visible("tags", True)
    view.set_column_visible("directors", False)
    view.horizontalHeader().resizeSection(0, 333)
    area = first.window.current_film_area()
    # Panes: [side panel,] film list, film page. Give the film page a width of its own.
    total, panes = sum(area.sizes()), area.count()
    wanted = [160] * (panes - 2) + [0, 300]
    wanted[-2] = total - sum(wanted)
    area.setSizes(wanted)
    sizes = area.sizes()
    first_size = first.window.size()
    close_desk(first)
    second = open_desk(qtbot, desk_settings, str(demo_path))
    try:
        columns = second.window.current_film_area().list.view.visible_columns()
        assert "tags" in columns and "directors" not in columns
        assert second.window.current_film_area().list.view.horizontalHeader().sectionSize(0) == 333
        restored = second.window.current_film_area().sizes()
        assert second.window.size() == first_size
        assert abs(restored[-1] - sizes[-1]) <= 2 and abs(restored[-2] - sizes[-2]) <= 2
        assert desk_settings.state("geometry")
    finally:
        close_desk(second)


def test_a_desk_opened_without_a_programmer_asks_who_is_working(qtbot, desk_settings, demo_path) -> None:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    assert desk_settings.programmer is None
    desk = open_desk(qtbot, desk_settings, str(demo_path), programmer=None)
    try:
        qtbot.waitUntil(lambda: desk.window.findChild(QDialog, "preferences") is not None
                        and desk.window.findChild(QDialog, "preferences").isVisible(), timeout=5000)
        dialog = desk.window.findChild(QDialog, "preferences")
        assert dialog.windowTitle() == "Who is working?"
        assert not desk.window.rate_button.isEnabled()  # nobody to rate as yet
        qtbot.waitUntil(lambda: dialog.name_combo.count() == 5, timeout=5000)  # the demo's committee
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        dialog.name_combo.setEditText("  ")
        assert not ok.isEnabled()
        dialog.name_combo.setEditText("Tomaž Žnidaršič")
        assert ok.isEnabled()
        dialog.accept()
        qtbot.waitUntil(lambda: desk.context.programmer_name == "Tomaž Žnidaršič", timeout=5000)
        assert desk.context.programmer_id is not None and desk_settings.programmer == "Tomaž Žnidaršič"
        assert "Tomaž Žnidaršič" in desk.window.programmer_label.text()
    finally:
        close_desk(desk)


def test_the_status_bar_counts_films_in_plain_english(desk) -> None:
    from festival_desk.gui.plurals import count_text

    assert desk.window.count_label.text() == "59 films"
    assert count_text("MainWindow", 1, "1 film", "%n films") == "1 film"
