"""The proof changelog between two builds, with the previous build stored as JSON."""

from __future__ import annotations

import datetime as dt
import json

from booklet_samples import MARKUP_TITLE, small_festival

from festival_desk.printing.changelog import proof_changes
from festival_desk.printing.snapshot import FilmEntry


def _stored(snapshot) -> dict:
    return json.loads(json.dumps(snapshot.to_json()))  # exactly what is kept between builds


def test_no_previous_build_or_no_change_gives_an_empty_changelog():
    assert proof_changes(None, small_festival()) == []
    assert proof_changes(_stored(small_festival()), small_festival()) == []


def test_added_removed_moved_and_edited_are_each_listed():
    before = _stored(small_festival())
    after = small_festival()
    competition = after.sections[0]
    competition.films[0].title = "The Blue Soul"
    competition.films[0].synopsis += " Now longer."
    del competition.films[1]
    competition.films.append(FilmEntry(50, "Newcomer"))
    after.screenings[0].starts_at += dt.timedelta(hours=1)
    after.screenings = [s for s in after.screenings if s.id != 5]
    changes = proof_changes(before, after)
    assert "Film added: 'Newcomer' (Competition)" in changes
    assert f"Film removed: {MARKUP_TITLE!r} (Competition)" in changes
    assert "Title edited: 'The Red Soul' → 'The Blue Soul'" in changes
    assert "Film 'The Blue Soul': synopsis edited" in changes
    assert "Screening moved: 'The Blue Soul' 2025-03-14 19:30 Kino Šiška, Hall 1 → " \
           "2025-03-14 20:30 Kino Šiška, Hall 1" in changes
    assert "Screening removed: 'Shorts One' 2025-03-16 11:00 Kinodvor, Small" in changes
    assert len(changes) == 6


def test_a_replaced_still_is_noticed_without_storing_its_bytes():
    before = _stored(small_festival())
    assert "data" not in json.dumps(before)
    after = small_festival()
    after.sections[0].films[0].still.data += b"\x00"
    assert proof_changes(before, after) == ["Film 'The Red Soul': still edited"]
