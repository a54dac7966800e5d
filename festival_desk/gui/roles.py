"""What the signed-in login may do, shown in the desk: on a team database (PostgreSQL) a control
the login's role cannot use is disabled and says why; areas it may only look at say so.

The desk keeps no copy of the rules: it asks the database (`store.team.read_identity`, read once
when the database opens: the role, the tables the login may write, the status moves
`festival_may_move` allows), and the database refuses whatever slips through. On SQLite, and on
PostgreSQL for the owner, nothing is restricted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from festival_desk.core.workflow import ALL_STATUSES

if TYPE_CHECKING:
    from festival_desk.gui.desk import DeskContext
    from festival_desk.store.db import Database
    from festival_desk.store.team import Identity

# Areas a role may only look at unless it may write the table named here.
AREA_TABLES = {"schedule": ("screening", "schedule screenings"), "print": ("festival", "build the booklet"),
               "reviews": ("review", "import reviews or approve quotes"),
               "critics": ("critic", "edit critics")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Roles", text)


def identity(context: DeskContext) -> Identity | None:
    """The signed-in login's identity on a team database (None elsewhere: nothing restricted)."""
    database = context.database
    if database is None:
        return None
    found = database.identity
    return found if found.is_team_member else None


def refusal(found: Identity, what: str) -> str:
    return _tr("Your role on this festival (%1) may not %2.").replace("%1", found.role or _tr("none")) \
        .replace("%2", what)


def move_refusal(context: DeskContext, statuses: set[str], target: str) -> str | None:
    """Why the login may not move films in `statuses` to `target` (None: it may)."""
    found = identity(context)
    if found is None:
        return None
    sources = statuses or set(ALL_STATUSES)
    may_reach = any(found.may_move(status, target) for status in ALL_STATUSES if status != target)
    if may_reach and all(found.may_move(status, target) for status in sources if status != target):
        return None
    return refusal(found, _tr("move these films there; a lead decides that"))


def rate_refusal(context: DeskContext) -> str | None:
    found = identity(context)
    if found is None or found.may_rate:
        return None
    return refusal(found, _tr("rate films or write notes"))


def film_edit_refusal(context: DeskContext) -> str | None:
    found = identity(context)
    if found is None or found.may_write("film"):
        return None
    return refusal(found, _tr("change films"))


def area_refusal(context: DeskContext, area_key: str) -> str | None:
    """What the login may not do in the area `area_key` (None: everything it shows)."""
    found = identity(context)
    if found is None or area_key not in AREA_TABLES:
        return None
    table, what = AREA_TABLES[area_key]
    return None if found.may_write(table) else refusal(found, _tr(what)) + " " + _tr("You can look at it.")


def import_refusal(context: DeskContext) -> str | None:
    found = identity(context)
    if found is None or found.may_write("film"):
        return None
    return refusal(found, _tr("import submissions"))


def warn_about_the_database(window: QWidget, database: Database) -> None:
    """Say (without blocking) that a festival file on a network drive belongs on PostgreSQL; on a
    team database, say who is signed in with which role."""
    warning = database.network_warning
    if warning:
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Festival file on a network drive"), warning,
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("networkDriveWarning")
        box.open()
        window.statusBar().showMessage(warning, 20000)
    found = database.identity
    if found.is_team_member:
        window.statusBar().showMessage(_tr("Signed in as %1 (%2) on a team database").replace(
            "%1", found.programmer_name or found.login).replace("%2", found.role or _tr("no role")), 10000)
