"""Writing the demo festival into a database someone has already opened as a programmer."""

from __future__ import annotations

import sqlalchemy as sa

from festival_desk.actions.demo import create_demo
from festival_desk.actions.programming import add_programmer, programmer_id
from festival_desk.store.models import Programmer, Rating


def test_a_programmer_recorded_before_the_demo_becomes_the_demo_programmer_of_that_name(empty_db) -> None:
    # The desk records who is working when it opens a file; the demo then arrives with its committee.
    typed = add_programmer(empty_db, "maja kovacic").details["id"]
    other = add_programmer(empty_db, "Ana Novak").details["id"]
    create_demo(empty_db)
    with empty_db.reading() as session:
        names = dict(session.execute(sa.select(Programmer.id, Programmer.name)).all())
        rated_by_maja = session.execute(sa.select(sa.func.count()).select_from(Rating)
                                        .where(Rating.programmer_id == typed)).scalar_one()
    assert names[typed] == "Maja Kovačič"  # the same row, with the demo's spelling
    assert names[other] == "Ana Novak" and len(names) == 6  # the demo's five and the newcomer
    assert rated_by_maja > 0  # the demo's ratings by Maja are hers
    assert programmer_id(empty_db, "Maja Kovačič") == typed
