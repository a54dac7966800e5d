"""What the desk remembers between runs (QSettings): the database, the programmer, recent files,
window geometry, splitters, the film table's columns and what is shown (film page, ratings and
notes panel, blind mode)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "festival-desk"
APPLICATION = "festival-desk"
RECENT_LIMIT = 8


class _Flag:
    """A remembered yes/no setting, read and written as a property of `DeskSettings`."""

    def __init__(self, key: str, default: bool, doc: str) -> None:
        self.key, self.default, self.__doc__ = key, default, doc

    def __get__(self, settings: DeskSettings | None, _owner: type) -> bool:
        if settings is None:
            return self  # type: ignore[return-value]  # the descriptor itself, on the class
        value = settings._settings.value(self.key)
        if value is None:
            return self.default
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")

    def __set__(self, settings: DeskSettings, value: bool) -> None:
        settings._settings.setValue(self.key, bool(value))


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

    blind = _Flag("view/blind", False, "Blind mode: colleagues' ratings and notes hidden until I have rated the film.")
    film_page_shown = _Flag("view/film_page", True, "Whether the film page is shown beside the film list.")
    opinions_shown = _Flag("view/opinions", True, "Whether the film page's ratings and notes panel is unfolded.")

    def state(self, key: str) -> bytes | None:
        value = self._settings.value(f"state/{key}")
        if isinstance(value, QByteArray):
            return bytes(value.data())
        return bytes(value) if value else None

    def set_state(self, key: str, value: bytes) -> None:
        self._settings.setValue(f"state/{key}", QByteArray(value))

    def sync(self) -> None:
        self._settings.sync()
