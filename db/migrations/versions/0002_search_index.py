"""search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:40:00

Creates the full-text search objects (store.search_ddl: FTS5 on SQLite, a tsvector table with a GIN
index on PostgreSQL) and indexes the films already in the database.
"""
from collections.abc import Sequence

from alembic import op

from festival_desk.store import search_ddl

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from festival_desk.store.search import forget_index_presence, rebuild_index

    connection = op.get_bind()
    search_ddl.create_search_objects(connection)
    forget_index_presence()
    rebuild_index(connection)


def downgrade() -> None:
    from festival_desk.store.search import forget_index_presence

    search_ddl.drop_search_objects(op.get_bind())
    forget_index_presence()
