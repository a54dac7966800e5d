"""Front matter: the welcome text and the contents, which list every section with its films."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from festival_desk.printing.parts.common import Marker, BookPara, index_rows, keyed, split_paragraphs, spaced
from festival_desk.printing.styles import markup
from festival_desk.printing.typography import typographic


class ContentsPart:
    """Welcome and contents. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def welcome_story(self) -> list[Flowable]:
        welcome = self.snapshot.festival.welcome.strip()
        if not welcome:
            return []
        heading = keyed(BookPara(markup(self.labels["welcome"]), self.styles.heading), "part-welcome",
                         (self.labels["welcome"], 0))
        language = self.snapshot.festival.text_language or "en"
        paragraphs = [BookPara(markup(typographic(text, language)), self.styles.section_text)
                      for text in split_paragraphs(welcome)]
        return [PageBreak(), Marker(self.labels["welcome"]), heading,
                *[spaced(p, self.styles.body.fontSize * 0.6) for p in paragraphs]]

    def contents_rows(self) -> list[tuple[str, str, list[str]]]:
        rows = []
        if self.snapshot.festival.welcome.strip():
            rows.append((markup(self.labels["welcome"]), "toc_section", ["part-welcome"]))
        for section in self._sections:
            rows.append((markup(section.name), "toc_section", [f"section-{section.code}"]))
            for entry in self._section_entries(section):
                rows.append((markup(entry.film.title if entry.film else entry.programme.title), "toc_film",
                             [entry.key]))
        for key, label in self._back_matter():
            rows.append((markup(label), "toc_section", [key]))
        return rows

    def contents_story(self, pages: dict[str, int]) -> list[Flowable]:
        title = self.labels["contents"]
        return [PageBreak(), Marker(title),
                keyed(BookPara(markup(title), self.styles.heading), "part-contents", (title, 0)),
                *index_rows(self.contents_rows(), self.styles, pages, 14 * mm, self._index_labels, not self.options.press)]
