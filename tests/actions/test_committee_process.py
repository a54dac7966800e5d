"""The committee's process through its actions: assignments with due dates and their spread, watched
marks, conflicts of interest, the weighted rubric and ratings per criterion, with undo."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.actions.committee import (
    assign_films,
    assignments,
    conflicts,
    declare_conflict,
    mark_watched,
    progress,
    screener,
    set_languages,
    spread_assignments,
    withdraw_conflict,
)
from festival_desk.actions.programming import (
    add_programmer,
    film_opinions,
    film_scores,
    list_rows,
    merge_programmers,
    programmer_id,
    rate,
)
from festival_desk.actions.rubric import rate_criteria, rating_criteria, rubric, set_rubric
from festival_desk.core.errors import UserError
from festival_desk.store.db import open_database
from festival_desk.store.film_rows import film_rows
from festival_desk.store.filters import FilmFilter, film_ids
from tests.support.festivals import imported_festival

COMMITTEE = ("Maja", "Tomaž", "Ilka", "Ben")


@pytest.fixture
def festival(empty_db):
    return empty_db, imported_festival(empty_db, COMMITTEE)


@pytest.fixture
def generated(generated_path: Path):
    database = open_database(str(generated_path))
    yield database
    database.close()


def _assigned(database) -> dict[int, set[int]]:
    with database.engine.connect() as connection:
        pairs = connection.execute(sa.text("SELECT film_id, programmer_id FROM assignment")).all()
    found: dict[int, set[int]] = defaultdict(set)
    for film_id, pid in pairs:
        found[film_id].add(pid)
    return found


def _conflicted(database) -> set[tuple[int, int]]:
    with database.engine.connect() as connection:
        return set(map(tuple, connection.execute(sa.text(
            "SELECT film_id, programmer_id FROM conflict_of_interest")).all()))


# --- assignments ---------------------------------------------------------------------------------


def test_assignments_keep_their_due_date_and_a_past_one_shows_overdue_until_watched(festival):
    database, ids = festival
    past, later = dt.date(2020, 3, 1), dt.date(2099, 1, 1)
    change = assign_films(database, ids[:2], "Maja", due=past)
    assert change.details["assigned"] == ids[:2]
    assign_films(database, [ids[2]], "maja", due=later)
    rows = assignments(database, "Maja", today=dt.date(2026, 11, 30))
    assert {row.film_id for row in rows[:2]} == set(ids[:2]) and rows[2].film_id == ids[2]
    assert [row.due for row in rows] == [past, past, later]  # by due date
    assert [row.overdue for row in rows] == [True, True, False]
    assert [row.film_id for row in assignments(database, overdue_only=True, today=dt.date(2026, 11, 30))] == \
        [row.film_id for row in rows[:2]]
    mark_watched(database, rows[0].film_id, "Maja", minutes=10)
    after = {row.film_id: row for row in assignments(database, "Maja", today=dt.date(2026, 11, 30))}
    assert after[rows[0].film_id].done and not after[rows[0].film_id].overdue
    assert after[rows[0].film_id].minutes == 10
    undone = change.undo(database)
    assert {row.film_id for row in assignments(database, "Maja")} == {ids[2]}
    undone.undo(database)  # redo
    assert {row.film_id for row in assignments(database, "Maja")} == {*ids[:3]}


def test_a_new_due_date_moves_an_existing_assignment_and_undo_puts_the_old_one_back(festival):
    database, ids = festival
    assign_films(database, [ids[0]], "Ilka", due=dt.date(2026, 12, 1))
    change = assign_films(database, [ids[0]], "Ilka", due=dt.date(2026, 12, 15))
    assert change.details["due_changed"] == [ids[0]] and change.details["assigned"] == []
    assert assignments(database, "Ilka")[0].due == dt.date(2026, 12, 15)
    change.undo(database)
    assert assignments(database, "Ilka")[0].due == dt.date(2026, 12, 1)


def test_assigning_a_film_to_someone_with_a_conflict_is_refused_with_the_reason(festival):
    database, ids = festival
    declare_conflict(database, ids[1], "Tomaž", "I edited this film")
    with pytest.raises(UserError) as refused:
        assign_films(database, [ids[0], ids[1]], "Tomaz")
    message = str(refused.value)
    assert "Tomaž declared a conflict of interest" in message and "I edited this film" in message
    assert "cannot be assigned it" in message and "\n" not in message
    assert assignments(database, "Tomaž") == []  # nothing half-written


def test_spread_on_a_generated_festival_gives_every_film_three_viewers_and_no_conflicted_one(generated):
    database = generated
    names = [name for name in _names(database)]
    with database.engine.connect() as connection:
        films = connection.execute(sa.text("SELECT id FROM film ORDER BY id")).scalars().all()
    for number, film_id in enumerate(films[:60]):  # a fifth of the films: somebody has a stake
        declare_conflict(database, film_id, names[number % len(names)], "a friend's film")
    assign_films(database, films[60:70], names[0])
    change = spread_assignments(database, 3, due=dt.date(2026, 12, 20))
    assigned = _assigned(database)
    assert all(len(assigned[film_id]) >= 3 for film_id in films)
    assert not (_conflicted(database) & {(f, p) for f, ps in assigned.items() for p in ps})
    assert change.details["short"] == []
    assert sum(change.details["per_programmer"].values()) == change.details["added"]
    totals = change.details["totals"]  # open work, evenly spread
    assert max(totals.values()) - min(totals.values()) <= 1
    assert all(row.due == dt.date(2026, 12, 20) for row in assignments(database) if row.film_id not in films[60:70])
    change.undo(database)
    assert sum(len(p) for p in _assigned(database).values()) == 10  # the hand-made ones stay


def _names(database) -> list[str]:
    with database.engine.connect() as connection:
        return connection.execute(sa.text("SELECT name FROM programmer ORDER BY id")).scalars().all()


def test_spread_respects_language_skills_where_known(festival):
    database, ids = festival
    # Film 1 of the export is Slovenian and Greek; film 3 Russian (and an unknown language).
    set_languages(database, "Maja", ["Slovenian"])
    set_languages(database, "Tomaž", ["sl", "Greek"])
    set_languages(database, "Ilka", ["deu"])
    spread_assignments(database, 2)
    assigned = _assigned(database)
    maja, tomaz, ilka, ben = (programmer_id(database, name) for name in COMMITTEE)
    assert assigned[ids[0]] == {maja, tomaz}  # Ilka follows neither language; Maja and Tomaž are least busy
    assert ilka not in assigned[ids[2]]
    with pytest.raises(UserError, match="'Klingonish' is not a language"):
        set_languages(database, "Ben", ["Klingonish"])


def test_spread_refuses_more_viewers_than_the_committee_has(festival):
    database, _ = festival
    with pytest.raises(UserError, match="only 4 active members"):
        spread_assignments(database, 5)
    with pytest.raises(UserError, match="at least 1"):
        spread_assignments(database, 0)


def test_progress_per_programmer_and_per_film(festival):
    database, ids = festival
    assign_films(database, ids[:3], "Maja", due=dt.date(2020, 1, 1))
    assign_films(database, ids[:1], "Ben")
    mark_watched(database, ids[0], "Maja")
    rate(database, ids[1], "Maja", 4)
    declare_conflict(database, ids[0], "Ilka", "my cousin")
    rate(database, ids[0], "Tomaž", 2)
    report = progress(database, today=dt.date(2026, 11, 30))
    by_name = {p.name: p for p in report.programmers}
    assert (by_name["Maja"].assigned, by_name["Maja"].done, by_name["Maja"].overdue) == (3, 2, 1)
    assert (by_name["Ben"].assigned, by_name["Ben"].done) == (1, 0)
    films = {f.film_id: f for f in report.films}
    assert films[ids[0]].viewers == 2 and films[ids[0]].target == 3  # Maja watched, Tomaž rated
    assert report.films[0].viewers <= report.films[-1].viewers  # furthest from K first


def test_watched_marks_how_much_and_refuses_nonsense(festival):
    database, ids = festival
    change = mark_watched(database, ids[0], "Ilka", minutes=40)
    assert change.details["minutes"] == 40 and not change.details["to_the_end"]
    full = mark_watched(database, ids[0], "Ilka", minutes=500)  # past the runtime: to the end
    assert full.details["to_the_end"]
    full.undo(database)
    assert assignments(database) == [] and _viewing(database, ids[0]) == [(40,)]
    for bad in (0, -3):
        with pytest.raises(UserError, match="--minutes"):
            mark_watched(database, ids[0], "Ilka", minutes=bad)


def _viewing(database, film_id):
    with database.engine.connect() as connection:
        return list(map(tuple, connection.execute(sa.text("SELECT minutes FROM viewing WHERE film_id = :f"),
                                                  {"f": film_id}).all()))


def test_the_screener_password_is_given_only_when_asked(festival):
    database, ids = festival
    plain = screener(database, ids[0])
    assert plain.link == "https://video.example.org/reka" and plain.has_password and plain.password is None
    assert screener(database, ids[0], reveal=True).password == "river"


# --- conflicts of interest --------------------------------------------------------------------------


def test_a_declared_conflict_takes_the_rating_out_of_every_mean_and_blocks_rating(festival):
    database, ids = festival
    film = ids[0]
    rate(database, film, "Maja", 5)
    rate(database, film, "Tomaž", 2)
    rate(database, film, "Ilka", 3)
    assign_films(database, [film], "Maja", due=dt.date(2026, 12, 1))
    change = declare_conflict(database, film, "Maja", "Co-produced by my company")
    assert change.details["assignment_taken_back"] and change.details["rating_excluded"]
    with database.reading() as session:
        assert film_scores(session, [film])[film].mean == pytest.approx(2.5)
        [row] = film_rows(session, [film])
    assert row.mean == pytest.approx(2.5) and row.ratings_count == 2
    assert [r for r in list_rows(database) if r["film_id"] == film][0]["mean"] == pytest.approx(2.5)
    opinions = film_opinions(database, film, programmer_id(database, "Maja"))
    assert opinions.my_conflict == "Co-produced by my company" and opinions.summary.count == 2
    assert opinions.my_score == 5  # kept on record
    with pytest.raises(UserError, match="cannot rate it"):
        rate(database, film, "Maja", 4)
    with pytest.raises(UserError, match="cannot rate it"):
        rate_criteria(database, film, "Maja", [("Craft", 4)])
    with database.reading() as session:  # sorting and filtering by the mean agree
        assert film not in film_ids(session, FilmFilter(score_min=2.6))
        assert film in film_ids(session, FilmFilter(score_min=2.5, score_max=2.5))
    assert [c.reason for c in conflicts(database)] == ["Co-produced by my company"]
    change.undo(database)
    assert assignments(database, "Maja")[0].due == dt.date(2026, 12, 1)
    with database.reading() as session:
        assert film_scores(session, [film])[film].mean == pytest.approx(10 / 3)
    declare_conflict(database, film, "Maja", "again")
    withdraw_conflict(database, film, "Maja")
    with database.reading() as session:
        assert film_scores(session, [film])[film].count == 3
    with pytest.raises(UserError, match="give the reason"):
        declare_conflict(database, film, "Maja", "   ")


def test_merging_a_duplicate_keeps_their_conflicts_and_viewings(festival):
    database, ids = festival
    duplicate = add_programmer(database, "Maja K").details["id"]
    declare_conflict(database, ids[0], "Maja K", "my film")
    mark_watched(database, ids[1], "Maja K", minutes=12)
    rate(database, ids[0], "Tomaž", 3)
    change = merge_programmers(database, duplicate, programmer_id(database, "Maja"))
    assert [(c.film_id, c.programmer) for c in conflicts(database)] == [(ids[0], "Maja")]
    assert _viewing(database, ids[1]) == [(12,)]
    with pytest.raises(UserError, match="cannot rate it"):
        rate(database, ids[0], "Maja", 5)
    change.undo(database)
    assert [(c.film_id, c.programmer) for c in conflicts(database)] == [(ids[0], "Maja K")]


# --- the rubric ------------------------------------------------------------------------------------------


def test_weighted_means_recomputed_by_hand(festival):
    database, ids = festival
    set_rubric(database, "Craft:2,Relevance:1,Originality:1,Fit for the programme:1")
    rate_criteria(database, ids[0], "Maja", [("Craft", 4), ("Relevance", 3)])
    rate_criteria(database, ids[0], "Tomaž", [("craft", 5), ("relevance", 1), ("Originality", 2),
                                              ("Fit for the programme", 4)])
    rate(database, ids[0], "Ilka", 2)
    maja = (2 * 4 + 1 * 3) / 3  # 3.667
    tomaz = (2 * 5 + 1 + 2 + 4) / 5  # 3.4
    by_hand = (maja + tomaz + 2) / 3
    spread = (sum((x - by_hand) ** 2 for x in (maja, tomaz, 2)) / 3) ** 0.5
    with database.reading() as session:
        summary = film_scores(session, [ids[0]])[ids[0]]
        [row] = film_rows(session, [ids[0]], programmer_id=programmer_id(database, "Maja"))
    assert summary.mean == pytest.approx(by_hand) and summary.spread == pytest.approx(spread)
    assert row.mean == pytest.approx(by_hand) and row.spread == pytest.approx(spread)
    assert row.my_rating == 4  # 3.67 in whole stars
    overall, lines = rating_criteria(database, ids[0], programmer_id(database, "Maja"))
    assert overall == pytest.approx(maja)
    assert [(line.name, line.score, line.weight) for line in lines] == [("Craft", 4, 2.0), ("Relevance", 3, 1.0)]


def test_a_rubric_change_mid_season_keeps_old_overall_scores_as_given(festival):
    database, ids = festival
    set_rubric(database, "Craft:2,Relevance:1")
    rate_criteria(database, ids[0], "Maja", [("Craft", 5), ("Relevance", 2)])  # (10 + 2) / 3 = 4
    change = set_rubric(database, "Craft:1,Relevance:3,Sound:1")
    assert rubric(database)["rubric"] == "Craft:1,Relevance:3,Sound:1"
    with database.reading() as session:
        assert film_scores(session, [ids[0]])[ids[0]].mean == pytest.approx(4.0)
    rate_criteria(database, ids[1], "Maja", [("Craft", 5), ("Relevance", 2)])  # (5 + 6) / 4 under the new one
    with database.reading() as session:
        assert film_scores(session, [ids[1]])[ids[1]].mean == pytest.approx(11 / 4)
    set_rubric(database, "Relevance:1")
    assert rubric(database)["retired"] == ["Craft", "Sound"]
    with database.reading() as session:
        assert film_scores(session, [ids[0]])[ids[0]].mean == pytest.approx(4.0)
    change.undo(database)  # the rubric before the change comes back
    assert rubric(database)["rubric"] == "Craft:2,Relevance:1"


def test_rubric_bad_input_is_refused_in_one_line_and_changes_nothing(festival):
    database, ids = festival
    set_rubric(database, "Craft:2,Relevance:1")
    for text in ("Craft:0,Relevance:1", "Craft:-1", "Craft:2,craft:1", "Craft"):
        with pytest.raises(UserError) as refused:
            set_rubric(database, text)
        assert "\n" not in str(refused.value)
    assert rubric(database)["rubric"] == "Craft:2,Relevance:1"
    with pytest.raises(UserError) as refused:
        rate_criteria(database, ids[0], "Maja", [("Craft", 4), ("Sound", 3)])
    assert str(refused.value) == "the rubric has no criterion “Sound” (criteria: Craft, Relevance)"
    with database.reading() as session:
        assert film_scores(session, [ids[0]]) == {}


def test_a_whole_score_replaces_a_criterion_rating_and_undo_brings_the_criteria_back(festival):
    database, ids = festival
    set_rubric(database, "Craft:2,Relevance:1")
    me = programmer_id(database, "Maja")
    rate_criteria(database, ids[0], "Maja", [("Craft", 3), ("Relevance", 5)])
    change = rate(database, ids[0], "Maja", 2)
    assert rating_criteria(database, ids[0], me) == (None, [])
    with database.reading() as session:
        assert film_scores(session, [ids[0]])[ids[0]].mean == 2
    change.undo(database)
    overall, lines = rating_criteria(database, ids[0], me)
    assert overall == pytest.approx(11 / 3) and [line.score for line in lines] == [3, 5]
    criteria_change = rate_criteria(database, ids[1], "Maja", [("Craft", 1)])
    criteria_change.undo(database)
    assert rating_criteria(database, ids[1], me) == (None, [])


def test_undoing_a_spread_puts_back_the_viewers_each_film_needs(festival):
    database, _ = festival
    spread_assignments(database, 2)
    change = spread_assignments(database, 3)
    assert progress(database).target == 3
    change.undo(database)
    assert progress(database).target == 2
