"""Full-text search over films: one ranked function for SQLite (FTS5) and PostgreSQL (tsvector).

What is searched: each film's title and original title, its directors, logline and synopsis, every
programmer's notes and every review's standfirst and text. Matching ignores case and diacritics in
every script (the index holds a copy folded by `core.text.fold`, queries are folded the same way:
"kovac" finds "Kovač", "αθηνα" finds "Αθήνα", "isik" finds "Işık"), the last word of a query
matches as a prefix ("kov" finds "Kovač"), all words must match (in any of the fields), and the
best matches come first (title hits above director hits above synopsis hits above notes/reviews).
On SQLite a query matching more than UNSELECTIVE_MATCHES films (one or two letters typed) is not
ranked globally: it returns the newest title matches, then the newest other matches, ranked among
themselves (see `_newest_matches`), so that type-ahead stays fast.

Whatever the user types is safe: the query is rebuilt from its word tokens, each quoted, so quotes,
brackets, `*`, `-`, `AND`, `NOT`, `NEAR(`, `title:x` and lone quotes never reach the FTS syntax;
a query without any word finds nothing. Neither backend raises on user input.

Keeping the index in sync
-------------------------
- ORM writes are covered automatically: importing this module registers session listeners that
  note, at every flush, the films whose title, original title, synopsis, logline, credits,
  countries, notes or reviews changed (also when a director's `Person.name` changes) or that were
  deleted, and re-index them once, just before the transaction commits (and before a search in
  that same session, see `sync_pending`). ORM-enabled bulk statements run through `session.execute(update(Note)...)`,
  `delete(...)`, or `insert(Note)` with parameter lists are covered too (the affected films are
  found from the statement's WHERE clause or parameters).
- Core writes are NOT seen (`connection.execute(Film.__table__.insert(), rows)`, `sa.text(...)`,
  ORM bulk inserts of `Film` rows without explicit ids). A bulk writer (the submissions importer,
  the festival generator) must call `reindex_films(session_or_connection, film_ids)` for the
  films it wrote, in the same transaction, or `rebuild_index(...)` after a very large load;
  films it has just created may instead be indexed with `index_new_films` from `FilmDocument`s
  it builds of what it wrote (no reading back: the submissions importer does this).
- Both write through the caller's connection and transaction, so a rolled-back action leaves the
  index as it was.

The listeners do nothing on a database without the search tables (one made by
`SQLModel.metadata.create_all` rather than the migrations); `search_films` needs them.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import fold_words, words
from festival_desk.store.models import Film, FilmCountry, FilmCredit, Note, Person, Review
from festival_desk.store.search_ddl import empty_search_index, has_search_objects

if TYPE_CHECKING:
    from festival_desk.store.filters import FilmFilter

# bm25 weights of the FTS5 columns (title, directors, synopsis, notes, reviews).
_SQLITE_WEIGHTS = (10.0, 5.0, 2.0, 1.0, 1.0)
# More words than this in one query add nothing a user could want; the rest are ignored.
MAX_QUERY_TOKENS = 32
_CHUNK = 500  # films per statement when (re)indexing

_search_film = sa.table("search_film", sa.column("rowid", sa.Integer), sa.column("film_id", sa.Integer),
                        sa.column("document"))
_sort_keys = sa.table("search_sort_key", sa.column("film_id", sa.Integer), sa.column("original_title"),
                      sa.column("directors"), sa.column("countries"))


@dataclass(frozen=True)
class SearchHit:
    """One film found by `search_films`; a higher score is a better match (scores compare only
    within one search)."""

    film_id: int
    title: str
    directors: tuple[str, ...]
    score: float


# --- queries ---------------------------------------------------------------------------------


# --- folding, fast ------------------------------------------------------------------------------
# Indexing folds every word of every synopsis, note and review: core.text.fold on each whole text
# was most of an import's time. Folding is local to a whitespace-separated piece (no character's
# folding depends on a neighbour across a space), so each distinct piece is folded once and
# remembered; text that is all ASCII needs no folding beyond lower-casing.
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1 << 17)
def _piece_tokens(piece: str) -> str:
    return " ".join(token for word in words(piece) for token in word.split("_") if token)


def _token_text(text: str | None) -> str:
    # index_tokens joined by single spaces; map/filter keep the per-piece loop in C.
    if not text:
        return ""
    if text.isascii():
        return " ".join(_ASCII_TOKEN.findall(text.lower()))
    return " ".join(filter(None, map(_piece_tokens, text.split())))


def index_tokens(text: str | None) -> list[str]:
    """The folded word tokens of `text` as the index holds them: `core.text.words(text)` with
    `_` splitting words too, like the SQL tokenizers do (letters and digits only)."""
    return _token_text(text).split()


def query_tokens(text: str | None) -> list[str]:
    """The folded word tokens of a search text, as the index holds them, at most MAX_QUERY_TOKENS."""
    return index_tokens(text)[:MAX_QUERY_TOKENS]


def _index_text(*parts: str | None) -> str:
    return " ".join(filter(None, map(_token_text, parts)))


def _fts5_query(tokens: Sequence[str]) -> str:
    # Tokens are runs of letters and digits, so quoting cannot be broken out of.
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(tokens: Sequence[str]) -> str:
    quoted = [f"'{token}'" for token in tokens]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def _matching(dialect_name: str, tokens: Sequence[str], *, ranked: bool) -> sa.Select:
    """SELECT film_id (and, when `ranked`, its score: higher is better) of the films whose index
    document matches `tokens`."""
    if dialect_name == "sqlite":
        fts = sa.literal_column("search_film")
        columns = [_search_film.c.rowid.label("film_id")]
        if ranked:
            columns.append((-sa.func.bm25(fts, *_SQLITE_WEIGHTS)).label("score"))
        return sa.select(*columns).where(fts.op("MATCH")(sa.literal(_fts5_query(tokens))))
    tsquery = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), sa.literal(_tsquery(tokens)))
    columns = [_search_film.c.film_id]
    if ranked:
        columns.append(sa.func.ts_rank(_search_film.c.document, tsquery).label("score"))
    return sa.select(*columns).where(_search_film.c.document.op("@@")(tsquery))


def ranked_matches(dialect_name: str, query: str | None) -> sa.Subquery | None:
    """A subquery of (film_id, score) of the films matching `query`, higher score first when
    ordered; None when the query holds no word (it matches nothing)."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    return _matching(dialect_name, tokens, ranked=True).subquery("search_match")


