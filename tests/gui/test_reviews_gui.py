"""The review widgets driven offscreen: import the seed with a corrected field, approve a quote,
add one from selected text, list critics."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from festival_desk.actions.reviews import film_quotes, film_reviews, import_review_files, list_critics
from festival_desk.gui.reviews import (
    CriticsList,
    ReviewImportDialog,
    ReviewsPanel,
    import_review_paths,
    review_html,
    review_import_dialog_for_file,
    sections_to_text,
    text_to_sections,
)
from festival_desk.importers.reviews import parse_review_file
from festival_desk.store.models import Film, Review

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


@pytest.fixture
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    for name in ("warning", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, **k: shown.append(text))
    return shown


def test_import_the_seed_with_a_corrected_field(qtbot, demo_db, seed_review_dir: Path,
                                                no_message_boxes: list[str]) -> None:
    seed = sorted(seed_review_dir.glob("*.txt"))[0]
    dialog = review_import_dialog_for_file(demo_db, seed)
    qtbot.addWidget(dialog)
    assert dialog.source.toPlainText() == seed.read_text(encoding="utf-8")
    assert dialog.film_title.text() == "The Red Soul"
    assert dialog.chosen_film_id() is not None  # the demo has the film: a clear match
    with demo_db.reading() as session:
        expected_film = session.exec(select(Film.id).where(Film.title == "The Red Soul")).one()
    assert dialog.chosen_film_id() == expected_film
    dialog.critic_bio.setText("Poglajen writes from Berlin & Ljubljana <freelance>.")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert no_message_boxes == []
    (critic,) = [c for c in list_critics(demo_db) if c.name == "Tina Poglajen"]
    assert critic.bio == "Poglajen writes from Berlin & Ljubljana <freelance>."
    headings = [heading for heading, _ in film_reviews(demo_db, expected_film)[-1].sections]
    assert "Intriguing people" in headings


def test_ambiguous_film_needs_a_choice(qtbot, empty_db, no_message_boxes: list[str]) -> None:
    with empty_db.transaction() as session:
        for year in (2018, 2018):
            session.add(Film(title="Eleven", sort_title="Eleven", sort_key="eleven", year=year))
    dialog = ReviewImportDialog(empty_db, parse_review_file(FIXTURES / "bom_crlf.txt"))
    qtbot.addWidget(dialog)
    assert dialog.candidates.count() == 2 and dialog.chosen_film_id() is None
    assert not dialog.import_button.isEnabled()
    dialog.candidates.setCurrentRow(1)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.change is not None
    with empty_db.reading() as session:
        assert session.exec(select(Review.film_id)).one() == dialog.candidates.item(1).data(Qt.ItemDataRole.UserRole)


def test_unknown_film_offers_an_external_film_and_rematches_after_a_correction(qtbot, empty_db) -> None:
    dialog = ReviewImportDialog(empty_db, parse_review_file(FIXTURES / "minimal.txt"))
    qtbot.addWidget(dialog)
    assert dialog.candidates.count() == 0 and dialog.create_film.isChecked()
    with empty_db.transaction() as session:
        session.add(Film(title="Salt Years", sort_title="Salt Years", sort_key="salt years", year=2022))
    dialog.film_title.setText("Salt Years")
    qtbot.mouseClick(dialog.rematch_button, Qt.MouseButton.LeftButton)
    assert dialog.candidates.count() == 1 and not dialog.create_film.isChecked()


def test_body_editing_round_trip() -> None:
    review = parse_review_file(FIXTURES / "cyrillic_title.txt")
    assert text_to_sections(sections_to_text(review.sections)) == review.sections


def test_reviews_panel_approve_and_add_quote(qtbot, demo_db, no_message_boxes: list[str]) -> None:
    with demo_db.reading() as session:
        film_id = session.exec(select(Review.film_id)).first()
    panel = ReviewsPanel(demo_db)
    qtbot.addWidget(panel)
    panel.set_film(film_id)
    review = panel.current_review()
    assert review is not None
    shown = panel.text.toPlainText()
    assert review.sections[1][0] in shown  # the subhead is shown
    item = panel.quotes.item(0)
    before = film_quotes(demo_db, film_id)[0].approved
    with qtbot.waitSignal(panel.changed, timeout=5000):
        item.setCheckState(Qt.CheckState.Unchecked if before else Qt.CheckState.Checked)
    assert film_quotes(demo_db, film_id)[0].approved is (not before)

    sentence = review.sections[0][1][0].split(". ")[0] + "."
    cursor = panel.text.document().find(sentence)
    assert not cursor.isNull()
    panel.text.setTextCursor(cursor)
    count = len(film_quotes(demo_db, film_id))
    with qtbot.waitSignal(panel.changed, timeout=5000):
        qtbot.mouseClick(panel.add_quote_button, Qt.MouseButton.LeftButton)
    quotes = film_quotes(demo_db, film_id)
    assert len(quotes) == count + 1 and quotes[-1].text == sentence
    assert panel.quotes.count() == len([q for q in quotes if q.review_id == review.id])


def test_review_text_is_shown_as_typed(qtbot, empty_db) -> None:
    from festival_desk.actions.reviews import import_review

    import_review(empty_db, parse_review_file(FIXTURES / "markup_everywhere.txt"), create_film=True)
    with empty_db.reading() as session:
        film_id = session.exec(select(Film.id)).one()
    panel = ReviewsPanel(empty_db)
    qtbot.addWidget(panel)
    panel.set_film(film_id)
    text = panel.text.toPlainText()
    assert "<Untitled & Undated>" in text and "the tag <i>; no italics" in text
    assert "&lt;Untitled &amp; Undated&gt;" in review_html(panel.current_review())


def test_critics_list(qtbot, demo_db) -> None:
    widget = CriticsList(demo_db)
    qtbot.addWidget(widget)
    names = [widget.table.item(row, 0).text() for row in range(widget.table.rowCount())]
    assert len(names) == len(list_critics(demo_db)) >= 10
    assert "Δανάη Μαυρίδου" in names


def test_dropping_several_files_imports_them_off_the_gui_thread_and_names_the_bad(
        qtbot, empty_db, tmp_path: Path, no_message_boxes: list[str], monkeypatch) -> None:
    import threading

    import festival_desk.gui.reviews as review_widgets
    from festival_desk.gui.desk import DeskContext

    bad = tmp_path / "bad.txt"
    bad.write_text("not a review", encoding="utf-8")
    context = DeskContext()
    context.set_database(empty_db)
    threads = []
    real_import = review_widgets.import_review_files

    def recording_import(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_import(*args, **kwargs)

    monkeypatch.setattr(review_widgets, "import_review_files", recording_import)
    with qtbot.waitSignal(context.changed, timeout=10000) as changed:
        import_review_paths(None, context, [FIXTURES / "minimal.txt", bad])
    assert threads and threads[0] is not threading.main_thread()
    assert changed.args[0].description == "Import 0 reviews"  # Salt Year is not in an empty festival
    qtbot.waitUntil(lambda: len(no_message_boxes) == 1)
    assert "0 of 2 reviews imported" in no_message_boxes[0] and "bad.txt" in no_message_boxes[0]
    assert "Salt Year" in no_message_boxes[0]
    # every file has its line, in order: the one with no film, then the one that is no review
    lines = no_message_boxes[0].splitlines()[2:]
    assert len(lines) == 2 and "minimal.txt" in lines[0] and "bad.txt" in lines[1]
    context.runner.shutdown()


def test_batch_import_summary_names_every_file_with_its_outcome(qtbot, empty_db, tmp_path: Path,
                                                                no_message_boxes: list[str]) -> None:
    import_review_files(empty_db, [FIXTURES / "minimal.txt"], create_film=True)  # Salt Year is now a film
    copy = tmp_path / "salt-year-again.txt"
    copy.write_text((FIXTURES / "minimal.txt").read_text(encoding="utf-8") + "\nA second look.\n", encoding="utf-8")
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(b"PK\x03\x04" + bytes(2000))
    from festival_desk.gui.desk import DeskContext

    context = DeskContext()
    context.set_database(empty_db)
    with qtbot.waitSignal(context.changed, timeout=10000):
        import_review_paths(None, context, [FIXTURES / "minimal.txt", copy, bomb])
    qtbot.waitUntil(lambda: len(no_message_boxes) == 1)
    lines = no_message_boxes[0].splitlines()
    assert lines[0] == "1 of 3 reviews imported."
    assert lines[2:] == ["minimal.txt: already imported (“Salt Year”)",
                         "salt-year-again.txt: attached to “Salt Year”",
                         f"{bomb}: not a readable Word document (damaged, or not a ZIP package)"]
    context.runner.shutdown()
