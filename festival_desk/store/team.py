"""Team databases (PostgreSQL): roles, what each may do, enforced by the database itself.

A festival on PostgreSQL becomes a team database with `festival-desk team init`: four group roles
of this database (viewer, programmer, lead, admin; their names are this database's, since roles
are cluster-wide) with grants, listed in `team_role`. Committee members sign in with their own
login, a member of one group (`team add`).

The rules live in the database, written by the migrations (`create_team_objects`):

- `festival_team_role()`: the signed-in login's team role ("owner" for the database owner and
  superusers, and for everyone while the database is not a team database);
- `festival_programmer_id()`: the programmer the login is (`programmer.login`);
- `festival_may_move(from, to)`: whether the login may move a film between two statuses
  (programmers: only among submitted, in review and shortlisted; leads, admins, owner: any);
- row-level security and triggers: ratings and notes are written only by their own programmer
  (admins and the owner may tidy any); a film's status moves only as `festival_may_move` allows;
  change log entries carry the login that wrote them.

The desk asks the database what the login may do (`read_identity`: the role, the table privileges,
`festival_may_move` for each pair of statuses) rather than keeping a copy of the rules.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from festival_desk.core.workflow import ALL_STATUSES

if TYPE_CHECKING:
    from festival_desk.store.db import Database

TEAM_ROLES = ("viewer", "programmer", "lead", "admin")
# Statuses a programmer may move films between; beyond them is a lead's decision.
PROGRAMMER_STATUSES = ("submitted", "in_review", "shortlisted")

# Tables a role may write, on top of what the role below it may (every role reads everything).
_WRITES: dict[str, tuple[str, ...]] = {
    "programmer": ("rating", "note", "film", "filmcredit", "filmcountry", "filmlanguage", "still", "person",
                   "tag", "filmtag", "assignment", "statuschange", "review", "critic", "pullquote", "preset",
                   "search_film", "search_sort_key", "change_log", "film_edit", "viewing", "conflict_of_interest",
                   "programmer_language", "criterion_score", "catalogue_facts"),
    "lead": ("screening", "screeningitem", "screeningguest", "venue", "screen", "venuetravel", "section",
             "festival", "rubric_criterion", "meeting", "meeting_decision"),
    "admin": ("programmer",),
}

_FUNCTIONS = (
    # Who the login is on this festival. SECURITY INVOKER on purpose: current_user is the caller.
    """
CREATE OR REPLACE FUNCTION festival_team_role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM team_role) THEN 'owner'
    WHEN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN 'owner'
    WHEN pg_catalog.pg_has_role(current_user, (SELECT datdba FROM pg_catalog.pg_database
                                               WHERE datname = current_database()), 'MEMBER') THEN 'owner'
    ELSE (SELECT t.role FROM team_role t JOIN pg_catalog.pg_roles r ON r.rolname = t.db_role
          WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
          ORDER BY array_position(ARRAY['admin', 'lead', 'programmer', 'viewer'], t.role::text) LIMIT 1)
  END
$$""",
    """
CREATE OR REPLACE FUNCTION festival_programmer_id() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT id FROM programmer WHERE login = current_user
$$""",
    f"""
