"""Saved filters: kept by name in the database, reopened after a restart, undoable."""

from __future__ import annotations

import pytest

from festival_desk.actions.filters import delete_filter, load_filter, save_filter, saved_filter_names
from festival_desk.core.errors import UserError
from festival_desk.store.db import open_database
from festival_desk.store.filters import FilmFilter


def test_a_saved_filter_comes_back_after_reopening_the_database(empty_db, db_path):
    strong_docs = FilmFilter(search="Işık", statuses=("shortlisted",), countries=("tr",), score_min=3.5,
                             runtime_max=120, has_review=True, assigned_to_me=True)
    change = save_filter(empty_db, "  Strong   Turkish docs ", strong_docs)
    assert change.settings == {"filter:Strong Turkish docs"}
    empty_db.close()

    reopened = open_database(str(db_path))
    try:
        assert saved_filter_names(reopened) == ["Strong Turkish docs"]
        assert load_filter(reopened, "Strong Turkish docs") == strong_docs
    finally:
        reopened.close()


def test_saving_under_an_existing_name_replaces_it_and_undo_restores_it(empty_db):
    save_filter(empty_db, "Mine", FilmFilter(statuses=("submitted",)))
    change = save_filter(empty_db, "Mine", FilmFilter(statuses=("selected",)))
    assert load_filter(empty_db, "Mine").statuses == ("selected",)
    assert change.description == "Save filter “Mine”"
    redo = change.undo(empty_db)
    assert load_filter(empty_db, "Mine").statuses == ("submitted",)
    redo.undo(empty_db)
    assert load_filter(empty_db, "Mine").statuses == ("selected",)


def test_delete_and_undo_delete(empty_db):
    save_filter(empty_db, "beta", FilmFilter(year_min=2020))
    save_filter(empty_db, "Alpha", FilmFilter(year_min=2021))
    assert saved_filter_names(empty_db) == ["Alpha", "beta"]
    change = delete_filter(empty_db, "beta")
    assert saved_filter_names(empty_db) == ["Alpha"]
    change.undo(empty_db)
    assert load_filter(empty_db, "beta") == FilmFilter(year_min=2020)


def test_unknown_names_and_bad_saved_data_are_user_errors(empty_db):
    with pytest.raises(UserError, match="no saved filter named “Nope”"):
        load_filter(empty_db, "Nope")
    with pytest.raises(UserError, match="no saved filter"):
        delete_filter(empty_db, "Nope")
    with pytest.raises(UserError, match="needs a name"):
        save_filter(empty_db, "   ", FilmFilter())

    from festival_desk.store.models import Preset

    with empty_db.transaction() as session:
        session.add(Preset(kind="filter", name="Old", data={"statuses": ["pending"]}))
    with pytest.raises(UserError, match="saved filter “Old”: filter field 'statuses'"):
        load_filter(empty_db, "Old")
