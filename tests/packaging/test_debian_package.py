"""The Debian package that packaging/build.sh built ($FESTIVAL_DESK_DEB): what it holds, and, run as
root (as CI runs), a real `dpkg -i`: the program on the PATH, the menu entry and the festival-file
type read back from the system, a festival file opened as a file manager opens it, then `dpkg -P`
leaving nothing behind."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
PACKAGE = "festival-desk"
MIME_TYPE = "application/x-festival-desk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def deb() -> Path:
    value = os.environ.get("FESTIVAL_DESK_DEB")
    if not value:
        pytest.skip("$FESTIVAL_DESK_DEB is not set: packaging/build.sh builds the package and runs these tests on it")
    return Path(value)


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def _metainfo(root: Path) -> Path:
    found = list((root / "usr/share/metainfo").glob("*.metainfo.xml"))
    assert len(found) == 1, found
    return found[0]


def test_the_package_is_named_and_versioned_from_pyproject(deb: Path) -> None:
    assert deb.name == f"{PACKAGE}_{VERSION}_amd64.deb"
    assert _field(deb, "Package") == PACKAGE
    assert _field(deb, "Version") == VERSION
    assert _field(deb, "Architecture") == "amd64"
    assert _field(deb, "Depends").startswith("libc6 (>= 2.")


def test_it_installs_under_opt_with_a_launcher_menu_entry_icons_metainfo_and_file_type(unpacked: Path) -> None:
    assert (unpacked / "opt/festival-desk/festival-desk").is_file()
    assert os.access(unpacked / "opt/festival-desk/festival-desk", os.X_OK)
    assert os.readlink(unpacked / "usr/bin/festival-desk") == "/opt/festival-desk/festival-desk"
    assert (unpacked / "usr/share/applications/festival-desk.desktop").is_file()
    assert (unpacked / "usr/share/mime/packages/festival-desk.xml").is_file()
    for size in ICON_SIZES:
        icon = unpacked / f"usr/share/icons/hicolor/{size}x{size}/apps/festival-desk.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(icon.read_bytes()[16:20], "big") == size  # the PNG's width
    assert (unpacked / "usr/share/icons/hicolor/scalable/apps/festival-desk.svg").read_text().startswith("<svg")
    assert f'<release version="{VERSION}"' in _metainfo(unpacked).read_text()
    assert (unpacked / "usr/share/doc/festival-desk/copyright").is_file()


def test_the_packaged_menu_entry_and_metainfo_validate(unpacked: Path) -> None:
    for tool in ("desktop-file-validate", "appstreamcli"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    desktop = subprocess.run(["desktop-file-validate", str(unpacked / "usr/share/applications/festival-desk.desktop")],
                             capture_output=True, text=True)
    assert desktop.returncode == 0 and desktop.stdout == "", desktop.stdout
    appstream = subprocess.run(["appstreamcli", "validate", "--no-net", str(_metainfo(unpacked))],
                               capture_output=True, text=True)
    assert appstream.returncode == 0, appstream.stdout


# --- installed on this machine ---------------------------------------------------------------------

def _installed_version() -> str | None:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE], capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.startswith("install ok installed"):
        return None
    return result.stdout.split()[-1]


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """The package installed with `dpkg -i` (root only, and never over an installation that was
    there before), purged again afterwards."""
    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        pytest.skip("installing a .deb needs root and dpkg (CI runs as root)")
    if _installed_version() is not None or Path("/opt/festival-desk").exists():
        pytest.skip("festival-desk is already installed on this machine; not touching it")
    result = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        yield Path("/opt/festival-desk")
    finally:
        subprocess.run(["dpkg", "-P", PACKAGE], capture_output=True, text=True)


def _desktop_env(tmp_path: Path) -> dict[str, str]:
    """A desktop session's view of the system's menu and file types (GNOME's, through gio)."""
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(tmp_path),
            "XDG_DATA_DIRS": "/usr/local/share:/usr/share", "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CURRENT_DESKTOP": "GNOME"}


def test_installed_program_runs_from_the_path(installed: Path, tmp_path: Path) -> None:
    env = _desktop_env(tmp_path)
    found = shutil.which(PACKAGE, path=env["PATH"])
    assert found == f"/usr/bin/{PACKAGE}"
    result = subprocess.run([PACKAGE, "--version"], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"festival-desk {VERSION}\n"
    assert _installed_version() == VERSION


def test_a_festival_file_is_known_to_the_desktop_and_opens_in_the_desk(installed: Path, tmp_path: Path) -> None:
    for tool in ("xdg-mime", "gio"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (xdg-utils, libglib2.0-bin)")
    env = _desktop_env(tmp_path)
    festival = tmp_path / "Ribnik 2027.festival"
    created = subprocess.run([PACKAGE, "demo", "--db", str(festival), "--json"], env=env, cwd=tmp_path,
                             capture_output=True, text=True)
    assert created.returncode == 0, created.stderr

    def xdg_mime(*args: str) -> str:
        return subprocess.run(["xdg-mime", "query", *args], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    assert xdg_mime("filetype", str(festival)) == MIME_TYPE
    assert xdg_mime("default", MIME_TYPE) == "festival-desk.desktop"
    # What a file manager runs on a double-click: the entry's Exec line with %f replaced by the file.
    entry = Path("/usr/share/applications/festival-desk.desktop").read_text()
    exec_line = next(line.split("=", 1)[1] for line in entry.splitlines() if line.startswith("Exec="))
    command = [str(festival) if word == "%f" else word for word in shlex.split(exec_line)]
    opened = subprocess.run(command, env={**env, "QT_QPA_PLATFORM": "offscreen",
                                          "FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS": "1"},
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout == f"first rows: {json.loads(created.stdout)['films']}\n"


def test_purging_leaves_nothing_behind(deb: Path, installed: Path, tmp_path: Path) -> None:
    owned = subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True, text=True, check=True).stdout.split()
    result = subprocess.run(["dpkg", "-P", PACKAGE], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _installed_version() is None
    assert not Path("/opt/festival-desk").exists()
    assert shutil.which(PACKAGE, path="/usr/bin") is None
    leftovers = [path for path in owned if path.startswith(("/opt/", "/usr/share/applications/", "/usr/share/icons/",
                                                             "/usr/share/metainfo/", "/usr/share/mime/packages/"))
                 and Path(path).is_file()]
    assert leftovers == []
    if shutil.which("gio") and shutil.which("xdg-mime"):
        festival = tmp_path / "after.festival"
        festival.write_bytes(b"SQLite format 3\x00" + bytes(84))
        after = subprocess.run(["xdg-mime", "query", "filetype", str(festival)], env=_desktop_env(tmp_path),
                               capture_output=True, text=True).stdout.strip()
        assert after != MIME_TYPE
