"""Alembic glue: where the migrations live, which revision a database is at, upgrading it.

The migration scripts live in the top-level `db/migrations/` of the repository, packaged as
`festival_desk.db`, so they are found from any working directory after a plain `pip install .`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

VERSION_TABLE = "alembic_version"
# Tables the migrations manage by hand (full-text search and its shadow tables): autogenerate must
# not treat them as strays. Any table whose name starts with this prefix is ours but unmodelled.
UNMODELLED_PREFIX = "search_"


def migrations_dir() -> Path:
    return Path(str(resources.files("festival_desk.db") / "migrations"))


@functools.cache
def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    heads = _script().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {heads}")
    return heads[0]


def is_known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or malformed id
        return False


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class SchemaState:
    revision: str | None
    foreign_tables: frozenset[str]  # tables that are neither ours nor Alembic's


def inspect_schema(connection: sa.Connection) -> SchemaState:
    from festival_desk.store.models import SQLModel

    names = set(sa.inspect(connection).get_table_names())
    ours = set(SQLModel.metadata.tables) | {VERSION_TABLE}
    foreign = frozenset(n for n in names - ours if not n.startswith(UNMODELLED_PREFIX)
                        and not n.startswith("sqlite_"))
    revision = current_revision(connection) if VERSION_TABLE in names else None
    return SchemaState(revision=revision, foreign_tables=foreign)


def upgrade(connection: sa.Connection, revision: str = "head") -> None:
    """Upgrade the database behind `connection` (inside the caller's transaction)."""
    config = alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, revision)
    finally:
        config.attributes.pop("connection", None)


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Autogenerate filter: leave the hand-managed search tables (and their shadows) alone."""
    if type_ == "table" and name is not None:
        return not name.startswith(UNMODELLED_PREFIX)
    return True
