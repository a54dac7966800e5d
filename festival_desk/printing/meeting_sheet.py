"""The one-page record of a selection meeting: who was present, and each decision with the figures
the committee saw (rank, weighted mean, spread, ratings, viewers, recused programmers).

Rendered from a plain snapshot (`MeetingSheet`), never from a session, with the shared fonts and
styles; all user text goes through `styles.markup` into `text.Para` (every shipped script prints). The page is one A4 page whatever the number
of decisions: the type shrinks down to a floor, and past that the last rows give way to a line
saying how many more decisions the desk holds. Nothing here carries a screener password.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from festival_desk.printing.fonts import register_fonts
from festival_desk.printing.styles import ACCENT, MUTED, PAPER_TINT, RULE, make_styles, markup
from festival_desk.printing.text import Para

SIZES = (9.0, 8.0, 7.0, 6.2)  # base sizes tried, largest first, until the decisions fit


@dataclass(frozen=True)
class SheetDecision:
    rank: int
    title: str
    directors: tuple[str, ...]
    decision: str  # "Shortlisted", "Selected", "Declined", "Discuss again"
    mean: float | None
    spread: float | None
    ratings: int
    viewers: int
    recused: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingSheet:
    festival: str
    title: str
    date: str
    chair: str
    present: tuple[str, ...]
    agenda: str
    agenda_films: int
    decisions: tuple[SheetDecision, ...] = field(default_factory=tuple)


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(sheet: MeetingSheet, decisions: tuple[SheetDecision, ...], styles, width: float) -> Table:
    right = ParagraphStyle("number", parent=styles["small"], alignment=TA_RIGHT)
    head_right = ParagraphStyle("head_number", parent=styles["muted"], alignment=TA_RIGHT)
    rows = [[Para("#", head_right), Para("Film", styles["muted"]), Para("Decision", styles["muted"]),
             Para("Mean", head_right), Para("Spread", head_right), Para("Ratings", head_right),
             Para("Viewers", head_right), Para("Recused", styles["muted"])]]
    for item in decisions:
        film = f"<b>{markup(item.title, bold=True)}</b>"
        if item.directors:
            film += f" <font color='#5c5c5c'>{markup(', '.join(item.directors))}</font>"
        rows.append([Para(str(item.rank), right), Para(film, styles["small"]),
                     Para(f"<b>{markup(item.decision, bold=True)}</b>", styles["small"]),
                     Para(_number(item.mean, 2), right), Para(_number(item.spread, 2), right),
                     Para(str(item.ratings), right), Para(str(item.viewers), right),
                     Para(markup(", ".join(item.recused)), styles["small"])])
    fixed = [9 * mm, 0, 24 * mm, 13 * mm, 13 * mm, 13 * mm, 13 * mm, 30 * mm]
    fixed[1] = width - sum(fixed)
    table = Table(rows, colWidths=fixed, repeatRows=1)
    table.setStyle(TableStyle([
        # An empty cell is still "drawn" in the table's font, Helvetica unless told otherwise.
        ("FONTNAME", (0, 0), (-1, -1), register_fonts().regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, PAPER_TINT]),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return table


def render_meeting_sheet(sheet: MeetingSheet) -> tuple[bytes, int]:
    """(PDF bytes of exactly one A4 page, how many decisions are printed on it)."""
    fonts = register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                                 bottomMargin=14 * mm, title=f"{sheet.title} – {sheet.festival}",
                                 initialFontName=fonts.regular)
    width, height = document.width, document.height
    story, shown = [], len(sheet.decisions)
    for size in SIZES:
        styles = make_styles(base_size=size)
        head = _head(sheet, styles)
        room = height - sum(part.wrap(width, height)[1] for part in head) - 12
        decisions = sheet.decisions
        table = _table(sheet, decisions, styles, width)
        if table.wrap(width, room)[1] <= room or size == SIZES[-1]:
            while decisions and table.wrap(width, room)[1] > room - size * 2:
                decisions = decisions[:-1]
                table = _table(sheet, decisions, styles, width)
            shown = len(decisions)
            story = [*head, table]
            if shown < len(sheet.decisions):
                more = len(sheet.decisions) - shown
                story.append(Para(f"… and {more} more decision{'s' if more != 1 else ''}: see the meeting in "
                                       "the desk.", styles["muted"]))
            if not sheet.decisions:
                story.append(Para("No decisions were taken.", styles["body"]))
            break
    document.build(story)
    return buffer.getvalue(), shown


def _head(sheet: MeetingSheet, styles) -> list:
    counts: dict[str, int] = {}
    for item in sheet.decisions:
        counts[item.decision] = counts.get(item.decision, 0) + 1
    tally = ", ".join(f"{label} {count}" for label, count in counts.items()) or "none"
    present = ", ".join(sheet.present)
    title = ParagraphStyle("sheet_title", parent=styles["heading"], textColor=ACCENT, spaceAfter=2)
    return [
        Para(markup(sheet.festival), styles["muted"]),
        Para(markup(sheet.title), title),
        Para(f"{markup(sheet.date)} · chaired by {markup(sheet.chair)} · agenda: {markup(sheet.agenda)} "
                  f"({sheet.agenda_films} film{'s' if sheet.agenda_films != 1 else ''})", styles["meta"]),
        Para(f"<b>Present</b> ({len(sheet.present)}): {markup(present)}", styles["small"]),
        Para(f"<b>Decisions</b> ({len(sheet.decisions)}): {markup(tally)}", styles["small"]),
        Para("Mean: weighted, recused programmers left out. Viewers: watched or rated it.",
                  ParagraphStyle("legend", parent=styles["muted"], textColor=MUTED)),
        Spacer(1, 3 * mm),
    ]
