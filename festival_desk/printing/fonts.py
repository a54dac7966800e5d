"""The fonts of every printed output: shipped open-licence TTFs, registered once, always embedded.

ReportLab's own standard fonts (Helvetica …) are never embedded and cover no Cyrillic or Greek, and a
glyph a font lacks is drawn silently as a box. So every document uses only the family registered
here (Noto Sans, SIL OFL, with Latin Extended, Cyrillic and Greek), and text is checked with
`missing_glyphs` before it is printed so the build report can name what would not show.
"""

from __future__ import annotations

import importlib.resources
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Without this every stream is ASCII85-encoded in pure Python: most of a build's time (TECH-NOTES).
rl_config.useA85 = 0

FAMILY = "FestivalSans"


@dataclass(frozen=True)
class FontSet:
    """The registered names of the four faces of one family, for styles and canvas calls."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    family: str


FONTS = FontSet(
    regular=FAMILY,
    bold=f"{FAMILY}-Bold",
    italic=f"{FAMILY}-Italic",
    bold_italic=f"{FAMILY}-BoldItalic",
    family=FAMILY,
)

_FILES = {
    FONTS.regular: "NotoSans-Regular.ttf",
    FONTS.bold: "NotoSans-Bold.ttf",
    FONTS.italic: "NotoSans-Italic.ttf",
    FONTS.bold_italic: "NotoSans-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def fonts_directory() -> Path:
    """The folder holding the shipped TTFs and their licence (the repository's `resources/fonts`,
    installed as `festival_desk.resources/fonts`)."""
    return Path(str(importlib.resources.files("festival_desk.resources") / "fonts"))


def register_fonts() -> FontSet:
    """Register the family with ReportLab (once per process; thread-safe) and return its names.

    After this, Paragraph markup `<b>`, `<i>` and `<b><i>` selects the matching face.
    """
    global _registered
    with _lock:
        if not _registered:
            directory = fonts_directory()
            for name, file_name in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(directory / file_name)))
            pdfmetrics.registerFontFamily(
                FONTS.family,
                normal=FONTS.regular,
                bold=FONTS.bold,
                italic=FONTS.italic,
                boldItalic=FONTS.bold_italic,
            )
            # registerFontFamily maps the family name; map the regular face's own name too, so that
            # a style whose fontName is the regular face still finds its bold and italic.
            for bold, italic, face in ((0, 0, FONTS.regular), (1, 0, FONTS.bold),
                                       (0, 1, FONTS.italic), (1, 1, FONTS.bold_italic)):
                addMapping(FONTS.regular, bold, italic, face)
            _registered = True
    return FONTS


def _needs_glyph(character: str) -> bool:
    # Line breaks, tabs, soft hyphens and zero-width marks are layout, not glyphs.
    return unicodedata.category(character) not in ("Cc", "Cf", "Zl", "Zp")


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """The distinct characters of `text` that the font cannot draw, in order of first appearance."""
    register_fonts()
    covered = pdfmetrics.getFont(font_name or FONTS.regular).face.charToGlyph
    missing: dict[str, None] = {}
    for character in text:
        if ord(character) not in covered and _needs_glyph(character):
            missing.setdefault(character)
    return list(missing)


def coverage_warnings(labelled_texts: Iterable[tuple[str, str]], font_name: str | None = None) -> list[str]:
    """One warning per labelled text containing characters the fonts cannot show.

    `labelled_texts` pairs a label a reader can find (e.g. "Film 'Kino': synopsis") with the text.
    """
    warnings = []
    for label, text in labelled_texts:
        if not text:
            continue
        missing = missing_glyphs(text, font_name)
        if missing:
            shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:8])
            warnings.append(f"{label}: characters the fonts cannot show: {shown}")
    return warnings
