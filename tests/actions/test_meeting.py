"""Meeting mode through its actions: the ranked agenda with recusals and notes, decisions recorded
in the history with who was present, undo, and the one-page PDF read back."""

from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from festival_desk.actions.committee import declare_conflict
from festival_desk.actions.meeting import agenda, decide, end_meeting, meeting_sheet, start_meeting, write_meeting_pdf
from festival_desk.actions.programming import add_note, film_tags, rate, status_history
from festival_desk.core.errors import UserError
from festival_desk.printing.meeting_sheet import MeetingSheet, SheetDecision, render_meeting_sheet
from festival_desk.store.filters import FilmFilter

CHAIR = "Maja Kovačič"


def _committee(database) -> list[str]:
    with database.engine.connect() as connection:
        return connection.execute(sa.text("SELECT name FROM programmer ORDER BY name")).scalars().all()


def _films_in(database, status: str) -> list[int]:
    with database.engine.connect() as connection:
        return connection.execute(sa.text("SELECT id FROM film WHERE status = :s ORDER BY id"), {"s": status}
                                  ).scalars().all()


def test_the_agenda_ranks_by_mean_with_spread_viewers_recusals_and_one_line_notes(demo_db):
    database = demo_db
    members = _committee(database)
    films = _films_in(database, "in_review")[:3]
    for film in films:
        for member in members:
            rate(database, film, member, 3)
    rate(database, films[1], members[0], 5)
    rate(database, films[1], members[1], 5)
    declare_conflict(database, films[1], members[1], "my production company")
    add_note(database, films[1], members[2], "Strong opening.\nThe second half sags.")
    started = start_meeting(database, "Weekly, 30 Nov", CHAIR, members[:3], films=films)
    view = agenda(database, started.details["meeting_id"])
    assert view.present == tuple(sorted({CHAIR, *members[:3]}, key=str.casefold)) or CHAIR in view.present
    top = view.films[0]
    assert top.film_id == films[1] and top.rank == 1
    others = [3] * (len(members) - 2) + [5]  # the recused member's 5 does not count
    assert top.mean == pytest.approx(sum(others) / len(others))
    assert top.recused == (members[1],) and top.ratings == len(members) - 1 and top.viewers == len(members) - 1
    note = next(line for line in top.notes if line.programmer == members[2])
    assert note.text == "Strong opening…" and note.score == 3
    assert next(line for line in top.notes if line.programmer == members[1]).recused


