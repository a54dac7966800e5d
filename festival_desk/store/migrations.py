"""Alembic glue: which revision a database is at, upgrading it, autogenerate's filters. The known
revisions themselves come from `store.revisions` (no Alembic needed to read them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from festival_desk.core.errors import UserError

from festival_desk.store.revisions import (  # noqa: F401  (part of this module's interface)
    VERSION_TABLE, head, is_known, migrations_dir, revision_graph,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Tables the migrations manage by hand (full-text search and its shadow tables): autogenerate must
# not treat them as strays. Any table whose name starts with this prefix is ours but unmodelled.
UNMODELLED_PREFIX = "search_"


@functools.cache
def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@functools.cache
def alembic_scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at (None for a database without our version table)."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    revisions = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(revisions) > 1:
        raise UserError(f"the database records {len(revisions)} schema revisions at once ({', '.join(revisions)}): "
                        "it was changed outside Festival Desk; open a backup copy of it")
    return revisions[0] if revisions else None


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
    from alembic import command

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
