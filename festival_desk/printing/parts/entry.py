"""The film entry on the catalogue's grid: a text column of 55-70 characters beside a side column of
facts and credits, the still sized by the grid with its photo credit, the screenings."""

from __future__ import annotations

import hashlib
import io

from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from festival_desk.printing.catalogue_facts import facts_line
from festival_desk.printing.fonts import FONTS
from festival_desk.printing.parts.common import FINDING_PAGES, Marker, BookPara, keyed, split_paragraphs, unbroken
from festival_desk.printing.press_stills import StillConverter
from festival_desk.printing.snapshot import FilmEntry, Screening, StillImage
from festival_desk.printing.styles import markup
from festival_desk.printing.typography import hyphenator, quoted, typographic


MIN_STILL_DPI = 200


_JPEG_END = b"\xff\xd9"


class StillPlaceholder(Flowable):
    """A tinted box with a word, standing where a still is missing or unreadable."""

    def __init__(self, width: float, height: float, text: str, tint, ink):
        super().__init__()
        self.width, self.height, self.text = width, height, text
        self.tint, self.ink = tint, ink

    def wrap(self, available_width, available_height):
        return (self.width, self.height)

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(self.tint)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(self.ink)
        canvas.setFont(FONTS.italic, 8)
        canvas.drawCentredString(self.width / 2, self.height / 2 - 3, self.text)


class JpegSource:
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

    def draw_on(self, canvas, x: float, y: float, width: float, height: float) -> None:
        canvas.drawImage(self, x, y, width, height)


class Still(Flowable):
    """A still `width` wide and `height` tall (the image, `image_height` tall at that width, is
    centred and clipped), with its photo credit set small beneath it."""

    def __init__(self, source: JpegSource, width: float, height: float, image_height: float,
                 credit: Flowable | None = None):
        super().__init__()
        self.source, self.width, self.image_height, self.credit = source, width, image_height, credit
        self.picture_height = height
        self.height = height

    def wrap(self, available_width, available_height):
        self.height = self.picture_height
        if self.credit is not None:
            self.height += self.credit.wrap(self.width, available_height)[1] + 1
        return (self.width, self.height)

    def draw(self):
        if FINDING_PAGES.get():
            return
        bottom = self.height - self.picture_height
        canvas = self.canv
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(0, bottom, self.width, self.picture_height)
        canvas.clipPath(path, stroke=0, fill=0)
        offset = (self.image_height - self.picture_height) / 2
        self.source.draw_on(canvas, 0, bottom - offset, self.width, self.image_height)
        canvas.restoreState()
        if self.credit is not None:
            self.credit.drawOn(canvas, 0, 0)


def readable_image(image: StillImage, press: StillConverter | None = None, what: str = ""):
    """(source, (width_px, height_px), None) or (None, None, reason); the source draws itself
    (`source.draw_on(canvas, x, y, width, height)`).

    A JPEG is checked for completeness and used as it is; other formats are decoded once and
    re-encoded as JPEG so that the PDF stays small and every pass is cheap. With `press` (for the
    press file) the image is only checked here, and converted to the press profile's CMYK by
    `press` as the file is written; `what` names it in a warning should that fail.
    """
    data = image.data or b""
    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            size = opened.size
            if opened.format == "JPEG" and _JPEG_END not in data[-64:]:
                raise OSError("the file is cut short")
            if opened.format != "JPEG":
                opened.load()
            if press is not None:
                return press.still(data, size, what), size, None
            if opened.format == "JPEG" and opened.mode in ("RGB", "L"):
                return JpegSource(data), size, None
            opened.load()
            converted = opened.convert("RGB")
            buffer = io.BytesIO()
            converted.save(buffer, "JPEG", quality=90)
            return JpegSource(buffer.getvalue()), size, None
    except PILImage.UnidentifiedImageError:
        return None, None, "not an image format we know"
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        return None, None, str(error) or type(error).__name__



