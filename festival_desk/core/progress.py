"""The progress protocol of long work: a plain callable, so that it is testable without Qt."""

from __future__ import annotations

from collections.abc import Callable

# progress(done, total, message) -> None. May raise core.errors.Cancelled to stop the work.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """The default progress callback: reports nowhere, never cancels."""
