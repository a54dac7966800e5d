"""A shorts programme: its heading (kept with its first film), then each of its films."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from festival_desk.printing.parts.common import BookPara, keyed
from festival_desk.printing.snapshot import ShortsProgramme
from festival_desk.printing.styles import markup


class ProgrammePart:
    """A shorts programme. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def programme_flowables(self, programme: ShortsProgramme) -> list[Flowable]:
        """A shorts programme: its title, runtime and screenings, kept with its first film, then
        each of its other films."""
        films = [self._films_by_id[film_id] for film_id in programme.film_ids if film_id in self._films_by_id]
        total = sum(film.runtime_minutes or 0 for film in films)
        head: list[Flowable] = [keyed(BookPara(markup(programme.title), self.styles.film_title),
                                       f"programme-{programme.key}", (programme.title, 1))]
        facts = [self.labels["shorts_programme"]]
        if total:
            facts.append(f"{total} {self.labels['min']} {self.labels['total_runtime']}")
        head.append(BookPara(markup(" · ".join(facts)), self.styles.meta))
        if programme.description:
            head.append(BookPara(markup(programme.description), self.styles.synopsis))
        if self.options.shows("screenings"):
            screenings = [self._screenings_by_id[i] for i in programme.screening_ids if i in self._screenings_by_id]
            head += self._screening_lines(sorted(screenings, key=lambda s: s.starts_at), None)
        for part in head:
            part.keepWithNext = 1
        head.append(Spacer(1, self.styles.body.fontSize * 0.6))
        member_parts = [self._film_parts(film, level=2, heading_style=self.styles.programme_film,
                                         with_screenings=False, compact=True) for film in films]
        story: list[Flowable] = []
        for index, parts in enumerate(member_parts):
            # The heading never stands alone at a page foot: it goes with its first film.
            story.extend(self._kept_together(head + parts if index == 0 else parts))
            story.append(Spacer(1, self.styles.body.fontSize))
        if not member_parts:
            story.extend(self._kept_together(head))
        return story + [Spacer(1, self.styles.body.fontSize * 0.6)]
