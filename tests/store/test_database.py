"""Opening festival databases: creation, refusal of foreign files, upgrades with backups, and the
agreement of models and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from festival_desk.core.errors import UserError
from festival_desk.store import migrations
from festival_desk.store.db import open_database, resolve_url
from festival_desk.store.models import Film
from support.schema import database_at_first_revision


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_sqlite_database_is_at_head_with_wal_and_foreign_keys(db_path: Path) -> None:
    database = open_database(str(db_path), create=True)
    try:
        assert database.revision() == migrations.head()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()
    assert db_path.exists()


def test_missing_file_is_refused_unless_asked_to_create(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(UserError, match="no database at"):
        open_database(str(missing))
    assert not missing.exists()


def test_foreign_key_violation_rolls_back_the_whole_action(empty_db) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        with empty_db.transaction() as session:
            session.add(Film(title="Kept?", sort_title="Kept?", sort_key="kept"))
            session.add(Film(title="Orphan", sort_title="Orphan", sort_key="orphan", section_id=999))
    with empty_db.reading() as session:
        assert session.exec(select(Film)).all() == []


def test_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n")
    before = digest(path)
    with pytest.raises(UserError, match="not a Festival Desk database"):
        open_database(str(path))
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE bookmarks (url TEXT)")
    connection.execute("INSERT INTO bookmarks VALUES ('x')")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(UserError, match="other tables: bookmarks"):
        open_database(str(path))
    assert digest(path) == before


def test_database_from_a_newer_version_is_refused_and_left_untouched(db_path: Path) -> None:
    open_database(str(db_path), create=True).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    connection.commit()
    connection.close()
    before = digest(db_path)
    with pytest.raises(UserError, match="newer Festival Desk"):
        open_database(str(db_path))
    assert digest(db_path) == before


def test_older_database_is_backed_up_then_upgraded(db_path: Path) -> None:
    first = database_at_first_revision(db_path)
    before = digest(db_path)
    database = open_database(str(db_path))
    try:
        assert database.revision() == migrations.head()
        assert database.upgraded_from == first
        assert database.backup_path is not None and database.backup_path.exists()
        assert first in database.backup_path.name
    finally:
        database.close()
    backup = sqlite3.connect(database.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
    backup.close()
    assert digest(db_path) != before


def test_failed_upgrade_leaves_original_and_backup_intact(db_path: Path, monkeypatch) -> None:
    first = database_at_first_revision(db_path)
    real_upgrade = migrations.upgrade

    def upgrade_then_fail(connection, revision="head"):
        real_upgrade(connection, revision)
        raise sa.exc.OperationalError("simulated", {}, Exception("disk full during migration"))

    monkeypatch.setattr(migrations, "upgrade", upgrade_then_fail)
    with pytest.raises(UserError, match="disk full"):
        open_database(str(db_path))
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
    connection.close()
    backups = list(db_path.parent.glob(f"{db_path.name}.backup-{first}-*"))
    assert len(backups) == 1
    check = sqlite3.connect(backups[0])
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_unreachable_postgresql_is_one_clear_line() -> None:
    with pytest.raises(UserError) as raised:
        open_database("postgresql://festival@127.0.0.1:9/festival")
    message = str(raised.value)
    assert "cannot open the database at" in message and "127.0.0.1" in message
    assert "\n" not in message


def test_plain_postgresql_url_uses_psycopg3() -> None:
    assert resolve_url("postgresql://u:secret@db.example/f").drivername == "postgresql+psycopg"


def _model_migration_differences(url: str) -> list:
    database = open_database(url, create=True)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": migrations.include_name, "compare_type": True}
            )
            return compare_metadata(context, SQLModel.metadata)
    finally:
        database.close()


def test_models_and_migrations_agree_on_sqlite(db_path: Path) -> None:
    assert _model_migration_differences(str(db_path)) == []


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgresql(postgres_url: str) -> None:
    assert _model_migration_differences(postgres_url) == []


@pytest.mark.postgres
def test_postgresql_database_round_trip(postgres_url: str) -> None:
    database = open_database(postgres_url, create=True)
    try:
        with database.transaction() as session:
            session.add(Film(title="Красная душа", sort_title="Красная душа", sort_key="красная душа"))
        with database.reading() as session:
            assert [f.title for f in session.exec(select(Film))] == ["Красная душа"]
        assert database.revision() == migrations.head()
    finally:
        database.close()


def test_upgrade_runs_with_foreign_keys_off_and_turns_them_back_on(db_path: Path, monkeypatch) -> None:
    """A batch migration that recreates a table must not cascade-delete the rows referring to it."""
    database_at_first_revision(db_path)
    seen = []
    real_upgrade = migrations.upgrade

    def recording_upgrade(connection, revision="head"):
        seen.append(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
        real_upgrade(connection, revision)

    monkeypatch.setattr(migrations, "upgrade", recording_upgrade)
    database = open_database(str(db_path))
    try:
        assert seen == [0]
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()


def test_revision_graph_read_from_the_files_is_the_one_alembic_reads() -> None:
    scripts = migrations.alembic_scripts()
    assert migrations.revision_graph() == {rev.revision: rev.down_revision for rev in scripts.walk_revisions()}
    assert migrations.head() == scripts.get_current_head()


def test_opening_a_current_database_does_not_load_alembic(db_path: Path) -> None:
    open_database(str(db_path), create=True).close()
    probe = (
        "import sys; from festival_desk.store.db import open_database; "
        f"open_database({str(db_path)!r}).close(); "
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
