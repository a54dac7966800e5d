"""A festival file at an older schema revision, for the tests of upgrades."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.store import migrations


def database_at_first_revision(path: Path) -> str:
    """Write an empty festival at the first schema revision to `path`, in WAL mode as the program
    writes its files; returns that revision (skips when there is only one revision)."""
    revisions = list(migrations.alembic_scripts().walk_revisions())
    if len(revisions) < 2:
        pytest.skip("only one schema revision exists: nothing to upgrade from")
    first = revisions[-1].revision
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    with engine.begin() as connection:
        migrations.upgrade(connection, first)
    engine.dispose()
    return first
