"""The schedule grid of one festival day: a column per screen, time running down, screenings drawn
to scale with their films and flags, conflicts marked on them. Screenings that overlap on one
screen are laid side by side, as calendars do, so that each stays visible and clickable.

The view does not change data itself: a drag, resize, drop, double-click, key or context menu
becomes a request (signal) carrying plain values, which the hosting widget turns into an action.
Until the action's result arrives the dragged block stays where it was dropped; a refresh then
redraws from the data.
"""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
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


def side_by_side(spans: list[tuple[int, dt.datetime, dt.datetime]]) -> dict[int, tuple[int, int]]:
    """Lanes for (id, start, end) spans on one screen: {id: (lane, lanes)}. Spans that overlap,
    directly or through others, share their lanes; a span takes the first free lane (calendar
    layout), so that no two overlapping spans are drawn over each other."""
    placed: dict[int, tuple[int, int]] = {}
    cluster: list[tuple[int, int]] = []  # (id, lane) of the current group of overlapping spans
    lane_ends: list[dt.datetime] = []
    cluster_end: dt.datetime | None = None

    def close() -> None:
        for span_id, lane in cluster:
            placed[span_id] = (lane, len(lane_ends))

    for span_id, start, end in sorted(spans, key=lambda span: (span[1], span[2], span[0])):
        if cluster_end is not None and start >= cluster_end:
            close()
            cluster, lane_ends, cluster_end = [], [], None
        lane = next((n for n, lane_end in enumerate(lane_ends) if lane_end <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        cluster.append((span_id, lane))
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close()
    return placed


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
    place, `films_dropped_on(film_ids, screening_id)` on a screening, `screening_clicked(id)`,
    `screening_activated(id)` (double-click, Enter), `delete_requested(id)` (Delete key),
    `menu_requested(id, global position)` (right-click, the menu key)."""

    move_requested = Signal(int, int, object)
    resize_requested = Signal(int, object)
    films_dropped = Signal(list, int, object)
    films_dropped_on = Signal(list, int)
    screening_clicked = Signal(int)
    screening_activated = Signal(int)
    delete_requested = Signal(int)
    menu_requested = Signal(int, QPoint)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setAcceptDrops(True)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.schedule: Schedule | None = None
        self.day: dt.date | None = None
        self.blocks: dict[int, ScreeningBlock] = {}
        self.screen_ids: list[int] = []
        self._day_start: dt.datetime | None = None
        self._drag: dict | None = None
        self._first_top: int | None = None
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
        """Draw `day` of `schedule`, marking the screenings that `findings` name. A new day opens
        scrolled to an hour before its first screening; redrawing the same day keeps the scroll
        position and the selected screening."""
        same_day = day == self.day and self.schedule is not None
        scroll = (self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        selected = self.selected_id()
        self.schedule, self.day = schedule, day
        self._day_start, day_end = schedule.festival.day_bounds(day)
        scene = self.scene()
        self._header = None
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
        shown = [s for s in schedule.screenings
                 if s.screen_id in schedule.screens and schedule.festival.festival_day(s.start) == day]
        lanes: dict[int, tuple[int, int]] = {}
        for screen_id in self.screen_ids:
            lanes.update(side_by_side([(s.id, s.start, schedule.end_of(s)) for s in shown if s.screen_id == screen_id]))
        for screening in shown:
            self._add_block(screening, worst.get(screening.id), messages.get(screening.id, []), *lanes[screening.id])
        if same_day:
            self.horizontalScrollBar().setValue(scroll[0])
            self.verticalScrollBar().setValue(scroll[1])
        else:
            self.horizontalScrollBar().setValue(0)
            self.scroll_to_first_screening()
        if selected in self.blocks:
            self.blocks[selected].setSelected(True)
        self._pin_header()

    def scroll_to_first_screening(self) -> None:
        """Scroll so that the day's first screening shows an hour below the screen names."""
        top = 0
        if self.blocks:
            first = min(block.screening.start for block in self.blocks.values())
            top = int(max(self.y_for(first - dt.timedelta(hours=1)) - HEADER_HEIGHT, 0))
        self.verticalScrollBar().setValue(top)
        # Laid out for the first time, the view keeps its centre, not its top: scroll again then.
        self._first_top = None if self.isVisible() else top

    def showEvent(self, event):  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._first_top is not None:
            QTimer.singleShot(0, self._apply_first_top)

    def _apply_first_top(self) -> None:
        if self._first_top is not None:
            self.verticalScrollBar().setValue(self._first_top)
            self._first_top = None

    def selected_id(self) -> int | None:
        """The selected screening's id (None: none)."""
        for block in self.blocks.values():
            if block.isSelected():
                return block.screening.id
        return None

    def select_screening(self, screening_id: int) -> None:
        self.scene().clearSelection()
        block = self.blocks.get(screening_id)
        if block is not None:
            block.setSelected(True)
            self.ensureVisible(block, 10, HEADER_HEIGHT + 10)
            self.screening_clicked.emit(screening_id)

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

    def _add_block(self, screening: Screening, severity: str | None, messages: list[str], lane: int = 0,
                   lanes: int = 1) -> None:
        schedule = self.schedule
        zone = schedule.festival.zone
        column = self.screen_ids.index(screening.screen_id)
        top, bottom = self.y_for(screening.start), self.y_for(schedule.end_of(screening))
        show_end = schedule.show_end_of(screening)
        width = (COLUMN_WIDTH - 6) / lanes
        rect = QRectF(self.x_for(column) + 3 + lane * width, top, width - (4 if lanes > 1 else 0),
                      max(bottom - top, 12))
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
        programme = len(screening.items) > 1
        for item in screening.items:
            title = schedule.films[item.film_id].title if item.film_id in schedule.films else f"film #{item.film_id}"
            lines.append(f"{title} · {item.runtime_minutes}′" if programme else title)
        if programme or screening.end is not None:
            lines.append(schedule.tally_of(screening).sentence())
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
        self.screening_clicked.emit(screening_id)

    # -- keyboard, double-click and context menu ---------------------------------------------------

    def mouseDoubleClickEvent(self, event):  # noqa: N802 (Qt's name)
        block = self.block_at(self.mapToScene(event.position().toPoint())) if self.schedule else None
        if block is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mouseDoubleClickEvent(event)
        self._drag = None
        event.accept()
        self.screening_activated.emit(block.screening.id)

    def contextMenuEvent(self, event):  # noqa: N802 (Qt's name)
        if event.reason() == event.Reason.Mouse:
            block = self.block_at(self.mapToScene(event.pos())) if self.schedule else None
        else:  # the menu key: the selected screening
            block = self.blocks.get(self.selected_id())
        if block is None:
            return super().contextMenuEvent(event)
        self.scene().clearSelection()
        block.setSelected(True)
        event.accept()
        position = event.globalPos()
        if event.reason() != event.Reason.Mouse:
            position = self.viewport().mapToGlobal(self.mapFromScene(block.sceneBoundingRect().center()))
        self.menu_requested.emit(block.screening.id, position)

    def keyPressEvent(self, event):  # noqa: N802 (Qt's name)
        selected = self.selected_id()
        key = event.key()
        if selected is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.screening_activated.emit(selected)
        elif selected is not None and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(selected)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right) and self.blocks:
            self._step_selection(key, selected)
        else:
            return super().keyPressEvent(event)
        event.accept()

    def _step_selection(self, key: Qt.Key, selected: int | None) -> None:
        """Up/Down: the previous/next screening on the same screen (by start); Left/Right: the
        screening nearest in time on the neighbouring screen that has any."""
        blocks = sorted(self.blocks.values(), key=lambda b: (b.screening.start, b.rect().left()))
        if selected is None:
            self.select_screening(blocks[0].screening.id)
            return
        current = self.blocks[selected].screening
        column = self.screen_ids.index(current.screen_id)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            same = [b for b in blocks if b.screening.screen_id == current.screen_id]
            index = same.index(self.blocks[selected]) + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= index < len(same):
                self.select_screening(same[index].screening.id)
            return
        step = 1 if key == Qt.Key.Key_Right else -1
        column += step
        while 0 <= column < len(self.screen_ids):
            there = [b for b in blocks if b.screening.screen_id == self.screen_ids[column]]
            if there:
                nearest = min(there, key=lambda b: abs((b.screening.start - current.start).total_seconds()))
                self.select_screening(nearest.screening.id)
                return
            column += step

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
        self.setFocus(Qt.FocusReason.MouseFocusReason)
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
            # A block laid beside an overlapping one keeps its offset within the column it moves to.
            offset = rect.left() - self.x_for(self.screen_ids.index(block.screening.screen_id))
            block.setPos(self.x_for(column) + offset - rect.left(), self.y_for(start) - rect.top())
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
