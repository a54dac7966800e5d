"""The desk's icons: small SVG line drawings in resources/icons, drawn in the palette's text colour
at whatever size and device pixel ratio they are painted (crisp on high-DPI screens)."""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer


def icons_folder() -> Path:
    """Installed: `festival_desk.resources/icons`; in a source checkout, the top-level folder."""
    try:
        folder = importlib.resources.files("festival_desk.resources") / "icons"
        if folder.is_dir():
            return Path(str(folder))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "resources" / "icons"


@cache
def _svg(name: str) -> bytes:
    return (icons_folder() / f"{name}.svg").read_bytes()


class _SvgEngine(QIconEngine):
    """Renders the SVG, with `currentColor` taken from the application palette at paint time, so
    that icons follow a switch between light and dark."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        palette = QGuiApplication.palette()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        role = QPalette.ColorRole.HighlightedText if mode == QIcon.Mode.Selected else QPalette.ColorRole.WindowText
        colour = palette.color(group, role).name()
        return QSvgRenderer(QByteArray(_svg(self._name).replace(b"currentColor", colour.encode())))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self._renderer(mode).render(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return QPixmap.fromImage(image)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:  # noqa: N802
        pixmap = self.pixmap(QSize(round(size.width() * scale), round(size.height() * scale)), mode, state)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _engine(self._name)


# Engines are Python objects that C++ icons point to: keep them alive for the whole run.
_ENGINES: list[_SvgEngine] = []
_ICONS: dict[str, QIcon] = {}


def _engine(name: str) -> _SvgEngine:
    engine = _SvgEngine(name)
    _ENGINES.append(engine)
    return engine


def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg`."""
    found = _ICONS.get(name)
    if found is None:
        found = _ICONS[name] = QIcon(_engine(name))
    return found
