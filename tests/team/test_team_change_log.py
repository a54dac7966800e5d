"""The change log: every committed write is in it (who, what, when) on SQLite and PostgreSQL alike;
`festival-desk changes` prints it and follows it; listeners wake up and recover."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from festival_desk.actions import films, programming, schedule
from festival_desk.actions.demo import create_demo
from festival_desk.actions.feed import change_from_entries, read_changes
from festival_desk.core.errors import UserError
from festival_desk.store import changelog
from festival_desk.store.db import open_database
from festival_desk.store.live import PostgresWatcher, SqliteWatcher, Wake, watch
from tests.team.conftest import process_env


@pytest.fixture(params=["sqlite", "postgresql"])
def festival(request, demo_path: Path, tmp_path: Path):
    """The demo festival on a SQLite file and on a PostgreSQL database (the same code runs on both)."""
    if request.param == "sqlite":
        database = open_database(str(demo_path))
        yield database
        database.close()
        return
    url = request.getfixturevalue("postgres_url")
    database = open_database(url, create=True)
    create_demo(database)
    yield database
    database.close()


def _entries(database, since=0):
    return read_changes(database, since).entries


def test_each_action_is_logged_with_who_what_and_when_in_its_own_transaction(festival):
    start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    since = _entries(festival)[-1].seq
    festival.actor = "Maja Kovačič"
    programming.rate(festival, 3, "Maja Kovačič", 2, "strong second half")
    programming.move_status(festival, [12, 16], "in review", "Maja Kovačič")
    films.edit_film(festival, 11, fields={"synopsis": "A new synopsis."}, countries=["SI"])
    entries = _entries(festival, since)
    assert [(e.kind, e.op, e.ids, e.fields) for e in entries] == [
        ("film", "changed", (3,), ("notes", "rating")),
        ("film", "changed", (12, 16), ("status",)),
        ("film", "changed", (11,), ("countries", "synopsis")),
    ]
    assert {e.who for e in entries} == {"Maja Kovačič"}
    assert all(e.at >= start and e.client == festival.client_id for e in entries)
    assert entries[0].description == "Rate “The Distant Barking of Dogs” 2 of 5"
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert festival.last_log_seq() == entries[-1].seq


def test_a_refused_action_leaves_no_entry(festival):
    before = _entries(festival)[-1].seq
    with pytest.raises(UserError):
        programming.move_status(festival, [1], "submitted", "Maja Kovačič")  # confirmed → submitted: no such move
    with pytest.raises(UserError):
        films.edit_film(festival, 2, fields={"year": "1700"})
    assert _entries(festival, before) == []


def test_screenings_added_and_films_added_or_removed_are_named(festival):
    since = _entries(festival)[-1].seq
    screen_id = schedule.list_venues(festival)[0]["screens"][0]["id"]
    added = schedule.add_screening(festival, screen_id, "2025-11-20T10:00", [1])
    schedule.delete_screening(festival, added.details["screening_id"])
    change = change_from_entries(_entries(festival, since))
    assert change.screenings == {added.details["screening_id"]} and change.details["remote"]
    kinds = [(e.kind, e.op) for e in _entries(festival, since)]
    assert ("screening", "added") in kinds and ("screening", "removed") in kinds


def test_change_from_entries_leaves_out_the_desks_own_and_marks_status_moves(festival):
    since = _entries(festival)[-1].seq
    festival.actor = "Tomaž Žnidaršič"
    programming.move_status(festival, [16], "in review", "Tomaž Žnidaršič")
    entries = _entries(festival, since)
    assert change_from_entries(entries, own_client=festival.client_id) is None
    theirs = change_from_entries(entries, own_client="another desk")
    assert theirs.films == {16} and "status" in theirs.details["fields"]
    assert theirs.details["who"] == ["Tomaž Žnidaršič"]
    assert theirs.description == "Tomaž Žnidaršič: Move “Crip Camp” to In review"


def test_old_entries_are_pruned_but_never_the_newest_and_a_late_reader_is_told(festival):
    first_seq = _entries(festival)[-1].seq
    programming.rate(festival, 3, "Maja Kovačič", 2)
    with festival.transaction() as session:
        session.connection().execute(sa.update(changelog._LOG).values(at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    with festival.transaction() as session:
        removed = changelog.prune(session.connection())
    remaining = _entries(festival)
    assert removed >= 1 and len(remaining) == 1  # the newest stays, so the sequence never restarts
    assert read_changes(festival, first_seq - 5).behind is True
    assert read_changes(festival, remaining[-1].seq).behind is False


def _run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "festival_desk.cli", *args], capture_output=True, text=True,
                          env=process_env(), timeout=timeout)


def test_changes_prints_the_log_as_json(festival):
    programming.rate(festival, 3, "Ayşe Demirtaş", 5)
    url = festival.url.render_as_string(hide_password=False)
    result = _run_cli("changes", "--since", str(_entries(festival)[-2].seq), "--db", url, "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed[-1]["description"] == "Rate “The Distant Barking of Dogs” 5 of 5"
    assert listed[-1]["ids"] == [3] and listed[-1]["fields"] == ["rating"] and listed[-1]["who"] == festival.who


def test_changes_follow_prints_a_colleagues_rating_as_it_is_committed(festival):
    url = festival.url.render_as_string(hide_password=False)
    follower = subprocess.Popen([sys.executable, "-m", "festival_desk.cli", "changes", "--follow", "--json",
                                 "--db", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=process_env())
    try:
        time.sleep(3)  # the follower is listening by now (it prints nothing until a change arrives)
        arrivals = []
        for score in (2, 5):
            rated = _run_cli("rate", "7", str(score), "--as", "Ayşe Demirtaş", "--db", url)
            assert rated.returncode == 0, rated.stderr
            committed = time.monotonic()
            line = follower.stdout.readline()
            arrivals.append(time.monotonic() - committed)
            entry = json.loads(line)
            assert entry["who"] == "Ayşe Demirtaş" and entry["ids"] == [7] and entry["fields"] == ["rating"]
        assert max(arrivals) < 2.0, arrivals
    finally:
        follower.terminate()
        follower.wait(timeout=30)


def test_sqlite_watcher_notices_another_process_commit(demo_path: Path):
    database = open_database(str(demo_path))
    watcher = watch(database)
    try:
        assert isinstance(watcher, SqliteWatcher) and watcher.check() is Wake.QUIET
        result = _run_cli("rate", "3", "4", "--as", "Eleni Vasileiou", "--db", str(demo_path))
        assert result.returncode == 0, result.stderr
        assert watcher.check() is Wake.GROWN
        assert watcher.check() is Wake.QUIET
    finally:
        watcher.close()
        database.close()


@pytest.mark.postgres
def test_a_killed_listener_connection_comes_back_and_says_so(postgres_url: str):
    database = open_database(postgres_url, create=True)
    watcher = watch(database)
    try:
        assert isinstance(watcher, PostgresWatcher)
        programming.add_programmer(database, "Eleni Vasileiou")
        assert watcher.wait(5) is Wake.GROWN
        with database.engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": watcher.backend_pid})
        states = []
        deadline = time.monotonic() + 15
        while Wake.RECONNECTED not in states and time.monotonic() < deadline:
            states.append(watcher.wait(1))
        assert Wake.RECONNECTED in states, states
        programming.add_programmer(database, "Bojana Ćirić")  # a write after the reconnect wakes it again
        assert watcher.wait(5) is Wake.GROWN
    finally:
        watcher.close()
        database.close()


@pytest.mark.postgres
def test_log_order_is_commit_order_with_concurrent_writers(postgres_url: str):
    """Entries are numbered in the order their transactions commit, so a reader that has seen entry
    N has seen every entry before it."""
    database = open_database(postgres_url, create=True)
    create_demo(database)
    seen_gaps = []
    stop = threading.Event()

    def reader() -> None:
        last = read_changes(database, 0).last_seq
        while not stop.is_set():
            batch = read_changes(database, last)
            for entry in batch.entries:
                if entry.seq != last + 1:
                    seen_gaps.append((last, entry.seq))
                last = entry.seq

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        names = ("Bojana Ćirić", "Eleni Vasileiou", "Maja Kovačič", "Tomaž Žnidaršič")
        writers = [subprocess.Popen([sys.executable, "-m", "festival_desk.cli", "rate", str(film), "3", "--as",
                                     name, "--db", postgres_url], env=process_env(),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for name in names for film in (2, 16)]
        for writer in writers:
            assert writer.wait(timeout=120) == 0, writer.stderr.read()
    finally:
        stop.set()
        thread.join()
        database.close()
    assert seen_gaps == []
