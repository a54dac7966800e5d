"""The schedule as a table: CSV (UTF-8 with BOM, so spreadsheet programs read accents) or XLSX.

One row per screening in start order, times as local wall-clock times of the festival's zone.
Text cells are written as text (a title starting with "=" is not a formula): in CSV with a leading
apostrophe where a spreadsheet would read a formula (`exporters.cells`), in XLSX as string cells.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from festival_desk.core.schedule import Schedule
from festival_desk.core.files import write_file
from festival_desk.exporters.cells import csv_cell

COLUMNS = ("id", "day", "start", "end", "venue", "screen", "screen_id", "title", "films", "film_ids", "kind",
           "premiere", "intro_minutes", "qa_minutes", "guests")


def table_rows(schedule: Schedule) -> list[list[object]]:
    rows = []
    for row in schedule.rows():
        rows.append([row["id"], row["day"], row["start"].replace("T", " ")[:16], row["end"].replace("T", " ")[:16],
                     row["venue"], row["screen"], row["screen_id"], row["title"], " / ".join(row["films"]),
                     ";".join(str(f) for f in row["film_ids"]), row["kind"], row["premiere"] or "",
                     row["intro_minutes"], row["qa_minutes"], ", ".join(row["guests"])])
    return rows


def write_csv(schedule: Schedule, path: Path) -> int:
    """Write the CSV; returns the number of screenings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = table_rows(schedule)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    write_file(Path(path), buffer.getvalue().encode("utf-8-sig"))
    return len(rows)


def write_xlsx(schedule: Schedule, path: Path) -> int:
    """Write the XLSX (one sheet "Schedule", header row frozen); returns the number of screenings."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Schedule"
    sheet.append(list(COLUMNS))
    rows = table_rows(schedule)
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNO", (6, 11, 17, 17, 18, 14, 9, 30, 40, 10, 9, 13, 7, 7, 30)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_file(Path(path), buffer.getvalue())
    return len(rows)
