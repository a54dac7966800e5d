"""The schedule grid and its area widget (see `widget.schedule_widget` for the desk's factory)."""

from festival_desk.gui.schedule.grid import FILM_MIME, ScheduleGridView, film_ids_from_mime, film_mime_data
from festival_desk.gui.schedule.widget import ScheduleWidget, schedule_widget

__all__ = ["FILM_MIME", "ScheduleGridView", "ScheduleWidget", "film_ids_from_mime", "film_mime_data",
           "schedule_widget"]
