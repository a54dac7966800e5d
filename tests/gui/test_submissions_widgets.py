"""The import dialog and the rating panel, driven offscreen."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from festival_desk.actions.submissions import saved_mappings
from festival_desk.gui.submissions import ImportDialog
from festival_desk.gui.tasks import TaskRunner

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def wait_idle(qtbot, runner):
    qtbot.waitUntil(lambda: runner.idle, timeout=20000)


def test_filmfreeway_import_shows_the_report_with_rejected_lines(qtbot, empty_db, runner):
    dialog = ImportDialog(empty_db, runner)
    qtbot.addWidget(dialog)
    dialog.set_path(str(FIXTURES / "filmfreeway_export.csv"))
    assert dialog.preview_table.columnCount() > 20
    assert dialog.preview_table.item(0, dialog.preview_table.columnCount() - 5).text() == "88001"
    with qtbot.waitSignal(dialog.changed, timeout=20000) as changed:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].details["added"] == 4
    text = dialog.report.toPlainText()
    assert "Added: 4" in text and "Rejected: 3" in text
    assert "line 11: duration 'about an hour'" in text
    assert dialog.import_button.isEnabled()


def test_mapped_import_with_the_mapping_editor_saves_the_mapping(qtbot, empty_db, runner):
    dialog = ImportDialog(empty_db, runner)
    qtbot.addWidget(dialog)
    dialog.source_combo.setCurrentIndex(1)
    dialog.set_path(str(FIXTURES / "webform.csv"))
    assert not dialog.mapping_box.isHidden()
    assert dialog.preview_table.item(1, 1).text() == "Salt"
    dialog.source_name.setEditText("webform")
    choices = {"submission_id": "Entry no.", "title": "Film title", "directors": "Director(s)",
               "runtime": "Length (min)"}
    for row in range(dialog.mapping_table.rowCount()):
        field = dialog.mapping_table.item(row, 0).text()
        if field in choices:
            dialog.mapping_table.cellWidget(row, 1).setCurrentText(choices[field])
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.start(dry_run=False)
    assert "Added: 2" in dialog.report.toPlainText()
    wait_idle(qtbot, runner)
    assert saved_mappings(empty_db)["webform"].columns == choices
    # next time, choosing the source restores its mapping
    again = ImportDialog(empty_db, runner)
    qtbot.addWidget(again)
    again.set_path(str(FIXTURES / "webform.csv"))
    again.source_name.setEditText("webform")
    assert again.mapping().columns == choices


def test_dry_run_writes_nothing(qtbot, empty_db, runner):
    dialog = ImportDialog(empty_db, runner)
    qtbot.addWidget(dialog)
    dialog.set_path(str(FIXTURES / "filmfreeway_export.csv"))
    dialog.start(dry_run=True)
    qtbot.waitUntil(lambda: "Check only" in dialog.report.toPlainText(), timeout=20000)
    with empty_db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM film")).scalar_one() == 0