def matching_condition(dialect_name: str, query: str) -> sa.ColumnElement[bool]:
    """A condition on `Film` true for the films matching `query` (false for all when the query
    holds no word)."""
    tokens = query_tokens(query)
    if not tokens:
        return sa.false()
    # Membership only: no rank computed for each of thousands of matches.
    return Film.id.in_(_matching(dialect_name, tokens, ranked=False))


def search_films(session: Session, query: str | None, *, filter: FilmFilter | None = None,  # noqa: A002
                 limit: int | None = 50, programmer_id: int | None = None) -> list[SearchHit]:
    """The films matching `query`, best first, at most `limit` (None: all).

    `filter` narrows the result (its own `search` text must match too); `programmer_id` is "me"
    for the filter's `assigned_to_me`. Never raises on what the user typed; a query without any
    word returns [].
    """
    sync_pending(session)
    dialect_name = session.get_bind().dialect.name
    matches = ranked_matches(dialect_name, query)
    if matches is None or (limit is not None and limit <= 0):
        return []
    conditions = filter.conditions(dialect_name, programmer_id=programmer_id) if filter is not None else []
    connection = session.connection()
    if limit is not None and dialect_name == "sqlite" and _is_unselective(connection, query):
        rows = _newest_matches(connection, query, conditions, limit)
    else:
        statement = (sa.select(Film.id, Film.title, matches.c.score)
                     .join(matches, matches.c.film_id == Film.id).where(*conditions)
                     .order_by(matches.c.score.desc(), Film.sort_key, Film.id)
                     .limit(limit))
        rows = connection.execute(statement).all()
    directors = directors_of(session, [row.id for row in rows])
    return [SearchHit(film_id=row.id, title=row.title, directors=directors.get(row.id, ()),
                      score=float(row.score)) for row in rows]


# Ranking reads every matching document: fine for a few thousand, 60–100 ms for a one- or
# two-letter prefix that matches all 25,000 films. Beyond this many matches, see _newest_matches.
UNSELECTIVE_MATCHES = 2000


