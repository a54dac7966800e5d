"""FilmFreeway's festival-side submissions export (see shared/formats/filmfreeway.md)."""

from __future__ import annotations

from pathlib import Path

from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.importers.submissions.fields import (
    FILMFREEWAY_HEADERS,
    build_records,
    custom_question_pairs,
    header_key,
)
from festival_desk.importers.submissions.records import ReadResult
from festival_desk.importers.submissions.table import Table, read_table

SOURCE = "filmfreeway"


def filmfreeway_columns(table: Table) -> dict[str, int]:
    """{field: column} found by header name in any order; raises UserError when the file has none
    of FilmFreeway's headers, or lacks Project Title or Submission ID (the re-import key)."""
    by_key = {header_key(header): index for index, header in reversed(list(enumerate(table.headers)))}
    columns = {name: by_key[header_key(header)]
               for name, header in FILMFREEWAY_HEADERS.items() if header_key(header) in by_key}
    if not columns:
        raise UserError(
            f"{table.path}: none of the FilmFreeway export headers were found (expected e.g. "
            f"\"Project Title\", \"Submission ID\", \"Directors\", \"Duration\"); for another source "
            f"use a mapped import with a column mapping")
    for required in ("title", "submission_id"):
        if required not in columns:
            raise UserError(f"{table.path}: no \"{FILMFREEWAY_HEADERS[required]}\" column; a FilmFreeway "
                            f"export needs it (headers found: {', '.join(table.headers[:8])}…)")
    return columns


def read_filmfreeway(path: str | Path, progress: Progress = no_progress) -> ReadResult:
    """Read a FilmFreeway export (CSV in any of its encodings, or XLSX) into records.

    Raises UserError for a file that is not CSV/XLSX or not a FilmFreeway export.
    """
    table = read_table(path)
    columns = filmfreeway_columns(table)
    return build_records(table, columns, SOURCE, question_pairs=custom_question_pairs(table.headers),
                         progress=progress)
