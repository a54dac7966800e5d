"""The shortlist sheet for a selection meeting: films grouped by section, each with its mean score,
spread, number of ratings and excerpts of the programmers' notes.

Rendered from a plain snapshot (`ShortlistSheet`), never from a database session; all user text
goes through `styles.markup`, so titles and notes print exactly as typed in any script the
shipped font covers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from festival_desk.printing.fonts import register_fonts
from festival_desk.printing.text import Para, draw_line
from festival_desk.printing.styles import PAPER_TINT, RULE, make_styles, markup, parse_colour

EXCERPT_CHARACTERS = 220


@dataclass(frozen=True)
class ShortlistNote:
    programmer: str
    text: str


@dataclass(frozen=True)
class ShortlistFilm:
    film_id: int
    title: str
    original_title: str | None = None
    directors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    year: int | None = None
    runtime_minutes: int | None = None
    status: str = ""
    mean: float | None = None
    spread: float | None = None
    count: int = 0
    notes: tuple[ShortlistNote, ...] = ()


@dataclass(frozen=True)
class ShortlistSection:
    name: str  # "No section" for films not yet placed
    colour: str = "#555555"
    films: tuple[ShortlistFilm, ...] = ()


@dataclass(frozen=True)
class ShortlistSheet:
    festival: str
    subtitle: str  # e.g. "Shortlisted films — 12 March 2025"
    sections: tuple[ShortlistSection, ...] = field(default_factory=tuple)


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """`text` on one line, cut at a word boundary before `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:.") + "…"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _film_block(film: ShortlistFilm, styles, width: float) -> KeepTogether:
    facts = [", ".join(film.directors), ", ".join(film.countries),
             str(film.year) if film.year else "", f"{film.runtime_minutes} min" if film.runtime_minutes else ""]
    left = [Para(markup(film.title), styles["programme_film"])]
    if film.original_title and film.original_title != film.title:
        left.append(Para(markup(film.original_title), styles["original_title"]))
    left.append(Para(markup(" · ".join(fact for fact in facts if fact)), styles["meta"]))
    number = ParagraphStyle("number", parent=styles["body"], alignment=TA_RIGHT)
    numbers = [[Para(f"<b>{_score(film.mean)}</b>", number), Para(_score(film.spread), number),
                Para(str(film.count), number)]]
    table = Table([[left, *numbers[0]]], colWidths=[width - 48 * mm, 16 * mm, 16 * mm, 16 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles["body"].fontName),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    parts = [table]
    for note in film.notes:
        parts.append(Para(f"<b>{markup(note.programmer)}</b>: {markup(excerpt(note.text))}",
                               styles["small"]))
    parts.append(Spacer(1, 2 * mm))
    return KeepTogether(parts)


def _header_row(styles, width: float) -> Table:
    label = ParagraphStyle("number_label", parent=styles["muted"], alignment=TA_RIGHT)
    cells = [[Para("Film", styles["muted"]), Para("Mean", label),
              Para("Spread", label), Para("Ratings", label)]]
    table = Table(cells, colWidths=[width - 48 * mm, 16 * mm, 16 * mm, 16 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles["body"].fontName),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    return table


def render_shortlist(sheet: ShortlistSheet) -> bytes:
    """The sheet as PDF bytes (A4 portrait, page numbers in the footer)."""
    fonts = register_fonts()
    styles = make_styles(base_size=9)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=f"Shortlist – {sheet.festival}",
                                 initialFontName=fonts.regular)
    width = document.width

    def footer(canvas, doc) -> None:
        footer_style = styles["running_head"]
        draw_line(canvas, doc.leftMargin, 9 * mm, f"{sheet.festival} · {sheet.subtitle}", footer_style,
                  max_width=doc.width - 20 * mm)
        draw_line(canvas, doc.leftMargin + doc.width, 9 * mm, f"Page {doc.page}", footer_style, align="right")

    story = [Para(markup(sheet.festival), styles["heading"]),
             Para(markup(sheet.subtitle), styles["meta"]), Spacer(1, 4 * mm)]
    if not any(section.films for section in sheet.sections):
        story.append(Para("No films match this sheet.", styles["body"]))
    for section in sheet.sections:
        if not section.films:
            continue
        bar = Table([[Para(f"{markup(section.name)} ({len(section.films)})", styles["subheading"])]],
                    colWidths=[width])
        bar.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles["body"].fontName),
                                 ("LINEBEFORE", (0, 0), (0, 0), 4, parse_colour(section.colour)),
                                 ("LEFTPADDING", (0, 0), (0, 0), 6),
                                 ("BACKGROUND", (0, 0), (-1, -1), PAPER_TINT)]))
        story += [bar, Spacer(1, 1.5 * mm), _header_row(styles, width), Spacer(1, 1.5 * mm)]
        story += [_film_block(film, styles, width) for film in section.films]
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
