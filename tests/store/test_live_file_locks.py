"""A desk and a command on one festival file: every acknowledged write reaches the disk.

The desk looks at a SQLite file twice at start-up (the standard-library first look, then the usual
opening). Plain file I/O on the file while the first look's connection is open dropped SQLite's
POSIX locks for the whole process: a colleague's command then checkpointed and deleted the
write-ahead log under the desk, whose saves were lost, or left the file failing its integrity
check. These tests run the desk's own start-up in one real process and `festival-desk rate` in
others, interleaved, then read the file back.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.core import files
from festival_desk.core.errors import UserError

WRITER = Path(__file__).resolve().parents[1] / "support" / "desk_like_writer.py"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _colleague_rates(path: Path, text: str) -> None:
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "rate", "1", "4", "--as", "Ayşe Demirtaş",
                             "--note", text, "--db", str(path)], capture_output=True, text=True, env=_env(),
                            timeout=120)
    assert result.returncode == 0, result.stderr


def _read_back(path: Path) -> tuple[str, set[str]]:
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        notes = {text for (text,) in connection.execute("SELECT text FROM note")}
    finally:
        connection.close()
    return integrity, notes


@pytest.mark.parametrize("handover", ["close", "keep"])
@pytest.mark.parametrize("ending", ["clean exit", "kill -9"])
def test_desk_start_up_beside_a_colleagues_commands_loses_nothing(demo_path: Path, handover: str, ending: str):
    desk = subprocess.Popen([sys.executable, str(WRITER), str(demo_path), "--handover", handover],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env())
    try:
        assert desk.stdout.readline().strip() == "ready", desk.stderr.read()
        acknowledged = []
        for round_number in range(3):
            _colleague_rates(demo_path, f"colleague note {round_number}")
            acknowledged.append(f"colleague note {round_number}")
            desk.stdin.write(f"2 desk note {round_number}\n")
            desk.stdin.flush()
            assert desk.stdout.readline().strip() == f"saved desk note {round_number}"
            acknowledged.append(f"desk note {round_number}")
        if ending == "kill -9":
            desk.send_signal(signal.SIGKILL)
        else:
            desk.stdin.close()
        assert desk.wait(timeout=60) in (0, -signal.SIGKILL)
    finally:
        if desk.poll() is None:
            desk.kill()
            desk.wait()
    integrity, notes = _read_back(demo_path)
    assert integrity == "ok"
    assert [text for text in acknowledged if text not in notes] == []


def test_an_open_festival_file_is_never_read_or_written_as_a_users_file(demo_db, tmp_path: Path):
    festival = Path(demo_db.url.database)
    before = festival.stat().st_size
    for target in (festival, festival.with_name(festival.name + "-wal")):
        with pytest.raises(UserError, match="festival file that is open"):
            files.write_file(target, b"not a festival")
        with pytest.raises(UserError, match="festival file that is open"):
            files.read_input(target)
    assert festival.stat().st_size == before
    other = files.write_file(tmp_path / "export.csv", b"a,b\n")
    assert other.read_bytes() == b"a,b\n"
    demo_db.close()
    assert files.read_input(festival)[:16] == b"SQLite format 3\x00"  # closed: an ordinary file again


def test_export_onto_the_open_festival_file_is_refused_and_the_file_survives(demo_path: Path):
    result = subprocess.run([sys.executable, "-m", "festival_desk.cli", "export", "csv", "-o", str(demo_path),
                             "--db", str(demo_path)], capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 1
    assert "festival file that is open" in result.stderr and "Traceback" not in result.stderr
    integrity, notes = _read_back(demo_path)
    assert integrity == "ok" and notes
