"""Benchmark: search with 25,000 films, ~100,000 notes and ~5,000 reviews.

Builds the festival with the generator (Core executemany, one index rebuild), then runs a fixed set
of 200 queries through `search_films` (ranked, joined to films, directors fetched: what the desk and
the CLI call) and, as the baseline in the same process, the raw FTS5 query for the same MATCH text
(`SELECT rowid ... MATCH ? LIMIT 50` on the bare sqlite3 connection). Prints medians, 95th
percentiles and their ratio. Goal: search_films median under 10 ms, p95 under 25 ms.

Also times `film_ids` (sorted by title, and by mean score) and `film_rows` for a 200-row page.

Run: /work/venv/bin/python tests/benchmarks/bench_search.py [FILMS]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from festival_desk.actions.generate import generate_festival
from festival_desk.store.db import open_database
from festival_desk.store.film_rows import film_rows
from festival_desk.store.filters import FilmFilter, film_ids
from festival_desk.store.models import Film, Note, Person, Review
from festival_desk.store.search import _fts5_query, query_tokens, rebuild_index, search_films

QUERY_COUNT = 200
# What people type that the generated words cannot supply: scripts, accents, operators, noise.
FIXED_QUERIES = ["kovac", "Kovač", "cafe", "isik", "елка", "αθηνα", "ж", "κ", "a", "th", '"', "NEAR(", "AND",
                 "title:x", "-x", "c++", "(night", "* *", "zz", "ö"]


def build_queries(session) -> list[str]:
    """200 fixed queries (the generator is deterministic, and so is this choice): whole words,
    2–4 letter prefixes and two-word queries drawn from titles, names, notes and reviews."""
    rng = random.Random(20240)
    sources = [
        session.execute(sa.select(Film.title).order_by(Film.id).limit(3000)).scalars().all(),
        session.execute(sa.select(Person.name).order_by(Person.id).limit(3000)).scalars().all(),
        session.execute(sa.select(Note.text).order_by(Note.id).limit(3000)).scalars().all(),
        session.execute(sa.select(Review.body_text).order_by(Review.id).limit(300)).scalars().all(),
    ]
    vocabulary = sorted({word for texts in sources for text in texts for word in text.split() if len(word) > 3})
    queries = list(FIXED_QUERIES)
    while len(queries) < QUERY_COUNT:
        word = rng.choice(vocabulary).strip(".,;:!?«»\"'()")
        kind = len(queries) % 3
        if kind == 0:
            queries.append(word)
        elif kind == 1:
            queries.append(word[: rng.randint(2, 4)])
        else:
            queries.append(f"{rng.choice(vocabulary)} {word[:3]}")
    return queries


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def summary(label: str, times: list[float]) -> tuple[float, float]:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{label:<34} median {median:7.2f} ms   p95 {p95:7.2f} ms   max {max(times):7.2f} ms")
    return median, p95


def main() -> None:
    films = int(sys.argv[1]) if len(sys.argv) > 1 else 25_000
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(str(Path(folder) / "bench.sqlite"), create=True)
        started = time.perf_counter()
        generate_festival(database, films=films, seed=1)
        print(f"generated {films} films in {time.perf_counter() - started:.1f} s")
        with database.reading() as session:
            counts = {model.__name__: session.execute(sa.select(sa.func.count()).select_from(model)).scalar()
                      for model in (Film, Note, Review)}
            print("rows:", counts)
            queries = build_queries(session)
        with database.transaction() as session:
            print(f"rebuild_index: {timed(rebuild_index, session) / 1000:.2f} s")

        with database.reading() as session:
            raw = session.connection().connection.driver_connection  # the bare sqlite3 connection
            match_texts = [(_fts5_query(tokens) if (tokens := query_tokens(q)) else None) for q in queries]

            def raw_fts(match: str | None) -> None:
                if match is not None:
                    raw.execute("SELECT rowid FROM search_film WHERE search_film MATCH ? LIMIT 50", (match,)).fetchall()

            for query, match in zip(queries, match_texts):  # warm the page cache for both
                raw_fts(match)
                search_films(session, query)
            raw_times = [timed(raw_fts, match) for match in match_texts]
            search_times = [timed(search_films, session, query) for query in queries]
            filtered = FilmFilter(statuses=("submitted", "in_review"))
            filtered_times = [timed(lambda q: search_films(session, q, filter=filtered), query) for query in queries]
            hits = sum(1 for query in queries if search_films(session, query))

            print(f"{QUERY_COUNT} queries, {hits} with hits")
            raw_median, _ = summary("raw FTS5 MATCH (baseline)", raw_times)
            median, p95 = summary("search_films", search_times)
            summary("search_films + status filter", filtered_times)
            print(f"ratio search_films / raw FTS5 (medians): {median / max(raw_median, 1e-6):.1f}x")
            print(f"goal median < 10 ms: {'met' if median < 10 else 'MISSED'};"
                  f" goal p95 < 25 ms: {'met' if p95 < 25 else 'MISSED'}")

            summary("film_ids, all films by title", [timed(film_ids, session, None) for _ in range(5)])
            summary("film_ids, all films by mean", [timed(lambda: film_ids(session, None, sort=("mean", False)))
                                                     for _ in range(5)])
            page = film_ids(session, None)[:200]
            summary("film_rows, 200-row page", [timed(film_rows, session, page) for _ in range(20)])
        database.close()


if __name__ == "__main__":
    main()
