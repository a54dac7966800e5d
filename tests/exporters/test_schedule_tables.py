"""CSV and XLSX of the schedule, read back."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl

from festival_desk.core.schedule import (Festival, Film, Guest, Schedule, Screen, Screening, ScreeningItem,
                                         local_datetime)
from festival_desk.exporters.schedule_tables import COLUMNS, write_csv, write_xlsx

ZONE = "Europe/Ljubljana"


def sample() -> Schedule:
    start = local_datetime(dt.datetime(2025, 3, 13, 23, 30), ZONE)
    films = {1: Film(1, "=SUM(A1:A2)", 90, "selected"), 2: Film(2, "Işık, “quoted”", 12, "selected")}
    return Schedule(Festival(dt.date(2025, 3, 13), dt.date(2025, 3, 16), ZONE),
                    {4: Screen(4, "Dvorana", 2, "Kino Šiška", 200)}, films,
                    [Screening(7, 4, start, (ScreeningItem(1, 90), ScreeningItem(2, 12)), qa_minutes=10,
                               guests=(Guest(1, "Ana Kovač"), Guest(2, "Jon Doe")), premiere="european")])


def test_csv_round_trip(tmp_path):
    path = tmp_path / "schedule.csv"
    assert write_csv(sample(), path) == 1
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(COLUMNS)
    row = rows[0]
    assert (row["day"], row["start"], row["end"]) == ("2025-03-13", "2025-03-13 23:30", "2025-03-14 01:37")
    # a title a spreadsheet would take for a formula shows as text (leading apostrophe)
    assert row["films"] == "'=SUM(A1:A2) / Işık, “quoted”" and row["film_ids"] == "1;2"
    assert row["venue"] == "Kino Šiška" and row["guests"] == "Ana Kovač, Jon Doe"
    assert row["premiere"] == "european"


def test_xlsx_round_trip_keeps_text_as_text(tmp_path):
    path = tmp_path / "schedule.xlsx"
    assert write_xlsx(sample(), path) == 1
    sheet = openpyxl.load_workbook(path)["Schedule"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]]))
    assert header == list(COLUMNS)
    assert values["title"] == "=SUM(A1:A2) + Işık, “quoted”"
    assert sheet.cell(row=2, column=header.index("title") + 1).data_type == "s"
    assert values["qa_minutes"] == 10 and values["id"] == 7
