"""Committee outputs: the CSV/XLSX list export and the shortlist sheet PDF, read back; the CLI contract."""

import csv
import json
from pathlib import Path

import pdfplumber
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from festival_desk.actions.programming import add_programmer, export_list, move_status, rate, write_shortlist_pdf
from festival_desk.actions.submissions import import_submissions
from festival_desk.cli import main
from festival_desk.store.filters import FilmFilter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"


@pytest.fixture
def festival(empty_db):
    import_submissions(empty_db, FIXTURES / "filmfreeway_export.csv")
    with empty_db.engine.connect() as connection:
        ids = dict(connection.execute(sa.text("SELECT submission_id, id FROM film")).all())
    for name in ("Maja", "Tomaž"):
        add_programmer(empty_db, name)
    move_status(empty_db, [ids["88001"], ids["88002"]], "shortlisted", "Maja")
    rate(empty_db, ids["88001"], "Maja", 5, note="Patient & precise: <the river> is the film's real subject.")
    rate(empty_db, ids["88001"], "Tomaž", 3)
    rate(empty_db, ids["88002"], "Maja", 2)
    return empty_db, ids


def test_csv_export_of_a_filtered_list(festival, tmp_path):
    database, ids = festival
    path = tmp_path / "shortlist.csv"
    export_list(database, path, film_filter=FilmFilter(statuses=("shortlisted",)))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Title"] for row in rows] == ["Kafe Bulmak", "Reka, ki teče nazaj"]
    river = rows[1]
    assert river["Directors"] == "Ana Kovač, Marko Horvat"
    assert (river["Mean score"], river["Spread"], river["Ratings"]) == ("4.00", "1.00", "2")


def test_xlsx_export_keeps_text_as_text(festival, tmp_path):
    database, ids = festival
    from festival_desk.actions.films import edit_film

    edit_film(database, ids["88006"], fields={"title": "=SUM(A1)"})
    path = tmp_path / "all.xlsx"
    export_list(database, path)
    sheet = load_workbook(path).active
    titles = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
    assert "=SUM(A1)" in titles
    assert sheet.cell(row=titles.index("=SUM(A1)") + 2, column=2).data_type == "s"
    assert len(titles) == 4


def test_shortlist_sheet_pdf_shows_scores_and_notes_exactly(festival, tmp_path):
    database, _ = festival
    path = tmp_path / "sheet.pdf"
    write_shortlist_pdf(database, path)
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Reka, ki teče nazaj" in text and "Kafe Bulmak" in text
    assert "Ёлка на крыше" not in text  # not shortlisted
    assert "Patient & precise: <the river> is the film's real subject." in text
    assert "4.0 1.0 2" in text
    # best mean first within the section
    assert text.index("Reka, ki teče nazaj") < text.index("Kafe Bulmak")


def test_cli_contract(festival, tmp_path, capsys):
    database, ids = festival
    url = str(database.url.database)
    assert main(["submissions", "import", str(FIXTURES / "filmfreeway_export_later.csv"), "--db", url,
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["updated"], report["unchanged"]) == (1, 2, 2)
    assert report["rejected"] == [{"line": 10, "reason": "Submission ID 88002 repeats line 7"}]
    assert main(["status", "set", str(ids["88001"]), "declined", "--as", "Ilka", "--db", url]) == 1
    assert "no committee member called 'Ilka'" in capsys.readouterr().err
    assert main(["programmers", "add", "Ilka", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Ilka"
    assert main(["status", "set", str(ids["88001"]), "declined", "--as", "ilka", "--db", url, "--json"]) == 0
    capsys.readouterr()
    assert main(["status", "set", str(ids["88001"]), "selected", "--as", "Ilka", "--db", url]) == 1
    assert "in_review" in capsys.readouterr().err
    assert main(["rate", str(ids["88002"]), "4", "--as", "Ilka", "--note", "Fine.", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 4
    assert main(["rate", str(ids["88002"]), "9", "--as", "Ilka", "--db", url]) == 1
    assert "1 to 5" in capsys.readouterr().err
    assert main(["shortlist", "sheet", "-o", str(tmp_path / "s.pdf"), "--db", url]) == 0
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert main(["export", "csv", "-o", str(tmp_path / "x.csv"), "--status", "shortlisted", "--db", url]) == 0
    assert len((tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