CREATE OR REPLACE FUNCTION festival_may_move(from_status text, to_status text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE festival_team_role()
    WHEN 'owner' THEN true WHEN 'admin' THEN true WHEN 'lead' THEN true
    WHEN 'programmer' THEN from_status IN ({", ".join(f"'{s}'" for s in PROGRAMMER_STATUSES)})
                       AND to_status IN ({", ".join(f"'{s}'" for s in PROGRAMMER_STATUSES)})
    ELSE false END
$$""",
    # Ratings and notes are their programmer's own: checked on the old row too, so that neither a
    # colleague's row can be changed nor one's own turned into a colleague's.
    """
CREATE OR REPLACE FUNCTION festival_check_own_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  role text := festival_team_role();
  me integer := festival_programmer_id();
BEGIN
  IF role IN ('owner', 'admin') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.programmer_id IS DISTINCT FROM me THEN
    RAISE EXCEPTION 'permission denied: this % belongs to another programmer', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.programmer_id IS DISTINCT FROM me THEN
    RAISE EXCEPTION 'permission denied: a % may only be written by its own programmer', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$""",
    """
CREATE OR REPLACE FUNCTION festival_check_film_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.status <> 'submitted' AND NOT festival_may_move('submitted', NEW.status) THEN
    RAISE EXCEPTION 'permission denied: your role may not add a film as %', NEW.status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
     AND NOT festival_may_move(OLD.status, NEW.status) THEN
    RAISE EXCEPTION 'permission denied: your role may not move films from % to %', OLD.status, NEW.status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$""",
)

_POLICIES = (
    # Ratings and notes: everyone reads; a row written must be the login's own (admins and the
    # owner excepted). The triggers above check the old row, which a policy cannot see.
    *(statement for table in ("rating", "note") for statement in (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)",
        f"CREATE POLICY {table}_own_insert ON {table} FOR INSERT WITH CHECK "
        f"((SELECT festival_team_role()) IN ('owner', 'admin') OR programmer_id = (SELECT festival_programmer_id()))",
        f"CREATE POLICY {table}_own_update ON {table} FOR UPDATE USING (true) WITH CHECK "
        f"((SELECT festival_team_role()) IN ('owner', 'admin') OR programmer_id = (SELECT festival_programmer_id()))",
        f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING (true)",
        f"CREATE TRIGGER {table}_own_row BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION festival_check_own_row()",
    )),
    # Status history rows name a move the login may make.
    "ALTER TABLE statuschange ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY statuschange_read ON statuschange FOR SELECT USING (true)",
    "CREATE POLICY statuschange_write ON statuschange FOR INSERT WITH CHECK "
    "(festival_may_move(coalesce(from_status, 'submitted'), to_status))",
    "CREATE POLICY statuschange_tidy ON statuschange FOR DELETE USING ((SELECT festival_team_role()) IN ('owner', 'admin', 'lead'))",
    "CREATE TRIGGER film_status_move BEFORE INSERT OR UPDATE OF status ON film "
    "FOR EACH ROW EXECUTE FUNCTION festival_check_film_move()",
    # The change log: entries carry the login that wrote them; old entries may be pruned by anyone.
    "ALTER TABLE change_log ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY change_log_read ON change_log FOR SELECT USING (true)",
    "CREATE POLICY change_log_write ON change_log FOR INSERT WITH CHECK (login = current_user)",
    "CREATE POLICY change_log_prune ON change_log FOR DELETE USING (at < now() - interval '1 day')",
)

_DROP = (
    "DROP TRIGGER IF EXISTS film_status_move ON film",
    *(f"DROP TRIGGER IF EXISTS {table}_own_row ON {table}" for table in ("rating", "note")),
    *(f"DROP POLICY IF EXISTS {name} ON {table}" for table, names in (
        ("rating", ("rating_read", "rating_own_insert", "rating_own_update", "rating_delete")),
        ("note", ("note_read", "note_own_insert", "note_own_update", "note_delete")),
        ("statuschange", ("statuschange_read", "statuschange_write", "statuschange_tidy")),
        ("change_log", ("change_log_read", "change_log_write", "change_log_prune"))) for name in names),
    *(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY" for table in ("rating", "note", "statuschange", "change_log")),
    "DROP FUNCTION IF EXISTS festival_check_film_move()",
    "DROP FUNCTION IF EXISTS festival_check_own_row()",
    "DROP FUNCTION IF EXISTS festival_may_move(text, text)",
    "DROP FUNCTION IF EXISTS festival_programmer_id()",
    "DROP FUNCTION IF EXISTS festival_team_role()",
)


def create_team_objects(connection: sa.Connection) -> None:
    """The functions, policies and triggers of team databases (PostgreSQL only; nothing on SQLite).
    They change nothing until `team init` names the roles: before that, everyone is "owner"."""
    if connection.dialect.name != "postgresql":
        return
    for statement in (*_FUNCTIONS, *_POLICIES):
        connection.exec_driver_sql(statement.replace("%", "%%"))


# The committee's process (migration 0007): a viewing, a declared conflict of interest and a
# language skill are their programmer's own, like ratings and notes.
_COMMITTEE_OWN_ROWS = ("viewing", "conflict_of_interest", "programmer_language")


_COMMITTEE_TABLES = ("viewing", "conflict_of_interest", "programmer_language", "criterion_score", "catalogue_facts",
                     "rubric_criterion", "meeting", "meeting_decision")


def create_committee_rules(connection: sa.Connection) -> None:
    """The own-row triggers of the committee's tables (PostgreSQL only; inert before `team init`),
    and on a database whose team is already set up, the team roles' writes on those tables (what
    `team init` grants on a new database)."""
    if connection.dialect.name != "postgresql":
        return
    for table in _COMMITTEE_OWN_ROWS:
        connection.exec_driver_sql(f"CREATE TRIGGER {table}_own_row BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                                   "FOR EACH ROW EXECUTE FUNCTION festival_check_own_row()")
    roles = dict(connection.exec_driver_sql("SELECT role, db_role FROM team_role").all())
    for role, tables in _WRITES.items():
        if role in roles:
            for table in tables:
                if table in _COMMITTEE_TABLES:
                    connection.exec_driver_sql(f'GRANT INSERT, UPDATE, DELETE ON {table} TO "{roles[role]}"')


def drop_committee_rules(connection: sa.Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in _COMMITTEE_OWN_ROWS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_own_row ON {table}")


def drop_team_objects(connection: sa.Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for statement in _DROP:
        connection.exec_driver_sql(statement)


# --- roles ------------------------------------------------------------------------------------------


def group_role_names(database_name: str) -> dict[str, str]:
    """The cluster role standing for each team role of the database `database_name`: a readable
    part of the name and a hash of all of it (role names are at most 63 bytes, cluster-wide)."""
    readable = re.sub(r"[^a-z0-9]+", "_", database_name.lower()).strip("_")[:30] or "festival"
    digest = hashlib.sha256(database_name.encode()).hexdigest()[:6]
    return {role: f"fd_{readable}_{digest}_{role}" for role in TEAM_ROLES}


def grant_statements(database_name: str, roles: dict[str, str]) -> list[str]:
    """GRANTs that give each group role what it may do (each role inherits the one below it)."""
    quoted = {role: f'"{name}"' for role, name in roles.items()}
    statements = [
        f'GRANT CONNECT ON DATABASE "{database_name}" TO {quoted["viewer"]}',
        f'GRANT USAGE ON SCHEMA public TO {quoted["viewer"]}',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO {quoted["viewer"]}',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {quoted["viewer"]}',
        f'GRANT {quoted["viewer"]} TO {quoted["programmer"]}',
        f'GRANT {quoted["programmer"]} TO {quoted["lead"]}',
        f'GRANT {quoted["lead"]} TO {quoted["admin"]}',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted["programmer"]}',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted["programmer"]}',
    ]
    for role, tables in _WRITES.items():
        for table in tables:
            statements.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {quoted[role]}")
    return statements


# --- who is signed in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What the database says about the signed-in login. On SQLite, and on PostgreSQL before
    `team init`, everyone may do everything (`team` False, role "owner")."""

    login: str
    role: str | None = "owner"  # owner, admin, lead, programmer, viewer; None: not on the team
    team: bool = False
    programmer_id: int | None = None
    programmer_name: str | None = None
    writable: frozenset[str] = frozenset()  # tables the login may write (team databases)
    moves: frozenset[tuple[str, str]] = frozenset()  # status moves the login may make
    may_manage_team: bool = False

    @property
    def is_team_member(self) -> bool:
        """Signed in as a committee member of a team database (not its owner)."""
        return self.team and self.role != "owner"

    def may_write(self, table: str) -> bool:
        return not self.is_team_member or table in self.writable

    def may_move(self, from_status: str, to_status: str) -> bool:
        return not self.is_team_member or (from_status, to_status) in self.moves

    @property
    def may_rate(self) -> bool:
        return self.may_write("rating") and (not self.is_team_member or self.programmer_id is not None)

    def refusal(self, what: str) -> str:
        """Why the login may not do `what` ("schedule screenings"), as the desk says it."""
        role = self.role or "no role"
        return f"Your role on this festival ({role}) may not {what}."


