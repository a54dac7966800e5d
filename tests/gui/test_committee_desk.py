"""The committee's process in the desk, through the real widgets: My queue (by due date, overdue in
red, the film page beside it), the screener with its password on request, watched marks,
conflicts of interest disabling the rating, rating per criterion, catalogue facts edited and
filtered, assigning with a due date, and meeting mode driven by its keys to a one-page PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import PROGRAMMER, wait_idle


def _rows(database, sql: str, **params) -> list[tuple]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql), params).all()]


def _film(database, title: str) -> int:
    return _rows(database, "SELECT id FROM film WHERE title = :t", t=title)[0][0]


def _key(widget, key: Qt.Key, text: str = "") -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))


def _open_page(qtbot, page, film_id: int):
    """Show `film_id` on `page` and wait for its committee tab to be filled."""
    page.show_film(film_id)
    qtbot.waitUntil(lambda: page.film_id == film_id, timeout=10000)
    qtbot.waitUntil(lambda: page.viewing._view is not None and page.viewing._view.film_id == film_id, timeout=10000)
    return page.viewing


@pytest.fixture
def queue(qtbot, desk):
    from festival_desk.actions.committee import assign_films

    database = desk.context.database
    films = [film_id for (film_id,) in _rows(  # films the programmer has not rated (or watched) yet
        database, "SELECT id FROM film WHERE is_external = 0 AND id NOT IN (SELECT r.film_id FROM rating r "
                  "JOIN programmer p ON p.id = r.programmer_id WHERE p.name = :p) ORDER BY id", p=PROGRAMMER)]
    assign_films(database, films[:2], PROGRAMMER, due=dt.date(2026, 1, 10))
    assign_films(database, films[2:4], PROGRAMMER, due=dt.date(2099, 6, 1))
    desk.window.show_area("queue")
    area = desk.window.area_pages["queue"]
    qtbot.waitUntil(lambda: area.table.rowCount() == 4, timeout=10000)
    wait_idle(qtbot, desk)
    return area, films[:4]


def test_my_queue_lists_what_i_must_watch_by_due_date_with_overdue_in_red(qtbot, desk, queue):
    area, films = queue
    dues = [area.table.item(row, 0).text() for row in range(4)]
    assert dues[0].startswith("10 Jan 2026") and "days late" in dues[0] and dues[3].startswith("01 Jun 2099")
    red = area.table.item(0, 1).foreground().color().name()
    assert red == "#c0392b" and area.table.item(3, 1).foreground().color().name() != red
    assert area.summary.text() == "4 to watch, 2 overdue"
    area.table.setCurrentCell(0, 1)
    qtbot.waitUntil(lambda: area.page.film_id == films[0] or area.page.film_id == films[1], timeout=10000)
    shown = area.page.film_id
    viewing = area.page.viewing
    qtbot.waitUntil(lambda: viewing._view is not None and viewing._view.film_id == shown, timeout=10000)
    assert "overdue" in viewing.assignment_label.text()
    viewing.stopped_spin.setValue(25)
    viewing.stopped_button.click()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: area.table.rowCount() == 3, timeout=10000)  # watched: out of the open queue
    assert area.summary.text() == "3 to watch, 1 overdue"
    assert _rows(desk.context.database, "SELECT minutes FROM viewing WHERE film_id = :f", f=shown) == [(25,)]
    assert area.page.film_id == shown  # the page stays on the film just marked
    area.show_done.setChecked(True)
    qtbot.waitUntil(lambda: area.table.rowCount() == 4, timeout=10000)
    assert any(area.table.item(row, 4).text() == "stopped at 25 min" for row in range(4))
    # Progress per programmer and per film.
    qtbot.waitUntil(lambda: area.people.rowCount() >= 1, timeout=10000)
    mine = next(row for row in range(area.people.rowCount()) if area.people.item(row, 0).text() == PROGRAMMER)
    assert [area.people.item(mine, column).text() for column in (1, 2, 3)] == ["4", "1", "1"]


def test_a_film_in_my_queue_is_rated_with_the_number_keys_as_in_the_lists(qtbot, desk, queue):
    area, films = queue
    area.table.setCurrentCell(0, 1)
    chosen = area.table.item(0, 0).data(Qt.ItemDataRole.UserRole)
    qtbot.waitUntil(lambda: area.page.film_id == chosen, timeout=10000)
    assert desk.window.rate_actions[3].isEnabled()
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_4)
    wait_idle(qtbot, desk)
    assert _rows(desk.context.database, "SELECT r.score FROM rating r JOIN programmer p ON p.id = r.programmer_id "
                 "WHERE r.film_id = :f AND p.name = :p", f=chosen, p=PROGRAMMER) == [(4,)]
    assert desk.window.undo_action.text().startswith("Undo Rate “")


def test_the_screener_password_shows_only_on_request_and_hides_on_the_next_film(qtbot, desk, queue):
    area, films = queue
    database = desk.context.database
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE film SET submission_link = 'https://screeners.example.org/a', "
                                   "submission_password = 'Sesame-42' WHERE id = :f"), {"f": films[0]})
    viewing = _open_page(qtbot, area.page, films[0])
    assert viewing.link_label.text() == "https://screeners.example.org/a"
    assert viewing.password_edit.isHidden() and "Sesame" not in viewing.password_edit.text()
    viewing.password_button.click()
    qtbot.waitUntil(lambda: viewing.password_edit.text() == "Sesame-42", timeout=10000)
    area.page.show_film(films[1])
    qtbot.waitUntil(lambda: viewing._view is not None and viewing._view.film_id == films[1], timeout=10000)
    assert viewing.password_edit.text() == "" and viewing.password_edit.isHidden()


def test_a_declared_conflict_disables_rating_with_the_reason_and_undo_lifts_it(qtbot, desk, queue, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    area, films = queue
    viewing, opinions = _open_page(qtbot, area.page, films[2]), area.page.opinions
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("My sister produced it", True))
    viewing.declare_button.click()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: opinions._opinions is not None and opinions._opinions.my_conflict is not None,
                    timeout=10000)
    assert not opinions.star_row.isEnabled()
    assert "My sister produced it" in opinions.conflict_label.text() and opinions.conflict_label.isVisible()
    qtbot.waitUntil(lambda: viewing._view.my_conflict == "My sister produced it", timeout=10000)
    assert not viewing.rate_criteria_button.isEnabled() and "Not assigned to you." == viewing.assignment_label.text()
    assert films[2] not in [area.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
                            for row in range(area.table.rowCount())]
    desk.window.undo_action.trigger()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: opinions._opinions.my_conflict is None and opinions.star_row.isEnabled(), timeout=10000)


def test_rating_per_criterion_from_the_film_page(qtbot, desk, queue):
    from festival_desk.actions.rubric import set_rubric

    area, films = queue
    set_rubric(desk.context.database, "Craft:2,Relevance:1,Originality:1")
    viewing = _open_page(qtbot, area.page, films[3])
    qtbot.waitUntil(lambda: len(viewing.criteria_spins) == 3, timeout=10000)
    viewing.criteria_spins["Craft"].setValue(5)
    viewing.criteria_spins["Originality"].setValue(2)
    viewing.rate_criteria_button.click()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: viewing._view.my_overall is not None, timeout=10000)
    assert viewing._view.my_overall == pytest.approx((2 * 5 + 2) / 3)
    assert "4.00" in viewing.criteria_note.text()
    assert _rows(desk.context.database, "SELECT score, criteria_overall FROM rating r JOIN programmer p ON "
                                        "p.id = r.programmer_id WHERE r.film_id = :f AND p.name = :p",
                 f=films[3], p=PROGRAMMER) == [(4, pytest.approx(4.0))]
    qtbot.waitUntil(lambda: area.page.opinions.star_row.buttons[3].text() == "★", timeout=10000)


def test_catalogue_facts_are_edited_on_the_film_page_and_filter_the_lists(qtbot, desk):
    film_area = desk.window.film_areas["submissions"]
    database = desk.context.database
    film_id = _film(database, "Aquarela")
    film_area.list.select_films([film_id], current=film_id)
    qtbot.waitUntil(lambda: film_area.page.film_id == film_id, timeout=10000)
    facts = film_area.page.facts
    qtbot.waitUntil(lambda: facts._loaded is not None, timeout=10000)
    facts.subtitles_edit.setText("English")
    facts.sdh_combo.setCurrentIndex(facts.sdh_combo.findData(True))
    facts.age_combo.setCurrentIndex(facts.age_combo.findData(12))
    facts.advice_edit.setText("Scenes of a storm at sea")
    facts.save_button.click()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: "English subtitles" in facts.printed_label.text(), timeout=10000)
    assert facts.printed_label.text() == ("English subtitles · Subtitles for the deaf and hard of hearing · "
                                          "Age 12+ · Content advice: Scenes of a storm at sea")
    menu = desk.window.committee_menu
    sdh = next(action for action in menu.fact_actions if action.data() == {"sdh": True})
    sdh.setChecked(True)
    qtbot.waitUntil(lambda: film_area.list.model.rowCount() == 1, timeout=10000)
    assert film_area.list.model.film_id(0) == film_id and menu.facts_button.text() == "Access: SDH"
    menu.clear_facts_filter()
    qtbot.waitUntil(lambda: film_area.list.model.rowCount() > 1, timeout=10000)


def test_assigning_selected_films_with_a_due_date_and_the_conflict_refusal(qtbot, desk):
    from festival_desk.actions.committee import declare_conflict
    from festival_desk.gui.committee_menu import AssignDialog

    database = desk.context.database
    films = [_film(database, "Aquarela"), _film(database, "Collective")]
    dialog = AssignDialog(desk.context, films, desk.window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.member.count() == 5, timeout=10000)
    dialog.member.setCurrentText("Tomaž Žnidaršič")
    dialog.due.date.setDate(dialog.due.date.date().fromString("2026-12-24", "yyyy-MM-dd"))
    dialog.assign()
    wait_idle(qtbot, desk)
    assert sorted(_rows(database, "SELECT a.film_id, a.due_on FROM assignment a JOIN programmer p ON "
                                  "p.id = a.programmer_id WHERE p.name = 'Tomaž Žnidaršič'")) == \
        sorted((film, "2026-12-24") for film in films)
    declare_conflict(database, films[0], "Bojana Ćirić", "co-writer")
    refused = AssignDialog(desk.context, films, desk.window)
    qtbot.addWidget(refused)
    qtbot.waitUntil(lambda: refused.member.count() == 5, timeout=10000)
    refused.member.setCurrentText("Bojana Ćirić")
    refused.assign()
    wait_idle(qtbot, desk)
    assert "co-writer" in refused.message.text() and "cannot be assigned it" in refused.message.text()


def test_meeting_mode_decides_ten_films_by_keys_and_prints_one_page(qtbot, desk, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from festival_desk.actions.meeting import start_meeting
    from festival_desk.gui.meeting import MeetingWindow, open_meeting
    from festival_desk.store.filters import FilmFilter

    database = desk.context.database
    change = start_meeting(database, "Week 48", PROGRAMMER, ["Tomaž Žnidaršič"],
                           film_filter=FilmFilter(statuses=("in_review", "submitted", "shortlisted")),
                           agenda_label="open films")
    window = open_meeting(desk.context, change.details["meeting_id"], desk.window)  # closed with the desk
    assert isinstance(window, MeetingWindow)
    assert window.geometry() == desk.window.screen().geometry()  # the whole screen, for the projector
    qtbot.waitUntil(lambda: window._view is not None, timeout=10000)
    ranked = [film.mean for film in window._view.films if film.mean is not None]
    assert ranked == sorted(ranked, reverse=True)
    keys = [(Qt.Key.Key_S, "s"), (Qt.Key.Key_A, "a"), (Qt.Key.Key_D, "d"), (Qt.Key.Key_F, "f"),
            (Qt.Key.Key_S, "s"), (Qt.Key.Key_D, "d"), (Qt.Key.Key_A, "a"), (Qt.Key.Key_F, "f"),
            (Qt.Key.Key_S, "s"), (Qt.Key.Key_D, "d")]
    for number, (key, text) in enumerate(keys, start=1):
        _key(window.table, key, text)
        wait_idle(qtbot, desk)
        qtbot.waitUntil(lambda n=number: sum(1 for film in window._view.films if film.decision) == n
                        or "may move to" in window.message.text(), timeout=10000)
        if "may move to" in window.message.text():
            pytest.fail(f"decision {number} refused: {window.message.text()}")
        assert f"decided {number} of" in window.subtitle.text()
    decided = [film for film in window._view.films if film.decision]
    assert [film.decision for film in decided] == ["shortlist", "select", "decline", "discuss", "shortlist",
                                                   "decline", "select", "discuss", "shortlist", "decline"]
    recorded = _rows(database, "SELECT film_id, comment, kind FROM statuschange WHERE comment LIKE '%Week 48%'")
    assert {film_id for film_id, _, _ in recorded} <= {film.film_id for film in decided} and len(recorded) >= 8
    assert all(PROGRAMMER in comment and "Tomaž Žnidaršič" in comment for _, comment, _ in recorded)
    assert sorted(kind for _, _, kind in recorded).count("discuss") == 2
    _key(window.table, Qt.Key.Key_U, "u")  # undo the last decision; its film is shown again
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: sum(1 for film in window._view.films if film.decision) == 9, timeout=10000)
    assert window.current_film_id() == decided[-1].film_id
    _key(window.table, Qt.Key.Key_D, "d")
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: sum(1 for film in window._view.films if film.decision) == 10, timeout=10000)
    output = tmp_path / "week48.pdf"
    monkeypatch.setattr("festival_desk.gui.meeting.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(output), "PDF (*.pdf)"))
    _key(window.table, Qt.Key.Key_P, "p")
    wait_idle(qtbot, desk)
    qtbot.waitUntil(output.exists, timeout=10000)
    reader = PdfReader(str(output))
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert len(reader.pages) == 1 and "Decisions (10)" in text and "Week 48" in text
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.ended, timeout=10000):
        _key(window.table, Qt.Key.Key_Escape)
    assert _rows(database, "SELECT ended_at IS NOT NULL FROM meeting")[0][0]
