"""Running database work and long jobs off the GUI thread.

A job is a plain function (the actions and queries the CLI uses too); it runs on a worker thread
and its result comes back to the GUI thread through a queued signal, so that callbacks always run
on the GUI thread. Results are plain values: no ORM object crosses a thread (the functions open and
close their own sessions).

Long jobs receive a `core.progress.Progress` callback. It only stores the latest figures; a timer on
the GUI thread reads them at `PROGRESS_HZ`, because one queued signal per step starves the GUI
thread (see TECH-NOTES). Cancelling sets a flag that the next progress call turns into `Cancelled`;
the job's transaction then rolls back.

Two workers: `quick` work (queries, one-row edits) never waits behind a long import or booklet.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from festival_desk.core.errors import Cancelled, UserError

PROGRESS_HZ = 15


@dataclass
class Task:
    """A handle on submitted work: `cancel()` asks it to stop at its next progress report."""

    id: int
    title: str
    long: bool
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    # The latest (done, total, message) the job reported; read by the GUI timer.
    latest: tuple[int, int, str] | None = None
    on_done: Callable[[Any], None] | None = field(default=None, repr=False)
    on_error: Callable[[str], None] | None = field(default=None, repr=False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int, message: str) -> None:
        if self._cancel.is_set():
            raise Cancelled(self.title)
        self.latest = (done, total, message)


def readable_error(error: BaseException) -> str:
    """A message fit for a message box: a UserError as it is, anything else named plainly."""
    if isinstance(error, UserError):
        return str(error)
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class TaskRunner(QObject):
    """Runs functions on worker threads and calls back on the GUI thread.

    Signals: `started(Task)`, `progressed(Task, done, total, message)` (at most PROGRESS_HZ a
    second), `finished(Task)`, `failed(Task, message, details)` for errors without their own
    `on_error` handler, `busy_changed(bool)` for long jobs.
    """

    started = Signal(object)
    progressed = Signal(object, int, int, str)
    finished = Signal(object)
    failed = Signal(object, str, str)
    busy_changed = Signal(bool)
    _delivered = Signal(object, str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._quick = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-quick")
        self._long = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-long")
        self._running_long: list[Task] = []
        self._pending = 0
        self._closed = False
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // PROGRESS_HZ)
        self._timer.timeout.connect(self._report_progress)

    @property
    def long_tasks(self) -> list[Task]:
        return list(self._running_long)

    @property
    def closed(self) -> bool:
        """True once `shutdown` has run: nothing more can be submitted."""
        return self._closed

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def submit(self, function: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[str], None] | None = None, *, title: str = "") -> Task:
        """Run `function()` on the quick worker; `on_done(result)` runs on the GUI thread."""
        task = Task(next(self._ids), title, False, on_done=on_done, on_error=on_error)
        self._start(task, self._quick, function)
        return task

    def run_job(self, function: Callable[[Callable[[int, int, str], None]], Any], title: str,
                on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[str], None] | None = None) -> Task:
        """Run `function(progress)` on the long worker with throttled progress and Cancel."""
        task = Task(next(self._ids), title, True, on_done=on_done, on_error=on_error)
        self._running_long.append(task)
        if len(self._running_long) == 1:
            self._timer.start()
            self.busy_changed.emit(True)
        self._start(task, self._long, lambda: function(task.progress))
        return task

    def _start(self, task: Task, pool: ThreadPoolExecutor, call: Callable[[], Any]) -> None:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        self._pending += 1
        self.started.emit(task)

        def work() -> None:
            try:
                result = call()
            except Cancelled:
                self._delivered.emit(task, "cancelled", None)
            except BaseException as error:  # noqa: BLE001 - every failure must reach the user
                self._delivered.emit(task, "failed", (readable_error(error), traceback.format_exc()))
            else:
                self._delivered.emit(task, "done", result)

        pool.submit(work)

    def _deliver(self, task: Task, outcome: str, payload: Any) -> None:
        self._pending -= 1
        if task.long:
            self._running_long.remove(task)
            if not self._running_long:
                self._timer.stop()
                self.busy_changed.emit(False)
        if self._closed:
            return
        if outcome == "done":
            if task.on_done is not None:
                task.on_done(payload)
        elif outcome == "failed":
            message, details = payload
            if task.on_error is not None:
                task.on_error(message)
            else:
                self.failed.emit(task, message, details)
        self.finished.emit(task)

    def _report_progress(self) -> None:
        for task in self._running_long:
            if task.latest is not None:
                self.progressed.emit(task, *task.latest)

    def cancel_all(self) -> None:
        for task in self._running_long:
            task.cancel()

    def shutdown(self) -> None:
        """Cancel long jobs, wait for the workers to stop; no callback runs afterwards."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        self._timer.stop()
        self._quick.shutdown(wait=True, cancel_futures=True)
        self._long.shutdown(wait=True, cancel_futures=True)
