"""The indexes of titles (original titles pointing to the printed ones), directors ("Surname,
Forename") and countries, in two or three columns under a heading repeated with "(cont.)"."""

from __future__ import annotations

from collections import defaultdict

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from festival_desk.core.text import sort_key, sort_title
from festival_desk.printing.parts.common import Marker, index_rows, keyed, lettered
from festival_desk.printing.snapshot import FilmEntry
from festival_desk.printing.styles import markup
from festival_desk.printing.text import draw_line
from festival_desk.printing.typography import inverted_name


class IndexPart:
    """The indexes. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def _indexes(self) -> list[tuple[str, str]]:
        return [("part-index-titles", self.labels["index_titles"]),
                ("part-index-directors", self.labels["index_directors"]),
                ("part-index-countries", self.labels["index_countries"])]

    def index_story(self, pages: dict[str, int]) -> list[Flowable]:
        """The indexes, each from a new page in two columns (three on wide pages) under its heading,
        which continuation pages repeat with "(cont.)" (`draw_index_heading`)."""
        story: list[Flowable] = []
        rows_of = {"part-index-titles": self.title_index_rows(), "part-index-directors": self.director_index_rows(),
                   "part-index-countries": self.country_index_rows()}
        for key, label in self._indexes():
            rows = rows_of[key]
            if not rows:
                continue
            anchor = keyed(Marker(label), key, (label, 0))
            story += [NextPageTemplate(key), PageBreak(), anchor,
                      *index_rows(rows, self.styles, pages, 11 * mm, self._index_labels, not self.options.press)]
        return story

    def draw_index_heading(self, canvas, doc, label: str) -> None:
        """An index's heading above its columns; "(cont.)" on the pages after its first."""
        first = self._index_first_pages.setdefault(label, doc.page)
        text = label if doc.page == first else f"{label} ({self.labels['continued']})"
        g = self.geometry
        style = self.styles.heading
        draw_line(canvas, g.frame_x(doc.page), g.offset + g.bottom + g.frame_height - style.fontSize, text, style,
                  max_width=g.frame_width)

    def title_index_rows(self) -> list[tuple[str, str, list[str]]]:
        """Every printed film and programme by sort title ("The Red Soul" under R), A–Z headed, and
        every original title with a pointer to the printed title ("Crvena duša → The Red Soul")."""
        entries = [(self._film_sort_title(film), film.title, f"film-{film.id}") for film in self._printed_films]
        # Original titles point to the title the film is printed under.
        for film in self._printed_films:
            original = (film.original_title or "").strip()
            if original and original != film.title.strip() and self.options.shows("original_title"):
                entries.append((sort_title(original), f"{original} → {film.title}", f"film-{film.id}"))
        for section in self._sections:
            for programme in section.programmes:
                entries.append((sort_title(programme.title), programme.title, f"programme-{programme.key}"))
        return lettered(sorted(entries, key=lambda e: (sort_key(e[0]), e[1])))

    def director_index_rows(self) -> list[tuple[str, str, list[str]]]:
        """Directors as "Surname, Forename", by surname, each with the pages of their films."""
        films_of: dict[str, list[str]] = defaultdict(list)
        for film in self._printed_films:
            for director in film.directors:
                films_of[inverted_name(director)].append(f"film-{film.id}")
        names = sorted(films_of, key=lambda name: (sort_key(name), name))
        return lettered([(name, name, None) for name in names], keys_of=films_of)

    def country_index_rows(self) -> list[tuple[str, str, list[str]]]:
        """Countries by display name, each followed by its films (as printed) and their pages."""
        films_of: dict[str, list[FilmEntry]] = defaultdict(list)
        for film in self._printed_films:
            for country in film.countries:
                name = self.labels.country(country.code, country.label)
                if name and film not in films_of[name]:
                    films_of[name].append(film)
        rows = []
        for name in sorted(films_of, key=sort_key):
            rows.append((markup(name), "index_letter", []))
            for film in sorted(films_of[name], key=lambda f: sort_key(self._film_sort_title(f))):
                rows.append((markup(film.title), "index_entry", [f"film-{film.id}"]))
        return rows
