"""Benchmark: every file of the hostile corpus through the command line, each in its own process,
with its time and peak memory (the child's own peak resident set, from `os.wait4`).

    .venv/bin/python tests/benchmarks/bench_hostile.py [--corpus FOLDER] [--only NAME...] [--runs N]

Submissions files go through `submissions import FILE --dry-run --json` (and the files at the
import's limits through a real import, which holds the most in memory and takes the longest: one
at each limit, one at all of them at once, a workbook at its cell limit), reviews through `review
parse FILE --json` and `review import FILE --create-film --json` (on a generated festival), the
corpus's own and one at the size limit of each review format. Each
outcome is checked against the corpus (exit code, one line on stderr and no traceback for a
refusal). The files at the limits run `--runs` times (3 unless told): their figure is the median
time and the highest peak memory. The baseline is the same command on a small good file of the same
kind, in the same run. Goal: every file under 10 s and under 500 MB. A child that passes 2 GB or 60 s is stopped (and
reported as over the goal) so that the machine stays usable.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from hostile_corpus import REVIEW, SUBMISSIONS, Case, write_corpus  # noqa: E402

TIME_GOAL_S = 10.0
MEMORY_GOAL_MB = 500.0
STOP_AFTER_S = 60.0
STOP_ABOVE_MB = 2048.0


@dataclass
class Run:
    label: str
    seconds: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str
    stopped: str = ""


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# A small process between the benchmark and each command: a child's peak RSS as the kernel counts
# it starts at its parent's size when it was forked, so the command is forked from this runner
# (some 10 MB), not from the benchmark (which holds the corpus it wrote).
RUNNER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss}, out)
"""


def _child_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            found = children.read().split()
    except OSError:
        return None
    return int(found[0]) if found else None


def run_cli(label: str, *args: str, env: dict[str, str]) -> Run:
    """Run `festival-desk ARGS` in a child; its time, peak RSS and output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        started = time.perf_counter()
        runner = subprocess.Popen([sys.executable, "-c", RUNNER, result.name, "-m", "festival_desk.cli", *args],
                                  stdout=out, stderr=err, env=env)
        stopped: list[str] = []
        finished = threading.Event()

        def watch() -> None:
            while not finished.wait(0.05):
                child = _child_of(runner.pid)
                if time.perf_counter() - started > STOP_AFTER_S:
                    stopped.append(f"stopped after {STOP_AFTER_S:.0f} s")
                elif child is not None and _rss_mb(child) > STOP_ABOVE_MB:
                    stopped.append(f"stopped above {STOP_ABOVE_MB:.0f} MB")
                if stopped:
                    with contextlib.suppress(OSError):
                        os.kill(child or runner.pid, signal.SIGKILL)
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        runner.wait()
        seconds = time.perf_counter() - started
        finished.set()
        watcher.join()
        try:
            measured = json.load(result)
        except json.JSONDecodeError:
            measured = {"code": runner.returncode, "peak_kb": 0}
        out.seek(0)
        err.seek(0)
        return Run(label, seconds, measured["peak_kb"] / 1024, measured["code"],
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   stopped[0] if stopped else "")


def judge(case: Case, run: Run) -> str:
    """"ok" or what is wrong with the run's outcome."""
    if run.stopped:
        return run.stopped
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    if "Traceback" in run.stderr:
        return "traceback: " + (lines[-1] if lines else "")
    if case.outcome == "refused":
        if run.code != 1 or len(lines) != 1:
            return f"expected one line and exit 1, got exit {run.code}, {len(lines)} lines: {run.stderr[:200]!r}"
        if case.expect and case.expect not in lines[0]:
            return f"message lacks {case.expect!r}: {lines[0][:200]}"
        return "ok"
    if run.code != 0:
        return f"expected an import, got exit {run.code}: {run.stderr[:300]!r}"
    if case.kind == SUBMISSIONS:
        report = json.loads(run.stdout)
        lines = tuple(row["line"] for row in report["rejected"])
        if report["added"] != case.added or lines != case.rejected_lines:
            return f"expected added {case.added}, rejected {case.rejected_lines}; got {report['added']}, {lines}"
    elif case.expect:
        film = json.loads(run.stdout).get("film") or {}
        if "film" in json.loads(run.stdout) and film.get("title") != case.expect:
            return f"expected the film {case.expect!r}, got {film.get('title')!r}"
    return "ok"


