"""A film list as CSV or XLSX: one row per film, columns in `LIST_COLUMNS` order.

Rows are plain mappings (built by `actions.programming.list_rows`); lists become "a, b" text.
CSV is UTF-8 with a byte-order mark, so that Excel opens accented and Cyrillic text correctly; a
text cell that a spreadsheet would take for a formula gets a leading apostrophe (`exporters.cells`),
numbers stay numbers. In XLSX every text is stored as text, never as a formula: a title typed as
"=Home" shows as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from festival_desk.core.files import write_file
from festival_desk.exporters.cells import spreadsheet_text

LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("film_id", "Film ID"),
    ("title", "Title"),
    ("original_title", "Original title"),
    ("directors", "Directors"),
    ("countries", "Countries"),
    ("languages", "Languages"),
    ("year", "Year"),
    ("runtime_minutes", "Runtime (min)"),
    ("section", "Section"),
    ("status", "Status"),
    ("mean", "Mean score"),
    ("median", "Median score"),
    ("spread", "Spread"),
    ("ratings", "Ratings"),
    ("tags", "Tags"),
    ("submission_source", "Source"),
    ("submission_id", "Submission ID"),
    ("source_status", "Source status"),
)
_NUMBER_KEYS = {"film_id", "year", "runtime_minutes", "mean", "median", "spread", "ratings"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _csv_value(key: str, value: Any) -> str:
    text = _text(value)
    if key in _NUMBER_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return text  # a number, negative or not, stays a number
    return spreadsheet_text(text)


def write_csv(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Write the rows as CSV (header row first); returns the path."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([header for _, header in LIST_COLUMNS])
    for row in rows:
        writer.writerow([_csv_value(key, row.get(key)) for key, _ in LIST_COLUMNS])
    return write_file(Path(path), buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(rows: Sequence[Mapping[str, Any]], path: str | Path, *, sheet_title: str = "Films") -> Path:
    """Write the rows as an Excel workbook with a bold, frozen header row; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for column, (_, header) in enumerate(LIST_COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=header).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, (key, _) in enumerate(LIST_COLUMNS, start=1):
            value = row.get(key)
            cell = sheet.cell(row=row_number, column=column)
            if key in _NUMBER_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = round(value, 2) if isinstance(value, float) else value
            else:
                cell.value = _text(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return write_file(Path(path), buffer.getvalue())
