"""Reading a CSV or XLSX file into a header row plus data rows, each with its source line number.

CSV is read as a stream (memory follows the rows kept, not the file): a UTF-8 or UTF-16 (LE or BE)
byte-order mark is honoured, so Excel's "Unicode Text" (UTF-16, tab-separated) and "CSV UTF-8"
both read like any export; a file that is not valid UTF-8 (an Excel re-save) is decoded as
Windows-1252 or MacRoman, whichever charset-normalizer finds coherent; the delimiter (comma,
semicolon from a European Excel, or tab) is taken from the header line; quoted cells may span
lines, and a row's line number is the line on which it starts.

Nothing is swallowed: a row whose quotes do not close, whose cell count differs from the header's,
whose line is longer than `MAX_LINE_CHARS` or whose cell is longer than the csv module's field
limit is rejected with its line number (`Table.rejected`), and reading goes on with the line after
the one where that row started, so the rows after a stray quote are read on their own.

XLSX: the package is checked before it is unpacked (`importers.packages`); the first worksheet,
read as a stream (`workbook`);
line numbers are spreadsheet row numbers; dates, times and whole numbers come back as the text a
person would have typed.

Limits, each refused in one line that states it: `MAX_FILE_BYTES` of CSV, `MAX_XLSX_BYTES` of
workbook (`MAX_XLSX_UNPACKED` unpacked), `MAX_ROWS` rows, `MAX_COLUMNS` columns and `MAX_CELLS`
cells (`MAX_XLSX_CELLS` of a workbook) per import (and `fields.MAX_LIST_ENTRIES` names, countries and languages).
"""

from __future__ import annotations

import codecs
import collections
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.importers.packages import MB, check_package
from festival_desk.importers.submissions.records import RejectedRow

_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_EXPECTED_FORMAT = "expected a CSV export (.csv) or an Excel workbook (.xlsx)"
# Excel re-saves a UTF-8 export in the machine's legacy code page.
_LEGACY_ENCODINGS = ["cp1252", "mac_roman"]

# An import holds every row in memory until its one transaction commits, and its time follows
# its rows, names and text: the limits keep a file at all of them at once within 500 MB and
# 10 s on a two-core machine (tests/benchmarks/bench_hostile.py measures a file at each limit and
# one at all of them), and above the biggest calls for entries: Sundance's 17,435 submissions,
# 25,000 in the benchmarks, each row a full FilmFreeway export of some 70 columns (50 of them
# not empty) and 1 KB. Text costs most where it is searchable (a synopsis is stored, kept as
# imported and indexed): 50 MB of synopses took 15 s under load, 32 MB with every other limit
# reached at once 12.8 s.
MAX_FILE_BYTES = 24 * MB
MAX_XLSX_BYTES = 24 * MB
MAX_XLSX_UNPACKED = 100 * MB  # 400,000 cells are some 30 MB of Excel's XML
MAX_ROWS = 25_000
MAX_COLUMNS = 250
MAX_CELLS = 1_250_000
# A workbook's cells are read from its XML one by one (`workbook`), some five times slower than
# CSV's: 1.5 million took 7.5 s to read alone. FilmFreeway exports CSV; a workbook from elsewhere
# holds 25,000 rows of 16 columns or 5,700 full rows of 70.
MAX_XLSX_CELLS = 400_000
# The workbook's table of distinct texts is held whole while its sheet is read (some 60 bytes a
# text): this keeps it under 100 MB.
MAX_XLSX_SHARED_TEXTS = 1_500_000
MAX_LINE_CHARS = 1_000_000
_SNIFF_BYTES = 64 * 1024
_SAMPLE_BYTES = 1 * MB


@dataclass
class Table:
    """`rows` holds (line number, cells) with every row padded to the header's length;
    `rejected` the rows that could not be read as rows (see the module's docstring)."""

    path: Path
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str | None = None
    rejected: list[RejectedRow] = field(default_factory=list)


def read_table(path: str | Path, *, max_rows: int | None = None) -> Table:
    """Read the header row and data rows of a CSV or XLSX file; blank rows are skipped.
    `max_rows` stops after that many data rows (a preview).

    Raises UserError naming the file when it is neither CSV nor XLSX, cannot be read, is empty,
    or is over a limit (see the module's docstring).
    """
    path = Path(path)
    files.check_not_live(path, "import")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a submissions file")
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise UserError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if suffix in _XLSX_SUFFIXES or head.startswith(b"PK\x03\x04"):
        table = _read_xlsx(path, max_rows)
    elif suffix in _CSV_SUFFIXES:
        table = _read_csv(path, max_rows)
    else:
        shown = suffix or "no extension"
        raise UserError(f"{path}: {shown} is not a submissions file format; {_EXPECTED_FORMAT}")
    if not table.headers:
        raise UserError(f"{path}: the file is empty; {_EXPECTED_FORMAT} with a header row")
    return table


