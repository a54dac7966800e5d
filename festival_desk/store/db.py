"""Opening a festival database: where it lives, checking it is ours, migrating it, transactions.

`open_database` is the one way in. It guarantees that the returned database is at the schema
revision this version of Festival Desk expects (upgrading an older one after a backup copy), or it
raises `UserError` with a one-line reason and leaves the file untouched.

The rule for SQLite files: **once any SQLite connection of this process may have a festival file
open, nothing opens that file with plain file I/O** (`open()`, a file copy, an image or export
library). On POSIX, closing any descriptor of a file drops every lock the process holds on it,
SQLite's included; another process may then checkpoint and delete the write-ahead log under our
connection, and our acknowledged writes are lost or the file is corrupted ("How To Corrupt An SQLite
Database File", section 2.2). So the file is inspected through SQLite itself (its header, its
schema), copied through SQLite's backup API, and registered as live (`core.files.claim_live`) for
as long as a connection of ours may hold it, so that `core.files` refuses to read or write it as an
input or output file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import Session

from festival_desk.core import files
from festival_desk.core.errors import UserError
from festival_desk.store import migrations
from festival_desk.store.locations import (  # noqa: F401  (part of this module's interface)
    APP_NAME, DB_ENV_VAR, data_dir, default_database, default_database_path, demo_database_path,
)
from festival_desk.store import search as _search  # noqa: F401  (registers the index-sync listeners)
from festival_desk.store.peek import read_only_uri

SQLITE_HEADER = b"SQLite format 3\x00"


def resolve_url(db: str | None = None) -> URL:
    """The database URL to use: `db` (a file path or an SQLAlchemy URL), else the default that
    `store.locations.default_database` chooses. Plain `postgresql://` URLs get the psycopg 3
    driver; relative file paths are made absolute."""
    raw = db or default_database()[0]
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        url = make_url(raw)
    except sa.exc.ArgumentError:
        raise UserError(f"not a database URL: {raw!r} (expected a file path, sqlite:///FILE or "
                        "postgresql://USER@HOST/NAME)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url


def describe(url: URL) -> str:
    """The URL as shown to a user: a file path, or the URL without its password."""
    if is_sqlite(url):
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


_WRITE_OPTION = "festival_desk_write"


def _sqlite_connect_hooks(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions start, so that DDL is
        # transactional too: a failed migration rolls back completely.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A write transaction takes the write lock at its start, so that it waits its turn (busy
        # timeout) instead of failing when a read lock must be upgraded while another process writes.
        immediate = connection.get_execution_options().get(_WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine_for(url: URL) -> Engine:
    """An engine with the project's connection settings (SQLite pragmas; PostgreSQL pre-ping)."""
    if is_sqlite(url):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        _sqlite_connect_hooks(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def parameter_marker(dialect: sa.Dialect) -> str:
    """The positional parameter marker of the dialect's driver: "?" for sqlite3 (qmark), "%s" for
    psycopg (format/pyformat). Plain SQL run on a driver cursor uses only this one."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


@dataclass
class Database:
    """An open, migrated festival database. Sessions are short-lived: one per user action."""

    url: URL
    engine: Engine
    backup_path: Path | None = None  # set when opening took a backup before an upgrade
    upgraded_from: str | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def label(self) -> str:
        return describe(self.url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commits when the block ends, rolls everything back on any exception."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                if self.is_sqlite:
                    session.connection(execution_options={_WRITE_OPTION: True})
                yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed. Objects loaded in it stay
        readable (detached, not expired) after the block."""
        with Session(self.engine, expire_on_commit=False, autoflush=False) as session:
            yield session

    @contextlib.contextmanager
    def cursor(self) -> Iterator[tuple[Any, str]]:
        """(a driver cursor, its parameter marker "?" or "%s") on a pooled connection, for reads on
        hot paths such as a page of the film table: no Session or SQLAlchemy statement is built.
        The reads see committed data only; nothing is committed (the pool rolls back on return)."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                yield cursor, parameter_marker(self.engine.dialect)
            finally:
                cursor.close()
        finally:
            connection.close()

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return migrations.current_revision(connection)

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True
            if self.is_sqlite and self.url.database not in (None, "", ":memory:"):
                files.release_live(self.url.database)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()


def _check_sqlite_file(path: Path, create: bool) -> bool:
    """True when the file exists and holds data; raises UserError when it is not an SQLite file.

    The file is looked at with `stat` and through SQLite only, never with `open()`: another
    connection of this process (the desk's first look, `store.peek`) may hold it (see the module's
    docstring)."""
    if not path.exists():
        if not create:
            raise UserError(f"no database at {path} (create one with `festival-desk demo --db {path}` "
                            "or open another file)")
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        return False
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a Festival Desk database")
    if path.stat().st_size == 0:
        return False
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            raise UserError(f"{path} is not a Festival Desk database (not an SQLite file)") from None
        raise UserError(f"{path} is not a Festival Desk database ({error})") from None
    return True


def _backup_sqlite(path: Path, revision: str | None) -> Path:
    """A consistent copy of the SQLite file (WAL content included) beside it, before an upgrade,
    made with SQLite's backup API (never a file copy of a file in use) and given its name only
    once it is complete."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.backup-{revision or 'none'}-{stamp}")
    with files.replacing(backup) as temporary:
        with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as source:
            with contextlib.closing(sqlite3.connect(temporary)) as target:
                source.backup(target)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
    return backup


