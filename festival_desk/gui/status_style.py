"""How a programming status looks in the desk: a translatable label and a colour (always both, so
that the status never depends on colour alone)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from festival_desk.core.workflow import Status

_LABELS = {
    Status.SUBMITTED: QT_TRANSLATE_NOOP("Status", "Submitted"),
    Status.IN_REVIEW: QT_TRANSLATE_NOOP("Status", "In review"),
    Status.SHORTLISTED: QT_TRANSLATE_NOOP("Status", "Shortlisted"),
    Status.SELECTED: QT_TRANSLATE_NOOP("Status", "Selected"),
    Status.CONFIRMED: QT_TRANSLATE_NOOP("Status", "Confirmed"),
    Status.DECLINED: QT_TRANSLATE_NOOP("Status", "Declined"),
    Status.WITHDRAWN: QT_TRANSLATE_NOOP("Status", "Withdrawn"),
}

# Mid-tone colours that read on light and dark backgrounds alike.
_COLOURS = {
    Status.SUBMITTED: "#8a8f98",
    Status.IN_REVIEW: "#3b82c4",
    Status.SHORTLISTED: "#d08a00",
    Status.SELECTED: "#2f9e44",
    Status.CONFIRMED: "#1b7a3a",
    Status.DECLINED: "#c0392b",
    Status.WITHDRAWN: "#7d5a9e",
}

_icons: dict[str, QIcon] = {}
_colours: dict[str, QColor] = {}


def status_label(status: str) -> str:
    """The translated label of a status value ("shortlisted" -> "Shortlisted")."""
    try:
        return QCoreApplication.translate("Status", _LABELS[Status(status)])
    except ValueError:
        return status


def status_colour(status: str) -> QColor:
    """The colour of a status (grey for an unknown one); the table asks for it at every paint."""
    colour = _colours.get(status)
    if colour is None:
        try:
            colour = QColor(_COLOURS[Status(status)])
        except ValueError:
            colour = QColor("#888888")
        _colours[status] = colour
    return colour


def status_icon(status: str) -> QIcon:
    """A filled dot in the status colour, drawn at 1x and 2x so that it is crisp on high-DPI."""
    icon = _icons.get(status)
    if icon is None:
        icon = QIcon()
        for scale in (1, 2, 3):
            pixmap = QPixmap(12 * scale, 12 * scale)
            pixmap.fill(QColor(0, 0, 0, 0))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QColor(0, 0, 0, 0))
            painter.setBrush(status_colour(status))
            painter.drawEllipse(1 * scale, 1 * scale, 10 * scale, 10 * scale)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap)
        _icons[status] = icon
    return icon
