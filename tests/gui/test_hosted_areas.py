"""The review and submission widgets as the desk hosts them, driven through the real window on
the demo festival: the Reviews and Critics areas, a review file dropped on the window, approving
a quote on the film page and undoing it, File › Import and Export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from festival_desk.actions.reviews import film_quotes, film_reviews, list_critics
from festival_desk.gui.reviews import DeskReviewsPanel
from festival_desk.gui.submissions import DeskImportDialog, export_dialog
from tests.gui.conftest import wait_idle

pytestmark = pytest.mark.gui
SUBMISSIONS = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"


def _scalar(database, sql: str, **params):
    with database.engine.connect() as connection:
        return connection.execute(sa.text(sql), params).scalar()


def _drop(window, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    where = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where.toPointF(), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()


def _show_film(qtbot, desk, film_id: int):
    """Show `film_id` on the Submissions film page, Reviews tab; returns the reviews panel."""
    window = desk.window
    window.show_area("submissions")
    area = window.film_areas["submissions"]
    area.list.select_films([film_id], current=film_id)
    qtbot.waitUntil(lambda: area.page.film_id == film_id, timeout=10000)
    panel = area.page.findChild(DeskReviewsPanel, "filmReviews")
    area.page.tabs.setCurrentWidget(panel)
    wait_idle(qtbot, desk)
    return panel


def test_reviews_and_critics_areas_list_what_the_festival_holds(qtbot, desk):
    database = desk.context.database
    reviews = _scalar(database, "SELECT count(*) FROM review")
    assert reviews > 0
    desk.window.show_area("reviews")
    area = desk.window.area_pages["reviews"]
    qtbot.waitUntil(lambda: area.table.rowCount() == reviews, timeout=10000)
    newest_title = _scalar(database, "SELECT f.title FROM review r JOIN film f ON f.id = r.film_id "
                                     "ORDER BY r.imported_at DESC, r.id DESC LIMIT 1")
    assert area.table.item(0, 0).text() == newest_title
    # The first review is read beside the list, subheads and all.
    wait_idle(qtbot, desk)
    shown = film_reviews(database, area.rows[0].film_id)
    assert area.panel.current_review().id == area.rows[0].id
    assert shown[0].critic in area.panel.text.toPlainText()

    desk.window.show_area("critics")
    critics = desk.window.area_pages["critics"]
    expected = [critic.name for critic in list_critics(database)]
    qtbot.waitUntil(lambda: critics.table.rowCount() == len(expected), timeout=10000)
    assert [critics.table.item(row, 0).text() for row in range(len(expected))] == expected
    assert critics.count.text().startswith(str(len(expected)))


def test_a_dropped_review_file_is_imported_and_shown_on_its_films_page(qtbot, desk, tmp_path: Path):
    database = desk.context.database
    film_id = _scalar(database, "SELECT f.id FROM film f WHERE f.year IS NOT NULL AND NOT EXISTS "
                                "(SELECT 1 FROM review r WHERE r.film_id = f.id) AND EXISTS (SELECT 1 FROM "
                                "filmcredit c WHERE c.film_id = f.id AND c.role = 'director') ORDER BY f.id LIMIT 1")
    title = _scalar(database, "SELECT title FROM film WHERE id = :f", f=film_id)
    year = _scalar(database, "SELECT year FROM film WHERE id = :f", f=film_id)
    director = _scalar(database, "SELECT p.name FROM filmcredit c JOIN person p ON p.id = c.person_id "
                                 "WHERE c.film_id = :f AND c.role = 'director' ORDER BY c.position LIMIT 1",
                       f=film_id)
    review = tmp_path / "dropped review.txt"
    review.write_text(f"Tove Lindqvist\n{title}\n{director}\nNorway, {year}\n"
                      "A patient film that trusts its people & their silences more than any <b>commentary</b>.\n\n"
                      "«It trusts its people.»\n", encoding="utf-8")

    def accept_review_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "import_button"):
            QTimer.singleShot(50, accept_review_dialog)
            return
        assert dialog.chosen_film_id() == film_id  # matched to the right film, not guessed
        dialog.import_button.click()

    QTimer.singleShot(50, accept_review_dialog)
    with qtbot.waitSignal(desk.context.changed, timeout=15000):
        _drop(desk.window, [review])
    assert [r.critic for r in film_reviews(database, film_id)] == ["Tove Lindqvist"]

    panel = _show_film(qtbot, desk, film_id)
    qtbot.waitUntil(lambda: panel.current_review() is not None, timeout=10000)
    assert "their silences more than any <b>commentary</b>" in panel.text.toPlainText()
    assert [panel.quotes.item(row).text() for row in range(panel.quotes.count())] == ["It trusts its people."]
    assert panel.empty_label.isHidden()


def test_approve_a_quote_on_the_film_page_then_undo(qtbot, desk):
    database = desk.context.database
    film_id = _scalar(database, "SELECT r.film_id FROM pullquote q JOIN review r ON r.id = q.review_id "
                                "WHERE q.approved = false ORDER BY q.id LIMIT 1")
    panel = _show_film(qtbot, desk, film_id)
    qtbot.waitUntil(lambda: panel.quotes.count() > 0, timeout=10000)
    review = panel.current_review()
    row = next(n for n, quote in enumerate(review.quotes) if not quote.approved)
    quote_id = review.quotes[row].id

    def approved() -> bool:
        return next(q.approved for q in film_quotes(database, film_id) if q.id == quote_id)

    with qtbot.waitSignal(desk.context.changed, timeout=10000):
        panel.quotes.item(row).setCheckState(Qt.CheckState.Checked)
    assert approved()
    assert desk.window.undo_action.isEnabled() and "quote" in desk.window.undo_action.text().lower()

    with qtbot.waitSignal(desk.context.changed, timeout=10000):
        desk.window.undo_action.trigger()
    assert not approved()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: panel.quotes.item(row).checkState() == Qt.CheckState.Unchecked, timeout=10000)


def test_file_import_opens_the_import_dialog_and_imports_submissions(qtbot, desk):
    database = desk.context.database
    films_before = _scalar(database, "SELECT count(*) FROM film")
    desk.window.import_action.trigger()
    dialog = _import_dialog(desk.window)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.set_path(str(SUBMISSIONS / "filmfreeway_export.csv"))
    assert dialog.preview_table.rowCount() > 0
    with qtbot.waitSignal(desk.context.changed, timeout=20000):
        dialog.import_button.click()
    added = _scalar(database, "SELECT count(*) FROM film") - films_before
    assert added > 0 and f"Added: {added}" in dialog.report.toPlainText()
    dialog.close()
    # The same dialog comes back from the menu, its report still there.
    desk.window.import_action.trigger()
    assert _import_dialog(desk.window) is dialog and dialog.isVisible()


def test_a_dropped_spreadsheet_opens_the_import_dialog_on_it(qtbot, desk):
    path = SUBMISSIONS / "webform.csv"
    _drop(desk.window, [path])
    qtbot.waitUntil(lambda: _import_dialog(desk.window) is not None and _import_dialog(desk.window).isVisible(),
                    timeout=5000)
    dialog = _import_dialog(desk.window)
    assert dialog.path_edit.text() == str(path)
    assert dialog.preview_table.columnCount() > 0


def test_export_writes_the_current_list_in_its_order(qtbot, desk, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    area = desk.window.film_areas["submissions"]
    ids = area.list.model.ids[:5]
    dialog = export_dialog(desk.context, desk.window, ids)
    target = tmp_path / "list.csv"
    dialog.export_to(str(target))
    qtbot.waitUntil(lambda: "Exported 5" in desk.window.statusBar().currentMessage(), timeout=10000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["Film ID"]) for row in rows] == ids


def _import_dialog(window):
    return window.findChild(DeskImportDialog, "importDialog")