class EntryPart:
    """One film's entry. A part of `BookletRenderer`: it uses the renderer's snapshot, options, styles,
    colours, labels and geometry."""

    def film_flowables(self, film: FilmEntry) -> list[Flowable]:
        """One film's entry on the grid, kept on one page when it fits, so that short entries
        stand two to a page (see `_film_parts`)."""
        parts = self._film_parts(film, level=1, heading_style=self.styles.film_title, with_screenings=True)
        return [*self._kept_together(parts), Spacer(1, self.styles.body.fontSize * 1.6)]

    def grid_columns(self) -> tuple[float, float, float]:
        """(text column, gutter, side column) widths of an entry. The text column holds 55-70
        characters of the body face (58 on A5, where the side column needs room for names; 62 on
        wider pages); the side column takes the rest of the frame for facts and credits."""
        body = self.styles.body
        sample = "the film follows three women through one winter in a mining town, "
        per_character = stringWidth(sample, body.fontName, body.fontSize) / len(sample)
        gutter = 4 * mm
        target = 58 if self.geometry.frame_width < 400 else 62
        text = min(target * per_character, self.geometry.frame_width * 0.72)
        text = max(text, 55 * per_character) if 55 * per_character < self.geometry.frame_width * 0.78 else text
        side = self.geometry.frame_width - text - gutter
        return text, gutter, side

    def _text_language(self, film: FilmEntry) -> str:
        return film.text_language or self.snapshot.festival.text_language or "en"

    def _prose_style(self, style, language: str):
        """`style` hyphenating in `language` (cached: one clone per style and language)."""
        if language == (self.snapshot.festival.text_language or "en"):
            return style
        key = (style.name, language)
        if key not in self._language_styles:
            self._language_styles[key] = style.clone(f"{style.name}-{language}",
                                                     hyphenationLang=hyphenator(language) or "")
        return self._language_styles[key]

    def _is_compact(self, film: FilmEntry) -> bool:
        """A short film or a short text: its entry takes about half a page."""
        return (film.runtime_minutes or 0) < 40 or len(film.synopsis or "") <= 520

    def _film_parts(self, film: FilmEntry, *, level: int, heading_style, with_screenings: bool,
                    compact: bool | None = None) -> list[Flowable]:
        """A film's entry on the grid. A full entry: the still across the text column, then title
        and original title, then the text column (synopsis, pull quote) beside the side column
        (facts, credits, screenings). A compact entry (short film or short text, about half a
        page): title and text on the left, the still at the head of the side column."""
        shows = self.options.shows
        styles = self.styles
        text_width, gutter, side_width = self.grid_columns()
        compact = self._is_compact(film) if compact is None else compact
        # The key rides on a zero-size anchor at the top level: a title inside the columns table
        # would never reach the document's afterFlowable (pages, bookmarks, outline).
        anchor = keyed(Marker(None), f"film-{film.id}", (film.title, level))
        anchor.keepWithNext = 1
        heading: list[Flowable] = [BookPara(markup(film.title), heading_style)]
        if shows("original_title") and film.original_title and film.original_title.strip() != film.title.strip():
            heading.append(BookPara(markup(film.original_title), styles.original_title))
        if shows("directors") and film.directors:
            names = ", ".join(unbroken(name, styles.meta, text_width, bold=True) for name in film.directors)
            heading.append(BookPara(f"{markup(self.labels['directed_by'])} <b>{markup(names, bold=True)}</b>",
                                 styles.meta))
        text: list[Flowable] = []
        if shows("synopsis"):
            language = self._text_language(film)
            synopsis_style = self._prose_style(styles.synopsis, language)
            text += [BookPara(markup(typographic(paragraph, language)), synopsis_style)
                     for paragraph in split_paragraphs(film.synopsis)]
        if shows("quote") and film.quote and film.quote.text.strip():
            text.append(BookPara(markup(quoted(film.quote.text, self._text_language(film))),
                              self._prose_style(styles.quote, self._text_language(film))))
            credit = ", ".join(part for part in (film.quote.critic, film.quote.outlet) if part)
            if credit:
                text.append(BookPara("— " + markup(credit), styles.quote_credit))
        if with_screenings and shows("screenings"):
            screenings = self._screening_lines(self._screenings_by_film.get(film.id, []), film)
            if screenings:
                text += [Spacer(1, styles.body.fontSize * 0.4), *screenings]
        side: list[Flowable] = self._facts_flowables(film)
        still = None
        if shows("still"):
            still = self._still_flowable(film, side_width if compact else text_width,
                                         self.geometry.frame_height * (0.2 if compact else 0.34))
        parts: list[Flowable] = [anchor]
        if compact:
            if still is not None:
                side = [still, Spacer(1, 3), *side]
            parts += self._columns(heading + text, side, text_width, gutter, side_width)
            return parts
        if still is not None:
            still.keepWithNext = 1
            parts += [still, Spacer(1, 4)]
        for part in heading:
            part.keepWithNext = 1
        parts += heading
        parts += self._columns(text, side, text_width, gutter, side_width)
        return parts

    def _columns(self, text: list[Flowable], side: list[Flowable], text_width: float, gutter: float,
                 side_width: float) -> list[Flowable]:
        """Text column and side column side by side (one table row; the entry is kept on one page).
        A text longer than a page cannot stand in a table row: then the side column comes first,
        as a band, and the text flows on over pages."""
        table = Table([[text or "", "", side or ""]], colWidths=[text_width, gutter, side_width], hAlign="LEFT",
                      style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                        ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                        ("LINEBEFORE", (2, 0), (2, 0), 0.3, self.colours.rule),
                                        ("LEFTPADDING", (2, 0), (2, 0), 4)]))
        if table.wrap(self.geometry.frame_width, self.geometry.frame_height)[1] > self.geometry.frame_height * 0.9:
            return [*side, Spacer(1, self.styles.body.fontSize * 0.6), *text]
        return [table]

    def _facts_flowables(self, film: FilmEntry) -> list[Flowable]:
        """The side column: where, when, how long, in what language; premiere; credits (the
        directors stand under the title). Never hyphenated (names and facts)."""
        shows = self.options.shows
        styles = self.styles
        facts: list[Flowable] = []
        line = []
        if shows("countries") and film.countries:
            line.append(markup(", ".join(self.labels.country(c.code, c.label) for c in film.countries)))
        if shows("year") and film.year:
            line.append(str(film.year))
        if shows("runtime") and film.runtime_minutes:
            line.append(f"{film.runtime_minutes} {markup(self.labels['min'])}")
        if line:
            facts.append(BookPara(" · ".join(line), styles.fact))
        if shows("languages") and film.languages:
            facts.append(BookPara(markup(", ".join(self.labels.language_name(l.code, l.label) for l in film.languages)),
                               styles.fact))
        if shows("premiere") and film.premiere:
            facts.append(BookPara(markup(self._premiere_label(film.premiere)), styles.premiere))
        # Catalogue facts (accessibility, age, content advice): printing.catalogue_facts, issue 15.
        access = facts_line(film.facts, self.options.language, self.labels.language_name)
        if access:
            facts.append(BookPara(access, styles.fact))
        if shows("credits") and film.credits:
            lines = [f"<b>{markup(self._role_label(role), bold=True)}</b> "
                     f"{markup(', '.join(unbroken(name, styles.fact_small, self.grid_columns()[2]) for name in names))}"
                     for role, names in film.credits if names]
            if lines:
                facts.append(BookPara("<br/>".join(lines), styles.fact_small))
        return facts

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
                pieces.append(f"<b>{markup(qa, bold=True)}</b>")
            if screening.premiere:
                pieces.append(f'<font color="{self.colours.markup(self.colours.accent_text)}">'
                              f"{markup(self._premiere_label(screening.premiere))}</font>")
            lines.append(BookPara(" · ".join(pieces), self.styles.screening, bulletText="•"))
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

    def _still_flowable(self, film: FilmEntry, width: float, max_height: float) -> Flowable | None:
        """The film's still at the grid's width (cropped to `max_height` when taller) with its photo
        credit beneath; a placeholder box in a screen or proof file, and nothing in a press file,
        when the still is missing or unreadable (with a warning)."""
        still = film.still
        instead = ("its entry prints without a still" if self.options.press
                   else "a grey box stands in for it")
        problem = None
        if still is None or not still.data:
            problem = f"“{film.title}” has no still; {instead}."
        else:
            reader, size, reason = readable_image(still, self.press_stills, f"of “{film.title}”")
            if reader is None:
                problem = f"The still of “{film.title}” cannot be read ({reason}); {instead}."
        if problem is not None:
            self.warnings.append(problem)
            if self.options.press:
                return None
            return StillPlaceholder(width, min(max_height, width * 9 / 16), self.labels["no_still"],
                                     self.colours.placeholder, self.colours.muted)
        width_px, height_px = size
        height = min(max_height, width * height_px / width_px)
        # The still fills the grid's width; a tall one is cropped top and bottom to the height.
        dpi = width_px / (width / 72)
        if dpi < MIN_STILL_DPI:
            self.warnings.append(f"The still of “{film.title}” has {dpi:.0f} pixels per inch at its printed size "
                                 f"({width / mm:.0f} × {height / mm:.0f} mm); print needs at least "
                                 f"{MIN_STILL_DPI}.")
        credit = None
        if still.credit.strip():
            credit = BookPara(markup(still.credit.strip()), self.styles.photo_credit)
        return Still(reader, width, height, width * height_px / width_px, credit)