def _is_unselective(connection: sa.Connection, query: str | None) -> bool:
    match = _fts5_query(query_tokens(query))
    found = connection.execute(sa.text(
        "SELECT count(*) FROM (SELECT 1 FROM search_film WHERE search_film MATCH :match LIMIT :cap)"),
        {"match": match, "cap": UNSELECTIVE_MATCHES + 1}).scalar_one()
    return found > UNSELECTIVE_MATCHES


def _newest_matches(connection: sa.Connection, query: str | None, conditions: list, limit: int) -> list:
    """For a query matching too many films to rank them all (a letter or two typed): the `limit`
    newest films whose title matches, then the newest others, ranked among themselves. FTS5 walks
    its rowids in descending order and stops at `limit`, so this stays around a millisecond."""
    tokens = query_tokens(query)
    fts = sa.literal_column("search_film")
    score = (-sa.func.bm25(fts, *_SQLITE_WEIGHTS)).label("score")
    rows: list = []
    for match in (f"{{title}} : ({_fts5_query(tokens)})", _fts5_query(tokens)):
        taken = [row.id for row in rows]
        statement = (sa.select(Film.id, Film.title, score)
                     .select_from(_search_film).join(Film, Film.id == _search_film.c.rowid)
                     .where(fts.op("MATCH")(sa.literal(match)), *conditions, Film.id.not_in(taken))
                     .order_by(_search_film.c.rowid.desc()).limit(limit - len(rows)))
        rows += connection.execute(statement).all()
        if len(rows) >= limit:
            break
    return sorted(rows, key=lambda row: -row.score)


def directors_of(session_or_connection: Session | sa.Connection, film_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The directors' names of each film, in credit order (films without directors are absent)."""
    connection = _connection(session_or_connection)
    names: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(film_ids):
        rows = connection.execute(
            sa.select(FilmCredit.film_id, Person.name).join(Person, Person.id == FilmCredit.person_id)
            .where(FilmCredit.film_id.in_(chunk), FilmCredit.role == "director")
            .order_by(FilmCredit.film_id, FilmCredit.position))
        for film_id, name in rows:
            names[film_id].append(name)
    return {film_id: tuple(values) for film_id, values in names.items()}


def sort_key_columns() -> sa.TableClause:
    """The `search_sort_key` table (film_id, original_title, directors, countries), for sorting."""
    return _sort_keys


# --- writing the index -----------------------------------------------------------------------


def _connection(session_or_connection: Session | sa.Connection) -> sa.Connection:
    if isinstance(session_or_connection, sa.Connection):
        return session_or_connection
    return session_or_connection.connection()


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


@dataclass
class FilmDocument:
    """What the index holds of one film, before folding. Made with `of_film` and filled with the
    `add_*` methods, by `reindex_films` from the database and by bulk writers from what they
    have just written (see `index_new_films`), so that both index the same text."""

    title: str
    original_title: str | None
    sort_title: str
    synopsis: str
    directors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)

    @classmethod
    def of_film(cls, *, title: str, original_title: str | None, sort_title: str, logline: str,
                synopsis: str) -> FilmDocument:
        return cls(title=title, original_title=original_title, sort_title=sort_title,
                   synopsis=f"{logline}\n{synopsis}")

    def add_director(self, name: str) -> None:
        """Directors are added in credit order."""
        self.directors.append(name)

    def add_country(self, code: str | None, label: str | None) -> None:
        """Countries are added in the film's order."""
        self.countries.append(code or label or "")

    def add_note(self, text: str) -> None:
        self.notes.append(text)

    def add_review(self, standfirst: str | None, body: str) -> None:
        self.reviews.append(f"{standfirst or ''}\n{body}")


def _film_ids_condition(column: Any, film_ids: list[int], *, whole_range: bool) -> sa.ColumnElement[bool]:
    """`column IN film_ids` (sorted, distinct), as a range where that means the same: the ids are
    consecutive (the films a bulk import just added) or `whole_range` says every film between the
    first and the last is wanted (a rebuild). Rendering an IN list of 500 ids costs more than
    running the query."""
    if whole_range or film_ids[-1] - film_ids[0] + 1 == len(film_ids):
        return column.between(film_ids[0], film_ids[-1])
    return column.in_(film_ids)


