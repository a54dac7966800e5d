"""The streamed workbook reader reads what openpyxl reads, and a submissions file at each import
limit is accepted while one past it is refused in one line that names the file and the limit."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from festival_desk.core.errors import UserError
from festival_desk.importers.submissions import fields, read_filmfreeway, table
from festival_desk.importers.submissions.table import _cell_text, read_table
from festival_desk.importers.submissions.workbook import iter_first_sheet


def _as_text(numbered_values) -> list[tuple[int, list[str]]]:
    """(row number, cells as an import reads them) of the rows with any text, trailing blanks dropped."""
    rows = []
    for number, values in numbered_values:
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append((number, cells))
    return rows


def _openpyxl_rows(path: Path) -> list[tuple[int, list[str]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return _as_text(enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _streamed_rows(path: Path) -> list[tuple[int, list[str]]]:
    return _as_text(iter_first_sheet(path, max_cell_chars=1000, max_shared=1000))


def _every_kind_of_cell(path: Path, *, mac_dates: bool = False) -> None:
    workbook = Workbook()
    if mac_dates:
        workbook.epoch = dt.datetime(1904, 1, 1)  # the 1904 date system of old Mac Excel
    sheet = workbook.active
    sheet.append(["Project Title", "Submission ID", "Duration", "Completion Date", "Submitted", "Fee", "Flag"])
    sheet.append(["Ёлка на крыше", 91001, dt.time(1, 15, 20), dt.datetime(2024, 9, 1), dt.datetime(2025, 3, 14, 9, 30),
                  12.5, True])
    sheet.append(["Işık ve Gölge", "91002", dt.timedelta(hours=26, minutes=5), dt.date(2023, 1, 2), None, -3, False])
    sheet.append([None, None, None, None, None, None, None])  # a blank row
    sheet["A6"] = "After a gap"
    sheet["G6"] = "far right"
    sheet["B6"] = "=1+1"  # a formula: no cached value in a file openpyxl wrote
    sheet["C7"] = 0.5
    sheet["C7"].number_format = "0.00%"
    sheet["D7"] = 45000
    sheet["D7"].number_format = "yyyy-mm-dd"
    sheet["E7"] = "_x000D_ literal"
    workbook.save(path)


@pytest.mark.parametrize("mac_dates", [False, True], ids=["1900 dates", "1904 dates"])
def test_the_streamed_reader_reads_a_workbook_as_openpyxl_does(tmp_path: Path, mac_dates: bool) -> None:
    path = tmp_path / "kinds.xlsx"
    _every_kind_of_cell(path, mac_dates=mac_dates)
    expected = _openpyxl_rows(path)
    assert _streamed_rows(path) == expected
    assert expected[1][1][:5] == ["Ёлка на крыше", "91001", "1:15:20", "2024-09-01", "2025-03-14 09:30:00"]
    assert expected[2][1][2] == "26:05:00"  # a duration longer than a day


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_with(path: Path, sheet_data: str, shared: list[str] | None = None) -> Path:
    """An Excel workbook whose first sheet's rows are `sheet_data` (XML, as Excel writes it) and
    whose shared strings are `shared` (each an <si> element's content)."""
    Workbook().save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
                                         f"<sheetData>{sheet_data}</sheetData></worksheet>").encode()
    if shared is not None:
        parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'
                                         + "".join(f"<si>{item}</si>" for item in shared) + "</sst>").encode()
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
            b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def test_excel_shared_strings_and_rich_text_read_as_plain_text(tmp_path: Path) -> None:
    """Excel stores text once in a shared table, formatted runs as <r> pieces and Japanese
    reading guides as <rPh>, which are not part of the text."""
    path = _workbook_with(
        tmp_path / "shared.xlsx",
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c></row>',
        shared=["<t>Project Title</t>", "<t>Submission ID</t>",
                '<r><rPr><b/></rPr><t>川の</t></r><r><t xml:space="preserve">向こう </t></r>'
                '<rPh sb="0" eb="1"><t>かわ</t></rPh>'])
    assert _streamed_rows(path) == _openpyxl_rows(path) == [(1, ["Project Title", "Submission ID"]),
                                                            (2, ["川の向こう ", "7"])]
    [record] = read_filmfreeway(path).records
    assert (record.title, record.submission_id) == ("川の向こう", "7")


def _csv(path: Path, header: list[str], rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_file_of_as_many_rows_as_an_import_takes_is_read_and_one_more_is_refused(tmp_path: Path) -> None:
    header = ["Submission ID", "Project Title"]
    at_limit = _csv(tmp_path / "at.csv", header, ([str(n), f"Film {n}"] for n in range(table.MAX_ROWS)))
    assert len(read_filmfreeway(at_limit).records) == table.MAX_ROWS == 25_000
    over = _csv(tmp_path / "over.csv", header, ([str(n), f"Film {n}"] for n in range(table.MAX_ROWS + 1)))
    with pytest.raises(UserError) as refused:
        read_filmfreeway(over)
    message = str(refused.value)
    assert "\n" not in message and str(over) in message and "25,000 rows at a time" in message


def test_a_csv_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"Submission ID,Project Title\n")
        handle.truncate(table.MAX_FILE_BYTES + 1)
    with pytest.raises(UserError, match=r"big\.csv: the file is 24 MB, larger than the 24 MB of CSV"):
        read_table(path)


def test_names_past_the_limit_are_refused_with_the_line_they_pass_it_on(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fields, "MAX_LIST_ENTRIES", 10)
    path = _csv(tmp_path / "names.csv", ["Submission ID", "Project Title", "Directors"],
                [["1", "One", "A, B, C, D"], ["2", "Two", "E, F, G, H"], ["3", "Three", "I, J, K"]])
    with pytest.raises(UserError, match=r"names\.csv: its rows name more than 10 people.*by line 4"):
        read_filmfreeway(path)


def test_a_workbook_with_more_cells_than_a_workbook_may_have_is_refused_naming_csv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "MAX_XLSX_CELLS", 20)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Submission ID", "Project Title", "Directors", "Duration"])
    for number in range(6):
        sheet.append([number, f"Film {number}", "Ana Kovač", "1:20:00"])
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    with pytest.raises(UserError) as refused:
        read_table(path)
    message = str(refused.value)
    assert "\n" not in message and str(path) in message
    assert "more than 20 cells" in message and "save it as CSV" in message


def test_an_over_long_workbook_cell_rejects_its_row_only(tmp_path: Path) -> None:
    """Excel keeps a cell to 32,767 characters; a hand-made sheet need not (200,000 here)."""
    def row(number: int, title: str, synopsis: str) -> str:
        return (f'<row r="{number}"><c r="A{number}"><v>{number}</v></c><c r="B{number}" t="inlineStr"><is><t>'
                f'{title}</t></is></c><c r="C{number}" t="inlineStr"><is><t>{synopsis}</t></is></c></row>')

    path = _workbook_with(tmp_path / "long.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>Submission ID</t></is>'
                          '</c><c r="B1" t="inlineStr"><is><t>Project Title</t></is></c><c r="C1" t="inlineStr">'
                          '<is><t>Synopsis</t></is></c></row>' + row(2, "Short", "A river.")
                          + row(3, "Long", "word " * 40_000) + row(4, "After", "A lake."))
    result = read_filmfreeway(path)
    assert [record.title for record in result.records] == ["Short", "After"]
    assert [(row.line, "longer than" in row.reason) for row in result.rejected] == [(3, True)]
