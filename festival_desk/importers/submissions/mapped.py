"""Any other intake (Eventival, a festival's own web form) through a column mapping.

A mapping is JSON: `{"source": "webform", "columns": {"title": "Film title", "submission_id": "Entry
no.", "directors": "Director(s)", "runtime": "Length"}}` — each field (see `MAPPABLE_FIELDS`) names
the header of the column that fills it. `source` names the intake: a later file of the same source
updates the films it brought in. `title` and `submission_id` must be mapped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.importers.submissions.fields import MAPPABLE_FIELDS, build_records, header_key
from festival_desk.importers.submissions.records import ReadResult
from festival_desk.importers.submissions.table import Table, read_table

REQUIRED_FIELDS = ("title", "submission_id")


@dataclass
class ColumnMapping:
    source: str
    columns: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"source": self.source, "columns": dict(self.columns)}


def mapping_from_json(data: object, where: str) -> ColumnMapping:
    """A ColumnMapping from parsed JSON; `where` names the file (or preset) in error messages."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise UserError(f"{where}: a column mapping is a JSON object with \"source\" and \"columns\" "
                        f"({{field: header}})")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise UserError(f"{where}: \"source\" must name the intake (e.g. \"webform\")")
    columns: dict[str, str] = {}
    for name, header in data["columns"].items():
        if name not in MAPPABLE_FIELDS:
            raise UserError(f"{where}: unknown field {name!r}; fields are: {', '.join(MAPPABLE_FIELDS)}")
        if not isinstance(header, str) or not header.strip():
            raise UserError(f"{where}: field {name!r} must name a column header")
        columns[name] = header
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        raise UserError(f"{where}: the mapping must give a column for {', '.join(missing)}")
    return ColumnMapping(source=source.strip(), columns=columns)


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a mapping file; UserError naming the file on bad JSON or an unknown field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such mapping file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not a JSON column mapping ({error})") from None
    return mapping_from_json(data, str(path))


def mapped_columns(table: Table, mapping: ColumnMapping) -> dict[str, int]:
    """{field: column} for `table`; UserError naming each mapped header the file lacks."""
    by_key = {header_key(header): index for index, header in reversed(list(enumerate(table.headers)))}
    missing = [header for header in mapping.columns.values() if header_key(header) not in by_key]
    if missing:
        raise UserError(f"{table.path}: no column headed {', '.join(repr(h) for h in missing)} "
                        f"(the mapping for {mapping.source!r} expects it; headers found: "
                        f"{', '.join(table.headers)})")
    return {name: by_key[header_key(header)] for name, header in mapping.columns.items()}


def read_mapped(path: str | Path, mapping: ColumnMapping, progress: Progress = no_progress) -> ReadResult:
    """Read a CSV/XLSX file through `mapping`; same cleaning and rejections as FilmFreeway."""
    table = read_table(path)
    return build_records(table, mapped_columns(table, mapping), mapping.source, progress=progress)
