"""What the desk remembers between runs (QSettings): the database, the programmer, recent files,
window geometry, splitters and the film table's columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "festival-desk"
APPLICATION = "festival-desk"
RECENT_LIMIT = 8


class DeskSettings:
    def __init__(self) -> None:
        self._settings = QSettings(ORGANIZATION, APPLICATION)

    @property
    def database_url(self) -> str | None:
        value = self._settings.value("database/url")
        return str(value) if value else None

    @database_url.setter
    def database_url(self, url: str) -> None:
        self._settings.setValue("database/url", url)
        recent = [item for item in self.recent_databases if item != url]
        self._settings.setValue("database/recent", [url, *recent][:RECENT_LIMIT])

    @property
    def recent_databases(self) -> list[str]:
        value = self._settings.value("database/recent") or []
        return [str(item) for item in ([value] if isinstance(value, str) else value)]

    @property
    def programmer(self) -> str | None:
        value = self._settings.value("programmer/name")
        return str(value) if value else None

    @programmer.setter
    def programmer(self, name: str) -> None:
        self._settings.setValue("programmer/name", name)

    @property
    def theme(self) -> str:
        return str(self._settings.value("view/theme") or "system")

    @theme.setter
    def theme(self, value: str) -> None:
        self._settings.setValue("view/theme", value)

    def state(self, key: str) -> bytes | None:
        value = self._settings.value(f"state/{key}")
        if isinstance(value, QByteArray):
            return bytes(value.data())
        return bytes(value) if value else None

    def set_state(self, key: str, value: bytes) -> None:
        self._settings.setValue(f"state/{key}", QByteArray(value))

    def sync(self) -> None:
        self._settings.sync()
