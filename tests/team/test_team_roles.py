"""Each programmer is who they sign in as and touches only what is theirs, enforced by PostgreSQL
itself: plain SQL from a programmer's login cannot change a colleague's rating or select a film;
the command line works as the signed-in login and refuses another name."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from festival_desk.actions import team
from festival_desk.store.db import open_database
from tests.team.conftest import process_env

pytestmark = pytest.mark.postgres


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "festival_desk.cli", *args], capture_output=True, text=True,
                          env=process_env(), timeout=120, input=stdin)


def _plain(url: str):
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _programmer_id(url: str, login: str) -> int:
    with _plain(url) as connection:
        return connection.execute("SELECT id FROM programmer WHERE login = %s", (login,)).fetchone()[0]


def test_a_programmer_rates_as_themselves_and_another_name_is_refused(team_pg):
    ayse = team_pg.url("ayse")
    rated = _cli("rate", "3", "4", "--db", ayse, "--json")
    assert rated.returncode == 0, rated.stderr
    assert json.loads(rated.stdout)["programmer"] == "Ayşe Demirtaş"
    refused = _cli("rate", "3", "1", "--as", "Jonas Berg", "--db", ayse)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "you are signed in as" in refused.stderr
    assert "working as 'Jonas Berg' is refused" in refused.stderr


def test_plain_sql_from_a_programmer_cannot_touch_a_colleagues_rating(team_pg):
    jonas_rated = _cli("rate", "3", "5", "--note", "Jonas's note", "--db", team_pg.url("jonas"))
    assert jonas_rated.returncode == 0, jonas_rated.stderr
    jonas = _programmer_id(team_pg.owner_url, team_pg.logins["jonas"])
    ayse = _programmer_id(team_pg.owner_url, team_pg.logins["ayse"])
    attempts = [
        ("UPDATE rating SET score = 1 WHERE programmer_id = %s", (jonas,)),
        ("DELETE FROM rating WHERE programmer_id = %s", (jonas,)),
        ("INSERT INTO rating (film_id, programmer_id, score, rated_at) VALUES (4, %s, 1, now())", (jonas,)),
        ("UPDATE note SET text = 'overwritten' WHERE programmer_id = %s", (jonas,)),
        ("UPDATE rating SET programmer_id = %s WHERE programmer_id = %s", (jonas, ayse)),
    ]
    with _plain(team_pg.url("ayse")) as connection:
        connection.execute("INSERT INTO rating (film_id, programmer_id, score, rated_at) VALUES (5, %s, 3, now()) "
                           "ON CONFLICT DO NOTHING", (ayse,))  # her own: allowed
        for statement, parameters in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                connection.execute(statement, parameters)
    with _plain(team_pg.owner_url) as connection:
        assert connection.execute("SELECT score FROM rating WHERE film_id = 3 AND programmer_id = %s",
                                  (jonas,)).fetchone()[0] == 5
        assert connection.execute("SELECT count(*) FROM note WHERE text = 'overwritten'").fetchone()[0] == 0


def test_moves_beyond_shortlisted_are_a_leads_and_the_database_says_so(team_pg):
    with _plain(team_pg.url("ayse")) as connection:
        connection.execute("UPDATE film SET status = 'in_review' WHERE id = 12")  # within her reach
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="may not move films from in_review to selected"):
            connection.execute("UPDATE film SET status = 'selected' WHERE id = 12")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("INSERT INTO screening (screen_id, starts_at, ends_at, kind) "
                               "VALUES (1, now(), now() + interval '1 hour', 'public')")
    refused = _cli("status", "set", "12", "selected", "--db", team_pg.url("ayse"))
    assert refused.returncode == 1
    assert "your role on this festival (programmer) may not move films from In review to Selected" in refused.stderr
    moved = _cli("status", "set", "12", "selected", "--db", team_pg.url("jonas"), "--json")
    assert moved.returncode == 0, moved.stderr
    assert json.loads(moved.stdout)["moved"] == [12]


def test_a_viewer_reads_and_writes_nothing(team_pg):
    listed = _cli("films", "list", "--db", team_pg.url("vera"), "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 59
    refused = _cli("rate", "3", "2", "--db", team_pg.url("vera"))
    assert refused.returncode == 1 and "not allowed by your role" in refused.stderr and "Traceback" not in refused.stderr
    with _plain(team_pg.url("vera")) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE film SET title = 'x' WHERE id = 1")


def test_the_desk_asks_the_database_what_the_login_may_do(team_pg):
    for who, role, may_select, may_schedule, may_rate in (("ayse", "programmer", False, False, True),
                                                          ("jonas", "lead", True, True, True),
                                                          ("vera", "viewer", False, False, False)):
        database = open_database(team_pg.url(who))
        try:
            identity = database.identity
            assert identity.role == role and identity.is_team_member
            assert identity.programmer_name == team_pg.people[who]
            assert identity.may_move("shortlisted", "selected") is may_select
            assert identity.may_write("screening") is may_schedule
            assert identity.may_rate is may_rate
            assert database.who == team_pg.people[who]
        finally:
            database.close()
    owner = open_database(team_pg.owner_url)
    try:
        assert owner.identity.role == "owner" and not owner.identity.is_team_member
    finally:
        owner.close()


def test_team_list_and_add_on_the_command_line(team_pg):
    listed = _cli("team", "list", "--db", team_pg.owner_url, "--json")
    assert listed.returncode == 0, listed.stderr
    roles = {row["login"]: (row["role"], row["programmer"]) for row in json.loads(listed.stdout) if row["login"]}
    assert roles == {team_pg.logins[who]: (role, team_pg.people[who])
                     for who, role in (("ayse", "programmer"), ("jonas", "lead"), ("vera", "viewer"))}
    # A programmer may not add members; the owner moves Vera up to programmer.
    refused = _cli("team", "add", "Somebody", "--login", "fdt_nobody", "--role", "admin", "--db", team_pg.url("ayse"))
    assert refused.returncode == 1 and "only the database owner or an admin" in refused.stderr
    promoted = _cli("team", "add", team_pg.people["vera"], "--login", team_pg.logins["vera"], "--role", "programmer",
                    "--password-stdin", "--db", team_pg.owner_url, "--json", stdin="a new password\n")
    assert promoted.returncode == 0, promoted.stderr
    assert "password" not in json.loads(promoted.stdout)  # given, not generated: never shown
    database = open_database(team_pg.url("vera"))
    try:
        assert database.identity.role == "programmer"
    finally:
        database.close()
        demote = open_database(team_pg.owner_url)
        try:
            team.add(demote, team_pg.people["vera"], team_pg.logins["vera"], "viewer")
        finally:
            demote.close()


def test_a_generated_password_is_shown_once_and_stored_nowhere(team_pg):
    login = f"{team_pg.logins['ayse']}_x"
    added = _cli("team", "add", "Eleni Vasileiou", "--login", login, "--role", "programmer",
                 "--db", team_pg.owner_url, "--json")
    try:
        assert added.returncode == 0, added.stderr
        password = json.loads(added.stdout)["password"]
        assert len(password) >= 20
        with _plain(team_pg.owner_url) as connection:
            stored = connection.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (login,)).fetchone()[0]
            dumped = connection.execute("SELECT string_agg(t::text, ' ') FROM change_log t").fetchone()[0]
        assert stored.startswith("SCRAM-SHA-256$") and password not in stored
        assert password not in dumped
    finally:
        with _plain(team_pg.owner_url) as connection:
            connection.execute("UPDATE programmer SET login = NULL WHERE login = %s", (login,))
            connection.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_team_init_on_a_sqlite_file_is_a_clear_refusal(demo_path):
    refused = _cli("team", "init", "--db", str(demo_path))
    assert refused.returncode == 1
    assert "a team works on a PostgreSQL database" in refused.stderr and refused.stderr.count("\n") == 1


def test_the_committee_tables_follow_the_roles(team_pg):
    """A programmer marks their own viewing and declares their own conflict, not a colleague's; the
    rubric and meetings are a lead's; the command line says so in one line."""
    watched = _cli("watched", "6", "--minutes", "40", "--db", team_pg.url("ayse"), "--json")
    assert watched.returncode == 0, watched.stderr
    jonas = _programmer_id(team_pg.owner_url, team_pg.logins["jonas"])
    with _plain(team_pg.url("ayse")) as connection:
        for statement in ("INSERT INTO viewing (film_id, programmer_id, minutes, watched_at) VALUES (7, %s, 10, now())",
                          "INSERT INTO conflict_of_interest (film_id, programmer_id, reason, declared_at) "
                          "VALUES (7, %s, 'co-producer', now())"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                connection.execute(statement, (jonas,))
    refused = _cli("rubric", "set", "Craft:2,Relevance:1", "--db", team_pg.url("ayse"))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "not allowed by your role" in refused.stderr
    allowed = _cli("rubric", "set", "Craft:2,Relevance:1", "--db", team_pg.url("jonas"), "--json")
    assert allowed.returncode == 0, allowed.stderr
    with _plain(team_pg.owner_url) as connection:
        assert connection.execute("SELECT minutes FROM viewing v JOIN programmer p ON p.id = v.programmer_id "
                                  "WHERE v.film_id = 6 AND p.login = %s", (team_pg.logins["ayse"],)).fetchone()[0] == 40
        assert connection.execute("SELECT count(*) FROM rubric_criterion").fetchone()[0] == 2


def test_a_lead_assigns_colleagues_and_holds_a_meeting_with_them(team_pg):
    """Naming a colleague (assign --to, a meeting's present) is not working as them."""
    assigned = _cli("assign", "8", "--to", "Ayşe Demirtaş", "--due", "2099-01-01", "--db", team_pg.url("jonas"),
                    "--json")
    assert assigned.returncode == 0, assigned.stderr
    listed = _cli("assignments", "--as", "Ayşe Demirtaş", "--db", team_pg.url("jonas"), "--json")
    assert listed.returncode == 0, listed.stderr
    assert 8 in [row["film_id"] for row in json.loads(listed.stdout)]
    started = _cli("meeting", "start", "--present", "Ayşe Demirtaş", "--films", "8", "--db", team_pg.url("jonas"),
                   "--json")
    assert started.returncode == 0, started.stderr


def test_an_upgraded_team_database_grants_the_committee_tables_to_the_roles():
    """A team set up before the committee's tables existed (schema 0006): the upgrade that adds them
    lets a programmer mark a viewing, and no one else's."""
    import sqlalchemy as sa
    from alembic import command

    from festival_desk.store import migrations
    from festival_desk.store.db import resolve_url
    from tests.team.conftest import _drop, make_team_database, postgres_admin_url

    team_db, roles = make_team_database()
    try:
        engine = sa.create_engine(resolve_url(team_db.owner_url))
        with engine.begin() as connection:
            config = migrations.alembic_config()
            config.attributes["connection"] = connection
            try:
                command.downgrade(config, "0006")
            finally:
                config.attributes.pop("connection", None)
            assert not sa.inspect(connection).has_table("viewing")
            migrations.upgrade(connection)
        engine.dispose()
        watched = _cli("watched", "1", "--db", team_db.url("ayse"), "--json")
        assert watched.returncode == 0, watched.stderr
        jonas = _programmer_id(team_db.owner_url, team_db.logins["jonas"])
        with _plain(team_db.url("ayse")) as connection, \
                pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            connection.execute("INSERT INTO viewing (film_id, programmer_id, watched_at) VALUES (1, %s, now())",
                               (jonas,))
    finally:
        _drop(resolve_url(postgres_admin_url()), team_db.name, roles)
