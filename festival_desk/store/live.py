"""Telling an open desk (or `festival-desk changes --follow`) when the change log may have grown.

One small interface, no Qt: a `LogWatcher` has `check()` (non-blocking: has anything happened
since the last check?), `wait(timeout)` (blocking, for the command line), and either `fileno()`
(a socket to watch: the desk hands it to a QSocketNotifier) or `poll_seconds` (how often to call
`check()`: the desk runs a QTimer). What to do about it is the caller's: read the log since the
last entry it has seen (`store.changelog.read_since`).

- PostgreSQL (`PostgresWatcher`): a connection of its own that LISTENs to the channel the writers
  NOTIFY at commit. A lost connection (server restart, a killed backend, a dropped network) is
  noticed at the next check or ping and re-opened by itself, at most every RECONNECT_SECONDS;
  since NOTIFY is never replayed, the first check after a reconnect says `RECONNECTED`, on which
  the caller reloads everything.
- SQLite (`SqliteWatcher`): `PRAGMA data_version` on a read-only connection of its own, which
  changes whenever another connection commits to the file; a few microseconds a check.
"""

from __future__ import annotations

import contextlib
import enum
import select
import sqlite3
import time
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from festival_desk.store.changelog import NOTIFY_CHANNEL
from festival_desk.store.peek import read_only_uri

if TYPE_CHECKING:
    from festival_desk.store.db import Database

SQLITE_POLL_SECONDS = 0.25
RECONNECT_SECONDS = 2.0
PING_SECONDS = 15.0
LISTENER_NAME = "festival-desk listener"


class Wake(enum.Enum):
    QUIET = "quiet"  # nothing new
    GROWN = "grown"  # the log may have grown: read it since the last entry seen
    RECONNECTED = "reconnected"  # the listener was lost and is back: reload everything
    LOST = "lost"  # no connection to the server right now (retrying)


class LogWatcher(Protocol):
    poll_seconds: float | None

    def fileno(self) -> int | None: ...

    def check(self) -> Wake: ...

    def wait(self, timeout: float) -> Wake: ...

    def close(self) -> None: ...


