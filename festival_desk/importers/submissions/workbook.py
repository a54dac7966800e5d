"""The first worksheet of an Excel workbook (.xlsx) as rows of cell values, read as a stream.

openpyxl's read-only mode makes several objects per cell (some 20 µs a cell) and, when a sheet
lacks its `<dimension>` element, parses every sheet of the workbook in full once more just to open
it: a workbook at the import's cell limit took over 30 s. This reads only what an import needs —
the first sheet, the shared strings and the number formats that make a number a date — with
expat's callbacks, and turns values into Python values with openpyxl's own rules
(`from_excel`, `is_date_format`, `is_timedelta_format`, the built-in formats), so that a cell reads
as `openpyxl.load_workbook(..., read_only=True, data_only=True)` reads it: text as text, numbers
as int or float, a number in a date format as a datetime (a time, a duration for `[h]:mm`),
booleans, the cached result of a formula, an error as its text ("#N/A").

The package must have been checked first (`importers.packages.check_package`: sizes, ZIP bombs,
no XML document type, so no entities). Damage raises `WorkbookError` with a short reason.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 256 * 1024
_DIGITS = "0123456789"


class WorkbookError(Exception):
    """The workbook is damaged or not a workbook; the message says how, in a few words."""


def _local(name: str) -> str:
    # expat gives "namespace-uri local-name" (namespace_separator=" "): prefixes may differ.
    return name.rpartition(" ")[2]


def _parse(data: bytes, start: Any = None, end: Any = None, text: Any = None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    parser.Parse(data, True)


def _part(package: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return package.read(name)
    except KeyError:
        return None


def _relationships(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, target part name)} of `part`."""
    folder, name = posixpath.split(part)
    data = _part(package, posixpath.join(folder, "_rels", name + ".rels"))
    found: dict[str, tuple[str, str]] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), target)

    if data:
        _parse(data, start)
    return found


