"""Light and dark palettes that follow the system's colour scheme (or the user's choice)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f2023",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#8c8f94",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#33363b",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7ab3ff",
    QPalette.ColorRole.Mid: "#44474d",
    QPalette.ColorRole.Dark: "#18191b",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f3f3f4",
    QPalette.ColorRole.WindowText: "#1d1d1f",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f7f9",
    QPalette.ColorRole.ToolTipBase: "#ffffe8",
    QPalette.ColorRole.ToolTipText: "#1d1d1f",
    QPalette.ColorRole.PlaceholderText: "#8a8a8e",
    QPalette.ColorRole.Text: "#1d1d1f",
    QPalette.ColorRole.Button: "#ececee",
    QPalette.ColorRole.ButtonText: "#1d1d1f",
    QPalette.ColorRole.BrightText: "#c0392b",
    QPalette.ColorRole.Highlight: "#2f6fcf",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1f5fbf",
    QPalette.ColorRole.Mid: "#c9c9cd",
    QPalette.ColorRole.Dark: "#a0a0a5",
}


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette(dark: bool) -> QPalette:
    result = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        result.setColor(role, QColor(colour))
    disabled = QColor("#6d7076" if dark else "#a2a2a6")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


def apply_theme(app: QApplication, choice: str = "system") -> bool:
    """Apply the palette for `choice` ("system", "light", "dark"); returns True when dark."""
    dark = system_prefers_dark() if choice == "system" else choice == "dark"
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
    return dark


def follow_system(app: QApplication, choice: callable) -> None:
    """Re-apply the palette whenever the system switches between light and dark."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app, choice()))
