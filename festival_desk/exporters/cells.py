"""Cells of the CSV files the program writes, safe to open in a spreadsheet program.

A spreadsheet treats a cell that starts with "=", "+", "-" or "@" as a formula, and a leading tab or
carriage return can hide one; a submission titled `=HYPERLINK(…)` or `+cmd|' /C calc'!A0` would run
when a programmer opens the export (OWASP "CSV injection"). Such a text cell is written with a
leading apostrophe, which spreadsheets show as plain text. Numbers are numbers, never text: a
negative runtime or score stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """`text` as a CSV cell that a spreadsheet shows as text: prefixed with "'" when it starts
    like a formula, unchanged otherwise."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """A value for `csv.writer`: numbers as they are, text made spreadsheet-safe."""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value
