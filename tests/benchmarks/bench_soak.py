"""Soak: several processes write one SQLite festival file for minutes, with random kill -9s; no
acknowledged write may be missing and the file must pass its integrity check.

Writers, all real processes on one file:
- a desk-like writer (tests/support/desk_like_writer.py: the desk's own start-up, first look and
  hand-over included), adding a note every 0.2-1 s; a note counts as acknowledged when the process
  has printed "saved";
- two command-line writers, each running `festival-desk rate FILM SCORE --note TEXT` back to back;
  acknowledged when the command exits 0;
- an importer running `festival-desk submissions import` of a fresh 150-row FilmFreeway export
  again and again; acknowledged (every one of its submission ids) when the command exits 0.
Every 2-6 s one of the running processes, chosen at random, is killed with SIGKILL (and started
again). Writes in flight when a process dies are not acknowledged and are not counted.

At the end: `PRAGMA integrity_check` and a look for every acknowledged note and submission.
Commands refused with an error (for instance "the festival file is busy") are counted apart: they
were not acknowledged, so they are not losses, but they are reported.

    .venv/bin/python tests/benchmarks/bench_soak.py [--seconds 180] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITER = REPO_ROOT / "tests" / "support" / "desk_like_writer.py"
IMPORT_HEADERS = ["Tracking Number", "Project Title", "Duration", "Country of Origin", "Directors",
                  "Submission Status", "Submission ID"]


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "festival_desk.cli", *argv]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged_notes: set[str] = field(default_factory=set)
    acknowledged_submissions: set[str] = field(default_factory=set)
    operations: dict[str, int] = field(default_factory=dict)
    refusals: dict[str, list[str]] = field(default_factory=dict)
    kills: dict[str, int] = field(default_factory=dict)

    def refused(self, writer: str, message: str) -> None:
        with self.lock:
            self.refusals.setdefault(writer, []).append(message)


class Writers:
    """The running writer processes, each killable at random by the chaos thread."""

    def __init__(self, db: Path, folder: Path, tally: Tally, rng: random.Random, stop: threading.Event) -> None:
        self.db, self.folder, self.tally, self.rng, self.stop = db, folder, tally, rng, stop
        self.running: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()

    def _start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(argv, env=_env(), text=True, **kwargs)
        with self.lock:
            self.running[name] = process
        return process

    def _finished(self, name: str) -> None:
        with self.lock:
            self.running.pop(name, None)

    def kill_one(self) -> str | None:
        with self.lock:
            if not self.running:
                return None
            name = self.rng.choice(sorted(self.running))
            process = self.running[name]
        try:
            process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            return None
        with self.tally.lock:
            self.tally.kills[name] = self.tally.kills.get(name, 0) + 1
        return name

    def desk(self) -> None:
        rng = random.Random(self.rng.random())
        number = 0
        while not self.stop.is_set():
            process = self._start("desk", [sys.executable, str(WRITER), str(self.db), "--handover", "close"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                if process.stdout.readline().strip() != "ready":
                    continue
                while not self.stop.is_set():
                    number += 1
                    text = f"desk {number}"
                    process.stdin.write(f"{rng.randint(1, 200)} {text}\n")
                    process.stdin.flush()
                    answer = process.stdout.readline().strip()
                    if answer != f"saved {text}":
                        break  # killed (or failed) before acknowledging
                    with self.tally.lock:
                        self.tally.acknowledged_notes.add(text)
                        self.tally.operations["desk notes"] = self.tally.operations.get("desk notes", 0) + 1
                    time.sleep(rng.uniform(0.2, 1.0))
            except (BrokenPipeError, OSError):
                pass
            finally:
                if process.poll() is None:
                    process.stdin.close()
                    process.wait(timeout=60)
                else:
                    error = process.stderr.read().strip().splitlines()
                    if process.returncode not in (0, -signal.SIGKILL) and error:
                        self.tally.refused("desk", error[-1])
                self._finished("desk")

    def rater(self, name: str, programmer: str) -> None:
        rng = random.Random(self.rng.random())
        number = 0
        while not self.stop.is_set():
            number += 1
            text = f"{name} {number}"
            process = self._start(name, _cli("rate", str(rng.randint(1, 200)), str(rng.randint(1, 5)), "--as",
                                              programmer, "--note", text, "--db", str(self.db)),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, error = process.communicate()
            self._finished(name)
            if process.returncode == 0:
                with self.tally.lock:
                    self.tally.acknowledged_notes.add(text)
                    self.tally.operations[name] = self.tally.operations.get(name, 0) + 1
            elif process.returncode != -signal.SIGKILL:
                self.tally.refused(name, (error.strip().splitlines() or ["?"])[-1])

    def importer(self) -> None:
        rng = random.Random(self.rng.random())
        round_number = 0
        while not self.stop.is_set():
            round_number += 1
            ids = [f"SOAK-{round_number}-{row}" for row in range(150)]
            export = self.folder / f"import-{round_number}.csv"
            with export.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(IMPORT_HEADERS)
                for submission_id in ids:
                    writer.writerow([submission_id, f"Soak film {submission_id}", f"{rng.randint(5, 120)}:00",
                                     "Slovenia", "Ana Kovač", "In Consideration", submission_id])
            process = self._start("import", _cli("submissions", "import", str(export), "--db", str(self.db)),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, error = process.communicate()
            self._finished("import")
            if process.returncode == 0:
                with self.tally.lock:
                    self.tally.acknowledged_submissions.update(ids)
                    self.tally.operations["imports"] = self.tally.operations.get("imports", 0) + 1
            elif process.returncode != -signal.SIGKILL:
                self.tally.refused("import", (error.strip().splitlines() or ["?"])[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="festival-desk-soak-") as folder_name:
        folder = Path(folder_name)
        db = folder / "festival.sqlite"
        subprocess.run(_cli("generate", "--films", "200", "--seed", str(args.seed), "--db", str(db)),
                       env=_env(), check=True, stdout=subprocess.DEVNULL)
        tally = Tally()
        stop = threading.Event()
        writers = Writers(db, folder, tally, rng, stop)
        threads = [threading.Thread(target=writers.desk), threading.Thread(target=writers.importer),
                   threading.Thread(target=writers.rater, args=("cli-a", "Soak Rater A")),
                   threading.Thread(target=writers.rater, args=("cli-b", "Soak Rater B"))]
        # The raters' names are committee members before the soak starts.
        for name in ("Soak Rater A", "Soak Rater B", "Maja Kovačič"):
            subprocess.run(_cli("programmers", "add", name, "--db", str(db)), env=_env(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < args.seconds:
            time.sleep(rng.uniform(2.0, 6.0))
            writers.kill_one()
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        connection = sqlite3.connect(db)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            notes = {text for (text,) in connection.execute("SELECT text FROM note")}
            submissions = {value for (value,) in connection.execute(
                "SELECT submission_id FROM film WHERE submission_id LIKE 'SOAK-%'")}
        finally:
            connection.close()
        lost_notes = sorted(tally.acknowledged_notes - notes)
        lost_submissions = sorted(tally.acknowledged_submissions - submissions)
        print(f"soak of {time.monotonic() - started:.0f} s on one SQLite file (seed {args.seed})")
        print("  acknowledged operations: " + ", ".join(f"{name} {count}" for name, count in
                                                       sorted(tally.operations.items())))
        print(f"  acknowledged notes {len(tally.acknowledged_notes)}, submissions {len(tally.acknowledged_submissions)}")
        print("  kill -9: " + ", ".join(f"{name} {count}" for name, count in sorted(tally.kills.items()))
              + f" (total {sum(tally.kills.values())})")
        refused = {name: len(messages) for name, messages in tally.refusals.items()}
        print(f"  refused with an error: {refused or 'none'}")
        for name, messages in tally.refusals.items():
            print(f"    {name}: {sorted(set(messages))[:3]}")
        print(f"  integrity_check: {integrity}")
        print(f"  losses: {len(lost_notes)} notes, {len(lost_submissions)} submissions"
              + (f" (first: {(lost_notes + lost_submissions)[:5]})" if lost_notes or lost_submissions else ""))
        return 0 if integrity == "ok" and not lost_notes and not lost_submissions else 1


if __name__ == "__main__":
    sys.exit(main())
