"""The command line beside the desk: the committee's names (no member created silently; add, rename,
merge), the festival the desk uses as the default, help without the database stack, bad ratings,
and the files it writes."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), **extra}


def test_unknown_names_are_refused_naming_the_nearest_members(cli, demo_path: Path) -> None:
    db = str(demo_path)
    error = cli.fails("rate", "1", "4", "--as", "Maja", "--db", db)
    assert "no committee member called 'Maja'" in error and "'Maja Kovačič'" in error
    assert "programmers add" in error
    assert len(cli.json("programmers", "list", "--db", db)) == 5  # nothing created
    cli.json("rate", "1", "4", "--as", "maja kovacic", "--db", db)  # case and accents aside: her
    assert "empty" in cli.fails("programmers", "add", "   ", "--db", db)
    assert "already on the committee" in cli.fails("programmers", "add", "MAJA KOVACIC", "--db", db)


def test_a_duplicate_is_added_renamed_and_merged_back(cli, demo_path: Path) -> None:
    db = str(demo_path)
    added = cli.json("programmers", "add", "Maja K.", "--db", db)
    cli.json("rate", "2", "5", "--as", "Maja K.", "--note", "Seen at the market screening.", "--db", db)
    renamed = cli.json("programmers", "rename", str(added["id"]), "Maja Kovačič (2)", "--db", db)
    assert renamed["name"] == "Maja Kovačič (2)" and renamed["previous_name"] == "Maja K."
    members = {row["name"]: row["id"] for row in cli.json("programmers", "list", "--db", db)}
    merged = cli.json("programmers", "merge", str(added["id"]), str(members["Maja Kovačič"]), "--db", db)
    assert merged["notes"] == 1
    assert len(cli.json("programmers", "list", "--db", db)) == 5
    assert "no programmer with id" in cli.fails("programmers", "merge", "999", str(members["Maja Kovačič"]),
                                                "--db", db)


@pytest.mark.parametrize("score", ["6", "0", "four", "4.5"])
def test_a_bad_rating_is_one_line_and_exit_1(cli, demo_path: Path, score: str) -> None:
    error = cli.fails("rate", "1", score, "--as", "Maja Kovačič", "--db", str(demo_path))
    assert "score" in error.lower() or "SCORE" in error


def test_the_command_line_uses_the_festival_the_desk_opened_last(tmp_path: Path, demo_path: Path) -> None:
    home = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "festival_desk.cli", *argv], capture_output=True, text=True,
                              env=_env(**home), timeout=120)

    from festival_desk.store import locations

    os.environ.update(home)
    try:
        locations.remember_current(str(demo_path))  # what the desk does when it opens a festival
    finally:
        for key in home:
            os.environ.pop(key)
    shown = run("info")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == f"{demo_path} (the festival the desk last opened)"
    assert "films: 59" in shown.stdout
    assert run("search", "red soul", "--json").returncode == 0
    assert "The Red Soul" in run("films", "list").stdout
    helped = run("--help")
    assert "the festival the desk last opened" in " ".join(helped.stdout.split())


def test_the_demo_is_the_default_when_it_is_the_only_festival(tmp_path: Path) -> None:
    home = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    demo = subprocess.run([sys.executable, "-m", "festival_desk.cli", "demo"], capture_output=True, text=True,
                          env=_env(**home), timeout=300)
    assert demo.returncode == 0, demo.stderr
    info = subprocess.run([sys.executable, "-m", "festival_desk.cli", "info"], capture_output=True, text=True,
                          env=_env(**home), timeout=120)
    assert "demo.sqlite (the demo festival, the only festival in your data folder)" in info.stdout


@pytest.mark.parametrize("argv", [["--help"], ["info", "--help"], ["booklet", "--help"], ["review", "--help"],
                                  ["schedule", "--help"], ["submissions", "import", "--help"]])
def test_help_loads_no_database_or_pdf_stack(argv: list[str]) -> None:
    script = ("import sys\nfrom festival_desk.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
              "heavy = sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'reportlab', 'openpyxl', 'docx', "
              "'PySide6', 'PIL') if m in sys.modules)\nprint('HEAVY', heavy)\n" % argv)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=60)
    assert "HEAVY []" in result.stdout, result.stdout[-400:]


def test_written_files_get_the_umask_permissions_and_no_temporary_stays(cli, demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old_umask = os.umask(0o022)
    try:
        cli.json("export", "csv", "-o", str(out / "films.csv"), "--db", str(demo_path))
        cli.json("shortlist", "sheet", "-o", str(out / "sheet.pdf"), "--db", str(demo_path))
        cli.json("schedule", "export", "--ics", str(out / "festival.ics"), "--db", str(demo_path))
    finally:
        os.umask(old_umask)
    for name in ("films.csv", "sheet.pdf", "festival.ics"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name
    assert sorted(path.name for path in out.iterdir()) == ["festival.ics", "films.csv", "sheet.pdf"]


def test_a_killed_writer_leaves_no_temporary_after_the_next_build(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    out.mkdir()
    target = out / "booklet.pdf"
    target.write_bytes(b"%PDF-1.4 the previous booklet")
    # A real process killed halfway through writing the booklet: its temporary stays behind, the
    # previous booklet is untouched.
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal\nfrom festival_desk.core import files\n"
        f"with files.replacing({str(target)!r}) as temporary:\n"
        "    open(temporary, 'wb').write(b'%PDF-1.7 half a booklet')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")], env=_env(), timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"%PDF-1.4 the previous booklet"
    assert len(list(out.iterdir())) == 2
    done = subprocess.run([sys.executable, "-m", "festival_desk.cli", "booklet", "-o", str(target), "--db",
                           str(demo_path), "--json"], env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == ["booklet.pdf"]
    assert target.read_bytes().startswith(b"%PDF") and b"previous" not in target.read_bytes()[:40]
