"""The committee's actions: ratings, notes, assignments, blind mode, status moves and tags, with undo."""

import pytest
import sqlalchemy as sa

from festival_desk.actions.programming import (
    add_note,
    add_programmer,
    assign,
    clear_rating,
    committee,
    delete_note,
    film_notes,
    film_tags,
    merge_programmers,
    move_status,
    my_unrated,
    rate,
    rate_films,
    ratings_view,
    rename_programmer,
    save_note,
    status_history,
    tag_films,
)
from festival_desk.core.errors import UserError
from tests.support.festivals import imported_festival

COMMITTEE = ("Maja", "Tomaž", "Ilka")


@pytest.fixture
def festival(empty_db):
    return empty_db, imported_festival(empty_db, COMMITTEE)


def status_of(database, film_id):
    with database.engine.connect() as connection:
        return connection.execute(sa.text("SELECT status FROM film WHERE id = :id"), {"id": film_id}).scalar_one()


def test_rating_replaces_the_programmers_earlier_rating_and_undo_restores_it(festival):
    database, ids = festival
    rate(database, ids[0], "Maja", 3)
    second = rate(database, ids[0], "maja", 5, note="Better on a second look.")
    view = ratings_view(database, ids[0])
    assert view.ratings == [("Maja", 5)]
    assert view.notes == [("Maja", "Better on a second look.")]
    undone = second.undo(database)
    view = ratings_view(database, ids[0])
    assert view.ratings == [("Maja", 3)] and view.notes == []
    undone.undo(database)
    view = ratings_view(database, ids[0])
    assert view.ratings == [("Maja", 5)] and view.notes == [("Maja", "Better on a second look.")]


@pytest.mark.parametrize("score", [0, 6])
def test_out_of_range_score_is_refused(festival, score):
    database, ids = festival
    with pytest.raises(UserError, match="1 to 5"):
        rate(database, ids[0], "Maja", score)


def test_summary_and_blind_mode(festival):
    database, ids = festival
    rate(database, ids[1], "Maja", 2)
    rate(database, ids[1], "Tomaž", 4)
    add_note(database, ids[1], "Tomaž", "The edit drags.")
    view = ratings_view(database, ids[1], "Ilka", blind=True)
    assert view.hidden and view.ratings == [] and view.summary is None and view.notes == []
    rate(database, ids[1], "Ilka", 3)
    view = ratings_view(database, ids[1], "Ilka", blind=True)
    assert not view.hidden and view.my_score == 3
    assert view.summary.count == 3 and view.summary.mean == 3.0 and view.summary.median == 3.0
    assert ("Tomaž", "The edit drags.") in view.notes


def test_my_unrated_queue_lists_assigned_films_not_yet_rated(festival):
    database, ids = festival
    change = assign(database, ids[:3], "Ilka")
    rate(database, ids[0], "Ilka", 4)
    rate(database, ids[3], "Ilka", 2)  # rated but never assigned: not in the queue anyway
    assert set(my_unrated(database, "Ilka")) == {ids[1], ids[2]}
    change.undo(database)
    assert my_unrated(database, "Ilka") == []


def test_bulk_status_move_records_history_and_undo_moves_back(festival):
    database, ids = festival
    change = move_status(database, ids[:2], "Shortlisted", "Maja", comment="Strong docs")
    assert {status_of(database, i) for i in ids[:2]} == {"shortlisted"}
    [entry] = status_history(database, ids[0])
    assert (entry.programmer, entry.from_status, entry.to_status, entry.comment) == (
        "Maja", "submitted", "shortlisted", "Strong docs")
    undone = change.undo(database)
    assert {status_of(database, i) for i in ids[:2]} == {"submitted"}
    assert len(status_history(database, ids[0])) == 2
    redone = undone.undo(database)
    assert status_of(database, ids[1]) == "shortlisted"
    for _cycle in range(2):  # undo and redo again: the history records moves, never "Undo:" text
        redone = redone.undo(database).undo(database)
    history = status_history(database, ids[0])
    assert [entry.kind for entry in history] == ["move", "undo", "redo", "undo", "redo", "undo", "redo"]
    assert [entry.comment for entry in history[1:]] == [""] * 6
    assert {change.description, undone.description, redone.description} == {"Move 2 films to Shortlisted"}


def test_a_move_the_workflow_forbids_is_refused_naming_the_allowed_moves_and_nothing_moves(festival):
    database, ids = festival
    move_status(database, [ids[0]], "declined", "Maja")
    with pytest.raises(UserError) as refused:
        move_status(database, [ids[1], ids[0]], "selected", "Maja")
    assert f"film {ids[0]}" in str(refused.value)
    assert "in_review" in str(refused.value)
    assert status_of(database, ids[1]) == "submitted"


def test_unknown_status_is_refused_with_the_valid_ones(festival):
    database, ids = festival
    with pytest.raises(UserError, match="shortlisted"):
        move_status(database, [ids[0]], "maybe", "Maja")


