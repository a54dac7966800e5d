"""The fixed words of printed outputs in each label language, and display names of codes.

Dates are formatted here rather than with the process locale, so a booklet looks the same on every
machine. German country and language names come from pycountry's own translations.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache

import pycountry

from festival_desk.core.codes import country_name, language_name

LANGUAGES = ("en", "de")

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contents": "Contents",
        "welcome": "Welcome",
        "schedule": "Schedule",
        "index_titles": "Index of titles",
        "index_directors": "Index of directors",
        "index_countries": "Index of countries",
        "venues": "Venues",
        "notes": "Notes",
        "time": "Time",
        "min": "min",
        "qa": "Q&A",
        "intro": "Introduction",
        "with_guests": "with",
        "directed_by": "Directed by",
        "no_still": "No still",
        "seats": "seats",
        "screens": "Screens",
        "shorts_programme": "Shorts programme",
        "total_runtime": "total",
        "premiere_mark": "Premiere",
        "guest_present": "guest present",
        "continued": "cont.",
        "page_of_entry": "page of the film's entry",
        "page_ref": "p.",
        "press": "Press screening",
        "industry": "Industry screening",
        "school": "School screening",
        "page": "Page",
        "world": "World premiere",
        "international": "International premiere",
        "european": "European premiere",
        "national": "National premiere",
        "regional": "Regional premiere",
        "director": "Director",
        "producer": "Producer",
        "writer": "Screenplay",
        "cinematography": "Cinematography",
        "editing": "Editing",
        "music": "Music",
        "sound": "Sound",
        "cast": "With",
        "other": "Credits",
    },
    "de": {
        "contents": "Inhalt",
        "welcome": "Willkommen",
        "schedule": "Spielplan",
        "index_titles": "Titelregister",
        "index_directors": "Regieregister",
        "index_countries": "Länderregister",
        "venues": "Spielorte",
        "notes": "Notizen",
        "time": "Zeit",
        "min": "Min.",
        "qa": "Q&A",
        "intro": "Einführung",
        "with_guests": "mit",
        "directed_by": "Regie",
        "no_still": "Kein Standbild",
        "seats": "Plätze",
        "screens": "Säle",
        "shorts_programme": "Kurzfilmprogramm",
        "total_runtime": "gesamt",
        "premiere_mark": "Premiere",
        "guest_present": "Gast anwesend",
        "continued": "Forts.",
        "page_of_entry": "Seite des Films im Heft",
        "page_ref": "S.",
        "press": "Pressevorführung",
        "industry": "Fachbesuchervorführung",
        "school": "Schulvorstellung",
        "page": "Seite",
        "world": "Weltpremiere",
        "international": "Internationale Premiere",
        "european": "Europapremiere",
        "national": "Nationale Premiere",
        "regional": "Regionale Premiere",
        "director": "Regie",
        "producer": "Produktion",
        "writer": "Buch",
        "cinematography": "Kamera",
        "editing": "Montage",
        "music": "Musik",
        "sound": "Ton",
        "cast": "Mit",
        "other": "Stab",
    },
}

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
}
_WEEKDAYS_LONG = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
}


class Labels:
    """The fixed words and date formats of one label language."""

    def __init__(self, language: str = "en"):
        if language not in _LABELS:
            raise ValueError(f"unknown label language {language!r}; choose one of {', '.join(LANGUAGES)}")
        self.language = language
        self._words = _LABELS[language]

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def short_day(self, day: dt.date) -> str:
        """"Fri 14 Mar" / "Fr 14. März"."""
        month = _MONTHS[self.language][day.month - 1]
        weekday = _WEEKDAYS[self.language][day.weekday()]
        if self.language == "de":
            return f"{weekday} {day.day}. {month[:3] if len(month) > 4 else month}"
        return f"{weekday} {day.day} {month[:3]}"

    def long_day(self, day: dt.date) -> str:
        """"Friday 14 March" / "Freitag, 14. März"."""
        month = _MONTHS[self.language][day.month - 1]
        weekday = _WEEKDAYS_LONG[self.language][day.weekday()]
        if self.language == "de":
            return f"{weekday}, {day.day}. {month}"
        return f"{weekday} {day.day} {month}"

    def date_range(self, start: dt.date | None, end: dt.date | None) -> str:
        """"12–20 March 2025", "28 February – 3 March 2025" (or the German forms)."""
        if start is None:
            return ""
        end = end or start
        months = _MONTHS[self.language]
        dot = "." if self.language == "de" else ""
        if start == end:
            return f"{start.day}{dot} {months[start.month - 1]} {start.year}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}{dot}–{end.day}{dot} {months[end.month - 1]} {end.year}"
        if start.year == end.year:
            return f"{start.day}{dot} {months[start.month - 1]} – {end.day}{dot} {months[end.month - 1]} {end.year}"
        return (f"{start.day}{dot} {months[start.month - 1]} {start.year} – "
                f"{end.day}{dot} {months[end.month - 1]} {end.year}")

    def country(self, code: str | None, label: str = "") -> str:
        """The display name of a country code in this language; the stored label when uncoded."""
        if not code:
            return label
        if self.language != "en":
            translated = _translated("iso3166-1", "countries", code.upper(), self.language)
            if translated:
                return translated
        return country_name(code)

    def language_name(self, code: str | None, label: str = "") -> str:
        if not code:
            return label
        if self.language != "en":
            translated = _translated("iso639-3", "languages", code.lower(), self.language)
            if translated:
                return translated
        return language_name(code)


@lru_cache(maxsize=4096)
def _translated(domain: str, database: str, code: str, language: str) -> str | None:
    try:
        translation = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None
    records = getattr(pycountry, database)
    record = records.get(alpha_2=code) if database == "countries" else (
        records.get(alpha_3=code) or (records.get(alpha_2=code) if len(code) == 2 else None))
    if record is None:
        return None
    name = getattr(record, "common_name", None) or record.name
    return translation.gettext(name)
