"""The schedule: day × venue grids with the same venue columns all festival long, the day repeated
with "(cont.)" on continuation pages, symbols with a legend, and the page of each film's entry."""

from __future__ import annotations

from collections import defaultdict

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Table, TableStyle

from festival_desk.printing.parts.common import FINDING_PAGES, Marker, BookPara, keyed, spaced
from festival_desk.printing.snapshot import Screening
from festival_desk.printing.styles import markup


# The schedule's symbols and the labels that explain them in its legend.
GRID_SYMBOLS = (("★", "premiere_mark"), ("◆", "qa"), ("●", "guest_present"), ("■", "press"),
                ("▲", "industry"), ("✦", "school"))


class PageReference(Flowable):
    """"p. 23" at the right end of the line above: the page a key landed on in the previous pass,
    drawn at draw time from the shared `pages` map, so the part holding it is built once and
    reused in every pass, and takes no height, so lines break alike in every pass."""

    def __init__(self, key: str, pages: dict[str, int], style, prefix: str):
        super().__init__()
        self.key, self.pages, self.style, self.prefix = key, pages, style, prefix
        self.height = 0

    def wrap(self, available_width, available_height):
        self.width = available_width
        return (available_width, self.height)

    def draw(self):
        page = self.pages.get(self.key)
        if page is None or FINDING_PAGES.get():
            return
        self.canv.setFont(self.style.fontName, self.style.fontSize)
        self.canv.setFillColor(self.style.textColor)
        # On the baseline of the line above (the cell's screen line).
        self.canv.drawRightString(self.width, self.style.fontSize * 0.25, f"{self.prefix} {page}")


class DayTable(Table):
    """A day's grid whose continuation on a following page says so: the repeated day heading
    becomes "Thursday 15 April (cont.)"."""

    def __init__(self, rows, continued: Flowable | None = None, **keywords):
        super().__init__(rows, **keywords)
        self._continued = continued

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        for part in parts[1:]:
            # The repeated rows are the first part's own row lists: replace, never mutate, them.
            part._cellvalues = [[self._continued, *part._cellvalues[0][1:]], *part._cellvalues[1:]]
            part._continued = self._continued
        return parts



