"""The fields a submission row can fill, how each cell is read, and FilmFreeway's header names.

Both the FilmFreeway import and the mapped import resolve a header row to {field: column} and
then share `build_records`, so that every source gets the same cleaning, codes and rejections.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from festival_desk.core.codes import country_code, language_code, split_coded_list
from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import fold_words
from festival_desk.importers.submissions.records import Coded, ReadResult, RejectedRow, SubmissionRecord
from festival_desk.importers.submissions.table import Table
from festival_desk.importers.submissions.values import (
    UnreadableValue,
    clean,
    duration_minutes,
    parse_date,
    split_list,
    split_names,
    unquote_title,
)

TEXT_FIELDS = (
    "tracking_number", "original_title", "synopsis", "synopsis_original", "project_type",
    "submission_status", "judging_status", "submission_link", "submission_password", "trailer_url",
    "website", "contact_email", "contact_phone", "submitter_statement", "submitter_biography",
    "source_rating", "source_flag", "source_notes",
)
NAME_FIELDS = ("directors", "writers", "producers", "key_cast")
LIST_FIELDS = ("genres", "categories")
COUNTRY_FIELDS = ("countries", "filming_countries")

# Every field a mapping may name (besides these, contact_first_name/contact_last_name are joined
# into contact_name, and "year" may be mapped on its own when there is no completion date).
MAPPABLE_FIELDS: tuple[str, ...] = (
    "submission_id", "title", *TEXT_FIELDS, *NAME_FIELDS, *LIST_FIELDS, *COUNTRY_FIELDS,
    "languages", "runtime", "completion_date", "year", "submission_date",
    "contact_first_name", "contact_last_name", "contact_name",
)

# FilmFreeway's header for each field; matching ignores case, accents and punctuation.
FILMFREEWAY_HEADERS: dict[str, str] = {
    "submission_id": "Submission ID",
    "tracking_number": "Tracking Number",
    "title": "Project Title",
    "original_title": "Project Title (Original Language)",
    "synopsis": "Synopsis",
    "synopsis_original": "Synopsis (Original Language)",
    "runtime": "Duration",
    "countries": "Country of Origin",
    "filming_countries": "Country of Filming",
    "languages": "Language",
    "trailer_url": "Trailer URL",
    "website": "Project Website",
    "project_type": "Project Type",
    "genres": "Genres",
    "completion_date": "Completion Date",
    "directors": "Directors",
    "writers": "Writers",
    "producers": "Producers",
    "key_cast": "Key Cast",
    "submitter_statement": "Submitter Statement",
    "submitter_biography": "Submitter Biography",
    "source_rating": "Rating",
    "source_flag": "Flag",
    "submission_date": "Submission Date",
    "submission_status": "Submission Status",
    "judging_status": "Judging Status",
    "categories": "Submission Categories",
    "submission_link": "Submission Link",
    "submission_password": "Submission Password",
    "source_notes": "Submission Notes",
    "contact_first_name": "First Name",
    "contact_last_name": "Last Name",
    "contact_email": "Email",
    "contact_phone": "Phone",
}

_CUSTOM_FIELD = re.compile(r"^submission custom field (\d+)$")
_CUSTOM_ANSWER = re.compile(r"^submission custom answer (\d+)$")


def header_key(header: str) -> str:
    return fold_words(header)


def custom_question_pairs(headers: list[str]) -> list[tuple[int, int]]:
    """(question column, answer column) of FilmFreeway's numbered custom-question pairs."""
    questions: dict[str, int] = {}
    answers: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if match := _CUSTOM_FIELD.match(key):
            questions[match.group(1)] = index
        elif match := _CUSTOM_ANSWER.match(key):
            answers[match.group(1)] = index
    return [(questions[n], answers[n]) for n in sorted(questions, key=int) if n in answers]


# Country and language cells repeat across thousands of rows: each distinct cell is split and
# looked up once (Coded is frozen, so rows may share the values).
@functools.lru_cache(maxsize=4096)
def _coded(cell: str, lookup: Callable[[str], str | None]) -> tuple[Coded, ...]:
    return tuple(Coded(text, code) for text, code in split_coded_list(clean(cell), lookup))


# People named in credits and countries and languages listed, over a whole import: each becomes a
# row of its own (and a person), so that this, not the file's size, is what an import's memory and
# time follow. A call of 25,000 films names some 190,000 (bench_import's export: one or two
# directors, a writer, two of the cast, one or two countries and languages each).
MAX_LIST_ENTRIES = 200_000

_parse_date = functools.lru_cache(maxsize=4096)(parse_date)
_duration_minutes = functools.lru_cache(maxsize=4096)(duration_minutes)


