"""FilmFilter criteria and film_ids sorting, done in SQL, on a hand-made festival whose expected
orders are worked out by hand below."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from festival_desk.core.errors import UserError
from festival_desk.store.filters import SORT_COLUMNS, FilmFilter, film_ids
from festival_desk.store.models import Film

# Shared festival fixtures live beside this file (the suite runs in importlib mode, which does not
# put test folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_search_fixtures import FilmSpec, add_films, any_db, programmer_id  # noqa: E402, F401  (any_db is a fixture)

FESTIVAL = [
    FilmSpec("Alpha", directors=["Ana Kovač"], section="MAIN", status="shortlisted", countries=["SI", "HR"],
             languages=["slv"], year=2023, runtime=95, premiere="world", ratings={"Mara": 5, "Tomo": 3},
             tags=["Strong"], assigned_to=["Mara"], reviews=["A lucid film about a border."]),
    FilmSpec("Bravo", original_title="Zebra", directors=["Dan Ode"], section="SHORT", countries=["FR"],
             languages=["fra"], year=2021, runtime=14, premiere="national", ratings={"Mara": 2}),
    FilmSpec("Charlie", original_title="Čarli", directors=["Čedo Ćosić"], status="declined", countries=["TR"],
             languages=["tur"], runtime=120, ratings={"Mara": 4, "Tomo": 4, "Lena": 1}, tags=["Strong", "Doc"],
             assigned_to=["Tomo"]),
    FilmSpec("The Delta", original_title="Éclair", section="MAIN", status="selected", year=2024, runtime=60,
             premiere="international", reviews=["Patient and precise.", "A slow burn."]),
]


@pytest.fixture
def festival(any_db):  # noqa: F811
    ids = add_films(any_db, FESTIVAL)
    return any_db, ids, {film_id: title for title, film_id in ids.items()}


def listed(festival, film_filter=None, sort=("title", True), programmer=None):
    database, _, titles = festival
    with database.reading() as session:
        ids = film_ids(session, film_filter, sort=sort, programmer_id=programmer)
    return [titles[film_id] for film_id in ids]


@pytest.mark.parametrize(("sort", "expected"), [
    (("title", True), ["Alpha", "Bravo", "Charlie", "The Delta"]),
    (("title", False), ["The Delta", "Charlie", "Bravo", "Alpha"]),
    # folded: Čarli files under C, Éclair under E; no original title files under the title
    (("original_title", True), ["Alpha", "Charlie", "The Delta", "Bravo"]),
    (("directors", True), ["Alpha", "Charlie", "Bravo", "The Delta"]),  # Ana, Čedo, Dan, none
    (("directors", False), ["Bravo", "Charlie", "Alpha", "The Delta"]),  # films without come last
    (("countries", True), ["Bravo", "Alpha", "Charlie", "The Delta"]),  # FR, SI+HR, TR, none
    (("year", True), ["Bravo", "Alpha", "The Delta", "Charlie"]),
    (("year", False), ["The Delta", "Alpha", "Bravo", "Charlie"]),
    (("runtime", True), ["Bravo", "The Delta", "Alpha", "Charlie"]),
    (("section", True), ["Alpha", "The Delta", "Bravo", "Charlie"]),
    (("status", True), ["Bravo", "Alpha", "The Delta", "Charlie"]),  # workflow order
    (("mean", False), ["Alpha", "Charlie", "Bravo", "The Delta"]),  # 4, 3, 2, unrated
    (("mean", True), ["Bravo", "Charlie", "Alpha", "The Delta"]),
    (("spread", False), ["Charlie", "Alpha", "Bravo", "The Delta"]),  # 1.41, 1, 0, unrated
    (("ratings", False), ["Charlie", "Alpha", "Bravo", "The Delta"]),  # 3, 2, 1, 0
    (("reviews", False), ["The Delta", "Alpha", "Bravo", "Charlie"]),  # 2, 1, 0, 0
    (("premiere", True), ["Alpha", "The Delta", "Bravo", "Charlie"]),  # world, international, national
])
def test_every_column_sorts_in_the_database(festival, sort, expected):
    assert listed(festival, sort=sort) == expected


def test_my_rating_sorts_by_the_given_programmers_scores(festival):
    database = festival[0]
    assert listed(festival, sort=("my_rating", False), programmer=programmer_id(database, "Mara")) == [
        "Alpha", "Charlie", "Bravo", "The Delta"]
    assert listed(festival, sort=("my_rating", False), programmer=programmer_id(database, "Lena")) == [
        "Charlie", "Alpha", "Bravo", "The Delta"]


@pytest.mark.parametrize(("film_filter", "expected"), [
    (FilmFilter(sections=("MAIN",)), ["Alpha", "The Delta"]),
    (FilmFilter(statuses=("Shortlisted", "selected")), ["Alpha", "The Delta"]),
    (FilmFilter(countries=("hr",)), ["Alpha"]),
    (FilmFilter(languages=("TUR",)), ["Charlie"]),
    (FilmFilter(runtime_min=60, runtime_max=100), ["Alpha", "The Delta"]),
    (FilmFilter(year_min=2022), ["Alpha", "The Delta"]),
    (FilmFilter(year_max=2021), ["Bravo"]),
    (FilmFilter(premieres=("World",)), ["Alpha"]),
    (FilmFilter(score_min=3, score_max=4), ["Alpha", "Charlie"]),
    (FilmFilter(score_min=4.5), []),
    (FilmFilter(tags=("Doc",)), ["Charlie"]),
    (FilmFilter(tags=("Strong",)), ["Alpha", "Charlie"]),
    (FilmFilter(has_review=True), ["Alpha", "The Delta"]),
    (FilmFilter(has_review=False), ["Bravo", "Charlie"]),
    (FilmFilter(search="cosic"), ["Charlie"]),
    (FilmFilter(search="ode", statuses=("declined", "submitted")), ["Bravo"]),
    (FilmFilter(search="kovac", statuses=("declined",)), []),
    (FilmFilter(search="   "), ["Alpha", "Bravo", "Charlie", "The Delta"]),
    (FilmFilter(search='"'), []),
    (FilmFilter(sections=("MAIN",), has_review=True, countries=("SI",)), ["Alpha"]),
])
def test_each_criterion_narrows_the_list(festival, film_filter, expected):
    assert listed(festival, film_filter) == expected


def test_assigned_to_me_follows_the_programmer(festival):
    database = festival[0]
    mine = FilmFilter(assigned_to_me=True)
    assert listed(festival, mine, programmer=programmer_id(database, "Mara")) == ["Alpha"]
    assert listed(festival, mine, programmer=programmer_id(database, "Tomo")) == ["Charlie"]
    assert listed(festival, FilmFilter(assigned_to=programmer_id(database, "Tomo"))) == ["Charlie"]
    with pytest.raises(UserError, match="who you are"):
        listed(festival, mine)


def test_relevance_sorts_by_search_rank(festival):
    # "border" in Bravo's synopsis outweighs "border" in Alpha's review.
    database, ids, _ = festival
    with database.transaction() as session:
        session.get(Film, ids["Bravo"]).synopsis = "A border town."
    assert listed(festival, FilmFilter(search="border"), sort=("relevance", True)) == ["Bravo", "Alpha"]
    assert listed(festival, FilmFilter(search="border"), sort=("relevance", False)) == ["Alpha", "Bravo"]
    assert listed(festival, FilmFilter(), sort=("relevance", True)) == ["Alpha", "Bravo", "Charlie", "The Delta"]


def test_bad_criteria_are_refused_naming_the_field():
    with pytest.raises(UserError, match="statuses"):
        FilmFilter(statuses=("maybe",))
    with pytest.raises(UserError, match="premieres"):
        FilmFilter(premieres=("galactic",))
    with pytest.raises(UserError, match="score_min"):
        FilmFilter(score_min=7)
    with pytest.raises(UserError, match="year_min"):
        FilmFilter(year_min="soon")
    with pytest.raises(UserError, match="colour"):
        FilmFilter.from_dict({"colour": "red"})
    with pytest.raises(UserError, match="sortable"):
        film_ids(None, None, sort=("budget", True))


def test_saved_form_round_trips_and_holds_only_what_is_set():
    film_filter = FilmFilter(search="Kovač", statuses=("in review",), countries=("si",), score_min=3.5,
                             has_review=False, assigned_to_me=True)
    saved = film_filter.to_dict()
    assert saved == {"search": "Kovač", "statuses": ["in_review"], "countries": ["SI"], "score_min": 3.5,
                     "has_review": False, "assigned_to_me": True}
    assert FilmFilter.from_dict(saved) == film_filter
    assert FilmFilter().is_empty and FilmFilter(search="  ").is_empty
    assert not film_filter.is_empty
    assert set(SORT_COLUMNS) >= {"title", "mean", "spread", "my_rating", "reviews"}
