"""The programme booklet: a print-ready catalogue rendered from a `BookletSnapshot`.

`BookletRenderer` fixes the skeleton (cover, welcome, contents, section openers and entries,
schedule grids, indexes, venues, padding, back cover) and builds it from small methods a subclass
may override: `make_styles`, `page_templates`, `story` and the `*_story` parts, `film_flowables`.

Guarantees of `render()`:
- every font is embedded (only the shipped family is referenced) and text the fonts cannot show is
  listed in the report's warnings;
- user text shows exactly as typed (escaped before it becomes markup);
- the page count is a multiple of 4 (intentional "Notes" pages before the back cover);
- with bleed, backgrounds run past the trim edge and every page carries TrimBox and BleedBox;
- a missing or unreadable still becomes a placeholder and a warning, never a failed build;
- contents and indexes show the final page numbers: layout is repeated until every page
  reference is stable (normally two passes, since numbers are set in fixed-width columns).
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import time
from collections import defaultdict
from dataclasses import dataclass, field

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from festival_desk.core.errors import Cancelled
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import fold, sort_key, sort_title
from festival_desk.printing.catalogue_facts import facts_line, facts_phrases
from festival_desk.printing.fonts import FONTS, coverage_warnings, register_fonts
from festival_desk.printing.labels import Labels
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.snapshot import (
    BookletSnapshot,
    FilmEntry,
    Screening,
    SectionEntry,
    ShortsProgramme,
    StillImage,
)
from festival_desk.printing.styles import (
    ACCENT,
    INK,
    MUTED,
    PAPER_TINT,
    PLACEHOLDER,
    RULE,
    StyleSet,
    make_styles,
    markup,
    parse_colour,
    text_colour_on,
)

MIN_STILL_DPI = 200
CROP_MARK_SPACE = 10 * mm  # room outside the bleed for the marks
CROP_MARK_LENGTH = 6 * mm
PAGE_NUMBER_PLACEHOLDER = "888"  # as wide as a real three-digit folio, so pass 2 breaks lines alike
MAX_PASSES = 4
_JPEG_END = b"\xff\xd9"


@dataclass
class BuildResult:
    """The finished booklet and its report."""

    pdf: bytes
    pages: int
    films: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    passes: int = 0


@dataclass
class _Entry:
    """A film or a shorts programme as it sorts within its section."""

    key: str
    title: str
    position: int
    first_screening: object
    film: FilmEntry | None = None
    programme: ShortsProgramme | None = None


@dataclass
class _Geometry:
    trim_width: float
    trim_height: float
    bleed: float
    offset: float  # from the media box corner to the trim box corner
    frame_width: float
    frame_height: float
    inner: float
    outer: float
    top: float
    bottom: float

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.trim_width + 2 * self.offset, self.trim_height + 2 * self.offset)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        o = self.offset
        return (o, o, o + self.trim_width, o + self.trim_height)

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        o, b = self.offset, self.bleed
        return (o - b, o - b, o + self.trim_width + b, o + self.trim_height + b)

    def frame_x(self, page_number: int) -> float:
        # Right-hand (odd) pages bind on the left.
        margin = self.inner if page_number % 2 else self.outer
        return self.offset + margin


# True while a pass only finds where things land: its PDF is thrown away, so text and images
# need not be drawn (about a third of a pass). Context-local, so concurrent builds do not mix.
_FINDING_PAGES = contextvars.ContextVar("finding_pages", default=False)


class _Para(Paragraph):
    """A Paragraph that remembers its line breaks for the width it was last wrapped to.

    Entries are measured once and laid out in every pass; the breaks depend only on the width,
    so re-breaking the same text for the same width is wasted work.
    """

    _wrapped_width: float | None = None

    def wrap(self, available_width, available_height):
        # Splitting a paragraph drops its line breaks (blPara): then they must be found again.
        if self._wrapped_width == available_width and "blPara" in self.__dict__:
            return (self.width, self.height)
        result = super().wrap(available_width, available_height)
        self._wrapped_width = available_width
        return result

    def draw(self):
        if not _FINDING_PAGES.get():
            super().draw()


class _Marker(Flowable):
    """Zero-size flowable that names the part of the book the following pages belong to."""

    def __init__(self, running_head: str):
        super().__init__()
        self.running_head = running_head

    def wrap(self, available_width, available_height):
        return (0, 0)

    def draw(self):
        pass


class _StillPlaceholder(Flowable):
    """A tinted box with a word, standing where a still is missing or unreadable."""

    def __init__(self, width: float, height: float, text: str):
        super().__init__()
        self.width, self.height, self.text = width, height, text

    def wrap(self, available_width, available_height):
        return (self.width, self.height)

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(PLACEHOLDER)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONTS.italic, 8)
        canvas.drawCentredString(self.width / 2, self.height / 2 - 3, self.text)


class _IndexRow(Flowable):
    """One line of a contents or index list: a label, and page numbers in a fixed-width column at
    the right, so that the numbers' width never changes how the label breaks."""

    def __init__(self, label: Paragraph, numbers: Paragraph | None, number_width: float):
        super().__init__()
        self.label, self.numbers, self.number_width = label, numbers, number_width
        self.keepWithNext = getattr(label.style, "keepWithNext", 0)
        self.spaceBefore = getattr(label.style, "spaceBefore", 0)

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, label_height = self.label.wrap(available_width - self.number_width - 4, available_height)
        number_height = self.numbers.wrap(self.number_width, available_height)[1] if self.numbers else 0
        self.height = max(label_height, number_height)
        return (self.width, self.height)

    def draw(self):
        self.label.drawOn(self.canv, 0, self.height - self.label.height)
        if self.numbers is not None:
            # Numbers sit on the label's last line, as in a printed index.
            self.numbers.drawOn(self.canv, self.width - self.number_width, 0)


