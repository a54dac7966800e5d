"""Benchmark: parsing 1,000 seed-sized reviews (target under 2 s) and matching one review against
25,000 films (target under 50 ms).

Run: /work/venv/bin/python tests/benchmarks/bench_reviews.py
The reviews are built from our own fixtures, varied and padded to the seed's size (about 6 KB);
the baseline is splitting the same texts into blank-line paragraphs with `str.split`, the least
any parser must do.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from festival_desk.core.matching import CandidateFilm, FilmMatcher
from festival_desk.importers.reviews import parse_review_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"
SEED_SIZE = 6000
REVIEWS = 1000
RUNS = 5
FILMS = 25_000
MATCHES = 200
WORDS = ("red soul quiet yard night ferry salt year river shift last baths eleven spring lost found "
         "mother land water fire love witness house road winter song border city island children "
         "memory silence light dark north south garden letters mountain sea").split()
NAMES = ("Ana Marek Irina Claire Liv Sam Ola Jessica Tomás Petra Luka Hana Kai Ada Jonas Léa "
         "Kovač Horvat Lebedeva Martin Sørensen Reyes Berg Gorter Ferrer Šimić Babić Novak").split()


def build_reviews(count: int) -> list[str]:
    sources = [path.read_text(encoding="utf-8-sig") for path in sorted(FIXTURES.glob("*.txt"))]
    rng = random.Random(7)
    reviews = []
    for number in range(count):
        text = sources[number % len(sources)]
        paragraphs = text.split("\n\n")
        body_paragraphs = paragraphs[5:] or paragraphs[-1:]
        while len(text) < SEED_SIZE:
            text += "\n\n" + rng.choice(body_paragraphs).replace("the", f"the {number}", 1)
        reviews.append(text)
    return reviews


def timed(function, texts: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for text in texts:
            function(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_parsing() -> None:
    texts = build_reviews(REVIEWS)
    average = sum(map(len, texts)) / len(texts)
    parsed = timed(lambda text: parse_review_text(text, "bench"), texts)
    baseline = timed(lambda text: [block.split() for block in text.split("\n\n")], texts)
    print(f"parse {REVIEWS} reviews of {average:,.0f} chars: median {parsed:.3f} s "
          f"(target < 2 s) — {parsed / baseline:.1f}x str.split baseline ({baseline:.3f} s)")


def build_films(count: int, rng: random.Random) -> list[CandidateFilm]:
    films = []
    for film_id in range(count):
        title = " ".join(rng.choice(WORDS).capitalize() if i == 0 else rng.choice(WORDS)
                         for i in range(rng.randint(1, 4)))
        if rng.random() < 0.3:
            title = "The " + title
        directors = tuple(f"{rng.choice(NAMES)} {rng.choice(NAMES)}" for _ in range(rng.randint(1, 2)))
        films.append(CandidateFilm(film_id, title, None, directors, rng.randint(1990, 2024)))
    return films


def bench_matching() -> None:
    rng = random.Random(11)
    films = build_films(FILMS, rng)
    start = time.perf_counter()
    matcher = FilmMatcher(films)
    prepare = time.perf_counter() - start
    queries = [rng.choice(films) for _ in range(MATCHES)]
    times, baseline_times = [], []
    for film in queries:
        start = time.perf_counter()
        matcher.match(film.title.lower(), directors=film.directors, year=film.year)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        folded = film.title.lower()
        [candidate for candidate in films if candidate.title.lower() == folded]
        baseline_times.append(time.perf_counter() - start)
    median, baseline = statistics.median(times), statistics.median(baseline_times)
    print(f"match one review against {FILMS:,} films: median {median * 1000:.1f} ms, worst "
          f"{max(times) * 1000:.1f} ms (target < 50 ms) — {median / baseline:.1f}x an exact-title "
          f"scan ({baseline * 1000:.1f} ms); preparing the films once: {prepare:.2f} s")


if __name__ == "__main__":
    bench_parsing()
    bench_matching()
