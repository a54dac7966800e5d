"""Standalone widgets of the submissions area for the desk: the import dialog and the rating panel.

Both only call actions (through the desk's `TaskRunner`, so the GUI never waits on the database)
and report what changed with a `changed(Change)` signal; the desk refreshes the views it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from festival_desk.actions.changes import Change
from festival_desk.actions.programming import list_rows
from festival_desk.actions.submissions import (
    import_submissions,
    preview_rows,
    save_mapping,
    saved_mappings,
)
from festival_desk.core.errors import UserError
from festival_desk.core.text import counted
from festival_desk.exporters.lists import write_csv, write_xlsx
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.reviews import choose_review_files, paste_review, record_change
from festival_desk.gui.tasks import Task, TaskRunner
from festival_desk.importers.submissions import MAPPABLE_FIELDS, ColumnMapping
from festival_desk.store.db import Database

_NOT_MAPPED = "— not imported —"


def report_text(details: dict) -> str:
    """The import report as the dialog shows it: counts, then each rejected line and why."""
    lines = [f"Added: {details['added']}", f"Updated: {details['updated']}",
             f"Unchanged: {details['unchanged']}", f"Rejected: {len(details['rejected'])}"]
    if details.get("kept_local"):
        lines.append(f"Kept the committee's edits in {counted(details['kept_local'], 'field')}")
    lines += [f"  line {row['line']}: {row['reason']}" for row in details["rejected"]]
    if details.get("dry_run"):
        lines.insert(0, "Check only: nothing was written.")
    return "\n".join(lines)


class ImportDialog(QDialog):
    """Choose a file, FilmFreeway or a mapped source (mapping editor with a preview of the first
    rows, saved per source), run the import with progress and Cancel, read the report."""

    changed = Signal(object)

    def __init__(self, database: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import submissions"))
        self._database, self._runner = database, runner
        self._task: Task | None = None
        self._headers: list[str] = []
        self._mappings = saved_mappings(database)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("FilmFreeway export (.csv) or a spreadsheet (.csv, .xlsx)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_file)
        self.source_combo = QComboBox()
        self.source_combo.addItem("FilmFreeway export", "filmfreeway")
        self.source_combo.addItem("Other source (column mapping)", "mapped")
        self.source_combo.currentIndexChanged.connect(self._update_mode)
        self.source_name = QComboBox()
        self.source_name.setEditable(True)
        self.source_name.addItems(sorted(self._mappings))
        self.source_name.currentTextChanged.connect(self._apply_saved_mapping)
        self.mapping_table = QTableWidget(len(MAPPABLE_FIELDS), 2)
        self.mapping_table.setHorizontalHeaderLabels(["Field", "Column"])
        for row, name in enumerate(MAPPABLE_FIELDS):
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(row, 0, item)
            self.mapping_table.setCellWidget(row, 1, QComboBox())
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.progress_bar = QProgressBar()
        self.progress_label = QLabel()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.dry_run_button = QPushButton(self.tr("Check (dry run)"))
        self.import_button = QPushButton(self.tr("Import"))
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.setEnabled(False)
        self.dry_run_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self._cancel)
        self.path_edit.editingFinished.connect(self._load_preview)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        self.mapping_box = QWidget()
        mapping_layout = QVBoxLayout(self.mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("Source name (the mapping is saved under it):")))
        name_row.addWidget(self.source_name, 1)
        mapping_layout.addLayout(name_row)
        mapping_layout.addWidget(self.mapping_table)
        buttons = QHBoxLayout()
        for button in (self.dry_run_button, self.import_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.source_combo)
        layout.addWidget(self.mapping_box)
        layout.addWidget(QLabel(self.tr("First rows of the file:")))
        layout.addWidget(self.preview_table)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addLayout(buttons)
        layout.addWidget(self.report)
        runner.progressed.connect(self._progressed)
        runner.finished.connect(self._task_ended)
        self._update_mode()

    # --- file and mapping -------------------------------------------------------------------

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Submissions file", "", "Spreadsheets (*.csv *.xlsx)")
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        self.path_edit.setText(path)
        self._load_preview()

    def _load_preview(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            return
        try:
            headers, rows = preview_rows(path)
        except UserError as error:
            self.report.setPlainText(str(error))
            return
        self._headers = headers
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setHorizontalHeaderLabels(headers)
        self.preview_table.setRowCount(len(rows))
        for row_number, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.preview_table.setItem(row_number, column, QTableWidgetItem(text))
        for row in range(self.mapping_table.rowCount()):
            combo: QComboBox = self.mapping_table.cellWidget(row, 1)
            chosen = combo.currentText()
            combo.clear()
            combo.addItems([_NOT_MAPPED, *headers])
            combo.setCurrentText(chosen if chosen in headers else _NOT_MAPPED)
        self._apply_saved_mapping(self.source_name.currentText())

    def _apply_saved_mapping(self, source: str) -> None:
        mapping = self._mappings.get(source)
        if mapping is None:
            return
        for row, name in enumerate(MAPPABLE_FIELDS):
            combo: QComboBox = self.mapping_table.cellWidget(row, 1)
            header = mapping.columns.get(name)
            if header and combo.findText(header) < 0:
                combo.addItem(header)
            combo.setCurrentText(header or _NOT_MAPPED)

    def mapping(self) -> ColumnMapping:
        """The mapping the editor shows; UserError when the source has no name."""
        source = self.source_name.currentText().strip()
        if not source:
            raise UserError("name the source (e.g. “webform”): the mapping is saved under that name")
        columns = {}
        for row, name in enumerate(MAPPABLE_FIELDS):
            header = self.mapping_table.cellWidget(row, 1).currentText()
            if header and header != _NOT_MAPPED:
                columns[name] = header
        return ColumnMapping(source=source, columns=columns)

    def _update_mode(self) -> None:
        self.mapping_box.setVisible(self.source_combo.currentData() == "mapped")

    # --- running ------------------------------------------------------------------------------

    def start(self, *, dry_run: bool) -> Task | None:
        """Start the import (or the check) in the background; the report shows when it ends."""
        path = self.path_edit.text().strip()
        if not path:
            self.report.setPlainText("Choose a file to import.")
            return None
        source = self.source_combo.currentData()
        mapping = None
        if source == "mapped":
            try:
                from festival_desk.importers.submissions import mapping_from_json

                mapping = mapping_from_json(self.mapping().to_json(), "the column mapping")
            except UserError as error:
                self.report.setPlainText(str(error))
                return None
        database = self._database

        def job(progress):
            change = import_submissions(database, path, source=source, mapping=mapping, dry_run=dry_run,
                                        progress=progress)
            if mapping is not None and not dry_run:
                save_mapping(database, mapping)
            return change

        self._set_running(True)
        self.report.setPlainText("Checking…" if dry_run else "Importing…")
        self._task = self._runner.run_job(job, "Import submissions", on_done=self._finished,
                                          on_error=self._failed)
        return self._task

    def _set_running(self, running: bool) -> None:
        self.import_button.setEnabled(not running)
        self.dry_run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progressed(self, task: Task, done: int, total: int, message: str) -> None:
        if task is self._task:
            self.progress_bar.setMaximum(max(total, 1))
            self.progress_bar.setValue(done)
            self.progress_label.setText(message)

    def _task_ended(self, task: Task) -> None:
        # on_done/on_error clear self._task first; a task still held here was cancelled.
        if task is self._task:
            self._set_running(False)
            self._task = None
            self.report.setPlainText("Import cancelled: nothing was written.")

    def _finished(self, change: Change) -> None:
        self._set_running(False)
        self._task = None
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.report.setPlainText(report_text(change.details))
        self._mappings = saved_mappings(self._database)
        if not change.details.get("dry_run"):
            self.changed.emit(change)

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self._task = None
        self.report.setPlainText(message)


# --- hosted in the desk -----------------------------------------------------------------------

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")


class DeskImportDialog(ImportDialog):
    """File › Import: submissions (FilmFreeway or a mapped spreadsheet) with progress and report,
    and review files or a pasted review. What an import changes reaches every view of the desk."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(context.database, context.runner, parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import"))
        self.resize(820, 640)
        self.context = context
        self.changed.connect(lambda change: record_change(context, change))
        self.review_files_button = QPushButton(self.tr("Review files…"))
        self.review_files_button.clicked.connect(self.choose_review_files)
        self.paste_review_button = QPushButton(self.tr("Paste a review"))
        self.paste_review_button.clicked.connect(self.paste_review)
        reviews_row = QHBoxLayout()
        reviews_row.addWidget(QLabel(self.tr("Critics' reviews (.txt, .md, .html, .docx):")))
        reviews_row.addWidget(self.review_files_button)
        reviews_row.addWidget(self.paste_review_button)
        reviews_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout: QVBoxLayout = self.layout()
        layout.insertWidget(0, QLabel(self.tr("<b>Submissions</b> — a FilmFreeway export or another spreadsheet")))
        layout.addSpacing(8)
        layout.addLayout(reviews_row)
        layout.addWidget(close)

    def choose_review_files(self) -> None:
        choose_review_files(self.context, self)

    def paste_review(self) -> None:
        paste_review(self.context, self)


