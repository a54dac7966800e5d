"""Moving a whole festival between databases: a laptop's SQLite file to a new PostgreSQL database,
or a server's festival to a SQLite file for a screening room without network.

Every table is copied row by row with the same ids, in one transaction on the destination (a
failure leaves it as it was), the destination's id sequences are set past the copied ids, and the
search index is rebuilt there (its layout differs between SQLite and PostgreSQL). A destination
that already holds a festival is refused. The row counts of both sides are returned table by
table; they must match, and the copy fails loudly if they do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import SQLModel

from festival_desk.actions.demo import has_festival_data
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.store import db as store_db
from festival_desk.store.search import rebuild_index

CHUNK_ROWS = 500
# Not copied: which cluster roles stand for the team's roles belongs to one server.
NOT_COPIED = frozenset({"team_role"})


@dataclass
class CopyReport:
    source: str
    destination: str
    tables: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> {"source", "destination"}

    @property
    def match(self) -> bool:
        return all(counts["source"] == counts["destination"] for counts in self.tables.values())

    def as_dict(self) -> dict:
        return {"source": self.source, "destination": self.destination, "match": self.match,
                "tables": self.tables}


def _tables() -> list[sa.Table]:
    return [table for table in SQLModel.metadata.sorted_tables if table.name not in NOT_COPIED]


def _counts(database: store_db.Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in _tables()}


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: the next id of each table follows the copied ones."""
    for table in _tables():
        key = [column for column in table.primary_key.columns if column.autoincrement is True
               or (column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
                   and len(table.primary_key.columns) == 1)]
        if len(key) != 1:
            continue
        column = key[0].name
        sequence = connection.execute(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": table.name, "column": column}).scalar()
        if sequence:
            connection.execute(sa.text(
                f'SELECT setval(:sequence, coalesce((SELECT max("{column}") FROM "{table.name}"), 1), '
                f'(SELECT max("{column}") FROM "{table.name}") IS NOT NULL)'), {"sequence": sequence})


def copy_festival(source: str, destination: str, *, progress: Progress = no_progress) -> CopyReport:
    """Copy the festival at `source` (a file path or URL) into `destination` (created when it is
    a new file; a PostgreSQL database must exist and may be empty). Returns both sides' counts."""
    source_db = store_db.open_database(source)
    try:
        target = store_db.resolve_url(destination)
        if target == source_db.url:
            raise UserError("copy: the source and the destination are the same database")
        destination_db = store_db.open_database(target, create=True)
        try:
            if has_festival_data(destination_db):
                raise UserError(f"{destination_db.label} already holds a festival; copy into a new, empty "
                                "database (nothing was changed)")
            tables = _tables()
            with source_db.engine.connect() as reader, destination_db.transaction() as session:
                writer = session.connection()
                for number, table in enumerate(tables):
                    progress(number, len(tables), f"Copying {table.name}")
                    order = list(table.primary_key.columns) or list(table.columns)
                    result = reader.execution_options(stream_results=True).execute(sa.select(table).order_by(*order))
                    while rows := result.fetchmany(CHUNK_ROWS):
                        writer.execute(sa.insert(table), [dict(row._mapping) for row in rows])
                if writer.dialect.name == "postgresql":
                    _reset_sequences(writer)
                progress(len(tables), len(tables), "Indexing films for search")
                rebuild_index(writer)
            report = CopyReport(source=source_db.label, destination=destination_db.label)
            before, after = _counts(source_db), _counts(destination_db)
            report.tables = {name: {"source": before[name], "destination": after[name]} for name in before}
            if not report.match:
                wrong = [name for name, counts in report.tables.items() if counts["source"] != counts["destination"]]
                raise UserError(f"copy: the row counts differ in {', '.join(wrong)} (the source changed "
                                "during the copy?); check the destination before using it")
            return report
        finally:
            destination_db.close()
    finally:
        source_db.close()
