"""Editing screenings as the desk's editor and grid do: one action per change, labels a person can
read in the undo menu, refusals when a colleague deleted or changed the screening meanwhile,
duplicates on other days, shorts programmes and their names in print."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from festival_desk.actions import booklet
from festival_desk.actions import schedule as actions
from festival_desk.core.errors import UserError
from festival_desk.store import models as m
from tests.support.screenings import screening_rows

ZONE = "Europe/Ljubljana"


@pytest.fixture
def festival_db(empty_db):
    """A festival Thu 13 – Sun 16 March 2025 in Ljubljana: Kinodvor with two screens, four films."""
    with empty_db.transaction() as session:
        session.add(m.Festival(name="Test Docs", starts_on=dt.date(2025, 3, 13), ends_on=dt.date(2025, 3, 16),
                               timezone=ZONE, changeover_minutes=15, min_screenings=1))
        for fid, (title, runtime) in enumerate([("The Red Soul", 90), ("Ёлка у моря", 75), ("Short One", 12),
                                                ("Short Two", 18), ("Short Three", 9)], start=1):
            session.add(m.Film(id=fid, title=title, sort_title=title, sort_key=title.lower(),
                               runtime_minutes=runtime, status="selected"))
        session.add(m.Person(id=1, name="Ana Kovač", name_key="ana kovac"))
    venue = actions.add_venue(empty_db, "Kinodvor").details["venue_id"]
    empty_db.big = actions.add_screen(empty_db, venue, "Velika dvorana", 400).details["screen_id"]
    empty_db.small = actions.add_screen(empty_db, venue, "Mala dvorana", 90, "10:00", "23:00").details["screen_id"]
    return empty_db


def row(database, screening_id):
    return screening_rows(database).get(screening_id)


def test_every_change_is_named_by_film_day_time_and_screen(festival_db):
    db = festival_db
    added = actions.add_screening(db, db.big, "2025-03-13T19:30", [1])
    sid = added.details["screening_id"]
    assert added.description == "Schedule The Red Soul on Thu 19:30, Velika dvorana"
    moved = actions.move_screening(db, sid, start="2025-03-13T14:00", screen_id=db.small)
    assert moved.description == "Move The Red Soul to Thu 14:00, Mala dvorana"
    assert actions.resize_screening(db, sid, "2025-03-13T16:00").description == \
        "Set the end of The Red Soul, Thu 14:00, Mala dvorana to 16:00"
    assert actions.resize_screening(db, sid, None).description == \
        "Let the end of The Red Soul, Thu 14:00, Mala dvorana follow its films"
    assert actions.add_films_to_screening(db, sid, [3]).description == \
        "Add Short One to The Red Soul, Thu 14:00, Mala dvorana"
    assert actions.name_programme(db, sid, "Shorts 2: Close to Home").description == \
        "Name the programme at Thu 14:00, Mala dvorana “Shorts 2: Close to Home”"
    assert actions.reorder_screening_films(db, sid, [3, 1]).description == \
        "Reorder the films of Shorts 2: Close to Home, Thu 14:00, Mala dvorana"
    assert actions.edit_screening(db, sid, qa_minutes=20, kind="press").description == \
        "Edit Shorts 2: Close to Home, Thu 14:00, Mala dvorana"
    assert actions.delete_screening(db, sid).description == "Delete Shorts 2: Close to Home, Thu 14:00, Mala dvorana"


def test_a_festival_longer_than_a_week_names_the_date_too(festival_db):
    with festival_db.transaction() as session:
        session.get(m.Festival, 1).ends_on = dt.date(2025, 3, 23)
    change = actions.add_screening(festival_db, festival_db.big, "2025-03-20T18:00", [2])
    assert change.description == "Schedule Ёлка у моря on Thu 20 Mar 18:00, Velika dvorana"


def test_the_editor_changes_every_field_in_one_action_and_undo_restores_them(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T18:00", [3, 4], guest_ids=[1]).details["screening_id"]
    before = row(db, sid)
    seen = actions.read_screening(db, sid)
    change = actions.edit_screening(
        db, sid, expected=seen, screen_id=db.small, start="2025-03-14T12:00", end="2025-03-14T13:30",
        kind="school", premiere="World premiere", intro_minutes=5, qa_minutes=20, title="Shorts 1: Water",
        notes="Bring the 35 mm print", guests=["Marta Horvat"], film_ids=[5, 3, 4])
    after = row(db, sid)
    assert (after["screen_id"], after["start"], after["end"], after["end_is_manual"]) == \
        (db.small, "2025-03-14T12:00:00", "2025-03-14T13:30:00", True)
    assert (after["kind"], after["premiere"], after["intro_minutes"], after["qa_minutes"]) == ("school", "world", 5, 20)
    assert after["title"] == "Shorts 1: Water" and after["film_ids"] == [5, 3, 4]
    assert after["guests"] == ["Marta Horvat"]
    assert actions.read_screening(db, sid).notes == "Bring the 35 mm print"
    assert change.screenings == {sid} and change.films == {3, 4, 5}
    undone = change.undo(db)
    assert row(db, sid) == before
    assert undone.description == change.description  # an inverse keeps the name of what it reverses
    assert actions.read_screening(db, sid).notes == ""


def test_a_bad_field_changes_nothing(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T18:00", [1]).details["screening_id"]
    before = row(db, sid)
    for fields, word in [({"qa_minutes": -5, "title": "X"}, "qa"), ({"kind": "gala", "notes": "n"}, "kind"),
                         ({"end": "2025-03-13T17:00", "qa_minutes": 3}, "end"), ({"film_ids": []}, "film"),
                         ({"film_ids": [1, 99]}, "film"), ({"screen_id": 99}, "screen"),
                         ({"premiere": "global"}, "premiere")]:
        with pytest.raises(UserError, match=word):
            actions.edit_screening(db, sid, **fields)
        assert row(db, sid) == before


def test_deleting_a_screening_a_colleague_already_deleted_is_refused_by_name(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T19:30", [1]).details["screening_id"]
    other = actions.add_screening(db, db.small, "2025-03-13T14:00", [3, 4]).details["screening_id"]
    seen = actions.read_schedule(db)  # what the desk shows
    read = next(s for s in seen.screenings if s.id == sid)
    actions.delete_screening(db, sid)  # the colleague
    untouched = actions.list_screenings(db)
    with pytest.raises(UserError) as refused:
        actions.delete_screening(db, sid, expected=read)
    assert re.fullmatch(r"The Red Soul, Thu 19:30, Velika dvorana was deleted by .+ at \d\d:\d\d since you "
                        r"read it; nothing was saved: look at their change and save again", str(refused.value))
    assert actions.list_screenings(db) == untouched and row(db, other) is not None
    with pytest.raises(UserError, match="Velika dvorana was deleted by"):
        actions.move_screening(db, sid, start="2025-03-13T20:00", expected=read)


def test_an_edit_on_a_screening_a_colleague_changed_is_refused(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T19:30", [1]).details["screening_id"]
    read = actions.read_screening(db, sid)
    actions.move_screening(db, sid, start="2025-03-13T21:00")  # the colleague
    moved = row(db, sid)
    with pytest.raises(UserError, match=r"The Red Soul, Thu 19:30, Velika dvorana was changed by .+ since you read "
                                        r"it \(it is now The Red Soul, Thu 21:00, Velika dvorana\); nothing was saved"):
        actions.edit_screening(db, sid, expected=read, qa_minutes=30)
    assert row(db, sid) == moved
    # Reading again gives the new state, and the edit goes through.
    actions.edit_screening(db, sid, expected=actions.read_screening(db, sid), qa_minutes=30)
    assert row(db, sid)["qa_minutes"] == 30


def test_deleted_by_another_process_through_the_command_line(festival_db, db_path):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T19:30", [1]).details["screening_id"]
    read = actions.read_screening(db, sid)
    result = subprocess.run([sys.executable, "-c", "import sys; from festival_desk.cli import main; "
                             "sys.exit(main(sys.argv[1:]))", "schedule", "delete", str(sid), "--db", str(db_path),
                             "--json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["description"] == "Delete The Red Soul, Thu 19:30, Velika dvorana"
    with pytest.raises(UserError, match="Velika dvorana was deleted by"):
        actions.delete_screening(db, sid, expected=read)


def test_duplicate_to_another_day_copies_films_guests_and_details(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.small, "2025-03-13T14:00", [3, 4], qa_minutes=10, guest_ids=[1],
                                title="Shorts 1", end="2025-03-13T15:00", kind="press",
                                premiere="national").details["screening_id"]
    change = actions.duplicate_screening(db, sid, dt.date(2025, 3, 15))
    copy_id = change.details["screening_id"]
    assert change.description == "Duplicate Shorts 1 to Sat 14:00, Mala dvorana"
    original, copy = row(db, sid), row(db, copy_id)
    assert copy["start"] == "2025-03-15T14:00:00" and copy["end"] == "2025-03-15T15:00:00"
    for key in ("screen_id", "film_ids", "guests", "title", "kind", "qa_minutes", "end_is_manual"):
        assert copy[key] == original[key], key
    assert (original["premiere"], copy["premiere"]) == ("national", None)  # a repeat is not a premiere
    change.undo(db)
    assert row(db, copy_id) is None and row(db, sid) == original
    with pytest.raises(UserError, match="already on Thu 13 Mar"):
        actions.duplicate_screening(db, sid, "2025-03-13")
    with pytest.raises(UserError, match="day"):
        actions.duplicate_screening(db, sid, "next Friday")


def test_a_late_screening_duplicates_to_the_same_festival_evening(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-14T00:30", [2]).details["screening_id"]  # Thursday night
    copy_id = actions.duplicate_screening(db, sid, "2025-03-15").details["screening_id"]
    assert row(db, copy_id)["start"] == "2025-03-16T00:30:00" and row(db, copy_id)["day"] == "2025-03-15"


def test_outside_the_festival_or_the_opening_hours_is_stored_and_flagged(festival_db):
    db = festival_db
    outside = actions.add_screening(db, db.big, "2025-03-20T18:00", [1]).details["screening_id"]
    closed = actions.add_screening(db, db.small, "2025-03-14T08:00", [2]).details["screening_id"]
    rules = {(f.rule, f.screening_ids) for f in actions.check(db)}
    assert ("outside_festival_days", (outside,)) in rules and ("outside_opening_hours", (closed,)) in rules
    copy = actions.duplicate_screening(db, closed, "2025-03-25").details["screening_id"]
    assert ("outside_festival_days", (copy,)) in {(f.rule, f.screening_ids) for f in actions.check(db)}


def test_programme_films_are_added_once_and_the_tally_counts_them(festival_db):
    db = festival_db
    sid = actions.add_screening(db, db.small, "2025-03-13T14:00", [3], end="2025-03-13T15:00",
                                intro_minutes=5, qa_minutes=20).details["screening_id"]
    actions.add_films_to_screening(db, sid, [4])
    actions.add_films_to_screening(db, sid, [5], position=0)
    with pytest.raises(UserError, match="Short Two is already in this screening"):
        actions.add_films_to_screening(db, sid, [4])
    schedule = actions.read_schedule(db)
    screening = next(s for s in schedule.screenings if s.id == sid)
    assert screening.film_ids == (5, 3, 4)
    tally = schedule.tally_of(screening)
    assert (tally.films, tally.film_minutes, tally.content_minutes, tally.slot_minutes) == (3, 39, 64, 60)
    assert tally.sentence() == "3 films 39′ + intro 5′ + Q&A 20′ = 64′ of a 60′ slot, 4′ too long"
    assert "content_exceeds_slot" in {f.rule for f in actions.check(db)}


def _pdf_text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))


def test_a_named_programme_is_what_the_booklet_prints_on_every_screening_of_it(demo_db, tmp_path):
    shorts = [r for r in actions.list_screenings(demo_db) if r["title"] == "Shorts 1: Hands & Machines"]
    assert len(shorts) == 2 and shorts[0]["film_ids"] == shorts[1]["film_ids"]
    change = actions.name_programme(demo_db, shorts[0]["id"], "Shorts 9: Close to Home & Away")
    assert change.description == ("Rename the programme “Shorts 1: Hands & Machines” to "
                                  "“Shorts 9: Close to Home & Away” (2 screenings)")
    assert change.screenings == {shorts[0]["id"], shorts[1]["id"]}
    booklet.build_booklet(demo_db, tmp_path / "booklet.pdf")
    text = _pdf_text(tmp_path / "booklet.pdf")
    assert "Shorts 9: Close to Home & Away" in text and "Hands & Machines" not in text
    change.undo(demo_db)
    assert {row(demo_db, r["id"])["title"] for r in shorts} == {"Shorts 1: Hands & Machines"}


def test_day_sheets_of_one_day_carry_its_notes(festival_db, tmp_path):
    db = festival_db
    sid = actions.add_screening(db, db.big, "2025-03-13T19:30", [1], notes="Subtitles: check the DCP key").details[
        "screening_id"]
    actions.add_screening(db, db.big, "2025-03-14T19:30", [2])
    result = actions.export_day_sheets(db, tmp_path / "thu.pdf", "2025-03-13")
    assert result["screenings"] == 1
    text = _pdf_text(tmp_path / "thu.pdf")
    assert "Subtitles: check the DCP key" in text and "Ёлка" not in text and "The Red Soul" in text
    with pytest.raises(UserError, match="no screenings on Sun 16 Mar 2025"):
        actions.export_day_sheets(db, tmp_path / "sun.pdf", "2025-03-16")
    assert row(db, sid) is not None
