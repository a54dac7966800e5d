"""Asking for a database password: the server refused the connection for want of one.

The password goes into the connection and, when the user agrees and there is a system keyring,
into the keyring; never into the settings, the Recent list or the status bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class PasswordDialog(QDialog):
    def __init__(self, parent: QWidget | None, where: str, *, keyring: bool) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(self.tr("Password for the festival database"))
        intro = QLabel(self.tr("The server at %1 asks for your password.").replace("%1", where), self)
        intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember it in the system keyring"), self)
        self.remember.setChecked(keyring)
        self.remember.setEnabled(keyring)
        if not keyring:
            self.remember.setToolTip(self.tr("There is no system keyring here: the password is asked again "
                                             "next time (or set PGPASSWORD, or keep it in ~/.pgpass)."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(self.remember)
        layout.addWidget(buttons)


def ask_password(parent: QWidget | None, where: str) -> tuple[str, bool] | None:
    """(password, remember it) or None when the user cancels."""
    from festival_desk.store.credentials import keyring_available

    dialog = PasswordDialog(parent, where, keyring=keyring_available())
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.password.text():
        return None
    return dialog.password.text(), dialog.remember.isChecked()