def _too_many_rows(path: Path) -> UserError:
    return UserError(f"{path}: more than {MAX_ROWS:,} rows; Festival Desk imports up to {MAX_ROWS:,} rows at "
                     "a time: split the file (importing the parts one after another gives the same result)")


def _check_width(path: Path, headers: list[str]) -> None:
    if len(headers) > MAX_COLUMNS:
        raise UserError(f"{path}: the header has {len(headers):,} columns, more than the {MAX_COLUMNS} a "
                        "submissions file may have")


def _check_room(path: Path, rows: int, width: int, max_cells: int = MAX_CELLS) -> None:
    """Refuse the file when one more row would pass `MAX_ROWS` or `max_cells`."""
    if rows >= MAX_ROWS:
        raise _too_many_rows(path)
    if (rows + 1) * width > max_cells:
        where = "at a time" if max_cells == MAX_CELLS else (
            f"of a workbook at a time (of a CSV file {MAX_CELLS:,}): save it as CSV,")
        raise UserError(f"{path}: more than {max_cells:,} cells ({rows + 1:,} rows of {width} columns); "
                        f"Festival Desk imports up to {max_cells:,} cells {where} split the file or leave "
                        "out columns it does not need")


def _binary(path: Path) -> UserError:
    return UserError(f"{path}: this is a binary file, not text; {_EXPECTED_FORMAT}")


