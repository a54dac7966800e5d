"""Benchmark: generating festivals of 1,000 and 25,000 submissions into a fresh SQLite file.

Run: python tests/benchmarks/bench_generate.py [--repeat N]
Prints the median time per size, the per-phase times of the last 25k run, and the ratio against a
baseline measured in the same process: the 1,000-film run (the ratio shows how the cost grows
with the number of submissions; linear growth would be 25x, while the ~300 stills and screenings
are a fixed cost).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from festival_desk.actions.generate import generate_festival
from festival_desk.store.db import open_database


def run_once(films: int, seed: int, folder: Path) -> tuple[float, list[tuple[str, float]]]:
    database = open_database(str(folder / f"generated-{films}-{time.perf_counter_ns()}.sqlite"), create=True)
    phases: list[tuple[str, float]] = []
    last = [time.perf_counter(), "start"]

    def progress(done: int, total: int, message: str) -> None:
        now = time.perf_counter()
        phases.append((str(last[1]), now - float(last[0])))
        last[0], last[1] = now, message

    try:
        started = time.perf_counter()
        generate_festival(database, films=films, seed=seed, progress=progress)
        return time.perf_counter() - started, phases
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results: dict[int, list[float]] = {}
        phases: list[tuple[str, float]] = []
        for films in (1_000, 25_000):
            for _ in range(args.repeat):
                seconds, phases = run_once(films, seed=1, folder=Path(folder))
                results.setdefault(films, []).append(seconds)
        baseline = statistics.median(results[1_000])
        for films, times in results.items():
            median = statistics.median(times)
            print(f"{films:>6} films: median {median:6.2f} s over {len(times)} runs "
                  f"({films / median:,.0f} films/s), {median / baseline:5.1f}x the 1,000-film baseline")
        print("phases of the last 25,000-film run:")
        for name, seconds in phases[1:]:
            print(f"  {name:<32} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
