"""Write a new Alembic migration for the difference between the models and the migrations.

    python scripts/make_migration.py "add screening notes"

Autogenerates against a scratch SQLite database upgraded to the current head; review the file it
writes (batch mode for SQLite is on) before committing it.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from festival_desk.store import migrations
from festival_desk.store.db import create_engine_for, resolve_url


def main() -> None:
    message = " ".join(sys.argv[1:]).strip() or sys.exit("usage: make_migration.py MESSAGE")
    versions = migrations.migrations_dir() / "versions"
    numbers = [int(m.group(1)) for p in versions.glob("*.py") if (m := re.match(r"(\d{4})_", p.name))]
    rev_id = f"{max(numbers, default=0) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine_for(resolve_url(str(Path(scratch) / "scratch.sqlite")))
        with engine.begin() as connection:
            migrations.upgrade(connection)
        with engine.begin() as connection:
            config = migrations.alembic_config()
            config.attributes["connection"] = connection
            slug = re.sub(r"\W+", "_", message.lower()).strip("_")[:40]
            config.set_main_option("file_template", f"{rev_id}_{slug}")
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    main()
