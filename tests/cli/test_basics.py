"""The foundation's command-line contract: demo, info, films list, programmers list, and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.cli import main


def run_json(capsys, *argv: str):
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def run_failing(capsys, *argv: str) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert captured.err.startswith("festival-desk: error: ")
    assert captured.err.count("\n") == 1
    return captured.err


def test_info_counts_what_the_demo_holds(capsys, demo_path: Path) -> None:
    info = run_json(capsys, "info", "--db", str(demo_path))
    assert info["films"] >= 40
    assert info["sections"] >= 3
    assert info["programmers"] == 5
    assert info["venues"] == 4 and info["screens"] == 6
    assert info["screenings"] >= 80
    assert info["reviews"] == 10 and info["critics"] == 10
    assert info["pull_quotes"] >= 10
    assert info["ratings"] > 0 and info["notes"] > 0
    assert info["schema_revision"]


def test_demo_refuses_to_overwrite_without_force(capsys, demo_path: Path) -> None:
    before = run_json(capsys, "info", "--db", str(demo_path))
    error = run_failing(capsys, "demo", "--db", str(demo_path))
    assert "--force" in error
    assert run_json(capsys, "info", "--db", str(demo_path)) == before
    replaced = run_json(capsys, "demo", "--db", str(demo_path), "--force")
    assert replaced["films"] == before["films"]
    assert run_json(capsys, "info", "--db", str(demo_path))["films"] == before["films"]


def test_films_list_sorts_by_sort_title_and_filters(capsys, demo_path: Path) -> None:
    films = run_json(capsys, "films", "list", "--db", str(demo_path))
    red_soul = next(f for f in films if f["title"] == "The Red Soul")
    assert red_soul["sort_title"] == "Red Soul"
    assert red_soul["directors"] == ["Jessica Gorter"]
    assert red_soul["countries"] == ["NL"] and red_soul["year"] == 2017
    assert red_soul["original_title"] == "Красная душа"
    assert set(red_soul) == {"id", "title", "original_title", "sort_title", "directors", "countries", "year",
                             "runtime", "section", "status"}
    from festival_desk.core.text import sort_key

    keys = [sort_key(f["sort_title"]) for f in films]
    assert keys == sorted(keys)
    selected = run_json(capsys, "films", "list", "--status", "selected", "--db", str(demo_path))
    assert selected and all(f["status"] == "selected" for f in selected)
    section = red_soul["section"]
    in_section = run_json(capsys, "films", "list", "--section", section, "--db", str(demo_path))
    assert red_soul["id"] in {f["id"] for f in in_section}
    assert all(f["section"] == section for f in in_section)


def test_films_list_refuses_unknown_status_and_section(capsys, demo_path: Path) -> None:
    assert "valid statuses" in run_failing(capsys, "films", "list", "--status", "maybe", "--db", str(demo_path))
    assert "no section with code" in run_failing(capsys, "films", "list", "--section", "NOPE", "--db", str(demo_path))


def test_programmers_list(capsys, demo_path: Path) -> None:
    programmers = run_json(capsys, "programmers", "list", "--db", str(demo_path))
    assert len(programmers) == 5
    assert all(set(p) == {"id", "name"} for p in programmers)


def test_database_from_environment_variable(capsys, demo_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FESTIVAL_DESK_DB", str(demo_path))
    assert run_json(capsys, "info")["database"] == str(demo_path)


def test_missing_database_is_an_error_not_a_new_file(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    assert "no database at" in run_failing(capsys, "info", "--db", str(missing))
    assert not missing.exists()


def test_console_script_reports_errors_on_stderr_with_exit_1(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("hello")
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info", "--db", str(not_a_database)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"festival-desk: error: {not_a_database} is not a Festival Desk database (not an SQLite file)"
