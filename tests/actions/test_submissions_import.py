"""Importing submissions into a festival database: one transaction, idempotent re-import, local work kept."""

import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.actions.films import edit_film
from festival_desk.actions.programming import add_note, add_programmer, move_status, rate
from festival_desk.actions.submissions import import_submissions
from festival_desk.core.errors import Cancelled, UserError

# The SQLite + PostgreSQL database fixture lives beside the search tests (importlib mode puts no
# test folder on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from test_search_fixtures import any_db  # noqa: E402, F401  (a fixture)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"
EXPORT = FIXTURES / "filmfreeway_export.csv"
LATER = FIXTURES / "filmfreeway_export_later.csv"


def films(database):
    with database.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT submission_id, id, title, status, source_status, source_judging_status, runtime_minutes, "
            "synopsis FROM film ORDER BY submission_id")).mappings().all()
    return {row["submission_id"]: dict(row) for row in rows}


def count(database, table):
    with database.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_first_import_adds_good_rows_and_reports_rejected_lines(empty_db):
    change = import_submissions(empty_db, EXPORT)
    assert change.details["added"] == 4
    assert change.details["updated"] == 0
    assert [r["line"] for r in change.details["rejected"]] == [10, 11, 13]
    assert len(change.films_added) == 4
    stored = films(empty_db)
    assert stored["88001"]["title"] == "Reka, ki teče nazaj"
    assert stored["88001"]["status"] == "submitted"
    assert stored["88001"]["source_status"] == "In Consideration"
    assert stored["88001"]["runtime_minutes"] == 93
    with empty_db.engine.connect() as connection:
        countries = connection.execute(sa.text(
            "SELECT code, label FROM filmcountry WHERE film_id = :id ORDER BY position"),
            {"id": stored["88003"]["id"]}).all()
        directors = connection.execute(sa.text(
            "SELECT person.name FROM filmcredit JOIN person ON person.id = person_id "
            "WHERE film_id = :id AND role = 'director' ORDER BY position"), {"id": stored["88001"]["id"]}).scalars().all()
        extra = connection.execute(sa.text("SELECT extra FROM film WHERE id = :id"),
                                   {"id": stored["88001"]["id"]}).scalar_one()
    assert countries == [("NL", "The Netherlands"), (None, "Atlantis")]
    assert directors == ["Ana Kovač", "Marko Horvat"]
    assert "World premiere?" in extra and "Nature, Portrait" in extra


def test_importing_the_same_file_again_changes_nothing(empty_db):
    import_submissions(empty_db, EXPORT)
    before = films(empty_db)
    change = import_submissions(empty_db, EXPORT)
    assert (change.details["added"], change.details["updated"], change.details["unchanged"]) == (0, 0, 4)
    assert films(empty_db) == before
    assert count(empty_db, "person") == 7


def test_later_export_adds_new_updates_changed_and_keeps_the_committees_work(empty_db):
    import_submissions(empty_db, EXPORT)
    ids = {key: row["id"] for key, row in films(empty_db).items()}
    # the committee works: a status move, a rating with a note, and an edited title
    add_programmer(empty_db, "Maja")
    move_status(empty_db, [ids["88001"]], "in_review", "Maja")
    rate(empty_db, ids["88001"], "Maja", 4, note="Strong second half.")
    edit_film(empty_db, ids["88003"], fields={"title": "The Tree on the Roof"})
    change = import_submissions(empty_db, LATER)
    assert change.details["added"] == 1
    assert change.details["updated"] == 2
    assert change.details["unchanged"] == 2
    stored = films(empty_db)
    assert stored["88007"]["title"] == "Café Noir"
    assert stored["88001"]["status"] == "in_review"
    assert stored["88001"]["source_judging_status"] == "Selected"
    assert stored["88001"]["synopsis"].endswith("and the ones that do not.")
    assert stored["88003"]["title"] == "The Tree on the Roof"  # the local edit is kept
    assert stored["88003"]["source_status"] == "Disqualified"  # the source's own status follows the source
    assert count(empty_db, "rating") == 1 and count(empty_db, "note") == 1


def test_source_changes_to_a_field_the_committee_edited_do_not_overwrite_it(empty_db, tmp_path):
    import_submissions(empty_db, EXPORT)
    film_id = films(empty_db)["88002"]["id"]
    edit_film(empty_db, film_id, fields={"runtime_minutes": 26})
    changed = tmp_path / "changed.csv"
    changed.write_bytes(EXPORT.read_bytes().replace(b"0:24:00", b"0:31:00").replace(b"Kafe Bulmak", b"Kahve"))
    change = import_submissions(empty_db, changed)
    stored = films(empty_db)["88002"]
    assert stored["runtime_minutes"] == 26
    assert stored["title"] == "Kahve"  # not edited locally, so the source's new title arrives
    assert change.details["kept_local"] == 1


