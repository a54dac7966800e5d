"""A non-editable install carries the migrations, the demo festival and the fonts, and works from
any working directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO_ROOT)],
                   check=True, capture_output=True, timeout=600)
    return next(out.glob("festival_desk-*.whl"))


def test_wheel_holds_migrations_seeds_and_fonts(built_wheel: Path) -> None:
    names = zipfile.ZipFile(built_wheel).namelist()
    assert "festival_desk/db/migrations/env.py" in names
    assert any(n.startswith("festival_desk/db/migrations/versions/0001_") for n in names)
    assert "festival_desk/db/seeds/festival.json" in names
    assert any(n.startswith("festival_desk/db/seeds/reviews/") for n in names)
    assert any(n.startswith("festival_desk/resources/fonts/") and n.endswith(".ttf") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_creates_and_reads_the_demo_from_another_folder(built_wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(built_wheel)],
                   check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(tmp_path / "data")}
    database = tmp_path / "demo.sqlite"

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "festival_desk.cli", *argv], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=600)

    where = subprocess.run([sys.executable, "-c", "import festival_desk; print(festival_desk.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(target))
    created = cli("demo", "--db", str(database), "--json")
    assert created.returncode == 0, created.stderr
    info = cli("info", "--db", str(database), "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["films"] >= 40
