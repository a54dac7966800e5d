"""Which schema revisions exist, read from the migration files' headers without importing
SQLAlchemy or Alembic: opening a current database, and the desk's first look at a file
(`store.peek`), need nothing more.

The migration scripts live in the top-level `db/migrations/` of the repository, packaged as
`festival_desk.db`, so they are found from any working directory after a plain `pip install .`.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

from festival_desk.core.errors import UserError

VERSION_TABLE = "alembic_version"

_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:'([^']*)'|\"([^\"]*)\"|None)", re.M)


def migrations_dir() -> Path:
    return Path(str(resources.files("festival_desk.db") / "migrations"))


@functools.cache
def revision_graph() -> dict[str, str | None]:
    """Each known revision and the one it follows, read from the migration files' headers.

    Opening a database that is already current needs only this, so Alembic (and every migration
    module) is imported only when there is something to upgrade; a test checks that this graph
    is the one Alembic reads.
    """
    graph: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        found = {name: single or double for name, single, double in _REVISION_LINE.findall(path.read_text("utf-8"))}
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision") or None
    return graph


def head() -> str:
    graph = revision_graph()
    heads = sorted(set(graph) - {down for down in graph.values() if down})
    if len(heads) != 1:
        raise UserError(f"this installation of Festival Desk is broken: its schema migrations end in "
                        f"{len(heads)} revisions ({', '.join(heads) or 'none'}) instead of one; reinstall it")
    return heads[0]


def is_known(revision: str) -> bool:
    return revision in revision_graph()
