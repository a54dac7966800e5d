"""When a colleague saved the film first: theirs, mine and the original, field by field.

A save is made against the version the page was opened at (`actions.films.edit_film`,
`expected_version`). When a colleague saved in between, nothing is written; the page shows this
dialog with, for each field the user changed that is now different, the original value, the
colleague's and the user's, and "Keep mine" or "Take theirs" for each. What the user keeps is
laid over the colleague's version and saved against it, so nothing either of them did is lost
without being seen (and the film's edit history keeps every value).

The page's fields are compared as flat values (`flat_values`): each editable field by name, and
the countries, languages and credits as tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from festival_desk.core.codes import language_name

if TYPE_CHECKING:
    import datetime as dt

    from festival_desk.actions.films import FilmDetails
    from festival_desk.store.db import Database

LIST_KEYS = ("countries", "languages", "credits")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictDialog", text)


FIELD_LABELS = {
    "title": "Title", "original_title": "Original title", "original_language": "Original language",
    "year": "Year", "runtime_minutes": "Runtime (min)", "section_id": "Section", "premiere": "Premiere",
    "logline": "Logline", "synopsis": "Synopsis", "submission_link": "Submission link",
    "countries": "Countries", "languages": "Languages", "credits": "Credits",
}


# --- the page's values, flat --------------------------------------------------------------------


def values_of(details: FilmDetails) -> dict[str, Any]:
    """The film page's fields as they show `details` (the shape `FilmPage._values` reads)."""
    fields = details.fields
    language = fields["original_language"]
    return {
        "fields": {
            "title": fields["title"] or "",
            "original_title": fields["original_title"] or "",
            "original_language": language_name(language) if language else "",
            "year": str(fields["year"] or ""),
            "runtime_minutes": str(fields["runtime_minutes"] or ""),
            "section_id": fields["section_id"],
            "premiere": fields["premiere"],
            "logline": fields["logline"] or "",
            "synopsis": fields["synopsis"] or "",
            "submission_link": fields["submission_link"] or "",
        },
        "countries": list(details.countries),
        "languages": [language_name(code) for code in details.languages],
        "credits": [(credit.role, credit.name) for credit in details.credits],
    }


def flat_values(values: dict[str, Any]) -> dict[str, Any]:
    flat = dict(values["fields"])
    for key in LIST_KEYS:
        flat[key] = tuple(tuple(item) if isinstance(item, (list, tuple)) else item for item in values[key])
    return flat


def unflat_values(flat: dict[str, Any]) -> dict[str, Any]:
    return {"fields": {key: value for key, value in flat.items() if key not in LIST_KEYS},
            **{key: [tuple(item) if isinstance(item, (list, tuple)) else item for item in flat[key]]
               for key in LIST_KEYS}}


def edited(original: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """The fields the user changed: {key: their value}."""
    return {key: value for key, value in mine.items() if value != original.get(key)}


# --- saving, or hearing that a colleague saved first ------------------------------------------------


@dataclass(frozen=True)
class Colleagues:
    """A save refused because a colleague saved first: their version of the film, and who and when."""

    message: str
    who: str
    at: dt.datetime | None
    details: FilmDetails


def save_or_report_colleagues(database: Database, film_id: int, *, expected_version: int, **edits: Any):
    """On the worker: save the page's edits against `expected_version`; the Change, or
    `Colleagues` with the film as a colleague left it when they saved first."""
    from festival_desk.actions import films
    from festival_desk.core.errors import ConflictError

    try:
        return films.edit_film(database, film_id, expected_version=expected_version, **edits)
    except ConflictError as error:
        return Colleagues(str(error), error.who, error.at, films.film_details(database, film_id))


# --- the dialog ---------------------------------------------------------------------------------------


def _shown(key: str, value: Any, sections: dict[int, str]) -> str:
    if key == "section_id":
        return sections.get(value, _tr("(none)")) if value is not None else _tr("(none)")
    if key == "credits":
        return "\n".join(f"{role}: {name}" for role, name in value) or _tr("(none)")
    if key in LIST_KEYS:
        return ", ".join(value) or _tr("(none)")
    return str(value) if value not in (None, "") else _tr("(empty)")


class ConflictDialog(QDialog):
    """Each row: the field, the original value, theirs, mine, and Keep mine / Take theirs."""

    def __init__(self, parent: QWidget | None, title: str, who: str, when: str, rows: Sequence[tuple[str, Any, Any, Any]],
                 sections: dict[int, str]) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(_tr("A colleague changed this film too"))
        self._choices: dict[str, QButtonGroup] = {}
        intro = QLabel(_tr("%1 saved “%2” at %3, after you opened it. For each field you both changed, "
                           "keep yours or take theirs; then your choices are saved over their version.")
                       .replace("%1", who or _tr("A colleague")).replace("%2", title).replace("%3", when), self)
        intro.setWordWrap(True)
        grid = QGridLayout()
        for column, heading in enumerate((_tr("Field"), _tr("Original"), _tr("Theirs (%1)").replace("%1", who or "?"),
                                          _tr("Mine"), "")):
            label = QLabel(f"<b>{heading}</b>", self)
            grid.addWidget(label, 0, column)
        for row, (key, original, theirs, mine) in enumerate(rows, start=1):
            grid.addWidget(QLabel(_tr(FIELD_LABELS.get(key, key)), self), row, 0, Qt.AlignmentFlag.AlignTop)
            for column, value in enumerate((original, theirs, mine), start=1):
                cell = QLabel(_shown(key, value, sections), self)
                cell.setWordWrap(True)
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setMaximumWidth(260)
                grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignTop)
            keep_mine = QRadioButton(_tr("Keep mine"), self)
            keep_mine.setObjectName(f"keepMine-{key}")
            take_theirs = QRadioButton(_tr("Take theirs"), self)
            take_theirs.setObjectName(f"takeTheirs-{key}")
            keep_mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(keep_mine, 0)
            group.addButton(take_theirs, 1)
            self._choices[key] = group
            choice = QVBoxLayout()
            choice.addWidget(keep_mine)
            choice.addWidget(take_theirs)
            grid.addLayout(choice, row, 4, Qt.AlignmentFlag.AlignTop)
        body = QWidget(self)
        body.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(_tr("Save my choices"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveChoices")
        buttons.addButton(_tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(900, min(700, 160 + 70 * len(rows)))

    def take_theirs(self, key: str) -> None:
        self._choices[key].button(1).setChecked(True)

    def kept_mine(self) -> set[str]:
        return {key for key, group in self._choices.items() if group.checkedId() == 0}


def ask_which_to_keep(parent: QWidget, theirs: Colleagues, original: dict[str, Any], mine: dict[str, Any],
                      their_values: dict[str, Any]) -> dict[str, Any] | None:
    """The user's edits to lay over the colleague's version: every edit of theirs they keep (a
    field the colleague did not change is kept without asking); None when they chose Not now."""
    mine_edited = edited(original, mine)
    rows = [(key, original[key], their_values[key], mine[key]) for key in FIELD_LABELS
            if key in mine_edited and their_values[key] != mine[key] and their_values[key] != original[key]]
    if not rows:
        return mine_edited
    when = theirs.at.astimezone().strftime("%H:%M") if theirs.at is not None else "?"
    dialog = ConflictDialog(parent, theirs.details.fields["title"], theirs.who, when, rows,
                            dict(theirs.details.sections))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    kept = dialog.kept_mine()
    return {key: value for key, value in mine_edited.items() if key in kept or key not in dict.fromkeys(
        row[0] for row in rows)}
