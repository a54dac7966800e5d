"""`festival-desk copy`: the demo's SQLite file to a new PostgreSQL database and back, with the
row counts of both sides printed and equal, and the data the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.actions import programming
from festival_desk.actions.copying import copy_festival
from festival_desk.store.db import open_database
from festival_desk.store.models import Screening
from festival_desk.store.search import search_films
from tests.team.conftest import process_env


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "festival_desk.cli", *args], capture_output=True, text=True,
                          env=process_env(), timeout=600)


def _content(url: str) -> dict:
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            films = connection.execute(sa.text("SELECT id, title, status, synopsis, version FROM film ORDER BY id")).all()
            stills = connection.execute(sa.text("SELECT id, film_id, data FROM still ORDER BY id")).all()
            ratings = connection.execute(sa.text("SELECT film_id, programmer_id, score FROM rating ORDER BY 1, 2")).all()
            table = Screening.__table__  # typed columns: the same datetimes from either database
            screenings = connection.execute(sa.select(table.c.id, table.c.starts_at, table.c.ends_at)
                                            .order_by(table.c.id)).all()
        with database.reading() as session:
            found = [hit.film_id for hit in search_films(session, "kovac")]
        return {"films": [tuple(r) for r in films], "stills": [(r[0], r[1], bytes(r[2])) for r in stills],
                "ratings": [tuple(r) for r in ratings], "screenings": [tuple(r) for r in screenings], "search": found}
    finally:
        database.close()


@pytest.mark.postgres
def test_demo_to_postgresql_and_back_with_counts_compared(demo_path: Path, postgres_url: str, tmp_path: Path):
    original = _content(str(demo_path))
    there = _cli("copy", str(demo_path), postgres_url, "--json")
    assert there.returncode == 0, there.stderr
    report = json.loads(there.stdout)
    assert report["match"] is True and report["tables"]["film"] == {"source": 59, "destination": 59}
    assert all(counts["source"] == counts["destination"] for counts in report["tables"].values())
    back_file = tmp_path / "back.sqlite"
    back = _cli("copy", postgres_url, str(back_file))
    assert back.returncode == 0, back.stderr
    assert "row counts match" in back.stdout and "film" in back.stdout
    assert _content(postgres_url) == original
    assert _content(str(back_file)) == original
    # The copy is a working festival: new rows get new ids, the log goes on.
    database = open_database(postgres_url)
    try:
        with database.engine.connect() as connection:
            notes_before = connection.execute(sa.text("SELECT max(id) FROM note")).scalar()
            log_before = connection.execute(sa.text("SELECT max(seq) FROM change_log")).scalar()
        change = programming.add_note(database, 3, "Maja Kovačič", "after the move")
        assert change.details["note_id"] == notes_before + 1
        assert database.last_log_seq() > log_before
    finally:
        database.close()


def test_a_destination_holding_a_festival_is_refused_and_left_alone(demo_path: Path, tmp_path: Path):
    other = tmp_path / "other.sqlite"
    first = _cli("copy", str(demo_path), str(other))
    assert first.returncode == 0, first.stderr
    before = other.stat().st_size
    again = _cli("copy", str(demo_path), str(other))
    assert again.returncode == 1 and "already holds a festival" in again.stderr
    assert again.stderr.count("\n") == 1 and other.stat().st_size == before


def test_copy_in_process_reports_every_table(demo_path: Path, tmp_path: Path):
    report = copy_festival(str(demo_path), str(tmp_path / "copy.sqlite"))
    assert {"film", "rating", "still", "change_log", "film_edit"} <= set(report.tables)
    assert "team_role" not in report.tables and report.match
