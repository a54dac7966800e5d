"""The booklet's cover image and welcome text are edited as one undoable action."""

import pytest

from festival_desk.actions.artwork import make_still
from festival_desk.actions.booklet import load_cover_and_welcome, set_cover_and_welcome
from festival_desk.core.errors import UserError


def test_welcome_and_cover_are_stored_and_undone(demo_db) -> None:
    before = load_cover_and_welcome(demo_db)
    cover = make_still("cover-test", "Cover", 600, 840)
    change = set_cover_and_welcome(demo_db, welcome_text="Welcome to <Ribnik> & friends", cover_image=cover)
    after = load_cover_and_welcome(demo_db)
    assert after.welcome_text == "Welcome to <Ribnik> & friends"
    assert after.cover_image == cover
    change.undo(demo_db)
    assert load_cover_and_welcome(demo_db) == before


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(demo_db) -> None:
    before = load_cover_and_welcome(demo_db)
    with pytest.raises(UserError, match="notes.txt: not a readable image"):
        set_cover_and_welcome(demo_db, welcome_text="changed", cover_image=b"plain text", image_name="notes.txt")
    assert load_cover_and_welcome(demo_db) == before
