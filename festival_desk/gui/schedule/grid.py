"""The schedule grid of one festival day: a column per screen, time running down, screenings drawn
to scale with their films and flags, conflicts marked on them.

The view does not change data itself: a drag, resize or drop becomes a request (signal) carrying
plain values, which the hosting widget turns into an action. Until the action's result arrives the
dragged block stays where it was dropped; a refresh then redraws from the data.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsTextItem, QGraphicsView)

from festival_desk.core.schedule import ERROR, Finding, Schedule, Screening

FILM_MIME = "application/x-festival-desk-film-ids"

SNAP_MINUTES = 5
PIXELS_PER_MINUTE = 1.2
HEADER_HEIGHT = 34.0
AXIS_WIDTH = 52.0
COLUMN_WIDTH = 170.0
EDGE_GRIP = 6.0  # pixels at the bottom of a block that resize instead of move

KIND_COLOURS = {"public": "#dfe9f5", "press": "#f6e7c8", "industry": "#e3dcf2", "school": "#dcefdc"}
SEVERITY_COLOURS = {ERROR: "#c62828", "warning": "#ef8f00"}


def film_mime_data(film_ids: list[int]) -> QMimeData:
    """What a film list puts on a drag so the grid accepts the films."""
    mime = QMimeData()
    mime.setData(FILM_MIME, json.dumps([int(f) for f in film_ids]).encode())
    return mime


def film_ids_from_mime(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(FILM_MIME):
        return []
    try:
        values = json.loads(bytes(mime.data(FILM_MIME)).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [int(v) for v in values if isinstance(v, int)] if isinstance(values, list) else []


class ScreeningBlock(QGraphicsRectItem):
    """One screening: its slot as a rectangle; the part after the show (the changeover) paler."""

    def __init__(self, screening: Screening, rect: QRectF, show_height: float, text: str, tooltip: str,
                 severity: str | None):
        super().__init__(rect)
        self.screening = screening
        self.severity = severity
        colour = QColor(KIND_COLOURS.get(screening.kind, "#eeeeee"))
        self.setBrush(QBrush(colour))
        pen = QPen(QColor(SEVERITY_COLOURS[severity]) if severity else QColor("#6b7a8c"))
        pen.setWidthF(3.0 if severity else 1.0)
        self.setPen(pen)
        self.setToolTip(tooltip)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self.setZValue(2)
        changeover = QGraphicsRectItem(QRectF(rect.left() + 1, rect.top() + show_height, rect.width() - 2,
                                              max(rect.height() - show_height - 1, 0)), self)
        changeover.setBrush(QBrush(QColor(255, 255, 255, 150)))
        changeover.setPen(QPen(Qt.PenStyle.NoPen))
        label = QGraphicsTextItem(self)
        label.setPlainText(text)
        label.setTextWidth(rect.width() - 4)
        font = QFont(label.font())
        font.setPointSizeF(8)
        label.setFont(font)
        label.setPos(rect.left() + 2, rect.top())
        self.label = label


class ScheduleGridView(QGraphicsView):
    """Signals carry requests, not changes:
    `move_requested(screening_id, screen_id, start)` (start: aware datetime, snapped to 5 min),
    `resize_requested(screening_id, end)`, `films_dropped(film_ids, screen_id, start)` on an empty
    place, `films_dropped_on(film_ids, screening_id)` on a screening, `screening_clicked(id)`."""

    move_requested = Signal(int, int, object)
    resize_requested = Signal(int, object)
    films_dropped = Signal(list, int, object)
    films_dropped_on = Signal(list, int)
    screening_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setAcceptDrops(True)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.schedule: Schedule | None = None
        self.day: dt.date | None = None
        self.blocks: dict[int, ScreeningBlock] = {}
        self.screen_ids: list[int] = []
        self._day_start: dt.datetime | None = None
        self._drag: dict | None = None
        self._header: QGraphicsRectItem | None = None
        self.verticalScrollBar().valueChanged.connect(self._pin_header)

    def _pin_header(self) -> None:
        if self._header is not None:
            self._header.setY(max(self.mapToScene(0, 0).y(), 0))

    # -- geometry ------------------------------------------------------------------------------

    def y_for(self, moment: dt.datetime) -> float:
        return HEADER_HEIGHT + (moment - self._day_start).total_seconds() / 60 * PIXELS_PER_MINUTE

    def time_at(self, y: float) -> dt.datetime:
        """The snapped local time at scene height `y`."""
        minutes = (y - HEADER_HEIGHT) / PIXELS_PER_MINUTE
        minutes = round(minutes / SNAP_MINUTES) * SNAP_MINUTES
        minutes = max(0, min(minutes, 24 * 60 - SNAP_MINUTES))
        # Wall-clock arithmetic: a 5-minute grid in local time, whatever the offset that night.
        zone = self.schedule.festival.zone
        local = self._day_start.replace(tzinfo=None) + dt.timedelta(minutes=minutes)
        return local.replace(tzinfo=zone)

    def x_for(self, column: int) -> float:
        return AXIS_WIDTH + column * COLUMN_WIDTH

    def screen_at(self, x: float) -> int | None:
        column = int((x - AXIS_WIDTH) // COLUMN_WIDTH)
        if x < AXIS_WIDTH or not 0 <= column < len(self.screen_ids):
            return None
        return self.screen_ids[column]

    # -- drawing -------------------------------------------------------------------------------

    def show_day(self, schedule: Schedule, day: dt.date, findings: list[Finding]) -> None:
        """Draw `day` of `schedule`, marking the screenings that `findings` name."""
        self.schedule, self.day = schedule, day
        self._day_start, day_end = schedule.festival.day_bounds(day)
        scene = self.scene()
        scene.clear()
        self.blocks = {}
        self.screen_ids = list(schedule.screens)
        worst: dict[int, str] = {}
        messages: dict[int, list[str]] = {}
        for finding in findings:
            for sid in finding.screening_ids:
                if worst.get(sid) != ERROR:
                    worst[sid] = finding.severity
                messages.setdefault(sid, []).append(finding.message)
        height = self.y_for(day_end)
        width = self.x_for(len(self.screen_ids))
        scene.setSceneRect(0, 0, width + 1, height + 1)
        self._draw_axis(width, day_end)
        # The screen names stay at the top of the view while the day scrolls under them.
        self._header = QGraphicsRectItem(QRectF(0, 0, width, HEADER_HEIGHT))
        self._header.setBrush(QBrush(QColor("#f4f6f8")))
        self._header.setPen(QPen(QColor("#9aa5b1")))
        self._header.setZValue(10)
        scene.addItem(self._header)
        for column, screen_id in enumerate(self.screen_ids):
            screen = schedule.screens[screen_id]
            header = QGraphicsSimpleTextItem(f"{screen.name}\n{screen.venue_name}", self._header)
            header.setPos(self.x_for(column) + 4, 2)
            scene.addLine(self.x_for(column), 0, self.x_for(column), height, QPen(QColor("#9aa5b1")))
        for screening in schedule.screenings:
            if screening.screen_id not in schedule.screens or schedule.festival.festival_day(screening.start) != day:
                continue
            self._add_block(screening, worst.get(screening.id), messages.get(screening.id, []))
        self._pin_header()

    def _draw_axis(self, width: float, day_end: dt.datetime) -> None:
        scene = self.scene()
        zone = self.schedule.festival.zone
        moment = self._day_start
        while moment < day_end:
            y = self.y_for(moment)
            scene.addLine(0, y, width, y, QPen(QColor("#d5dbe1")))
            label = QGraphicsSimpleTextItem(moment.astimezone(zone).strftime("%H:%M"))
            label.setPos(4, y + 1)
            scene.addItem(label)
            moment += dt.timedelta(hours=1)

    def _add_block(self, screening: Screening, severity: str | None, messages: list[str]) -> None:
        schedule = self.schedule
        zone = schedule.festival.zone
        column = self.screen_ids.index(screening.screen_id)
        top, bottom = self.y_for(screening.start), self.y_for(schedule.end_of(screening))
        show_end = schedule.show_end_of(screening)
        rect = QRectF(self.x_for(column) + 3, top, COLUMN_WIDTH - 6, max(bottom - top, 12))
        flags = []
        if screening.kind != "public":
            flags.append(screening.kind.upper())
        if screening.premiere:
            flags.append(f"★ {screening.premiere.capitalize()} premiere")
        if screening.qa_minutes:
            flags.append(f"Q&A {screening.qa_minutes}′")
        if screening.guests:
            flags.append("guests: " + ", ".join(g.name for g in screening.guests))
        if severity:
            flags.insert(0, "⚠ conflict" if severity == ERROR else "⚠ warning")
        lines = [f"{screening.start.astimezone(zone):%H:%M}–{show_end.astimezone(zone):%H:%M}"]
        if screening.title:
            lines.append(screening.title)
        lines += [schedule.films[f].title if f in schedule.films else f"film #{f}" for f in screening.film_ids]
        if flags:
            lines.append(" · ".join(flags))
        tooltip = "\n".join(lines[1:] + messages)
        block = ScreeningBlock(screening, rect, self.y_for(show_end) - top, "\n".join(lines), tooltip, severity)
        self.scene().addItem(block)
        self.blocks[screening.id] = block

    def focus_screening(self, screening_id: int) -> None:
        block = self.blocks.get(screening_id)
        if block is None:
            return
        self.scene().clearSelection()
        block.setSelected(True)
        self.centerOn(block)

    # -- mouse: move and resize ------------------------------------------------------------------

    def block_at(self, scene_pos: QPointF) -> ScreeningBlock | None:
        for item in self.scene().items(scene_pos):
            if item is self._header or (item is not None and item.parentItem() is self._header):
                return None  # the pinned header covers what scrolled under it
            while item is not None and not isinstance(item, ScreeningBlock):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    def mousePressEvent(self, event):
        if event.button() != Qt.MouseButton.LeftButton or self.schedule is None:
            return super().mousePressEvent(event)
        scene_pos = self.mapToScene(event.position().toPoint())
        block = self.block_at(scene_pos)
        if block is None:
            return super().mousePressEvent(event)
        resizing = block.rect().bottom() - scene_pos.y() <= EDGE_GRIP
        self._drag = {"block": block, "press": scene_pos, "rect": QRectF(block.rect()),
                      "mode": "resize" if resizing else "move", "moved": False}
        self.scene().clearSelection()
        block.setSelected(True)
        event.accept()

    def mouseMoveEvent(self, event):
        if self._drag is None:
            return super().mouseMoveEvent(event)
        scene_pos = self.mapToScene(event.position().toPoint())
        drag = self._drag
        block, rect = drag["block"], drag["rect"]
        dy = scene_pos.y() - drag["press"].y()
        if abs(dy) < 2 and abs(scene_pos.x() - drag["press"].x()) < 2 and not drag["moved"]:
            return
        drag["moved"] = True
        if drag["mode"] == "resize":
            end = self.time_at(rect.bottom() + dy)
            bottom = max(self.y_for(end), rect.top() + SNAP_MINUTES * PIXELS_PER_MINUTE)
            block.setPos(0, 0)
            block.setRect(QRectF(rect.left(), rect.top(), rect.width(), bottom - rect.top()))
            drag["target"] = end
        else:
            start = self.time_at(rect.top() + dy)
            screen_id = self.screen_at(scene_pos.x())
            if screen_id is None:
                screen_id = block.screening.screen_id
            column = self.screen_ids.index(screen_id)
            block.setPos(self.x_for(column) + 3 - rect.left(), self.y_for(start) - rect.top())
            drag["target"] = (screen_id, start)
        event.accept()

    def mouseReleaseEvent(self, event):
        drag, self._drag = self._drag, None
        if drag is None:
            return super().mouseReleaseEvent(event)
        screening = drag["block"].screening
        event.accept()
        if not drag["moved"] or "target" not in drag:
            self.screening_clicked.emit(screening.id)
            return
        if drag["mode"] == "resize":
            if drag["target"] != self.schedule.end_of(screening):
                self.resize_requested.emit(screening.id, drag["target"])
            return
        screen_id, start = drag["target"]
        if (screen_id, start) != (screening.screen_id, screening.start):
            self.move_requested.emit(screening.id, screen_id, start)

    # -- drops of films --------------------------------------------------------------------------

    def dragEnterEvent(self, event):
        if film_ids_from_mime(event.mimeData()) and self.schedule is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        if film_ids_from_mime(event.mimeData()) and self.schedule is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event):
        film_ids = film_ids_from_mime(event.mimeData())
        if not film_ids or self.schedule is None:
            event.ignore()
            return
        scene_pos = self.mapToScene(event.position().toPoint())
        block = self.block_at(scene_pos)
        if block is not None:
            self.films_dropped_on.emit(film_ids, block.screening.id)
            event.acceptProposedAction()
            return
        screen_id = self.screen_at(scene_pos.x())
        if screen_id is None or scene_pos.y() < HEADER_HEIGHT:
            event.ignore()
            return
        self.films_dropped.emit(film_ids, screen_id, self.time_at(scene_pos.y()))
        event.acceptProposedAction()
