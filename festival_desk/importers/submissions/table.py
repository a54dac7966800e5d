"""Reading a CSV or XLSX file into a header row plus data rows, each with its source line number.

CSV: a UTF-8 byte-order mark is honoured; a file that is not valid UTF-8 (an Excel re-save) is
decoded as Windows-1252 or MacRoman, whichever charset-normalizer finds coherent; the delimiter
(comma, semicolon from a European Excel, or tab) is taken from the header line; quoted cells may
span lines, and a row's line number is the line on which it starts. XLSX: the first worksheet, line
numbers are spreadsheet row numbers; dates, times and whole numbers come back as the text a person
would have typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from festival_desk.core import files
from festival_desk.core.errors import UserError

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_EXPECTED_FORMAT = "expected a CSV export (.csv) or an Excel workbook (.xlsx)"
# Excel re-saves a UTF-8 export in the machine's legacy code page.
_LEGACY_ENCODINGS = ["cp1252", "mac_roman"]


@dataclass
class Table:
    """`rows` holds (line number, cells) with every row padded to the header's length."""

    path: Path
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str | None = None


def read_table(path: str | Path) -> Table:
    """Read the header row and data rows of a CSV or XLSX file; blank rows are skipped.

    Raises UserError naming the file when it is neither CSV nor XLSX, cannot be read, or is empty.
    """
    path = Path(path)
    files.check_not_live(path, "import")
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if suffix in _XLSX_SUFFIXES or head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise UserError(f"{path}: not a readable Excel workbook ({_EXPECTED_FORMAT})")
        table = _read_xlsx(path)
    elif suffix in _CSV_SUFFIXES:
        table = _read_csv(path)
    else:
        shown = suffix or "no extension"
        raise UserError(f"{path}: {shown} is not a submissions file format; {_EXPECTED_FORMAT}")
    if not table.headers:
        raise UserError(f"{path}: the file is empty; {_EXPECTED_FORMAT} with a header row")
    return table


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes: BOM, else UTF-8, else a detected legacy code page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data:
        raise UserError(f"{path}: this is a binary file, not text; {_EXPECTED_FORMAT}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best() or from_bytes(data).best()
    if best is None:
        raise UserError(f"{path}: cannot tell the text encoding; save it as UTF-8 CSV")
    return str(best), best.encoding


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0].split("\r", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(path: Path) -> Table:
    text, encoding = decode_text(path.read_bytes(), path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=False)
    headers: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    previous_line = 0
    try:
        for cells in reader:
            start_line = previous_line + 1
            previous_line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if not headers:
                headers = [cell.strip() for cell in cells]
                continue
            rows.append((start_line, _fit(cells, len(headers))))
    except csv.Error as error:
        raise UserError(f"{path}, line {previous_line + 1}: unreadable CSV ({error})") from None
    return Table(path=path, headers=headers, rows=rows, encoding=encoding)


def _fit(cells: list[str], width: int) -> list[str]:
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    return cells[:width]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on damaged or non-Excel zips
        raise UserError(f"{path}: not a readable Excel workbook ({error}); {_EXPECTED_FORMAT}") from None
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] = []
        rows: list[tuple[int, list[str]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if not headers:
                headers = [cell.strip() for cell in cells]
                while headers and not headers[-1]:
                    headers.pop()
                continue
            rows.append((line, _fit(cells, len(headers))))
    finally:
        workbook.close()
    return Table(path=path, headers=headers, rows=rows)
