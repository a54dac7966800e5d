"""The schedule as tests compare it before and after an action."""

from __future__ import annotations

from typing import Any

from festival_desk.actions import schedule


def screening_rows(database) -> dict[int, dict[str, Any]]:
    """The screenings by id as `schedule list` prints them, without the version every save moves on
    (an undo puts a screening back as it was; its version still moves forward)."""
    return {row["id"]: {key: value for key, value in row.items() if key != "version"}
            for row in schedule.list_screenings(database)}
