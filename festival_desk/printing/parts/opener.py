"""Section openers: a full-bleed page in the section's colour, always on a right-hand page."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer
from reportlab.platypus.flowables import DocIf

from festival_desk.printing.parts.common import Marker, BookPara, keyed, split_paragraphs, spaced
from festival_desk.printing.snapshot import SectionEntry
from festival_desk.printing.styles import markup, parse_colour, text_colour_on
from festival_desk.printing.typography import typographic


class OpenerPart:
    """A section: its opener, then its entries. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def section_story(self, section: SectionEntry) -> list[Flowable]:
        colour = parse_colour(section.colour)
        ink = text_colour_on(colour, self.colours)
        title_style = self.styles.section_title.clone("opener_title", textColor=ink)
        text_style = self.styles.section_text.clone("opener_text", textColor=ink)
        story: list[Flowable] = [
            # An opener stands on a right-hand page: when the page being filled is odd, the next
            # one is a left-hand page, so it stays blank.
            DocIf("doc.page % 2 == 1", [NextPageTemplate("blank"), PageBreak(), Marker("")]),
            NextPageTemplate(f"opener-{section.code}"), PageBreak(), Marker(""),
            Spacer(1, self.geometry.frame_height * 0.3),
            keyed(BookPara(markup(section.name), title_style), f"section-{section.code}", (section.name, 0)),
        ]
        language = self.snapshot.festival.text_language or "en"
        story += [spaced(BookPara(markup(typographic(text, language)), text_style), 6)
                  for text in split_paragraphs(section.description)]
        story += [NextPageTemplate("body"), PageBreak(), Marker(section.name)]
        for entry in self._section_entries(section):
            if entry.programme is not None:
                story += self.programme_flowables(entry.programme)
            else:
                story += self.film_flowables(entry.film)
        return story

    def draw_opener(self, canvas, doc, colour: colors.Color) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canvas.saveState()
        canvas.setFillColor(colour)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        canvas.restoreState()
