"""Shared look of every printed output: colours, paragraph styles, and escaping of user text.

All printed outputs (booklet, shortlist sheets, day sheets) take their styles from `make_styles` so
they look like one family, and put user text into Paragraph markup only through `markup`/`attribute`:
ReportLab silently turns `AT&T` into `AT&T;` and drops `<Found>` from `Lost & <Found>` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from festival_desk.printing.colours import SCREEN, Palette
from festival_desk.printing.fonts import register_fonts
from festival_desk.printing.typography import MIN_WORD_LENGTH, hyphenator
from festival_desk.printing.text import attribute, markup  # noqa: F401  (the one place user text becomes markup)

INK = SCREEN.text
MUTED = SCREEN.muted
RULE = SCREEN.rule
ACCENT = SCREEN.accent
PAPER_TINT = SCREEN.tint
PLACEHOLDER = SCREEN.placeholder

# The styles that hyphenate (running text); every other style never breaks a word.
PROSE_STYLES = frozenset(("body", "small", "muted", "section_text", "synopsis", "quote"))


def parse_colour(value: str | None, default: colors.Color = ACCENT) -> colors.Color:
    """A colour from `#rrggbb` (or a ReportLab colour name); `default` for anything unreadable."""
    if not value:
        return default
    try:
        return colors.toColor(value.strip())
    except ValueError:
        return default


def text_colour_on(background: colors.Color, palette: Palette = SCREEN) -> colors.Color:
    """The palette's text colour or paper white, whichever reads better on `background` (RGB)."""
    red, green, blue = background.rgb()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return palette.text if luminance > 0.55 else palette.paper


@dataclass(frozen=True)
class StyleSet:
    """The named paragraph styles of one document, built for one base size and label language."""

    styles: Mapping[str, ParagraphStyle]

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]

    def __getattr__(self, name: str) -> ParagraphStyle:
        try:
            return self.styles[name]
        except KeyError:
            raise AttributeError(name) from None


