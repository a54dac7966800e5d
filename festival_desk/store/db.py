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
import re
import shutil
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
SUPPORTED = "a file path, sqlite:///FILE or postgresql://USER@HOST/NAME"
# Backups made before upgrades: the newest few of a file are kept, older ones removed.
BACKUPS_KEPT = 3
# Room an upgrade needs besides its backup copy: a migration that rebuilds a table writes its
# pages again into the write-ahead log, up to the file's size, and a little more.
_UPGRADE_MARGIN = 1024 * 1024


def resolve_url(db: str | None = None) -> URL:
    """The database URL to use: `db` (a file path or an SQLAlchemy URL), else the default that
    `store.locations.default_database` chooses. Plain `postgresql://` URLs get the psycopg 3
    driver; relative file paths are made absolute."""
    raw = db or default_database()[0]
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        url = make_url(raw)
    except (sa.exc.ArgumentError, ValueError) as error:
        detail = " (the port must be a number)" if isinstance(error, ValueError) else ""
        raise UserError(f"not a database URL: {_without_password(raw)!r}{detail}; expected {SUPPORTED}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    backend, _, driver = url.drivername.partition("+")
    if (backend, driver) not in (("sqlite", ""), ("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        raise UserError(f"{url.render_as_string(hide_password=True)}: Festival Desk opens SQLite files and "
                        f"PostgreSQL databases, not {url.drivername!r} ones; give {SUPPORTED}")
    if url.port is not None and not 0 < url.port < 65536:
        raise UserError(f"{url.render_as_string(hide_password=True)}: {url.port} is not a port number "
                        "(1 to 65535; PostgreSQL's own is 5432)")
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url


def _without_password(raw: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", raw)


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
    read_only: str | None = None  # why the festival can be read but not written, when it cannot
    _closed: bool = field(default=False, repr=False)

    @property
    def label(self) -> str:
        return describe(self.url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def backup_note(self) -> str | None:
        """The sentence that tells the user where the copy taken before an upgrade is."""
        if self.backup_path is None:
            return None
        return f"a copy of your festival before the upgrade is at {self.backup_path}"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commits when the block ends, rolls everything back on any exception.
        On a read-only festival, and when the file cannot be written (a full disk, read-only
        media), raises `UserError` saying so; nothing is changed."""
        if self.read_only:
            raise UserError(f"{self.label} {self.read_only}: writing is not possible (reading is); "
                            "copy it to a folder you can write to, to change it")
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                with session.begin():
                    if self.is_sqlite:
                        session.connection(execution_options={_WRITE_OPTION: True})
                    yield session
        except sa.exc.OperationalError as error:
            problem = _write_problem(self, error)
            if problem is None:
                raise
            raise problem from None

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


@dataclass(frozen=True)
class _SqliteFile:
    has_data: bool
    read_only: str | None  # why it cannot be written, when it cannot
    uri: str  # how a read-only connection opens it


def _read_only_reason(path: Path) -> str | None:
    """Why the festival file cannot be written (read-only media, a file or folder without write
    permission: SQLite writes its -wal and -shm files beside the festival), or None."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "is on a read-only disk"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "is a read-only file"
    if not os.access(folder, os.W_OK):
        return "is in a folder that cannot be written to"
    return None


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _sqlite_error(path: Path, error: Exception) -> UserError:
    """What an SQLite error on opening `path` means to the user, in one line."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if _disk_full(path.parent):
        return UserError(f"cannot open {path}: the disk holding it is full (SQLite needs a little room beside "
                         "the file even to read it); free some space and try again")
    if "not a database" in reason:
        return UserError(f"{path} is not a Festival Desk database (not an SQLite file)")
    if "locked" in reason or "busy" in reason:
        return UserError(f"cannot open {path}: another program holds it locked ({reason}); try again shortly")
    if "unable to open" in reason or "disk I/O error" in reason or "readonly" in reason:
        if not os.access(path, os.R_OK):
            return UserError(f"cannot open {path}: you may not read it (permission denied)")
        return UserError(f"cannot open {path}: the disk or file system holding it fails ({reason})")
    return UserError(f"{path} is not a Festival Desk database ({reason})")


def _check_sqlite_file(path: Path, create: bool) -> _SqliteFile:
    """How the SQLite file at `path` stands; raises UserError when it cannot be a festival.

    A missing file (or folder) is created only with `create` (the demo and the generator); an
    empty file is a festival only once one is written into it (`create`). A file on read-only
    media or without write permission opens for reading. The file is looked at with `stat` and
    through SQLite only, never with `open()`: another connection of this process (the desk's
    first look, `store.peek`) may hold it (see the module's docstring)."""
    if not path.exists():
        if not create:
            if not path.parent.is_dir():
                raise UserError(f"no database at {path}: the folder {path.parent} does not exist (only "
                                "`festival-desk demo` and `festival-desk generate` create a festival)")
            raise UserError(f"no database at {path} (create one with `festival-desk demo --db {path}` "
                            "or open another file)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise files.write_error(path, error) from None
        return _SqliteFile(False, None, read_only_uri(path))
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a Festival Desk database")
    read_only = _read_only_reason(path)
    if path.stat().st_size == 0:
        if not create:
            raise UserError(f"{path} is an empty file (0 bytes), not a Festival Desk database; "
                            f"`festival-desk demo --db {path}` writes a festival into it")
        if read_only:
            raise UserError(f"cannot write a festival into {path}: it {read_only.removeprefix('is ')}")
        return _SqliteFile(False, None, read_only_uri(path))
    uri = read_only_uri(path)
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        wal = path.with_name(path.name + "-wal")
        has_log = wal.exists() and wal.stat().st_size > 0
        if not read_only or has_log:
            if read_only and has_log:
                raise UserError(f"cannot open {path}: it {read_only.removeprefix('is ')} and holds changes not "
                                f"yet written into it ({wal.name}); open it once where it can be written") from None
            raise _sqlite_error(path, error) from None
        # Read-only media without SQLite's -shm file: nobody can change the file, so it may be
        # read as immutable (SQLite then needs no -shm).
        uri += "&immutable=1"
        try:
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
                connection.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise _sqlite_error(path, error) from None
    return _SqliteFile(True, read_only, uri)


def backups_of(path: Path) -> list[Path]:
    """The backups taken of the festival file `path` before upgrades, oldest first."""
    pattern = re.compile(re.escape(path.name) + r"\.backup-[^/]+-(\d{8}-\d{6})$")
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if (match := pattern.match(entry.name)) and entry.is_file():
                found.append((match.group(1), entry.stat().st_mtime_ns, Path(entry.path)))
    return [backup for _, _, backup in sorted(found)]


def _unchanged_since(path: Path, backup: Path) -> bool:
    """True when nothing was written to the festival file since `backup` was completed: the file
    is older than the backup and has no write-ahead log with content (a failed upgrade rolls back
    without touching the file; any committed change is in the log or, once checkpointed, makes the
    file newer)."""
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return False
        return path.stat().st_mtime_ns < backup.stat().st_mtime_ns
    except OSError:
        return False


def _backup_sqlite(path: Path, revision: str | None) -> Path:
    """A consistent copy of the SQLite file (WAL content included) beside it, before an upgrade,
    made with SQLite's backup API (never a file copy of a file in use) and given its name only
    once it is complete.

    A retry after a failed upgrade takes no second copy: the newest backup of the same revision
    serves when the file has not changed since. The copy is refused in one line, with nothing
    written, when the disk has not the room for it; only the newest `BACKUPS_KEPT` backups of a
    file are kept."""
    label = revision or "none"
    earlier = [backup for backup in backups_of(path) if f".backup-{label}-" in backup.name]
    if earlier and _unchanged_since(path, earlier[-1]):
        return earlier[-1]
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    needed = 2 * size + _UPGRADE_MARGIN  # the copy, then the upgrade's log
    with contextlib.suppress(OSError):
        free = shutil.disk_usage(path.parent).free
        if free < needed:
            raise UserError(f"cannot upgrade {path}: the copy taken before the upgrade and the upgrade need "
                            f"about {files.size_text(needed)} and the disk has {files.size_text(free)} free; "
                            "free some space and open it again (the file is unchanged)")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.backup-{label}-{stamp}")
    try:
        with files.replacing(backup) as temporary:
            with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as source:
                with contextlib.closing(sqlite3.connect(temporary)) as target:
                    source.backup(target)
            os.chmod(temporary, path.stat().st_mode & 0o7777)
    except sqlite3.Error as error:
        if _disk_full(path.parent) or "full" in str(error):
            raise UserError(f"cannot upgrade {path}: the disk filled up while it was copied before the "
                            "upgrade; free some space and open it again (the file is unchanged)") from None
        raise UserError(f"cannot upgrade {path}: copying it before the upgrade failed ({error}); "
                        "the file is unchanged") from None
    for old in backups_of(path)[:-BACKUPS_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
    return backup


def _read_only_sqlite_engine(uri: str, *, pooled: bool = False) -> Engine:
    """An engine whose connections open the file read-only (`uri`); `pooled` for a festival opened
    for reading (with the usual pragmas for reading), else a one-off look."""
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                              poolclass=sa.pool.QueuePool if pooled else sa.pool.NullPool)
    if pooled:
        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA busy_timeout=5000")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(connection):  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN")
    return engine


_WRITE_PROBLEMS = (("readonly", "cannot be written to (read-only)"), ("read-only", "cannot be written to (read-only)"),
                   ("disk is full", "cannot be written to: the disk is full"),
                   ("disk I/O error", "cannot be written to (the disk failed or is full)"))


def _write_problem(database: Database, error: sa.exc.OperationalError) -> UserError | None:
    """A one-line UserError for a write that failed because of the file's medium, else None."""
    reason = str(getattr(error, "orig", None) or error)
    for marker, meaning in _WRITE_PROBLEMS:
        if marker in reason:
            return UserError(f"{database.label} {meaning}; nothing was changed")
    return None


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
    sqlite_file: _SqliteFile | None = None
    live_path = url.database if is_sqlite(url) and url.database not in (None, "", ":memory:") else None
    if live_path is not None:
        sqlite_file = _check_sqlite_file(Path(live_path), create)
        files.claim_live(live_path)  # from the first connection on; released by Database.close
    try:
        return _open_checked(url, sqlite_file=sqlite_file, create=create)
    except BaseException:
        if live_path is not None:
            files.release_live(live_path)
        raise


def _open_checked(url: URL, *, sqlite_file: _SqliteFile | None, create: bool) -> Database:
    # Look before touching: an existing SQLite file is inspected read-only, since even setting
    # the journal mode rewrites its header.
    has_data = sqlite_file is not None and sqlite_file.has_data
    inspector = _read_only_sqlite_engine(sqlite_file.uri) if has_data else create_engine_for(url)
    try:
        with inspector.connect() as connection:
            state = migrations.inspect_schema(connection)
    except sa.exc.DBAPIError as error:
        raise _connection_error(url, error) from None
    except UserError as error:
        raise UserError(f"{describe(url)}: {error}") from None
    finally:
        inspector.dispose()
    read_only = sqlite_file.read_only if sqlite_file is not None else None
    if read_only:
        if state.revision != migrations.head() and state.revision is not None \
                and migrations.is_known(state.revision):
            raise UserError(f"{describe(url)} {read_only} and was written by an older Festival Desk: it needs an "
                            "upgrade, which writes to it; copy it to a folder you can write to and open the copy")
        engine = _read_only_sqlite_engine(sqlite_file.uri, pooled=True)
    else:
        engine = create_engine_for(url)
    database = Database(url=url, engine=engine, read_only=read_only)
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
