"""Exports killed while they are written leave the previous file whole; the temporary a killed
process leaves is removed by the next write into that folder."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "festival_desk.cli"]


@pytest.fixture(scope="module")
def festival(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("atomic") / "festival.sqlite"
    subprocess.run([*CLI, "generate", "--films", "1500", "--seed", "18", "--db", str(path)], check=True,
                   capture_output=True, timeout=600)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_kill_during_export_leaves_the_previous_file_whole(festival: Path, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"films.{kind}"
    target.write_bytes(b"the previous export")
    rng = random.Random(kind)
    outcomes = set()
    for _ in range(6):
        before = target.read_bytes()
        process = subprocess.Popen([*CLI, "export", kind, "-o", str(target), "--db", str(festival)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = target.read_bytes()
        if after == before:
            outcomes.add("previous")
        else:  # the export finished before the kill: the new file is whole
            assert after.startswith(b"\xef\xbb\xbfFilm ID," if kind == "csv" else b"PK\x03\x04")
            assert (after.endswith(b"\r\n") if kind == "csv" else b"PK\x05\x06" in after[-200:])
            outcomes.add("new")
    assert outcomes  # every kill left a whole file: the previous one or the new one
    subprocess.run([*CLI, "export", kind, "-o", str(target), "--db", str(festival)], check=True,
                   capture_output=True, timeout=300)
    assert sorted(path.name for path in tmp_path.iterdir()) == [target.name]  # no temporary left behind


KILLED_WRITER = """
import sys, time
from festival_desk.core import files
with files.replacing(sys.argv[1]) as temporary:
    with open(temporary, "wb") as handle:
        handle.write(b"half of the new export")
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)
"""


def test_a_writer_killed_mid_file_leaves_the_previous_file_and_its_temporary_is_cleared(tmp_path: Path) -> None:
    target = tmp_path / "films.csv"
    target.write_bytes(b"the previous export")
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert target.read_bytes() == b"the previous export"
    [left] = [path for path in tmp_path.iterdir() if path != target]
    assert left.read_bytes() == b"half of the new export"
    from festival_desk.exporters.lists import write_csv

    write_csv([{"film_id": 1, "title": "Frost"}], target)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["films.csv"]
    assert "Frost" in target.read_text(encoding="utf-8-sig")
