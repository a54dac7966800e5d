"""A live desk: colleagues' changes arrive without anyone asking.

`LiveFeed` wraps the Qt-free watcher of `store.live` for the desk's event loop: on PostgreSQL a
QSocketNotifier on the listening connection's socket (nothing runs until the server sends a
notification), on SQLite a QTimer polling the file's data version four times a second. When the
log may have grown, the entries after the last one the desk has seen are read on the worker and
turned into one `Change` (`actions.feed.change_from_entries`), which is emitted through
`DeskContext.changed`, the very path the desk's own actions take: the same rows repaint, the same
lists re-query, the open film page and the schedule refresh what it names. The desk's own entries
are left out (it has applied them already).

A lost listening connection is re-opened off the event loop; since NOTIFY is never replayed, the
desk then reloads everything. A desk that was away longer than the log keeps its entries reloads
everything too. The status bar says whether the desk is live and who else is working now.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from festival_desk.actions.changes import Change
from festival_desk.gui.desk import DeskContext

if TYPE_CHECKING:
    from festival_desk.store.live import LogWatcher

PRESENCE_SECONDS = 20
HEALTH_SECONDS = 5


def _feed():
    from festival_desk.actions import feed

    return feed


def _start(database) -> tuple[LogWatcher, int]:
    """On the worker: the watcher (its connection opened) and the log's newest entry."""
    from festival_desk.store.live import watch

    watcher = watch(database, reconnect_in_check=False)
    try:
        return watcher, _feed().latest_seq(database)
    except BaseException:
        watcher.close()
        raise


