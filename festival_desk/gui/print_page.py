"""The Print page: the booklet's options, Build with progress and Cancel, an in-app PDF preview.

The build runs as a long job of the desk's task runner (worker thread, progress throttled to the
runner's rate, Cancel turned into `Cancelled` at the next progress report); the page only reads
the finished file. Nothing here lays out pages: `actions.booklet` does, as on the command line.

After a build the progress bar stands at 100 % and says what was built ("60 pages, 42 films,
1 warning"), the warnings are listed one sentence each, and "Open in viewer" hands the file to
the desktop (its viewer, else the file manager, else its path on the clipboard, saying which).
The preview (`BookletPreview`) shows "page 11 of 60", zooms to the width, the page or 100 %,
goes to a film or section chosen from the booklet's own bookmarks, and turns a page per Page Down.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QLoggingCategory, QModelIndex, QPointF, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from festival_desk.actions import booklet as actions
from festival_desk.core.codes import language_name
from festival_desk.core.errors import UserError
from festival_desk.core.files import read_input
from festival_desk.gui.desk import DeskContext
from festival_desk.gui.file_opening import show_file
from festival_desk.printing.options import ALL_FIELDS, PAPERS, SORT_ORDERS, BookletOptions, Margins
from festival_desk.printing.typography import TEXT_LANGUAGES

_PAPER_NAMES = {"a5": "A5", "a4": "A4", "letter": "US Letter", "custom": "Custom"}
_SORT_NAMES = {"running": "Programme order", "title": "Title", "screening": "First screening"}
_LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
_FIELD_NAMES = {
    "still": "Still", "original_title": "Original title", "directors": "Directors", "countries": "Countries",
    "year": "Year", "runtime": "Runtime", "languages": "Languages", "premiere": "Premiere",
    "synopsis": "Synopsis", "quote": "Pull quote", "screenings": "Screenings", "credits": "Other credits",
}


# ReportLab writes outline entries that fit the page without a point to scroll to; Qt reads each as
# "invalid location" and says so once per entry. The preview jumps to the page's top anyway.
QLoggingCategory.setFilterRules("qt.pdf.bookmarks.warning=false")

ZOOMS = (("Fit width", QPdfView.ZoomMode.FitToWidth, None), ("Fit page", QPdfView.ZoomMode.FitInView, None),
         ("100 %", QPdfView.ZoomMode.Custom, 1.0))


def build_summary(build: actions.BookletBuild) -> str:
    """"60 pages, 42 films, 1 warning"."""
    def count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"
    return ", ".join((count(build.pages, "page"), count(build.films, "film"), count(len(build.warnings), "warning")))


class PageView(QPdfView):
    """The PDF pages, one after another; Page Down/Up turn exactly one page, Home/End go to the
    first/last, whatever the zoom."""

    def keyPressEvent(self, event):  # noqa: N802 (Qt's name)
        navigator = self.pageNavigator()
        count = self.document().pageCount() if self.document() else 0
        target = {Qt.Key.Key_PageDown: navigator.currentPage() + 1, Qt.Key.Key_PageUp: navigator.currentPage() - 1,
                  Qt.Key.Key_Home: 0, Qt.Key.Key_End: count - 1}.get(event.key())
        if target is None or count == 0:
            return super().keyPressEvent(event)
        self.go_to(target)
        event.accept()

    def go_to(self, page: int) -> None:
        """Show `page` (0-based) from its top."""
        count = self.document().pageCount() if self.document() else 0
        if count:
            self.pageNavigator().jump(max(0, min(page, count - 1)), QPointF(0, 0), 0)


class BookletPreview(QWidget):
    """The booklet as built: pages with "page N of M", previous/next, zoom, and the booklet's
    bookmarks (sections and their films) to go to, with a box to find one by name."""

    def __init__(self, document: QPdfDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.view = PageView(self)
        self.view.setObjectName("pages")
        self.view.setDocument(document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(self.tr("Previous page (Page Up)"))
        self.previous_button.clicked.connect(lambda: self.view.go_to(self.current_page() - 1))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(self.tr("Next page (Page Down)"))
        self.next_button.clicked.connect(lambda: self.view.go_to(self.current_page() + 1))
        self.page_label = QLabel()
        self.page_label.setObjectName("pageNumber")
        self.zoom = QComboBox()
        self.zoom.setObjectName("zoom")
        for label, _mode, _factor in ZOOMS:
            self.zoom.addItem(self.tr(label))
        self.zoom.currentIndexChanged.connect(self.set_zoom)

        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(document)
        self.found = QSortFilterProxyModel(self)
        self.found.setSourceModel(self.bookmarks)
        self.found.setRecursiveFilteringEnabled(True)
        self.found.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.find = QLineEdit()
        self.find.setObjectName("findInBooklet")
        self.find.setPlaceholderText(self.tr("Go to a film or section…"))
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self._filter)
        self.find.returnPressed.connect(self._go_to_first_found)
        self.contents = QTreeView()
        self.contents.setObjectName("bookletContents")
        self.contents.setModel(self.found)
        self.contents.setHeaderHidden(True)
        self.contents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contents.activated.connect(self.go_to_entry)
        self.contents.clicked.connect(self.go_to_entry)
        self.bookmarks.modelReset.connect(self.contents.expandAll)

        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("Zoom")))
        bar.addWidget(self.zoom)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.find)
        side_layout.addWidget(self.contents, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(side)
        split.addWidget(self.view)
        split.setStretchFactor(1, 1)
        split.setSizes([180, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        document.statusChanged.connect(self._show_page_number)
        self._show_page_number()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def _show_page_number(self, *_args) -> None:
        if not shiboken6.isValid(self.document):  # the page is being closed; its pages go first
            return
        count = self.document.pageCount()
        ready = self.document.status() == QPdfDocument.Status.Ready and count > 0
        self.page_label.setText(self.tr("page %1 of %2").replace("%1", str(self.current_page() + 1))
                                .replace("%2", str(count)) if ready else self.tr("no booklet built yet"))
        self.previous_button.setEnabled(ready and self.current_page() > 0)
        self.next_button.setEnabled(ready and self.current_page() < count - 1)

    def set_zoom(self, index: int) -> None:
        """Zoom to the width, the page or 100 %, staying on the page shown."""
        page = self.current_page()
        _label, mode, factor = ZOOMS[index]
        self.view.setZoomMode(mode)
        if factor is not None:
            self.view.setZoomFactor(factor)
        # The view lays the pages out again on its next event; go back to the page after that.
        QTimer.singleShot(0, lambda: self.view.go_to(page))

    def _filter(self, text: str) -> None:
        self.found.setFilterFixedString(text.strip())
        self.contents.expandAll()

    def _go_to_first_found(self) -> None:
        first = self.found.index(0, 0)
        while first.isValid() and self.find.text().strip().casefold() not in str(first.data()).casefold() \
                and self.found.hasChildren(first):
            first = self.found.index(0, 0, first)
        if first.isValid():
            self.contents.setCurrentIndex(first)
            self.go_to_entry(first)

    def go_to_entry(self, index: QModelIndex) -> None:
        """Show the page of a bookmark (a section, film or part of the booklet)."""
        page = index.data(int(QPdfBookmarkModel.Role.Page))
        if page is not None:
            self.view.go_to(int(page))
            self.view.setFocus()

    def entries(self) -> list[tuple[str, int, int]]:
        """Every bookmark as (title, level, page), in the booklet's order."""
        found: list[tuple[str, int, int]] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.bookmarks.rowCount(parent)):
                index = self.bookmarks.index(row, 0, parent)
                found.append((index.data(), index.data(int(QPdfBookmarkModel.Role.Level)),
                              index.data(int(QPdfBookmarkModel.Role.Page))))
                walk(index)
        walk(QModelIndex())
        return found


