"""A start-up probe for the packaging smoke tests and the start-up benchmark, which run the desk as
a finished program (a frozen bundle has no interpreter to hand a test script to).

With FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS=1 in the environment, the desk prints `first rows: N`
(N films in the list) on stdout once its film table has painted rows, then closes its window as
a user would, so the process ends through the normal exit path with its exit code. Without the
variable nothing is installed and nothing changes.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView

ENV = "FESTIVAL_DESK_QUIT_AFTER_FIRST_ROWS"


class _FirstRowsProbe(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and watched.objectName() == "qt_scrollarea_viewport":
            table = watched.parent()
            if isinstance(table, QTableView) and table.objectName() == "filmTable" and table.isVisible() \
                    and table.model() is not None and table.model().rowCount() > 0:
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, lambda: self._report(table))  # after this paint has reached the screen
        return False

    def _report(self, table: QTableView) -> None:
        print(f"first rows: {table.model().rowCount()}", flush=True)
        table.window().close()


def install_if_asked(app: QApplication) -> None:
    """Install the probe on `app` when the environment asks for it."""
    if os.environ.get(ENV):
        app.installEventFilter(_FirstRowsProbe(app))
