"""The booklet's options: paper, margins, bleed, sections, fields, order and label language.

Options are checked as a whole (`BookletOptions.validate`) before any work starts, so an impossible
request is refused with a message naming the option, never half-built.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm

from festival_desk.core.errors import UserError
from festival_desk.printing.labels import LANGUAGES

PAPER_SIZES_PT = {"a5": A5, "a4": A4, "letter": LETTER}
PAPERS = (*PAPER_SIZES_PT, "custom")

# Everything an entry can show; `fields` picks a subset.
ALL_FIELDS = ("still", "original_title", "directors", "countries", "year", "runtime", "languages",
              "premiere", "synopsis", "quote", "screenings", "credits")
SORT_ORDERS = ("running", "title", "screening")  # programmers' order, sort title, first screening
MAX_BLEED_MM = 10.0
MIN_PAGE_MM = 90.0
MIN_TEXT_WIDTH_MM = 50.0


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres; inner is the binding side (left on right-hand pages)."""

    top: float = 14.0
    bottom: float = 16.0
    inner: float = 15.0
    outer: float = 12.0


@dataclass(frozen=True)
class BookletOptions:
    paper: str = "a5"
    custom_size_mm: tuple[float, float] | None = None  # (width, height) for paper "custom"
    margins: Margins = field(default_factory=Margins)
    bleed_mm: float = 3.0
    crop_marks: bool = False
    sections: tuple[str, ...] | None = None  # section codes to print; None: all
    fields: tuple[str, ...] = ALL_FIELDS
    sort: str = "running"
    language: str = "en"
    public_schedule_only: bool = False  # leave press, industry and school screenings out of the grid
    press: bool = False  # the print shop's file: CMYK, PDF/X-4, no links (see printing.press)

    def validate(self) -> BookletOptions:
        """Return self, or raise UserError naming the first impossible option."""
        if self.paper not in PAPERS:
            raise UserError(f"paper: unknown paper {self.paper!r}; choose one of {', '.join(PAPERS)}")
        if self.paper == "custom":
            if not self.custom_size_mm or len(self.custom_size_mm) != 2:
                raise UserError("paper: a custom paper needs a width and height in mm")
            if min(self.custom_size_mm) < MIN_PAGE_MM:
                raise UserError(f"paper: a custom page must be at least {MIN_PAGE_MM:g} mm on each side")
        if not 0 <= self.bleed_mm <= MAX_BLEED_MM:
            raise UserError(f"bleed: {self.bleed_mm:g} mm is impossible; give 0 to {MAX_BLEED_MM:g} mm")
        for name in ("top", "bottom", "inner", "outer"):
            value = getattr(self.margins, name)
            if value < 0:
                raise UserError(f"margins: the {name} margin cannot be negative ({value:g} mm)")
        width_mm, height_mm = (size / mm for size in self.trim_size_pt)
        if width_mm - self.margins.inner - self.margins.outer < MIN_TEXT_WIDTH_MM or \
                height_mm - self.margins.top - self.margins.bottom < MIN_TEXT_WIDTH_MM:
            raise UserError("margins: the margins leave too little room for text on this paper")
        unknown = [name for name in self.fields if name not in ALL_FIELDS]
        if unknown:
            raise UserError(f"fields: unknown field {unknown[0]!r}; choose from {', '.join(ALL_FIELDS)}")
        if self.sort not in SORT_ORDERS:
            raise UserError(f"sort: unknown order {self.sort!r}; choose one of {', '.join(SORT_ORDERS)}")
        if self.language not in LANGUAGES:
            raise UserError(f"language: unknown label language {self.language!r}; "
                            f"choose one of {', '.join(LANGUAGES)}")
        return self

    @property
    def trim_size_pt(self) -> tuple[float, float]:
        if self.paper == "custom" and self.custom_size_mm:
            return (self.custom_size_mm[0] * mm, self.custom_size_mm[1] * mm)
        return PAPER_SIZES_PT.get(self.paper, A5)

    def shows(self, field_name: str) -> bool:
        return field_name in self.fields

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BookletOptions:
        """Options from saved JSON; keys this version does not know are ignored."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if isinstance(values.get("margins"), dict):
            values["margins"] = Margins(**{k: float(v) for k, v in values["margins"].items()
                                           if k in {"top", "bottom", "inner", "outer"}})
        for key in ("sections", "fields", "custom_size_mm"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        return replace(cls(), **values)
