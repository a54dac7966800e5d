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


def test_a_build_ends_at_100_percent_saying_what_was_built(page, qtbot, demo_db):
    with qtbot.waitSignal(page.built, timeout=120_000) as built:
        page.build_button.click()
    build = built.args[0]
    qtbot.waitUntil(lambda: page.build_button.isEnabled())
    warnings = f"{len(build.warnings)} warning{'' if len(build.warnings) == 1 else 's'}"
    summary = f"{build.pages} pages, {build.films} films, {warnings}"
    assert page.progress.value() == 100 and page.progress.text() == f"100 % — {summary}"
    assert summary in page.status.text() and str(build.path) in page.status.text()
    listed = [page.report.item(row).text() for row in range(page.report.count())]
    assert [line for line in listed if line.startswith("Warning: ")] == [f"Warning: {w}" for w in build.warnings]


def test_open_in_viewer_says_what_happened_when_nothing_can_open_it(page, qtbot, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with qtbot.waitSignal(page.built, timeout=120_000):
        page.build_button.click()
    page.open_button.click()  # offscreen Qt opens nothing: no viewer, no file manager
    assert QGuiApplication.clipboard().text() == str(page.last_build.path)
    assert "no file manager are set up" in page.status.text() and str(page.last_build.path) in page.status.text()


def test_the_preview_numbers_zooms_jumps_to_a_film_and_turns_a_page_per_page_down(page, qtbot):
    preview = page.preview
    assert preview.page_label.text() == "no booklet built yet"
    with qtbot.waitSignal(page.built, timeout=120_000) as built:
        page.build_button.click()
    pages = built.args[0].pages
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    assert preview.page_label.text() == f"page 1 of {pages}"
    entries = preview.entries()
    sections = [e for e in entries if e[1] == 0]
    films = [e for e in entries if e[1] == 1]
    assert any(title == "Contents" for title, _, _ in sections) and len(films) >= 30
    # Find a film by typing its name, Enter goes there.
    title, _level, film_page = films[10]
    preview.find.setText(title)
    preview.find.returnPressed.emit()
    qtbot.waitUntil(lambda: preview.current_page() == film_page, timeout=5000)
    assert preview.page_label.text() == f"page {film_page + 1} of {pages}"
    assert title.split()[0] in page.document.getAllText(film_page).text()
    # Page Down turns one page at any zoom.
    for zoom in (1, 2, 0):  # fit page, 100 %, fit width: the page shown stays
        start = preview.current_page()
        preview.zoom.setCurrentIndex(zoom)
        qtbot.wait(50)
        assert preview.current_page() == start
        qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda start=start: preview.current_page() == start + 1, timeout=5000)
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitToWidth
    preview.zoom.setCurrentIndex(2)
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom and preview.view.zoomFactor() == 1.0
    qtbot.keyClick(preview.view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: preview.page_label.text() == f"page {pages} of {pages}", timeout=5000)
    assert not preview.next_button.isEnabled()
    preview.previous_button.click()
    qtbot.waitUntil(lambda: preview.current_page() == pages - 2, timeout=5000)
    # A section from the list, clicked.
    preview.find.clear()
    rows = [preview.found.index(row, 0) for row in range(preview.found.rowCount())]
    index = next(i for i in rows if i.data() not in ("Welcome", "Contents") and preview.found.hasChildren(i))
    section_page = next(page_number for title, level, page_number in sections if title == index.data())
    preview.contents.clicked.emit(index)
    qtbot.waitUntil(lambda: preview.current_page() == section_page, timeout=5000)


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
