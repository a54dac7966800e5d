"""Fixtures for several people on one festival: colleagues in processes of their own, and a team
database on the PostgreSQL server with three logins (a programmer, a lead, a viewer) whose
cluster-wide role names are unique to the test and dropped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import postgres_admin_url

REPO_ROOT = Path(__file__).resolve().parents[2]
ACTOR = REPO_ROOT / "tests" / "support" / "team_actor.py"


def process_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), "QT_QPA_PLATFORM": "offscreen", **extra}


class Colleague:
    """A real process working on the festival (tests/support/team_actor.py)."""

    def __init__(self, db: str, name: str | None) -> None:
        command = [sys.executable, str(ACTOR), db] + (["--as", name] if name else [])
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=process_env())
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(self.process.stderr.read())
        assert json.loads(line) == {"ready": True}

    def __call__(self, op: str, **arguments) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(self.process.stderr.read())
        answer = json.loads(line)
        assert "traceback" not in answer, answer.get("traceback")
        return answer

    def ok(self, op: str, **arguments) -> dict:
        answer = self(op, **arguments)
        assert answer["ok"], answer
        return answer["result"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def colleagues() -> Iterator:
    """colleagues(db, name) starts a colleague process; all are ended after the test."""
    started: list[Colleague] = []

    def start(db: str, name: str | None = None) -> Colleague:
        colleague = Colleague(db, name)
        started.append(colleague)
        return colleague

    yield start
    for colleague in started:
        colleague.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def festival_url(request, demo_path: Path) -> str:
    """The demo festival as a URL two processes can open: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(demo_path)
    from festival_desk.actions.demo import create_demo
    from festival_desk.store.db import open_database

    url = request.getfixturevalue("postgres_url")
    database = open_database(url, create=True)
    create_demo(database)
    database.close()
    return url


@dataclass
class TeamDatabase:
    owner_url: str
    name: str
    logins: dict[str, str] = field(default_factory=dict)  # who -> login
    people: dict[str, str] = field(default_factory=dict)  # who -> programmer name

    def url(self, who: str) -> str:
        from festival_desk.store.db import resolve_url

        return resolve_url(self.owner_url).set(username=self.logins[who], password=None).render_as_string(
            hide_password=False)


def _drop(admin_url, name: str, roles: list[str]) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in roles:
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    engine.dispose()


def make_team_database(with_demo: bool = True) -> tuple[TeamDatabase, list[str]]:
    import sqlalchemy as sa

    from festival_desk.actions import team
    from festival_desk.actions.demo import create_demo
    from festival_desk.store.db import open_database, resolve_url
    from festival_desk.store.team import group_role_names

    admin_url = resolve_url(postgres_admin_url())
    name = f"fd_team_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    tag = uuid.uuid4().hex[:8]
    logins = {"ayse": f"fdt_{tag}_ayse", "jonas": f"fdt_{tag}_jonas", "vera": f"fdt_{tag}_vera"}
    people = {"ayse": "Ayşe Demirtaş", "jonas": "Jonas Berg", "vera": "Vera Kalinina"}
    roles = [*logins.values(), *group_role_names(name).values()]
    url = admin_url.set(database=name)
    try:
        database = open_database(url, create=True)
        try:
            if with_demo:
                create_demo(database)
            team.init(database)
            team.add(database, people["ayse"], logins["ayse"], "programmer", password="not-used-here")
            team.add(database, people["jonas"], logins["jonas"], "lead", password="not-used-here")
            team.add(database, people["vera"], logins["vera"], "viewer", password="not-used-here")
        finally:
            database.close()
    except BaseException:
        _drop(admin_url, name, roles)
        raise
    return TeamDatabase(url.render_as_string(hide_password=False), name, logins, people), roles


@pytest.fixture(scope="module")
def team_pg() -> Iterator[TeamDatabase]:
    """The demo festival on a new PostgreSQL team database: ayse (programmer), jonas (lead) and
    vera (viewer) sign in with their own logins. Shared by the tests of a module."""
    from festival_desk.store.db import resolve_url

    team, roles = make_team_database()
    try:
        yield team
    finally:
        _drop(resolve_url(postgres_admin_url()), team.name, roles)
