"""The fonts of every printed output: shipped open-licence faces, registered once, always embedded.

ReportLab's own standard fonts (Helvetica …) are never embedded and cover no Cyrillic or Greek, and a
glyph a font lacks is drawn silently as a blank. So every document uses only the faces shipped in
`resources/fonts` (see its README for origin, licence and size): Noto Sans for Latin, Cyrillic and
Greek, and one fallback family per other script (Hebrew, Arabic, Devanagari, Thai, Georgian,
Armenian, CJK and Hangul, symbols). `script_runs` splits a text into runs, each set in the first face
that has its glyphs; `styles.markup` turns the runs into Paragraph markup. A character that no shipped
face has is reported (`missing_glyphs`, `coverage_warnings`) and printed as a visible box.

Fallback faces are read from disk only when a text first needs them, so a festival in Latin script
pays nothing for the CJK face.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont
from reportlab.pdfgen.textobject import PDFTextObject

try:
    import uharfbuzz
except ImportError:  # shaping then stays off (ReportLab checks the same import)
    uharfbuzz = None

# Without this every stream is ASCII85-encoded in pure Python: most of a build's time (TECH-NOTES).
rl_config.useA85 = 0

FAMILY = "FestivalSans"
# What ReportLab shapes as one word: text between spaces, a no-break space holding a name together.
_WORD_SEPARATORS = re.compile(r"[^\S\u00a0]+")


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


@dataclass(frozen=True)
class Fallback:
    """A face for the characters the text face lacks. `shaping`: the script needs OpenType shaping
    (joining, reordering, marks); `right_to_left`: its text runs right to left."""

    family: str
    regular: str
    bold: str | None = None
    shaping: bool = False
    right_to_left: bool = False
    script: str = ""


# In the order they are tried for a character the text face lacks.
FALLBACKS = (
    Fallback("FestivalHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf",
             shaping=True, right_to_left=True, script="Hebrew"),
    Fallback("FestivalArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
             shaping=True, right_to_left=True, script="Arabic"),
    Fallback("FestivalDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
             shaping=True, script="Devanagari"),
    Fallback("FestivalThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", shaping=True, script="Thai"),
    Fallback("FestivalGeorgian", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf", script="Georgian"),
    Fallback("FestivalArmenian", "NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf", script="Armenian"),
    Fallback("FestivalCJK", "WenQuanYiMicroHei.ttc", script="Chinese, Japanese and Korean"),
    Fallback("FestivalSymbols", "NotoSansSymbols2-Regular.ttf", script="symbols"),
)
FALLBACK_BY_FAMILY = {fallback.family: fallback for fallback in FALLBACKS}
SHAPED_FAMILIES = frozenset(f.family for f in FALLBACKS if f.shaping)
RIGHT_TO_LEFT_FAMILIES = frozenset(f.family for f in FALLBACKS if f.right_to_left)
SYMBOLS = "FestivalSymbols"
MISSING = ""  # the run "family" of characters that no shipped face has

_lock = threading.RLock()
_registered = False
_loaded_fallbacks: dict[str, frozenset[int]] = {}
_base_characters: frozenset[str] = frozenset()
_face_of_character: dict[str, str | None] = {}


def fonts_directory() -> Path:
    """The folder holding the shipped fonts and their licences (the repository's `resources/fonts`,
    installed as `festival_desk.resources/fonts`)."""
    return Path(str(importlib.resources.files("festival_desk.resources") / "fonts"))


def register_fonts() -> FontSet:
    """Register the text family with ReportLab (once per process; thread-safe) and return its names.

    After this, Paragraph markup `<b>`, `<i>` and `<b><i>` selects the matching face.
    """
    global _registered, _base_characters
    with _lock:
        if not _registered:
            directory = fonts_directory()
            for name, file_name in _FILES.items():
                pdfmetrics.registerFont(_ShippedFace(name, str(directory / file_name)))
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
            covered = pdfmetrics.getFont(FONTS.regular).face.charToGlyph
            # The four faces cover the same characters; a set of str makes `set(text) <= …` a C loop.
            _base_characters = frozenset(chr(code) for code in covered)
            _registered = True
    return FONTS


class _ShippedFace(TTFont):
    """A face whose glyphs extract as the text they stand for: no-break spaces as spaces, and
    shaped glyphs as the characters they came from.

    HarfBuzz turns text into glyphs a font's character map may not name: Arabic joining forms,
    ligatures (Hebrew alef-lamed, Devanagari conjuncts). ReportLab writes those into the PDF's
    ToUnicode map as presentation-form or private code points, so copying or searching the PDF's
    text finds "ﻵ" or nothing. Here the map gives each such glyph the characters it came from:
    presentation forms their compatibility decomposition, private glyphs the text recorded when
    the run was first shaped (`record_glyph_texts`).

    A map per glyph cannot give back the order of the text where shaping reorders it (a Devanagari
    reph is drawn after the letter it sits on, a pre-base vowel sign before its consonant): such
    words are remembered by their glyphs (`reordered_words`) and drawn inside a marked-content span
    whose ActualText is the word as typed (`_format_text_with_actual_text`).
    """

    def __init__(self, *args, right_to_left: bool = False, **keywords):
        super().__init__(*args, **keywords)
        self.right_to_left = right_to_left
        self.glyph_texts: dict[int, str] = {}
        self.reordered_words: dict[tuple[int, ...], str] = {}

    def record_glyph_texts(self, text: str) -> None:
        """Shape each word of `text` as ReportLab will, and remember the characters behind every
        glyph the character map does not name."""
        if uharfbuzz is None:
            return
        glyph_to_char = self.face.glyphToChar
        font = uharfbuzz.Font(self.hbFace)
        for word in _WORD_SEPARATORS.split(text):
            if not word:
                continue
            buffer = uharfbuzz.Buffer()
            buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
            buffer.add_str(word)
            buffer.guess_segment_properties()
            uharfbuzz.shape(font, buffer, {"kern": True, "liga": True, "dlig": True})
            infos = buffer.glyph_infos
            starts = sorted({info.cluster for info in infos})
            for cluster in starts:
                following = [c for c in starts if c > cluster]
                cluster_text = word[cluster:following[0] if following else len(word)]
                glyphs = [info.codepoint for info in infos if info.cluster == cluster]
                if len(glyphs) == 1:
                    named = glyph_to_char.get(glyphs[0])
                    # A bracket mirrored for right-to-left text is still the bracket its glyph shows.
                    if named and unicodedata.mirrored(cluster_text[:1]) and len(cluster_text) == 1:
                        continue
                    if not named or chr(named[0]) != cluster_text:
                        self.glyph_texts.setdefault(glyphs[0], cluster_text)
                    continue
                remaining = list(cluster_text)
                for gid in glyphs:
                    if gid in glyph_to_char and chr(glyph_to_char[gid][0]) in remaining:
                        remaining.remove(chr(glyph_to_char[gid][0]))
                for gid in glyphs:
                    if gid not in glyph_to_char:
                        self.glyph_texts.setdefault(gid, "".join(remaining) or cluster_text)
                        remaining = []
            if not self.right_to_left:
                # Right-to-left words are read back reversed glyph by glyph (see `_text_of`).
                glyphs = [info.codepoint for info in infos]
                read_back = "".join(self.glyph_texts.get(gid, "") if gid not in glyph_to_char
                                    else self._text_of(glyph_to_char[gid][0]) for gid in glyphs)
                # A no-break space reads back as a space, as everywhere (see `_text_of`).
                typed = word.replace("\u00a0", " ")
                if read_back != typed:
                    self.reordered_words.setdefault(self._drawn_glyphs(glyphs), typed)

    def _drawn_glyphs(self, glyphs: list[int]) -> tuple[int, ...]:
        """`glyphs` as they are found again in a drawn ShapedStr: ReportLab writes a glyph as the
        first character the font maps to it, and that character's glyph may be another one with
        the same shape (a no-break space drawn as the space)."""
        glyph_to_char, char_to_glyph = self.face.glyphToChar, self.face.charToGlyph
        return tuple(char_to_glyph.get(glyph_to_char[gid][0], gid) if gid in glyph_to_char else gid
                     for gid in glyphs)

    def _text_of(self, code: int) -> str:
        """The text behind glyph `code`: for a right-to-left script in visual order, since readers
        of the PDF (pdftotext, viewers' copy) reverse a right-to-left glyph run character by
        character."""
        character = chr(code)
        if code == 0xA0:
            # Names are tied with no-break spaces so that a line never splits them; whoever copies
            # or searches the PDF's text expects the plain space they typed.
            return " "
        text = self.glyph_texts.get(self.face.charToGlyph.get(code, -1))
        if text is None and (0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF):
            text = unicodedata.normalize("NFKC", character)
        if text is None:
            return character
        return text[::-1] if self.right_to_left and len(text) > 1 else text

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            base_name = (b"".join((pdfmetrics_subset_prefix(number), b"+", self.face.name,
                                   self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
            if stream is not None:
                stream.content = _to_unicode_cmap(base_name, [self._text_of(code) for code in subset])


_format_text = PDFTextObject._formatText


def _format_text_with_actual_text(text_object: PDFTextObject, text: str) -> str:
    """ReportLab's text operators for `text`, with each word a shipped face recorded as reordered
    by shaping wrapped in `/Span <</ActualText …>> BDC … EMC`, so that PDF readers (pdftotext,
    search, copy) give the word as typed. Every other text is written exactly as ReportLab does."""
    font = pdfmetrics.getFont(text_object._fontname)
    reordered = getattr(font, "reordered_words", None)
    if not reordered or not isinstance(text, ShapedStr):
        return _format_text(text_object, text)
    char_to_glyph = font.face.charToGlyph
    operators, start = [], 0
    for word in re.finditer(r"[^ ]+", text):
        actual = reordered.get(tuple(char_to_glyph.get(ord(c), -1) for c in word.group()))
        if actual is None:
            continue
        if word.start() > start:
            operators.append(_format_text(text_object, text[start:word.start()]))
        marked = "FEFF" + actual.encode("utf-16-be").hex().upper()
        operators.append(f"/Span <</ActualText <{marked}>>> BDC "
                         f"{_format_text(text_object, text[word.start():word.end()])} EMC")
        start = word.end()
    if not operators:
        return _format_text(text_object, text)
    if start < len(text):
        operators.append(_format_text(text_object, text[start:]))
    return " ".join(operators)


# ReportLab has no hook for marked content around the text it draws: its one text formatter is
# wrapped, changing nothing but adding spans around the words recorded above.
PDFTextObject._formatText = _format_text_with_actual_text


def pdfmetrics_subset_prefix(number: int) -> bytes:
    from reportlab.pdfbase.ttfonts import SUBSETN

    return SUBSETN(number)


def _to_unicode_cmap(font_name: str, texts: list[str]) -> str:
    """A ToUnicode CMap mapping code i to texts[i] (any length, any plane, UTF-16BE)."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({font_name})", f"/Ordering ({font_name})", "/Supplement 0", ">> def",
        f"/CMapName /{font_name} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>", "endcodespacerange", f"{len(texts)} beginbfchar",
    ]
    lines += [f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in enumerate(texts)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def record_shaped_text(family: str, text: str) -> None:
    """Let the faces of a shaped `family` know `text` before it is laid out (see `_ShippedFace`)."""
    for name in (family, f"{family}-Bold"):
        try:
            font = pdfmetrics.getFont(name)
        except KeyError:
            continue
        if isinstance(font, _ShippedFace):
            font.record_glyph_texts(text)


def _load_fallback(fallback: Fallback) -> frozenset[int]:
    """Register `fallback` (regular and bold; italics use the upright faces) and return the code
    points it covers."""
    with _lock:
        covered = _loaded_fallbacks.get(fallback.family)
        if covered is None:
            directory = fonts_directory()
            def face_class(name: str, path: str) -> TTFont:
                return _ShippedFace(name, path, right_to_left=fallback.right_to_left)

            regular = face_class(fallback.family, str(directory / fallback.regular))
            pdfmetrics.registerFont(regular)
            bold_name = fallback.family
            if fallback.bold:
                bold_name = f"{fallback.family}-Bold"
                pdfmetrics.registerFont(face_class(bold_name, str(directory / fallback.bold)))
            pdfmetrics.registerFontFamily(fallback.family, normal=fallback.family, bold=bold_name,
                                          italic=fallback.family, boldItalic=bold_name)
            covered = frozenset(regular.face.charToGlyph)
            _loaded_fallbacks[fallback.family] = covered
        return covered


def _is_layout(character: str) -> bool:
    # Line breaks, tabs, soft hyphens and zero-width marks are layout, not glyphs.
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")


def face_of(character: str) -> str | None:
    """The family that prints `character`: None for the text face, a fallback family, or MISSING."""
    register_fonts()
    if character in _base_characters or _is_layout(character):
        return None
    try:
        return _face_of_character[character]
    except KeyError:
        pass
    code = ord(character)
    found = MISSING
    for fallback in FALLBACKS:
        if code in _load_fallback(fallback):
            found = fallback.family
            break
    _face_of_character[character] = found
    return found


def script_runs(text: str) -> list[tuple[str | None, str]]:
    """`text` as consecutive (family, run) pairs: family None is the text face, MISSING marks
    characters no shipped face has. Spaces stay in the run they are in, so a phrase in one script
    is one run."""
    register_fonts()
    if set(text) <= _base_characters:
        return [(None, text)] if text else []
    families = [face_of(character) for character in text]
    # ReportLab shapes a word (text between spaces) in the face of its first character and maps the
    # glyphs back through each run's own face: a word holding a shaped script must be in that face
    # entirely, so its punctuation and digits join the script's run (the shaped faces carry them).
    start = 0
    # A no-break space holds a word together for ReportLab too: it does not end a word here.
    for end in [*(i for i, c in enumerate(text) if c.isspace() and c != "\u00a0"), len(text)]:
        shaped = next((f for f in families[start:end] if f in SHAPED_FAMILIES), None)
        if shaped is not None:
            covered = _loaded_fallbacks[shaped]
            for index in range(start, end):
                character = text[index]
                if families[index] is None and not character.isalpha() and ord(character) in covered:
                    families[index] = shaped
        start = end + 1
    runs: list[tuple[str | None, list[str]]] = []
    for character, family in zip(text, families, strict=True):
        if character == " " and runs and runs[-1][0] != MISSING:
            family = runs[-1][0]
        if runs and runs[-1][0] == family:
            runs[-1][1].append(character)
        else:
            runs.append((family, [character]))
    return [(family, "".join(characters)) for family, characters in runs]


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """The distinct characters of `text` that no shipped face can draw (or, with `font_name`, that
    this one font lacks), in order of first appearance."""
    register_fonts()
    if font_name is not None:
        covered = pdfmetrics.getFont(font_name).face.charToGlyph
        missing = dict.fromkeys(c for c in text if ord(c) not in covered and not _is_layout(c))
        return list(missing)
    if set(text) <= _base_characters:
        return []
    return list(dict.fromkeys(c for c in text if face_of(c) == MISSING))


def describe_characters(characters: Iterable[str]) -> str:
    """Characters as a reader can find them: “😀” (grinning face), “𓀀” (egyptian hieroglyph a001)."""
    described = []
    for character in characters:
        name = unicodedata.name(character, "").lower()
        described.append(f"“{character}” ({name})" if name else f"“{character}”")
    return ", ".join(described)


def coverage_warnings(labelled_texts: Iterable[tuple[str, str]], font_name: str | None = None) -> list[str]:
    """One readable sentence per labelled text containing characters no shipped face can print.

    `labelled_texts` pairs where the text is, as a reader would say it (e.g. "The synopsis of
    “Kino”"), with the text.
    """
    warnings = []
    for label, text in labelled_texts:
        if not text:
            continue
        missing = missing_glyphs(text, font_name)
        if missing:
            count = len(missing)
            noun = "a character" if count == 1 else f"{count} characters"
            shown = describe_characters(missing[:6]) + (" …" if count > 6 else "")
            warnings.append(f"{label} has {noun} that no shipped font can print, shown as a box in "
                            f"the proof: {shown}.")
    return warnings
