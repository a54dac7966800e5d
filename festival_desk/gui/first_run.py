"""The first-run dialog (who is working, which database) and the Preferences dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from festival_desk.gui.desk import DeskContext
from festival_desk.gui.festival_files import choose_festival_file, choose_new_festival_file
from festival_desk.gui.settings import DeskSettings

DEMO = "demo:"


class FirstRunDialog(QDialog):
    """Asks for the programmer's name and the database: the demo festival, a new file, an existing
    file or a PostgreSQL URL. `choice()` gives (database spec, name); the spec is `DEMO`, a path
    or a URL."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "", message: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.setWindowTitle(self.tr("Welcome to Festival Desk"))
        intro = QLabel(self.tr("Every rating and note is someone's: tell the desk who you are, "
                               "then choose the festival database to work on."), self)
        intro.setWordWrap(True)
        self.error = QLabel(message, self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setVisible(bool(message))
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("programmerName")
        self.name_edit.setPlaceholderText(self.tr("Your name, e.g. Maja Kovač"))
        form = QFormLayout()
        form.addRow(self.tr("&Your name"), self.name_edit)

        box = QGroupBox(self.tr("Database"), self)
        grid = QGridLayout(box)
        self.demo_radio = QRadioButton(self.tr("The &demo festival (to try things out)"), box)
        self.new_radio = QRadioButton(self.tr("A &new festival file"), box)
        self.open_radio = QRadioButton(self.tr("An &existing festival file"), box)
        self.url_radio = QRadioButton(self.tr("A shared &PostgreSQL database"), box)
        self.new_path = QLineEdit(box)
        self.open_path = QLineEdit(box)
        self.url_edit = QLineEdit(box)
        self.url_edit.setPlaceholderText("postgresql://user@host/festival")
        new_browse = QPushButton(self.tr("Choose…"), box)
        new_browse.clicked.connect(self._choose_new)
        open_browse = QPushButton(self.tr("Choose…"), box)
        open_browse.clicked.connect(self._choose_existing)
        self._group = QButtonGroup(self)
        for row, (radio, field, button) in enumerate(((self.demo_radio, None, None),
                                                      (self.new_radio, self.new_path, new_browse),
                                                      (self.open_radio, self.open_path, open_browse),
                                                      (self.url_radio, self.url_edit, None))):
            self._group.addButton(radio)
            grid.addWidget(radio, row, 0)
            if field is not None:
                grid.addWidget(field, row, 1)
                field.textEdited.connect(lambda _text, choice=radio: choice.setChecked(True))
                field.textChanged.connect(self._validate)
            if button is not None:
                grid.addWidget(button, row, 2)
        self.demo_radio.setChecked(True)
        self._group.buttonToggled.connect(self._validate)
        self.name_edit.textChanged.connect(self._validate)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open the Desk"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(self.buttons)
        self.resize(560, 0)
        self._validate()

    def _choose_new(self) -> None:
        path = choose_new_festival_file(self, self.tr("New festival file"))
        if path:
            self.new_path.setText(path)
            self.new_radio.setChecked(True)

    def _choose_existing(self) -> None:
        path = choose_festival_file(self, self.tr("Open a festival file"))
        if path:
            self.open_path.setText(path)
            self.open_radio.setChecked(True)

    @property
    def creates(self) -> bool:
        """True when the choice is a new festival file (made at the path chosen)."""
        return self.new_radio.isChecked()

    def choice(self) -> tuple[str, str]:
        if self.new_radio.isChecked():
            spec = self.new_path.text().strip()
        elif self.open_radio.isChecked():
            spec = self.open_path.text().strip()
        elif self.url_radio.isChecked():
            spec = self.url_edit.text().strip()
        else:
            spec = DEMO
        return spec, " ".join(self.name_edit.text().split())

    def _validate(self, *_args: object) -> None:
        spec, name = self.choice()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(spec and name))


class PreferencesDialog(QDialog):
    """Who is working at this desk, and the colour theme. With `asking`, it is the question a desk
    opened without a programmer puts first (e.g. `festival-desk --demo` on a new machine)."""

    def __init__(self, context: DeskContext, settings: DeskSettings, parent: QWidget | None = None, *,
                 asking: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle(self.tr("Who is working?") if asking else self.tr("Preferences"))
        self._context = context
        self._settings = settings
        self.name_combo = QComboBox(self)
        self.name_combo.setEditable(True)
        self.name_combo.setObjectName("programmerChoice")
        self.theme_combo = QComboBox(self)
        for value, text in (("system", self.tr("Follow the system")), ("light", self.tr("Light")),
                            ("dark", self.tr("Dark"))):
            self.theme_combo.addItem(text, value)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(settings.theme)))
        form = QFormLayout()
        form.addRow(self.tr("&Programmer"), self.name_combo)
        form.addRow(self.tr("&Theme"), self.theme_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if asking:  # the question needs an answer
            ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setEnabled(False)
            self.name_combo.editTextChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
            intro = QLabel(self.tr("Every rating and note is someone's: choose your name from the committee "
                                   "(change it later in Preferences)."), self)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.name_combo.setEditText(context.programmer_name or "")
        # The committee as soon as the database is open: while the demo is being written, the
        # names it is writing; and again whenever something changes (the demo done, a member added).
        self._fill_names([])
        self._read_names()
        context.changed.connect(self._read_names)

    def _read_names(self, *_args: object) -> None:
        from festival_desk.gui.film_query import programmers

        self._context.read(programmers, self._fill_names)

    def _fill_names(self, names: list[tuple[int, str]]) -> None:
        listed = [name for _, name in names] or list(self._context.committee_hint)
        if listed == [self.name_combo.itemText(row) for row in range(self.name_combo.count())]:
            return
        current = self.name_combo.currentText()
        self.name_combo.clear()
        self.name_combo.addItems(listed)
        self.name_combo.setEditText(current)

    def accept(self) -> None:
        from festival_desk.gui.theme import apply_theme
        from PySide6.QtWidgets import QApplication

        theme = self.theme_combo.currentData()
        if theme != self._settings.theme:
            self._settings.theme = theme
            apply_theme(QApplication.instance(), theme)
        name = " ".join(self.name_combo.currentText().split())
        if name and name != self._context.programmer_name:
            self._settings.programmer = name
            self._context.take_programmer(name)
        super().accept()
