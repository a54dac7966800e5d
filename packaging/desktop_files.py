"""The files around the frozen bundle that make it a desktop application (run by build.sh with the
build environment's Python, which has PySide6 and Pillow):

    python packaging/desktop_files.py version
    python packaging/desktop_files.py icons OUT_DIR
    python packaging/desktop_files.py metainfo OUT_FILE
    python packaging/desktop_files.py deb-root BUNDLE_DIR ICONS_DIR METAINFO ROOT_DIR

- the version, from pyproject.toml (the one place it is written);
- the application icon as PNGs for the hicolor theme (rendered from resources/icons/app.svg), a
  copy of the SVG, and the .ico/.icns the Windows and macOS bundles use;
- the AppStream metainfo, its releases taken from CHANGELOG.md;
- the tree of the Debian package: the bundle under /opt, the launcher on the PATH, the menu entry,
  the icons, the metainfo, the festival-file type, and DEBIAN/control.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
APP_SVG = REPO / "resources" / "icons" / "app.svg"
NAME = "festival-desk"
INSTALL_DIR = f"/opt/{NAME}"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


class PackagingError(Exception):
    """A one-line reason the packaging files cannot be made."""


# --- the project ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    version: str
    description: str
    homepage: str
    licence: str


def read_project(pyproject: Path = REPO / "pyproject.toml") -> Project:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    homepage = project.get("urls", {}).get("Homepage")
    if not homepage:
        raise PackagingError(f"{pyproject}: [project.urls] has no Homepage")
    return Project(version=project["version"], description=project["description"],
                   homepage=homepage if homepage.endswith("/") else homepage + "/",
                   licence=project["license"]["text"])


# --- the changelog -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Release:
    version: str
    date: str
    blocks: tuple[tuple[str, tuple[str, ...]], ...]  # ("p", (text,)) or ("ul", (item, ...))


_HEADING = re.compile(r"^## (?P<version>\S+) - (?P<date>\d{4}-\d{2}-\d{2})\s*$")


def _blocks(lines: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Paragraphs and lists of `- ` items; a blank line ends either, other lines continue them."""
    blocks: list[tuple[str, list[str]]] = []
    open_kind = None
    for line in lines:
        text = line.strip()
        if not text:
            open_kind = None
        elif line.startswith("- "):
            if open_kind != "ul":
                blocks.append(("ul", []))
                open_kind = "ul"
            blocks[-1][1].append(text[2:].strip())
        elif open_kind is not None:
            blocks[-1][1][-1] += " " + text
        else:
            blocks.append(("p", [text]))
            open_kind = "p"
    return [(kind, tuple(parts)) for kind, parts in blocks]


def parse_changelog(text: str, source: str = "CHANGELOG.md") -> list[Release]:
    """The releases in a changelog, newest first as written: each `## VERSION - YYYY-MM-DD`
    heading and the paragraphs and `- ` items under it (text before the first release is its
    introduction). A release without notes, or a `## ` heading of another shape, is an error
    naming its line."""
    releases: list[Release] = []
    heading: tuple[str, str, int] | None = None
    body: list[str] = []

    def finish() -> None:
        if heading is None:
            return
        version, date, line = heading
        blocks = _blocks(body)
        if not blocks:
            raise PackagingError(f"{source}:{line}: release {version} has no notes")
        releases.append(Release(version, date, tuple(blocks)))

    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            finish()
            match = _HEADING.match(line)
            if match is None:
                raise PackagingError(f"{source}:{number}: expected '## VERSION - YYYY-MM-DD', got {line!r}")
            heading, body = (match["version"], match["date"], number), []
        elif heading is not None:
            body.append(line)
    finish()
    return releases


def _inline(text: str) -> str:
    """Changelog text as AppStream markup: escaped, with `code` and **bold** as <code>/<em>."""
    text = escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<em>\1</em>", text)


