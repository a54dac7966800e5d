"""Errors that are the user's to fix, with a message fit to show as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an impossible request. The message names the file, line or field at fault and
    is shown to the user as one line (CLI: stderr and exit 1; GUI: a message box)."""


class Cancelled(Exception):
    """Raised by a progress callback (or a check of a cancel flag) to stop long work. Work that is
    cancelled leaves nothing half-written: its transaction is rolled back."""
