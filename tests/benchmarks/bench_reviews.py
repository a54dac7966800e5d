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

from festival_desk.importers.reviews import parse_review_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"
SEED_SIZE = 6000
REVIEWS = 1000
RUNS = 5


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


if __name__ == "__main__":
    bench_parsing()
