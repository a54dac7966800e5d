"""Back matter: the venues and the notes pages that make the page count a multiple of four."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from festival_desk.printing.parts.common import Marker, BookPara, keyed
from festival_desk.printing.styles import markup


class BackMatterPart:
    """Venues and notes pages. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def venue_story(self) -> list[Flowable]:
        venues = self.snapshot.venues
        if not venues:
            return []
        title = self.labels["venues"]
        story: list[Flowable] = [NextPageTemplate("body"), PageBreak(), Marker(title),
                                 keyed(BookPara(markup(title), self.styles.heading), "part-venues", (title, 0))]
        for venue in venues:
            block: list[Flowable] = [BookPara(markup(venue.name), self.styles.subheading)]
            if venue.address:
                block.append(BookPara(markup(venue.address), self.styles.body))
            if venue.accessibility:
                block.append(BookPara(markup(venue.accessibility), self.styles.muted))
            screens = [screen.name + (f" ({screen.capacity} {self.labels['seats']})" if screen.capacity else "")
                       for screen in venue.screens]
            if screens:
                block.append(BookPara(f"<b>{markup(self.labels['screens'])}:</b> {markup(', '.join(screens))}",
                                       self.styles.body))
            story.extend(self._kept_together(block))
        return story

    def draw_notes_page(self, canvas, doc) -> None:
        g = self.geometry
        canvas.saveState()
        canvas.setStrokeColor(self.colours.rule)
        canvas.setLineWidth(0.4)
        left = g.frame_x(doc.page)
        step = 8 * mm
        y = g.offset + g.trim_height - g.top - 14 * mm
        while y > g.offset + g.bottom:
            canvas.line(left, y, left + g.frame_width, y)
            y -= step
        canvas.restoreState()
        self.draw_body_page(canvas, doc)

    def _back_matter(self) -> list[tuple[str, str]]:
        parts = []
        if self._grid_screenings():
            parts.append(("part-schedule", self.labels["schedule"]))
        if self._printed_films:
            parts.append(("part-index-titles", self.labels["index_titles"]))
        if any(film.directors for film in self._printed_films):
            parts.append(("part-index-directors", self.labels["index_directors"]))
        if any(film.countries for film in self._printed_films):
            parts.append(("part-index-countries", self.labels["index_countries"]))
        if self.snapshot.venues:
            parts.append(("part-venues", self.labels["venues"]))
        return parts