_TABLES_ASKED = tuple(sorted({table for tables in _WRITES.values() for table in tables}))


def read_identity(database: Database) -> Identity:
    """Ask the database who is signed in and what they may do (one round trip on PostgreSQL)."""
    if database.is_sqlite:
        return Identity(login=database.login)
    with database.engine.connect() as connection:
        has_functions = connection.execute(sa.text(
            "SELECT to_regprocedure('festival_team_role()') IS NOT NULL")).scalar_one()
        if not has_functions:
            login = connection.execute(sa.text("SELECT current_user")).scalar_one()
            return Identity(login=login)
        row = connection.execute(sa.text(
            "SELECT current_user, festival_team_role(), EXISTS (SELECT 1 FROM team_role), "
            "festival_programmer_id(), (SELECT name FROM programmer WHERE login = current_user), "
            "(SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user)")).one()
        login, role, team, programmer_id, programmer_name, may_create_roles = row
        privileges = connection.execute(sa.text(
            "SELECT t, has_table_privilege(current_user, t, 'INSERT') FROM unnest(CAST(:tables AS text[])) AS t"),
            {"tables": list(_TABLES_ASKED)}).all()
        moves = connection.execute(sa.text(
            "SELECT f, t FROM unnest(CAST(:s AS text[])) AS f, unnest(CAST(:s AS text[])) AS t "
            "WHERE f <> t AND festival_may_move(f, t)"), {"s": list(ALL_STATUSES)}).all()
    return Identity(login=login, role=role, team=bool(team), programmer_id=programmer_id,
                    programmer_name=programmer_name,
                    writable=frozenset(table for table, allowed in privileges if allowed),
                    moves=frozenset((a, b) for a, b in moves),
                    may_manage_team=bool(may_create_roles) and role in ("owner", "admin"))


@dataclass(frozen=True)
class Member:
    login: str
    role: str
    programmer: str | None
    can_sign_in: bool


@dataclass
class TeamState:
    roles: dict[str, str] = field(default_factory=dict)  # team role -> cluster role
    members: list[Member] = field(default_factory=list)
