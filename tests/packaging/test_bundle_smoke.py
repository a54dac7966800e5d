"""Smoke tests of the frozen application that packaging/build.sh built: the bundle does what the
pip-installed program does (command line, demo, the seed review, a booklet with its fonts embedded,
the desk showing rows and closing with exit code 0), from any folder, carrying everything it loads.

They run against $FESTIVAL_DESK_BUNDLE (the one-folder application) and $FESTIVAL_DESK_TARBALL, which
build.sh sets; without them they skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tomllib
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
MIGRATIONS = REPO / "db" / "migrations" / "versions"
SIZE_BUDGET = 300_000_000  # bytes unpacked (issue 14)


def _artefact(variable: str) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"${variable} is not set: packaging/build.sh builds the bundle and runs these tests on it")
    path = Path(value)
    assert path.exists(), f"${variable} names {path}, which does not exist"
    return path


@pytest.fixture(scope="module")
def bundle() -> Path:
    return _artefact("FESTIVAL_DESK_BUNDLE")


@pytest.fixture(scope="module")
def program(bundle: Path) -> Path:
    return bundle / "festival-desk"


def run(program: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """The bundle's program, from a folder of the test's own (so nothing is found beside the
    checkout), with the test's private data and settings folders."""
    return subprocess.run([str(program), *args], cwd=cwd, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def demo_template(program: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle-demo")
    path = folder / "Ribnik 2027.festival"
    created = run(program, "demo", "--db", str(path), "--json", cwd=folder)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["films"] >= 40
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / demo_template.name
    shutil.copyfile(demo_template, path)
    return path


def test_version_is_the_one_in_pyproject(program: Path, tmp_path: Path) -> None:
    result = run(program, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"festival-desk {VERSION}\n"


def test_demo_and_info_carry_the_migrations_and_the_demo_festival(program: Path, demo: Path, tmp_path: Path) -> None:
    info = run(program, "info", "--db", str(demo), "--json", cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    counts = json.loads(info.stdout)
    newest_migration = max(path.name.split("_", 1)[0] for path in MIGRATIONS.glob("[0-9]*.py"))
    assert counts["schema_revision"] == newest_migration
    assert counts["films"] >= 40 and counts["screenings"] > 0 and counts["reviews"] > 0


def test_a_bad_database_gives_one_line_and_exit_code_1(program: Path, tmp_path: Path) -> None:
    not_ours = tmp_path / "notes.festival"
    not_ours.write_text("not a database\n")
    result = run(program, "info", "--db", str(not_ours), "--json", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(not_ours) in result.stderr


def test_the_seed_review_is_imported_and_attached(program: Path, demo: Path, seed_review_dir: Path,
                                                  tmp_path: Path) -> None:
    review = sorted(seed_review_dir.glob("*.txt"))[0]
    before = json.loads(run(program, "info", "--db", str(demo), "--json", cwd=tmp_path).stdout)["reviews"]
    result = run(program, "review", "import", str(review), "--db", str(demo), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)["files"]
    assert [entry["status"] for entry in imported] == ["attached"]
    assert imported[0]["critic"]
    after = json.loads(run(program, "info", "--db", str(demo), "--json", cwd=tmp_path).stdout)["reviews"]
    assert after == before + 1


def test_the_booklet_embeds_its_fonts_and_passes_qpdf(program: Path, demo: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "booklet.pdf"
    result = run(program, "booklet", "-o", str(pdf), "--db", str(demo), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pages"] >= 16
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    # columns: name type encoding emb sub uni object ID; every font embedded, none a standard one
    assert all(row.split()[-5] == "yes" for row in rows), fonts
    assert not any(row.split()[0].split("+")[-1].startswith(("Helvetica", "Times", "Courier")) for row in rows)
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_press_file_in_german_carries_its_colour_profile_and_translated_names(program: Path, demo: Path,
                                                                                 tmp_path: Path) -> None:
    """The press variant (pikepdf, the ICC profile under resources/) and German labels (pycountry's
    translations) work frozen too."""
    from pypdf import PdfReader

    pdf = tmp_path / "press.pdf"
    result = run(program, "booklet", "-o", str(pdf), "--press", "--lang", "de", "--db", str(demo), "--json",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []
    reader = PdfReader(pdf)
    assert "/OutputIntents" in reader.trailer["/Root"]
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "Deutschland" in text
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0


@pytest.mark.parametrize("name", ["Ribnik 2027.festival", "older festival.sqlite"])
def test_the_desk_opens_a_festival_file_shows_its_rows_and_exits_0(program: Path, demo: Path, tmp_path: Path,
                                                                   name: str) -> None:
    """As a double-click does (`festival-desk FILE`, the menu entry's Exec line), offscreen; the
    desk closes its window once the rows are painted (FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS)."""
    path = demo.rename(tmp_path / name)
    films = json.loads(run(program, "info", "--db", str(path), "--json", cwd=tmp_path).stdout)["films"]
    result = run(program, str(path), cwd=tmp_path, QT_QPA_PLATFORM="offscreen",
                 FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"first rows: {films}\n"
    assert result.stderr == ""


def test_the_desk_opens_a_shared_postgresql_database(program: Path, tmp_path: Path) -> None:
    """Team mode's driver (psycopg with its bundled libpq) travels in the bundle."""
    server = os.environ.get("FESTIVAL_DESK_TEST_PG_URL")
    if not server:
        pytest.skip("FESTIVAL_DESK_TEST_PG_URL is not set")
    import psycopg

    name = f"fd_bundle_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        created = run(program, "demo", "--db", url, "--json", cwd=tmp_path)
        assert created.returncode == 0, created.stderr
        info = run(program, "info", "--db", url, "--json", cwd=tmp_path)
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["films"] == json.loads(created.stdout)["films"]
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_resources_and_migrations_travel_whole(bundle: Path) -> None:
    """Everything under resources/ and db/ is in the bundle (fonts added later come along)."""
    internal = bundle / "_internal" / "festival_desk"
    for source, target in ((REPO / "resources", internal / "resources"), (REPO / "db", internal / "db")):
        expected = {path.relative_to(source) for path in source.rglob("*")
                    if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}
        present = {path.relative_to(target) for path in target.rglob("*") if path.is_file()}
        assert expected <= present, sorted(map(str, expected - present))[:10]


def test_unused_qt_modules_are_left_out(bundle: Path) -> None:
    names = {path.name for path in (bundle / "_internal").rglob("*")}
    for unused in ("libQt6WebEngineCore.so.6", "libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Multimedia.so.6",
                   "libQt63DCore.so.6", "libqtvirtualkeyboardplugin.so", "libqgtk3.so"):
        assert unused not in names
    for needed in ("libQt6Widgets.so.6", "libQt6Svg.so.6", "libQt6Pdf.so.6", "libqxcb.so", "libqwayland.so",
                   "libqoffscreen.so", "libqsvgicon.so"):
        assert needed in names


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _owning_package(library: str) -> str | None:
    candidates = {library, os.path.realpath(library)}
    candidates |= {re.sub(r"^/lib/", "/usr/lib/", name) for name in candidates}
    candidates |= {re.sub(r"^/usr/lib/", "/lib/", name) for name in candidates}
    for candidate in candidates:
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":", 1)[0]
    return None


def test_every_library_resolves_and_what_comes_from_the_system_is_a_debian_dependency(bundle: Path) -> None:
    if shutil.which("ldd") is None or shutil.which("dpkg") is None:
        pytest.skip("needs ldd and dpkg")
    import sys

    sys.path.insert(0, str(REPO / "packaging"))
    from desktop_files import DEB_DEPENDS

    declared = {"libc6"} | {alternative.split()[0] for entry in DEB_DEPENDS for alternative in entry.split("|")}
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing, from_system = [], set()
    for path in _elf_files(bundle):
        output = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        for line in output.splitlines():
            if "not found" in line:
                missing.append(f"{path.relative_to(bundle)}: {line.strip()}")
            elif "=>" in line:
                resolved = line.split("=>", 1)[1].split("(")[0].strip()
                if resolved and not resolved.startswith(str(bundle)):
                    from_system.add(resolved)
    assert missing == []
    undeclared = {library: _owning_package(library) for library in from_system}
    undeclared = {library: package for library, package in undeclared.items() if package not in declared}
    assert undeclared == {}


def test_the_unpacked_bundle_is_within_the_size_budget(bundle: Path) -> None:
    size = sum(path.lstat().st_size for path in bundle.rglob("*"))
    assert size < SIZE_BUDGET, f"{size / 1e6:.1f} MB"


def test_the_tarball_unpacks_anywhere_and_runs(tmp_path: Path) -> None:
    tarball = _artefact("FESTIVAL_DESK_TARBALL")
    assert tarball.name == f"festival-desk-{VERSION}-linux-x86_64.tar.gz"
    with tarfile.open(tarball) as archive:
        members = archive.getmembers()
        assert {member.name.split("/", 1)[0] for member in members} == {f"festival-desk-{VERSION}"}
        assert all(member.uid == 0 and member.gid == 0 for member in members)
        archive.extractall(tmp_path, filter="tar")
    program = tmp_path / f"festival-desk-{VERSION}" / "festival-desk"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(program, "demo", "--db", str(elsewhere / "demo.festival"), "--json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