def _index_rows(rows: list[tuple[str, str, list[str]]], styles: StyleSet, pages: dict[str, int],
                number_width: float, labels: dict[tuple[str, str], _Para]) -> list[Flowable]:
    """Contents/index lines with page numbers from the previous layout pass (`pages`), linked to
    their targets. An unknown page prints as a placeholder of a real folio's width, so the next
    pass breaks lines exactly alike. `labels` keeps the label paragraphs from pass to pass: only
    the numbers change."""
    number_style = styles.index_number
    flowables: list[Flowable] = []
    for label, style_name, keys in rows:
        label_paragraph = labels.get((label, style_name))
        if label_paragraph is None:
            label_paragraph = labels[(label, style_name)] = _Para(label, styles[style_name])
        numbers = []
        for key in keys:
            page = pages.get(key)
            numbers.append(f'<a href="#{key}">{page}</a>' if page else PAGE_NUMBER_PLACEHOLDER)
        number_paragraph = _Para(", ".join(numbers), number_style) if numbers else None
        flowables.append(_IndexRow(label_paragraph, number_paragraph, number_width))
    return flowables


class _BookletDocument(BaseDocTemplate):
    """Records where each keyed flowable lands (for contents, indexes, bookmarks and outline),
    mirrors the margins on left and right pages, and remembers the current running head."""

    def __init__(self, buffer, geometry: _Geometry, **keywords):
        super().__init__(buffer, pagesize=geometry.page_size, leftMargin=0, rightMargin=0,
                         topMargin=0, bottomMargin=0, initialFontName=FONTS.regular,
                         trimBox=geometry.trim_box, bleedBox=geometry.bleed_box, **keywords)
        self.geometry = geometry
        self.key_pages: dict[str, int] = {}
        self.running_head = ""
        self.outline_levels: dict[str, int] = {}

    def handle_pageBegin(self):
        x = self.geometry.frame_x(self.page + 1)
        for frame in self.pageTemplate.frames:
            if getattr(frame, "mirrored", False):
                frame.__dict__["_x1"] = x
                frame._geom()
        super().handle_pageBegin()

    def afterFlowable(self, flowable):
        if isinstance(flowable, _Marker):
            self.running_head = flowable.running_head
            return
        key = getattr(flowable, "booklet_key", None)
        if key and key not in self.key_pages:
            self.key_pages[key] = self.page
            self.canv.bookmarkPage(key)
            outline = getattr(flowable, "booklet_outline", None)
            if outline:
                title, level = outline
                self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


def _keyed(flowable: Flowable, key: str, outline: tuple[str, int] | None = None) -> Flowable:
    flowable.booklet_key = key
    flowable.booklet_outline = outline
    return flowable


