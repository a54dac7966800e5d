"""`festival-desk search`: the JSON contract, filters, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.cli import main

# Shared festival fixtures live beside this file (the suite runs in importlib mode, which does not
# put test folders on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_search_fixtures import FilmSpec, add_films  # noqa: E402


@pytest.fixture
def festival(empty_db, db_path):
    ids = add_films(empty_db, [
        FilmSpec("River Without Banks", directors=["Ana Kovač", "Ivo Ban"], status="shortlisted", section="MAIN"),
        FilmSpec("Kovačev Most", synopsis="A bridge.", status="submitted", section="DOCS"),
        FilmSpec("Elsewhere", notes=["Reminds me of Kovačić's early work."], status="shortlisted"),
    ])
    empty_db.close()
    return db_path, ids


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_hits_best_first_with_the_contract_keys(festival, capsys):
    path, ids = festival
    code, out, _ = run(capsys, "search", "kovac", "--db", str(path), "--json")
    hits = json.loads(out)
    assert code == 0
    assert [hit["film_id"] for hit in hits] == [ids["Kovačev Most"], ids["River Without Banks"], ids["Elsewhere"]]
    assert all(set(hit) == {"film_id", "title", "directors", "score"} for hit in hits)
    assert hits[1]["directors"] == ["Ana Kovač", "Ivo Ban"]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]


def test_status_section_and_limit_narrow_the_hits(festival, capsys):
    path, ids = festival
    _, out, _ = run(capsys, "search", "kovac", "--status", "Shortlisted", "--db", str(path), "--json")
    assert {hit["title"] for hit in json.loads(out)} == {"River Without Banks", "Elsewhere"}
    _, out, _ = run(capsys, "search", "kovac", "--section", "DOCS", "--section", "MAIN", "--limit", "1",
                    "--db", str(path), "--json")
    assert [hit["title"] for hit in json.loads(out)] == ["Kovačev Most"]


@pytest.mark.parametrize("query", ['"', "NEAR(", "AND", "title:x", "*", "kovac)", "NOT"])
def test_hostile_queries_print_a_list(festival, capsys, query):
    path, _ = festival
    code, out, err = run(capsys, "search", query, "--db", str(path), "--json")
    assert code == 0 and err == ""
    assert isinstance(json.loads(out), list)


def test_bad_options_are_one_line_errors_naming_them(festival):
    path, _ = festival
    for argv, named in ((["--status", "maybe"], "--status"), (["--section", "XX"], "--section"),
                        (["--limit", "0"], "--limit")):
        done = subprocess.run([sys.executable, "-m", "festival_desk.cli", "search", "kovac", "--db", str(path),
                               *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and named in done.stderr
