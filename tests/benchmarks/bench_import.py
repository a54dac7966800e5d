"""Benchmark: importing a 25,000-row FilmFreeway export, against a plain `executemany` floor.

The floor writes the same rows, already parsed, into the same tables (film, person, credits,
countries, languages) with plain executemany on the bare sqlite3 connection of a fresh database,
plus the search index (store.search.reindex_films), in one transaction. The import
is measured end to end: reading and decoding the CSV, cleaning every cell, diffing against the
database and the bulk write. Target: under 10 s and within 3x of the floor.

    /work/venv/bin/python tests/benchmarks/bench_import.py [--rows 25000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from festival_desk.actions.submissions import _CHILD_TABLES, _FILM, _PERSON, _child_rows, _film_row, imported_values
from festival_desk.actions.submissions import import_submissions
from festival_desk.importers.submissions import read_filmfreeway
from festival_desk.store.db import open_database
from festival_desk.store.search import reindex_films

HEADERS = ["Tracking Number", "Project Title", "Project Title (Original Language)", "Synopsis", "Duration",
           "Country of Origin", "Language", "Genres", "Completion Date", "Directors", "Writers", "Key Cast",
           "Submission Date", "Submission Status", "Judging Status", "Submission Categories",
           "Submission Link", "Submission ID", "Submission Notes", "Submission Custom Field 1",
           "Submission Custom Answer 1"]
WORDS = ("river winter salt harbour night čas ёлка αθήνα işık café kovač house road mother archive "
         "border island tide glass letters silence orchard").split()
FIRST = ["Ana", "Marko", "Işık", "Olga", "Eleni", "Zoë", "Pau", "Lena", "Tomaž", "Jana", "Ilka", "Noor"]
LAST = ["Kovač", "Horvat", "Yılmaz", "Ivanova", "Papadopoulou", "Martin", "Ferrer", "Berg", "Novak"]
COUNTRIES = ["Slovenia", "Croatia", "Turkey", "The Netherlands", "USA", "UK", "Czech Republic", "Greece",
             "South Korea", "Kosovo", "France"]
LANGUAGES = ["English", "Slovenian", "Turkish", "Russian", "Modern Greek (1453-)", "Persian", "French"]


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for number in range(rows):
            person = lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randint(1, 3000)}"  # noqa: E731
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()
            seconds = rng.randint(180, 13000)
            writer.writerow([
                f"T{number:06d}", f'"{title}"' if number % 17 == 0 else title, title,
                " ".join(rng.choice(WORDS) for _ in range(40)) + "\nSecond paragraph.",
                f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
                ", ".join(rng.sample(COUNTRIES, rng.randint(1, 2))),
                ", ".join(rng.sample(LANGUAGES, rng.randint(1, 2))),
                "Documentary, Portrait", rng.choice(["2024-05-01", "January 2, 2025", "2025"]),
                ", ".join(person() for _ in range(rng.randint(1, 2))), person(),
                "KEY CAST\n" + "\n".join(person() for _ in range(2)),
                "2025-03-14", "In Consideration", "Undecided", "Feature Documentary",
                f"https://video.example.org/{number}", str(500000 + number),
                "User: Office\nTime: 2025-03-15\nChecked.", "World premiere?", rng.choice(["Yes", "No"]),
            ])


def _plain_insert(raw: sqlite3.Connection, table: sa.Table, rows: list[dict]) -> None:
    """One executemany on the bare sqlite3 connection; values stored as SQLAlchemy stores them
    (JSON text, 'YYYY-MM-DD HH:MM:SS.ffffff' datetimes)."""
    names = list(rows[0])
    converters = {dict: json.dumps, list: json.dumps,
                  dt.datetime: lambda value: value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")}
    converted = [(position, converters[type(rows[0][name])]) for position, name in enumerate(names)
                 if type(rows[0][name]) in converters]
    parameters = []
    for row in rows:
        values = [row[name] for name in names]
        for position, convert in converted:
            values[position] = convert(values[position])
        parameters.append(values)
    raw.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    parameters)


def floor_write(db_url: str, path: Path) -> float:
    """Seconds to write the already-parsed rows with plain executemany on the bare sqlite3
    connection (parsing not timed), then index them with store.search.reindex_films, in one
    transaction. The cycle collector is paused as the import pauses it."""
    records = read_filmfreeway(path).records
    values = [(record.submission_id, imported_values(record)) for record in records]
    database = open_database(db_url, create=True)
    now = dt.datetime.now(dt.UTC)
    gc.disable()
    started = time.perf_counter()
    with database.engine.begin() as connection:
        raw = connection.connection.driver_connection
        names = list(dict.fromkeys(name for _, v in values for _, name in v["credits"]))
        _plain_insert(raw, _PERSON, [{"name": n, "name_key": n.lower()} for n in names])
        person_ids = dict(raw.execute("SELECT name, id FROM person").fetchall())
        _plain_insert(raw, _FILM, [_film_row(v, "filmfreeway", sid, now) for sid, v in values])
        film_ids = dict(raw.execute("SELECT submission_id, id FROM film").fetchall())
        for name, table in _CHILD_TABLES.items():
            _plain_insert(raw, table, [row for sid, v in values
                                       for row in _child_rows(film_ids[sid], name, v[name], person_ids)])
        reindex_films(connection, film_ids.values())
    elapsed = time.perf_counter() - started
    gc.enable()
    database.close()
    return elapsed


def import_run(db_url: str, path: Path) -> tuple[float, dict]:
    database = open_database(db_url, create=True)
    started = time.perf_counter()
    change = import_submissions(database, path)
    elapsed = time.perf_counter() - started
    database.close()
    return elapsed, change.details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "FilmFreeway-Submissions.csv"
        write_export(export, args.rows)
        floors, imports = [], []
        for run in range(args.runs):
            floors.append(floor_write(str(Path(folder) / f"floor{run}.sqlite"), export))
            seconds, details = import_run(str(Path(folder) / f"import{run}.sqlite"), export)
            imports.append(seconds)
            assert details["added"] == args.rows, details
        reimport_db = str(Path(folder) / "import0.sqlite")
        reimport, details = import_run(reimport_db, export)
        assert details["unchanged"] == args.rows, details
    floor, full = statistics.median(floors), statistics.median(imports)
    print(f"rows: {args.rows}")
    print(f"floor (executemany, parsed rows): median {floor:.2f} s")
    print(f"import (read + clean + diff + write): median {full:.2f} s  ratio {full / floor:.2f}x")
    print(f"re-import of the same file (all unchanged): {reimport:.2f} s")
    ok = full < 10 and full / floor <= 3
    print("PASS" if ok else "FAIL: target is < 10 s and <= 3x the floor")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