def releases_xml(releases: list[Release], indent: str = "    ") -> str:
    lines = []
    for release in releases:
        lines.append(f'{indent}<release version="{escape(release.version)}" date="{release.date}">')
        lines.append(f"{indent}  <description>")
        for kind, parts in release.blocks:
            if kind == "p":
                lines.append(f"{indent}    <p>{_inline(parts[0])}</p>")
            else:
                lines.append(f"{indent}    <ul>")
                lines.extend(f"{indent}      <li>{_inline(item)}</li>" for item in parts)
                lines.append(f"{indent}    </ul>")
        lines.append(f"{indent}  </description>")
        lines.append(f"{indent}</release>")
    return "\n".join(lines)


def metainfo(project: Project, changelog: str, template: str) -> str:
    """The AppStream metainfo: the template with the homepage and the releases filled in. The
    version being built must be the changelog's newest release."""
    releases = parse_changelog(changelog)
    if not releases or releases[0].version != project.version:
        newest = releases[0].version if releases else "none"
        raise PackagingError(f"CHANGELOG.md: the newest release is {newest}, but pyproject.toml says "
                             f"{project.version}: add '## {project.version} - YYYY-MM-DD' with its notes")
    return template.replace("@HOMEPAGE@", escape(project.homepage)).replace("@RELEASES@", releases_xml(releases))


def component_id(metainfo_text: str) -> str:
    match = re.search(r"<id>([^<]+)</id>", metainfo_text)
    if match is None:
        raise PackagingError("the metainfo template has no <id>")
    return match[1]


# --- icons ---------------------------------------------------------------------------------------

