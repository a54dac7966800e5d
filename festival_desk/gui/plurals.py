"""Counted texts ("1 film", "3 films") through Qt's translator.

Qt's own plural form, tr("%n film(s)", "", n), shows "film(s)" until a translation file gives the
forms; with a text for one and a text for many the desk reads right in English now, and both texts
stay translatable.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def count_text(context: str, count: int, one: str, many: str) -> str:
    """`one` when `count` is 1, else `many` with %n replaced by `count`; both translated in `context`."""
    if count == 1:
        return QCoreApplication.translate(context, one)
    return QCoreApplication.translate(context, many, "", count)