def _documents(connection: sa.Connection, film_ids: list[int], *, whole_range: bool = False) -> dict[int, FilmDocument]:
    # .all() fetches in one call; iterating a result fetches row by row, a third slower here.
    def of_films(column: Any) -> sa.ColumnElement[bool]:
        return _film_ids_condition(column, film_ids, whole_range=whole_range)

    documents = {
        row.id: FilmDocument.of_film(title=row.title, original_title=row.original_title, sort_title=row.sort_title,
                                     logline=row.logline, synopsis=row.synopsis)
        for row in connection.execute(
            sa.select(Film.id, Film.title, Film.original_title, Film.sort_title, Film.logline, Film.synopsis)
            .where(of_films(Film.id))).all()
    }
    if not documents:
        return documents
    for film_id, name in connection.execute(
            sa.select(FilmCredit.film_id, Person.name).join(Person, Person.id == FilmCredit.person_id)
            .where(of_films(FilmCredit.film_id), FilmCredit.role == "director")
            .order_by(FilmCredit.film_id, FilmCredit.position)).all():
        documents[film_id].add_director(name)
    for film_id, code, label in connection.execute(
            sa.select(FilmCountry.film_id, FilmCountry.code, FilmCountry.label)
            .where(of_films(FilmCountry.film_id)).order_by(FilmCountry.film_id, FilmCountry.position)).all():
        documents[film_id].add_country(code, label)
    for film_id, text in connection.execute(
            sa.select(Note.film_id, Note.text).where(of_films(Note.film_id)).order_by(Note.id)).all():
        documents[film_id].add_note(text)
    for film_id, standfirst, body in connection.execute(
            sa.select(Review.film_id, Review.standfirst, Review.body_text)
            .where(of_films(Review.film_id)).order_by(Review.id)).all():
        documents[film_id].add_review(standfirst, body)
    return documents


def _delete_rows(connection: sa.Connection, film_ids: list[int]) -> None:
    key = _search_film.c.rowid if connection.dialect.name == "sqlite" else _search_film.c.film_id
    connection.execute(sa.delete(_search_film).where(_film_ids_condition(key, film_ids, whole_range=False)))
    connection.execute(sa.delete(_sort_keys).where(_film_ids_condition(_sort_keys.c.film_id, film_ids,
                                                                       whole_range=False)))


# SQLite rows go straight to the driver: SQLAlchemy's per-row parameter handling cost as much as
# FTS5's own insert when (re)indexing thousands of films.
_SQLITE_INSERT = ("INSERT INTO search_film (rowid, title, directors, synopsis, notes, reviews) "
                  "VALUES (?, ?, ?, ?, ?, ?)")
_SQLITE_SORT_KEY_INSERT = ("INSERT INTO search_sort_key (film_id, original_title, directors, countries) "
                           "VALUES (?, ?, ?, ?)")
# Two colleagues' transactions may index the same film at the same moment (two notes on one
# film): the later one's document wins instead of a unique-key error.
_POSTGRES_INSERT = sa.text(
    "INSERT INTO search_film (film_id, document) VALUES (:film_id, "
    "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :directors), 'B') "
    "|| setweight(to_tsvector('simple', :synopsis), 'C') "
    "|| setweight(to_tsvector('simple', :notes || ' ' || :reviews), 'D')) "
    "ON CONFLICT (film_id) DO UPDATE SET document = EXCLUDED.document")
_POSTGRES_SORT_KEY_INSERT = sa.text(
    "INSERT INTO search_sort_key (film_id, original_title, directors, countries) "
    "VALUES (:film_id, :original_title, :directors, :countries) ON CONFLICT (film_id) DO UPDATE SET "
    "original_title = EXCLUDED.original_title, directors = EXCLUDED.directors, countries = EXCLUDED.countries")
_INDEX_ROW_KEYS = ("film_id", "title", "directors", "synopsis", "notes", "reviews")
_SORT_KEY_ROW_KEYS = ("film_id", "original_title", "directors", "countries")


