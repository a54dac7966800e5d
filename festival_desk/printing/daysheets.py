"""Day sheets for venue managers: per venue, per festival day, every screening in that venue's screens
with start, end, the changeover, the films and their runtimes, intro, Q&A, guests and notes.

Renders from a plain `core.schedule.Schedule` (never a live session) with the shared fonts and
styles; every piece of user text goes through `styles.markup`. Output is PDF bytes. Each venue-day
starts on a new page and the page footer names the venue, the day and the page number.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer, Table,
                                TableStyle)

from festival_desk.core.schedule import Schedule, Screening
from festival_desk.printing.fonts import register_fonts
from festival_desk.printing.text import Para, draw_line
from festival_desk.printing.styles import INK, PAPER_TINT, RULE, make_styles, markup

_MARGIN = 15 * mm
_COLUMNS = (17 * mm, 17 * mm, 24 * mm, 74 * mm, 48 * mm)  # start, end, screen, programme, guests & notes


class _VenueDayMarker(Spacer):
    """An invisible flowable telling the page footer which venue and day follow."""

    def __init__(self, label: str):
        super().__init__(0, 0)
        self.label = label


class _DaySheetDocument(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, title: str, footer: Callable):
        fonts = register_fonts()
        super().__init__(buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
                         bottomMargin=_MARGIN + 6 * mm, title=title, author="Festival Desk",
                         initialFontName=fonts.regular)
        frame = Frame(_MARGIN, _MARGIN + 6 * mm, A4[0] - 2 * _MARGIN, A4[1] - 2 * _MARGIN - 6 * mm, id="body")
        self.addPageTemplates([PageTemplate("sheet", [frame], onPageEnd=footer)])
        self.current_label = ""

    def afterFlowable(self, flowable):
        if isinstance(flowable, _VenueDayMarker):
            self.current_label = flowable.label


def _programme_cell(schedule: Schedule, screening: Screening, styles) -> list:
    cells = []
    if screening.title:
        cells.append(Para(f"<b>{markup(screening.title)}</b>", styles.small))
    for item in screening.items:
        film = schedule.films.get(item.film_id)
        title = film.title if film else f"film #{item.film_id}"
        weight = "" if screening.title else "<b>"
        closing = "" if screening.title else "</b>"
        cells.append(Para(f"{weight}{markup(title)}{closing} · {item.runtime_minutes} min", styles.small))
    extras = []
    if screening.intro_minutes:
        extras.append(f"intro {screening.intro_minutes} min")
    if screening.qa_minutes:
        extras.append(f"Q&A {screening.qa_minutes} min")
    extras.append(f"total {screening.content_minutes} min")
    cells.append(Para(markup(", ".join(extras)), styles.muted))
    return cells


def _notes_cell(screening: Screening, styles) -> list:
    cells = []
    if screening.kind != "public":
        cells.append(Para(f"<b>{markup(screening.kind.capitalize())} screening</b>", styles.small))
    if screening.premiere:
        cells.append(Para(markup(f"{screening.premiere.capitalize()} premiere"), styles.premiere))
    if screening.guests:
        cells.append(Para(markup("Guests: " + ", ".join(g.name for g in screening.guests)), styles.small))
    if screening.notes.strip():
        cells.append(Para(markup(screening.notes.strip()), styles.small))
    return cells


def render_day_sheets(schedule: Schedule, festival_name: str, *, generated: dt.datetime | None = None) -> bytes:
    """The PDF: one section per venue and festival day that has screenings, venues in their order."""
    styles = make_styles(10)
    zone = schedule.festival.zone
    by_venue_day: dict[tuple[int, dt.date], list[Screening]] = defaultdict(list)
    for screening in schedule.screenings:
        screen = schedule.screens.get(screening.screen_id)
        if screen is not None:
            by_venue_day[(screen.venue_id, schedule.festival.festival_day(screening.start))].append(screening)
    venue_order = {venue_id: position for position, venue_id in enumerate(schedule.venues)}
    generated = generated or dt.datetime.now(zone)

    def footer(canvas, document):
        printed = f"printed {generated:%d %b %Y %H:%M} · page {document.page}"
        draw_line(canvas, _MARGIN, _MARGIN, f"{festival_name} · {document.current_label}", styles.running_head,
                  max_width=A4[0] - 2 * _MARGIN - 60 * mm)
        draw_line(canvas, A4[0] - _MARGIN, _MARGIN, printed, styles.running_head, align="right")

    story: list = []
    keys = sorted(by_venue_day, key=lambda k: (venue_order.get(k[0], len(venue_order)), k[0], k[1]))
    for index, (venue_id, day) in enumerate(keys):
        venue = schedule.venues.get(venue_id)
        screenings = sorted(by_venue_day[(venue_id, day)], key=lambda s: (s.start, s.screen_id, s.id))
        venue_name = venue.name if venue else schedule.screens[screenings[0].screen_id].venue_name
        if index:
            story.append(PageBreak())
        story.append(_VenueDayMarker(f"{venue_name} · {day:%A %d %B %Y}"))
        story.append(Para(markup(venue_name), styles.heading))
        story.append(Para(markup(f"{day:%A %d %B %Y}"), styles.subheading))
        if venue is not None and (venue.address or venue.accessibility):
            details = " · ".join(part for part in (venue.address, venue.accessibility) if part)
            story.append(Para(markup(details), styles.muted))
        story.append(Spacer(0, 4 * mm))
        rows = [[Para(head, styles.grid_head) for head in ("Start", "End", "Screen", "Programme",
                                                                  "Guests and notes")]]
        for screening in screenings:
            screen = schedule.screens.get(screening.screen_id)
            screen_text = screen.name if screen else ""
            if screen is not None and screen.capacity:
                screen_text += f"\n{screen.capacity} seats"
            show_end = schedule.show_end_of(screening).astimezone(zone)
            free_at = schedule.end_of(screening).astimezone(zone)
            end_text = f"{show_end:%H:%M}" + (f"\nfree {free_at:%H:%M}" if free_at != show_end else "")
            local_start = screening.start.astimezone(zone)
            # A screening after midnight belongs to the evening's sheet; name its calendar day.
            next_day = f"<br/>{local_start:%a %d}" if local_start.date() != day else ""
            rows.append([
                Para(f"<b>{local_start:%H:%M}</b>{next_day}", styles.small),
                Para(markup(end_text), styles.small),
                Para(markup(screen_text), styles.small),
                _programme_cell(schedule, screening, styles),
                _notes_cell(screening, styles),
            ])
        table = Table(rows, colWidths=_COLUMNS, repeatRows=1)
        table.setStyle(TableStyle([
            # Cells hold Paragraphs, but the table still selects its cell font on the canvas: name ours
            # so the PDF references no standard (unembedded) font.
            ("FONT", (0, 0), (-1, -1), styles.body.fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, PAPER_TINT]),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        story.append(table)
    if not story:
        story.append(Para("No screenings are scheduled.", styles.body))
    buffer = io.BytesIO()
    document = _DaySheetDocument(buffer, f"{festival_name}: day sheets", footer)
    document.build(story)
    return buffer.getvalue()
