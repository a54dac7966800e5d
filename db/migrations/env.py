"""Alembic environment: runs on the connection Festival Desk hands over (see store.migrations)."""

from __future__ import annotations

from alembic import context

import festival_desk.store.models  # noqa: F401  (registers every table on the metadata)
from festival_desk.store.migrations import include_name
from sqlmodel import SQLModel

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Festival Desk migrations run on an open connection; "
                           "use festival_desk.store.db.open_database")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
