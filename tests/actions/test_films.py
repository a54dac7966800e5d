"""Editing a film through actions.films: validation, one transaction, and undo/redo."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from festival_desk.actions.films import add_still, edit_film, film_details, remove_still, still_image
from festival_desk.core.errors import UserError
from festival_desk.store.models import Film, FilmCountry, Section


@pytest.fixture
def film_id(empty_db) -> int:
    with empty_db.transaction() as session:
        section = Section(code="DOC", name="Documentary Competition")
        session.add(section)
        film = Film(title="The Red Soul", original_title="Красная душа", sort_title="Red Soul",
                    sort_key="red soul", year=2017, runtime_minutes=89)
        session.add(film)
        session.flush()
        session.add(FilmCountry(film_id=film.id, position=0, code="NL", label="Netherlands"))
        return film.id


def _png(width: int = 32, height: int = 18) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_edit_saves_fields_countries_and_credits_and_undo_restores_them(empty_db, film_id):
    change = edit_film(empty_db, film_id, fields={"title": "Der Rote Seele", "year": "2018"},
                       countries=["Netherlands", "Norway", "de"],
                       credits=[("director", "Jessica Gorter"), ("editing", "Dorith Vinken")])
    assert change.films == {film_id} and change.can_undo
    details = film_details(empty_db, film_id)
    assert details.fields["title"] == "Der Rote Seele" and details.fields["year"] == 2018
    assert details.countries == ("NL", "NO", "DE")
    assert [(c.role, c.name) for c in details.credits] == [("director", "Jessica Gorter"),
                                                            ("editing", "Dorith Vinken")]
    with empty_db.reading() as session:
        assert session.get(Film, film_id).sort_title == "Rote Seele"

    redo = change.undo(empty_db)
    details = film_details(empty_db, film_id)
    assert details.fields["title"] == "The Red Soul" and details.fields["year"] == 2017
    assert details.countries == ("NL",) and details.credits == ()
    assert redo.description == change.description

    redo.undo(empty_db)
    assert film_details(empty_db, film_id).countries == ("NL", "NO", "DE")


@pytest.mark.parametrize("fields, countries, named", [
    ({"year": "twenty"}, None, "year"),
    ({"year": 1700}, None, "year"),
    ({"runtime_minutes": 0}, None, "runtime_minutes"),
    ({"title": "  "}, None, "title"),
    ({"premiere": "galactic"}, None, "premiere"),
    ({"section_id": 999}, None, "section_id"),
    (None, ["Atlantis"], "countries"),
])
def test_bad_input_names_the_field_and_writes_nothing(empty_db, film_id, fields, countries, named):
    with pytest.raises(UserError, match=named):
        edit_film(empty_db, film_id, fields={"title": "Changed", **(fields or {})}, countries=countries)
    with empty_db.reading() as session:
        assert session.get(Film, film_id).title == "The Red Soul"
        assert session.exec(select(FilmCountry.code).where(FilmCountry.film_id == film_id)).all() == ["NL"]


def test_a_stale_page_does_not_overwrite_a_newer_edit(empty_db, film_id):
    opened = film_details(empty_db, film_id).version
    edit_film(empty_db, film_id, fields={"runtime_minutes": 90})
    with pytest.raises(UserError, match="was changed by .* since you read it; nothing was saved"):
        edit_film(empty_db, film_id, fields={"runtime_minutes": 91}, expected_version=opened)
    assert film_details(empty_db, film_id).fields["runtime_minutes"] == 90


def test_still_added_removed_and_restored_by_undo(empty_db, film_id):
    data = _png()
    added = add_still(empty_db, film_id, data, "red-soul.png", credit="© Deckert")
    [still] = film_details(empty_db, film_id).stills
    assert (still.width_px, still.height_px, still.credit) == (32, 18, "© Deckert")
    assert still_image(empty_db, still.id) == data

    removed = remove_still(empty_db, still.id)
    assert film_details(empty_db, film_id).stills == ()
    removed.undo(empty_db)
    [back] = film_details(empty_db, film_id).stills
    assert still_image(empty_db, back.id) == data and back.filename == "red-soul.png"
    assert added.description.startswith("Add still")


def test_a_file_that_is_not_an_image_is_refused_by_name(empty_db, film_id):
    with pytest.raises(UserError, match="notes.txt"):
        add_still(empty_db, film_id, b"just some words", "notes.txt")
    assert film_details(empty_db, film_id).stills == ()
