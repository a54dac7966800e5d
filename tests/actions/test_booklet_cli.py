"""`festival-desk booklet`: the stable command-line contract."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from festival_desk.cli import main


def test_json_report_has_the_contract_keys(demo_path, tmp_path, capsys):
    output = tmp_path / "booklet.pdf"
    code = main(["booklet", "-o", str(output), "--db", str(demo_path), "--paper", "a5", "--bleed", "3",
                 "--crop-marks", "--lang", "en", "--sections", "MAIN,SHORTS", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert {"pages", "films", "warnings", "seconds"} <= set(report)
    assert report["pages"] == len(PdfReader(str(output)).pages) and report["pages"] % 4 == 0
    assert report["films"] > 0 and isinstance(report["warnings"], list) and report["seconds"] > 0


@pytest.mark.parametrize(("arguments", "message"), [
    (["--bleed", "-1"], "bleed: -1 mm is impossible"),
    (["--paper", "b5"], "paper: unknown paper 'b5'"),
    (["--lang", "fr"], "language: unknown label language 'fr'"),
    (["--impose", "fold"], "impose: unknown imposition 'fold'"),
    (["--sections", "NOPE"], "sections: unknown section code 'NOPE'"),
    (["--paper", "a4", "--impose", "saddle"], "sheet: two pages of 210 × 297 mm"),
    (["--impose", "saddle", "--sheet", "b2"], "sheet: unknown sheet 'b2'"),
    (["--creep", "1"], "creep: creep applies to imposed sheets"),
])
def test_impossible_options_are_refused_with_one_clear_line(demo_path, tmp_path, capsys, arguments, message):
    output = tmp_path / "booklet.pdf"
    code = main(["booklet", "-o", str(output), "--db", str(demo_path), *arguments, "--json"])
    error = capsys.readouterr().err
    assert code == 1 and message in error and len(error.strip().splitlines()) == 1
    assert not output.exists()
