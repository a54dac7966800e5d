"""The DDL of the search index, in one place, for the migrations and the tests.

The index is not modelled (SQLModel knows nothing of it); every object's name starts with
`search_`, the prefix `store.migrations` keeps out of autogenerate. Two objects, per dialect:

- `search_film`, one document per film holding the *folded* text (core.text.fold, reduced to word
  tokens) of its title and original title, directors, logline and synopsis, notes and reviews.
  SQLite: an FTS5 table (rowid = film id) with one column per part, so that bm25 can weigh them.
  PostgreSQL: a table of `(film_id, document tsvector)` with a GIN index, the parts weighted A–D
  and parsed with the 'simple' configuration (no stemming, no stop words: the folding is ours).
- `search_sort_key`, the folded sort keys of the list columns that have no column of their own on
  `film` (original title, directors, countries), so that the film table sorts them in SQL.

No triggers: the documents are computed in Python (folding is not expressible in SQL on SQLite),
see `store.search` for how they are kept in sync. A batch migration that recreates `film` therefore
loses nothing here. Neither table has a foreign key to `film`: every query joins `film`, so a row
of a deleted film is invisible, and `store.search.rebuild_index` removes such rows.

`SCHEMA_VERSION` is written into the migrations that create these objects; a later change of the
index layout needs a new migration that calls `drop_search_objects` then `create_search_objects`
and `store.search.rebuild_index`.
"""

from __future__ import annotations

import sqlalchemy as sa

# FTS5 column order matters: bm25() weights are given positionally in store.search.
SQLITE_COLUMNS = ("title", "directors", "synopsis", "notes", "reviews")

_SQLITE_CREATE = (
    # Text arrives folded and tokenised; unicode61 only splits it on the spaces again. Prefix
    # indexes of 1–3 characters keep type-ahead queries ("k", "ko") from scanning the whole term list.
    f"CREATE VIRTUAL TABLE search_film USING fts5({', '.join(SQLITE_COLUMNS)}, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')",
    "CREATE TABLE search_sort_key (film_id INTEGER PRIMARY KEY, original_title TEXT NOT NULL, "
    "directors TEXT NOT NULL, countries TEXT NOT NULL)",
)
_POSTGRES_CREATE = (
    "CREATE TABLE search_film (film_id INTEGER PRIMARY KEY, document TSVECTOR NOT NULL)",
    "CREATE INDEX search_film_document_gin ON search_film USING gin (document)",
    "CREATE TABLE search_sort_key (film_id INTEGER PRIMARY KEY, original_title TEXT NOT NULL, "
    "directors TEXT NOT NULL, countries TEXT NOT NULL)",
)
SEARCH_TABLES = ("search_film", "search_sort_key")


def create_search_objects(connection: sa.Connection) -> None:
    """Create the (empty) search tables for the connection's dialect."""
    statements = _SQLITE_CREATE if connection.dialect.name == "sqlite" else _POSTGRES_CREATE
    for statement in statements:
        connection.exec_driver_sql(statement)


def empty_search_index(connection: sa.Connection) -> None:
    """Remove every document from the search tables (in the caller's transaction). On SQLite the
    FTS5 table is dropped and made again: deleting its rows re-tokenises every stored document
    (about 4 s for 25,000 films with their notes), dropping it costs nothing."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE search_film")
        connection.exec_driver_sql(_SQLITE_CREATE[0])
    else:
        connection.exec_driver_sql("DELETE FROM search_film")
    connection.exec_driver_sql("DELETE FROM search_sort_key")


def drop_search_objects(connection: sa.Connection) -> None:
    """Drop the search tables (FTS5 shadow tables and indexes go with them)."""
    for table in SEARCH_TABLES:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def has_search_objects(connection: sa.Connection) -> bool:
    """True when both search tables exist (a database built by `SQLModel.metadata.create_all`
    instead of the migrations has none)."""
    names = set(sa.inspect(connection).get_table_names())
    return all(table in names for table in SEARCH_TABLES)