class BookletRenderer:
    """Renders one booklet. Create it with the snapshot and options, then call `render()`."""

    def __init__(self, snapshot: BookletSnapshot, options: BookletOptions | None = None,
                 progress: Progress = no_progress):
        self.snapshot = snapshot
        self.options = (options or BookletOptions()).validate()
        self.progress = progress
        self.labels = Labels(self.options.language)
        self.warnings: list[str] = []
        self.fonts = register_fonts()
        self.styles = self.make_styles()
        self.geometry = self.make_geometry()
        self._films_by_id = {film.id: film for film in snapshot.films()}
        self._screenings_by_id = {screening.id: screening for screening in snapshot.screenings}
        self._screenings_by_film: dict[int, list[Screening]] = defaultdict(list)
        for screening in sorted(snapshot.screenings, key=lambda s: (s.starts_at, s.venue, s.screen)):
            for film_id in dict.fromkeys(screening.film_ids):
                self._screenings_by_film[film_id].append(screening)
        self._sections = [section for section in snapshot.sections
                          if self.options.sections is None or section.code in self.options.sections]
        self._printed_films = [film for section in self._sections for film in section.films]
        self._index_labels: dict[tuple[str, str], _Para] = {}

    # --- overridable parts ----------------------------------------------------------------

    def make_styles(self) -> StyleSet:
        trim_width = self.options.trim_size_pt[0]
        # Type grows a little with the page: A5 8.5 pt, A4 10 pt.
        base_size = 8.5 if trim_width < 450 else 10.0
        return make_styles(base_size, self.options.language)

    def make_geometry(self) -> _Geometry:
        width, height = self.options.trim_size_pt
        margins = self.options.margins
        bleed = self.options.bleed_mm * mm
        offset = bleed + (CROP_MARK_SPACE if self.options.crop_marks else 0)
        return _Geometry(
            trim_width=width, trim_height=height, bleed=bleed, offset=offset,
            frame_width=width - (margins.inner + margins.outer) * mm,
            frame_height=height - (margins.top + margins.bottom) * mm,
            inner=margins.inner * mm, outer=margins.outer * mm,
            top=margins.top * mm, bottom=margins.bottom * mm,
        )

    def page_templates(self) -> list[PageTemplate]:
        g = self.geometry

        def body_frame(frame_id: str) -> Frame:
            frame = Frame(g.offset + g.inner, g.offset + g.bottom, g.frame_width, g.frame_height,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=frame_id)
            frame.mirrored = True
            return frame

        cover_frame = Frame(g.offset + g.outer, g.offset + g.bottom, g.trim_width - 2 * g.outer,
                            g.trim_height * 0.34 - g.bottom, leftPadding=0, rightPadding=0,
                            topPadding=0, bottomPadding=0, id="cover")
        templates = [
            PageTemplate("cover", [cover_frame], onPage=self.draw_cover, onPageEnd=self.draw_marks),
            PageTemplate("body", [body_frame("body")], onPageEnd=self.draw_body_page),
            PageTemplate("notes", [body_frame("notes")], onPageEnd=self.draw_notes_page),
            PageTemplate("back", [body_frame("back")], onPage=self.draw_back_cover, onPageEnd=self.draw_marks),
        ]
        for section in self._sections:
            colour = parse_colour(section.colour)
            templates.append(PageTemplate(
                f"opener-{section.code}", [body_frame(f"opener-{section.code}")],
                onPage=lambda canvas, doc, colour=colour: self.draw_opener(canvas, doc, colour),
                onPageEnd=self.draw_marks))
        return templates

    def story(self, pages: dict[str, int], padding_pages: int) -> list[Flowable]:
        """The whole book. `pages` holds the previous pass's page of each key; `padding_pages` the
        number of intentional blank pages that make the count a multiple of 4."""
        for part in [*self._section_parts.values(), self._schedule_part]:
            for flowable in part:
                # ReportLab marks a flowable that did not fit as postponed and fails if it does not
                # fit the next page either; these flowables are reused, so forget the last pass.
                flowable.__dict__.pop("_postponed", None)
        story = self.cover_story()
        story += self.welcome_story()
        story += self.contents_story(pages)
        for section in self._sections:
            story += self._section_parts[section.code]
        story += self._schedule_part
        story += self.index_story(pages)
        story += self.venue_story()
        for _ in range(padding_pages):
            story += [NextPageTemplate("notes"), PageBreak(), _Marker(""),
                      _Para(markup(self.labels["notes"]), self.styles.heading)]
        story += self.back_cover_story()
        return story

    def cover_story(self) -> list[Flowable]:
        festival = self.snapshot.festival
        parts: list[Flowable] = [_Para(markup(festival.name), self.styles.cover_title)]
        subtitle = " · ".join(part for part in (festival.edition, self.labels.date_range(
            festival.starts_on, festival.ends_on)) if part)
        if subtitle:
            parts += [Spacer(1, 4), _Para(markup(subtitle), self.styles.cover_subtitle)]
        return parts + [NextPageTemplate("body")]

    def welcome_story(self) -> list[Flowable]:
        welcome = self.snapshot.festival.welcome.strip()
        if not welcome:
            return []
        heading = _keyed(_Para(markup(self.labels["welcome"]), self.styles.heading), "part-welcome",
                         (self.labels["welcome"], 0))
        paragraphs = [_Para(markup(text), self.styles.section_text) for text in _paragraphs(welcome)]
        return [PageBreak(), _Marker(self.labels["welcome"]), heading,
                *[_spaced(p, self.styles.body.fontSize * 0.6) for p in paragraphs]]

    def contents_rows(self) -> list[tuple[str, str, list[str]]]:
        rows = []
        if self.snapshot.festival.welcome.strip():
            rows.append((markup(self.labels["welcome"]), "toc_section", ["part-welcome"]))
        for section in self._sections:
            rows.append((markup(section.name), "toc_section", [f"section-{section.code}"]))
        for key, label in self._back_matter():
            rows.append((markup(label), "toc_section", [key]))
        return rows

    def contents_story(self, pages: dict[str, int]) -> list[Flowable]:
        title = self.labels["contents"]
        return [PageBreak(), _Marker(title),
                _keyed(_Para(markup(title), self.styles.heading), "part-contents", (title, 0)),
                *_index_rows(self.contents_rows(), self.styles, pages, 14 * mm, self._index_labels)]

    def section_story(self, section: SectionEntry) -> list[Flowable]:
        colour = parse_colour(section.colour)
        ink = text_colour_on(colour)
        title_style = self.styles.section_title.clone("opener_title", textColor=ink)
        text_style = self.styles.section_text.clone("opener_text", textColor=ink)
        story: list[Flowable] = [
            NextPageTemplate(f"opener-{section.code}"), PageBreak(), _Marker(""),
            Spacer(1, self.geometry.frame_height * 0.3),
            _keyed(_Para(markup(section.name), title_style), f"section-{section.code}", (section.name, 0)),
        ]
        story += [_spaced(_Para(markup(text), text_style), 6) for text in _paragraphs(section.description)]
        story += [NextPageTemplate("body"), PageBreak(), _Marker(section.name)]
        for entry in self._section_entries(section):
            if entry.programme is not None:
                story += self.programme_flowables(entry.programme)
            else:
                story += self.film_flowables(entry.film)
        return story

    def film_flowables(self, film: FilmEntry) -> list[Flowable]:
        """One film's entry, kept on one page when it fits."""
        parts = self._film_parts(film, level=1, heading_style=self.styles.film_title, with_still=True,
                                 with_screenings=True)
        return [*self._kept_together(parts), Spacer(1, self.styles.body.fontSize * 1.6)]

    def programme_flowables(self, programme: ShortsProgramme) -> list[Flowable]:
        """A shorts programme: its title, runtime and screenings, then each of its films."""
        films = [self._films_by_id[film_id] for film_id in programme.film_ids if film_id in self._films_by_id]
        total = sum(film.runtime_minutes or 0 for film in films)
        head: list[Flowable] = [_keyed(_Para(markup(programme.title), self.styles.film_title),
                                       f"programme-{programme.key}", (programme.title, 1))]
        facts = [self.labels["shorts_programme"]]
        if total:
            facts.append(f"{total} {self.labels['min']} {self.labels['total_runtime']}")
        head.append(_Para(markup(" · ".join(facts)), self.styles.meta))
        if programme.description:
            head.append(_Para(markup(programme.description), self.styles.synopsis))
        if self.options.shows("screenings"):
            screenings = [self._screenings_by_id[i] for i in programme.screening_ids if i in self._screenings_by_id]
            head += self._screening_lines(sorted(screenings, key=lambda s: s.starts_at), None)
        story: list[Flowable] = self._kept_together(head)
        for film in films:
            story.extend(self._kept_together(self._film_parts(film, level=2, heading_style=self.styles.programme_film,
                                                       with_still=True, with_screenings=False, small_still=True)))
        return story + [Spacer(1, self.styles.body.fontSize * 1.6)]

    def schedule_story(self) -> list[Flowable]:
        printed = {film.id for film in self._printed_films}
        screenings = [s for s in self.snapshot.screenings if any(f in printed for f in s.film_ids)]
        if not screenings:
            return []
        title = self.labels["schedule"]
        story: list[Flowable] = [NextPageTemplate("body"), PageBreak(), _Marker(title),
                                 _keyed(_Para(markup(title), self.styles.heading), "part-schedule", (title, 0))]
        by_day: dict[object, list[Screening]] = defaultdict(list)
        for screening in screenings:
            by_day[screening.starts_at.date()].append(screening)
        venues = self._venue_order(screenings)
        per_table = 4 if self.geometry.frame_width < 400 else 6
        for day in sorted(by_day):
            day_venues = [v for v in venues if any(s.venue == v for s in by_day[day])]
            for start in range(0, len(day_venues), per_table):
                story += [CondPageBreak(self.geometry.frame_height * 0.2),
                          _Para(markup(self.labels.long_day(day)), self.styles.subheading),
                          *self.schedule_grid(by_day[day], day_venues[start:start + per_table], printed)]
        return story

    def schedule_grid(self, screenings: list[Screening], venues: list[str], printed: set[int]) -> list[Flowable]:
        """A day × venue grid: one row per hour that has screenings, one column per venue. A day
        that runs onto another page repeats the venue header there."""
        styles = self.styles
        hours = sorted({s.starts_at.hour for s in screenings if s.venue in venues})
        time_width = 11 * mm
        venue_width = (self.geometry.frame_width - time_width) / max(1, len(venues))
        widths = [time_width] + [venue_width] * len(venues)
        # FONTNAME: an empty cell is still "drawn" in the table's font, Helvetica by default.
        padding = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        rows: list[list[object]] = [[_Para(markup(self.labels["time"]), styles.grid_head)]
                                    + [_Para(markup(venue), styles.grid_head) for venue in venues]]
        ordered = sorted(screenings, key=lambda s: s.starts_at)
        for hour in hours:
            row: list[object] = [_Para(f"{hour:02d}:00", styles.grid_time)]
            for venue in venues:
                cell = [self._grid_cell(s, printed) for s in ordered
                        if s.venue == venue and s.starts_at.hour == hour]
                row.append(cell or "")
            rows.append(row)
        style = padding + [("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("BACKGROUND", (0, 0), (-1, 0), PAPER_TINT),
                           ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE)]
        return [Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, style=TableStyle(style))]

    def index_story(self, pages: dict[str, int]) -> list[Flowable]:
        story: list[Flowable] = []
        for key, label, rows in (("part-index-titles", self.labels["index_titles"], self.title_index_rows()),
                                 ("part-index-directors", self.labels["index_directors"],
                                  self.director_index_rows()),
                                 ("part-index-countries", self.labels["index_countries"],
                                  self.country_index_rows())):
            if not rows:
                continue
            story += [NextPageTemplate("body"), PageBreak(), _Marker(label),
                      _keyed(_Para(markup(label), self.styles.heading), key, (label, 0)),
                      *_index_rows(rows, self.styles, pages, 18 * mm, self._index_labels)]
        return story

    def title_index_rows(self) -> list[tuple[str, str, list[str]]]:
        """Every printed film and programme by sort title ("The Red Soul" under R), A–Z headed."""
        entries = [(self._film_sort_title(film), film.title, f"film-{film.id}") for film in self._printed_films]
        for section in self._sections:
            for programme in section.programmes:
                entries.append((sort_title(programme.title), programme.title, f"programme-{programme.key}"))
        return _lettered(sorted(entries, key=lambda e: (sort_key(e[0]), e[1])))

    def director_index_rows(self) -> list[tuple[str, str, list[str]]]:
        """Directors by surname (last word of the name), each with the pages of their films."""
        films_of: dict[str, list[str]] = defaultdict(list)
        for film in self._printed_films:
            for director in film.directors:
                films_of[director].append(f"film-{film.id}")
        names = sorted(films_of, key=lambda name: (sort_key(name.split()[-1] if name.split() else name),
                                                   sort_key(name)))
        return _lettered([(name.split()[-1] if name.split() else name, name, None) for name in names],
                         keys_of=films_of)

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

    def venue_story(self) -> list[Flowable]:
        venues = self.snapshot.venues
        if not venues:
            return []
        title = self.labels["venues"]
        story: list[Flowable] = [NextPageTemplate("body"), PageBreak(), _Marker(title),
                                 _keyed(_Para(markup(title), self.styles.heading), "part-venues", (title, 0))]
        for venue in venues:
            block: list[Flowable] = [_Para(markup(venue.name), self.styles.subheading)]
            if venue.address:
                block.append(_Para(markup(venue.address), self.styles.body))
            if venue.accessibility:
                block.append(_Para(markup(venue.accessibility), self.styles.muted))
            screens = [screen.name + (f" ({screen.capacity} {self.labels['seats']})" if screen.capacity else "")
                       for screen in venue.screens]
            if screens:
                block.append(_Para(f"<b>{markup(self.labels['screens'])}:</b> {markup(', '.join(screens))}",
                                       self.styles.body))
            story.extend(self._kept_together(block))
        return story

    def back_cover_story(self) -> list[Flowable]:
        festival = self.snapshot.festival
        return [NextPageTemplate("back"), PageBreak(), _Marker(""),
                Spacer(1, self.geometry.frame_height * 0.75),
                _Para(markup(festival.name), self.styles.subheading.clone(
                    "back_title", textColor=colors.white)),
                _Para(markup(self.labels.date_range(festival.starts_on, festival.ends_on)),
                          self.styles.body.clone("back_text", textColor=colors.white))]

    # --- page decoration ------------------------------------------------------------------

    def draw_cover(self, canvas, doc) -> None:
        g = self.geometry
        festival = self.snapshot.festival
        x0, y0, x1, y1 = g.bleed_box
        image_bottom = g.offset + g.trim_height * 0.38
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(x0, image_bottom, x1 - x0, y1 - image_bottom, stroke=0, fill=1)
        cover = festival.cover_image
        if cover is not None and cover.data:
            reader, size, problem = _readable_image(cover, "cover image")
            if reader is not None:
                box_width, box_height = x1 - x0, y1 - image_bottom
                scale = max(box_width / size[0], box_height / size[1])  # fill the box, crop the rest
                width, height = size[0] * scale, size[1] * scale
                path = canvas.beginPath()
                path.rect(x0, image_bottom, box_width, box_height)
                canvas.clipPath(path, stroke=0, fill=0)
                canvas.drawImage(reader, x0 + (box_width - width) / 2, image_bottom + (box_height - height) / 2,
                                 width, height)
            elif problem and doc.page == 1 and problem not in self.warnings:
                self.warnings.append(problem)
        canvas.restoreState()
        self.draw_marks(canvas, doc)

    def draw_body_page(self, canvas, doc) -> None:
        g = self.geometry
        canvas.saveState()
        canvas.setFont(self.fonts.regular, self.styles.running_head.fontSize)
        canvas.setFillColor(MUTED)
        top = g.offset + g.trim_height - g.top * 0.55
        folio_y = g.offset + g.bottom * 0.45
        recto = doc.page % 2 == 1
        left = g.frame_x(doc.page)
        right = left + g.frame_width
        head = doc.running_head if recto else self.snapshot.festival.name
        if head:
            head = _fit(head, self.fonts.regular, self.styles.running_head.fontSize, g.frame_width * 0.8)
            if recto:
                canvas.drawRightString(right, top, head)
            else:
                canvas.drawString(left, top, head)
        canvas.setFont(self.fonts.bold, self.styles.running_head.fontSize)
        if recto:
            canvas.drawRightString(right, folio_y, str(doc.page))
        else:
            canvas.drawString(left, folio_y, str(doc.page))
        canvas.restoreState()
        self.draw_marks(canvas, doc)

    def draw_notes_page(self, canvas, doc) -> None:
        g = self.geometry
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        left = g.frame_x(doc.page)
        step = 8 * mm
        y = g.offset + g.trim_height - g.top - 14 * mm
        while y > g.offset + g.bottom:
            canvas.line(left, y, left + g.frame_width, y)
            y -= step
        canvas.restoreState()
        self.draw_body_page(canvas, doc)

    def draw_opener(self, canvas, doc, colour: colors.Color) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canvas.saveState()
        canvas.setFillColor(colour)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        canvas.restoreState()

    def draw_back_cover(self, canvas, doc) -> None:
        x0, y0, x1, y1 = self.geometry.bleed_box
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        canvas.restoreState()

    def draw_marks(self, canvas, doc) -> None:
        """Crop marks at the trim corners, outside the bleed, when asked for."""
        if not self.options.crop_marks:
            return
        g = self.geometry
        tx0, ty0, tx1, ty1 = g.trim_box
        gap = g.bleed + 1 * mm
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.25)
        for x in (tx0, tx1):
            for y, direction in ((ty0, -1), (ty1, 1)):
                canvas.line(x, y + direction * gap, x, y + direction * (gap + CROP_MARK_LENGTH))
        for y in (ty0, ty1):
            for x, direction in ((tx0, -1), (tx1, 1)):
                canvas.line(x + direction * gap, y, x + direction * (gap + CROP_MARK_LENGTH), y)
        canvas.restoreState()

    # --- the build ------------------------------------------------------------------------

    def render(self) -> BuildResult:
        """Lay the booklet out (normally two passes) and return the PDF bytes and the report."""
        started = time.perf_counter()
        self.warnings = self._coverage_warnings()
        self._prepare_parts()
        pages: dict[str, int] = {}
        padding = 0
        estimate = max(8, len(self._printed_films) + 12)
        done_before = 0
        for pass_number in range(1, MAX_PASSES + 1):
            buffer = io.BytesIO()
            doc = _BookletDocument(buffer, self.geometry, title=self.snapshot.festival.name,
                                   author=self.snapshot.festival.name, creator="Festival Desk")
            doc.addPageTemplates(self.page_templates())
            cancelled: list[bool] = []

            def on_progress(kind, value, offset=done_before, cancelled=cancelled):
                if kind == "PAGE":
                    try:
                        self.progress(min(offset + value, 2 * estimate - 1), 2 * estimate,
                                      f"Laying out page {value} (pass {pass_number})")
                    except Cancelled:
                        cancelled.append(True)
                        raise

            doc.setProgressCallBack(on_progress)
            # The first pass only finds the pages; writing its PDF out would be wasted work.
            doc._doSave = pass_number > 1
            finding_pages = _FINDING_PAGES.set(pass_number == 1)
            try:
                doc.build(self.story(pages, padding))
            except Exception:
                if cancelled:
                    raise Cancelled("booklet build cancelled") from None
                raise
            finally:
                _FINDING_PAGES.reset(finding_pages)
            total_pages = doc.page
            base_pages = total_pages - padding
            wanted_padding = (-base_pages) % 4
            done_before += total_pages
            estimate = max(estimate, total_pages)
            if pass_number > 1 and doc.key_pages == pages and wanted_padding == padding:
                self.progress(2 * estimate, 2 * estimate, "Booklet ready")
                return BuildResult(pdf=buffer.getvalue(), pages=total_pages, films=len(self._printed_films),
                                   warnings=list(self.warnings), seconds=time.perf_counter() - started,
                                   passes=pass_number)
            pages, padding = dict(doc.key_pages), wanted_padding
        raise RuntimeError(f"page references did not settle after {MAX_PASSES} passes")

    # --- helpers --------------------------------------------------------------------------

    def _prepare_parts(self) -> None:
        """Build each section's flowables and the schedule once; every layout pass reuses them."""
        self._section_parts = {}
        for number, section in enumerate(self._sections, 1):
            self.progress(number, len(self._sections) + 1, f"Preparing {section.name}")
            self._section_parts[section.code] = self.section_story(section)
        self._schedule_part = self.schedule_story()

    def _back_matter(self) -> list[tuple[str, str]]:
        parts = []
        printed = {film.id for film in self._printed_films}
        if any(any(f in printed for f in s.film_ids) for s in self.snapshot.screenings):
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

    def _kept_together(self, parts: list[Flowable]) -> list[Flowable]:
        """`parts` preceded by a page break when they would not fit in what is left of the page.

        Measured once here rather than by KeepTogether on every pass: the entries are laid out
        in every pass, but their height never changes. Parts taller than a page start on a fresh
        page and split; their title stays with what follows (keepWithNext).
        """
        width, height = self.geometry.frame_width, self.geometry.frame_height
        total = 0.0
        for index, part in enumerate(parts):
            _, part_height = part.wrap(width, height)
            total += part_height + (part.getSpaceBefore() if index else 0) + part.getSpaceAfter()
        return [CondPageBreak(min(total, height)), *parts]

    def _section_entries(self, section: SectionEntry) -> list[_Entry]:
        in_programme = {film_id for programme in section.programmes for film_id in programme.film_ids}
        entries = []
        for film in section.films:
            if film.id in in_programme:
                continue
            screenings = self._screenings_by_film.get(film.id, [])
            entries.append(_Entry(f"film-{film.id}", self._film_sort_title(film), film.position,
                                  screenings[0].starts_at if screenings else None, film=film))
        for programme in section.programmes:
            members = [self._films_by_id[i] for i in programme.film_ids if i in self._films_by_id]
            starts = sorted(self._screenings_by_id[i].starts_at for i in programme.screening_ids
                            if i in self._screenings_by_id)
            entries.append(_Entry(f"programme-{programme.key}", sort_title(programme.title),
                                  min((m.position for m in members), default=0),
                                  starts[0] if starts else None, programme=programme))
        order = self.options.sort
        if order == "title":
            entries.sort(key=lambda e: (sort_key(e.title), e.key))
        elif order == "screening":
            entries.sort(key=lambda e: (e.first_screening is None, e.first_screening or 0, sort_key(e.title)))
        else:
            entries.sort(key=lambda e: (e.position, sort_key(e.title)))
        return entries

    def _film_sort_title(self, film: FilmEntry) -> str:
        return film.sort_title or sort_title(film.title)

    def _film_parts(self, film: FilmEntry, *, level: int, heading_style, with_still: bool,
                    with_screenings: bool, small_still: bool = False) -> list[Flowable]:
        shows = self.options.shows
        styles = self.styles
        parts: list[Flowable] = []
        if with_still and shows("still"):
            still = self._still_flowable(film, small_still)
            still.keepWithNext = 1
            parts += [still, Spacer(1, 4)]
        parts.append(_keyed(_Para(markup(film.title), heading_style), f"film-{film.id}", (film.title, level)))
        if shows("original_title") and film.original_title and film.original_title.strip() != film.title.strip():
            parts.append(_Para(markup(film.original_title), styles.original_title))
        meta = self._meta_line(film)
        if meta:
            line = _Para(meta, styles.meta)
            line.keepWithNext = 1
            parts.append(line)
        if shows("premiere") and film.premiere:
            parts.append(_Para(markup(self._premiere_label(film.premiere)), styles.premiere))
        if shows("synopsis"):
            parts += [_Para(markup(text), styles.synopsis) for text in _paragraphs(film.synopsis)]
        if shows("quote") and film.quote and film.quote.text.strip():
            parts.append(_Para(markup(f"«{film.quote.text.strip()}»"), styles.quote))
            credit = ", ".join(part for part in (film.quote.critic, film.quote.outlet) if part)
            if credit:
                parts.append(_Para("— " + markup(credit), styles.quote_credit))
        if shows("credits") and film.credits:
            lines = [f"<b>{markup(self._role_label(role))}:</b> {markup(', '.join(names))}"
                     for role, names in film.credits if names]
            if lines:
                parts.append(_Para("<br/>".join(lines), styles.muted))
        # Catalogue facts (accessibility, age, content advice): printing.catalogue_facts, issue 15.
        facts = facts_line(film.facts, self.options.language, self.labels.language_name)
        if facts:
            parts.append(_Para(facts, styles.muted))
        if with_screenings and shows("screenings"):
            parts += self._screening_lines(self._screenings_by_film.get(film.id, []), film)
        if parts and isinstance(parts[-1], Paragraph):
            parts[-1].keepWithNext = 0
        return parts

    def _meta_line(self, film: FilmEntry) -> str:
        shows = self.options.shows
        pieces = []
        if shows("directors") and film.directors:
            pieces.append(f"{markup(self.labels['directed_by'])} {markup(', '.join(film.directors))}")
        if shows("countries") and film.countries:
            pieces.append(markup(", ".join(self.labels.country(c.code, c.label) for c in film.countries)))
        if shows("year") and film.year:
            pieces.append(str(film.year))
        if shows("runtime") and film.runtime_minutes:
            pieces.append(f"{film.runtime_minutes} {markup(self.labels['min'])}")
        if shows("languages") and film.languages:
            pieces.append(markup(", ".join(self.labels.language_name(l.code, l.label) for l in film.languages)))
        return " · ".join(pieces)

    def _screening_lines(self, screenings: list[Screening], film: FilmEntry | None) -> list[Flowable]:
        lines = []
        for screening in screenings:
            pieces = [f"<b>{markup(self.labels.short_day(screening.starts_at.date()))}, "
                      f"{screening.starts_at:%H:%M}</b>",
                      markup(", ".join(part for part in (screening.venue, screening.screen) if part))]
            if film is not None and screening.title:
                pieces.append(f"<i>{markup(screening.title)}</i>")
            if screening.kind in ("press", "industry", "school"):
                pieces.append(markup(self.labels[screening.kind]))
            if screening.intro_minutes:
                pieces.append(markup(self.labels["intro"]))
            if screening.qa_minutes:
                qa = self.labels["qa"]
                if screening.guests:
                    qa += f" {self.labels['with_guests']} {', '.join(screening.guests)}"
                pieces.append(f"<b>{markup(qa)}</b>")
            if screening.premiere:
                pieces.append(f'<font color="{_hex(ACCENT)}">'
                              f"{markup(self._premiere_label(screening.premiere))}</font>")
            lines.append(_Para(" · ".join(pieces), self.styles.screening, bulletText="•"))
        return lines

    def _premiere_label(self, premiere: str) -> str:
        try:
            return self.labels[premiere]
        except KeyError:
            return premiere

    def _role_label(self, role: str) -> str:
        try:
            return self.labels[role]
        except KeyError:
            return role

    def _still_flowable(self, film: FilmEntry, small: bool) -> Flowable:
        g = self.geometry
        max_width = g.frame_width * (0.55 if small else 1.0)
        max_height = g.frame_height * (0.28 if small else 0.42)
        still = film.still
        label = f"Film {film.title!r}"
        if still is None or not still.data:
            self.warnings.append(f"{label}: no still; a placeholder is printed")
            return _StillPlaceholder(max_width, max_width * 9 / 16, self.labels["no_still"])
        reader, size, problem = _readable_image(still, f"{label}: still")
        if reader is None:
            self.warnings.append(problem)
            return _StillPlaceholder(max_width, max_width * 9 / 16, self.labels["no_still"])
        width_px, height_px = size
        scale = min(max_width / width_px, max_height / height_px)
        width, height = width_px * scale, height_px * scale
        dpi = width_px / (width / 72)
        if dpi < MIN_STILL_DPI:
            self.warnings.append(f"{label}: still is {dpi:.0f} dpi at its printed size "
                                 f"({width / mm:.0f} × {height / mm:.0f} mm); {MIN_STILL_DPI} dpi is the minimum "
                                 f"for print")
        return _Still(reader, width, height)

    def _venue_order(self, screenings: list[Screening]) -> list[str]:
        order = [venue.name for venue in self.snapshot.venues]
        for screening in sorted(screenings, key=lambda s: s.venue):
            if screening.venue not in order:
                order.append(screening.venue)
        return order

    def _grid_cell(self, screening: Screening, printed: set[int]) -> Paragraph:
        titles = screening.title or " / ".join(self._films_by_id[f].title for f in screening.film_ids
                                               if f in self._films_by_id and f in printed)
        extras = [screening.screen] if screening.screen else []
        if screening.qa_minutes:
            extras.append(self.labels["qa"])
        if screening.premiere:
            extras.append(self.labels["premiere_mark"])
        text = f"<b>{screening.starts_at:%H:%M}</b> {markup(titles)}"
        if extras:
            text += f'<br/><font color="{_hex(MUTED)}">{markup(" · ".join(extras))}</font>'
        return _Para(text, self.styles.grid_cell)

    def _coverage_warnings(self) -> list[str]:
        festival = self.snapshot.festival
        texts = [("Festival name", festival.name), ("Edition", festival.edition), ("Welcome text", festival.welcome)]
        for section in self._sections:
            texts += [(f"Section {section.code!r}", f"{section.name} {section.description}")]
            texts += [(f"Programme {p.title!r}", f"{p.title} {p.description}") for p in section.programmes]
        for film in self._printed_films:
            label = f"Film {film.title!r}"
            texts += [(f"{label}: title", f"{film.title} {film.original_title or ''}"),
                      (f"{label}: credits", " ".join(film.directors + [n for _, names in film.credits for n in names])),
                      (f"{label}: synopsis", film.synopsis),
                      (f"{label}: catalogue facts", " ".join(facts_phrases(film.facts, self.options.language,
                                                                            self.labels.language_name)))]
            if film.quote:
                texts.append((f"{label}: pull quote", f"{film.quote.text} {film.quote.critic} {film.quote.outlet}"))
        for venue in self.snapshot.venues:
            texts.append((f"Venue {venue.name!r}",
                          " ".join([venue.name, venue.address, venue.accessibility] + [s.name for s in venue.screens])))
        return coverage_warnings(texts)