def _millimetres(maximum: float, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, maximum)
    box.setDecimals(1)
    box.setSuffix(" mm")
    box.setValue(value)
    return box


class PrintPage(QWidget):
    """Signals: `built(BookletBuild)` after a build was written and is shown in the preview."""

    built = Signal(object)

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.last_build: actions.BookletBuild | None = None
        self._task = None

        self.paper = QComboBox()
        for code in PAPERS:
            self.paper.addItem(self.tr(_PAPER_NAMES[code]), code)
        self.custom_width = _millimetres(1000, 170)
        self.custom_height = _millimetres(1000, 240)
        self.margin_top, self.margin_bottom = _millimetres(60, 14), _millimetres(60, 16)
        self.margin_inner, self.margin_outer = _millimetres(60, 15), _millimetres(60, 12)
        self.bleed = _millimetres(10, 3)
        self.crop_marks = QCheckBox(self.tr("Crop marks"))
        self.impose = QCheckBox(self.tr("Press sheets (saddle stitch, two pages per SRA4 side, with marks)"))
        self.press = QCheckBox(self.tr("For the print shop (CMYK, PDF/X-4, no links)"))
        self.text_language = QComboBox()
        for code in TEXT_LANGUAGES:
            self.text_language.addItem(language_name(code), code)
        self.sort = QComboBox()
        for code in SORT_ORDERS:
            self.sort.addItem(self.tr(_SORT_NAMES[code]), code)
        self.language = QComboBox()
        for code, name in _LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.sections = QListWidget()
        self.fields = QListWidget()
        for name in ALL_FIELDS:
            item = QListWidgetItem(self.tr(_FIELD_NAMES[name]))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setCheckState(Qt.CheckState.Checked)
            self.fields.addItem(item)
        self.welcome = QPlainTextEdit()
        self.welcome.setPlaceholderText(self.tr("The welcome page's text"))
        self.welcome.setMaximumHeight(90)
        self.cover_label = QLabel()
        self._cover_image: bytes | None = None
        self._cover_name = ""
        cover_button = QPushButton(self.tr("Cover image…"))
        cover_button.clicked.connect(self._choose_cover)
        self.output = QLineEdit(str(Path.home() / "booklet.pdf"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_output)

        self.save_button = QPushButton(self.tr("Save options"))
        self.save_button.clicked.connect(self.save_options)
        self.build_button = QPushButton(self.tr("Build booklet"))
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton(self.tr("Open in viewer"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_in_viewer)
        self.progress = QProgressBar()
        self.progress.setObjectName("buildProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setObjectName("printStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report = QListWidget()
        self.report.setObjectName("buildReport")
        self.report.setWordWrap(True)
        self.report.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report.addItem(self.tr("Warnings and changes since the last build appear here."))

        self.document = QPdfDocument(self)
        self.preview = BookletPreview(self.document, self)

        form = QFormLayout()
        form.addRow(self.tr("Paper"), self.paper)
        custom = QHBoxLayout()
        custom.addWidget(self.custom_width)
        custom.addWidget(QLabel("×"))
        custom.addWidget(self.custom_height)
        form.addRow(self.tr("Custom size"), custom)
        margins = QHBoxLayout()
        for label, box in ((self.tr("top"), self.margin_top), (self.tr("bottom"), self.margin_bottom),
                           (self.tr("inner"), self.margin_inner), (self.tr("outer"), self.margin_outer)):
            margins.addWidget(QLabel(label))
            margins.addWidget(box)
        form.addRow(self.tr("Margins"), margins)
        form.addRow(self.tr("Bleed"), self.bleed)
        form.addRow("", self.crop_marks)
        form.addRow("", self.impose)
        form.addRow(self.tr("Order in sections"), self.sort)
        form.addRow(self.tr("Labels"), self.language)
        form.addRow(self.tr("Texts written in"), self.text_language)
        form.addRow("", self.press)
        form.addRow(self.tr("Sections"), self.sections)
        form.addRow(self.tr("Fields"), self.fields)
        form.addRow(self.tr("Welcome"), self.welcome)
        cover = QHBoxLayout()
        cover.addWidget(self.cover_label, 1)
        cover.addWidget(cover_button)
        form.addRow(self.tr("Cover"), cover)
        output = QHBoxLayout()
        output.addWidget(self.output)
        output.addWidget(browse)
        form.addRow(self.tr("PDF file"), output)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.build_button, self.cancel_button, self.open_button):
            buttons.addWidget(button)
        options = QWidget()
        options.setLayout(form)
        # The options scroll on a short screen; the buttons, progress and report stay in view.
        scroller = QScrollArea()
        scroller.setWidget(options)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setMinimumWidth(options.sizeHint().width() + scroller.verticalScrollBar().sizeHint().width())
        self.report.setMinimumHeight(70)
        self.report.setMaximumHeight(150)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(scroller, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.report)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.paper.currentIndexChanged.connect(self._paper_changed)
        self._paper_changed()
        context.database_changed.connect(self.reload)
        context.runner.progressed.connect(self._progressed)
        context.runner.finished.connect(self._finished)
        self.reload()

    # --- options <-> form ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the saved options and the sections from the database into the form."""
        self.context.read(lambda db: (actions.load_options(db), actions.list_sections(db),
                                      actions.load_cover_and_welcome(db), actions.load_text_languages(db)),
                          self._loaded, self._show_error)

    def _loaded(self, loaded) -> None:
        options, sections, cover, languages = loaded
        self.text_language.setCurrentIndex(max(0, self.text_language.findData(languages.festival)))
        self.welcome.setPlainText(cover.welcome_text)
        self._cover_image, self._cover_name = None, ""
        self._show_cover(cover.cover_image is not None)
        self.sections.clear()
        for code, name in sections:
            item = QListWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.sections.addItem(item)
        self.set_options(options)

    def set_options(self, options: BookletOptions) -> None:
        self.paper.setCurrentIndex(self.paper.findData(options.paper))
        if options.custom_size_mm:
            self.custom_width.setValue(options.custom_size_mm[0])
            self.custom_height.setValue(options.custom_size_mm[1])
        self.margin_top.setValue(options.margins.top)
        self.margin_bottom.setValue(options.margins.bottom)
        self.margin_inner.setValue(options.margins.inner)
        self.margin_outer.setValue(options.margins.outer)
        self.bleed.setValue(options.bleed_mm)
        self.crop_marks.setChecked(options.crop_marks)
        self.press.setChecked(options.press)
        self.sort.setCurrentIndex(self.sort.findData(options.sort))
        self.language.setCurrentIndex(self.language.findData(options.language))
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            chosen = options.sections is None or item.data(Qt.ItemDataRole.UserRole) in options.sections
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        for row in range(self.fields.count()):
            item = self.fields.item(row)
            shown = item.data(Qt.ItemDataRole.UserRole) in options.fields
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def options(self) -> BookletOptions:
        """The options the form shows, checked (raises UserError naming the option at fault)."""
        def checked(widget: QListWidget) -> list[str]:
            return [widget.item(row).data(Qt.ItemDataRole.UserRole) for row in range(widget.count())
                    if widget.item(row).checkState() == Qt.CheckState.Checked]

        sections = checked(self.sections)
        if self.sections.count() and not sections:
            raise UserError("sections: choose at least one section")
        paper = self.paper.currentData()
        return BookletOptions(
            paper=paper,
            custom_size_mm=(self.custom_width.value(), self.custom_height.value()) if paper == "custom" else None,
            margins=Margins(self.margin_top.value(), self.margin_bottom.value(), self.margin_inner.value(),
                            self.margin_outer.value()),
            bleed_mm=self.bleed.value(), crop_marks=self.crop_marks.isChecked(),
            sections=None if len(sections) == self.sections.count() else tuple(sections),
            fields=tuple(checked(self.fields)), sort=self.sort.currentData(), language=self.language.currentData(),
            press=self.press.isChecked(),
        ).validate()

    def _paper_changed(self) -> None:
        custom = self.paper.currentData() == "custom"
        self.custom_width.setEnabled(custom)
        self.custom_height.setEnabled(custom)

    # --- actions ------------------------------------------------------------------------------

    def save_options(self) -> None:
        try:
            options = self.options()
        except UserError as error:
            self._show_error(str(error))
            return
        welcome, cover, name = self.welcome.toPlainText(), self._cover_image, self._cover_name
        text_language = self.text_language.currentData()
        self.context.perform(lambda db: actions.set_text_language(db, text_language),
                             lambda _change: None, self._show_error)
        self.context.perform(lambda db: actions.save_options(db, options),
                             lambda _change: self.status.setText(self.tr("Options saved.")), self._show_error)
        self.context.perform(
            lambda db: actions.set_cover_and_welcome(db, welcome_text=welcome, cover_image=cover, image_name=name),
            lambda _change: None, self._show_error)

    def _choose_cover(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Cover image"), str(Path.home()),
                                              self.tr("Images (*.jpg *.jpeg *.png *.tif *.tiff)"))
        if not path:
            return
        try:
            self._cover_image = read_input(path, what="image")
        except UserError as error:
            self._show_error(str(error))
            return
        self._cover_name = path
        self._show_cover(True)

    def _show_cover(self, present: bool) -> None:
        if self._cover_name:
            self.cover_label.setText(self.tr("{name} (saved with the options)").format(name=Path(self._cover_name).name))
        else:
            self.cover_label.setText(self.tr("Festival cover image") if present else self.tr("No cover image"))

    def build(self) -> None:
        if self._task is not None:
            return
        try:
            options = self.options()
        except UserError as error:
            self._show_error(str(error))
            return
        target = Path(self.output.text()).expanduser()
        impose = "saddle" if self.impose.isChecked() else None
        self.build_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("%p %")
        self.status.setText(self.tr("Building…"))
        self._task = self.context.run_job(
            lambda db, progress: actions.build_booklet(db, target, options, impose=impose, progress=progress),
            self.tr("Build booklet"), self._built, self._show_error)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def open_in_viewer(self) -> None:
        """Hand the booklet to the PDF viewer (or the file manager, or copy its path) and say which."""
        if self.last_build is not None:
            self.status.setText(show_file(self.last_build.path).message)

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save booklet as"), self.output.text(),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.output.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    # --- task callbacks -----------------------------------------------------------------------

    def _progressed(self, task, done: int, total: int, message: str) -> None:
        if task is self._task and total > 0:
            # 100 % is kept for the moment the file is written and shown.
            self.progress.setRange(0, 100)
            self.progress.setValue(min(99, done * 100 // total))
            self.status.setText(message)

    def _finished(self, task) -> None:
        if task is not self._task:
            return
        self._task = None
        self.build_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.maximum() == 0 or self.progress.value() < 100:  # not built: the bar empties
            self.progress.setRange(0, 100)
            self.progress.setValue(0)
            self.progress.setFormat("%p %")
        if task.cancelled and self.status.text() == self.tr("Cancelling…"):
            self.status.setText(self.tr("Build cancelled; nothing was written."))

    def _built(self, build: actions.BookletBuild) -> None:
        self.last_build = build
        summary = build_summary(build)
        self.progress.setRange(0, 100)
        self.progress.setValue(100)
        self.progress.setFormat("100 % — " + summary)
        self.document.load(str(build.path))
        self.preview.view.go_to(0)
        self.open_button.setEnabled(True)
        self.status.setText(self.tr("%1 built in %2 s: %3. %4").replace("%1", build.path.name)
                            .replace("%2", f"{build.seconds:.1f}").replace("%3", summary)
                            .replace("%4", str(build.path)))
        self.report.clear()
        for warning in build.warnings:
            self.report.addItem(QListWidgetItem(self.tr("Warning: %1").replace("%1", warning)))
        for change in build.changes:
            self.report.addItem(QListWidgetItem(self.tr("Changed since the last build: %1").replace("%1", change)))
        if not build.warnings and not build.changes:
            self.report.addItem(self.tr("No warnings; nothing changed since the last build."))
        self.built.emit(build)

    def _show_error(self, message: str) -> None:
        self.status.setText(message)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setFormat("%p %")


def print_widget(context: DeskContext, parent: QWidget | None = None) -> PrintPage:
    """The desk's Print area (see gui.areas)."""
    return PrintPage(context, parent)
