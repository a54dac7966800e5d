"""No lost update: two real processes on one festival (SQLite and PostgreSQL) save the same film,
move the same film, undo over each other's work, import while the other edits; every refusal is
one line naming who changed what, and nothing either of them saved is lost."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.actions import films, reviews
from festival_desk.store.db import open_database
from tests.team.conftest import process_env


def test_two_people_save_the_same_film_the_second_is_told_and_nothing_is_lost(festival_url, colleagues):
    ayse, jonas = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    opened_by_ayse = ayse.ok("details", film_id=12)
    opened_by_jonas = jonas.ok("details", film_id=12)
    ayse.ok("edit", film_id=12, fields={"synopsis": "Ayşe's synopsis."}, expected_version=opened_by_ayse["version"])
    refused = jonas("edit", film_id=12, fields={"synopsis": "Tomaž's synopsis."},
                    expected_version=opened_by_jonas["version"])
    assert refused["ok"] is False and refused["type"] == "ConflictError"
    assert "was changed by Ayşe Demirtaş at" in refused["error"] and "(synopsis)" in refused["error"]
    assert "\n" not in refused["error"]
    now = jonas.ok("details", film_id=12)
    assert now["fields"]["synopsis"] == "Ayşe's synopsis."
    # Tomaž saves again against what he now sees: his text goes in, hers stays in the history.
    jonas.ok("edit", film_id=12, fields={"synopsis": "Tomaž's synopsis."}, expected_version=now["version"])
    database = open_database(festival_url)
    try:
        history = films.edit_history(database, 12)
    finally:
        database.close()
    assert [(h.who, h.field, h.old_value, h.new_value) for h in history[:2]] == [
        ("Tomaž Žnidaršič", "synopsis", "Ayşe's synopsis.", "Tomaž's synopsis."),
        ("Ayşe Demirtaş", "synopsis", opened_by_ayse["fields"]["synopsis"], "Ayşe's synopsis."),
    ]


def test_a_move_of_a_film_a_colleague_has_just_moved_is_refused_with_their_name(festival_url, colleagues):
    ayse, jonas = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    seen = jonas.ok("details", film_id=16)["status"]  # Tomaž's desk shows the film as submitted
    ayse.ok("move", film_ids=[16], status="shortlisted", expected={"16": "submitted"})
    refused = jonas("move", film_ids=[16], status="declined", expected={"16": seen})
    assert refused["ok"] is False and refused["type"] == "ConflictError"
    assert refused["error"].startswith("film 16 “Crip Camp” was moved") and "was moved to Shortlisted by Ayşe Demirtaş at" in refused["error"]
    assert refused["error"].endswith("since you read it; nothing was saved: look at their change and save again")
    assert jonas.ok("details", film_id=16)["status"] == "shortlisted"


def test_undo_is_refused_once_a_colleague_changed_the_film_and_their_work_stays(festival_url, colleagues):
    ayse, jonas = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    version = ayse.ok("details", film_id=12)["version"]
    ayse.ok("edit", film_id=12, fields={"title": "Ayşe's title"}, expected_version=version)
    after = jonas.ok("details", film_id=12)
    jonas.ok("edit", film_id=12, fields={"synopsis": "Tomaž's synopsis."}, expected_version=after["version"])
    refused = ayse("undo")
    assert refused["ok"] is False and refused["type"] == "ConflictError"
    assert refused["error"].startswith("film 12 ") and "by Tomaž Žnidaršič at" in refused["error"]
    assert refused["error"].endswith("after your change; undoing it would overwrite their work, so nothing was changed")
    final = ayse.ok("details", film_id=12)["fields"]
    assert final["title"] == "Ayşe's title" and final["synopsis"] == "Tomaž's synopsis."


def test_undo_of_a_move_is_refused_once_a_colleague_moved_the_film_again(festival_url, colleagues):
    ayse, jonas = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    ayse.ok("move", film_ids=[12], status="in review")
    jonas.ok("move", film_ids=[12], status="shortlisted")
    refused = ayse("undo")
    assert refused["ok"] is False and "undoing it would overwrite their work" in refused["error"]
    assert "was moved to Shortlisted by Tomaž Žnidaršič" in refused["error"]
    assert ayse.ok("details", film_id=12)["status"] == "shortlisted"
    # Without a colleague's move in between, undo works as before.
    ayse.ok("move", film_ids=[16], status="in review")
    ayse.ok("undo")
    assert ayse.ok("details", film_id=16)["status"] == "submitted"


def test_undo_of_an_import_is_refused_once_a_colleague_edited_one_of_its_films(festival_url, colleagues,
                                                                              tmp_path: Path):
    from tests.benchmarks.bench_import import write_export

    export = tmp_path / "intake.csv"
    write_export(export, rows=12)
    ayse, tomaz = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    added = ayse.ok("import", path=str(export))["added_ids"]
    assert len(added) == 12
    opened = tomaz.ok("details", film_id=added[5])
    tomaz.ok("edit", film_id=added[5], fields={"synopsis": "Seen it: strong."}, expected_version=opened["version"])
    refused = ayse("undo")
    assert refused["ok"] is False and refused["type"] == "ConflictError"
    assert f"film {added[5]} was changed by Tomaž Žnidaršič at" in refused["error"]
    assert tomaz.ok("details", film_id=added[5])["fields"]["synopsis"] == "Seen it: strong."


def test_screening_and_quote_saves_are_made_against_their_version(festival_url, colleagues):
    ayse, jonas = colleagues(festival_url, "Ayşe Demirtaş"), colleagues(festival_url, "Tomaž Žnidaršič")
    database = open_database(festival_url)
    try:
        from festival_desk.actions import schedule

        first = schedule.list_screenings(database)[0]
        quote = next(q for film_id in range(1, 60) for q in reviews.film_quotes(database, film_id))
    finally:
        database.close()
    ayse.ok("screening_move", screening_id=first["id"], start=first["start"].replace("T", " ")[:11] + "09:00",
            expected_version=first["version"])
    refused = jonas("screening_move", screening_id=first["id"], start=first["start"], expected_version=first["version"])
    assert refused["type"] == "ConflictError" and "was changed by Ayşe Demirtaş" in refused["error"]
    ayse.ok("quote_approve", quote_id=quote.id, approved=not quote.approved, expected_version=quote.version)
    refused = jonas("quote_approve", quote_id=quote.id, approved=quote.approved, expected_version=quote.version)
    assert refused["type"] == "ConflictError" and "by Ayşe Demirtaş" in refused["error"]


@pytest.mark.postgres
def test_a_reimport_keeps_titles_a_colleague_saved_while_it_ran(postgres_url: str, tmp_path: Path):
    """On PostgreSQL the import reads the films, then writes: a colleague's title saved in between
    is kept, never written back over with what the import had read; where the import itself
    brings a new title, the colleague's is kept and the film reported."""
    from sqlmodel import select

    from festival_desk.actions.submissions import import_submissions
    from festival_desk.store.models import Film
    from tests.benchmarks.bench_import import write_export

    database = open_database(postgres_url, create=True)
    try:
        first_file, later_file = tmp_path / "first.csv", tmp_path / "later.csv"
        write_export(first_file, rows=40)
        film_ids = sorted(import_submissions(database, first_file).films_added)
        with first_file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        for number, row in enumerate(rows[1:]):
            row[14] = "Semi-Finalist"  # the platform's judging status changed for every film
            if number < 10:
                row[1] = f"Retitled on the platform {number}"
        with later_file.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        colleague_titles = {film_id: f"Colleague's title {film_id}" for film_id in film_ids}

        def colleague_edits_meanwhile(done: int, total: int, message: str) -> None:
            if message == "Writing films" and done == 0 and not ran:
                ran.append(True)
                script = ("from festival_desk.store.db import open_database\n"
                          "from festival_desk.actions.films import edit_film\n"
                          f"db = open_database({postgres_url!r}); db.actor = 'Jonas Berg'\n"
                          f"for film_id, title in {colleague_titles!r}.items():\n"
                          "    edit_film(db, film_id, fields={'title': title})\n")
                result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                        env=process_env(), timeout=300)
                assert result.returncode == 0, result.stderr

        ran: list[bool] = []
        report = import_submissions(database, later_file, progress=colleague_edits_meanwhile).details
        assert ran and report["updated"] == 40
        with database.reading() as session:
            stored = session.exec(select(Film).where(Film.id.in_(film_ids))).all()
        titles = {film.id: film.title for film in stored}
        judged = {film.source_judging_status for film in stored}
        assert titles == colleague_titles  # not one reverted
        assert judged == {"Semi-Finalist"}  # and the import's own news arrived
        assert sorted(row["film_id"] for row in report["kept"]) == film_ids[:10]
        assert all(row["fields"] == ["title"] for row in report["kept"])
    finally:
        database.close()


