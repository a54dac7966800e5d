"""The programme booklet: a print-ready catalogue rendered from a `BookletSnapshot`.

`BookletRenderer` is the document builder: it fixes the skeleton (cover, welcome, contents, section
openers and entries, schedule grids, indexes, venues, notes pages, back cover), the page templates
and the layout passes, and composes the parts a designer recognises, one module each in
`printing.parts` (cover, contents, opener, entry, programme, schedule, indexes, back matter). Every
part is a small overridable method; user text becomes markup only through `text.markup`.

The press variant is a property of the output (`BookletOptions.press`), not a second renderer: the
same parts in the press palette (CMYK, text in black ink), stills in CMYK, no links, made PDF/X-4
by `printing.press`.

Guarantees of `render()`:
- every font is embedded (only the shipped faces are referenced); text no shipped face can show
  prints as a visible box and is named in a readable warning (and a press build is refused);
- user text shows exactly as typed, in every script, and extracts from the PDF as typed;
- the page count is a multiple of 4 (intentional "Notes" pages before the back cover); section
  openers stand on right-hand pages;
- with bleed, backgrounds run past the trim edge and every page carries TrimBox and BleedBox;
- a missing or unreadable still becomes a placeholder (nothing in a press file) and a warning,
  never a failed build; a festival name that cannot fit the cover is refused;
- contents, indexes and the schedule show the final page numbers: layout is repeated until every
  page reference is stable (normally two passes, since numbers are set in fixed-width columns).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from festival_desk.core.errors import Cancelled, UserError
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.text import sort_key, sort_title
from festival_desk.printing.catalogue_facts import facts_phrases
from festival_desk.printing.colours import PRESS, SCREEN
from festival_desk.printing.fonts import FONTS, coverage_warnings, register_fonts
from festival_desk.printing.labels import Labels
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.parts.back_matter import BackMatterPart
from festival_desk.printing.parts.common import FINDING_PAGES, BookPara, Marker
from festival_desk.printing.parts.contents import ContentsPart
from festival_desk.printing.parts.cover import CoverPart
from festival_desk.printing.parts.entry import EntryPart
from festival_desk.printing.parts.indexes import IndexPart
from festival_desk.printing.parts.opener import OpenerPart
from festival_desk.printing.parts.programme import ProgrammePart
from festival_desk.printing.parts.schedule import SchedulePart
from festival_desk.printing.press import write_pdfx
from festival_desk.printing.press_stills import ConvertedStills, StillConverter
from festival_desk.printing.snapshot import (
    BookletSnapshot,
    FilmEntry,
    Screening,
    SectionEntry,
    ShortsProgramme,
)
from festival_desk.printing.styles import StyleSet, make_styles, markup, parse_colour
from festival_desk.printing.text import draw_line

CROP_MARK_SPACE = 10 * mm  # room outside the bleed for the marks
CROP_MARK_LENGTH = 6 * mm
MAX_PASSES = 4


@dataclass
class BuildResult:
    """The finished booklet and its report. `pdf` is empty when the file was written to an output
    as it was made (`render(output)`); `size` is the file's length in bytes either way."""

    pdf: bytes
    size: int
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
                frame.__dict__["_x1"] = x + getattr(frame, "column_offset", 0)
                frame._geom()
        super().handle_pageBegin()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Marker) and flowable.running_head is not None:
            self.running_head = flowable.running_head
        key = getattr(flowable, "booklet_key", None)
        if key and key not in self.key_pages:
            self.key_pages[key] = self.page
            self.canv.bookmarkPage(key)
            outline = getattr(flowable, "booklet_outline", None)
            if outline:
                title, level = outline
                self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