class SqliteWatcher:
    """Polls `PRAGMA data_version` of the festival file."""

    poll_seconds: float | None = SQLITE_POLL_SECONDS

    def __init__(self, path: str) -> None:
        # Through SQLite only (never plain file I/O on a live festival file, see store.db).
        self._connection: sqlite3.Connection | None = sqlite3.connect(
            read_only_uri(path), uri=True, check_same_thread=False, timeout=1.0)
        self._version = self._read()

    def _read(self) -> int | None:
        if self._connection is None:
            return None
        try:
            return self._connection.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return None

    def fileno(self) -> int | None:
        return None

    def check(self) -> Wake:
        version = self._read()
        if version is None:
            return Wake.LOST
        if version != self._version:
            self._version = version
            return Wake.GROWN
        return Wake.QUIET

    def wait(self, timeout: float) -> Wake:
        deadline = time.monotonic() + timeout
        while True:
            state = self.check()
            if state is not Wake.QUIET or time.monotonic() >= deadline:
                return state
            time.sleep(min(SQLITE_POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def libpq_conninfo(url: sa.URL) -> str:
    """The URL as libpq takes it (password included when the URL has one; otherwise libpq's own
    PGPASSWORD / PGPASSFILE apply)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresWatcher:
    """LISTENs on a connection of its own; reconnects by itself."""

    poll_seconds: float | None = None

    def __init__(self, url: sa.URL, *, client: str = "", reconnect_in_check: bool = True,
                 connect_timeout: int = 5) -> None:
        """`client` goes into the connection's application name (colleagues see which desks
        are open). With `reconnect_in_check` False, `check()` never blocks: the caller runs
        `reconnect()` off its event loop when the connection is lost."""
        self._conninfo = libpq_conninfo(url)
        self._application_name = f"{LISTENER_NAME} {client}".strip()
        self._connect_timeout = connect_timeout
        self._reconnect_in_check = reconnect_in_check
        self._connection = None
        self._last_attempt = 0.0
        self._last_ping = time.monotonic()
        self._came_back = False
        self._connect()
        if self._connection is None:
            raise ConnectionError("cannot listen for colleagues' changes: the server does not answer")

    def _connect(self) -> bool:
        import psycopg

        self._last_attempt = time.monotonic()
        try:
            connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=self._connect_timeout,
                                         application_name=self._application_name, keepalives=1,
                                         keepalives_idle=10, keepalives_interval=5, keepalives_count=3)
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error:
            return False
        self._last_ping = time.monotonic()
        self._connection = connection
        return True

    def reconnect(self) -> bool:
        """Open the listening connection again (blocking up to the connect timeout); the next
        `check()` then says RECONNECTED. True when it is back."""
        if self._connection is not None:
            return True
        if self._connect():
            self._came_back = True
            return True
        return False

    @property
    def backend_pid(self) -> int | None:
        """The server process of the listening connection (tests kill it)."""
        return self._connection.info.backend_pid if self._connection is not None else None

    def fileno(self) -> int | None:
        return self._connection.fileno() if self._connection is not None else None

    def _lose(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None

    def check(self) -> Wake:
        import psycopg

        if self._came_back:
            self._came_back = False
            return Wake.RECONNECTED
        if self._connection is None:
            if not self._reconnect_in_check or time.monotonic() - self._last_attempt < RECONNECT_SECONDS \
                    or not self._connect():
                return Wake.LOST
            return Wake.RECONNECTED
        pgconn = self._connection.pgconn
        try:
            pgconn.consume_input()
            grown = False
            while pgconn.notifies() is not None:
                grown = True
            if time.monotonic() - self._last_ping > PING_SECONDS:
                self._connection.execute("SELECT 1")
                self._last_ping = time.monotonic()
        except psycopg.Error:
            self._lose()
            return self.check()
        return Wake.GROWN if grown else Wake.QUIET

    def wait(self, timeout: float) -> Wake:
        deadline = time.monotonic() + timeout
        while True:
            state = self.check()
            remaining = deadline - time.monotonic()
            if state is not Wake.QUIET or remaining <= 0:
                return state
            descriptor = self.fileno()
            if descriptor is None:
                time.sleep(min(RECONNECT_SECONDS, remaining))
            else:
                select.select([descriptor], [], [], min(remaining, PING_SECONDS))

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


def watch(database: Database, *, reconnect_in_check: bool = True) -> LogWatcher:
    """A watcher of `database`'s change log (raises ConnectionError when PostgreSQL is down)."""
    if database.is_sqlite:
        return SqliteWatcher(database.url.database)
    return PostgresWatcher(database.url, client=database.client_id, reconnect_in_check=reconnect_in_check)


def busy_message(database: Database) -> str:
    """What a writer tells its user while another process holds the festival file: whose import
    it is when the log says an import is running."""
    from festival_desk.store.changelog import running_activity

    try:
        with database.engine.connect() as connection:
            activity = running_activity(connection)
    except sa.exc.SQLAlchemyError:
        activity = None
    if activity is not None:
        return (f"The festival file is busy with {activity.description} ({activity.who}); your change "
                "will be written when that finishes.")
    return "The festival file is busy with another program's change; yours will be written when that finishes."


def working_now(database: Database, *, minutes: int = 15) -> list[str]:
    """The colleagues working on the festival now, by name, without this database's own client:
    on PostgreSQL the desks listening right now (their name from the log, else their login's
    programmer, else the login), and on both databases whoever wrote in the last `minutes`."""
    from festival_desk.store.changelog import recent_writers

    names: dict[str, None] = {}
    with database.engine.connect() as connection:
        if not database.is_sqlite:
            rows = connection.execute(sa.text(
                "SELECT a.application_name, a.usename, p.name FROM pg_stat_activity a "
                "LEFT JOIN programmer p ON p.login = a.usename "
                "WHERE a.datname = current_database() AND a.application_name LIKE :listener"),
                {"listener": f"{LISTENER_NAME}%"}).all()
            for application, login, programmer in rows:
                client = application.removeprefix(LISTENER_NAME).strip()
                if client == database.client_id:
                    continue
                who = connection.execute(sa.text(
                    "SELECT who FROM change_log WHERE client = :client AND who <> '' ORDER BY seq DESC LIMIT 1"),
                    {"client": client}).scalar() if client else None
                names[who or programmer or login] = None
        for who, client, _last in recent_writers(connection, minutes=minutes):
            if client != database.client_id and who:
                names[who] = None
    mine = database.who
    return [name for name in names if name != mine]