def import_dialog(context: DeskContext, parent: QWidget | None = None) -> DeskImportDialog:
    """The window's import dialog, kept between uses (its last report stays readable) while the
    same database is open."""
    existing = parent.findChild(DeskImportDialog, "importDialog") if parent is not None else None
    if existing is not None and existing.context is context and existing._database is context.database:
        return existing
    if existing is not None:
        existing.deleteLater()
    return DeskImportDialog(context, parent)


def export_films(database: Database, path: str | Path, film_ids: Sequence[int]) -> int:
    """Write the films `film_ids`, in that order, as CSV or XLSX (by the file's extension);
    returns how many were written."""
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in SPREADSHEET_SUFFIXES:
        raise UserError(f"{path}: export as .csv or .xlsx")
    by_id = {row["film_id"]: row for row in list_rows(database)}
    rows = [by_id[film_id] for film_id in film_ids if film_id in by_id]
    (write_csv if kind == ".csv" else write_xlsx)(rows, path)
    return len(rows)


class ExportDialog(QFileDialog):
    """Save the current list as CSV or Excel; the file is written in the background."""

    FILTERS: ClassVar[dict[str, str]] = {"CSV (*.csv)": "csv", "Excel workbook (*.xlsx)": "xlsx"}

    def __init__(self, context: DeskContext, parent: QWidget | None, film_ids: Sequence[int]) -> None:
        super().__init__(parent, f"Export {counted(len(film_ids), 'film')}")
        self.setObjectName("exportDialog")
        self.context = context
        self.film_ids = list(film_ids)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setNameFilters(list(self.FILTERS))
        self.setDefaultSuffix("csv")
        self.selectFile("films.csv")
        self.filterSelected.connect(lambda name: self.setDefaultSuffix(self.FILTERS.get(name, "csv")))
        self.fileSelected.connect(self.export_to)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def export_to(self, path: str) -> Task | None:
        film_ids, owner = self.film_ids, self.parentWidget()
        return self.context.run_job(lambda database, _progress: export_films(database, path, film_ids),
                                    f"Export to {Path(path).name}",
                                    lambda count: _tell(owner, f"Exported {counted(count, 'film')} to {path}"))


