"""The foundation's command-line contract: demo, info, films list, programmers list, and errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path




def test_info_counts_what_the_demo_holds(cli, demo_path: Path) -> None:
    info = cli.json("info", "--db", str(demo_path))
    assert info["films"] >= 40
    assert info["sections"] >= 3
    assert info["programmers"] == 5
    assert info["venues"] == 4 and info["screens"] == 6
    assert info["screenings"] >= 80
    assert info["reviews"] == 10 and info["critics"] == 10
    assert info["pull_quotes"] >= 10
    assert info["ratings"] > 0 and info["notes"] > 0
    assert info["schema_revision"]


def test_demo_refuses_to_overwrite_without_force(cli, demo_path: Path) -> None:
    before = cli.json("info", "--db", str(demo_path))
    error = cli.fails("demo", "--db", str(demo_path))
    assert "--force" in error
    assert cli.json("info", "--db", str(demo_path)) == before
    replaced = cli.json("demo", "--db", str(demo_path), "--force")
    assert replaced["films"] == before["films"]
    assert cli.json("info", "--db", str(demo_path))["films"] == before["films"]


def test_films_list_sorts_by_sort_title_and_filters(cli, demo_path: Path) -> None:
    films = cli.json("films", "list", "--db", str(demo_path))
    red_soul = next(f for f in films if f["title"] == "The Red Soul")
    assert red_soul["sort_title"] == "Red Soul"
    assert red_soul["directors"] == ["Jessica Gorter"]
    assert red_soul["countries"] == ["NL"] and red_soul["year"] == 2017
    assert red_soul["original_title"] == "Красная душа"
    assert set(red_soul) == {"id", "title", "original_title", "sort_title", "directors", "countries", "year",
                             "runtime", "section", "status", "mean", "spread", "ratings"}
    from festival_desk.core.text import sort_key

    keys = [sort_key(f["sort_title"]) for f in films]
    assert keys == sorted(keys)
    selected = cli.json("films", "list", "--status", "selected", "--db", str(demo_path))
    assert selected and all(f["status"] == "selected" for f in selected)
    section = red_soul["section"]
    in_section = cli.json("films", "list", "--section", section, "--db", str(demo_path))
    assert red_soul["id"] in {f["id"] for f in in_section}
    assert all(f["section"] == section for f in in_section)


def test_films_list_refuses_unknown_status_and_section(cli, demo_path: Path) -> None:
    assert "valid statuses" in cli.fails("films", "list", "--status", "maybe", "--db", str(demo_path))
    assert "no section with code" in cli.fails("films", "list", "--section", "NOPE", "--db", str(demo_path))


def test_programmers_list(cli, demo_path: Path) -> None:
    programmers = cli.json("programmers", "list", "--db", str(demo_path))
    assert len(programmers) == 5
    assert all(set(p) == {"id", "name"} for p in programmers)


def test_database_from_environment_variable(cli, demo_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FESTIVAL_DESK_DB", str(demo_path))
    assert cli.json("info")["database"] == str(demo_path)


def test_missing_database_is_an_error_not_a_new_file(cli, tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    assert "no database at" in cli.fails("info", "--db", str(missing))
    assert not missing.exists()


def test_console_script_reports_errors_on_stderr_with_exit_1(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("hello")
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info", "--db", str(not_a_database)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"festival-desk: error: {not_a_database} is not a Festival Desk database (not an SQLite file)"
