"""Handing a written file to the rest of the desktop, and saying what happened.

`show_file` opens a file in the viewer the desktop has for its type; where there is none it shows
the file in the file manager; where there is no file manager either it copies the file's path to
the clipboard. It never fails silently: the sentence it returns says which of these happened, for
the page to show.

Why not just `QDesktopServices.openUrl`: on Linux it starts `xdg-open` and reports success once
that has started, even when `xdg-open` then finds no program for the file and nothing appears. So
on Linux the desktop's default application for the type is asked first (`xdg-mime`).
"""

from __future__ import annotations

import mimetypes
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

OPENED = "opened"
SHOWN_IN_FOLDER = "folder"
PATH_COPIED = "copied"


@dataclass(frozen=True)
class Shown:
    """How a file was handed over: `how` is OPENED, SHOWN_IN_FOLDER or PATH_COPIED."""

    how: str
    message: str


def _tr(text: str) -> str:
    return QCoreApplication.translate("FileOpening", text)


def _uses_xdg() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def has_application_for(mime_type: str) -> bool:
    """Whether the desktop names a default program for `mime_type` (always True where the platform
    itself opens files and reports failure: Windows, macOS)."""
    if not _uses_xdg():
        return True
    query = shutil.which("xdg-mime")
    if query is None:
        return False
    try:
        answer = subprocess.run([query, "query", "default", mime_type], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return answer.returncode == 0 and bool(answer.stdout.strip())


def _show_in_file_manager(path: Path) -> bool:
    """Ask a running file manager to show `path` selected (freedesktop D-Bus), else open its folder."""
    if _uses_xdg():
        try:
            from PySide6.QtDBus import QDBusConnection, QDBusInterface
        except ImportError:
            QDBusConnection = None  # noqa: N806 - Qt's class name
        if QDBusConnection is not None and QDBusConnection.sessionBus().isConnected():
            manager = QDBusInterface("org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                                     "org.freedesktop.FileManager1", QDBusConnection.sessionBus())
            if manager.isValid():
                reply = manager.call("ShowItems", [QUrl.fromLocalFile(str(path)).toString()], "")
                if not reply.errorName():
                    return True
        if not has_application_for("inode/directory"):
            return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def show_file(path: Path | str) -> Shown:
    """Open `path` in its viewer, else show it in the file manager, else copy its path (see module)."""
    path = Path(path)
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if has_application_for(mime_type) and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return Shown(OPENED, _tr("Opened %1 in your viewer.").replace("%1", str(path)))
    if _show_in_file_manager(path):
        return Shown(SHOWN_IN_FOLDER, _tr("No program to open %1 is set up; its folder is shown in the file "
                                          "manager instead.").replace("%1", str(path)))
    QGuiApplication.clipboard().setText(str(path))
    return Shown(PATH_COPIED, _tr("No program to open %1 and no file manager are set up on this computer. "
                                  "Its path is copied, to paste where you need it: %2")
                 .replace("%1", path.name).replace("%2", str(path)))