def test_ten_decisions_are_recorded_with_who_was_present_and_undone(demo_db, tmp_path):
    database = demo_db
    members = _committee(database)
    started = start_meeting(database, "Selection, round 2", CHAIR, members[1:3],
                            film_filter=FilmFilter(statuses=("in_review", "submitted", "shortlisted")),
                            agenda_label="open films")
    meeting_id = started.details["meeting_id"]
    view = agenda(database, meeting_id)
    assert len(view.films) >= 10
    choices = ["shortlist", "select", "decline", "discuss", "shortlist", "decline", "select", "discuss",
               "shortlist", "decline"]
    changes = [decide(database, meeting_id, film.film_id, choice, CHAIR)
               for film, choice in zip(view.films, choices)]
    after = agenda(database, meeting_id)
    assert len(after.films) == len(view.films)  # decided films stay on the agenda
    decided = {film.film_id: film.decision for film in after.films if film.decision}
    assert list(decided.values()).count("discuss") == 2 and len(decided) == 10
    moved = next(change for change in changes if change.details["from_status"] != change.details["to_status"])
    [move] = [entry for entry in status_history(database, moved.details["film_id"])
              if "Selection, round 2" in entry.comment]
    assert move.to_status == moved.details["to_status"] and move.programmer == CHAIR
    assert all(name in move.comment for name in (CHAIR, members[1], members[2]))
    flagged = view.films[3].film_id
    assert ("Discuss again", "#d97706") in film_tags(database, [flagged])[flagged]
    [flag] = [entry for entry in status_history(database, flagged) if entry.kind == "discuss"]
    assert flag.from_status == flag.to_status and "Selection, round 2" in flag.comment
    # Undo the last decision (decline), then the discuss flag.
    changes[-1].undo(database)
    assert {film.film_id: film.decision for film in agenda(database, meeting_id).films}[view.films[9].film_id] is None
    assert [entry.kind for entry in status_history(database, view.films[9].film_id)].count("undo") == 1
    changes[3].undo(database)
    assert ("Discuss again", "#d97706") not in film_tags(database, [flagged])[flagged]
    assert all(entry.kind != "discuss" for entry in status_history(database, flagged))
    redone = changes[3].undo(database).undo(database)
    assert redone.details["decision"] == "discuss"

    output = tmp_path / "meeting.pdf"
    written = write_meeting_pdf(database, meeting_id, output)
    assert written.details["decisions"] == 9 and written.details["printed"] == 9
    reader = PdfReader(str(output))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Selection, round 2" in text and f"chaired by {CHAIR}" in text
    assert "Shortlisted 3" in text and "Discuss again 2" in text
    for film in after.films[:9]:
        assert film.title[:12] in text
    assert "river" not in text  # no screener password
    fonts = subprocess.run(["pdffonts", str(output)], capture_output=True, text=True).stdout
    assert "Helvetica" not in fonts and "yes" in fonts  # embedded project fonts only
    end_meeting(database, meeting_id)
    with pytest.raises(UserError, match="has ended"):
        decide(database, meeting_id, view.films[10].film_id, "select", CHAIR)


def test_a_decision_the_workflow_does_not_allow_is_refused_naming_the_moves(demo_db):
    database = demo_db
    declined = _films_in(database, "declined")[0]
    meeting_id = start_meeting(database, "", CHAIR, [], films=[declined]).details["meeting_id"]
    with pytest.raises(UserError) as refused:
        decide(database, meeting_id, declined, "select", CHAIR)
    assert "may move to in_review" in str(refused.value)
    assert agenda(database, meeting_id).films[0].decision is None
    with pytest.raises(UserError, match="not on the agenda"):
        decide(database, meeting_id, declined + 1, "select", CHAIR)
    with pytest.raises(UserError, match="no committee member"):
        start_meeting(database, "x", CHAIR, ["Nobody Known"], films=[declined])


def test_the_sheet_stays_one_page_for_a_long_meeting():
    decisions = tuple(SheetDecision(rank, f"Film number {rank} with a rather long title to wrap", ("A Director",),
                                    "Declined", 2.5, 0.5, 4, 5, ("Somebody",)) for rank in range(1, 120))
    sheet = MeetingSheet("Festival", "Marathon", "30 November 2026", "Maja", ("Maja", "Ben"), "everything", 119,
                         decisions)
    data, shown = render_meeting_sheet(sheet)
    import io

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and 30 < shown < 119
    assert f"and {119 - shown} more decisions" in reader.pages[0].extract_text().replace("\n", " ")


def test_the_sheet_prints_titles_exactly_as_typed(demo_db):
    database = demo_db
    with database.engine.connect() as connection:
        film = connection.execute(sa.text("SELECT id FROM film WHERE status = 'in_review' ORDER BY id")).scalar()
        connection.execute(sa.text("UPDATE film SET title = 'Lost & <Found> Ёлка' WHERE id = :f"), {"f": film})
        connection.commit()
    meeting_id = start_meeting(database, "Q&A <night>", CHAIR, [], films=[film]).details["meeting_id"]
    decide(database, meeting_id, film, "shortlist", CHAIR)
    sheet = meeting_sheet(database, meeting_id)
    data, _ = render_meeting_sheet(sheet)
    import io

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Lost & <Found> Ёлка" in text and "Q&A <night>" in text
