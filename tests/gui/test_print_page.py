"""The Print page driven as a user would: options, Build with progress, preview, Cancel, Open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from festival_desk.actions import booklet as actions
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.print_page import PrintPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    context = DeskContext()
    context.set_database(demo_db)
    widget = PrintPage(context)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.sections.count() > 0, timeout=10_000)
    widget.output.setText(str(tmp_path / "out" / "booklet.pdf"))
    (tmp_path / "out").mkdir()
    yield widget
    context.runner.shutdown()


def test_build_shows_the_booklet_in_the_preview(page, qtbot):
    page.language.setCurrentIndex(page.language.findData("de"))
    with qtbot.waitSignal(page.built, timeout=120_000) as built:
        qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
        assert not page.build_button.isEnabled() and page.cancel_button.isEnabled()
    build = built.args[0]
    assert build.path.exists() and build.pages % 4 == 0
    assert page.document.status() == QPdfDocument.Status.Ready
    assert page.document.pageCount() == build.pages
    assert "Inhalt" in page.document.getAllText(2).text() or "Inhalt" in page.document.getAllText(1).text()
    assert f"{build.pages}" in page.status.text()
    qtbot.waitUntil(lambda: page.build_button.isEnabled())
    assert page.open_button.isEnabled()


def test_open_in_viewer_hands_the_file_to_the_system(page, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("festival_desk.gui.print_page.QDesktopServices.openUrl", lambda url: opened.append(url))
    with qtbot.waitSignal(page.built, timeout=120_000):
        page.build_button.click()
    page.open_button.click()
    assert opened and opened[0].toLocalFile() == str(page.last_build.path)


def test_cancel_stops_the_build_and_writes_nothing(page, qtbot, tmp_path):
    page.build_button.click()
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.build_button.isEnabled(), timeout=60_000)
    assert page.last_build is None
    assert list((tmp_path / "out").iterdir()) == []
    assert "cancelled" in page.status.text().lower()


def test_impossible_options_are_shown_not_built(page, qtbot):
    page.paper.setCurrentIndex(page.paper.findData("custom"))
    page.custom_width.setValue(40)
    page.build_button.click()
    assert page.status.text().startswith("paper:")
    assert page.build_button.isEnabled() and page._task is None


def test_saved_options_come_back_in_the_form(page, qtbot, demo_db):
    page.bleed.setValue(5)
    page.sections.item(0).setCheckState(Qt.CheckState.Unchecked)
    page.save_options()
    qtbot.waitUntil(lambda: page.status.text() == "Options saved.", timeout=10_000)
    saved = actions.load_options(demo_db)
    assert saved.bleed_mm == 5
    assert saved.sections is not None and page.sections.item(0).data(Qt.ItemDataRole.UserRole) not in saved.sections


def test_the_desk_print_area_hosts_this_page(qtbot, demo_db):
    from festival_desk.gui.areas import AREAS
    from festival_desk.gui.print_page import print_widget

    area = next(a for a in AREAS if a.key == "print")
    assert (area.module, area.factory) == ("festival_desk.gui.print_page", "print_widget")
    context = DeskContext()
    context.set_database(demo_db)
    widget = print_widget(context, None)
    qtbot.addWidget(widget)
    assert isinstance(widget, PrintPage)
    context.runner.shutdown()


def test_welcome_text_and_cover_image_are_edited_on_the_page(page, qtbot, demo_db, tmp_path, monkeypatch):
    from festival_desk.actions.artwork import make_still

    assert page.welcome.toPlainText() == actions.load_cover_and_welcome(demo_db).welcome_text
    cover_file = tmp_path / "poster.jpg"
    cover_file.write_bytes(make_still("poster", "Poster", 500, 700))
    monkeypatch.setattr("festival_desk.gui.print_page.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (str(cover_file), ""))
    page._choose_cover()
    assert "poster.jpg" in page.cover_label.text()
    page.welcome.setPlainText("Welcome, Čeh & Αθήνα <guests>")
    page.save_options()
    qtbot.waitUntil(lambda: actions.load_cover_and_welcome(demo_db).welcome_text.startswith("Welcome, Čeh"),
                    timeout=10_000)
    stored = actions.load_cover_and_welcome(demo_db)
    assert stored.welcome_text == "Welcome, Čeh & Αθήνα <guests>"
    assert stored.cover_image == cover_file.read_bytes()


def test_the_language_of_the_texts_and_the_press_file_are_chosen_on_the_page(page, qtbot, demo_db):
    page.text_language.setCurrentIndex(page.text_language.findData("de"))
    assert page.text_language.currentText() == "German"
    page.press.setChecked(True)
    page.save_button.click()
    qtbot.waitUntil(lambda: actions.load_text_languages(demo_db).festival == "de", timeout=10_000)
    with qtbot.waitSignal(page.built, timeout=120_000) as built:
        page.build_button.click()
    import pikepdf

    with pikepdf.open(built.args[0].path) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