def _tell(widget: QWidget | None, message: str) -> None:
    window = widget.window() if widget is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 8000)


def export_dialog(context: DeskContext, parent: QWidget | None, film_ids: Sequence[int]) -> ExportDialog:
    """File › Export: the films of the current list, in its order."""
    return ExportDialog(context, parent, film_ids)


class SubmissionsPanel(QWidget):
    """Beside the Submissions list: bring films and reviews in, send the list out."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionsPanel")
        self.context = context
        title = QLabel(self.tr("<b>Bring films in</b>"))
        self.import_button = QPushButton(self.tr("Import submissions…"))
        self.import_button.setToolTip(self.tr("A FilmFreeway export or another spreadsheet (Ctrl+I)"))
        self.import_button.clicked.connect(self.open_import)
        self.reviews_button = QPushButton(self.tr("Import reviews…"))
        self.reviews_button.clicked.connect(self.import_reviews)
        hint = QLabel(self.tr("Or drop .csv, .xlsx or review files anywhere on the window."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        out = QLabel(self.tr("<b>Send the list out</b>"))
        self.export_button = QPushButton(self.tr("Export this list…"))
        self.export_button.setToolTip(self.tr("The films listed, as CSV or Excel (Ctrl+E)"))
        self.export_button.clicked.connect(self.open_export)
        layout = QVBoxLayout(self)
        for widget in (title, self.import_button, self.reviews_button, hint):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addWidget(out)
        layout.addWidget(self.export_button)
        layout.addStretch(1)
        self.setMinimumWidth(150)

    def open_import(self) -> None:
        import_dialog(self.context, self.window()).open()

    def import_reviews(self) -> None:
        import_dialog(self.context, self.window()).choose_review_files()

    def open_export(self) -> None:
        film_list = getattr(self.parentWidget(), "list", None)  # the film area holding this panel
        export_dialog(self.context, self.window(), film_list.model.ids if film_list is not None else []).open()


def submissions_panel(context: DeskContext, parent: QWidget | None = None) -> QWidget:
    """The panel beside the Submissions list."""
    return SubmissionsPanel(context, parent)