def test_dry_run_reports_without_writing(empty_db):
    change = import_submissions(empty_db, EXPORT, dry_run=True)
    assert change.details["added"] == 4 and change.details["dry_run"] is True
    assert count(empty_db, "film") == 0 and count(empty_db, "person") == 0


def test_cancel_during_the_write_leaves_nothing_behind(empty_db):
    def cancel_when_writing(done, total, message):
        if message == "Writing films":
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_submissions(empty_db, EXPORT, progress=cancel_when_writing)
    assert count(empty_db, "film") == 0 and count(empty_db, "person") == 0


def test_mapped_source_keeps_its_own_id_space(empty_db):
    import_submissions(empty_db, EXPORT)
    change = import_submissions(empty_db, FIXTURES / "webform.csv", source="mapped",
                                mapping=FIXTURES / "webform_mapping.json")
    assert change.details["added"] == 2
    with empty_db.engine.connect() as connection:
        sources = dict(connection.execute(sa.text(
            "SELECT submission_source, count(*) FROM film GROUP BY submission_source")).all())
    assert sources == {"filmfreeway": 4, "webform": 2}


def test_mapped_import_without_mapping_is_refused(empty_db):
    with pytest.raises(UserError, match="mapping"):
        import_submissions(empty_db, FIXTURES / "webform.csv", source="mapped")


def test_note_on_imported_film_survives_reimport(empty_db):
    import_submissions(empty_db, EXPORT)
    film_id = films(empty_db)["88006"]["id"]
    add_programmer(empty_db, "Ilka")
    add_note(empty_db, film_id, "Ilka", "Ask about the archive rights.")
    import_submissions(empty_db, LATER)
    assert count(empty_db, "note") == 1


def test_imported_and_updated_films_are_found_by_search(empty_db):
    from festival_desk.store.search import search_films

    import_submissions(empty_db, EXPORT)
    with empty_db.reading() as session:
        assert [hit.title for hit in search_films(session, "isik")] == ["Kafe Bulmak"]
    import_submissions(empty_db, LATER)
    with empty_db.reading() as session:
        assert [hit.title for hit in search_films(session, "ones that do not")] == ["Reka, ki teče nazaj"]
        assert [hit.title for hit in search_films(session, "zoe")] == ["Café Noir"]


def _index_rows(database):
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            documents = connection.execute(sa.text(
                "SELECT rowid, title, directors, synopsis, notes, reviews FROM search_film ORDER BY rowid")).all()
        else:
            documents = connection.execute(sa.text(
                "SELECT film_id, document::text FROM search_film ORDER BY film_id")).all()
        sort_keys = connection.execute(sa.text("SELECT * FROM search_sort_key ORDER BY film_id")).all()
    return documents, sort_keys


def test_the_index_an_import_writes_equals_a_full_rebuild(any_db):  # noqa: F811
    from festival_desk.core.text import fold_words
    from festival_desk.store.search import rebuild_index

    with any_db.transaction() as session:  # a director already known under another spelling
        session.execute(sa.text("INSERT INTO person (name, name_key) VALUES (:name, :key)"),
                        {"name": "ANA  KOVAČ", "key": fold_words("ANA  KOVAČ")})
    import_submissions(any_db, EXPORT)
    film_id = films(any_db)["88006"]["id"]
    add_programmer(any_db, "Ilka")
    add_note(any_db, film_id, "Ilka", "Ask about the archive rights.")
    import_submissions(any_db, LATER)  # adds one film, updates two
    imported = _index_rows(any_db)
    with any_db.transaction() as session:
        rebuild_index(session)
    assert _index_rows(any_db) == imported
    assert len(imported[0]) == len(films(any_db)) == 5


def test_an_import_is_undone_and_redone_as_one_step(empty_db):
    import_submissions(empty_db, EXPORT)
    first = films(empty_db)
    index_before = _index_rows(empty_db)
    change = import_submissions(empty_db, LATER)  # adds one film, updates two
    assert change.can_undo and change.description == "Import submissions from filmfreeway_export_later.csv"
    later = films(empty_db)
    assert len(later) == len(first) + 1
    undone = change.undo(empty_db)
    assert films(empty_db) == first  # the added film gone, the updated ones as they were
    documents, sort_keys = _index_rows(empty_db)
    present = {row["id"] for row in first.values()}
    # (the index row of a removed film stays, unseen: every search joins film)
    assert ([d for d in documents if d[0] in present], [k for k in sort_keys if k[0] in present]) == index_before
    redone = undone.undo(empty_db)
    assert films(empty_db) == later
    assert redone.can_undo
    # Once the committee has worked on an added film, undoing the import would delete that work.
    [added_key] = set(later) - set(first)
    add_programmer(empty_db, "Ilka")
    rate(empty_db, later[added_key]["id"], "Ilka", 4)
    with pytest.raises(UserError, match="have ratings, notes or moves since"):
        redone.undo(empty_db)
    assert films(empty_db) == later
    assert not import_submissions(empty_db, LATER, dry_run=True).can_undo