def render_booklet(snapshot: BookletSnapshot, options: BookletOptions | None = None,
                   progress: Progress = no_progress) -> BuildResult:
    """Render `snapshot` with `options`; see `BookletRenderer` for the guarantees."""
    return BookletRenderer(snapshot, options, progress).render()


class _JpegSource:
    """JPEG bytes that ReportLab embeds as they are (DCTDecode), never decoding the pixels.

    ReportLab names an ImageReader's XObject by an MD5 of its decoded pixels (a full decode per
    drawing); a source that is not an ImageReader is named by `str()` instead, and one with
    `jpeg_fh` is copied through undecoded.
    """

    def __init__(self, data: bytes):
        self._data = data
        self._identity = "still-" + hashlib.sha1(data).hexdigest()

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self._data)

    def __str__(self) -> str:
        return self._identity


class _Still(Flowable):
    def __init__(self, source: _JpegSource, width: float, height: float):
        super().__init__()
        self.source, self.width, self.height = source, width, height

    def wrap(self, available_width, available_height):
        return (self.width, self.height)

    def draw(self):
        if not _FINDING_PAGES.get():
            self.canv.drawImage(self.source, 0, 0, self.width, self.height)


def _readable_image(image: StillImage, label: str):
    """(_JpegSource, (width_px, height_px), None) or (None, None, problem).

    A JPEG is checked for completeness and used as it is; other formats are decoded once and
    re-encoded as JPEG so that the PDF stays small and every pass is cheap.
    """
    data = image.data or b""
    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            size = opened.size
            if opened.format == "JPEG":
                if _JPEG_END not in data[-64:]:
                    raise OSError("the file is cut short")
                return _JpegSource(data), size, None
            opened.load()
            buffer = io.BytesIO()
            opened.convert("RGB").save(buffer, "JPEG", quality=90)
            return _JpegSource(buffer.getvalue()), size, None
    except PILImage.UnidentifiedImageError:
        return None, None, f"{label} cannot be read (not an image format we know); a placeholder is printed"
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        reason = str(error) or type(error).__name__
        return None, None, f"{label} cannot be read ({reason}); a placeholder is printed"


