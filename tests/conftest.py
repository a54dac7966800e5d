"""Fixtures shared by the whole suite: real database files (SQLite, and PostgreSQL when a server is
given), the demo festival, and the path of the shared reference material."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
PG_ENV_VAR = "FESTIVAL_DESK_TEST_PG_URL"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data folder, settings, cache or $FESTIVAL_DESK_DB."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FESTIVAL_DESK_DB", raising=False)


@pytest.fixture
def seed_review_dir() -> Path:
    """The shared folder of real critic reviews; tests using it skip where it is absent."""
    folder = SHARED_DIR / "seed"
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        pytest.skip(f"no reference reviews at {folder}")
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "festival.sqlite"


@pytest.fixture
def empty_db(db_path: Path) -> Iterator["Database"]:  # noqa: F821
    """A new, migrated, empty SQLite festival database in a temporary folder."""
    from festival_desk.store.db import open_database

    database = open_database(str(db_path), create=True)
    yield database
    database.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from festival_desk.actions.demo import create_demo
    from festival_desk.store.db import open_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    database = open_database(str(path), create=True)
    create_demo(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo festival database file (built once per test session)."""
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(_demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator["Database"]:  # noqa: F821
    """The demo festival, opened; each test gets its own copy to change."""
    from festival_desk.store.db import open_database

    database = open_database(str(demo_path))
    yield database
    database.close()


@pytest.fixture(scope="session")
def _generated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from festival_desk.actions.generate import generate_festival
    from festival_desk.store.db import open_database

    path = tmp_path_factory.mktemp("generated-template") / "generated.sqlite"
    database = open_database(str(path), create=True)
    generate_festival(database, films=300, seed=15)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def generated_path(_generated_template: Path, tmp_path: Path) -> Path:
    """A private copy of a generated 300-film festival (`festival-desk generate --films 300 --seed
    15`), built once per test session."""
    target = tmp_path / "generated.sqlite"
    shutil.copyfile(_generated_template, target)
    return target


def postgres_admin_url() -> str:
    url = os.environ.get(PG_ENV_VAR)
    if not url:
        pytest.skip(f"no PostgreSQL server given (set {PG_ENV_VAR}=postgresql://USER@HOST/DB)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the server named by $FESTIVAL_DESK_TEST_PG_URL,
    dropped after the test. Skips with a reason when no server is given."""
    import sqlalchemy as sa

    from festival_desk.store.db import resolve_url

    admin_url = resolve_url(postgres_admin_url())
    name = f"fd_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


class CommandLine:
    """Runs `festival-desk` in-process as a script would, checking the CLI contract on the way:
    success prints JSON on stdout; a user error is one `festival-desk: error:` line on stderr,
    no traceback, exit code 1."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def json(self, *argv: str):
        import json

        from festival_desk.cli import main

        code = main([*argv, "--json"])
        captured = self._capsys.readouterr()
        assert code == 0, captured.err
        return json.loads(captured.out)

    def fails(self, *argv: str) -> str:
        from festival_desk.cli import main

        code = main(list(argv))
        captured = self._capsys.readouterr()
        assert code == 1
        assert "Traceback" not in captured.err
        assert captured.err.startswith("festival-desk: error: ") and captured.err.count("\n") == 1
        return captured.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CommandLine:
    return CommandLine(capsys)