def test_coloured_tags_and_undo(festival):
    database, ids = festival
    change = tag_films(database, ids[:2], "Festival favourite", colour="#e0a020")
    tags = film_tags(database, ids[:3])
    assert tags[ids[0]] == [("Festival favourite", "#e0a020")] and tags[ids[2]] == []
    change.undo(database)
    assert film_tags(database, ids[:2]) == {ids[0]: [], ids[1]: []}
    with pytest.raises(UserError, match="colour"):
        tag_films(database, ids[:1], "Urgent", colour="red")


def test_a_name_not_on_the_committee_is_refused_naming_the_nearest_members(festival):
    database, ids = festival
    add_programmer(database, "Maja Kovačič")
    with pytest.raises(UserError, match=r"no committee member called 'Maj Kovacic'.*'Maja Kovačič'.*programmers add"):
        rate(database, ids[0], "Maj Kovacic", 4)
    with pytest.raises(UserError, match="no committee member"):
        move_status(database, [ids[0]], "in review", "Nobody Known")
    assert [name for _, name in committee(database)] == ["Ilka", "Maja", "Maja Kovačič", "Tomaž"]
    rate(database, ids[0], "maja kovacic", 4)  # case and accents aside, the same member


def test_adding_renaming_and_merging_programmers(festival):
    database, ids = festival
    with pytest.raises(UserError, match="already on the committee"):
        add_programmer(database, "  ilka ")
    with pytest.raises(UserError, match="name is empty"):
        add_programmer(database, "   ")
    added = add_programmer(database, "Maja K")
    duplicate = added.details["id"]
    rate(database, ids[0], "Maja K", 5)
    rate(database, ids[0], "Maja", 3)  # both rated: the target's rating stays
    rate(database, ids[1], "Maja K", 2)
    save_note(database, ids[1], "Maja K", "Strong opening.")
    [[maja_id]] = [[pid for pid, name in committee(database) if name == "Maja"]]
    merged = merge_programmers(database, duplicate, maja_id)
    assert [name for _, name in committee(database)] == ["Ilka", "Maja", "Tomaž"]
    assert ratings_view(database, ids[1], "Maja").my_score == 2
    assert ratings_view(database, ids[0], "Maja").my_score == 3
    assert [(note.programmer, note.text) for note in film_notes(database, ids[1])] == [("Maja", "Strong opening.")]
    merged.undo(database)
    assert ratings_view(database, ids[0], "Maja K").my_score == 5
    assert ratings_view(database, ids[1], "Maja").my_score is None
    assert [note.programmer for note in film_notes(database, ids[1])] == ["Maja K"]
    renamed = rename_programmer(database, duplicate, "Maja Kovač")
    assert ratings_view(database, ids[1], "Maja Kovač").my_score == 2
    renamed.undo(database)
    assert "Maja K" in [name for _, name in committee(database)]
    with pytest.raises(UserError, match="rated or written notes since"):
        added.undo(database)


def test_rating_again_with_the_same_score_adds_no_undo_step(festival):
    database, ids = festival
    assert rate(database, ids[0], "Maja", 4).can_undo
    assert not rate(database, ids[0], "Maja", 4).can_undo
    cleared = clear_rating(database, ids[0], "Maja")
    assert ratings_view(database, ids[0], "Maja").my_score is None
    cleared.undo(database)
    assert ratings_view(database, ids[0], "Maja").my_score == 4
    several = rate_films(database, ids[:3], "Maja", 2)
    assert several.description == "Rate 3 films 2 of 5"
    several.undo(database)
    assert [ratings_view(database, i, "Maja").my_score for i in ids[:3]] == [4, None, None]


def test_my_note_is_written_edited_and_deleted_by_its_author_only(festival):
    database, ids = festival
    first = save_note(database, ids[0], "Maja", "Slow <start> & a strong end")
    note_id = first.details["note_id"]
    edited = save_note(database, ids[0], "Maja", "Slow start, strong end.", note_id=note_id)
    assert not save_note(database, ids[0], "Maja", "Slow start, strong end.", note_id=note_id).can_undo
    with pytest.raises(UserError, match="only its author"):
        save_note(database, ids[0], "Ilka", "Hijacked", note_id=note_id)
    with pytest.raises(UserError, match="only its author"):
        delete_note(database, note_id, "Tomaž")
    edited.undo(database)
    assert [note.text for note in film_notes(database, ids[0])] == ["Slow <start> & a strong end"]
    deleted = delete_note(database, note_id, "Maja")
    assert film_notes(database, ids[0]) == []
    deleted.undo(database)  # back under the same id
    assert [(note.id, note.text) for note in film_notes(database, ids[0])] == [(note_id, "Slow <start> & a strong end")]
    long_text = "word " * 20000
    save_note(database, ids[1], "Ilka", long_text)
    assert [len(note.text) for note in film_notes(database, ids[1])] == [len(long_text.strip())]
