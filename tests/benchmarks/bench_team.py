"""Team mode under load: many colleagues writing at human pace and one open desk (offscreen)
measuring, for each of their commits, the time until its row is repainted on that desk.

- PostgreSQL (a new database on the server of $FESTIVAL_DESK_TEST_PG_URL or --pg): 20 writer
  processes, each rating or moving one of the films on the desk's screen every 2–5 s, and one bulk
  import of a FilmFreeway export in the middle; the desk listens (NOTIFY).
- SQLite (one file): the same with 3 writers; the desk polls the file's data version.
- An idle live desk's CPU use (no writers, 30 s).

Each writer notes its commit times by change log sequence number; the desk notes when each entry
was applied and the list's visible rows were repainted. The baseline, measured in the same run:
the bare transport (a NOTIFY from another connection to a listening one; a commit in another
connection to a 250 ms data-version poll seeing it).

Run: QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_team.py [--seconds 90] [--films 2000]
     [--pg postgresql://USER@HOST/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

VISIBLE_FILMS = 20  # writers touch the films the desk has on screen, so that each commit repaints


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}


# --- a writer --------------------------------------------------------------------------------------


def writer(url: str, name: str, films: list[int], seconds: float, out: Path, seed: int) -> None:
    """Rate or move one of `films` every 2–5 s as `name`; write {"seq", "committed"} lines."""
    from festival_desk.actions import programming
    from festival_desk.core.errors import UserError
    from festival_desk.store.db import open_database

    rng = random.Random(seed)
    database = open_database(url)
    database.actor = name
    statuses = ("submitted", "in_review", "shortlisted")
    end = time.time() + seconds
    with out.open("w") as handle:
        time.sleep(rng.uniform(0, 3))
        while time.time() < end:
            film = rng.choice(films)
            try:
                if rng.random() < 0.7:
                    programming.rate(database, film, name, rng.randint(1, 5))
                else:
                    programming.move_status(database, [film], rng.choice(statuses), name)
            except UserError as refused:  # a move the workflow does not allow: counted, not timed
                handle.write(json.dumps({"refused": str(refused)[:80]}) + "\n")
            else:
                committed = time.time()
                seq = database.last_log_seq()
                if seq is not None:
                    handle.write(json.dumps({"seq": seq, "committed": committed}) + "\n")
            handle.flush()
            time.sleep(rng.uniform(2, 5))
    database.close()


# --- the desk --------------------------------------------------------------------------------------


def desk(url: str, seconds: float, out: Path, idle_seconds: float) -> None:
    """Open the desk (offscreen) on `url`; for each colleagues' change applied, repaint the list's
    visible rows and note the entries' sequence numbers with the time; then sit idle and note the
    CPU the live desk used."""
    from PySide6.QtCore import QSettings, QTimer

    from festival_desk.gui import app as desk_app
    from festival_desk.gui.settings import DeskSettings

    application = desk_app.application()
    folder = Path(tempfile.mkdtemp(prefix="bench-team-settings-"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(folder))
    settings = DeskSettings()
    running = desk_app.Desk(settings)
    running.window.resize(1280, 800)
    running.window.show()
    running.open(url, "Bench Desk")
    records: list[dict] = []
    film_list = running.window.film_areas["submissions"].list

    def applied(change, _monotonic) -> None:
        film_list.view.viewport().repaint()  # the rows named are on screen now
        shown = time.time()
        for seq in change.details.get("seqs", []):
            records.append({"seq": seq, "shown": shown})

    running.live.applied.connect(applied)
    state: dict = {}

    def started() -> None:
        if running.live.state != "live":
            QTimer.singleShot(100, started)
            return
        print(json.dumps({"ready": True}), flush=True)
        QTimer.singleShot(int(seconds * 1000), idle)

    def idle() -> None:
        state["cpu"], state["wall"] = time.process_time(), time.time()
        QTimer.singleShot(int(idle_seconds * 1000), finish)

    def finish() -> None:
        cpu = (time.process_time() - state["cpu"]) / (time.time() - state["wall"])
        out.write_text(json.dumps({"records": records, "idle_cpu": cpu,
                                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        running.window.close()

    QTimer.singleShot(500, started)
    application.exec()
    running.close()


# --- baselines ---------------------------------------------------------------------------------------


def notify_baseline(url: str, rounds: int = 30) -> list[float]:
    """Commit-to-wake of a bare NOTIFY between two connections (ms)."""
    import select

    import psycopg

    from festival_desk.store.live import libpq_conninfo
    from festival_desk.store.db import resolve_url

    conninfo = libpq_conninfo(resolve_url(url))
    listener = psycopg.connect(conninfo, autocommit=True)
    sender = psycopg.connect(conninfo, autocommit=True)
    listener.execute("LISTEN bench_baseline")
    delays = []
    for _ in range(rounds):
        sender.execute("NOTIFY bench_baseline, '1'")
        sent = time.perf_counter()
        select.select([listener.fileno()], [], [], 5)
        listener.pgconn.consume_input()
        while listener.pgconn.notifies() is not None:
            pass
        delays.append((time.perf_counter() - sent) * 1000)
        time.sleep(0.05)
    listener.close()
    sender.close()
    return delays


def poll_baseline(path: Path, rounds: int = 30) -> list[float]:
    """Commit-to-wake of a bare `PRAGMA data_version` poll every 250 ms, the commit falling at any
    moment between two polls (ms)."""
    import math
    import sqlite3

    watcher = sqlite3.connect(path, check_same_thread=False)
    writer_connection = sqlite3.connect(path)
    writer_connection.execute("CREATE TABLE IF NOT EXISTS bench_baseline (x INTEGER)")
    writer_connection.commit()
    delays = []
    for _ in range(rounds):
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        ticks_from = time.perf_counter()
        time.sleep(random.uniform(0, 0.25))
        writer_connection.execute("INSERT INTO bench_baseline VALUES (1)")
        writer_connection.commit()
        committed = time.perf_counter()
        tick = ticks_from + math.ceil((committed - ticks_from) / 0.25) * 0.25
        while True:
            time.sleep(max(0.0, tick - time.perf_counter()))
            if watcher.execute("PRAGMA data_version").fetchone()[0] != before:
                break
            tick += 0.25
        delays.append((time.perf_counter() - committed) * 1000)
    return delays


# --- one run -------------------------------------------------------------------------------------------


def _prepare(url: str, films: int, writers: int) -> tuple[list[int], list[str]]:
    from festival_desk.actions import programming
    from festival_desk.actions.generate import generate_festival
    from festival_desk.store.db import open_database
    from festival_desk.store.filters import FilmFilter, film_ids

    database = open_database(url, create=True)
    generate_festival(database, films=films, seed=5)
    names = [f"Writer {number:02d}" for number in range(1, writers + 1)]
    for name in names:
        programming.add_programmer(database, name)
    with database.reading() as session:
        visible = film_ids(session, FilmFilter(), sort=("title", True))[:VISIBLE_FILMS]
    database.close()
    return visible, names


def run(url: str, label: str, writers: int, seconds: float, films: int, import_rows: int, folder: Path,
        idle_seconds: float) -> dict:
    from tests.benchmarks.bench_import import write_export

    visible, names = _prepare(url, films, writers)
    desk_out = folder / f"{label}-desk.json"
    # The desk's idle measure starts once every writer has surely stopped (they start after it).
    desk_process = subprocess.Popen([sys.executable, __file__, "--desk", url, "--seconds", str(seconds + 40),
                                     "--idle", str(idle_seconds), "--out", str(desk_out)],
                                    stdout=subprocess.PIPE, text=True, env=_env())
    assert json.loads(desk_process.stdout.readline()) == {"ready": True}
    outs = [folder / f"{label}-writer-{number}.jsonl" for number in range(writers)]
    processes = [subprocess.Popen([sys.executable, __file__, "--writer", url, "--name", name, "--film-ids",
                                   ",".join(map(str, visible)), "--seconds", str(seconds), "--out", str(out),
                                   "--seed", str(number)], env=_env())
                 for number, (name, out) in enumerate(zip(names, outs))]
    export = folder / f"{label}-import.csv"
    write_export(export, rows=import_rows, seed=11)
    time.sleep(seconds / 3)
    started = time.time()
    imported = subprocess.run([sys.executable, "-m", "festival_desk.cli", "submissions", "import", str(export),
                               "--db", url, "--json"], capture_output=True, text=True, env=_env())
    import_seconds = time.time() - started
    for process in processes:
        process.wait()
    desk_process.wait()
    result = json.loads(desk_out.read_text())
    committed = {}
    refused = 0
    for out in outs:
        for line in out.read_text().splitlines():
            entry = json.loads(line)
            if "seq" in entry:
                committed[entry["seq"]] = entry["committed"]
            else:
                refused += 1
    shown = {record["seq"]: record["shown"] for record in result["records"]}
    delays = sorted((shown[seq] - at) * 1000 for seq, at in committed.items() if seq in shown)
    missing = [seq for seq in committed if seq not in shown]
    return {"label": label, "writers": writers, "commits": len(committed), "refused_moves": refused,
            "shown": len(delays), "missing": len(missing), "delays": delays, "idle_cpu": result["idle_cpu"],
            "import_ok": imported.returncode == 0, "import_seconds": import_seconds,
            "import_stderr": imported.stderr.strip()[:200]}


def _summary(result: dict, baseline: list[float]) -> str:
    delays = result["delays"]
    median = statistics.median(delays) if delays else float("nan")
    p95 = delays[int(0.95 * (len(delays) - 1))] if delays else float("nan")
    return (f"{result['label']}: {result['writers']} writers, {result['commits']} commits "
            f"({result['refused_moves']} moves the workflow refused), {result['shown']} repainted on the desk, "
            f"{result['missing']} not seen; commit → repaint median {median:.0f} ms, p95 {p95:.0f} ms, "
            f"worst {max(delays, default=float('nan')):.0f} ms | baseline (bare transport) median "
            f"{statistics.median(baseline):.1f} ms, p95 {sorted(baseline)[int(0.95 * (len(baseline) - 1))]:.1f} ms | import {'ok' if result['import_ok'] else 'FAILED'} in "
            f"{result['import_seconds']:.1f} s | idle live desk {result['idle_cpu'] * 100:.2f} % of a core")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--films", type=int, default=2000)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--pg", default=os.environ.get("FESTIVAL_DESK_TEST_PG_URL"))
    parser.add_argument("--only", choices=("postgresql", "sqlite"))
    parser.add_argument("--writer")
    parser.add_argument("--desk")
    parser.add_argument("--name")
    parser.add_argument("--out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--film-ids", default="")
    args = parser.parse_args()
    if args.writer:
        writer(args.writer, args.name, [int(x) for x in args.film_ids.split(",")], args.seconds, Path(args.out),
               args.seed)
        return 0
    if args.desk:
        desk(args.desk, args.seconds, Path(args.out), args.idle)
        return 0

    import sqlalchemy as sa

    from festival_desk.store.db import resolve_url

    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    if args.only in (None, "postgresql"):
        if not args.pg:
            print("no PostgreSQL server (set FESTIVAL_DESK_TEST_PG_URL or --pg): skipping its run")
        else:
            admin_url = resolve_url(args.pg)
            name = f"fd_bench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            url = admin_url.set(database=name).render_as_string(hide_password=False)
            try:
                baseline = notify_baseline(url)
                result = run(url, "PostgreSQL", 20, args.seconds, args.films, args.import_rows, folder, args.idle)
                print(_summary(result, baseline), flush=True)
            finally:
                with admin.connect() as connection:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()
    if args.only in (None, "sqlite"):
        path = folder / "festival.sqlite"
        result = run(str(path), "SQLite", 3, args.seconds, args.films, args.import_rows, folder, args.idle)
        print(_summary(result, poll_baseline(folder / "baseline.sqlite")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
