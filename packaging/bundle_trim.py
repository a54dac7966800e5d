"""What the bundle leaves out of what PyInstaller's Qt hooks collect, and why (read by the spec).

PyInstaller collects every plugin of every Qt module the program imports. Some of those plugins
serve devices or features the desk never meets, and a few pull whole Qt modules in behind them
(the on-screen keyboard plugin needs Qt Quick and QML, about 25 MB). Each entry below says why the
desk never loads it. Libraries that only those plugins needed go too; anything a kept file still
links to stays (checked from the ELF dependencies on Linux, where `readelf` is at hand).

Entries are PyInstaller TOC tuples: (name in the bundle, source path, type).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence

TocEntry = tuple[str, str, str]

QT_PLUGINS = "PySide6/Qt/plugins/"

# Plugin patterns (under the Qt plugins folder) and the reason the desk never loads them.
UNUSED_PLUGINS: dict[str, str] = {
    "platforminputcontexts/*qtvirtualkeyboard*": "on-screen keyboard for touch screens; needs Qt Quick and QML",
    "platformthemes/*qgtk3*": "GTK look for dialogs; the desk draws its own (Fusion) theme, and the "
                              "plugin needs GTK 3 libraries of the system's own version",
    "platforms/*qeglfs*": "embedded devices without a window system",
    "platforms/*qlinuxfb*": "embedded devices without a window system",
    "platforms/*qminimal*": "headless rendering without painting (the tests use offscreen, kept)",
    "platforms/*qvnc*": "serving the window over VNC",
    "platforms/*qvkkhrdisplay*": "Vulkan on a bare display",
    "egldeviceintegrations/*": "embedded devices (the eglfs platform)",
    "generic/*": "raw input devices (evdev, TUIO) for embedded systems",
    "networkinformation/*": "network status; the desk opens no network connection through Qt",
    "tls/*": "TLS for Qt's own network access, which the desk never uses (PostgreSQL's TLS is libpq's)",
}

# Qt's own translations: the desk installs no Qt translator today; qtbase's are kept for when it
# does (standard buttons and dialogs), the rest belong to modules that are not in the bundle.
KEPT_QT_TRANSLATIONS = "qtbase_*"
QT_TRANSLATIONS = "PySide6/Qt/translations/"


def is_unused_plugin(name: str) -> bool:
    name = name.replace("\\", "/")
    if not name.startswith(QT_PLUGINS):
        return False
    inside = name[len(QT_PLUGINS):]
    return any(fnmatch.fnmatch(inside, pattern) for pattern in UNUSED_PLUGINS)


def is_unused_translation(name: str) -> bool:
    name = name.replace("\\", "/")
    return name.startswith(QT_TRANSLATIONS) and not fnmatch.fnmatch(name[len(QT_TRANSLATIONS):],
                                                                     KEPT_QT_TRANSLATIONS)


_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(.+?)\]")


def elf_needed(path: str) -> list[str]:
    """The sonames an ELF file links to (empty for anything `readelf` cannot read)."""
    result = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=False)
    return _NEEDED.findall(result.stdout)


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _closure(start: Iterable[str], needs: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(needs.get(name, ()))
    return seen


def orphaned_libraries(kept: Sequence[TocEntry], dropped: Sequence[TocEntry],
                       needed=elf_needed) -> set[str]:
    """Bundle names of kept libraries that only the dropped files link to, directly or through
    each other. `needed(source path)` gives the sonames a file links to."""
    by_base = {_base(entry[0]): entry[0] for entry in kept}
    needs: dict[str, list[str]] = {}
    for entry in (*kept, *dropped):
        needs[entry[0]] = [by_base[soname] for soname in needed(entry[1]) if soname in by_base]
    behind_dropped = _closure((name for entry in dropped for name in needs[entry[0]]), needs)
    roots = [entry[0] for entry in kept if entry[0] not in behind_dropped]
    return behind_dropped - _closure(roots, needs)


def _link_target(entry: TocEntry) -> str:
    """The bundle name a SYMLINK entry points to (its source is relative to its own folder)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(entry[0].replace("\\", "/")), entry[1]))


def _without_dangling_links(entries: list[TocEntry]) -> list[TocEntry]:
    """`entries` less the SYMLINK entries whose target is not among them (PyInstaller links each
    Qt library into the top folder, among the data files, whatever happens to the library)."""
    present = {entry[0].replace("\\", "/") for entry in entries if entry[2] != "SYMLINK"}
    links = [entry for entry in entries if entry[2] == "SYMLINK"]
    while True:  # a link may point to a link
        live = [link for link in links if _link_target(link) in present]
        grown = present | {link[0].replace("\\", "/") for link in live}
        if grown == present:
            break
        present = grown
    return [entry for entry in entries if entry[2] != "SYMLINK" or _link_target(entry) in present]


def trim(binaries: Sequence[TocEntry], datas: Sequence[TocEntry]) -> tuple[list[TocEntry], list[TocEntry]]:
    """The binaries and data files to bundle: without the unused plugins and translations, on
    Linux without the libraries only those plugins needed, and without links to what went."""
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    dropped = [entry for entry in files if is_unused_plugin(entry[0])]
    kept_binaries = [entry for entry in binaries if not is_unused_plugin(entry[0])]
    if dropped and shutil.which("readelf"):
        orphans = orphaned_libraries([entry for entry in kept_binaries if entry[2] != "SYMLINK"], dropped)
        kept_binaries = [entry for entry in kept_binaries if entry[0] not in orphans]
    kept_datas = [entry for entry in datas if not is_unused_translation(entry[0])]
    live = set(_without_dangling_links(kept_binaries + kept_datas))
    return [entry for entry in kept_binaries if entry in live], [entry for entry in kept_datas if entry in live]
