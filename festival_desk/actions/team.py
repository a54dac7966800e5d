"""The committee on a PostgreSQL team database: setting it up, adding members, listing them.

`init` (run once by whoever owns the database) creates this festival's group roles and their
grants; `add` creates a login for a committee member in one of them and ties it to their
programmer record; `members` lists who is on the team. What each role may do is enforced by the
database (see `store.team`); passwords are handed to PostgreSQL already hashed (SCRAM, by libpq),
so that neither the server's statement log nor ours ever holds one, and are never stored here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import select

from festival_desk.actions.changes import Change
from festival_desk.core.errors import UserError
from festival_desk.core.text import fold_words
from festival_desk.store import changelog
from festival_desk.store.db import Database
from festival_desk.store.models import Programmer, TeamRole
from festival_desk.store.team import TEAM_ROLES, group_role_names, grant_statements

_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")
GENERATED_PASSWORD_BYTES = 18


def _require_team_database(database: Database) -> None:
    if database.is_sqlite:
        raise UserError(f"{database.label} is a SQLite file: a team works on a PostgreSQL database "
                        "(move the festival there with `festival-desk copy FILE postgresql://…`)")


def _quote(connection: sa.Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _role_exists(connection: sa.Connection, name: str) -> bool:
    return connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}).first() is not None


def init(database: Database) -> Change:
    """Make the database a team database: its group roles (created when missing), their grants,
    and `team_role`. Safe to run again (after an upgrade it grants the new tables)."""
    _require_team_database(database)
    identity = database.identity
    if identity.role != "owner":
        raise UserError(f"only the owner of {database.label} sets up its team (you are {identity.login}, "
                        f"{identity.role or 'not on the team'})")
    with database.transaction() as session:
        connection = session.connection()
        name = connection.execute(sa.text("SELECT current_database()")).scalar_one()
        roles = group_role_names(name)
        for role in TEAM_ROLES:
            if not _role_exists(connection, roles[role]):
                connection.exec_driver_sql(f"CREATE ROLE {_quote(connection, roles[role])} NOLOGIN")
        for statement in grant_statements(name, roles):
            connection.exec_driver_sql(statement)
        for role in TEAM_ROLES:
            row = session.get(TeamRole, role) or TeamRole(role=role, db_role=roles[role])
            row.db_role = roles[role]
            session.add(row)
        changelog.note(session, "setting", "changed", ["team"])
        changelog.describe(session, "Set up the team roles")
    database.forget_identity()
    return Change(description="Set up the team roles", settings={"team"}, details={"roles": roles})


def _hashed_password(connection: sa.Connection, password: str, login: str) -> str:
    """The SCRAM verifier of `password` for `login`, computed by libpq on this side of the wire."""
    pgconn = connection.connection.driver_connection.pgconn
    return pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()


@dataclass(frozen=True)
class Added:
    login: str
    role: str
    programmer: str
    password: str | None  # the generated password, shown once; None when it was given


def add(database: Database, name: str, login: str, role: str, *, password: str | None = None) -> Change:
    """Add committee member `name` signing in as `login` with team role `role` (viewer,
    programmer, lead, admin). A new login gets `password`, or a generated one returned in
    `details["added"].password` to be handed over once. An existing login is moved to `role`
    (and gets the password when one is given). The programmer `name` is found (accents and case
    ignored) or created, and tied to the login."""
    _require_team_database(database)
    clean_name = " ".join((name or "").split())
    if not clean_name:
        raise UserError("team add: give the member's name")
    if not _LOGIN.match(login or ""):
        raise UserError(f"--login: {login!r} is not a login name (letters, digits, _ . @ -; up to 63)")
    if role not in TEAM_ROLES:
        raise UserError(f"--role: {role!r} is not a team role; use one of {', '.join(TEAM_ROLES)}")
    if password is not None and not password.strip():
        raise UserError("the password is empty")
    identity = database.identity
    if not identity.may_manage_team:
        raise UserError(f"only the database owner or an admin may add members (you are {identity.login}, "
                        f"{identity.role or 'not on the team'})")
    generated = None
    with database.transaction() as session:
        connection = session.connection()
        roles = {row.role: row.db_role for row in session.exec(select(TeamRole))}
        if not roles:
            raise UserError(f"{database.label} has no team yet: run `festival-desk team init` first")
        if login in roles.values():
            raise UserError(f"--login: {login!r} is one of the team's group roles")
        quoted = _quote(connection, login)
        exists = _role_exists(connection, login)
        if not exists and password is None:
            password = generated = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
        secret = f" PASSWORD '{_hashed_password(connection, password, login)}'" if password is not None else ""
        create_roles = " CREATEROLE" if role == "admin" else " NOCREATEROLE"
        verb = "ALTER" if exists else "CREATE"
        connection.exec_driver_sql(f"{verb} ROLE {quoted} LOGIN{create_roles}{secret}")
        for other, group in roles.items():
            if other != role:
                connection.exec_driver_sql(f"REVOKE {_quote(connection, group)} FROM {quoted}")
        connection.exec_driver_sql(f"GRANT {_quote(connection, roles[role])} TO {quoted}")
        programmer = session.exec(select(Programmer).where(Programmer.login == login)).first()
        if programmer is None:
            key = fold_words(clean_name)
            programmer = next((p for p in session.exec(select(Programmer)).all() if fold_words(p.name) == key),
                              None) or Programmer(name=clean_name)
        if programmer.login not in (None, login):
            raise UserError(f"{programmer.name} already signs in as {programmer.login}")
        programmer.login = login
        session.add(programmer)
        changelog.describe(session, f"Add {programmer.name} to the team as {role}")
        added = Added(login=login, role=role, programmer=programmer.name, password=generated)
    return Change(description=f"Add {added.programmer} to the team as {role}", programmers={programmer.id},
                  details={"added": added})


@dataclass(frozen=True)
class MemberRow:
    login: str
    role: str | None
    programmer: str | None
    can_sign_in: bool


def members(database: Database) -> list[MemberRow]:
    """The team: every login in one of the group roles (with the programmer it is), then the
    programmers without a login; by name."""
    _require_team_database(database)
    with database.reading() as session:
        rows = session.execute(sa.text(
            "SELECT r.rolname, t.role, p.name, r.rolcanlogin FROM team_role t "
            "JOIN pg_roles g ON g.rolname = t.db_role JOIN pg_auth_members am ON am.roleid = g.oid "
            "JOIN pg_roles r ON r.oid = am.member LEFT JOIN programmer p ON p.login = r.rolname "
            "WHERE r.rolname NOT IN (SELECT db_role FROM team_role)")).all()
        others = session.exec(select(Programmer.name).where(Programmer.login.is_(None))).all()
    listed = [MemberRow(login, role, programmer, bool(can_login)) for login, role, programmer, can_login in rows]
    listed += [MemberRow("", None, name, False) for name in others]
    return sorted(listed, key=lambda row: (fold_words(row.programmer or row.login), row.login))
