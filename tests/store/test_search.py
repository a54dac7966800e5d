"""Search over titles, directors, synopses, notes and reviews: folding, prefixes, ranking, hostile
input, and the index following every kind of edit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from festival_desk.store.filters import FilmFilter
from festival_desk.store.models import Film, Note, Person
from festival_desk.store.search import rebuild_index, reindex_films, search_films

# Shared festival fixtures live beside this file (the suite runs in importlib mode, which does not
# put test folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_search_fixtures import FilmSpec, add_film, add_films, any_db  # noqa: E402, F401  (any_db is a fixture)

FESTIVAL = [
    FilmSpec("River Without Banks", original_title="Reka brez bregov", directors=["Ana Kovač"],
             synopsis="A ferryman counts the days until the bridge opens.", status="shortlisted", section="MAIN"),
    FilmSpec("Harbour Lights", original_title="Le Café du Port", directors=["Jules Marchand"],
             synopsis="Night shifts in a port café where the lighthouse keeper eats.", section="MAIN"),
    FilmSpec("Silent Island", original_title="Sessiz Ada", directors=["Deniz Işık"],
             synopsis="An island empties out every winter."),
    FilmSpec("The Fir Tree", original_title="Ёлка", directors=["Olga Petrova"],
             synopsis="A New Year tree travels from the taiga to a city flat.", status="declined"),
    FilmSpec("Athens at Night", original_title="Αθήνα τη νύχτα", directors=["Eleni Papadaki"],
             notes=["The harbour sequence drags in the second act."]),
    FilmSpec("Salt", directors=["Mirko Novak"], reviews=["A quietly devastating portrait of salt pans."]),
]


@pytest.fixture
def festival(any_db):  # noqa: F811
    return any_db, add_films(any_db, FESTIVAL)


def titles(database, query, **options):
    with database.reading() as session:
        return [hit.title for hit in search_films(session, query, **options)]


@pytest.mark.parametrize(("query", "expected"), [
    ("kovac", "River Without Banks"),
    ("KOVAČ", "River Without Banks"),
    ("cafe", "Harbour Lights"),
    ("isik", "Silent Island"),
    ("IŞIK", "Silent Island"),
    ("елка", "The Fir Tree"),
    ("αθηνα", "Athens at Night"),
    ("ΑΘΗΝΑ", "Athens at Night"),
])
def test_accents_and_case_are_ignored_in_every_script(festival, query, expected):
    database, _ = festival
    assert titles(database, query) == [expected]


def test_every_searched_field_finds_its_film(festival):
    database, _ = festival
    assert titles(database, "brez bregov") == ["River Without Banks"]  # original title
    assert titles(database, "marchand") == ["Harbour Lights"]  # director
    assert titles(database, "taiga") == ["The Fir Tree"]  # synopsis
    assert titles(database, "sequence drags") == ["Athens at Night"]  # a programmer's note
    assert titles(database, "devastating") == ["Salt"]  # a review


def test_the_last_word_matches_as_a_prefix_and_all_words_must_match(festival):
    database, _ = festival
    assert titles(database, "kov") == ["River Without Banks"]
    assert titles(database, "ana kov") == ["River Without Banks"]
    assert titles(database, "kovac ferry") == ["River Without Banks"]  # director + synopsis
    assert titles(database, "kovac taiga") == []
    assert titles(database, "ko river") == []  # only the last word is a prefix


def test_title_matches_rank_above_note_matches(festival):
    database, _ = festival
    assert titles(database, "harbour") == ["Harbour Lights", "Athens at Night"]
    with database.reading() as session:
        hits = search_films(session, "harbour")
    assert hits[0].score > hits[1].score
    assert hits[0].directors == ("Jules Marchand",)


HOSTILE = ['"', '""', "'", '"kovac', "kovac\"", "(kovac", "kovac)", "kovac*", "*", "-kovac", "kovac -ana",
           "AND", "kovac AND", "OR kovac", "NOT kovac", "NEAR(kovac", "NEAR(kovac ana, 2)", "title:kovac",
           "c++", "a & b", "kovac | ana", "!kovac", "kovac:*", "{kovac}", "^kovac", "\\", "%", "_", "\x00",
           "   ", "", "😀 kovac", "' OR 1=1 --", "kovac" * 200, " ".join(["kovac"] * 100)]


@pytest.mark.parametrize("query", HOSTILE)
def test_whatever_is_typed_returns_a_list_and_never_raises(festival, query):
    database, _ = festival
    result = titles(database, query)
    assert isinstance(result, list)
    assert set(result) <= {spec.title for spec in FESTIVAL}


def test_operators_are_searched_as_words_not_obeyed(festival):
    database, _ = festival
    # "-" and "NOT" would exclude in FTS syntax; here they are plain text and cannot exclude.
    assert titles(database, "-kovac") == ["River Without Banks"]
    assert titles(database, "(kovac)") == ["River Without Banks"]
    assert titles(database, '"kovac') == ["River Without Banks"]
    assert titles(database, "NEAR(kovac") == []  # "near" is a word no film has
    assert titles(database, "title:kovac") == []  # not a column filter: "title" is just a word
    assert titles(database, "*") == []
    assert titles(database, "") == []


def test_limit_and_filter(festival):
    database, _ = festival
    assert len(titles(database, "a", limit=2)) == 2
    assert titles(database, "harbour", filter=FilmFilter(sections=("MAIN",))) == ["Harbour Lights"]
    assert titles(database, "harbour", filter=FilmFilter(statuses=("declined",))) == []
    assert titles(database, "kovac", limit=0) == []


def test_index_follows_orm_edits_of_films_notes_and_people(festival):
    database, ids = festival
    with database.transaction() as session:
        film = session.get(Film, ids["Salt"])
        film.title = "Saltwork Čipka"
        session.add(Note(film_id=ids["Salt"], programmer_id=1, text="Remarkable zither score."))
        person = session.exec(select(Person).where(Person.name == "Olga Petrova")).one()
        person.name = "Olga Smirnova"
    assert titles(database, "cipka") == ["Saltwork Čipka"]
    assert titles(database, "zither") == ["Saltwork Čipka"]
    assert titles(database, "smirnova") == ["The Fir Tree"]
    assert titles(database, "petrova") == []

    with database.transaction() as session:
        session.delete(session.exec(select(Note).where(Note.text.contains("zither"))).one())
        session.delete(session.get(Film, ids["Silent Island"]))
    assert titles(database, "zither") == []
    assert titles(database, "isik") == []


def test_index_follows_orm_bulk_statements(festival):
    database, ids = festival
    with database.transaction() as session:
        session.execute(sa.update(Film).where(Film.id == ids["Salt"]).values(synopsis="Flamingos at dawn."))
        session.execute(sa.delete(Note).where(Note.film_id == ids["Athens at Night"]))
        session.execute(sa.insert(Note), [{"film_id": ids["Silent Island"], "programmer_id": 1,
                                           "text": "Best ferry crossing of the year."}])
    assert titles(database, "flamingo") == ["Salt"]
    assert titles(database, "sequence") == []
    assert titles(database, "crossing") == ["Silent Island"]


def test_a_search_inside_the_writing_transaction_sees_its_edits(festival):
    database, ids = festival
    with database.transaction() as session:
        session.get(Film, ids["Salt"]).title = "Brine"
        assert [hit.title for hit in search_films(session, "brine")] == ["Brine"]
        session.add(Note(film_id=ids["Salt"], programmer_id=1, text="Glassy surfaces."))
        assert [hit.title for hit in search_films(session, "glassy")] == ["Brine"]
    assert titles(database, "glassy") == ["Brine"]


def test_a_rolled_back_action_leaves_the_index_as_it_was(festival):
    database, ids = festival
    with pytest.raises(RuntimeError), database.transaction() as session:
        session.get(Film, ids["Salt"]).title = "Vinegar"
        session.flush()
        raise RuntimeError("user cancelled")
    assert titles(database, "vinegar") == []
    assert titles(database, "salt") == ["Salt"]


def test_core_writes_are_found_after_reindex_films(festival):
    database, _ = festival
    with database.transaction() as session:
        film_id = session.connection().execute(
            sa.insert(Film.__table__).values(title="Bulk Zebra", sort_title="Bulk Zebra", sort_key="bulk zebra",
                                             extra={}, source_values={}, status="submitted")
        ).inserted_primary_key[0]
    assert titles(database, "zebra") == []
    with database.transaction() as session:
        reindex_films(session, [film_id])
    assert titles(database, "zebra") == ["Bulk Zebra"]


def test_rebuild_index_restores_a_damaged_index(festival):
    database, _ = festival
    with database.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM search_film")
    assert titles(database, "kovac") == []
    with database.transaction() as session:
        assert rebuild_index(session) == len(FESTIVAL)
    assert titles(database, "kovac") == ["River Without Banks"]


def test_rebuild_of_a_full_index_keeps_one_document_per_film_and_rolls_back_whole(festival):
    database, ids = festival
    with database.transaction() as session:
        assert rebuild_index(session) == len(FESTIVAL)
    with database.reading() as session:
        documents = session.connection().exec_driver_sql("SELECT count(*) FROM search_film").scalar_one()
    assert documents == len(FESTIVAL)
    assert titles(database, "kovac") == ["River Without Banks"]
    with pytest.raises(RuntimeError), database.transaction() as session:
        session.get(Film, ids["Salt"]).title = "Vinegar"
        session.flush()
        rebuild_index(session)
        raise RuntimeError("user cancelled")
    assert titles(database, "vinegar") == []
    assert titles(database, "salt") == ["Salt"]
    assert titles(database, "αθηνα") == ["Athens at Night"]


def test_an_unselective_query_returns_title_matches_first_without_ranking_everything(festival, monkeypatch):
    database, _ = festival
    if not database.is_sqlite:
        pytest.skip("the unselective path is SQLite's")
    import festival_desk.store.search as search

    monkeypatch.setattr(search, "UNSELECTIVE_MATCHES", 1)
    assert titles(database, "harbour") == ["Harbour Lights", "Athens at Night"]
    assert titles(database, "harbour", limit=1) == ["Harbour Lights"]
    assert titles(database, "harbour", filter=FilmFilter(sections=("MAIN",))) == ["Harbour Lights"]
