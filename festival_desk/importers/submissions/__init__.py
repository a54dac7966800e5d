"""Reading submission exports (FilmFreeway, or any CSV/XLSX through a column mapping) into plain
records. Nothing here touches the database: `actions.submissions` writes the records."""

from festival_desk.importers.submissions.fields import MAPPABLE_FIELDS
from festival_desk.importers.submissions.filmfreeway import SOURCE as FILMFREEWAY_SOURCE
from festival_desk.importers.submissions.filmfreeway import read_filmfreeway
from festival_desk.importers.submissions.mapped import (
    ColumnMapping,
    load_mapping,
    mapping_from_json,
    read_mapped,
)
from festival_desk.importers.submissions.records import Coded, ReadResult, RejectedRow, SubmissionRecord
from festival_desk.importers.submissions.table import Table, read_table

__all__ = [
    "FILMFREEWAY_SOURCE", "MAPPABLE_FIELDS", "Coded", "ColumnMapping", "ReadResult", "RejectedRow",
    "SubmissionRecord", "Table", "load_mapping", "mapping_from_json", "read_filmfreeway",
    "read_mapped", "read_table",
]