def _encoding_of(path: Path) -> tuple[str, int]:
    """(Python codec, bytes of byte-order mark to skip) for a CSV file, found from its first bytes
    and, when it is not UTF-8, from a sample read by charset-normalizer."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8", len(codecs.BOM_UTF8)
        if head.startswith(codecs.BOM_UTF16_LE):
            return "utf-16-le", 2
        if head.startswith(codecs.BOM_UTF16_BE):
            return "utf-16-be", 2
        if b"\x00" in head:
            raise _binary(path)
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        position = 0
        while chunk := handle.read(_SAMPLE_BYTES):
            if b"\x00" in chunk:
                raise _binary(path)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                handle.seek(max(0, position + error.start - _SNIFF_BYTES))
                sample = head[:_SAMPLE_BYTES] + b"\n" + handle.read(2 * _SNIFF_BYTES)
                break
            position += len(chunk)
        else:
            try:
                decoder.decode(b"", final=True)
                return "utf-8", 0
            except UnicodeDecodeError:
                sample = head
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=_LEGACY_ENCODINGS).best() or from_bytes(sample).best()
    if best is None:
        raise UserError(f"{path}: cannot tell the text encoding; save it as UTF-8 CSV")
    return best.encoding, 0


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes: BOM (UTF-8, UTF-16), else UTF-8, else a
    detected legacy code page."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError:
                raise UserError(f"{path}: starts as {encoding.upper()} but is not valid {encoding.upper()}") from None
    if b"\x00" in data:
        raise _binary(path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best() or from_bytes(data).best()
    if best is None:
        raise UserError(f"{path}: cannot tell the text encoding; save it as UTF-8 CSV")
    return str(best), best.encoding


def _sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


class _LongLine(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Lines:
    """The physical lines of a text stream, numbered, for the csv module: the lines of the row
    being read are kept (`taken`) so that after a malformed row they can be read again
    (`read_again`), and a line longer than `MAX_LINE_CHARS` is skipped unread (raising
    `_LongLine`). NUL characters mean a binary file."""

    def __init__(self, stream: TextIO, path: Path) -> None:
        self._stream = stream
        self._path = path
        self._again: collections.deque[tuple[int, str]] = collections.deque()
        self.number = 0
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._again:
            number, text = self._again.popleft()
        else:
            text = self._stream.readline(MAX_LINE_CHARS)
            if not text:
                raise StopIteration
            self.number += 1
            number = self.number
            if len(text) >= MAX_LINE_CHARS and not text.endswith(("\n", "\r")):
                while (rest := self._stream.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                    pass
                raise _LongLine(number)
            if "\x00" in text:
                raise _binary(self._path)
        self.taken.append((number, text))
        return text

    def read_again(self, lines: list[tuple[int, str]]) -> None:
        self._again.extendleft(reversed(lines))


def _read_csv(path: Path, max_rows: int | None) -> Table:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UserError(f"{path}: cannot read the file ({error.strerror or error})") from None
    if size > MAX_FILE_BYTES:
        raise UserError(f"{path}: the file is {size / MB:,.0f} MB, larger than the {MAX_FILE_BYTES // MB} MB "
                        "of CSV we import at a time; split it")
    encoding, skip = _encoding_of(path)
    try:
        with path.open("rb") as raw:
            raw.seek(skip)
            stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            table = _parse_csv(stream, path, max_rows)
    except UnicodeDecodeError:
        shown = encoding.upper().replace("-LE", " (little-endian)").replace("-BE", " (big-endian)")
        raise UserError(f"{path}: starts as {shown} text but is not valid {encoding.upper()}; "
                        "save it again as CSV UTF-8") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read the file ({error.strerror or error})") from None
    table.encoding = {"utf-8": "utf-8-sig" if skip else "utf-8"}.get(encoding, encoding)
    return table


def _parse_csv(stream: TextIO, path: Path, max_rows: int | None) -> Table:
    lines = _Lines(stream, path)
    headers: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    rejected: list[RejectedRow] = []
    delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while max_rows is None or len(rows) < max_rows:
        lines.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            break
        except (csv.Error, _LongLine) as error:
            taken = lines.taken
            start = taken[0][0] if taken else error.line if isinstance(error, _LongLine) else lines.number
            rejected.append(RejectedRow(start, _malformed_reason(error, start)))
            if isinstance(error, _LongLine) and error.line != start:
                rejected.append(RejectedRow(error.line, _malformed_reason(error, error.line)))
            lines.read_again(taken[1:])
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            continue
        start = lines.taken[0][0]
        if not any(cell.strip() for cell in cells):
            continue
        if not headers:
            delimiter = _sniff_delimiter(lines.taken[0][1])
            if delimiter != ",":  # read the header line again with its own delimiter
                lines.read_again(lines.taken)
                reader = csv.reader(lines, delimiter=delimiter, strict=True)
                lines.taken = []
                cells = next(reader)
            headers = [cell.strip() for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            _check_width(path, headers)
            continue
        if len(cells) < len(headers) or any(cell.strip() for cell in cells[len(headers):]):
            rejected.append(RejectedRow(start, f"{len(cells)} cells where the header has {len(headers)}"
                                        + (" (a quote that opens in this row may not close)"
                                           if len(lines.taken) > 1 else "")))
            lines.read_again(lines.taken[1:])
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            continue
        _check_room(path, len(rows), len(headers))
        rows.append((start, _fit(cells, len(headers))))
    return Table(path=path, headers=headers, rows=rows, rejected=rejected)


def _malformed_reason(error: Exception, line: int) -> str:
    if isinstance(error, _LongLine):
        return f"line {line} is longer than {MAX_LINE_CHARS:,} characters; not read"
    message = str(error)
    if "field larger than field limit" in message:
        return f"a cell longer than {csv.field_size_limit():,} characters; not read"
    if "unexpected end of data" in message or "expected after" in message:
        return "a quote in this row is not closed where its cell ends; the row is not read"
    return f"not a readable CSV row ({message})"


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


_WORKBOOK = "Excel workbook"


def _read_xlsx(path: Path, max_rows: int | None) -> Table:
    size = path.stat().st_size
    if size > MAX_XLSX_BYTES:
        raise UserError(f"{path}: the workbook is {size / MB:,.0f} MB, larger than the {MAX_XLSX_BYTES // MB} MB "
                        "we import at a time; save it as CSV or split it")
    check_package(path, _WORKBOOK, max_total=MAX_XLSX_UNPACKED)
    from festival_desk.importers.submissions.workbook import iter_first_sheet

    headers: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    rejected: list[RejectedRow] = []
    cell_limit = csv.field_size_limit()
    sheet = iter_first_sheet(path, max_cell_chars=cell_limit, max_shared=MAX_XLSX_SHARED_TEXTS)
    try:
        for line, values in sheet:
            if max_rows is not None and len(rows) >= max_rows:
                break
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if not headers:
                headers = [cell.strip() for cell in cells]
                while headers and not headers[-1]:
                    headers.pop()
                _check_width(path, headers)
                continue
            if any(len(cell) > cell_limit for cell in cells):
                rejected.append(RejectedRow(line, f"a cell longer than {cell_limit:,} characters; not read"))
                continue
            _check_room(path, len(rows), len(headers), MAX_XLSX_CELLS)
            rows.append((line, _fit(cells, len(headers))))
    except UserError:
        raise
    except Exception as error:  # a damaged package, part or value shows only as it is read
        raise UserError(f"{path}: not a readable {_WORKBOOK} ({_first_line(error)}); {_EXPECTED_FORMAT}") from None
    finally:
        sheet.close()
    return Table(path=path, headers=headers, rows=rows, rejected=rejected)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
