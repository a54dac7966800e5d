"""Errors that are the user's to fix, with a message fit to show as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an impossible request. The message names the file, line or field at fault and
    is shown to the user as one line (CLI: stderr and exit 1; GUI: a message box)."""


class Cancelled(Exception):
    """Raised by a progress callback (or a check of a cancel flag) to stop long work. Work that is
    cancelled leaves nothing half-written: its transaction is rolled back."""


class ConflictError(UserError):
    """A save refused because a colleague changed the same record after it was read: nothing was
    written. The message names who changed what and when; `kind` and `record_id` name the record,
    `who` and `at` the colleague's change when known."""

    def __init__(self, message: str, *, kind: str = "", record_id: object = None, who: str = "",
                 at: object = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.record_id = record_id
        self.who = who
        self.at = at