def _write(connection: sa.Connection, documents: dict[int, FilmDocument]) -> None:
    if not documents:
        return
    index_rows = [
        (film_id, _index_text(doc.title, doc.original_title), _index_text(*doc.directors),
         _index_text(doc.synopsis), _index_text(*doc.notes), _index_text(*doc.reviews))
        for film_id, doc in documents.items()
    ]
    sort_key_rows = [  # fold_words is core.text.sort_key
        (film_id, fold_words(doc.original_title or doc.sort_title), fold_words(", ".join(doc.directors)),
         fold_words(" ".join(doc.countries)))
        for film_id, doc in documents.items()
    ]
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(_SQLITE_INSERT, index_rows)
        connection.exec_driver_sql(_SQLITE_SORT_KEY_INSERT, sort_key_rows)
    else:
        connection.execute(_POSTGRES_INSERT, [dict(zip(_INDEX_ROW_KEYS, row)) for row in index_rows])
        connection.execute(_POSTGRES_SORT_KEY_INSERT, [dict(zip(_SORT_KEY_ROW_KEYS, row)) for row in sort_key_rows])


def reindex_films(session_or_connection: Session | sa.Connection, film_ids: Iterable[int]) -> None:
    """Recompute the search documents of `film_ids` from the database as it is now (in the
    caller's transaction). Ids of films that no longer exist are removed from the index."""
    connection = _connection(session_or_connection)
    chunks = list(_chunks(film_ids))
    # Every delete first: a DELETE between inserts makes FTS5 flush the rows it holds in memory
    # into a small segment each time (25,000 films: 1.0-1.3 s of FTS5 work instead of 0.9 s).
    for chunk in chunks:
        _delete_rows(connection, chunk)
    for chunk in chunks:
        _write(connection, _documents(connection, chunk))


def index_new_films(session_or_connection: Session | sa.Connection, documents: dict[int, FilmDocument]) -> None:
    """Index films that a bulk writer has just created in the caller's transaction, from the
    documents it built of what it wrote (FilmDocument), without reading them back. The films
    must not be in the index yet (their rows would be doubled): re-index changed films with
    `reindex_films`."""
    connection = _connection(session_or_connection)
    ordered = sorted(documents)
    for start in range(0, len(ordered), _CHUNK):
        _write(connection, {film_id: documents[film_id] for film_id in ordered[start:start + _CHUNK]})


def rebuild_index(session_or_connection: Session | sa.Connection, *, progress: Progress = no_progress) -> int:
    """Empty the search index and index every film again (in the caller's transaction); returns
    the number of films indexed. `progress` may raise core.errors.Cancelled."""
    connection = _connection(session_or_connection)
    empty_search_index(connection)
    film_ids = list(connection.execute(sa.select(Film.id).order_by(Film.id)).scalars())
    done = 0
    for chunk in _chunks(film_ids):
        progress(done, len(film_ids), "Indexing films for search")
        _write(connection, _documents(connection, chunk, whole_range=True))
        done += len(chunk)
    progress(done, len(film_ids), "Indexing films for search")
    return done


# --- keeping the index in sync with ORM writes ------------------------------------------------

# Per class, the attributes whose change alters a film's search document or sort keys.
_TRACKED: dict[type, tuple[str, ...]] = {
    Film: ("title", "original_title", "sort_title", "logline", "synopsis"),
    FilmCredit: ("film_id", "person_id", "role", "position"),
    FilmCountry: ("film_id", "code", "label", "position"),
    Note: ("film_id", "text"),
    Review: ("film_id", "standfirst", "body_text"),
    Person: ("name",),
}
_PENDING_KEY = "festival_desk.search.pending"
_has_index: weakref.WeakKeyDictionary[sa.Engine, bool] = weakref.WeakKeyDictionary()


def forget_index_presence() -> None:
    """Make the listeners look again for the search tables (after creating or dropping them on
    an engine that has already been used)."""
    _has_index.clear()


def _index_present(connection: sa.Connection) -> bool:
    engine = connection.engine
    present = _has_index.get(engine)
    if present is None:
        present = _has_index[engine] = has_search_objects(connection)
    return present


@dataclass
class _Pending:
    film_ids: set[int] = field(default_factory=set)
    new_films: list[Film] = field(default_factory=list)
    person_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.film_ids or self.new_films or self.person_ids)


