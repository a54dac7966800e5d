"""The plain records an import produces: one per accepted row, one rejection per refused row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Coded:
    """A country or language as typed (`text`) and its ISO code, or None where no code fits."""

    text: str
    code: str | None


@dataclass
class SubmissionRecord:
    """One submission as read from a row. Text is as typed (trimmed); lists keep the file's order.

    `extra` holds every other non-empty column by its header, and each custom form question by
    its question text (FilmFreeway's "Submission Custom Field N / Answer N" pairs).
    """

    line: int
    submission_id: str
    title: str
    tracking_number: str | None = None
    original_title: str | None = None
    synopsis: str | None = None
    synopsis_original: str | None = None
    runtime_minutes: int | None = None
    completion_date: dt.date | None = None
    year: int | None = None
    directors: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    producers: list[str] = field(default_factory=list)
    key_cast: list[str] = field(default_factory=list)
    countries: list[Coded] = field(default_factory=list)
    filming_countries: list[Coded] = field(default_factory=list)
    languages: list[Coded] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    project_type: str | None = None
    submission_date: dt.date | None = None
    submission_status: str | None = None
    judging_status: str | None = None
    submission_link: str | None = None
    submission_password: str | None = None
    trailer_url: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    submitter_statement: str | None = None
    submitter_biography: str | None = None
    source_rating: str | None = None
    source_flag: str | None = None
    source_notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def extra_fields(self) -> dict[str, str]:
        """`extra` plus the read values that have no film field of their own, as text under
        their FilmFreeway header names, for keeping on the film."""
        kept = dict(self.extra)
        for name, label in _EXTRA_LABELS.items():
            value = getattr(self, name)
            if not value:
                continue
            if isinstance(value, list):
                value = ", ".join([item.text for item in value] if isinstance(value[0], Coded) else value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            kept[label] = value
        return kept

    @property
    def country_codes(self) -> list[str]:
        return [country.code for country in self.countries if country.code]

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages if language.code]


_EXTRA_LABELS = {
    "synopsis_original": "Synopsis (Original Language)", "genres": "Genres",
    "categories": "Submission Categories", "project_type": "Project Type",
    "completion_date": "Completion Date", "submission_date": "Submission Date",
    "filming_countries": "Country of Filming", "trailer_url": "Trailer URL", "website": "Project Website",
    "contact_name": "Submitter", "contact_email": "Email", "contact_phone": "Phone",
    "submitter_statement": "Submitter Statement", "submitter_biography": "Submitter Biography",
    "source_rating": "Rating", "source_flag": "Flag", "source_notes": "Submission Notes",
}


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


@dataclass
class ReadResult:
    """What one file gave: accepted records and rejected rows, both in file order."""

    source: str
    path: str
    records: list[SubmissionRecord]
    rejected: list[RejectedRow]
    encoding: str | None = None
