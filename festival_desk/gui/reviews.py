"""Critic reviews in the desk: the import dialog, a film's reviews panel and the critics list.

Standalone widgets the desk plugs in. They change data only through `actions.reviews` and emit
`changed(Change)` after each action so the desk can refresh and record undo. Reviews are short:
parsing and importing one runs in the GUI thread (a few milliseconds); a batch of files is a
background job (`import_review_paths`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import case, func
from sqlmodel import select

from festival_desk.actions.changes import Change
from festival_desk.actions.reviews import (
    AMBIGUOUS,
    NO_MATCH,
    STORED,
    CriticRow,
    QuoteRow,
    ReviewView,
    add_quote,
    approve_quote,
    film_reviews,
    import_review,
    import_review_files,
    list_critics,
    match_review,
    shorten_quote,
)
from festival_desk.core.errors import UserError
from festival_desk.core.quotes import shortening_problem
from festival_desk.core.matching import MatchResult, Verdict
from festival_desk.gui.desk import DeskContext
from festival_desk.importers.reviews import (
    ParsedCritic,
    ParsedFilm,
    ParsedReview,
    ReviewSection,
    parse_review_file,
    parse_review_text,
)
from festival_desk.store.db import Database
from festival_desk.store.models import Critic, Film, PullQuote, Review

_HEADING_MARK = "## "


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sections_to_text(sections: Sequence[ReviewSection]) -> str:
    """The body for editing: a subhead on its own line after "## ", paragraphs between blank lines."""
    blocks = []
    for section in sections:
        if section.heading is not None:
            blocks.append(_HEADING_MARK + section.heading)
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks)


def text_to_sections(text: str) -> list[ReviewSection]:
    """The inverse of `sections_to_text`: a paragraph that starts with "## " opens a section."""
    sections: list[ReviewSection] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        block = " ".join(block.split())
        if not block:
            continue
        if block.startswith(_HEADING_MARK):
            sections.append(ReviewSection(block[len(_HEADING_MARK):].strip(), []))
        else:
            if not sections:
                sections.append(ReviewSection(None, []))
            sections[-1].paragraphs.append(block)
    return sections


class ReviewImportDialog(QDialog):
    """The review's source text beside its parsed fields, every field editable, and the film it
    will be attached to: the clear match preselected, alternatives to choose from, or "create as
    an external film". Accepting imports the review as edited; `change` then holds the result."""

    changed = Signal(object)

    def __init__(self, database: Database, parsed: ParsedReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.parsed = parsed
        self.change: Change | None = None
        self.setWindowTitle(f"Import review — {parsed.source_name}")
        self.resize(1100, 720)

        self.source = QPlainTextEdit(parsed.raw_text)
        self.source.setReadOnly(True)
        self.source.setObjectName("source")

        self.critic_name = QLineEdit(parsed.critic.name)
        self.critic_bio = QLineEdit(parsed.critic.bio or "")
        self.outlet = QLineEdit(parsed.critic.outlet or "")
        self.tags = QLineEdit(", ".join(parsed.tags))
        self.standfirst = QPlainTextEdit(parsed.standfirst or "")
        self.standfirst.setFixedHeight(60)
        self.film_title = QLineEdit(parsed.film.title)
        self.original_title = QLineEdit(parsed.film.original_title or "")
        self.directors = QLineEdit(", ".join(parsed.film.directors))
        self.countries = QLineEdit(", ".join(parsed.film.countries))
        self.year = QLineEdit("" if parsed.film.year is None else str(parsed.film.year))
        self.year.setValidator(QIntValidator(1870, 2100, self))
        self.body = QPlainTextEdit(sections_to_text(parsed.sections))
        self.body.setToolTip(self.tr("Paragraphs are separated by a blank line; a line that starts with ## is a "
                                     "subheading."))
        self.pull_quotes = QPlainTextEdit("\n".join(parsed.pull_quotes))
        self.pull_quotes.setFixedHeight(70)
        self.captions = QPlainTextEdit("\n".join(parsed.captions))
        self.captions.setFixedHeight(50)

        form = QFormLayout()
        form.addRow(self.tr("Critic"), self.critic_name)
        form.addRow(self.tr("Bio"), self.critic_bio)
        form.addRow(self.tr("Outlet"), self.outlet)
        form.addRow(self.tr("Tags"), self.tags)
        form.addRow(self.tr("Standfirst"), self.standfirst)
        form.addRow(self.tr("Title"), self.film_title)
        form.addRow(self.tr("Original title"), self.original_title)
        form.addRow(self.tr("Directors"), self.directors)
        form.addRow(self.tr("Countries"), self.countries)
        form.addRow(self.tr("Year"), self.year)
        form.addRow(self.tr("Text"), self.body)
        form.addRow(self.tr("Pull quotes (one per line)"), self.pull_quotes)
        form.addRow(self.tr("Captions (one per line)"), self.captions)

        self.match_label = QLabel()
        self.match_label.setWordWrap(True)
        self.candidates = QListWidget()
        self.candidates.setObjectName("candidates")
        self.candidates.setFixedHeight(110)
        self.create_film = QCheckBox(self.tr("Add it as a film of its own (reviewed elsewhere, not a submission)"))
        self.rematch_button = QPushButton(self.tr("Match again"))
        self.rematch_button.clicked.connect(self.rematch)
        self.candidates.currentItemChanged.connect(self._update_buttons)
        self.create_film.toggled.connect(self._update_buttons)

        fields = QWidget()
        fields_layout = QVBoxLayout(fields)
        fields_layout.addLayout(form)
        match_row = QHBoxLayout()
        match_row.addWidget(self.match_label, 1)
        match_row.addWidget(self.rematch_button)
        fields_layout.addLayout(match_row)
        fields_layout.addWidget(self.candidates)
        fields_layout.addWidget(self.create_film)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.source)
        splitter.addWidget(fields)
        splitter.setSizes([450, 650])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.import_review)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.rematch()

    # --- the edited review ------------------------------------------------------------------

    def edited_review(self) -> ParsedReview:
        """The review as the fields now say (raw text and source kept from the original)."""
        year_text = self.year.text().strip()
        return ParsedReview(
            critic=ParsedCritic(self.critic_name.text().strip(), self.critic_bio.text().strip() or None,
                                self.outlet.text().strip() or None),
            film=ParsedFilm(self.film_title.text().strip(), self.original_title.text().strip() or None,
                            _split_list(self.directors.text()), _split_list(self.countries.text()),
                            int(year_text) if year_text else None),
            tags=_split_list(self.tags.text()),
            standfirst=" ".join(self.standfirst.toPlainText().split()) or None,
            sections=text_to_sections(self.body.toPlainText()),
            pull_quotes=_lines(self.pull_quotes.toPlainText()),
            captions=_lines(self.captions.toPlainText()),
            raw_text=self.parsed.raw_text,
            source_name=self.parsed.source_name,
            source_format=self.parsed.source_format,
        )

    # --- the film ---------------------------------------------------------------------------

    def rematch(self) -> None:
        """Match the film as the fields now describe it and list the candidates."""
        result: MatchResult = match_review(self.database, self.edited_review())
        self.candidates.clear()
        for candidate in result.candidates:
            film = candidate.film
            label = f"{film.title}"
            if film.original_title:
                label += f" ({film.original_title})"
            label += f" — {film.year or '?'} — {', '.join(film.directors) or 'no director'}"
            item = QListWidgetItem(f"{label}   [score {candidate.score:.0f}]")
            item.setData(Qt.ItemDataRole.UserRole, film.film_id)
            self.candidates.addItem(item)
        if result.verdict is Verdict.CLEAR:
            self.match_label.setText(self.tr("This review is about the film selected below."))
            self.candidates.setCurrentRow(0)
        elif result.verdict is Verdict.AMBIGUOUS:
            self.match_label.setText(self.tr("Several films could be meant: choose one."))
            self.candidates.setCurrentRow(-1)
        else:
            self.match_label.setText(self.tr("No film of this festival resembles it: add it as a film of its own?"))
        self.create_film.setChecked(result.verdict is Verdict.NONE)
        self._update_buttons()

    def chosen_film_id(self) -> int | None:
        item = self.candidates.currentItem()
        return None if item is None or self.create_film.isChecked() else item.data(Qt.ItemDataRole.UserRole)

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.chosen_film_id() is not None or self.create_film.isChecked())

    # --- saving -----------------------------------------------------------------------------

    def import_review(self) -> None:
        edited = self.edited_review()
        try:
            if not edited.critic.name or not edited.film.title:
                raise UserError("the critic's name and the film title are needed")
            change = import_review(self.database, edited, film_id=self.chosen_film_id(),
                                   create_film=self.create_film.isChecked(),
                                   outlet=edited.critic.outlet)
        except UserError as error:
            QMessageBox.warning(self, "Review not imported", str(error))
            return
        outcome = change.details["files"][0]
        if outcome["status"] in (AMBIGUOUS, NO_MATCH):
            QMessageBox.warning(self, "Review not imported", outcome["message"])
            return
        self.change = change
        self.changed.emit(change)
        self.accept()


