"""While the desk is open, garbage is collected in the user's pauses instead of inside frames,
and automatic collection is back once it closes."""

from __future__ import annotations

import gc
import weakref

import pytest

from tests.gui.conftest import close_desk, open_desk

pytestmark = pytest.mark.gui


class _Node:
    def __init__(self) -> None:
        self.partner: _Node | None = None


def _cycle() -> weakref.ref:
    first, second = _Node(), _Node()
    first.partner, second.partner = second, first
    return weakref.ref(first)


def test_cycles_are_collected_in_a_pause_not_by_the_allocator(qtbot, desk_settings, demo_path, monkeypatch) -> None:
    from festival_desk.gui import gc_pacing

    monkeypatch.setattr(gc_pacing, "IDLE_MS", 200)
    assert gc.isenabled()
    desk = open_desk(qtbot, desk_settings, str(demo_path))
    try:
        assert not gc.isenabled()  # no automatic collection while the desk is open
        pacer = desk._garbage_pacer
        before = pacer.collections
        garbage = _cycle()
        for _ in range(5000):  # far past the allocator's usual trigger (700 new objects)
            [object() for _ in range(3)]
        assert garbage() is not None
        qtbot.waitUntil(lambda: garbage() is None, timeout=5000)  # the idle timer collected it
        assert pacer.collections > before
    finally:
        close_desk(desk)
    assert gc.isenabled()


def test_input_postpones_the_collection(qtbot, desk_settings, demo_path, monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from festival_desk.gui import gc_pacing

    monkeypatch.setattr(gc_pacing, "IDLE_MS", 400)
    desk = open_desk(qtbot, desk_settings, str(demo_path))
    try:
        pacer = desk._garbage_pacer
        qtbot.waitUntil(lambda: pacer.collections > 0, timeout=5000)
        before = pacer.collections
        table = desk.window.film_areas["submissions"].list.view
        for _ in range(6):  # keys every 150 ms: never a 400 ms pause
            QTest.keyClick(table, Qt.Key.Key_Down)
            qtbot.wait(150)
        assert pacer.collections == before
        qtbot.waitUntil(lambda: pacer.collections > before, timeout=3000)
    finally:
        close_desk(desk)
