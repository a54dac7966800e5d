"""Python's cyclic garbage collection, moved out of the moments a user is waiting for.

Measured scrolling 25,000 films a page per frame: automatic collections ran about once every twelve
frames, freed nothing (the table's rows form no reference cycles), and now and then took 10–15 ms
inside a frame, enough to push it past 50 ms. While the desk is open, `GarbagePacer` turns
automatic collection off and collects instead once the user has left the keyboard and mouse alone
for `IDLE_MS`, and in any case when `CHECK_MS` has passed with more than `MAX_PENDING` new objects
(so uninterrupted input cannot grow memory without bound). `stop` turns automatic collection back
on, as it was.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

IDLE_MS = 1500
CHECK_MS = 5000
MAX_PENDING = 200_000  # objects allocated since the last collection (gc.get_count()[0])

_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
                           QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                           QEvent.Type.TouchUpdate})


class GarbagePacer(QObject):
    """Collects garbage when the user is idle (see the module's docstring). `collections` counts
    the collections it ran."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._was_enabled = gc.isenabled()
        self.collections = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self.collect)
        self._check = QTimer(self)
        self._check.setInterval(CHECK_MS)
        self._check.timeout.connect(self._collect_if_grown)
        gc.disable()
        app.installEventFilter(self)
        self._idle.start()
        self._check.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self._idle.start()  # restarts: the collection waits for a pause in the input
        return False

    def collect(self) -> None:
        gc.collect()
        self.collections += 1

    def _collect_if_grown(self) -> None:
        if gc.get_count()[0] > MAX_PENDING:
            self.collect()

    def stop(self) -> None:
        """Stop pacing; automatic collection is back as it was before."""
        self._idle.stop()
        self._check.stop()
        self._app.removeEventFilter(self)
        if self._was_enabled:
            gc.enable()
        self.deleteLater()