def review_import_dialog_for_file(database: Database, path: str | Path,
                                  parent: QWidget | None = None) -> ReviewImportDialog:
    """The import dialog for one review file (raises `UserError` for a bad file)."""
    return ReviewImportDialog(database, parse_review_file(path), parent)


def review_import_dialog_for_text(database: Database, text: str, parent: QWidget | None = None) -> ReviewImportDialog:
    """The import dialog for text pasted from the clipboard (raises `UserError` if not a review)."""
    return ReviewImportDialog(database, parse_review_text(text, "pasted text"), parent)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reviews", text)


def import_review_paths(parent: QWidget | None, context: DeskContext, paths: Sequence[str | Path]) -> None:
    """What the desk does with review files dropped on it or chosen: one file opens the import
    dialog; several are imported as a background job (progress and Cancel in the status bar), then
    a summary names the files that were not stored. Either way the change is recorded for undo."""
    database = context.database
    if database is None or not paths:
        return
    if len(paths) == 1:
        try:
            dialog = review_import_dialog_for_file(database, paths[0], parent)
        except UserError as error:
            QMessageBox.warning(parent, _tr("Not a review"), str(error))
            return
        dialog.exec()
        if dialog.change is not None:
            record_change(context, dialog.change)
        return

    def summarise(change: Change) -> None:
        files = change.details["files"]
        problems = [f for f in files if f["status"] not in STORED and f["status"] != "already imported"]
        stored = sum(f["status"] in STORED for f in files)
        summary = _tr("%1 of %2 reviews imported.").replace("%1", str(stored)).replace("%2", str(len(files)))
        report = summary + "\n\n" + "\n".join(_outcome_line(f) for f in files)  # every file, in order
        if problems:
            QMessageBox.warning(parent, _tr("Reviews imported"), report)
        else:
            QMessageBox.information(parent, _tr("Reviews imported"), report)

    files = [str(path) for path in paths]
    context.run_job(lambda db, progress: import_review_files(db, files, progress=progress),
                    _tr("Importing reviews"), summarise)