def _read_only_sqlite_engine(path: Path) -> Engine:
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(read_only_uri(path), uri=True),
                            poolclass=sa.pool.NullPool)


def _connection_error(url: URL, error: Exception) -> UserError:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if is_sqlite(url):
        return UserError(f"{describe(url)} is not a Festival Desk database ({reason})")
    return UserError(f"cannot open the database at {describe(url)}: {reason}")


def _upgrade(database: Database) -> None:
    """Run the missing migrations in one transaction.

    On SQLite, foreign keys are off while the migrations run: a batch migration recreates a table
    by dropping the old one, which with foreign keys on would cascade-delete every row that refers
    to it. The keys are checked before the transaction commits instead.
    """
    with database.engine.connect() as connection:
        raw = connection.connection.driver_connection if database.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # only possible outside a transaction
        try:
            with connection.begin():
                migrations.upgrade(connection)
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise UserError(f"upgrading {database.label} would break {len(broken)} references "
                                        f"(first in table {broken[0][0]}); the file is left as it was")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def open_database(db: str | URL | None = None, *, create: bool = False) -> Database:
    """Open (and if needed create or upgrade) the festival database named by `db`.

    - `create=False`: a missing SQLite file is an error; `create=True` creates an empty database.
    - A file that is not SQLite, an SQLite file without our schema, a schema from a newer version,
      or an unreachable server raise `UserError`; nothing is modified.
    - An older schema is upgraded after a backup copy of a SQLite file is written beside it; the
      upgrade runs in one transaction, so a failure leaves the original file and the backup intact.
    """
    url = db if isinstance(db, URL) else resolve_url(db)
    has_data = False
    live_path = url.database if is_sqlite(url) and url.database not in (None, "", ":memory:") else None
    if live_path is not None:
        has_data = _check_sqlite_file(Path(live_path), create)
        files.claim_live(live_path)  # from the first connection on; released by Database.close
    try:
        return _open_checked(url, has_data=has_data, create=create)
    except BaseException:
        if live_path is not None:
            files.release_live(live_path)
        raise


def _open_checked(url: URL, *, has_data: bool, create: bool) -> Database:
    # Look before touching: an existing SQLite file is inspected read-only, since even setting
    # the journal mode rewrites its header.
    inspector = _read_only_sqlite_engine(Path(url.database)) if has_data else create_engine_for(url)
    try:
        with inspector.connect() as connection:
            state = migrations.inspect_schema(connection)
    except sa.exc.DBAPIError as error:
        raise _connection_error(url, error) from None
    finally:
        inspector.dispose()
    engine = create_engine_for(url)
    database = Database(url=url, engine=engine)
    try:
        if state.foreign_tables and state.revision is None:
            raise UserError(f"{describe(url)} is not a Festival Desk database "
                            f"(it holds other tables: {', '.join(sorted(state.foreign_tables)[:5])})")
        if state.revision is not None and not migrations.is_known(state.revision):
            raise UserError(f"{describe(url)} was written by a newer Festival Desk (schema revision "
                            f"{state.revision}); this version understands up to {migrations.head()}. "
                            "Update Festival Desk to open it.")
        if state.revision != migrations.head():
            if state.revision is None and not create and not has_data and not database.is_sqlite:
                raise UserError(f"{describe(url)} holds no Festival Desk database "
                                "(create one with `festival-desk demo --db URL`)")
            if state.revision is not None and database.is_sqlite:
                database.backup_path = _backup_sqlite(Path(url.database), state.revision)
            database.upgraded_from = state.revision
            _upgrade(database)
    except UserError:
        database.engine.dispose()
        raise
    except sa.exc.DBAPIError as error:
        database.engine.dispose()
        raise _connection_error(url, error) from None
    return database
