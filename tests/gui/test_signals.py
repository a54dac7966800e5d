"""Thousands of results and progress reports crossing from worker threads to the GUI thread: all
arrive, in order, on the GUI thread, and the process survives (PySide6 6.12 on Python 3.11 aborts
after about a thousand such signals)."""

from __future__ import annotations

import threading

from festival_desk.core.errors import Cancelled
from festival_desk.gui.tasks import TaskRunner


def test_thousands_of_worker_results_arrive_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    gui_thread = threading.get_ident()
    received: list[tuple[int, bool]] = []
    for number in range(3000):
        runner.submit(lambda value=number: (value, threading.get_ident() != gui_thread),
                      lambda result: received.append((result[0], threading.get_ident() == gui_thread)))
    qtbot.waitUntil(lambda: len(received) == 3000, timeout=30000)
    assert [value for value, _ in received] == list(range(3000))
    assert all(on_gui for _, on_gui in received)
    runner.shutdown()


def test_progress_is_throttled_and_cancel_stops_the_job(qtbot):
    runner = TaskRunner()
    reports: list[int] = []
    runner.progressed.connect(lambda _task, done, _total, _message: reports.append(done))
    started = threading.Event()
    outcome: list[str] = []

    def long_job(progress):
        started.set()
        step = 0
        while True:  # reports as fast as it can until cancelled
            step += 1
            progress(step, 0, f"step {step}")

    task = runner.run_job(long_job, "endless", lambda _result: outcome.append("done"),
                          lambda message: outcome.append(message))
    qtbot.waitUntil(lambda: len(reports) >= 3, timeout=5000)
    assert started.is_set() and len(reports) < 40  # 10–20 a second, not one per step
    with qtbot.waitSignal(runner.finished, timeout=5000):
        task.cancel()
    assert outcome == [] and task.cancelled  # cancelled quietly: no error, no result
    assert runner.idle and not runner.long_tasks
    runner.shutdown()


def test_a_failing_job_reports_a_readable_message(qtbot):
    runner = TaskRunner()
    with qtbot.waitSignal(runner.failed, timeout=5000) as signal:
        runner.submit(lambda: 1 / 0)
    _task, message, details = signal.args
    assert message == "ZeroDivisionError: division by zero" and "Traceback" in details
    errors: list[str] = []
    runner.submit(lambda: (_ for _ in ()).throw(Cancelled("x")), on_error=errors.append)
    qtbot.waitUntil(lambda: runner.idle)
    assert errors == []
    runner.shutdown()