def test_sqlite_concurrent_cli_writers_and_an_import_all_succeed(tmp_path: Path):
    """One SQLite file: an import of 2,000 submissions while three colleagues rate and write
    notes from the command line: every command succeeds, none prints a traceback or "locked"
    (a rating that has to wait for the import says so and is written when it finishes)."""
    from tests.benchmarks.bench_import import write_export

    festival = tmp_path / "festival.sqlite"
    demo = subprocess.run([sys.executable, "-m", "festival_desk.cli", "demo", "--db", str(festival)],
                          capture_output=True, text=True, env=process_env(), timeout=300)
    assert demo.returncode == 0, demo.stderr
    export = tmp_path / "big.csv"
    write_export(export, rows=2000)
    importer = subprocess.Popen([sys.executable, "-m", "festival_desk.cli", "submissions", "import", str(export),
                                 "--db", str(festival)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=process_env())
    raters = []
    for n, name in enumerate(("Ayşe Demirtaş", "Tomaž Žnidaršič", "Eleni Vasileiou")):
        loop = "; ".join(f"festival-desk rate {film} {1 + (film + n) % 5} --as '{name}' --note 'note {film}' "
                         f"--db {festival}" for film in range(2, 8))
        raters.append(subprocess.Popen(["bash", "-c", f"set -e; {loop}"], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True,
                                       env=process_env(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin")))
    outputs = [(process, *process.communicate(timeout=600)) for process in [importer, *raters]]
    for process, _out, err in outputs:
        assert process.returncode == 0, err
        assert "Traceback" not in err and "database is locked" not in err
    assert "added 2000" in outputs[0][1]
    database = open_database(str(festival))
    try:
        with database.reading() as session:
            from sqlmodel import func, select

            from festival_desk.store.models import Film, Note

            assert session.exec(select(func.count()).select_from(Film)).one() == 59 + 2000
            assert session.exec(select(func.count()).select_from(Note)).one() >= 3 * 6
    finally:
        database.close()


def test_a_rating_that_waits_for_a_colleagues_import_says_so_and_is_written_after_it(demo_path: Path):
    """One SQLite file: while another process holds it for an import (announced in the change log),
    a rating waits, tells its user whose import it is waiting for, and is written when it ends."""
    import sqlite3
    import threading
    import time

    from festival_desk.store import changelog

    database = open_database(str(demo_path))
    database.actor = "Jonas Berg"
    with database.transaction() as session:
        changelog.start_activity(session, "import-1", "an import of festival-intake.csv")
    database.close()
    holder = sqlite3.connect(demo_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # the import's write transaction
    release = threading.Timer(4.0, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        rated = subprocess.run([sys.executable, "-m", "festival_desk.cli", "rate", "12", "5", "--as", "Maja Kovačič",
                                "--db", str(demo_path)], capture_output=True, text=True, env=process_env(), timeout=120)
    finally:
        release.join()
        holder.close()
    assert rated.returncode == 0, rated.stderr
    assert time.monotonic() - started >= 3.5  # it waited for the import instead of failing
    assert "The festival file is busy with an import of festival-intake.csv (Jonas Berg); your change will be " \
           "written when that finishes." in rated.stderr
    assert "Traceback" not in rated.stderr and "locked" not in rated.stderr


@pytest.mark.postgres
def test_notes_on_one_film_and_a_new_name_from_several_processes_at_once(postgres_url: str, tmp_path: Path):
    """The search index (two notes on one film) and the committee (one new name added twice) stay
    correct under concurrent writers: no unique-key error reaches anyone."""
    from festival_desk.actions.demo import create_demo

    database = open_database(postgres_url, create=True)
    create_demo(database)
    database.close()
    names = ("Bojana Ćirić", "Eleni Vasileiou", "Maja Kovačič", "Tomaž Žnidaršič", "Ayşe Demirtaş")
    noters = [subprocess.Popen([sys.executable, "-m", "festival_desk.cli", "rate", "3", "4", "--as", name, "--note",
                                f"note by {name}", "--db", postgres_url], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=process_env()) for name in names]
    adders = [subprocess.Popen([sys.executable, "-m", "festival_desk.cli", "programmers", "add", "Nadia Haddad",
                                "--db", postgres_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=process_env()) for _ in range(3)]
    for process in noters:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    outcomes = []
    for process in adders:
        _out, err = process.communicate(timeout=300)
        assert "Traceback" not in err and "IntegrityError" not in err and "uq_programmer" not in err
        outcomes.append((process.returncode, err.strip()))
    assert sorted(code for code, _ in outcomes) == [0, 1, 1]
    assert all("Nadia Haddad" in err or "at the same moment" in err for code, err in outcomes if code)
    database = open_database(postgres_url)
    try:
        from festival_desk.store.search import search_films

        with database.reading() as session:
            assert [hit.film_id for hit in search_films(session, "note by")] == [3]
            from sqlmodel import func, select

            from festival_desk.store.models import Note, Programmer

            notes = session.exec(select(func.count()).select_from(Note).where(Note.text.like("note by %"))).one()
            nadias = session.exec(select(func.count()).select_from(Programmer)
                                  .where(Programmer.name == "Nadia Haddad")).one()
        assert notes == len(names) and nadias == 1
    finally:
        database.close()
