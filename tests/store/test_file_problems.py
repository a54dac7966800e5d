"""What opening a festival says about the file itself: each problem its own one line, a read-only
festival opened for reading, only the demo and the generator creating a festival, and the backups
taken before upgrades (announced, reused on a retry, refused without room, kept to the last few)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.core.errors import UserError
from festival_desk.store import db as store_db
from festival_desk.store import migrations
from festival_desk.store.db import BACKUPS_KEPT, backups_of, open_database
from support.schema import database_at_first_revision

CLI = [sys.executable, "-m", "festival_desk.cli"]


def cli(*args: str, check_exit: int | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)
    if check_exit is not None:
        assert done.returncode == check_exit, done.stderr
    return done


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The single stderr line of a refused command (exit 1, no traceback)."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(("url", "expected"), [
    ("mysql://festival@localhost/docs", "not 'mysql' ones"),
    ("foo://bar", "not 'foo' ones"),
    ("postgresql+asyncpg://u@localhost/d", "not 'postgresql+asyncpg' ones"),
    ("postgresql://u:secret@127.0.0.1:99999/d", "99999 is not a port number"),
    ("postgresql://u:secret@127.0.0.1:abc/d", "the port must be a number"),
])
def test_urls_we_cannot_open_are_one_line_without_the_password(url: str, expected: str) -> None:
    with pytest.raises(UserError, match=re.escape(expected)) as raised:
        open_database(url)
    assert "secret" not in str(raised.value) and "\n" not in str(raised.value)


def test_unreachable_server_through_the_cli_is_one_line() -> None:
    line = one_line_error(cli("info", "--db", "postgresql://festival@127.0.0.1:9/festival"))
    assert "cannot open the database at" in line and "127.0.0.1" in line


def test_missing_folder_is_named_and_not_created(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "festival.sqlite"
    for command in (("info",), ("films", "list"), ("submissions", "import", str(tmp_path / "x.csv"))):
        line = one_line_error(cli(*command, "--db", str(target)))
        assert f"the folder {target.parent} does not exist" in line
    assert not (tmp_path / "no").exists()


def test_import_into_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    source = tmp_path / "films.csv"
    source.write_text("Submission ID,Project Title\n1,Frost\n", encoding="utf-8")
    target = tmp_path / "festival.sqlite"
    line = one_line_error(cli("submissions", "import", str(source), "--db", str(target)))
    assert "no database at" in line and "festival-desk demo" in line
    assert not target.exists()


def test_only_demo_and_generate_create_a_festival_and_its_folder(tmp_path: Path) -> None:
    demo = tmp_path / "new" / "demo.sqlite"
    cli("demo", "--db", str(demo), check_exit=0)
    generated = tmp_path / "other" / "gen.sqlite"
    cli("generate", "--films", "20", "--db", str(generated), check_exit=0)
    assert demo.stat().st_size > 0 and generated.stat().st_size > 0


def test_an_empty_file_is_not_turned_into_a_festival(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for command in (("info",), ("films", "list"), ("search", "x")):
        line = one_line_error(cli(*command, "--db", str(empty)))
        assert "is an empty file (0 bytes)" in line
    assert empty.stat().st_size == 0
    cli("demo", "--db", str(empty), check_exit=0)  # the demo may write into it
    assert empty.stat().st_size > 0


def test_two_schema_revisions_recorded_in_the_file_are_one_line(empty_db, db_path: Path) -> None:
    empty_db.close()
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute("INSERT INTO alembic_version VALUES ('0002')")
        connection.commit()
    line = one_line_error(cli("info", "--db", str(db_path)))
    assert str(db_path) in line and "2 schema revisions at once" in line


def test_two_latest_migrations_in_the_installation_are_one_line(db_path: Path, monkeypatch) -> None:
    from festival_desk.store import revisions

    graph = dict(revisions.revision_graph()) | {"9999": "0001"}  # a second branch from the first revision
    monkeypatch.setattr(revisions, "revision_graph", lambda: graph)
    with pytest.raises(UserError, match="broken: its schema migrations end in 2 revisions"):
        open_database(str(db_path), create=True)


# --- read-only media and full disks: small real file systems ------------------------------------


@contextlib.contextmanager
def small_file_system(folder: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` mounted at `folder` (root only; skips where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_festival_on_a_read_only_disk_opens_for_reading(demo_path: Path, tmp_path: Path) -> None:
    with small_file_system(tmp_path / "stick", 64) as stick:
        festival = stick / "festival.sqlite"
        shutil.copyfile(demo_path, festival)
        subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
        info = cli("info", "--db", str(festival), "--json", check_exit=0)
        assert '"films": 59' in info.stdout
        assert "Mariupol" in cli("films", "list", "--db", str(festival), check_exit=0).stdout
        assert "Mariupol" in cli("search", "Mariupol", "--db", str(festival), check_exit=0).stdout
        booklet = tmp_path / "booklet.pdf"
        cli("booklet", "-o", str(booklet), "--db", str(festival), check_exit=0)
        assert booklet.read_bytes().startswith(b"%PDF")
        line = one_line_error(cli("rate", "1", "4", "--as", "Maja Kovačič", "--db", str(festival)))
        assert "is on a read-only disk: writing is not possible (reading is)" in line
        line = one_line_error(cli("export", "csv", "-o", str(stick / "films.csv"), "--db", str(festival)))
        assert "the disk is read-only" in line
        assert sorted(os.listdir(stick)) == ["festival.sqlite"]


def fill(path: Path) -> None:
    """Write zeros to `path` until its disk is full."""
    with contextlib.suppress(OSError), path.open("ab") as filler:
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def test_a_full_disk_is_named_and_leaves_earlier_exports_whole(demo_path: Path, tmp_path: Path) -> None:
    with small_file_system(tmp_path / "small", 32) as small:
        outputs = {name: small / name for name in ("films.csv", "films.xlsx", "schedule.ics", "sheet.pdf")}
        commands = {"films.csv": ("export", "csv", "-o"), "films.xlsx": ("export", "xlsx", "-o"),
                    "schedule.ics": ("schedule", "export", "--ics"), "sheet.pdf": ("shortlist", "sheet", "-o")}
        for name, command in commands.items():
            cli(*command, str(outputs[name]), "--db", str(demo_path), check_exit=0)
        before = {name: path.read_bytes() for name, path in outputs.items()}
        fill(small / "filler")
        for name, command in commands.items():
            line = one_line_error(cli(*command, str(outputs[name]), "--db", str(demo_path)))
            assert "the disk is full; any earlier file there is unchanged" in line
        assert {name: path.read_bytes() for name, path in outputs.items()} == before
        assert sorted(os.listdir(small)) == sorted([*outputs, "filler"])  # no temporary left behind
        # a festival on the full disk: its own message, not "not a Festival Desk database"
        (small / "filler").unlink()
        festival = small / "festival.sqlite"
        cli("generate", "--films", "30", "--db", str(festival), check_exit=0)
        fill(small / "filler")
        done = cli("rate", "1", "4", "--as", "Maja", "--db", str(festival))
        line = one_line_error(done)
        assert "full" in line and "not a Festival Desk database" not in line


# --- backups before upgrades -------------------------------------------------------------------


def test_the_upgrade_backup_is_announced_on_the_command_line(db_path: Path) -> None:
    first = database_at_first_revision(db_path)
    done = cli("info", "--db", str(db_path), "--json", check_exit=0)
    [backup] = backups_of(db_path)
    assert f"festival-desk: a copy of your festival before the upgrade is at {backup}" in done.stderr
    assert first in backup.name
    assert '"films": 0' in done.stdout  # stdout stays JSON


def _failing_upgrade(monkeypatch) -> None:
    real_upgrade = migrations.upgrade

    def upgrade_then_fail(connection, revision="head"):
        real_upgrade(connection, revision)
        raise sa.exc.OperationalError("simulated", {}, Exception("a migration step failed"))

    monkeypatch.setattr(migrations, "upgrade", upgrade_then_fail)


def test_a_retried_failed_upgrade_takes_no_second_copy(db_path: Path, monkeypatch) -> None:
    database_at_first_revision(db_path)
    _failing_upgrade(monkeypatch)
    for _ in range(3):
        with pytest.raises(UserError, match="a migration step failed"):
            open_database(str(db_path))
    assert len(backups_of(db_path)) == 1


def test_a_changed_file_gets_a_new_copy_and_only_the_last_few_are_kept(db_path: Path, monkeypatch) -> None:
    first = database_at_first_revision(db_path)
    for stamp in ("20240101-000000", "20240102-000000", "20240103-000000", "20240104-000000"):
        shutil.copyfile(db_path, db_path.with_name(f"{db_path.name}.backup-{first}-{stamp}"))
    with contextlib.closing(sqlite3.connect(db_path)) as connection:  # a change since the last copy
        connection.execute("CREATE TABLE IF NOT EXISTS touched (x)")
        connection.execute("DROP TABLE touched")
        connection.commit()
    os.utime(db_path)
    database = open_database(str(db_path))
    database.close()
    kept = backups_of(db_path)
    assert len(kept) == BACKUPS_KEPT
    assert kept[-1] == database.backup_path and "20240104-000000" in kept[-2].name


def test_no_room_for_the_backup_is_refused_before_anything_is_written(db_path: Path, monkeypatch) -> None:
    first = database_at_first_revision(db_path)
    before = db_path.read_bytes()
    monkeypatch.setattr(store_db.shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(10**9, 10**9, 4096))
    with pytest.raises(UserError, match="the upgrade need about .* and the disk has 4 KB free"):
        open_database(str(db_path))
    assert backups_of(db_path) == [] and db_path.read_bytes() == before
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
    assert not [name for name in os.listdir(db_path.parent) if "partial" in name]


def test_read_only_festival_that_needs_an_upgrade_says_so(db_path: Path, monkeypatch) -> None:
    database_at_first_revision(db_path)
    monkeypatch.setattr(store_db, "_read_only_reason", lambda _path: "is on a read-only disk")
    with pytest.raises(UserError, match="needs an upgrade, which writes to it"):
        open_database(str(db_path))
    assert backups_of(db_path) == []



def test_an_upgrade_on_a_nearly_full_disk_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    with small_file_system(tmp_path / "small", 4) as small:
        festival = small / "festival.sqlite"
        first = database_at_first_revision(festival)
        before = festival.read_bytes()
        fill(small / "filler")
        filler = small / "filler"
        os.truncate(filler, filler.stat().st_size - len(before))  # room for one copy, not for the upgrade too
        line = one_line_error(cli("info", "--db", str(festival)))
        assert f"cannot upgrade {festival}" in line and "free some space" in line
        assert festival.read_bytes() == before and backups_of(festival) == []
        (small / "filler").unlink()
        done = cli("info", "--db", str(festival), check_exit=0)
        [backup] = backups_of(festival)
        assert first in backup.name and str(backup) in done.stderr
