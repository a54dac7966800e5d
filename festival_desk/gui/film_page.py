"""The film page: one film's record, every field editable, saved as one action.

Fields are validated as they are typed (year and runtime take digits only; the save names any
field the action refuses); countries come from a searchable ISO picker; credits are an editable
list; an image dropped on the stills tab becomes a still; the status history and the reviews with
their pull quotes are on tabs, and my rating, my note and my colleagues' ratings and notes in a
panel under them (`gui.opinions`), visible without switching tabs.

No edit is lost: picking another film saves the page's edits first (one undo step) and shows the
other film once they are stored; when a field is invalid or the save is refused, the page stays
on its film, says which field is wrong, and `stayed` asks the list to select that film again.

The page's tabs are built when its first film arrives: their limits and choices come from
`actions.films` and the models, which the worker thread has loaded by then, so that start-up
never imports the database stack on the GUI thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QIntValidator, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QSplitter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from festival_desk.core.files import read_input
from festival_desk.gui.country_picker import CountryPicker
from festival_desk.gui import roles
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.conflict_dialog import (
    FIELD_LABELS,
    Colleagues,
    ask_which_to_keep,
    edited,
    flat_values,
    save_or_report_colleagues,
    unflat_values,
    values_of,
)
from festival_desk.gui.film_history import EditHistory
from festival_desk.gui.opinions import OpinionsPanel
from festival_desk.gui.status_style import status_colour, status_label

if TYPE_CHECKING:
    from festival_desk.actions.films import FilmDetails

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
THUMBNAIL = QSize(192, 108)


def _films():
    """actions.films, imported on first use: on the worker thread, which runs every read and
    action of the page (it loads SQLModel, the models and Alembic: a second at start-up)."""
    from festival_desk.actions import films

    return films


class StillsList(QListWidget):
    """Thumbnails of the stills; image files dropped on it are reported by `files_dropped`."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stills")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMBNAIL)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(8)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QListWidget.DragDropMode.DropOnly)

    @staticmethod
    def _image_paths(event) -> list[Path]:
        if not event.mimeData().hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        return [path for path in paths if path.suffix.lower() in IMAGE_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._image_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent  # noqa: N815 - Qt override

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = self._image_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()


def _digits(minimum: int, maximum: int, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setValidator(QIntValidator(minimum, maximum, field))
    field.setMaximumWidth(90)
    return field


class FilmPage(QWidget):
    """Shows the film given to `show_film`; `loaded(int)` once its record is on screen;
    `saved(Change)` after a save; `stayed(int)` when it keeps its film because the edits could
    not be saved.

    `reviews_panel(context, parent)` makes the Reviews tab (None: a read-only list of the reviews);
    it is called with the other tabs, when the first film arrives."""

    loaded = Signal(int)
    saved = Signal(object)
    stayed = Signal(int)

    def __init__(self, context: DeskContext, parent: QWidget | None = None,
                 reviews_panel: Callable[[DeskContext, QWidget], QWidget | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filmPage")
        self._context = context
        self._reviews_factory = reviews_panel
        self._reviews_panel: QWidget | None = None
        self._details: FilmDetails | None = None
        self._loading_id: int | None = None
        self._filling = False
        self._saving = False

        self.heading = QLabel(self)
        self.heading.setObjectName("filmHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(self)
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)
        self.status_badge = QLabel(self)
        self.status_badge.setObjectName("statusBadge")

        self.tabs = QTabWidget(self)  # filled by _build_tabs when the first film arrives
        self.opinions = OpinionsPanel(context, self)

        self.error = QLabel(self)
        self.error.setObjectName("filmPageError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveFilm")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"), self)
        self.revert_button.clicked.connect(self._revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.placeholder = QLabel(self.tr("Select a film to see its page."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QWidget(self)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignTop)
        body_layout.addLayout(heading_row)
        body_layout.addWidget(self.subheading)
        record = QWidget(self.body)
        record_layout = QVBoxLayout(record)
        record_layout.setContentsMargins(0, 0, 0, 0)
        record_layout.addWidget(self.tabs, 1)
        record_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self.body)
        self.splitter.setObjectName("filmPageSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(record)
        self.splitter.addWidget(self.opinions)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.opinions.collapsed_changed.connect(self._opinions_folded)
        body_layout.addWidget(self.splitter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body)
        self.body.hide()
        self.setMinimumWidth(300)
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        context.changed.connect(self._on_change)
        context.programmer_changed.connect(self.opinions.programmer_changed)
        self._unfolded_sizes: list[int] | None = None
        self._loaded_values: dict[str, Any] | None = None  # the fields as loaded (None while filling)

    # --- tabs ----------------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        self.tabs.addTab(self._details_tab(), self.tr("Details"))
        self.tabs.addTab(self._credits_tab(), self.tr("Credits"))
        self.tabs.addTab(self._stills_tab(), self.tr("Stills"))
        # The committee's process and the catalogue facts (gui.committee_panel).
        from festival_desk.gui.committee_panel import FactsPanel, ViewingPanel

        self.viewing = ViewingPanel(self._context, self)
        self.tabs.addTab(self.viewing, self.tr("Screener && viewing"))
        self.facts = FactsPanel(self._context, self)
        self.tabs.addTab(self.facts, self.tr("Catalogue facts"))
        self.history = QTreeWidget(self)
        self.history.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Move"), self.tr("Comment")])
        self.history.setRootIsDecorated(False)
        self.tabs.addTab(self.history, self.tr("History"))
        self.edits = EditHistory(self._context, lambda: self._details.version if self._details else None, self)
        self.tabs.addTab(self.edits, self.tr("Edits"))
        if self._reviews_factory is not None:
            self._reviews_panel = self._reviews_factory(self._context, self)
        self.reviews = QTextBrowser(self)
        self.reviews.setOpenExternalLinks(False)
        self.tabs.addTab(self._reviews_panel or self.reviews, self.tr("Reviews"))

    def _details_tab(self) -> QWidget:
        from festival_desk.actions.films import FIRST_FILM_YEAR, MAX_RUNTIME_MINUTES
        from festival_desk.store.models import PREMIERE_VALUES

        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A narrow page (down to about 320 px) puts each label above its field.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.title_edit = QLineEdit(page)
        self.title_edit.setObjectName("title")
        self.original_title_edit = QLineEdit(page)
        self.original_language_edit = QLineEdit(page)
        self.original_language_edit.setPlaceholderText(self.tr("e.g. Russian, rus"))
        self.year_edit = _digits(FIRST_FILM_YEAR, 2100, page)
        self.year_edit.setObjectName("year")
        self.runtime_edit = _digits(1, MAX_RUNTIME_MINUTES, page)
        self.runtime_edit.setObjectName("runtime")
        self.section_combo = QComboBox(page)
        self.premiere_combo = QComboBox(page)
        self.premiere_combo.addItem(self.tr("—"), None)
        for value in PREMIERE_VALUES:
            self.premiere_combo.addItem(self.tr(value.capitalize()), value)
        self.countries = CountryPicker(page)
        self.languages_edit = QLineEdit(page)
        self.languages_edit.setPlaceholderText(self.tr("Names or codes, separated by commas"))
        self.logline_edit = QLineEdit(page)
        self.synopsis_edit = QPlainTextEdit(page)
        self.synopsis_edit.setMinimumHeight(100)
        self.link_edit = QLineEdit(page)
        form.addRow(self.tr("&Title"), self.title_edit)
        form.addRow(self.tr("&Original title"), self.original_title_edit)
        form.addRow(self.tr("Original &language"), self.original_language_edit)
        form.addRow(self.tr("&Year"), self.year_edit)
        form.addRow(self.tr("&Runtime (min)"), self.runtime_edit)
        form.addRow(self.tr("&Section"), self.section_combo)
        form.addRow(self.tr("&Premiere"), self.premiere_combo)
        form.addRow(self.tr("&Countries"), self.countries)
        form.addRow(self.tr("Lan&guages"), self.languages_edit)
        form.addRow(self.tr("Lo&gline"), self.logline_edit)
        form.addRow(self.tr("Sy&nopsis"), self.synopsis_edit)
        form.addRow(self.tr("Submission lin&k"), self.link_edit)
        for edit in (self.title_edit, self.original_title_edit, self.original_language_edit, self.year_edit,
                     self.runtime_edit, self.languages_edit, self.logline_edit, self.link_edit):
            edit.textChanged.connect(self._edited)
        self.synopsis_edit.textChanged.connect(self._edited)
        self.section_combo.currentIndexChanged.connect(self._edited)
        self.premiere_combo.currentIndexChanged.connect(self._edited)
        self.countries.changed.connect(self._edited)
        scroll = QScrollArea(self)
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    def _credits_tab(self) -> QWidget:
        page = QWidget(self)
        self.credits_table = QTableWidget(0, 2, page)
        self.credits_table.setObjectName("credits")
        self.credits_table.setHorizontalHeaderLabels([self.tr("Role"), self.tr("Name")])
        self.credits_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.credits_table.verticalHeader().setVisible(False)
        self.credits_table.itemChanged.connect(self._edited)
        add = QPushButton(self.tr("Add credit"), page)
        add.clicked.connect(lambda: self._add_credit_row("director", ""))
        remove = QPushButton(self.tr("Remove credit"), page)
        remove.clicked.connect(self._remove_credit_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.credits_table)
        layout.addLayout(buttons)
        return page

    def _stills_tab(self) -> QWidget:
        page = QWidget(self)
        self.stills = StillsList(page)
        self.stills.files_dropped.connect(self.add_still_files)
        hint = QLabel(self.tr("Drop an image here (JPEG, PNG, WebP, TIFF) to add a still."), page)
        remove = QPushButton(self.tr("Remove still"), page)
        remove.clicked.connect(self._remove_selected_still)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(remove)
        layout = QVBoxLayout(page)
        layout.addWidget(self.stills)
        layout.addLayout(row)
        return page

    def _role_combo(self, role: str) -> QComboBox:
        from festival_desk.store.models import CREDIT_ROLES

        combo = QComboBox(self.credits_table)
        for value in CREDIT_ROLES:
            combo.addItem(self.tr(value.capitalize()), value)
        combo.setCurrentIndex(max(0, combo.findData(role)))
        combo.currentIndexChanged.connect(self._edited)
        return combo

    def _add_credit_row(self, role: str, name: str) -> None:
        row = self.credits_table.rowCount()
        self.credits_table.insertRow(row)
        self.credits_table.setCellWidget(row, 0, self._role_combo(role))
        self.credits_table.setItem(row, 1, QTableWidgetItem(name))
        self._edited()

    def _remove_credit_rows(self) -> None:
        for row in sorted({index.row() for index in self.credits_table.selectedIndexes()}, reverse=True):
            self.credits_table.removeRow(row)
        self._edited()

    # --- loading -------------------------------------------------------------------------------

    @property
    def film_id(self) -> int | None:
        return self._details.id if self._details else None

    def show_film(self, film_id: int | None) -> None:
        """Show `film_id` (None: nothing). Edits of the film on the page are saved first, as one
        undo step, and the other film shows once they are stored; when they cannot be saved the
        page keeps its film, says what is wrong, and emits `stayed`."""
        current = self._details.id if self._details is not None else None
        if current is not None and film_id == current and self.dirty:
            return  # the same film again (the list selecting it back): keep what is being edited
        if current is not None and film_id != current and self.dirty:
            problems = self._problems()
            if problems:
                self.error.setText(problems)
                self.stayed.emit(current)
                return
            self._loading_id = None  # a film shown meanwhile must not replace the page being saved
            self.save(then=lambda _change: self._load(film_id),
                      refused=lambda _message: self.stayed.emit(current))
            return
        self._load(film_id)

    def leave(self) -> bool:
        """Save what is being edited (the page's fields and my note) before the desk shows
        something else or closes. False when a field is invalid: nothing is saved then, and the
        page says which field is wrong."""
        self.opinions.flush()
        if self._details is None or not self.dirty:
            return True
        problems = self._problems()
        if problems:
            self.error.setText(problems)
            return False
        self.save()
        return True

    def _load(self, film_id: int | None) -> None:
        if film_id is None or film_id < 0:
            self._loading_id = None
            self._details = None
            self.opinions.show_film(None)
            self.body.hide()
            self.placeholder.show()
            return
        self._loading_id = film_id
        self.opinions.show_film(film_id)
        self._context.read(lambda database: _films().film_details(database, film_id), self._fill,
                           self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.error.setText(message)

    def _fill(self, details: FilmDetails, keep: dict[str, Any] | None = None) -> None:
        """Show `details`; `keep` (flat values, see `flat_values`) are edits of the user's laid
        over what the database holds (a colleague's save arrived while they were editing)."""
        if details.id != self._loading_id:
            return  # the user moved on to another film meanwhile
        if self.tabs.count() == 0:
            self._build_tabs()
        self._details = details
        self._loaded_values = None
        self._filling = True
        try:
            fields = details.fields
            self.heading.setText(fields["title"])
            parts = [fields["original_title"] or "",
                     ", ".join(c.name for c in details.credits if c.role == "director"),
                     str(fields["year"] or ""), details.section_name or ""]
            self.subheading.setText(" · ".join(part for part in parts if part))
            colour = status_colour(details.status).name()
            self.status_badge.setText(status_label(details.status))
            self.status_badge.setStyleSheet(f"QLabel {{ color: white; background: {colour}; "
                                            "border-radius: 4px; padding: 2px 8px; font-weight: bold; }")
            self.section_combo.clear()
            self.section_combo.addItem(self.tr("—"), None)
            for section_id, name in details.sections:
                self.section_combo.addItem(name, section_id)
            self._set_values(values_of(details))
            self.logline_edit.setCursorPosition(0)  # a long logline opens at its start
            self.opinions.show_film(details.id, fields["title"])
            self.edits.show_film(details.id)
            self.viewing.show_film(details.id)
            self.facts.show_film(details.id)
            self._fill_history(details)
            self._fill_reviews(details)
            self._fill_stills(details)
            self.error.clear()
        finally:
            self._filling = False
        self._loaded_values = self._values()
        if keep:
            self._filling = True
            try:
                self._set_values(unflat_values({**flat_values(self._loaded_values), **keep}))
            finally:
                self._filling = False
        self.placeholder.hide()
        self.body.show()
        self._update_buttons()
        self.loaded.emit(details.id)

    def _fill_history(self, details: FilmDetails) -> None:
        self.history.clear()
        for move in reversed(details.history):
            source = status_label(move.from_status) if move.from_status else self.tr("(new)")
            step = f"{source} → {status_label(move.to_status)}"
            if move.kind == "undo":
                step += " " + self.tr("(undone)")
            elif move.kind == "redo":
                step += " " + self.tr("(redone)")
            elif move.kind == "discuss":  # a meeting's "discuss again" (actions.meeting)
                step = self.tr("Discuss again (stays %1)").replace("%1", status_label(move.to_status))
            item = QTreeWidgetItem([move.at.astimezone().strftime("%Y-%m-%d %H:%M"), move.programmer or "",
                                    step, move.comment])
            self.history.addTopLevelItem(item)
        for column in range(3):
            self.history.resizeColumnToContents(column)

    def _fill_reviews(self, details: FilmDetails) -> None:
        if self._reviews_panel is not None and hasattr(self._reviews_panel, "show_film"):
            self._reviews_panel.show_film(details.id)
            return
        if not details.reviews:
            self.reviews.setHtml(f"<p><i>{html.escape(self.tr('No reviews yet.'))}</i></p>")
            return
        parts = []
        for review in details.reviews:
            critic = html.escape(review.critic) + (f" — {html.escape(review.outlet)}" if review.outlet else "")
            parts.append(f"<h3>{critic}</h3>")
            if review.standfirst:
                parts.append(f"<p><i>{html.escape(review.standfirst)}</i></p>")
            for text, approved in review.quotes:
                mark = self.tr("approved for print") if approved else self.tr("not approved")
                parts.append(f"<blockquote>«{html.escape(text)}» <small>({html.escape(mark)})</small></blockquote>")
        self.reviews.setHtml("".join(parts))

    def _fill_stills(self, details: FilmDetails) -> None:
        self.stills.clear()
        for still in details.stills:
            item = QListWidgetItem(still.credit or still.filename)
            item.setData(Qt.ItemDataRole.UserRole, still.id)
            item.setToolTip(f"{still.filename}\n{still.width_px} × {still.height_px}")
            self.stills.addItem(item)
            self._context.read(lambda database, still_id=still.id: _thumbnail_data(database, still_id),
                               lambda data, item_ref=item, film=details.id: self._set_thumbnail(film, item_ref, data))

    def _set_thumbnail(self, film_id: int, item: QListWidgetItem, data: bytes) -> None:
        if self.film_id != film_id:
            return
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            try:
                item.setIcon(QIcon(pixmap))
            except RuntimeError:
                pass  # the list was refilled meanwhile: the item is gone

    # --- editing -------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        credits = []
        for row in range(self.credits_table.rowCount()):
            combo = self.credits_table.cellWidget(row, 0)
            item = self.credits_table.item(row, 1)
            credits.append((combo.currentData() if combo else "other", item.text().strip() if item else ""))
        languages = [part.strip() for part in self.languages_edit.text().split(",") if part.strip()]
        return {
            "fields": {
                "title": self.title_edit.text(),
                "original_title": self.original_title_edit.text(),
                "original_language": self.original_language_edit.text(),
                "year": self.year_edit.text(),
                "runtime_minutes": self.runtime_edit.text(),
                "section_id": self.section_combo.currentData(),
                "premiere": self.premiere_combo.currentData(),
                "logline": self.logline_edit.text(),
                "synopsis": self.synopsis_edit.toPlainText(),
                "submission_link": self.link_edit.text(),
            },
            "countries": self.countries.codes(),
            "languages": languages,
            "credits": credits,
        }

    def _set_values(self, values: dict[str, Any]) -> None:
        """Put `values` (as `_values` reads them) into the page's fields."""
        fields = values["fields"]
        self.title_edit.setText(fields["title"])
        self.original_title_edit.setText(fields["original_title"])
        self.original_language_edit.setText(fields["original_language"])
        self.year_edit.setText(fields["year"])
        self.runtime_edit.setText(fields["runtime_minutes"])
        self.section_combo.setCurrentIndex(max(0, self.section_combo.findData(fields["section_id"])))
        self.premiere_combo.setCurrentIndex(max(0, self.premiere_combo.findData(fields["premiere"])))
        self.logline_edit.setText(fields["logline"])
        if self.synopsis_edit.toPlainText() != fields["synopsis"]:
            self.synopsis_edit.setPlainText(fields["synopsis"])
        self.link_edit.setText(fields["submission_link"])
        self.countries.set_codes(list(values["countries"]))
        self.languages_edit.setText(", ".join(values["languages"]))
        self.credits_table.setRowCount(0)
        for role, name in values["credits"]:
            self._add_credit_row(role, name)

    @property
    def dirty(self) -> bool:
        return self._details is not None and self._loaded_values is not None \
            and self._values() != self._loaded_values

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self._update_buttons()

    def _problems(self) -> str:
        """What is wrong with the fields as typed, in one sentence ("" when nothing is)."""
        if self._details is None:
            return ""
        wrong = [name for name, edit in ((self.tr("year"), self.year_edit), (self.tr("runtime"), self.runtime_edit))
                 if edit.text() and not edit.hasAcceptableInput()]
        if not self.title_edit.text().strip():
            wrong.insert(0, self.tr("title"))
        if not wrong:
            return ""
        return self.tr("Check the %1 of “%2”: it is empty or out of range; the edit is not saved yet.") \
            .replace("%1", ", ".join(wrong)).replace("%2", self._details.fields["title"] or "")

    def _update_buttons(self) -> None:
        dirty = self.dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        refused = roles.film_edit_refusal(self._context)
        self.save_button.setToolTip(refused or "")
        if refused:
            self.save_button.setEnabled(False)
            if dirty:
                self.error.setText(refused)
        problems = self._problems() if dirty else ""
        if problems:
            self.save_button.setEnabled(False)
            self.error.setText(problems)
        elif self.error.text().startswith(self.tr("Check the")):
            self.error.clear()

    def _revert(self) -> None:
        if self._details is not None:
            self._loading_id = self._details.id
            self._fill(self._details)

    def save(self, *, then=None, refused=None) -> None:
        """Save every edited part of the page as one action (one undo step); `then(change)`
        runs once it is stored, `refused(message)` when it is not (the page then says why)."""
        if self._details is None or not self.dirty:
            if then is not None:
                then(None)
            return
        before, now = self._loaded_values, self._values()
        film_id, version = self._details.id, self._details.version
        fields = {name: value for name, value in now["fields"].items() if value != before["fields"][name]}
        countries = now["countries"] if now["countries"] != before["countries"] else None
        languages = now["languages"] if now["languages"] != before["languages"] else None
        credits = now["credits"] if now["credits"] != before["credits"] else None
        self.save_button.setEnabled(False)
        self._saving = True

        def saved(change) -> None:
            self.saved.emit(change)
            if then is not None:
                then(change)

        def failed(message: str) -> None:
            self._save_failed(message)
            if refused is not None:
                refused(message)

        def answered(result) -> None:
            if isinstance(result, Colleagues):  # a colleague saved first: ask field by field
                self._saving = False
                self._resolve(result, before, now, then=then, refused=refused)
            else:
                self._context.record(result)
                saved(result)

        database = self._context.database
        if database is None:
            return
        self._context.runner.submit(
            lambda: save_or_report_colleagues(database, film_id, expected_version=version, fields=fields or None,
                                              countries=countries, languages=languages, credits=credits),
            answered, failed, title=self.tr("Saving"))

    def _resolve(self, theirs: Colleagues, original: dict[str, Any], mine: dict[str, Any], *, then=None,
                 refused=None) -> None:
        """A colleague saved this film after it was loaded: show theirs, mine and the original
        side by side; what the user keeps is laid over their version and saved against it."""
        if theirs.details.id != self.film_id:
            return
        choice = ask_which_to_keep(self, theirs, flat_values(original), flat_values(mine),
                                   flat_values(values_of(theirs.details)))
        self._loading_id = theirs.details.id
        if choice is None:  # not now: their version is shown with the user's edits over it
            self._fill(theirs.details, keep=edited(flat_values(original), flat_values(mine)))
            self.error.setText(self.tr("Not saved: %1 changed this film meanwhile. Your edits are kept on "
                                       "the page.").replace("%1", theirs.who or self.tr("a colleague")))
            if refused is not None:
                refused(self.error.text())
            return
        self._fill(theirs.details, keep=choice)
        self.save(then=then, refused=refused)

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.error.setText(message)
        self._update_buttons()

    def add_still_files(self, paths: list[Path]) -> None:
        """Add each image file as a still of the shown film (one action per image)."""
        film_id = self.film_id
        if film_id is None:
            return
        for path in paths:
            def add(database, path=path):
                return _films().add_still(database, film_id, read_input(path, what="image"), Path(path).name)
            self._context.perform(add, on_error=self._save_failed, title=self.tr("Adding a still"))

    def _remove_selected_still(self) -> None:
        item = self.stills.currentItem()
        if item is not None:
            still_id = item.data(Qt.ItemDataRole.UserRole)
            self._context.perform(lambda database: _films().remove_still(database, still_id),
                                  on_error=self._save_failed)

    def _on_change(self, change) -> None:
        """Reload the page when a Change names its film (an edit, a rating, a move, an undo);
        fields being edited are never replaced."""
        if self._details is not None and self._details.id in change.films | change.films_removed:
            if self._details.id in change.films_removed:
                self._load(None)
            elif self._saving or not self.dirty:
                self._saving = False
                self._load(self._details.id)
            elif change.details.get("remote"):
                # A colleague saved the film being edited: their fields come in, the user's edits stay.
                film_id = self._details.id
                self._context.read(lambda database: _films().film_details(database, film_id), self._theirs_arrived)

    def _theirs_arrived(self, details: FilmDetails) -> None:
        if self._details is None or details.id != self._details.id or self._loaded_values is None:
            return
        original, mine = flat_values(self._loaded_values), flat_values(self._values())
        mine_edited = edited(original, mine)
        if not self.dirty:
            mine_edited = {}
        theirs = flat_values(values_of(details))
        clashing = sorted(key for key in mine_edited if theirs[key] != original[key] and theirs[key] != mine[key])
        self._loading_id = details.id
        if clashing:
            # Both changed the same field: the page stays on the version it was opened at, so that
            # Save asks which to keep (see `_resolve`); the rest of theirs shows.
            kept = self._details
            self._fill(details, keep=mine_edited)
            self._details = kept
            self._loaded_values = unflat_values({**flat_values(self._loaded_values),
                                                 **{key: original[key] for key in clashing}})
            self.error.setText(self.tr("A colleague also changed: %1. Save asks which to keep.")
                               .replace("%1", ", ".join(FIELD_LABELS.get(key, key) for key in clashing)))
            self._update_buttons()
        else:
            self._fill(details, keep=mine_edited)

    def _opinions_folded(self, folded: bool) -> None:
        """A folded panel gives its room back to the tabs; unfolded, it takes it again."""
        sizes = self.splitter.sizes()
        if folded:
            self._unfolded_sizes = sizes
            header = self.opinions.toggle.sizeHint().height() + 8
            self.splitter.setSizes([sum(sizes) - header, header])
        elif self._unfolded_sizes:
            self.splitter.setSizes(self._unfolded_sizes)


def _thumbnail_data(database, still_id: int) -> bytes:
    """A small JPEG of the still, made on the worker thread (the GUI only decodes the thumbnail)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(_films().still_image(database, still_id))) as image:
        image.thumbnail((THUMBNAIL.width() * 2, THUMBNAIL.height() * 2))
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