def _outcome_line(outcome: dict) -> str:
    """One file of a batch import as the summary lists it: where it went, or why it did not."""
    name = Path(outcome["source"]).name
    title = outcome["film_title"] or ""
    if outcome["status"] == "created":
        return _tr("%1: added with a new film “%2”").replace("%1", name).replace("%2", title)
    if outcome["status"] in STORED:
        return _tr("%1: attached to “%2”").replace("%1", name).replace("%2", title)
    if outcome["status"] == "already imported":
        return _tr("%1: already imported (“%2”)").replace("%1", name).replace("%2", title)
    return outcome["message"] or f"{outcome['source']}: {outcome['status']}"


def review_html(review: ReviewView) -> str:
    """A review as readable rich text: every piece of user text escaped (shown as typed)."""
    parts = [f"<h2>{html.escape(review.critic)}</h2>"]
    if review.outlet:
        parts.append(f"<p><i>{html.escape(review.outlet)}</i></p>")
    if review.standfirst:
        parts.append(f"<p><b>{html.escape(review.standfirst)}</b></p>")
    for heading, paragraphs in review.sections:
        if heading:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        parts.extend(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    parts.extend(f"<p><small>{html.escape(caption)}</small></p>" for caption in review.captions)
    return "\n".join(parts)


class ShortenQuoteDialog(QDialog):
    """Shorten a pull quote and approve it for print: the critic's original above, the printed form
    to edit below, and whether it keeps to the rule (words left out, cuts inside a sentence marked
    with …) said as you type. "Approve for print" is offered only for a text that keeps to it."""

    def __init__(self, quote: QuoteRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortenQuote")
        self.quote = quote
        self.setWindowTitle(self.tr("Approve a shortened quote"))
        original = QLabel(f"«{quote.original_text}» — {quote.critic}")
        original.setObjectName("originalQuote")
        original.setWordWrap(True)
        original.setTextFormat(Qt.TextFormat.PlainText)
        original.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.editor = QPlainTextEdit(quote.text)
        self.editor.setObjectName("shortenedText")
        self.editor.setFixedHeight(90)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.approve_button = self.buttons.addButton(self.tr("Approve for print"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        whole = self.buttons.addButton(self.tr("Use the whole quote"), QDialogButtonBox.ButtonRole.ResetRole)
        whole.clicked.connect(lambda: self.editor.setPlainText(quote.original_text))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The critic wrote:")))
        layout.addWidget(original)
        layout.addWidget(QLabel(self.tr("Print it as (leave words out; mark a cut inside a sentence with …):")))
        layout.addWidget(self.editor)
        layout.addWidget(self.verdict)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._check)
        self._check()
        self.resize(560, 0)

    def text(self) -> str:
        return " ".join(self.editor.toPlainText().split())

    def _check(self) -> None:
        problem = shortening_problem(self.quote.original_text, self.text())
        self.approve_button.setEnabled(problem is None)
        if problem is None:
            self.verdict.setStyleSheet("color: #2e7d32")
            self.verdict.setText(self.tr("The critic's words, with words left out: fine to print."))
        else:
            self.verdict.setStyleSheet("color: #c62828")
            self.verdict.setText(self.tr("Not a shortening of the original: %1.").replace("%1", problem))


_QUOTE_TEXT = Qt.ItemDataRole.UserRole + 1  # the quote's text as stored, to tell an edit from a tick


class ReviewsPanel(QWidget):
    """A film's reviews: one shown at a time (readable, with subheads), its pull quotes with an
    "approved for print" check box each, a quote shortened in place (double-click or F2) or
    through "Approve shortened…", and a button adding the selected text as a quote. A refused
    change is explained under the quotes."""

    changed = Signal(object)

    def __init__(self, database: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.film_id: int | None = None
        self.reviews: list[ReviewView] = []
        self.review_choice = QComboBox()
        self.review_choice.currentIndexChanged.connect(self._show_review)
        self.text = QTextBrowser()
        self.text.setObjectName("review_text")
        self.quotes = QListWidget()
        self.quotes.setObjectName("quotes")
        self.quotes.setWordWrap(True)  # a quote is a sentence or two: read it whole, not scrolled
        self.quotes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.quotes.setEditTriggers(QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed)
        self.quotes.setToolTip(self.tr("Double-click a quote (or press F2) to shorten it"))
        self.quotes.itemChanged.connect(self._quote_changed)
        self.quotes.currentItemChanged.connect(lambda *_: self._update_quote_buttons())
        self.quotes.currentItemChanged.connect(lambda *_: self.quote_message.clear())
        self.shorten_button = QPushButton(self.tr("Approve shortened…"))
        self.shorten_button.setObjectName("approveShortened")
        self.shorten_button.clicked.connect(self.shorten_current_quote)
        self.shorten_dialog: ShortenQuoteDialog | None = None
        self.quote_message = QLabel()
        self.quote_message.setObjectName("quoteMessage")
        self.quote_message.setWordWrap(True)
        self.quote_message.setStyleSheet("color: #c62828")
        self.add_quote_button = QPushButton(self.tr("Add selected text as a quote"))
        self.add_quote_button.clicked.connect(self.add_selected_quote)
        self.empty_label = QLabel(self.tr("No reviews of this film yet."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.review_choice)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.text, 3)
        layout.addWidget(QLabel(self.tr("Pull quotes (ticked: approved for print)")))
        layout.addWidget(self.quotes, 1)
        layout.addWidget(self.quote_message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.shorten_button)
        buttons.addWidget(self.add_quote_button)
        layout.addLayout(buttons)

    def set_film(self, film_id: int) -> None:
        self.film_id = film_id
        self.refresh()

    def refresh(self) -> None:
        if self.film_id is None:
            return
        self.show_reviews(film_reviews(self.database, self.film_id))

    def show_reviews(self, reviews: list[ReviewView], review_id: int | None = None) -> None:
        """Show `reviews` of the current film, keeping the review on screen (or `review_id`)."""
        shown = self.current_review()
        wanted = review_id if review_id is not None else (shown.id if shown else None)
        self.reviews = reviews
        self.review_choice.blockSignals(True)
        self.review_choice.clear()
        for review in self.reviews:
            self.review_choice.addItem(f"{review.critic}" + (f" — {review.outlet}" if review.outlet else ""))
        index = next((i for i, r in enumerate(self.reviews) if r.id == wanted), 0)
        self.review_choice.setCurrentIndex(index if self.reviews else -1)
        self.review_choice.blockSignals(False)
        self.empty_label.setVisible(not self.reviews)
        self.add_quote_button.setEnabled(bool(self.reviews))
        self._show_review()

    def current_review(self) -> ReviewView | None:
        index = self.review_choice.currentIndex()
        return self.reviews[index] if 0 <= index < len(self.reviews) else None

    def _show_review(self) -> None:
        review = self.current_review()
        self.text.setHtml(review_html(review) if review else "")
        self.quotes.blockSignals(True)
        self.quotes.clear()
        for quote in review.quotes if review else ():
            item = QListWidgetItem(quote.text)
            item.setData(Qt.ItemDataRole.UserRole, quote.id)
            item.setData(_QUOTE_TEXT, quote.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
            item.setCheckState(Qt.CheckState.Checked if quote.approved else Qt.CheckState.Unchecked)
            if quote.text != quote.original_text:
                item.setToolTip(self.tr("Shortened from: %1").replace("%1", quote.original_text))
            self.quotes.addItem(item)
        self.quotes.blockSignals(False)
        self._update_quote_buttons()

    def quote_row(self, quote_id: int) -> QuoteRow | None:
        review = self.current_review()
        return next((q for q in review.quotes if q.id == quote_id), None) if review else None

    def _update_quote_buttons(self) -> None:
        self.shorten_button.setEnabled(self.quotes.currentItem() is not None)

    def _quote_changed(self, item: QListWidgetItem) -> None:
        """A tick (approve / withdraw) or an edit of the text (shorten) on a quote. Acted on once the
        list has finished the edit: the action refreshes the list, which must not happen while
        the list is still writing the edited text into the item."""
        quote_id, shown = item.data(Qt.ItemDataRole.UserRole), item.data(_QUOTE_TEXT)
        text, approved = " ".join(item.text().split()), item.checkState() == Qt.CheckState.Checked
        QTimer.singleShot(0, lambda: self._apply_quote_change(quote_id, shown, text, approved))

    def _apply_quote_change(self, quote_id: int, shown: str, text: str, approved: bool) -> None:
        quote = self.quote_row(quote_id)
        if quote is None:
            return
        self.quote_message.clear()
        if text != shown:
            self._run(lambda database: shorten_quote(database, quote_id, text, expected_text=shown))
        elif approved != quote.approved:
            self._run(lambda database: approve_quote(database, quote_id, approved=approved))

    def shorten_current_quote(self) -> None:
        """Open "Approve shortened…" on the selected quote."""
        item = self.quotes.currentItem()
        quote = self.quote_row(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        if quote is None:
            return
        dialog = ShortenQuoteDialog(quote, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shorten_dialog = dialog

        def finished(result: int) -> None:
            self.shorten_dialog = None
            self.quote_message.clear()
            if result == QDialog.DialogCode.Accepted:
                text = dialog.text()
                self._run(lambda database: approve_quote(database, quote.id, text=text, expected_text=quote.text))

        dialog.finished.connect(finished)
        dialog.open()

    def add_selected_quote(self) -> None:
        review = self.current_review()
        # QTextCursor marks paragraph breaks with U+2029; a quote is one run of text.
        selected = self.text.textCursor().selectedText().replace("\u2029", " ").strip()
        if review is None:
            return
        if not selected:
            QMessageBox.information(self, "Add a quote", "Select a sentence of the review first.")
            return
        self._run(lambda database: add_quote(database, review.id, selected))

    def _run(self, action: Callable[[Database], Change]) -> None:
        try:
            change = action(self.database)
        except UserError as error:
            self._refused(str(error))
            return
        self.refresh()
        self.changed.emit(change)

    def _refused(self, message: str) -> None:
        """A refused quote change: say why under the quotes and show them as stored again."""
        self.refresh()
        self.quote_message.setText(message)


class CriticsList(QWidget):
    """Every critic on record: name, outlet, number of reviews and bio."""

    COLUMNS = ("Critic", "Outlet", "Reviews", "Bio")

    def __init__(self, database: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        if database is not None:
            self.refresh()

    def refresh(self) -> None:
        self.show_critics(list_critics(self.database))

    def show_critics(self, critics: list[CriticRow]) -> None:
        self.table.setRowCount(len(critics))
        for row, critic in enumerate(critics):
            values = (critic.name, critic.outlet, str(critic.reviews), critic.bio)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, critic.id)
                self.table.setItem(row, column, item)


# --- hosted in the desk -----------------------------------------------------------------------

REVIEW_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")


def record_change(context: DeskContext, change: Change) -> None:
    """Hand a change made outside `context.perform` (a dialog's import) to the desk, so that it is
    on the undo history when undoable and every view refreshes what it names."""
    context.perform(lambda _database: change)


@dataclass(frozen=True)
class ReviewRow:
    """One line of the Reviews area."""

    id: int
    film_id: int
    film: str
    critic: str
    outlet: str
    quotes: int
    approved: int
    imported_at: dt.datetime


def review_rows(database: Database) -> list[ReviewRow]:
    """Every review on record, newest import first, with its quote and approved-quote counts."""
    with database.reading() as session:
        counts = {review_id: (count, approved or 0) for review_id, count, approved in session.exec(
            select(PullQuote.review_id, func.count(), func.sum(case((PullQuote.approved.is_(True), 1), else_=0)))
            .group_by(PullQuote.review_id)).all()}
        rows = session.exec(
            select(Review.id, Review.film_id, Film.title, Critic.name, Critic.outlet, Review.imported_at)
            .join(Film, Film.id == Review.film_id).join(Critic, Critic.id == Review.critic_id)
            .order_by(Review.imported_at.desc(), Review.id.desc())).all()
    return [ReviewRow(review_id, film_id, title, critic, outlet or "", *counts.get(review_id, (0, 0)), imported_at)
            for review_id, film_id, title, critic, outlet, imported_at in rows]


class DeskReviewsPanel(ReviewsPanel):
    """The film page's Reviews tab: reads on the desk's task runner and approves or adds quotes
    through `context.perform`, so each is one undo step and every view refreshes."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(context.database, parent)
        self.setObjectName("filmReviews")
        self.context = context
        self._wanted_review: int | None = None
        context.changed.connect(self._on_change)
        context.database_changed.connect(lambda: self.show_film(None))

    def show_film(self, film_id: int | None, review_id: int | None = None) -> None:
        """Show the reviews of `film_id` (None: none), `review_id` first when given."""
        self.film_id = film_id
        self._wanted_review = review_id
        if film_id is None:
            self.show_reviews([])
        else:
            self.refresh()

    set_film = show_film

    def refresh(self) -> None:
        film_id = self.film_id
        if film_id is not None:
            self.context.read(lambda database: film_reviews(database, film_id),
                              lambda reviews: self._loaded(film_id, reviews))

    def _loaded(self, film_id: int, reviews: list[ReviewView]) -> None:
        if film_id == self.film_id:  # the page may have moved on while this was read
            self.show_reviews(reviews, self._wanted_review)
            self._wanted_review = None

    def _run(self, action: Callable[[Database], Change]) -> None:
        self.context.perform(action, on_error=self._refused, title="Pull quote")

    def _on_change(self, change: Change) -> None:
        if self.film_id is not None and (self.film_id in change.films
                                         or change.reviews & {review.id for review in self.reviews}):
            self.refresh()


class DeskCriticsList(CriticsList):
    """The Critics area: the critics list, read on the task runner and kept up to date."""

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self.context = context
        self.table.setObjectName("critics")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        title = QLabel(self.tr("Critics"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.count = QLabel()
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.count)
        self.layout().insertLayout(0, heading)
        context.changed.connect(lambda change: self.refresh() if change.critics or change.reviews else None)
        context.database_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.context.read(list_critics, self.show_critics)

    def show_critics(self, critics: list[CriticRow]) -> None:
        super().show_critics(critics)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count.setText(f"{len(critics)} critic{'s' if len(critics) != 1 else ''}")


class ReviewsArea(QSplitter):
    """The Reviews area: every review on record (newest first) with the selected one read beside
    it, its quotes approved there; importing review files or a pasted review starts here."""

    COLUMNS = ("Film", "Critic", "Outlet", "Quotes", "Approved", "Imported")

    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)
        self.context = context
        self.rows: list[ReviewRow] = []
        self.import_button = QPushButton(self.tr("Import review files…"))
        self.import_button.clicked.connect(self.choose_files)
        self.paste_button = QPushButton(self.tr("Paste a review"))
        self.paste_button.setToolTip(self.tr("Import the review text on the clipboard"))
        self.paste_button.clicked.connect(self.paste_review)
        self.count = QLabel()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("reviews")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.paste_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.table)
        self.panel = DeskReviewsPanel(context, self)
        self.addWidget(left)
        self.addWidget(self.panel)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setSizes([650, 450])
        context.changed.connect(lambda change: self.reload() if change.reviews or change.films else None)
        context.database_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.context.read(review_rows, self._show_rows)

    def _show_rows(self, rows: list[ReviewRow]) -> None:
        current = self.current_row()
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for row_number, row in enumerate(rows):
            values = (row.film, row.critic, row.outlet, str(row.quotes), str(row.approved),
                      row.imported_at.strftime("%Y-%m-%d"))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row_number, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count.setText(f"{len(rows)} review{'s' if len(rows) != 1 else ''}")
        keep = next((n for n, row in enumerate(rows) if current and row.id == current.id), 0 if rows else -1)
        self.table.setCurrentCell(keep, 0)
        self.table.blockSignals(False)
        if keep < 0:
            self.panel.show_film(None)
        elif current is None or rows[keep].id != current.id:
            self._row_chosen(keep)

    def current_row(self) -> ReviewRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.panel.show_film(self.rows[row].film_id, self.rows[row].id)

    def choose_files(self) -> None:
        choose_review_files(self.context, self)

    def paste_review(self) -> None:
        paste_review(self.context, self)


def choose_review_files(context: DeskContext, parent: QWidget) -> None:
    """Ask for review files and import them (`import_review_paths`)."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, _tr("Import reviews"), "", _tr("Reviews") + " (" + " ".join(f"*{s}" for s in REVIEW_SUFFIXES) + ")")
    if paths:
        import_review_paths(parent, context, paths)


def paste_review(context: DeskContext, parent: QWidget) -> None:
    """Open the import dialog on the review text the clipboard holds."""
    text = QApplication.clipboard().text()
    if context.database is None:
        return
    if not text.strip():
        QMessageBox.information(parent, "Paste a review", "Copy the review's text first: the clipboard is empty.")
        return
    try:
        dialog = review_import_dialog_for_text(context.database, text, parent)
    except UserError as error:
        QMessageBox.warning(parent, "Not a review", str(error))
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.changed.connect(lambda change: record_change(context, change))
    dialog.open()


def reviews_widget(context: DeskContext, parent: QWidget | None = None) -> QWidget:
    """The desk's Reviews area."""
    return ReviewsArea(context, parent)


def critics_widget(context: DeskContext, parent: QWidget | None = None) -> QWidget:
    """The desk's Critics area."""
    return DeskCriticsList(context, parent)


def film_reviews_panel(context: DeskContext, parent: QWidget | None = None) -> QWidget:
    """The film page's Reviews tab (the page calls its `show_film`)."""
    return DeskReviewsPanel(context, parent)