def _changed(instance: Any, names: tuple[str, ...]) -> bool:
    attrs = sa.inspect(instance).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _note_instance(pending: _Pending, instance: Any, *, is_new: bool) -> None:
    if isinstance(instance, Film):
        if instance.id is None:
            pending.new_films.append(instance)
        else:
            pending.film_ids.add(instance.id)
    elif isinstance(instance, Person):
        if not is_new and instance.id is not None:
            pending.person_ids.add(instance.id)
    else:
        if instance.film_id is not None:
            pending.film_ids.add(instance.film_id)
        if not is_new:  # a row moved to another film changes that film's document too
            pending.film_ids.update(v for v in sa.inspect(instance).attrs.film_id.history.deleted if v is not None)


@event.listens_for(Session, "before_flush")
def _collect_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    touched = [(obj, True) for obj in session.new] + [(obj, False) for obj in session.deleted]
    touched += [(obj, False) for obj in session.dirty
                if type(obj) in _TRACKED and _changed(obj, _TRACKED[type(obj)])]
    touched = [(obj, is_new) for obj, is_new in touched if type(obj) in _TRACKED]
    if not touched or not _index_present(session.connection()):
        return
    pending: _Pending = session.info.setdefault(_PENDING_KEY, _Pending())
    for instance, is_new in touched:
        _note_instance(pending, instance, is_new=is_new)


@event.listens_for(Session, "after_flush")
def _resolve_new_films(session: Session, _flush_context: Any) -> None:
    pending: _Pending | None = session.info.get(_PENDING_KEY)
    if pending and pending.new_films:  # their ids exist from this flush on
        pending.film_ids.update(film.id for film in pending.new_films if film.id is not None)
        pending.new_films.clear()


def sync_pending(session: Session) -> None:
    """Flush `session` and bring the index up to date with everything it has written so far.

    Runs by itself before every commit and at the start of `search_films` and `film_ids`; call
    it only to read the index by other means inside a writing transaction. Cheap when the session
    has written nothing.
    """
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending: _Pending | None = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    connection = session.connection()
    film_ids = set(pending.film_ids)
    if pending.person_ids:
        film_ids.update(connection.execute(
            sa.select(FilmCredit.film_id).where(FilmCredit.person_id.in_(pending.person_ids),
                                                FilmCredit.role == "director")).scalars())
    reindex_films(connection, film_ids)


@event.listens_for(Session, "before_commit")
def _sync_before_commit(session: Session) -> None:
    # Once per transaction rather than per flush: loaders that flush after every film would
    # otherwise re-index the same film several times.
    sync_pending(session)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def _statement_columns(state: ORMExecuteState) -> set[str] | None:
    """Names of the columns an ORM UPDATE sets, or None when they cannot be told."""
    values = getattr(state.statement, "_values", None)
    names = {getattr(key, "key", key) for key in values} if values else set()
    parameters = state.parameters
    if isinstance(parameters, dict):
        names.update(parameters)
    elif parameters:
        for row in parameters:
            names.update(row)
    return names or None


def _affected_film_ids(state: ORMExecuteState, entity: type) -> set[int]:
    """The films an ORM bulk UPDATE or DELETE on `entity` will touch, read before it runs."""
    statement = state.statement
    rows = sa.select(entity.id)
    if statement.whereclause is not None:
        rows = rows.where(statement.whereclause)
    elif isinstance(state.parameters, list):  # bulk UPDATE by primary key
        rows = rows.where(entity.id.in_([row["id"] for row in state.parameters if "id" in row]))
    if entity is Film:
        film_rows = rows
    elif entity is Person:
        film_rows = sa.select(FilmCredit.film_id).where(FilmCredit.person_id.in_(rows),
                                                         FilmCredit.role == "director")
    else:
        film_rows = sa.select(entity.film_id).where(entity.id.in_(rows))
    return set(state.session.connection().execute(film_rows).scalars())


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statement(state: ORMExecuteState) -> None:
    session = state.session
    if not (state.is_update or state.is_delete or state.is_insert) or state.bind_mapper is None:
        return None
    entity = state.bind_mapper.class_
    if entity not in _TRACKED or not _index_present(session.connection()):
        return None
    if state.is_update:
        columns = _statement_columns(state)
        if columns is not None and not columns & set(_TRACKED[entity]):
            return None
    if state.is_insert:
        parameters = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        key = "id" if entity is Film else "film_id"
        film_ids = {row[key] for row in parameters if row.get(key) is not None}
    else:
        film_ids = _affected_film_ids(state, entity)
    session.info.setdefault(_PENDING_KEY, _Pending()).film_ids.update(film_ids)
    return None