class SchedulePart:
    """The schedule grids. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def _grid_screenings(self) -> list[Screening]:
        """The screenings the schedule shows: those of printed films, without press, industry and
        school screenings when the options keep the grid public."""
        printed = {film.id for film in self._printed_films}
        return [s for s in self.snapshot.screenings if any(f in printed for f in s.film_ids)
                and not (self.options.public_schedule_only and s.kind != "public")]

    def schedule_legend(self, screenings: list[Screening]) -> str:
        """The symbols the grid uses, explained in one line (only those that occur)."""
        used = set()
        for screening in screenings:
            used.update(self._grid_symbols(screening))
        entries = [f"{markup(symbol)} {markup(self.labels[key])}" for symbol, key in GRID_SYMBOLS
                   if symbol in used]
        entries.append(markup(f"{self.labels['page_ref']} {self.labels['page_of_entry']}"))
        return " · ".join(entries)

    def schedule_story(self) -> list[Flowable]:
        screenings = self._grid_screenings()
        if not screenings:
            return []
        title = self.labels["schedule"]
        story: list[Flowable] = [NextPageTemplate("body"), PageBreak(), Marker(title),
                                 keyed(BookPara(markup(title), self.styles.heading), "part-schedule", (title, 0)),
                                 spaced(BookPara(self.schedule_legend(screenings), self.styles.muted), 6)]
        by_day: dict[object, list[Screening]] = defaultdict(list)
        for screening in screenings:
            by_day[screening.starts_at.date()].append(screening)
        # The same venues in the same columns on every day, so a reader finds a cinema by position.
        venues = self._venue_order(screenings)
        per_table = 4 if self.geometry.frame_width < 400 else 6
        groups = [venues[start:start + per_table] for start in range(0, len(venues), per_table)]
        for day in sorted(by_day):
            for group in groups:
                if not any(s.venue in group for s in by_day[day]):
                    continue
                story += [CondPageBreak(self.geometry.frame_height * 0.2),
                          *self.schedule_grid(day, by_day[day], group)]
        return story

    def schedule_grid(self, day, screenings: list[Screening], venues: list[str]) -> list[Flowable]:
        """A day × venue grid: one row per hour that has screenings, one column per venue. A day
        that runs onto another page repeats its day, with "(cont.)", and the venue header there."""
        styles = self.styles
        hours = sorted({s.starts_at.hour for s in screenings if s.venue in venues})
        time_width = 11 * mm
        venue_width = (self.geometry.frame_width - time_width) / max(1, len(venues))
        widths = [time_width] + [venue_width] * len(venues)
        # FONTNAME: an empty cell is still "drawn" in the table's font, Helvetica by default.
        padding = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        day_name = self.labels.long_day(day)
        continued = BookPara(markup(f"{day_name} ({self.labels['continued']})"), styles.subheading)
        rows: list[list[object]] = [
            [BookPara(markup(day_name), styles.subheading)] + [""] * len(venues),
            [BookPara(markup(self.labels["time"]), styles.grid_head)]
            + [BookPara(markup(venue), styles.grid_head) for venue in venues]]
        ordered = sorted(screenings, key=lambda s: s.starts_at)
        for hour in hours:
            row: list[object] = [BookPara(f"{hour:02d}:00", styles.grid_time)]
            for venue in venues:
                cell: list[Flowable] = []
                for screening in ordered:
                    if screening.venue == venue and screening.starts_at.hour == hour:
                        cell += self._grid_cell(screening)
                row.append(cell or "")
            rows.append(row)
        style = padding + [("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0),
                           ("LINEBELOW", (0, 1), (-1, 1), 0.8, self.colours.text),
                           ("BACKGROUND", (0, 1), (-1, 1), self.colours.tint),
                           ("LINEBELOW", (0, 2), (-1, -1), 0.3, self.colours.rule)]
        return [DayTable(rows, continued, colWidths=widths, hAlign="LEFT", repeatRows=2, style=TableStyle(style))]

    def _venue_order(self, screenings: list[Screening]) -> list[str]:
        order = [venue.name for venue in self.snapshot.venues]
        for screening in sorted(screenings, key=lambda s: s.venue):
            if screening.venue not in order:
                order.append(screening.venue)
        return order

    def _grid_symbols(self, screening: Screening) -> list[str]:
        symbols = []
        if screening.premiere:
            symbols.append("★")
        if screening.qa_minutes:
            symbols.append("◆")
        if screening.guests:
            symbols.append("●")
        kind_symbol = {"press": "■", "industry": "▲", "school": "✦"}.get(screening.kind)
        if kind_symbol:
            symbols.append(kind_symbol)
        return symbols

    def _grid_cell(self, screening: Screening) -> list[Flowable]:
        """A screening in the grid: time and symbols, titles, screen, and the page of the entry."""
        printed = {film.id for film in self._printed_films}
        if screening.title:
            titles = screening.title
            programme = next((p for s in self._sections for p in s.programmes
                              if screening.id in p.screening_ids), None)
            keys = [f"programme-{programme.key}"] if programme else []
        else:
            shown = [f for f in screening.film_ids if f in self._films_by_id and f in printed]
            titles = " / ".join(self._films_by_id[f].title for f in shown)
            keys = [f"film-{f}" for f in shown[:1]]
        symbols = " ".join(self._grid_symbols(screening))
        text = f"<b>{screening.starts_at:%H:%M}</b>"
        if symbols:
            text += f" {markup(symbols)}"
        text += f" {markup(titles)}"
        if screening.screen:
            text += f'<br/><font color="{self.colours.markup(self.colours.muted)}">{markup(screening.screen)}</font>'
        parts: list[Flowable] = [BookPara(text, self.styles.grid_cell)]
        if keys:
            parts.append(PageReference(keys[0], self._pages, self.styles.grid_time, self.labels["page_ref"]))
        return parts
