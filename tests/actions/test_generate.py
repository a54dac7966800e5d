"""The festival generator: same seed, same festival; realistic shape; a schedule the desk accepts."""

from __future__ import annotations

import io
import unicodedata

import pytest
from PIL import Image

from festival_desk.actions.generate import MAX_PROGRAMMED, generate_festival
from festival_desk.actions.schedule import check
from festival_desk.core.errors import Cancelled, UserError
from festival_desk.store.db import open_database

_TABLES = ("film", "filmcredit", "filmcountry", "filmlanguage", "rating", "note", "critic", "review",
           "pullquote", "screening", "screeningitem", "still", "person", "programmer", "statuschange")


def _dump(database) -> dict[str, list[tuple]]:
    """Every row of the generated tables, without ids' storage order mattering."""
    with database.engine.connect() as connection:
        return {table: sorted(map(tuple, connection.exec_driver_sql(f"SELECT * FROM {table}").all()), key=repr)
                for table in _TABLES}


def _count(database, sql: str) -> int:
    with database.engine.connect() as connection:
        return connection.exec_driver_sql(sql).scalar_one()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    database = open_database(str(tmp_path_factory.mktemp("gen") / "generated.sqlite"), create=True)
    generate_festival(database, films=200, seed=11)
    yield database
    database.close()


def test_same_seed_writes_the_same_festival(tmp_path, generated):
    again = open_database(str(tmp_path / "again.sqlite"), create=True)
    try:
        generate_festival(again, films=200, seed=11)
        assert _dump(again) == _dump(generated)
    finally:
        again.close()


def test_another_seed_writes_another_festival(tmp_path, generated):
    other = open_database(str(tmp_path / "other.sqlite"), create=True)
    try:
        generate_festival(other, films=200, seed=12)
        with other.engine.connect() as a, generated.engine.connect() as b:
            titles_a = a.exec_driver_sql("SELECT title FROM film ORDER BY id").scalars().all()
            titles_b = b.exec_driver_sql("SELECT title FROM film ORDER BY id").scalars().all()
        assert titles_a != titles_b
    finally:
        other.close()


def test_counts_have_the_shape_of_a_season(generated):
    films = _count(generated, "SELECT count(*) FROM film")
    assert films == 200
    programmed = _count(generated, "SELECT count(*) FROM film WHERE status IN ('selected', 'confirmed')")
    assert programmed == min(MAX_PROGRAMMED, 60)
    assert 2.0 <= _count(generated, "SELECT count(*) FROM rating") / films <= 4.0
    assert 3.0 <= _count(generated, "SELECT count(*) FROM note") / films <= 5.0
    assert _count(generated, "SELECT count(*) FROM review") == films // 5
    assert _count(generated, "SELECT count(*) FROM pullquote") >= films // 5
    assert _count(generated, "SELECT count(*) FROM pullquote WHERE approved") > 0
    assert 5 <= _count(generated, "SELECT count(*) FROM programmer") <= 20
    assert _count(generated, "SELECT count(DISTINCT status) FROM film") == 7
    # Every programmed film has a still and its screenings; nothing else is scheduled.
    assert _count(generated, "SELECT count(*) FROM still") == programmed
    assert _count(generated, "SELECT count(DISTINCT film_id) FROM screeningitem") == programmed
    assert _count(generated, "SELECT count(*) FROM screeningitem si JOIN film f ON f.id = si.film_id "
                             "WHERE f.status NOT IN ('selected', 'confirmed')") == 0
    assert _count(generated, "SELECT count(*) FROM search_film") == films


def test_each_programmed_film_screens_twice_on_different_days(generated):
    with generated.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT si.film_id, count(*), count(DISTINCT date(s.starts_at)) FROM screeningitem si "
            "JOIN screening s ON s.id = si.screening_id GROUP BY si.film_id").all()
    assert rows and all(screenings == 2 and days == 2 for _, screenings, days in rows)


def test_the_desk_finds_no_conflict_in_the_generated_schedule(generated):
    assert [finding.message for finding in check(generated)] == []


def test_shorts_programmes_hold_three_to_five_films(generated):
    with generated.engine.connect() as connection:
        sizes = connection.exec_driver_sql(
            "SELECT count(*) FROM screeningitem si JOIN screening s ON s.id = si.screening_id "
            "WHERE s.title IS NOT NULL GROUP BY s.id").scalars().all()
    assert sizes and all(3 <= size <= 5 for size in sizes)


def test_names_come_in_many_scripts_and_with_diacritics(generated):
    with generated.engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT name FROM person UNION SELECT name FROM critic").scalars().all()
        originals = connection.exec_driver_sql(
            "SELECT original_title FROM film WHERE original_title IS NOT NULL").scalars().all()
    scripts = {unicodedata.name(ch).split()[0] for name in names + originals for ch in name if ch.isalpha()}
    assert {"LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "CJK", "HANGUL", "DEVANAGARI"} <= scripts
    assert any(unicodedata.normalize("NFD", name) != name for name in names if name.isascii() is False)


def test_reviews_carry_their_pull_quotes_in_the_body(generated):
    with generated.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT r.body_text, r.raw_text, q.text FROM pullquote q JOIN review r ON r.id = q.review_id").all()
    for body, raw, quote in rows:
        assert quote in body
        assert f"«{quote}»" in raw


def test_stills_are_real_jpegs(generated):
    with generated.engine.connect() as connection:
        data, width = connection.exec_driver_sql("SELECT data, width_px FROM still LIMIT 1").one()
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG" and picture.size[0] == width


def test_refuses_a_database_that_holds_a_festival_unless_replacing(generated, tmp_path):
    with pytest.raises(UserError, match="already holds a festival"):
        generate_festival(generated, films=10, seed=1)
    target = open_database(str(tmp_path / "replace.sqlite"), create=True)
    try:
        generate_festival(target, films=30, seed=1)
        generate_festival(target, films=20, seed=2, replace=True)
        assert _count(target, "SELECT count(*) FROM film") == 20
    finally:
        target.close()


def test_refuses_an_impossible_size(empty_db):
    with pytest.raises(UserError, match="--films"):
        generate_festival(empty_db, films=0, seed=1)


def test_cancelling_writes_nothing(empty_db):
    def cancel_at_ratings(done: int, total: int, message: str) -> None:
        if message.startswith("Ratings"):
            raise Cancelled()

    with pytest.raises(Cancelled):
        generate_festival(empty_db, films=50, seed=3, progress=cancel_at_ratings)
    assert _count(empty_db, "SELECT count(*) FROM film") == 0
    assert _count(empty_db, "SELECT count(*) FROM festival") == 0