def make_styles(base_size: float = 8.5, language: str = "en", palette: Palette = SCREEN) -> StyleSet:
    """The shared paragraph styles, scaled from `base_size` (points), with prose (body, synopsis,
    quotes, section texts) hyphenated in `language`, the language of the texts (at least three
    letters either side of a break, words of seven letters or more); titles, names, facts, grids
    and indexes are never hyphenated.

    Every style uses only the registered family, so no standard (unembedded) font is referenced.
    Long words and URLs wrap (`splitLongWords`, `uriWasteReduce`).
    """
    fonts = register_fonts()
    s = base_size
    hyphenation = hyphenator(language) or ""
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=s,
        leading=s * 1.32,
        textColor=palette.text,
        hyphenationLang=hyphenation,
        hyphenationMinWordLength=MIN_WORD_LENGTH,
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=fonts.regular,
    )

    def derive(name: str, **overrides) -> ParagraphStyle:
        if name not in PROSE_STYLES:
            overrides.setdefault("hyphenationLang", "")
        return ParagraphStyle(name, parent=base, **overrides)

    bold, italic = fonts.bold, fonts.italic
    styles = {
        "body": base,
        "small": derive("small", fontSize=s * 0.85, leading=s * 1.1),
        "muted": derive("muted", fontSize=s * 0.85, leading=s * 1.1, textColor=palette.muted),
        "cover_title": derive("cover_title", fontName=bold, fontSize=s * 3.6, leading=s * 4.0,
                              alignment=TA_LEFT, hyphenationLang=""),
        "cover_subtitle": derive("cover_subtitle", fontSize=s * 1.6, leading=s * 2.0),
        "heading": derive("heading", fontName=bold, fontSize=s * 1.9, leading=s * 2.3,
                          spaceAfter=s * 0.8, keepWithNext=1, hyphenationLang=""),
        "subheading": derive("subheading", fontName=bold, fontSize=s * 1.2, leading=s * 1.5,
                             spaceBefore=s * 0.6, spaceAfter=s * 0.3, keepWithNext=1),
        "section_title": derive("section_title", fontName=bold, fontSize=s * 3.0, leading=s * 3.4,
                                hyphenationLang=""),
        "section_text": derive("section_text", fontSize=s * 1.15, leading=s * 1.55),
        "film_title": derive("film_title", fontName=bold, fontSize=s * 1.55, leading=s * 1.85,
                             spaceBefore=s * 0.3, keepWithNext=1),
        "original_title": derive("original_title", fontName=italic, fontSize=s, leading=s * 1.3,
                                 textColor=palette.muted, keepWithNext=1),
        "meta": derive("meta", fontSize=s * 0.9, leading=s * 1.2, textColor=palette.muted, spaceAfter=s * 0.3),
        "premiere": derive("premiere", fontName=bold, fontSize=s * 0.8, leading=s * 1.1, textColor=palette.accent_text),
        "synopsis": derive("synopsis", spaceAfter=s * 0.4),
        # Pull quotes stand apart: larger, italic, with room around them (in black, like all text).
        "quote": derive("quote", fontName=italic, fontSize=s * 1.15, leading=s * 1.45, spaceBefore=s * 0.5),
        # Facts and names break between words only (ReportLab would split a word to fill a line).
        "fact": derive("fact", fontSize=s * 0.88, leading=s * 1.18, spaceAfter=s * 0.25, splitLongWords=0),
        "fact_small": derive("fact_small", fontSize=s * 0.8, leading=s * 1.05, textColor=palette.muted,
                             spaceBefore=s * 0.2, spaceAfter=s * 0.35, splitLongWords=0),
        "photo_credit": derive("photo_credit", fontSize=s * 0.62, leading=s * 0.8, textColor=palette.muted,
                               alignment=TA_RIGHT),
        "quote_credit": derive("quote_credit", fontSize=s * 0.85, leading=s * 1.15,
                               textColor=palette.muted, spaceAfter=s * 0.4, alignment=TA_LEFT),
        "screening": derive("screening", fontSize=s * 0.9, leading=s * 1.2, leftIndent=s * 0.9,
                            bulletIndent=0, bulletFontSize=s * 0.9),
        "programme_film": derive("programme_film", fontName=bold, fontSize=s * 1.1, leading=s * 1.4,
                                 spaceBefore=s * 0.5, keepWithNext=1),
        "toc_section": derive("toc_section", fontName=bold, fontSize=s * 1.05, leading=s * 1.5,
                              spaceBefore=s * 0.5),
        "toc_film": derive("toc_film", fontSize=s * 0.9, leading=s * 1.2, leftIndent=s),
        "index_letter": derive("index_letter", fontName=bold, fontSize=s * 1.2, leading=s * 1.6,
                               spaceBefore=s * 0.5, keepWithNext=1, textColor=palette.accent_text),
        "index_entry": derive("index_entry", fontSize=s * 0.85, leading=s * 1.1, leftIndent=s,
                              firstLineIndent=-s, hyphenationLang=""),
        "index_number": derive("index_number", fontSize=s * 0.85, leading=s * 1.1, alignment=TA_RIGHT,
                               hyphenationLang=""),
        "grid_head": derive("grid_head", fontName=bold, fontSize=s * 0.75, leading=s * 0.95,
                            hyphenationLang=""),
        "grid_cell": derive("grid_cell", fontSize=s * 0.7, leading=s * 0.88, hyphenationLang=""),
        "grid_time": derive("grid_time", fontName=bold, fontSize=s * 0.7, leading=s * 0.88),
        "running_head": derive("running_head", fontSize=s * 0.75, leading=s * 0.9, textColor=palette.muted),
        "centred": derive("centred", alignment=TA_CENTER),
        "right": derive("right", alignment=TA_RIGHT),
    }
    return StyleSet(styles)