def render_icons(out: Path, svg: Path = APP_SVG) -> list[Path]:
    """PNGs of every hicolor size, a copy of the SVG, and .ico / .icns, in `out`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (QPainter needs one)
    # A theme icon is drawn on any background: the desk's own icon engine fills currentColor from
    # the palette; here it gets the text colour of a light theme.
    data = svg.read_bytes().replace(b"currentColor", b"#202020")
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise PackagingError(f"{svg}: not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        path = out / f"{size}.png"
        if not image.save(str(path)):
            raise PackagingError(f"{path}: could not be written")
        written.append(path)
    scalable = out / f"{NAME}.svg"
    scalable.write_bytes(data)
    largest = Image.open(out / f"{PNG_SIZES[-1]}.png")
    largest.save(out / f"{NAME}.ico", sizes=[(size, size) for size in PNG_SIZES if size <= 256])
    largest.save(out / f"{NAME}.icns")
    return [*written, scalable, out / f"{NAME}.ico", out / f"{NAME}.icns"]


# --- the Debian package --------------------------------------------------------------------------

# What the bundle takes from the system rather than carrying it (tests/packaging checks that every
# library it loads from outside itself belongs to one of these): the C library, the X connection
# and the OpenGL/EGL drivers (PyInstaller leaves these out on purpose: they must match the
# machine's X server and graphics driver), Wayland's client libraries, and the data the bundled
# fontconfig and xkbcommon read from the system, with a font for the window's text.
DEB_DEPENDS = ("libxcb1", "libgl1", "libglx0", "libglvnd0", "libegl1", "libwayland-client0", "libwayland-cursor0",
               "libwayland-egl1", "fontconfig-config", "xkb-data",
               "fonts-dejavu-core | fonts-noto-core | fonts-liberation2 | fonts-freefont-ttf")
DEB_RECOMMENDS = ("shared-mime-info", "desktop-file-utils", "hicolor-icon-theme")

_GLIBC_SYMBOL = re.compile(r"@GLIBC_(\d+(?:\.\d+)+)")


def glibc_floor(bundle: Path) -> str:
    """The newest C library version any file of the bundle asks for (from their symbol versions):
    the oldest libc6 the bundle runs on."""
    newest = (2, 17)
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as file:
            if file.read(4) != b"\x7fELF":
                continue
        symbols = subprocess.run(["readelf", "-W", "--dyn-syms", str(path)], capture_output=True, text=True,
                                 check=False).stdout
        for version in _GLIBC_SYMBOL.findall(symbols):
            newest = max(newest, tuple(int(part) for part in version.split(".")))
    return ".".join(map(str, newest))


def _control(project: Project, installed_kib: int, glibc: str) -> str:
    summary = "run a documentary festival's programming season"
    body = ("Festival Desk is the desktop tool on which a documentary festival's programming\n"
            " team runs its season: submissions, ratings and shortlists, critics' reviews,\n"
            " the screening schedule and the print-ready programme booklet. It works offline\n"
            " on one festival file or on a shared PostgreSQL database.")
    return (f"Package: {NAME}\n"
            f"Version: {project.version}\n"
            "Architecture: amd64\n"
            "Section: misc\n"
            "Priority: optional\n"
            f"Maintainer: Festival Desk maintainers <maintainers@{_host(project.homepage)}>\n"
            f"Installed-Size: {installed_kib}\n"
            f"Depends: libc6 (>= {glibc}), {', '.join(DEB_DEPENDS)}\n"
            f"Recommends: {', '.join(DEB_RECOMMENDS)}\n"
            f"Homepage: {project.homepage}\n"
            f"Description: {summary}\n {body}\n")


def _host(url: str) -> str:
    return re.sub(r"^[a-z]+://", "", url).split("/", 1)[0]


def _copyright(project: Project) -> str:
    return ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            "Upstream-Name: Festival Desk\n"
            f"Source: {project.homepage}\n\n"
            "Files: *\n"
            "Copyright: Festival Desk maintainers\n"
            f"License: {project.licence}\n\n"
            f"Files: {INSTALL_DIR}/_internal/*\n"
            "Copyright: the authors of each bundled component\n"
            "License: various\n"
            " The Python interpreter, Qt (PySide6, LGPL-3.0) and the Python libraries the program\n"
            f" uses travel in {INSTALL_DIR}/_internal; each library's licence is in its\n"
            " *.dist-info folder there, the fonts' licence (SIL OFL 1.1) beside the fonts.\n")


def _tree_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return (total + 1023) // 1024


def deb_root(bundle: Path, icons: Path, metainfo_file: Path, root: Path, project: Project) -> Path:
    """Lay out the Debian package's tree in `root` (emptied first); returns `root`."""
    if not (bundle / NAME).is_file():
        raise PackagingError(f"{bundle}: no {NAME} executable (build the bundle first)")
    if root.exists():
        shutil.rmtree(root)
    opt = root / INSTALL_DIR.lstrip("/")
    shutil.copytree(bundle, opt, symlinks=True)
    share = root / "usr" / "share"
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / NAME).symlink_to(f"{INSTALL_DIR}/{NAME}")
    for folder, source, name in (("applications", LINUX / f"{NAME}.desktop", f"{NAME}.desktop"),
                                 ("mime/packages", LINUX / f"{NAME}-mime.xml", f"{NAME}.xml"),
                                 ("metainfo", metainfo_file, f"{component_id(metainfo_file.read_text())}.metainfo.xml")):
        (share / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, share / folder / name)
    hicolor = share / "icons" / "hicolor"
    for size in PNG_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copyfile(icons / f"{size}.png", target / f"{NAME}.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copyfile(icons / f"{NAME}.svg", hicolor / "scalable" / "apps" / f"{NAME}.svg")
    doc = share / "doc" / NAME
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(_copyright(project), encoding="utf-8")
    shutil.copyfile(REPO / "CHANGELOG.md", doc / "CHANGELOG.md")
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(_control(project, _tree_size_kib(root), glibc_floor(bundle)), encoding="utf-8")
    for path in root.rglob("*"):  # dpkg-deb wants 0755 folders, whatever the umask was
        if path.is_dir():
            path.chmod(0o755)
    return root


# --- command line --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version")
    commands.add_parser("icons").add_argument("out", type=Path)
    commands.add_parser("metainfo").add_argument("out", type=Path)
    deb = commands.add_parser("deb-root")
    for name in ("bundle", "icons", "metainfo", "root"):
        deb.add_argument(name, type=Path)
    args = parser.parse_args(argv)
    try:
        project = read_project()
        if args.command == "version":
            print(project.version)
        elif args.command == "icons":
            render_icons(args.out)
        elif args.command == "metainfo":
            text = metainfo(project, (REPO / "CHANGELOG.md").read_text(encoding="utf-8"),
                            (LINUX / f"{NAME}.metainfo.xml.in").read_text(encoding="utf-8"))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        else:
            deb_root(args.bundle, args.icons, args.metainfo, args.root, project)
    except PackagingError as error:
        print(f"desktop_files: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