class LiveFeed(QObject):
    """Signals: `applied(Change, float)` after a colleagues' Change has gone out through the
    context (with the monotonic time it did: benchmarks measure commit to repaint from it);
    `state_changed(str)`: "live", "reconnecting", "off"; `busy(str)`: a write of this desk waits
    for another program's (emitted from the writing thread, shown by the status bar)."""

    applied = Signal(object, float)
    state_changed = Signal(str)
    busy = Signal(str)

    def __init__(self, context: DeskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._watcher: LogWatcher | None = None
        self._notifier: QSocketNotifier | None = None
        self._last_seq = 0
        self._generation = 0
        self._reading = False
        self._read_again = False
        self._reconnecting: threading.Thread | None = None
        self.state = "off"
        self.colleagues: list[str] = []
        self.label = QLabel()
        self.label.setObjectName("liveLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.check)
        self._presence = QTimer(self)
        self._presence.setInterval(PRESENCE_SECONDS * 1000)
        self._presence.timeout.connect(self.refresh_presence)
        self.status_bar = None  # where busy notices go (see `install`)
        # Bound to this object, so that a notice emitted by a worker thread is shown by this one.
        self.busy.connect(self._show_busy)
        context.database_changed.connect(self._database_changed)
        self._show()

    # --- starting and stopping ------------------------------------------------------------------

    def _database_changed(self) -> None:
        self.stop()
        database = self._context.database
        if database is None:
            return
        database.on_busy = self.busy.emit
        self._generation += 1
        generation = self._generation
        self._context.read(_start, lambda started: self._started(generation, *started),
                           lambda message: self._set_state("off", message))

    def _started(self, generation: int, watcher: LogWatcher, last_seq: int) -> None:
        if generation != self._generation or self._context.database is None:
            watcher.close()
            return
        self._watcher, self._last_seq = watcher, last_seq
        if watcher.fileno() is None:
            self._poll.start(int((watcher.poll_seconds or 1) * 1000))
        else:
            self._watch_socket()
            self._poll.start(HEALTH_SECONDS * 1000)  # notices a lost server and retries
        self._presence.start()
        self.refresh_presence()
        self._set_state("live")

    def _watch_socket(self) -> None:
        self._drop_socket()
        descriptor = self._watcher.fileno() if self._watcher is not None else None
        if descriptor is not None:
            self._notifier = QSocketNotifier(descriptor, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.check)

    def _drop_socket(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def stop(self) -> None:
        """Stop listening (another database is opened, or the desk closes)."""
        self._generation += 1
        self._poll.stop()
        self._presence.stop()
        self._drop_socket()
        if self._watcher is not None:
            watcher, self._watcher = self._watcher, None
            if self._reconnecting is not None and self._reconnecting.is_alive():
                self._reconnecting.join(timeout=10)
            watcher.close()
        self._reconnecting = None
        self.colleagues = []
        self._set_state("off")

    # --- waking up --------------------------------------------------------------------------------

    def check(self, *_args: Any) -> None:
        """Ask the watcher what happened (called by the socket notifier or the timer)."""
        from festival_desk.store.live import Wake

        if self._watcher is None:
            return
        state = self._watcher.check()
        if state is Wake.GROWN:
            self.read_log()
        elif state is Wake.RECONNECTED:
            self._watch_socket()
            self._set_state("live")
            self._apply(Change(description=self.tr("Back in touch with the festival database: everything reloaded"),
                               everything=True, details={"remote": True}))
            self.read_log()
        elif state is Wake.LOST:
            self._drop_socket()  # its descriptor is closed
            self._set_state("reconnecting")
            if self._reconnecting is None or not self._reconnecting.is_alive():
                watcher = self._watcher
                self._reconnecting = threading.Thread(target=watcher.reconnect, name="desk-listener",
                                                      daemon=True)
                self._reconnecting.start()

    def read_log(self) -> None:
        """Read the entries after the last one seen and apply them (one read at a time; one
        asked for meanwhile runs after it)."""
        if self._reading:
            self._read_again = True
            return
        database = self._context.database
        if database is None or self._context.runner.closed:  # the desk is closing
            return
        self._reading = True
        generation, since = self._generation, self._last_seq
        self._context.read(lambda db: _feed().read_changes(db, since),
                           lambda batch: self._got(generation, batch), self._read_failed)

    def _read_failed(self, _message: str) -> None:
        self._reading = False

    def _got(self, generation: int, batch) -> None:
        self._reading = False
        if generation != self._generation:
            return
        database = self._context.database
        self._last_seq = max(self._last_seq, batch.last_seq)
        if batch.behind:
            self._apply(Change(description=self.tr("Colleagues' changes reloaded"), everything=True,
                               details={"remote": True}))
        elif database is not None:
            change = _feed().change_from_entries(batch.entries, own_client=database.client_id)
            if change is not None:
                self._apply(change)
                self._add_colleagues(change.details.get("who", []))
        if self._read_again:
            self._read_again = False
            self.read_log()

    def _apply(self, change: Change) -> None:
        self._context.changed.emit(change)
        self.applied.emit(change, time.monotonic())

    # --- who else is working ------------------------------------------------------------------------

    def refresh_presence(self) -> None:
        from festival_desk.store.live import working_now

        if self._context.runner.closed:  # the desk is closing
            return
        generation = self._generation
        self._context.read(working_now, lambda names: self._presence_read(generation, names))

    def _presence_read(self, generation: int, names: list[str]) -> None:
        if generation == self._generation:
            self.colleagues = list(names)
            self._show()

    def _add_colleagues(self, names: list[str]) -> None:
        database = self._context.database
        mine = database.who if database is not None else None
        fresh = [name for name in names if name and name != mine and name not in self.colleagues]
        if fresh:
            self.colleagues += fresh
            self._show()

    # --- the status bar ---------------------------------------------------------------------------

    def _show_busy(self, message: str) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(message, 15000)

    def _set_state(self, state: str, reason: str = "") -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
        self._show(reason)

    def _show(self, reason: str = "") -> None:
        if self.state == "live":
            text = "● " + self.tr("Live")
            colour = "#2e8b57"
            tip = self.tr("Colleagues' changes appear here as they are saved.")
        elif self.state == "reconnecting":
            text = "● " + self.tr("Reconnecting…")
            colour = "#d98c00"
            tip = self.tr("The connection to the festival database was lost; trying again. Your work is "
                          "saved as usual; the desk reloads everything once it is back.")
        else:
            text, colour, tip = "", "", reason
        if self.state != "off" and self.colleagues:
            text += " · " + self.tr("also working: %1").replace("%1", ", ".join(self.colleagues))
        self.label.setText(text)
        self.label.setStyleSheet(f"QLabel {{ color: {colour}; }}" if colour else "")
        self.label.setToolTip(tip)
        self.label.setVisible(bool(text))


def install(context: DeskContext, window: QWidget) -> LiveFeed:
    """A LiveFeed for the desk `window` shows: its label in the status bar, its busy notices
    there too."""
    feed = LiveFeed(context, window)
    window.statusBar().addPermanentWidget(feed.label)
    feed.status_bar = window.statusBar()
    return feed
