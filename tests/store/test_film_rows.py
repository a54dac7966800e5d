"""film_rows: every column of the desk's table, in the order asked, in a fixed number of queries."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import pytest

from festival_desk.store.film_rows import FilmRow, RowTag, film_rows

# Shared festival fixtures live beside this file (the suite runs in importlib mode, which does not
# put test folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_search_fixtures import FilmSpec, add_films, any_db, programmer_id  # noqa: E402, F401  (any_db is a fixture)


@pytest.fixture
def festival(any_db):  # noqa: F811
    ids = add_films(any_db, [
        FilmSpec("Alpha", original_title="Alfa", directors=["Ana Kovač", "Ivo Ban"], section="MAIN",
                 status="shortlisted", countries=["SI", "HR"], year=2023, runtime=95, premiere="world",
                 ratings={"Mara": 5, "Tomo": 3}, tags=["Strong", "Doc"], reviews=["Lucid.", "Exact."]),
        FilmSpec("Bravo", ratings={"Tomo": 2}),
    ])
    return any_db, ids


def test_a_row_holds_every_column_of_the_table(festival):
    database, ids = festival
    mara = programmer_id(database, "Mara")
    with database.reading() as session:
        [alpha] = film_rows(session, [ids["Alpha"]], programmer_id=mara)
    assert alpha == FilmRow(
        film_id=ids["Alpha"], title="Alpha", original_title="Alfa", directors=("Ana Kovač", "Ivo Ban"),
        countries=("SI", "HR"), year=2023, runtime_minutes=95, section_code="MAIN", section_name="Section MAIN",
        section_colour="#336699", status="shortlisted", my_rating=5, mean=4.0, median=4.0, spread=1.0,
        ratings_count=2, reviews_count=2, premiere="world",
        tags=(RowTag("Doc", "#aa0000"), RowTag("Strong", "#aa0000")), sort_title="Alpha")


def test_rows_come_in_the_order_asked_and_vanished_films_are_left_out(festival):
    database, ids = festival
    with database.reading() as session:
        rows = film_rows(session, [ids["Bravo"], 999_999, ids["Alpha"]])
    assert [row.title for row in rows] == ["Bravo", "Alpha"]
    bravo = rows[0]
    assert (bravo.directors, bravo.countries, bravo.section_code, bravo.my_rating, bravo.tags) == ((), (), None, None, ())
    assert (bravo.mean, bravo.spread, bravo.ratings_count, bravo.reviews_count) == (2.0, 0.0, 1, 0)


def test_blind_mode_hides_the_others_scores_until_i_have_rated(festival):
    database, ids = festival
    mara = programmer_id(database, "Mara")
    with database.reading() as session:
        alpha, bravo = film_rows(session, [ids["Alpha"], ids["Bravo"]], programmer_id=mara, blind=True)
    assert alpha.mean == 4.0 and not alpha.scores_hidden
    assert bravo.scores_hidden and bravo.mean is None and bravo.spread is None and bravo.ratings_count == 1


def test_scores_agree_with_core_scores_for_every_small_committee():
    from itertools import combinations_with_replacement

    from festival_desk.core.scores import summarize
    from festival_desk.store.film_rows import _summary

    for size in range(0, 7):
        for scores in combinations_with_replacement(range(1, 6), size):
            fast, exact = _summary(list(scores)), summarize(scores)
            assert (fast.count, fast.median) == (exact.count, exact.median)
            for ours, reference in ((fast.mean, exact.mean), (fast.spread, exact.spread)):
                assert ours == reference or math.isclose(ours, reference, rel_tol=1e-12, abs_tol=1e-12)


def test_two_hundred_rows_take_a_fixed_handful_of_queries(tmp_path):
    from festival_desk.store.db import open_database

    database = open_database(str(tmp_path / "many.sqlite"), create=True)
    specs = [FilmSpec(f"Film {n}", directors=[f"Director {n}"], countries=["FR"], ratings={"Mara": 1 + n % 5},
                      tags=["Doc"] if n % 2 else []) for n in range(200)]
    ids = list(add_films(database, specs).values())
    statements = []
    with database.reading() as session:
        # The rows are read on the driver's cursor: count what reaches SQLite itself.
        session.connection().connection.driver_connection.set_trace_callback(statements.append)
        started = time.perf_counter()
        rows = film_rows(session, ids)
        elapsed = time.perf_counter() - started
        session.connection().connection.driver_connection.set_trace_callback(None)
    database.close()
    assert len(rows) == 200 and rows[7].mean == 3.0 and math.isclose(rows[7].spread, 0.0)
    assert 1 <= len(statements) <= 8
    assert elapsed < 0.25  # a few ms here; generous for a loaded CI machine