class BookletRenderer(CoverPart, ContentsPart, OpenerPart, EntryPart, ProgrammePart, SchedulePart,
                      IndexPart, BackMatterPart):
    """Renders one booklet. Create it with the snapshot and options, then call `render()`."""

    def __init__(self, snapshot: BookletSnapshot, options: BookletOptions | None = None,
                 progress: Progress = no_progress, still_cache: ConvertedStills | None = None):
        """`still_cache`: where a press file's converted stills are kept between builds (None:
        every still is converted)."""
        self.snapshot = snapshot
        self.options = (options or BookletOptions()).validate()
        self.progress = progress
        self.labels = Labels(self.options.language)
        self.colours = PRESS if self.options.press else SCREEN
        self.warnings: list[str] = []
        self.fonts = register_fonts()
        self.press_stills = StillConverter(on_failure=lambda message: self.warnings.append(message),
                                           on_converted=self._report_press_still,
                                           cache=still_cache) if self.options.press else None
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
        self._index_labels: dict[tuple[str, str], BookPara] = {}
        self._language_styles: dict[tuple[str, str], object] = {}
        self._pages: dict[str, int] = {}  # the previous pass's page of each key, for PageReference
        self._index_first_pages: dict[str, int] = {}  # this pass's first page of each index

    # --- overridable parts ----------------------------------------------------------------

    def make_styles(self) -> StyleSet:
        trim_width = self.options.trim_size_pt[0]
        # Type grows a little with the page: A5 8.5 pt, A4 10 pt.
        base_size = 8.5 if trim_width < 450 else 10.0
        return make_styles(base_size, self.snapshot.festival.text_language or "en", self.colours)

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
            PageTemplate("blank", [body_frame("blank")], onPageEnd=self.draw_marks),
            PageTemplate("back", [body_frame("back")], onPage=self.draw_back_cover, onPageEnd=self.draw_marks),
        ]
        columns = 2 if g.frame_width < 400 else 3
        gutter = 5 * mm
        column_width = (g.frame_width - gutter * (columns - 1)) / columns
        band = self.styles.heading.leading + self.styles.heading.spaceAfter
        for key, label in self._indexes():
            frames = []
            for column in range(columns):
                frame = Frame(g.offset + g.inner, g.offset + g.bottom, column_width, g.frame_height - band,
                              leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{key}-{column}")
                frame.mirrored = True
                frame.column_offset = column * (column_width + gutter)
                frames.append(frame)
            templates.append(PageTemplate(
                key, frames, onPage=lambda canvas, doc, label=label: self.draw_index_heading(canvas, doc, label),
                onPageEnd=self.draw_body_page))
        for section in self._sections:
            colour = self.colours.convert(parse_colour(section.colour))
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
            story += [NextPageTemplate("notes"), PageBreak(), Marker(""),
                      BookPara(markup(self.labels["notes"]), self.styles.heading)]
        story += self.back_cover_story()
        return story


    # --- page decoration ------------------------------------------------------------------


    def draw_body_page(self, canvas, doc) -> None:
        g = self.geometry
        style = self.styles.running_head
        top = g.offset + g.trim_height - g.top * 0.55
        folio_y = g.offset + g.bottom * 0.45
        recto = doc.page % 2 == 1
        left = g.frame_x(doc.page)
        right = left + g.frame_width
        head = doc.running_head if recto else self.snapshot.festival.name
        if head and not FINDING_PAGES.get():
            draw_line(canvas, right if recto else left, top, head, style, align="right" if recto else "left",
                      max_width=g.frame_width * 0.8)
        canvas.saveState()
        canvas.setFont(self.fonts.bold, style.fontSize)
        canvas.setFillColor(self.colours.text)
        if recto:
            canvas.drawRightString(right, folio_y, str(doc.page))
        else:
            canvas.drawString(left, folio_y, str(doc.page))
        canvas.restoreState()
        self.draw_marks(canvas, doc)


    def draw_marks(self, canvas, doc) -> None:
        """Crop marks at the trim corners, outside the bleed, when asked for."""
        if not self.options.crop_marks:
            return
        g = self.geometry
        tx0, ty0, tx1, ty1 = g.trim_box
        gap = g.bleed + 1 * mm
        canvas.saveState()
        canvas.setStrokeColor(self.colours.marks)
        canvas.setLineWidth(0.25)
        for x in (tx0, tx1):
            for y, direction in ((ty0, -1), (ty1, 1)):
                canvas.line(x, y + direction * gap, x, y + direction * (gap + CROP_MARK_LENGTH))
        for y in (ty0, ty1):
            for x, direction in ((tx0, -1), (tx1, 1)):
                canvas.line(x + direction * gap, y, x + direction * (gap + CROP_MARK_LENGTH), y)
        canvas.restoreState()

    # --- the build ------------------------------------------------------------------------

    def render(self, output: BinaryIO | None = None) -> BuildResult:
        """Lay the booklet out (normally two passes) and return the report.

        Without `output` the PDF is returned in `BuildResult.pdf`. With `output` (a binary file
        open for writing and seeking, empty) the PDF is written there as it is made and `pdf` is
        empty: beyond what the snapshot holds, one still at a time is in memory, never the whole
        file. A build that fails or is cancelled leaves a partial file in `output`; write into
        `core.files.replacing` to keep the previous file.
        """
        started = time.perf_counter()
        self.warnings = self._coverage_warnings()
        if self.options.press and self.warnings:
            raise UserError("press: the press file is not written, because some text cannot be printed: "
                            + " ".join(self.warnings))
        in_memory = output is None
        target = io.BytesIO() if in_memory else output
        if self.options.press:
            # ReportLab writes the pages; pikepdf then copies them, object by object, into PDF/X.
            with _scratch_file_beside(target) as pages_file:
                try:
                    pages, passes = self._lay_out(pages_file)
                finally:
                    self.press_stills.close()
                pages_file.seek(0)
                write_pdfx(pages_file, target, self.snapshot.festival.name)
        else:
            pages, passes = self._lay_out(target)
        size = target.tell()
        self.progress(1, 1, "Booklet ready")
        return BuildResult(pdf=target.getvalue() if in_memory else b"", size=size, pages=pages,
                           films=len(self._printed_films), warnings=list(self.warnings),
                           seconds=time.perf_counter() - started, passes=passes)

    def _lay_out(self, output: BinaryIO) -> tuple[int, int]:
        """Lay the pages out until every page reference is stable, writing the last pass's PDF to
        `output` (from its start); returns (pages, passes)."""
        self._prepare_parts()
        pages: dict[str, int] = {}
        padding = 0
        estimate = max(8, len(self._printed_films) + 12)
        done_before = 0
        for pass_number in range(1, MAX_PASSES + 1):
            output.seek(0)
            output.truncate()
            doc = _BookletDocument(output, self.geometry, title=self.snapshot.festival.name,
                                   author=self.snapshot.festival.name, creator="Festival Desk",
                                   # A press file converts any colour that is not CMYK, never prints RGB.
                                   enforceColorSpace="sep_cmyk" if self.options.press else None)
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
            self._pages.clear()
            self._pages.update(pages)
            self._index_first_pages.clear()
            # The first pass only finds the pages; writing its PDF out would be wasted work.
            doc._doSave = pass_number > 1
            finding_pages = FINDING_PAGES.set(pass_number == 1)
            try:
                doc.build(self.story(pages, padding), canvasmaker=_StreamingCanvas)
            except Exception:
                if cancelled:
                    raise Cancelled("booklet build cancelled") from None
                raise
            finally:
                FINDING_PAGES.reset(finding_pages)
            total_pages = doc.page
            base_pages = total_pages - padding
            wanted_padding = (-base_pages) % 4
            done_before += total_pages
            estimate = max(estimate, total_pages)
            if pass_number > 1 and doc.key_pages == pages and wanted_padding == padding:
                return total_pages, pass_number
            pages, padding = dict(doc.key_pages), wanted_padding
        raise RuntimeError(f"page references did not settle after {MAX_PASSES} passes")

    # --- helpers --------------------------------------------------------------------------

    def _report_press_still(self, converted: int) -> None:
        total = max(converted, self.press_stills.total)
        self.progress(converted, total, f"Converting still {converted} of {total} for print")

    def _prepare_parts(self) -> None:
        """Build each section's flowables and the schedule once; every layout pass reuses them."""
        self._section_parts = {}
        for number, section in enumerate(self._sections, 1):
            self.progress(number, len(self._sections) + 1, f"Preparing {section.name}")
            self._section_parts[section.code] = self.section_story(section)
        self._schedule_part = self.schedule_story()


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


    def _coverage_warnings(self) -> list[str]:
        """A readable sentence for every printed text holding characters no shipped font has."""
        festival = self.snapshot.festival
        texts = [("The festival name", festival.name), ("The edition", festival.edition),
                 ("The welcome text", festival.welcome)]
        for section in self._sections:
            texts += [(f"The name of section {section.code}", section.name),
                      (f"The description of section {section.code}", section.description)]
            for programme in section.programmes:
                texts += [(f"The title of the programme “{programme.title}”", programme.title),
                          (f"The description of the programme “{programme.title}”", programme.description)]
        for film in self._printed_films:
            name = f"“{film.title}”"
            texts += [(f"The title of {name}", film.title),
                      (f"The original title of {name}", film.original_title or ""),
                      (f"The directors of {name}", ", ".join(film.directors)),
                      (f"The credits of {name}", " ".join(n for _, names in film.credits for n in names)),
                      (f"The synopsis of {name}", film.synopsis),
                      (f"The catalogue facts of {name}",
                       " · ".join(facts_phrases(film.facts, self.options.language, self.labels.language_name)))]
            if film.quote:
                texts.append((f"The pull quote for {name}",
                              f"{film.quote.text} {film.quote.critic} {film.quote.outlet}"))
            if film.still is not None and film.still.credit:
                texts.append((f"The photo credit of {name}", film.still.credit))
        for venue in self.snapshot.venues:
            texts.append((f"The venue “{venue.name}”",
                          " ".join([venue.name, venue.address, venue.accessibility] + [s.name for s in venue.screens])))
        return coverage_warnings(texts)


def render_booklet(snapshot: BookletSnapshot, options: BookletOptions | None = None,
                   progress: Progress = no_progress, output: BinaryIO | None = None,
                   still_cache: ConvertedStills | None = None) -> BuildResult:
    """Render `snapshot` with `options` (into `output` when given, see `BookletRenderer.render`);
    see `BookletRenderer` for the guarantees."""
    return BookletRenderer(snapshot, options, progress, still_cache).render(output)


class _StreamingDocument(PDFDocument):
    """ReportLab's PDF document, written to the output object by object as it is formatted.

    ReportLab formats every object of the file (each still's JPEG data copied into its object) into
    a list, joins the list and only then writes: at 300 camera-size stills that is twice the file's
    150 MB in memory at once, on top of the stills the snapshot holds. `PDFDocument.format()` hands
    its collector (a `PDFFile`, which so far holds the file's header) to `self.__accum__` before the
    first object; catching that hand-over, the collector's pending bytes go to the output and its
    `write` is pointed at the output, so that one object at a time is in memory and `format()`
    returns nothing left to write. Offsets (and so the cross-reference table) are the collector's
    own count, as before.
    """

    _output: BinaryIO

    def SaveToFile(self, filename, canvas):
        self._output = filename  # always the open output of `_lay_out`
        super().SaveToFile(filename, canvas)

    @property
    def __accum__(self):
        return self.__dict__["_collector"]

    @__accum__.setter
    def __accum__(self, collector) -> None:
        for piece in collector.strings:
            self._output.write(piece)
        collector.strings.clear()
        collector.write = self._output.write
        self.__dict__["_collector"] = collector

    @__accum__.deleter
    def __accum__(self) -> None:
        del self.__dict__["_collector"]


class _StreamingCanvas(Canvas):
    """A canvas whose document streams to the output (see `_StreamingDocument`)."""

    def __init__(self, *arguments, **keywords):
        super().__init__(*arguments, **keywords)
        # The canvas makes its PDFDocument itself; the subclass adds no state, only the streaming save.
        self._doc.__class__ = _StreamingDocument


@contextlib.contextmanager
def _scratch_file_beside(output: BinaryIO) -> Iterator[BinaryIO]:
    """A scratch file for the pages before they become the press file: on disk beside `output`
    when that is a file (a temporary without a name, gone even when the process is killed),
    else in memory."""
    name = getattr(output, "name", None)
    if isinstance(name, (str, bytes, os.PathLike)):
        with tempfile.TemporaryFile(dir=os.path.dirname(os.path.abspath(name))) as scratch:
            yield scratch
    else:
        yield io.BytesIO()