def build_records(
    table: Table,
    columns: dict[str, int],
    source: str,
    *,
    question_pairs: list[tuple[int, int]] = (),
    progress: Progress = no_progress,
) -> ReadResult:
    """Read every row of `table` through `columns` ({field: column index}), consuming
    `table.rows` (emptied: each row's cells are let go once its record is made, so that the cells
    and the records of a large file are not all held at once).

    A row is rejected (with its line and a reason) when it could not be read as a row (see
    `Table.rejected`), has no title (nor original title), no
    submission ID, an unreadable duration, or repeats a submission ID seen earlier in the
    file; the other rows are kept. Columns not used by a field go to `extra` under their header.
    """
    used = set(columns.values()) | {index for pair in question_pairs for index in pair}
    extra_columns = [(index, header) for index, header in enumerate(table.headers)
                     if index not in used and header]
    records: list[SubmissionRecord] = []
    rejected: list[RejectedRow] = []
    first_line_of: dict[str, int] = {}
    entries = 0
    total = len(table.rows)
    rows, table.rows = table.rows, []
    rows.reverse()  # popped from the end, in file order
    done = -1
    while rows:
        line, cells = rows.pop()
        done += 1
        if done % 1000 == 0:
            progress(done, total, "Reading rows")
        try:
            record = _record(line, cells, columns, table.headers)
        except UnreadableValue as error:
            rejected.append(RejectedRow(line, str(error)))
            continue
        if not record.title:
            rejected.append(RejectedRow(line, "no title (Project Title is empty)"))
            continue
        if not record.submission_id:
            rejected.append(RejectedRow(line, "no Submission ID"))
            continue
        if record.submission_id in first_line_of:
            first = first_line_of[record.submission_id]
            rejected.append(RejectedRow(line, f"Submission ID {record.submission_id} repeats line {first}"))
            continue
        first_line_of[record.submission_id] = line
        entries += sum(len(getattr(record, name)) for name in (*NAME_FIELDS, *COUNTRY_FIELDS, "languages"))
        if entries > MAX_LIST_ENTRIES:
            raise UserError(f"{table.path}: its rows name more than {MAX_LIST_ENTRIES:,} people, countries and "
                            f"languages (by line {line}); Festival Desk imports up to {MAX_LIST_ENTRIES:,} at a "
                            "time: split the file")
        for question_index, answer_index in question_pairs:
            question, answer = clean(cells[question_index]), clean(cells[answer_index])
            if question and answer:
                record.extra[question] = answer
        for index, header in extra_columns:
            value = clean(cells[index])
            if value:
                record.extra[header] = value
        records.append(record)
    progress(total, total, "Reading rows")
    if table.rejected:
        rejected = sorted([*table.rejected, *rejected], key=lambda row: row.line)
    return ReadResult(source=source, path=str(table.path), records=records, rejected=rejected,
                      encoding=table.encoding)


def _record(line: int, cells: list[str], columns: dict[str, int], headers: list[str]) -> SubmissionRecord:
    # Only non-empty cleaned cells are kept, so that empty ones cost nothing below (this runs for
    # every row of exports with tens of thousands of rows).
    texts: dict[str, str] = {}
    for name, index in columns.items():
        text = clean(cells[index])
        if text:
            texts[name] = text
    cell = texts.get

    title = unquote_title(cell("title", ""))
    original_title = unquote_title(cell("original_title", "")) or None
    values: dict = {name: texts[name] for name in TEXT_FIELDS if name in texts}
    values["original_title"] = original_title
    values.update((name, split_names(texts[name])) for name in NAME_FIELDS if name in texts)
    values.update((name, split_list(texts[name])) for name in LIST_FIELDS if name in texts)
    values.update((name, list(_coded(texts[name], country_code))) for name in COUNTRY_FIELDS if name in texts)
    if "languages" in texts:
        values["languages"] = list(_coded(texts["languages"], language_code))
    if "runtime" in texts:
        values["runtime_minutes"] = _duration_minutes(texts["runtime"])
    record = SubmissionRecord(line=line, submission_id=cell("submission_id", ""),
                              title=title or (original_title or ""), **values)
    # A date nobody can read is no reason to lose a film: its text is kept under its header.
    for name in ("completion_date", "year", "submission_date"):
        if name not in texts:
            continue
        try:
            day, year = _parse_date(texts[name])
        except UnreadableValue:
            record.extra[headers[columns[name]]] = texts[name]
            continue
        if name == "submission_date":
            record.submission_date = day
        elif name == "completion_date":
            record.completion_date, record.year = day, year
        elif record.year is None:
            record.year = year
    full_name = " ".join(part for part in (cell("contact_first_name"), cell("contact_last_name")) if part)
    record.contact_name = cell("contact_name") or full_name or None
    return record
