"""The desk's first look at a SQLite file (standard library only) reads exactly what the usual
path reads, and declines, without writing anything, every file that is not a current festival."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.core.workflow import Status
from festival_desk.store.peek import peek_sqlite


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("statuses", [(), (Status.SHORTLISTED.value,), (Status.SELECTED.value, Status.CONFIRMED.value)])
def test_the_title_order_and_rows_are_those_of_the_usual_path(demo_db, demo_path, statuses) -> None:
    from festival_desk.actions.programming import programmer_id
    from festival_desk.store.film_rows import film_rows
    from festival_desk.store.filters import FilmFilter, film_ids

    me = programmer_id(demo_db, "Maja Kovačič")
    with demo_db.reading() as session:
        expected_ids = film_ids(session, FilmFilter(statuses=statuses), sort=("title", True))
        expected_rows = film_rows(session, expected_ids, programmer_id=me)
    peek = peek_sqlite(demo_path)
    assert peek is not None
    try:
        assert peek.programmer_id("maja  KOVACIC") == me  # folded, as the desk matches names
        ids = peek.film_ids_by_title(statuses)
        assert ids == expected_ids and ids
        rows = peek.film_rows(ids, me)
    finally:
        peek.close()
    assert [rows[film_id] for film_id in ids] == expected_rows
    assert any(row.ratings_count for row in expected_rows)  # scores are really compared


def test_an_unknown_programmer_has_no_id_yet(demo_path) -> None:
    peek = peek_sqlite(demo_path)
    assert peek is not None
    try:
        assert peek.programmer_id("Nobody Yet") is None and peek.programmer_id("  ") is None
    finally:
        peek.close()


def _older_schema(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0002'")
    connection.commit()
    connection.close()
    return path


def _foreign(path: Path) -> Path:
    connection = sqlite3.connect(path.with_name("other.sqlite"))
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    return path.with_name("other.sqlite")


def _not_sqlite(path: Path) -> Path:
    target = path.with_name("notes.sqlite")
    target.write_text("Programme notes, not a database\n" * 40)
    return target


@pytest.mark.parametrize("make", [_older_schema, _foreign, _not_sqlite, lambda path: path.with_name("missing.sqlite"),
                                  lambda path: path.parent],
                         ids=["older schema", "another program's database", "not SQLite", "missing", "a folder"])
def test_anything_but_a_current_festival_file_is_declined_untouched(demo_path, make) -> None:
    target = make(demo_path)
    before = _digest(target) if target.is_file() else None
    assert peek_sqlite(target) is None
    assert (_digest(target) if target.is_file() else None) == before
    assert not target.with_name(target.name + "-journal").exists()


def test_the_look_never_writes_to_the_festival_file(demo_path) -> None:
    before = _digest(demo_path)
    peek = peek_sqlite(demo_path)
    assert peek is not None
    peek.film_rows(peek.film_ids_by_title(), None)
    peek.close()
    assert _digest(demo_path) == before


def test_the_look_loads_neither_sqlalchemy_nor_the_models(demo_path) -> None:
    script = ("import sys\nfrom festival_desk.store.peek import peek_sqlite\n"
              f"peek = peek_sqlite({str(demo_path)!r})\n"
              "rows = peek.film_rows(peek.film_ids_by_title()[:50], peek.programmer_id('Maja Kovačič'))\n"
              "assert len(rows) == 50, len(rows)\n"
              "print(sorted(name for name in ('sqlalchemy', 'sqlmodel', 'festival_desk.store.models') if name in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
