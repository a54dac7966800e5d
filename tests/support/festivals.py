"""A festival as the committee tests start from: the FilmFreeway fixture imported, a committee added."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from festival_desk.actions.programming import add_programmer
from festival_desk.actions.submissions import import_submissions

FILMFREEWAY_EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "filmfreeway_export.csv"


def imported_festival(database, committee: tuple[str, ...]) -> list[int]:
    """Import the FilmFreeway fixture into `database` and add `committee`; the film ids in order."""
    import_submissions(database, FILMFREEWAY_EXPORT)
    for name in committee:
        add_programmer(database, name)
    with database.engine.connect() as connection:
        return list(connection.execute(sa.text("SELECT id FROM film ORDER BY id")).scalars().all())
