"""Command-line start-up on a generated festival, each command timed as a whole process (a fresh
interpreter per run, alternated with the baseline), beside `python -c pass` run the same way:

- `festival-desk --help` (goal: under 0.3 s on this machine): loads no database or PDF stack;
- `festival-desk info --json` and `festival-desk films list --json` on a 25,000-film festival
  (goal: under 1.0 s each).

Run: .venv/bin/python tests/benchmarks/bench_cli.py [--films 25000] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _seconds(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=25000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    command = [sys.executable, "-m", "festival_desk.cli"]
    with tempfile.TemporaryDirectory(prefix="festival-desk-bench-cli-") as folder:
        env = {**os.environ, "XDG_DATA_HOME": f"{folder}/data", "XDG_CONFIG_HOME": f"{folder}/config"}
        db = str(Path(folder) / "festival.sqlite")
        print(f"generating a {args.films:,}-film festival …", flush=True)
        subprocess.run([*command, "generate", "--films", str(args.films), "--seed", "1", "--db", db],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--help": [*command, "--help"],
            "info --json": [*command, "info", "--json", "--db", db],
            "films list --json": [*command, "films", "list", "--json", "--db", db],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for name, argv in cases.items():  # a first run of each fills the file system cache
            _seconds(argv, env)
        for _ in range(args.runs):
            for name, argv in cases.items():
                times[name].append(_seconds(argv, env))
    baseline = statistics.median(times["python -c pass"])
    print(f"{args.runs} runs each, alternated; median (min–max), and the ratio to `python -c pass`")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<20} {median:6.3f} s ({min(values):.3f}–{max(values):.3f})  ×{median / baseline:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
