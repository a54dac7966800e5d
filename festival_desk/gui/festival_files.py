"""Choosing a festival file: new files get the `.festival` extension; `.sqlite` and `.db` files
made before it open as before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from festival_desk.store.locations import FESTIVAL_SUFFIXES, FESTIVAL_SUFFIX


def _tr(text: str) -> str:
    return QCoreApplication.translate("FestivalFiles", text)


def _filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in FESTIVAL_SUFFIXES)
    return _tr("Festival files (%1)").replace("%1", patterns)


def with_festival_suffix(path: str) -> str:
    """`path` as typed, with `.festival` added when the name has no festival extension of its own
    (the file dialog adds none when the user types a bare name)."""
    if Path(path).suffix.lower() in FESTIVAL_SUFFIXES:
        return path
    return path + FESTIVAL_SUFFIX


def choose_new_festival_file(parent: QWidget | None, title: str) -> str | None:
    """Ask where to create a festival file; the path chosen (ending in a festival extension), or
    None when the user cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, "festival" + FESTIVAL_SUFFIX, _filter())
    return with_festival_suffix(path) if path else None


def choose_festival_file(parent: QWidget | None, title: str) -> str | None:
    """Ask for an existing festival file (`.festival`, or `.sqlite`/`.db` made before it); None
    when the user cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", _filter() + ";;" + _tr("All files (*)"))
    return path or None