def _text_items(data: bytes, item: str, limit: int) -> list[str]:
    """The text of each `item` element (a shared string `si`): its `t` elements joined, phonetic
    guides (`rPh`) left out, as openpyxl does. More than `limit` items: WorkbookError."""
    items: list[str] = []
    pieces: list[str] = []
    state = {"in_t": False, "phonetic": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "t":
            state["in_t"] = True
        elif name == "rPh":
            state["phonetic"] += 1

    def end(tag: str) -> None:
        name = _local(tag)
        if name == "t":
            state["in_t"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == item:
            if len(items) >= limit:
                raise WorkbookError(f"more than {limit:,} different texts")
            items.append("".join(pieces))
            pieces.clear()

    def text(data: str) -> None:
        if state["in_t"] and not state["phonetic"]:
            pieces.append(data)

    _parse(data, start, end, text)
    return items


def _date_styles(data: bytes | None) -> tuple[set[int], set[int]]:
    """(style indices whose number format is a date or time, those that are a duration)."""
    if not data:
        return set(), set()
    formats: dict[int, str] = {}
    cell_formats: list[int] = []
    state = {"in_cell_xfs": False}

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "numFmt":
            try:
                formats[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
            except ValueError:
                pass
        elif name == "cellXfs":
            state["in_cell_xfs"] = True
        elif name == "xf" and state["in_cell_xfs"]:
            try:
                cell_formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                cell_formats.append(0)

    def end(tag: str) -> None:
        if _local(tag) == "cellXfs":
            state["in_cell_xfs"] = False

    _parse(data, start, end)
    dates: set[int] = set()
    durations: set[int] = set()
    for index, format_id in enumerate(cell_formats):
        code = formats[format_id] if format_id in formats else BUILTIN_FORMATS.get(format_id)
        if code and is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
    return dates, durations


def _first_sheet(package: zipfile.ZipFile) -> tuple[str, bool, str | None, str | None]:
    """(part of the first worksheet, whether dates count from 1904, shared strings part, styles part)."""
    rels = _relationships(package, "")
    workbook_part = next((target for kind, target in rels.values() if kind.endswith("/officeDocument")),
                         "xl/workbook.xml")
    data = _part(package, workbook_part)
    if data is None:
        raise WorkbookError("no workbook part")
    first: list[str] = []
    mac_dates: list[bool] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "sheet" and not first:
            first.append(attributes.get(f"{_RELATIONSHIPS} id", ""))
        elif name == "workbookPr":
            mac_dates.append(attributes.get("date1904", "false").lower() in ("1", "true"))

    _parse(data, start)
    if not first:
        raise WorkbookError("the workbook has no sheet")
    workbook_rels = _relationships(package, workbook_part)
    if first[0] not in workbook_rels:
        raise WorkbookError("the first sheet's part is missing")
    kinds = {kind.rpartition("/")[2]: target for kind, target in workbook_rels.values()}
    return workbook_rels[first[0]][1], bool(mac_dates and mac_dates[0]), kinds.get("sharedStrings"), kinds.get("styles")


def _column_of(reference: str) -> int:
    letters = reference.rstrip(_DIGITS)
    return column_index_from_string(letters) if letters else 0


def _number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def iter_first_sheet(path: str | Path, *, max_cell_chars: int, max_shared: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values from column A on) for every row of the first sheet that has a cell, in
    order; a cell without a value is None, a row has no trailing Nones beyond its last cell.

    Memory stays bounded: a cell's text is kept to its first `max_cell_chars` + 1 characters (the
    caller refuses it as over-long), and a table of more than `max_shared` shared strings raises
    WorkbookError before the sheet is read."""
    try:
        package = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise WorkbookError(f"damaged, or not a ZIP package: {error}") from None
    with package:
        sheet_part, mac_dates, strings_part, styles_part = _first_sheet(package)
        strings_data = _part(package, strings_part) if strings_part else None
        # openpyxl drops the escape of a literal "_x…_" in shared strings, and so do we.
        shared = [text.replace("x005F_", "")
                  for text in _text_items(strings_data, "si", max_shared)] if strings_data else []
        del strings_data
        dates, durations = _date_styles(_part(package, styles_part) if styles_part else None)
        epoch = CALENDAR_MAC_1904 if mac_dates else CALENDAR_WINDOWS_1900
        try:
            stream = package.open(sheet_part)
        except KeyError:
            raise WorkbookError(f"the sheet part {sheet_part} is missing") from None
        with stream:
            yield from _SheetReader(shared, dates, durations, epoch, max_cell_chars).rows(stream)


class _SheetReader:
    """expat callbacks that collect a worksheet's rows as they are parsed."""

    def __init__(self, shared: list[str], dates: set[int], durations: set[int], epoch: Any,
                 max_cell_chars: int) -> None:
        self._shared, self._dates, self._durations, self._epoch = shared, dates, durations, epoch
        self._max_cell_chars = max_cell_chars
        self._kept = 0  # characters of the current cell's value kept so far
        self._done: list[tuple[int, list[Any]]] = []
        self._row: list[Any] | None = None
        self._row_number = 0
        self._cell: tuple[int, str, int] | None = None  # (column, type, style)
        self._value: list[str] = []
        self._collect = False  # inside <v>, or a <t> of an inline string
        self._phonetic = 0

    def rows(self, stream: Any) -> Iterator[tuple[int, list[Any]]]:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
            yield from self._done
            self._done.clear()
        parser.Parse(b"", True)
        yield from self._done

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        name = tag[tag.rfind(" ") + 1:]
        if name == "c":
            reference = attributes.get("r")
            column = _column_of(reference) if reference else len(self._row or ()) + 1
            try:
                style = int(attributes.get("s", "0"))
            except ValueError:
                style = 0
            self._cell = (column, attributes.get("t", "n"), style)
            self._value = []
            self._kept = 0
        elif name == "v" or (name == "t" and self._cell is not None and self._cell[1] == "inlineStr"):
            self._collect = not self._phonetic
        elif name == "rPh":
            self._phonetic += 1
        elif name == "row":
            number = attributes.get("r")
            self._row_number = int(number) if number and number.isdigit() else self._row_number + 1
            self._row = []

    def _end(self, tag: str) -> None:
        name = tag[tag.rfind(" ") + 1:]
        if name == "c":
            self._end_cell()
        elif name in ("v", "t"):
            self._collect = False
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "row":
            if self._row:
                self._done.append((self._row_number, self._row))
            self._row = None

    def _text(self, data: str) -> None:
        if self._collect and self._kept <= self._max_cell_chars:
            data = data[:self._max_cell_chars + 1 - self._kept]
            self._value.append(data)
            self._kept += len(data)

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        column, kind, style = self._cell
        self._cell = None
        if column < 1:
            return
        value = self._converted(kind, style, "".join(self._value)) if self._value else None
        row = self._row
        if column > len(row):
            row.extend([None] * (column - len(row)))
        row[column - 1] = value

    def _converted(self, kind: str, style: int, text: str) -> Any:
        if kind == "s":
            return self._shared[int(text)]
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text.strip() not in ("0", "false", "")
        if kind == "d":
            return from_ISO8601(text)
        value = _number(text.strip())
        if style in self._dates:
            try:
                return from_excel(value, self._epoch, timedelta=style in self._durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
