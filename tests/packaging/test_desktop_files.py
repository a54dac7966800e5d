"""The files that make the bundle a desktop application, checked from the source tree (no bundle
needed): the menu entry and the metainfo pass the freedesktop validators, release notes come from
the changelog, the festival-file type is recognised, the version is written once, and the bundle's
trimming never drops a library something kept still links to."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))

import bundle_trim  # noqa: E402
import desktop_files  # noqa: E402

DESKTOP = REPO / "packaging" / "linux" / "festival-desk.desktop"
MIME = REPO / "packaging" / "linux" / "festival-desk-mime.xml"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian package {package}; .ci/run installs it)")
    return found


def _metainfo() -> str:
    return desktop_files.metainfo(desktop_files.read_project(), (REPO / "CHANGELOG.md").read_text(encoding="utf-8"),
                                  (REPO / "packaging/linux/festival-desk.metainfo.xml.in").read_text(encoding="utf-8"))


def test_the_menu_entry_passes_desktop_file_validate_and_opens_festival_files() -> None:
    result = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    entry = DESKTOP.read_text(encoding="utf-8")
    assert "Exec=festival-desk %f\n" in entry  # a double-click hands the file to the desk
    assert "MimeType=application/x-festival-desk;\n" in entry
    assert "Icon=festival-desk\n" in entry


def test_the_metainfo_passes_appstreamcli_validate(tmp_path: Path) -> None:
    component = desktop_files.component_id(_metainfo())
    path = tmp_path / f"{component}.metainfo.xml"
    path.write_text(_metainfo(), encoding="utf-8")
    # --no-net: this machine has no network; with one, the validator also fetches the screenshot.
    result = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<screenshot type=\"default\">" in path.read_text()


def test_release_notes_come_from_the_changelog_for_the_version_in_pyproject() -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    text = _metainfo()
    assert f'<release version="{version}"' in text
    newest = desktop_files.parse_changelog((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))[0]
    assert newest.version == version
    first_item = next(parts for kind, parts in newest.blocks if kind == "ul")[0]
    assert f"<li>{desktop_files._inline(first_item)}</li>" in text


def test_a_changelog_is_read_into_paragraphs_and_lists_with_text_escaped() -> None:
    releases = desktop_files.parse_changelog(
        "# Changelog\n\nIntro text.\n\n## 1.1 - 2027-02-01\n\nFixes & more:\n\n- one `<b>`\n  wrapped\n- two\n\n"
        "## 1.0 - 2027-01-01\n\n- first\n")
    assert [(release.version, release.date) for release in releases] == [("1.1", "2027-02-01"), ("1.0", "2027-01-01")]
    assert releases[0].blocks == (("p", ("Fixes & more:",)), ("ul", ("one `<b>` wrapped", "two")))
    xml = desktop_files.releases_xml(releases)
    assert "<p>Fixes &amp; more:</p>" in xml
    assert "<li>one <code>&lt;b&gt;</code> wrapped</li>" in xml


@pytest.mark.parametrize(("text", "message"), [
    ("## 1.0 - 2027-01-01\n\n## 0.9 - 2026-12-01\n- x\n", "CHANGELOG.md:1: release 1.0 has no notes"),
    ("## 1.0 (January)\n- x\n", "CHANGELOG.md:1: expected '## VERSION - YYYY-MM-DD'"),
])
def test_a_malformed_changelog_is_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(desktop_files.PackagingError, match=message.replace("(", r"\(")):
        desktop_files.parse_changelog(text)


def test_a_version_missing_from_the_changelog_stops_the_build() -> None:
    project = desktop_files.read_project()
    later = desktop_files.Project("9.9.9", project.description, project.homepage, project.licence)
    with pytest.raises(desktop_files.PackagingError, match="add '## 9.9.9 - YYYY-MM-DD'"):
        desktop_files.metainfo(later, (REPO / "CHANGELOG.md").read_text(), "<id>x</id>@RELEASES@")


def test_the_version_is_written_once_in_pyproject() -> None:
    import festival_desk

    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert festival_desk.__version__ == version
    assert version not in (REPO / "festival_desk" / "__init__.py").read_text()


def test_a_festival_file_is_recognised_by_its_extension_and_sqlite_files_are_not(tmp_path: Path) -> None:
    """The shared-mime-info entry, installed into a private data folder, names NAME.festival as a
    festival; an .sqlite file stays a plain SQLite database."""
    update = _tool("update-mime-database", "shared-mime-info")
    xdg_mime = _tool("xdg-mime", "xdg-utils")
    _tool("gio", "libglib2.0-bin")
    data = tmp_path / "share"
    (data / "mime" / "packages").mkdir(parents=True)
    system = Path("/usr/share/mime/packages/freedesktop.org.xml")
    if not system.exists():
        pytest.skip("shared-mime-info's database is not installed")
    shutil.copyfile(system, data / "mime" / "packages" / "freedesktop.org.xml")
    shutil.copyfile(MIME, data / "mime" / "packages" / "festival-desk.xml")
    subprocess.run([update, str(data / "mime")], check=True, capture_output=True)
    festival = tmp_path / "Ribnik 2027.festival"
    sqlite = tmp_path / "old.sqlite"
    for path in (festival, sqlite):
        path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    # As a GNOME session asks (through GLib's gio, which reads the shared-mime-info database).
    env = {"XDG_DATA_HOME": str(data), "XDG_DATA_DIRS": str(data), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_CURRENT_DESKTOP": "GNOME"}

    def filetype(path: Path) -> str:
        return subprocess.run([xdg_mime, "query", "filetype", str(path)], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()

    assert filetype(festival) == "application/x-festival-desk"
    assert filetype(sqlite) == "application/vnd.sqlite3"


# --- trimming the bundle --------------------------------------------------------------------------

def test_unused_qt_plugins_and_translations_are_recognised_and_the_needed_ones_kept() -> None:
    plugins = "PySide6/Qt/plugins/"
    assert bundle_trim.is_unused_plugin(plugins + "platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert bundle_trim.is_unused_plugin(plugins + "platforms/libqeglfs.so")
    assert bundle_trim.is_unused_plugin(plugins + "platformthemes/libqgtk3.so")
    for needed in ("platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
                   "iconengines/libqsvgicon.so", "imageformats/libqjpeg.so", "platformthemes/libqxdgdesktopportal.so",
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so"):
        assert not bundle_trim.is_unused_plugin(plugins + needed), needed
    assert bundle_trim.is_unused_translation("PySide6/Qt/translations/qtmultimedia_de.qm")
    assert not bundle_trim.is_unused_translation("PySide6/Qt/translations/qtbase_de.qm")


def test_trimming_drops_what_only_dropped_plugins_need_and_keeps_what_kept_files_link_to() -> None:
    links = {
        "vk.so": ["libQt6Quick.so.6", "libQt6Gui.so.6"],
        "libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6Gui.so.6"],
        "libQt6Qml.so.6": ["libQt6Core.so.6"],
        "xcb.so": ["libQt6Gui.so.6", "libxcb.so.1"],
        "libQt6Gui.so.6": ["libQt6Core.so.6"],
        "QtPdf.abi3.so": ["libQt6Qml.so.6"],  # something kept still needs Qml: it stays
    }
    entry = lambda name, folder="PySide6/Qt/lib/": (folder + name, "/src/" + name, "BINARY")  # noqa: E731
    dropped = [entry("vk.so", "PySide6/Qt/plugins/platforminputcontexts/")]
    kept = [entry(name) for name in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Gui.so.6", "libQt6Core.so.6")]
    kept += [entry("xcb.so", "PySide6/Qt/plugins/platforms/"), entry("libxcb.so.1", ""), entry("QtPdf.abi3.so", "PySide6/")]
    orphans = bundle_trim.orphaned_libraries(kept, dropped, needed=lambda source: links.get(Path(source).name, []))
    assert orphans == {"PySide6/Qt/lib/libQt6Quick.so.6"}


def test_links_to_dropped_libraries_go_with_them() -> None:
    binaries = [("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "/x/vk.so", "BINARY")]
    datas = [("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
             ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "DATA")]
    kept_binaries, kept_datas = bundle_trim.trim(binaries, datas)
    assert kept_binaries == []
    assert [entry[0] for entry in kept_datas] == ["libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6"]
