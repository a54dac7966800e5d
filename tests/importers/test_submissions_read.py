"""Reading FilmFreeway exports and mapped CSV/XLSX files into submission records."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from festival_desk.core.errors import UserError
from festival_desk.importers.submissions import (
    Coded,
    load_mapping,
    read_filmfreeway,
    read_mapped,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"
EXPORT = FIXTURES / "filmfreeway_export.csv"


def by_id(result):
    return {record.submission_id: record for record in result.records}


def test_filmfreeway_export_with_every_quirk():
    result = read_filmfreeway(EXPORT)
    films = by_id(result)
    assert sorted(films) == ["88001", "88002", "88003", "88006"]
    river = films["88001"]
    assert river.title == "Reka, ki teče nazaj"
    assert river.synopsis == "A river keeper counts the fish\nthat come back every spring."
    assert river.runtime_minutes == 93  # 1:32:10 rounds up
    assert river.country_codes == ["SI", "HR"]
    assert river.language_codes == ["slv", "ell"]
    assert river.directors == ["Ana Kovač", "Marko Horvat"]
    assert river.key_cast == ["Jože Novak", "Marija Zupan"]  # the "KEY CAST" label is not a person
    assert river.completion_date == dt.date(2024, 5, 1) and river.year == 2024
    assert river.categories == ["Feature Documentary", "Regional Focus"]
    assert river.submission_status == "In Consideration"
    assert river.judging_status == "Undecided"
    assert river.tracking_number == "DOC-0001"
    assert river.contact_name == "Ana Kovač"
    assert river.source_notes.startswith("User: Festival Office\nTime:")
    # a custom form question and an unknown column are kept as extra fields
    assert river.extra["World premiere?"] == "Yes"
    assert river.extra["How did you hear about us?"] == "A friend"
    assert river.extra["Country"] == "Slovenia"


def test_quoted_titles_dates_and_uncoded_values():
    films = by_id(read_filmfreeway(EXPORT))
    cafe = films["88002"]
    assert cafe.title == "Kafe Bulmak"
    assert cafe.completion_date == dt.date(2025, 1, 2)
    assert cafe.directors == ["Işık Yılmaz"]
    tree = films["88003"]
    assert tree.year == 2025 and tree.completion_date is None
    # codes where they fit, the submitter's text where none does
    assert tree.countries == [Coded("The Netherlands", "NL"), Coded("Atlantis", None)]
    assert tree.languages == [Coded("Russian", "rus"), Coded("Elvish", None)]
    athens = films["88006"]
    assert athens.language_codes == ["ell"] and athens.year == 2024
    assert athens.submission_status == "Withdrawn"


def test_bad_rows_are_rejected_with_their_line_numbers_and_good_rows_kept():
    result = read_filmfreeway(EXPORT)
    # the first film's multi-line cells take lines 2-7, so the rows after it start at line 8
    rejected = {row.line: row.reason for row in result.rejected}
    assert set(rejected) == {10, 11, 13}
    assert "title" in rejected[10]
    assert "duration" in rejected[11] and "about an hour" in rejected[11]
    assert "88002" in rejected[13] and "line 8" in rejected[13]
    assert [record.line for record in result.records] == [2, 8, 9, 12]


def _resave(tmp_path: Path, encoding: str, line_end: str) -> Path:
    # What Excel does to a UTF-8 export: the legacy code page, no BOM, its own line ends.
    text = EXPORT.read_bytes().decode("utf-8-sig")
    text = text.replace("Reka, ki teče nazaj", "Café Müller à Genève").replace("Ana Kovač", "José Núñez")
    text = text.replace("Jože Novak", "Zoë Åberg").replace("Ёлка на крыше", "Naïve Señor")
    text = text.replace("Işık Yılmaz", "Ines Ölçer").replace("Αθήνα τη νύχτα", "Über die Brücke")
    text = text.replace("Kovač", "Kovac").replace("Marija Zupan", "Mária Šmíd" if encoding == "cp1252" else "Maria Smid")
    path = tmp_path / f"resaved-{encoding}.csv"
    path.write_bytes(text.replace("\r\n", line_end).encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "line_end"), [("cp1252", "\r\n"), ("mac_roman", "\r")])
def test_excel_resave_in_a_legacy_code_page_is_detected(tmp_path, encoding, line_end):
    result = read_filmfreeway(_resave(tmp_path, encoding, line_end))
    films = by_id(result)
    assert result.encoding == encoding
    assert films["88001"].title == "Café Müller à Genève"
    assert films["88001"].directors == ["José Núñez", "Marko Horvat"]
    assert films["88001"].key_cast[0] == "Zoë Åberg"
    assert films["88003"].title == "Naïve Señor"
    assert films["88006"].title == "Über die Brücke"
    assert {row.line for row in result.rejected} == {10, 11, 13}


def test_any_column_order_and_missing_optional_columns(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("Duration,Submission ID,Project Title\n0:05:30,1,Short One\n", encoding="utf-8")
    [record] = read_filmfreeway(path).records
    assert (record.submission_id, record.title, record.runtime_minutes) == ("1", "Short One", 6)
    assert record.directors == [] and record.countries == [] and record.year is None


def test_semicolon_separated_excel_export(tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text("Submission ID;Project Title;Directors\n7;Frost;A. Berg, B. Dahl\n", encoding="utf-8")
    [record] = read_filmfreeway(path).records
    assert record.directors == ["A. Berg", "B. Dahl"]


def test_filmfreeway_xlsx(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Project Title", "Submission ID", "Duration", "Completion Date", "Country of Origin"])
    sheet.append(["Salt Roads", 91001, dt.time(1, 15, 20), dt.datetime(2024, 9, 1), "Czech Republic"])
    sheet.append([None, 91002, "1:00:00", None, None])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    result = read_filmfreeway(path)
    [record] = result.records
    assert record.submission_id == "91001"
    assert record.runtime_minutes == 76
    assert record.completion_date == dt.date(2024, 9, 1)
    assert record.country_codes == ["CZ"]
    assert [(row.line, "title" in row.reason) for row in result.rejected] == [(3, True)]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(tmp_path):
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF-1.4 not a table")
    with pytest.raises(UserError, match=r"export\.pdf.*CSV.*\.xlsx"):
        read_filmfreeway(path)


def test_binary_data_named_csv_is_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(UserError, match="export.csv"):
        read_filmfreeway(path)


def test_a_csv_without_filmfreeway_headers_is_refused_naming_what_was_expected(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Name,Amount\nBob,3\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"other\.csv.*Project Title.*Submission ID"):
        read_filmfreeway(path)


def test_mapped_import_through_a_mapping_file():
    mapping = load_mapping(FIXTURES / "webform_mapping.json")
    result = read_mapped(FIXTURES / "webform.csv", mapping)
    assert result.source == "webform"
    films = by_id(result)
    assert films["W-1"].title == "Winter Harbour" and films["W-1"].runtime_minutes == 75
    assert films["W-1"].year == 2024 and films["W-1"].country_codes == ["NO"]
    assert films["W-2"].directors == ["Pau Ferrer", "Joan Ribas"]
    assert films["W-2"].country_codes == ["ES", "FR"]
    assert films["W-1"].extra == {"Contact": "lena@example.org"}


def test_mapping_naming_an_unknown_field_or_missing_header_is_refused(tmp_path):
    bad_field = tmp_path / "bad.json"
    bad_field.write_text(json.dumps({"source": "x", "columns": {"title": "T", "submission_id": "I",
                                                                "budget": "B"}}))
    with pytest.raises(UserError, match=r"bad\.json.*'budget'"):
        load_mapping(bad_field)
    missing_header = tmp_path / "missing.json"
    missing_header.write_text(json.dumps({"source": "x", "columns": {"title": "Title",
                                                                     "submission_id": "Ref"}}))
    with pytest.raises(UserError, match=r"webform\.csv.*'Title'"):
        read_mapped(FIXTURES / "webform.csv", load_mapping(missing_header))
    not_json = tmp_path / "broken.json"
    not_json.write_text("{source:")
    with pytest.raises(UserError, match=r"broken\.json"):
        load_mapping(not_json)


def _as_excel_saves(tmp_path: Path, kind: str) -> Path:
    """The fixture export re-saved as Excel saves it: "Unicode Text" is UTF-16 little-endian with a
    byte-order mark, tab-separated, CRLF; "CSV UTF-8" is UTF-8 with a byte-order mark, commas."""
    rows = list(csv.reader(EXPORT.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter="\t" if kind == "unicode text" else ",", lineterminator="\r\n").writerows(rows)
    path = tmp_path / ("unicode.txt" if kind == "unicode text" else "utf8.csv")
    encoding = "utf-16-le" if kind == "unicode text" else "utf-8"
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode(encoding))
    return path


@pytest.mark.parametrize("kind", ["unicode text", "csv utf-8"])
def test_excel_unicode_text_and_csv_utf8_read_like_the_export(tmp_path, kind):
    original = read_filmfreeway(EXPORT)
    resaved = read_filmfreeway(_as_excel_saves(tmp_path, kind))
    assert [(r.submission_id, r.title, r.directors, r.key_cast) for r in resaved.records] == \
        [(r.submission_id, r.title, r.directors, r.key_cast) for r in original.records]
    assert "Ёлка на крыше" in {r.title for r in resaved.records} | {r.original_title for r in resaved.records}
    assert by_id(resaved)["88002"].directors == ["Işık Yılmaz"]
    assert [row.line for row in resaved.rejected] == [row.line for row in original.rejected]
    assert resaved.encoding == ("utf-16-le" if kind == "unicode text" else "utf-8-sig")


def test_utf16_big_endian_with_semicolons(tmp_path):
    text = "Submission ID;Project Title;Directors\r\n1;Αθήνα τη νύχτα;Ελένη Παπαδοπούλου\r\n2;Işık;Ayşe Çelik\r\n"
    path = tmp_path / "be.csv"
    path.write_bytes(("\ufeff" + text).encode("utf-16-be"))
    records = read_filmfreeway(path).records
    assert [(r.title, r.directors) for r in records] == [("Αθήνα τη νύχτα", ["Ελένη Παπαδοπούλου"]),
                                                          ("Işık", ["Ayşe Çelik"])]


def test_an_unclosed_quote_swallows_no_row(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('Submission ID,Project Title,Directors\n1,"Open,A\n2,Second,B\n3,"Third, quoted",C\n4,Fourth,D\n',
                    encoding="utf-8")
    result = read_filmfreeway(path)
    assert [(r.line, r.title) for r in result.records] == [(3, "Second"), (4, "Third, quoted"), (5, "Fourth")]
    assert [row.line for row in result.rejected] == [2] and "quote" in result.rejected[0].reason
