"""The film table model: Qt's model contract, lazy rows, DB-side sort, and id-list diffs that keep
selection and scroll."""

from __future__ import annotations

import sqlalchemy as sa

from festival_desk.core.text import sort_key, sort_title
from festival_desk.gui.film_query import FilmQuery, film_ids, film_rows
from festival_desk.gui.film_table import COLUMN_KEYS, FilmTableModel, FilmTableView
from festival_desk.gui.status_style import status_label
from PySide6.QtCore import Qt


def _model(demo_db, **query):
    model = FilmTableModel(lambda ids: film_rows(demo_db, ids, None))
    model.set_ids(film_ids(demo_db, FilmQuery(**query)))
    return model


def test_model_passes_qt_model_tester(qtmodeltester, demo_db):
    model = _model(demo_db)
    assert model.rowCount() >= 40
    qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_lazily_a_block_at_a_time(demo_db, qapp):
    asked: list[int] = []

    def fetch(ids):
        asked.append(len(ids))
        return film_rows(demo_db, ids, None)

    model = FilmTableModel(fetch)
    model.set_ids(film_ids(demo_db, FilmQuery()))
    assert asked == []  # nothing read until a cell is asked for
    title = model.index(0, COLUMN_KEYS.index("title")).data()
    assert title and len(asked) == 1 and asked[0] <= FilmTableModel.BLOCK
    model.index(1, COLUMN_KEYS.index("year")).data()
    assert len(asked) == 1  # the neighbour came with the first block


def test_status_shows_as_text_and_colour(demo_db, qapp):
    model = _model(demo_db)
    index = model.index(0, COLUMN_KEYS.index("status"))
    with demo_db.engine.connect() as connection:
        status = connection.execute(sa.text("SELECT status FROM film WHERE id = :id"),
                                    {"id": model.film_id(0)}).scalar_one()
    assert index.data() == status_label(status)
    assert index.data(Qt.ItemDataRole.ForegroundRole).isValid()
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_sorting_happens_in_the_database(demo_db, qtbot):
    model = _model(demo_db)
    with qtbot.waitSignal(model.sort_requested) as signal:
        model.sort(COLUMN_KEYS.index("year"), Qt.SortOrder.DescendingOrder)
    assert signal.args == ["year", True]
    ids = film_ids(demo_db, FilmQuery(sort="year", descending=True))
    rows = film_rows(demo_db, ids, None)
    years = [rows[i].year for i in ids if rows[i].year is not None]
    assert years == sorted(years, reverse=True)
    by_title = film_ids(demo_db, FilmQuery())
    rows = film_rows(demo_db, by_title, None)
    keys = [sort_key(sort_title(rows[i].title)) for i in by_title]
    assert keys == sorted(keys)
    position = [rows[i].title for i in by_title].index("The Red Soul")
    assert keys[position - 1] < "red soul" < keys[position + 1] < "t"  # filed under R, not T


def test_removing_films_keeps_the_selection_of_the_others(demo_db, qtbot):
    model = _model(demo_db)
    view = FilmTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    ids = model.ids
    view.selectRow(5)
    reset = []
    model.modelReset.connect(lambda: reset.append(True))
    assert model.set_ids([film_id for film_id in ids if film_id not in (ids[1], ids[2])]) is False
    assert not reset
    [selected] = view.selectionModel().selectedRows()
    assert model.film_id(selected.row()) == ids[5]


def test_refresh_repaints_only_the_named_film(demo_db, qtbot):
    model = _model(demo_db)
    model.index(0, 0).data()
    changed = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    model.refresh({model.film_id(3)})
    assert changed == [(3, 3)]