def _outcome_note(case: Case, run: Run) -> str:
    if case.outcome == "refused" or run.code != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        return lines[-1][:110] if lines else run.stdout.strip()[:110]
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return run.stdout[:80]
    if "added" in data:
        return f"added {data['added']}, rejected lines {[row['line'] for row in data['rejected']]}"
    if "files" in data:
        return "; ".join(f"{f['status']}" for f in data["files"])
    return f"film {data.get('film', {}).get('title', '?')[:60]!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="where to write the corpus (default: a temporary folder)")
    parser.add_argument("--only", nargs="*", default=[], help="only these file names")
    parser.add_argument("--runs", type=int, default=3, help="runs of each file at a limit (median time, peak memory)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    corpus = write_corpus(args.corpus or work / "corpus", limits=True)
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
    env.pop("FESTIVAL_DESK_DB", None)
    database = work / "festival.sqlite"
    generated = run_cli("generate", "generate", "--films", "300", "--seed", "18", "--db", str(database), env=env)
    if generated.code != 0:
        print(generated.stderr)
        return 1

    baseline_csv = work / "baseline.csv"
    baseline_csv.write_text("Submission ID,Project Title\n1,Baseline\n", encoding="utf-8")
    baseline_review = work / "baseline.txt"
    baseline_review.write_text("Vera Lind\n\nThe Baseline\n\nJaan Tamm\n\nEstonia, 2023\n\n"
                               "A short film, patiently watched.\n", encoding="utf-8")
    baselines = [
        run_cli("baseline: submissions import (2-line CSV)", "submissions", "import", str(baseline_csv),
                "--dry-run", "--json", "--db", str(database), env=env),
        run_cli("baseline: review parse (short text)", "review", "parse", str(baseline_review), "--json", env=env),
    ]

    results: list[tuple[Case, Run, str]] = []
    for case, path in corpus:
        if args.only and case.name not in args.only:
            continue
        at_limit = case.name.startswith("limit_")
        repeats = max(1, args.runs) if at_limit else 1
        if case.kind == SUBMISSIONS:
            dry_run = [] if at_limit else ["--dry-run"]

            def import_once() -> Run:
                target = database
                if not dry_run:  # a real import, each time into a new festival
                    target = work / f"{case.name}.sqlite"
                    for leftover in work.glob(f"{case.name}.sqlite*"):
                        leftover.unlink()
                    run_cli("generate", "generate", "--films", "20", "--db", str(target), env=env)
                return run_cli(f"submissions import {case.name}", "submissions", "import", str(path), *dry_run,
                               "--json", "--db", str(target), env=env)

            runs = [_typical([import_once() for _ in range(repeats)], lambda run: judge(case, run))]
        else:
            assert case.kind == REVIEW
            runs = [_typical([run_cli(f"review parse {case.name}", "review", "parse", str(path), "--json", env=env)
                              for _ in range(repeats)], lambda run: judge(case, run)),
                    # imported once: a second import of the same review into the same festival is another case
                    run_cli(f"review import {case.name}", "review", "import", str(path), "--create-film", "--json",
                            "--db", str(database), env=env)]
        for run in runs:
            verdict = judge(case, run) if not run.label.startswith("review import") or case.outcome == "imported" \
                else _judge_batch(run)
            results.append((case, run, verdict))
            print(f"{run.seconds:7.2f} s {run.peak_mb:7.0f} MB  {run.label:<52} {_outcome_note(case, run)}",
                  flush=True)
            if verdict != "ok":
                print(f"{'':20}NOT AS EXPECTED: {verdict[:200]}", flush=True)

    print()
    for run in baselines:
        print(f"{run.label}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB")
    worst_time = max(results, key=lambda item: item[1].seconds)
    worst_memory = max(results, key=lambda item: item[1].peak_mb)
    failures = [(case, run, verdict) for case, run, verdict in results if verdict != "ok"]
    over = [(case, run) for case, run, _ in results
            if run.seconds > TIME_GOAL_S or run.peak_mb > MEMORY_GOAL_MB]
    print(f"files: {len(corpus)}, runs: {len(results)}")
    print(f"worst time:   {worst_time[1].seconds:.2f} s ({worst_time[1].label}); goal < {TIME_GOAL_S:.0f} s")
    print(f"worst memory: {worst_memory[1].peak_mb:.0f} MB ({worst_memory[1].label}); goal < {MEMORY_GOAL_MB:.0f} MB")
    print(f"outcomes not as expected: {len(failures)}; runs over a goal: {len(over)}")
    for case, run, verdict in failures:
        print(f"  {run.label}: {verdict}")
    return 1 if failures or over else 0


def _typical(runs: list[Run], verdict: Callable[[Run], str]) -> Run:
    """The run of median time, with the highest peak memory of them all; the first run whose
    outcome is not as expected instead, when there is one."""
    if len(runs) == 1:
        return runs[0]
    bad = next((run for run in runs if verdict(run) != "ok"), None)
    median = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
    chosen = bad or median
    label = f"{chosen.label} (median of {len(runs)}: {', '.join(f'{run.seconds:.1f}' for run in runs)} s)"
    return Run(label, chosen.seconds, max(run.peak_mb for run in runs), chosen.code, chosen.stdout, chosen.stderr,
               chosen.stopped)


def _judge_batch(run: Run) -> str:
    """A refused review through `review import`: exit 1 and the file reported by name, no traceback."""
    if run.stopped:
        return run.stopped
    if "Traceback" in run.stderr:
        return "traceback: " + run.stderr.strip().splitlines()[-1]
    if run.code != 1:
        return f"expected exit 1, got {run.code}"
    try:
        files = json.loads(run.stdout)["files"]
    except (json.JSONDecodeError, KeyError):
        return f"no per-file report: {run.stdout[:100]!r} {run.stderr[:200]!r}"
    return "ok" if len(files) == 1 and files[0]["status"] == "error" and files[0]["message"] else f"report {files}"


if __name__ == "__main__":
    sys.exit(main())