def _paragraphs(text: str | None) -> list[str]:
    """Blank-line separated paragraphs of `text` (single line breaks stay within a paragraph)."""
    if not text:
        return []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip("\n") for part in normalised.split("\n\n") if part.strip()]


def _hex(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


def _spaced(flowable: Flowable, space_after: float) -> Flowable:
    flowable.spaceAfter = space_after
    return flowable


def _fit(text: str, font_name: str, font_size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` (running heads must stay on one line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font_name, font_size) <= width:
        return text
    while text and stringWidth(text + "…", font_name, font_size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _lettered(entries, keys_of: dict[str, list[str]] | None = None) -> list[tuple[str, str, list[str]]]:
    """Index rows with a letter heading wherever the first letter of the sort form changes.

    `entries` are (sort form, label, key); with `keys_of`, a label's keys are looked up there.
    """
    rows: list[tuple[str, str, list[str]]] = []
    letter = None
    for sort_form, label, key in entries:
        folded = fold(sort_form).lstrip()
        first = folded[:1].upper() if folded[:1].isalpha() else "#"
        if first != letter:
            letter = first
            rows.append((markup(first), "index_letter", []))
        keys = keys_of[label] if keys_of is not None else [key]
        rows.append((markup(label), "index_entry", keys))
    return rows
