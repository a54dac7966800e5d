"""The scheduling command-line contract, driven as a user would: venues, screenings, check, exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from festival_desk.store import models as m
from festival_desk.store.db import open_database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A festival with films but no venues or screenings yet."""
    path = tmp_path / "cli.sqlite"
    database = open_database(str(path), create=True)
    with database.transaction() as session:
        session.add(m.Festival(name="CLI Docs", edition="2025", starts_on=dt.date(2025, 3, 13),
                               ends_on=dt.date(2025, 3, 16), timezone="Europe/Ljubljana"))
        for fid, (title, runtime, status, premiere) in enumerate(
                [("River of Salt", 90, "selected", None), ("Premiere Film", 80, "confirmed", "world"),
                 ("Declined Film", 70, "declined", None)], start=1):
            session.add(m.Film(id=fid, title=title, sort_title=title, sort_key=title.lower(),
                               runtime_minutes=runtime, status=status, premiere=premiere))
    database.close()
    return str(path)


def build_venues(cli, db: str) -> tuple[int, int, int]:
    venue = cli.json("venues", "add", "--db", db, "--name", "Kinodvor", "--address", "Kolodvorska 13")["venue_id"]
    other = cli.json("venues", "add", "--db", db, "--name", "Kino Šiška")["venue_id"]
    big = cli.json("venues", "add-screen", "--db", db, "--venue", str(venue), "--name", "Big Hall",
              "--capacity", "400")["screen_id"]
    small = cli.json("venues", "add-screen", "--db", db, "--venue", str(venue), "--name", "Small Hall")["screen_id"]
    far = cli.json("venues", "add-screen", "--db", db, "--venue", str(other), "--name", "Dvorana",
              "--capacity", "200")["screen_id"]
    return big, small, far


def test_venues_and_clean_schedule_then_planted_conflicts(cli, db):
    big, small, far = build_venues(cli, db)
    venues = cli.json("venues", "--db", db)
    assert [(v["name"], [(s["id"], s["name"], s["capacity"]) for s in v["screens"]]) for v in venues] == [
        ("Kinodvor", [(big, "Big Hall", 400), (small, "Small Hall", None)]), ("Kino Šiška", [(far, "Dvorana", 200)])]
    first = cli.json("schedule", "add", "--db", db, "--screen", str(big), "--start", "2025-03-13T18:00",
                "--film", "1", "--qa", "20")
    assert isinstance(first, int)
    cli.json("schedule", "add", "--db", db, "--screen", str(big), "--start", "2025-03-13T20:05",
        "--film", "2", "--premiere", "world")
    assert cli.json("schedule", "check", "--db", db) == []

    # An overlap on one screen is stored, and reported with the contract's fields.
    third = cli.json("schedule", "add", "--db", db, "--screen", str(big), "--start", "2025-03-13T21:00",
                "--film", "1", "--intro", "5")
    [finding] = cli.json("schedule", "check", "--db", db)
    assert set(finding) == {"rule", "severity", "message", "screening_ids", "film_ids"}
    assert finding["severity"] == "error" and third in finding["screening_ids"]
    assert sorted(finding["film_ids"]) == [1, 2]

    rows = cli.json("schedule", "list", "--db", db, "--day", "2025-03-13")
    assert [r["id"] for r in rows] == [first, first + 1, third]
    assert {k for k in rows[0]} >= {"id", "screen_id", "start", "end", "film_ids", "kind", "premiere"}
    assert rows[0]["end"] == "2025-03-13T20:05:00" and rows[1]["premiere"] == "world"
    assert cli.json("schedule", "list", "--db", db, "--day", "2025-03-14") == []


def test_bad_input_is_one_clear_line(cli, db):
    big, _, _ = build_venues(cli, db)
    assert "screen" in cli.fails("schedule", "add", "--db", db, "--screen", "99", "--start",
                             "2025-03-13T18:00", "--film", "1")
    assert "film" in cli.fails("schedule", "add", "--db", db, "--screen", str(big), "--start",
                           "2025-03-13T18:00", "--film", "42")
    assert "end" in cli.fails("schedule", "add", "--db", db, "--screen", str(big), "--start",
                          "2025-03-13T18:00", "--end", "2025-03-13T17:00", "--film", "1")
    assert "does not exist" in cli.fails("schedule", "add", "--db", db, "--screen", str(big), "--start",
                                     "2025-03-30T02:15", "--film", "1")
    assert "twice" in cli.fails("schedule", "add", "--db", db, "--screen", str(big), "--start",
                            "2025-10-26T02:15", "--film", "1")
    assert cli.json("schedule", "list", "--db", db) == []


def test_exports_write_files(cli, db, tmp_path):
    big, _, far = build_venues(cli, db)
    cli.json("schedule", "add", "--db", db, "--screen", str(big), "--start", "2025-03-13T18:00", "--film", "1",
        "--guest", "Ana Kovač")
    for option, name in (("--ics", "s.ics"), ("--csv", "s.csv"), ("--xlsx", "s.xlsx")):
        result = cli.json("schedule", "export", "--db", db, option, str(tmp_path / name))
        assert result["screenings"] == 1 and (tmp_path / name).stat().st_size > 100
    assert "BEGIN:VEVENT" in (tmp_path / "s.ics").read_text()
    assert "Ana Kovač" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    result = cli.json("schedule", "daysheets", "--db", db, "-o", str(tmp_path / "sheets.pdf"))
    assert (tmp_path / "sheets.pdf").read_bytes().startswith(b"%PDF")
    assert "folder" in cli.fails("schedule", "export", "--db", db, "--ics", str(tmp_path / "no" / "x.ics"))
