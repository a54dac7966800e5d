"""Fixtures for driving the desk's real widgets offscreen: isolated settings and an open desk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

PROGRAMMER = "Maja Kovačič"  # a member of the demo festival's committee


@pytest.fixture
def desk_settings(tmp_path: Path, qapp):
    """QSettings written under this test's folder, so that no run sees another's memory."""
    from PySide6.QtCore import QSettings

    from festival_desk.gui.settings import DeskSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(folder))
    return DeskSettings()


def open_desk(qtbot, settings, spec: str, programmer: str | None = PROGRAMMER):
    """A Desk showing its window on `spec`, once the first film list is on screen."""
    from festival_desk.gui.app import Desk

    desk = Desk(settings)
    qtbot.addWidget(desk.window)
    desk.window.show()
    # In a real X server without a window manager a new window is not active until asked: keys
    # and focus then go nowhere (offscreen, every shown window is active).
    desk.window.activateWindow()
    qtbot.waitUntil(desk.window.isActiveWindow, timeout=5000)
    first_list = desk.window.film_areas["submissions"].list
    desk.open(spec, programmer)
    # The list may first show a preview read before the database opens: wait for the handover.
    qtbot.waitUntil(lambda: first_list.database is not None and desk.context.runner.idle
                    and not desk.opening, timeout=20000)
    return desk


def close_desk(desk) -> None:
    desk.window.close()
    desk.close()


@pytest.fixture
def desk(qtbot, desk_settings, demo_path: Path) -> Iterator[object]:
    """The desk open on a private copy of the demo festival, as programmer PROGRAMMER."""
    opened = open_desk(qtbot, desk_settings, str(demo_path))
    yield opened
    close_desk(opened)


def wait_idle(qtbot, desk, timeout: int = 10000) -> None:
    """Wait until every queued background task has delivered its result."""
    qtbot.waitUntil(lambda: desk.context.runner.idle, timeout=timeout)


def type_text(widget, text: str) -> None:
    """Type `text` key by key, non-ASCII included (QTest.keyClicks aborts on non-ASCII offscreen)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
