"""Reading one cell of a submissions export: durations, dates, titles and lists of names."""

from __future__ import annotations

import datetime as dt
import math
import re

_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "„": "“", "«": "»", "‘": "’", "”": "”", "»": "«"}


class UnreadableValue(ValueError):
    """A cell that has text but not a value of the expected kind."""


def clean(cell: str | None) -> str:
    """The cell trimmed, with Windows/Mac line ends made "\\n" (the text itself is kept as typed)."""
    if not cell:
        return ""
    if "\r" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    return cell.strip()


def unquote_title(title: str) -> str:
    """A title without the quotes a submitter typed around all of it: '"Home"' -> 'Home'.

    Quotes inside a title ('The "Good" Life') and a title that merely starts with one are kept.
    """
    text = title.strip()
    while len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        inner = text[1:-1].strip()
        if not inner or text[0] in inner:
            break
        text = inner
    return text


_HMS = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})(?:\.\d+)?$")
_MS = re.compile(r"^(\d+):(\d{1,2})$")
_WORDS = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hours?))?\s*(?:(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes?|'))?\s*"
    r"(?:(\d+)\s*(?:s|sec|secs|seconds?|\"))?$",
    re.IGNORECASE,
)


def duration_minutes(cell: str) -> int | None:
    """Runtime in whole minutes, rounded up: "1:30:01" -> 91, "0:05:00" -> 5, "95" -> 95,
    "95 min", "1h 35m". Two-part "M:SS" is minutes and seconds, as a video player shows it.

    Empty or zero means unknown (None). Raises UnreadableValue for anything else.
    """
    text = cell.strip().lower()
    if not text:
        return None
    seconds: float
    if match := _HMS.match(text):
        hours, minutes, secs = (int(part) for part in match.groups())
        if minutes >= 60 or secs >= 60:
            raise UnreadableValue(f"duration {cell!r} is not H:MM:SS")
        seconds = hours * 3600 + minutes * 60 + secs
    elif match := _MS.match(text):
        minutes, secs = (int(part) for part in match.groups())
        if secs >= 60:
            raise UnreadableValue(f"duration {cell!r} is not M:SS")
        seconds = minutes * 60 + secs
    elif re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        seconds = float(text.replace(",", ".")) * 60
    elif (match := _WORDS.match(text)) and any(match.groups()):
        hours, minutes, secs = (float(part) if part else 0.0 for part in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        raise UnreadableValue(f"duration {cell!r} is not H:MM:SS or minutes")
    return math.ceil(seconds / 60) or None


_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?:[ T].*)?$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b")
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b")


def parse_date(cell: str) -> tuple[dt.date | None, int | None]:
    """(date, year) from the forms exports mix: "2024-05-01", "January 2, 2025", "2 Jan 2025",
    "05/01/2024" (month first as FilmFreeway writes it, unless the first number exceeds 12),
    "May 2024", "2025". The date is None when only a year (or month and year) is given.

    Empty -> (None, None). Raises UnreadableValue for text that is none of these.
    """
    text = cell.strip().lower()
    if not text:
        return None, None
    try:
        if match := _YEAR.match(text):
            return None, int(match.group(1))
        if match := _ISO.match(text):
            year, month, day = match.groups()
            if day is None:
                dt.date(int(year), int(month), 1)
                return None, int(year)
            return dt.date(int(year), int(month), int(day)), int(year)
        if match := _SLASHED.match(text):
            first, second, year = (int(part) for part in match.groups())
            year += 2000 if year < 100 else 0
            month, day = (second, first) if first > 12 else (first, second)
            return dt.date(year, month, day), year
        if (match := _MONTH_FIRST.match(text)) and match.group(1) in _MONTHS:
            month_name, day, year = match.groups()
            if day is None:
                return None, int(year)
            return dt.date(int(year), _MONTHS[month_name], int(day)), int(year)
        if (match := _DAY_FIRST.match(text)) and match.group(2) in _MONTHS:
            day, month_name, year = match.groups()
            return dt.date(int(year), _MONTHS[month_name], int(day)), int(year)
    except ValueError:
        pass
    raise UnreadableValue(f"date {cell!r} is not a date this import reads (e.g. 2025-01-02, January 2, 2025)")


# A label ends with a colon or dash, or the line ("KEY CAST" alone); "by" forms need neither.
_CREDIT_LABEL = re.compile(
    r"^(?:(?:directed|written|produced|screenplay)\s+by\b\s*[:\-–]?"
    r"|(?:key\s+cast|cast|directors?|writers?|producers?|screenplay|credits?)\s*(?:[:\-–]|$))\s*",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"[,;]|\s+&\s+")
_LIST_SEPARATORS = re.compile(r"[,;\n]")
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def split_names(cell: str) -> list[str]:
    """People named in one credit cell: comma, semicolon, " & " or line separated, with labels
    such as "KEY CAST:" or "Directed by" removed and "Jr."-style suffixes kept on their name."""
    names: list[str] = []
    for line in clean(cell).split("\n"):
        line = _CREDIT_LABEL.sub("", line.strip(), count=1)
        for piece in _NAME_SEPARATORS.split(line):
            piece = piece.strip()
            if not piece:
                continue
            if piece.lower() in _NAME_SUFFIXES and names:
                names[-1] = f"{names[-1]}, {piece}"
            else:
                names.append(piece)
    return names


def split_list(cell: str) -> list[str]:
    """Plain comma, semicolon or line separated values (genres, categories), trimmed, de-duplicated."""
    values: list[str] = []
    for piece in _LIST_SEPARATORS.split(clean(cell)):
        piece = piece.strip()
        if piece and piece not in values:
            values.append(piece)
    return values
