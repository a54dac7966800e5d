"""User text into Paragraph markup, and the paragraph that prints every script.

`markup` is the one place where user text becomes markup: it escapes it (ReportLab silently turns
`AT&T` into `AT&T;` and drops `<Found>` from `Lost & <Found>` otherwise) and sets each run of a
script the text face lacks in its fallback face (`fonts.script_runs`). A character no shipped face
has becomes a red box, so a proofreader sees it.

`Para` is the Paragraph every printed output uses. A paragraph holding Arabic, Hebrew, Devanagari or
Thai is shaped with HarfBuzz (ReportLab's `shaping`); one holding right-to-left text has its words
put in visual order line by line when it is drawn (Unicode bidirectional rules, resolved per word:
ReportLab orders words itself only through its `rlbidi` companion, which is not on the package
index, and not at all in a paragraph of several fonts). A right-to-left paragraph of several lines
is set flush right.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import reduce
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from festival_desk.printing.fonts import (
    FALLBACKS,
    FONTS,
    MISSING,
    RIGHT_TO_LEFT_FAMILIES,
    SHAPED_FAMILIES,
    SYMBOLS,
    record_shaped_text,
    script_runs,
)

MISSING_GLYPH_MARK = f'<font face="{SYMBOLS}" color="#d0021b">\u25a1</font>'

_BOLD_FALLBACK = {f.family: f"{f.family}-Bold" for f in FALLBACKS if f.bold}
_BOLD_TEXT_FACES = frozenset((FONTS.bold, FONTS.bold_italic))
_RIGHT_TO_LEFT_FACES = frozenset(RIGHT_TO_LEFT_FAMILIES | {f"{family}-Bold" for family in RIGHT_TO_LEFT_FAMILIES})
# Words and the spaces between them; a no-break space belongs to its word (HarfBuzz has already put
# a right-to-left word group joined by it in visual order).
_TOKENS = re.compile(r"[^\S\u00a0]+|(?:[^\s]|\u00a0)+")
_NEUTRAL_CLASSES = frozenset(("WS", "ON", "CS", "ES", "ET", "BN", "S", "B", "NSM"))
_NUMBER_CLASSES = frozenset(("EN", "AN"))


def _escaped(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def markup(text: str | None, *, bold: bool = False) -> str:
    """`text` made safe for Paragraph markup: shown exactly as typed, line breaks kept, every
    script in a face that has it, characters no face has as a visible box. `bold`: the text will
    stand inside `<b>`, so its fallback runs take their bold faces too (ReportLab's `<b>` does not
    reach into a `<font face>`)."""
    if not text:
        return ""
    parts = []
    for family, run in script_runs(text):
        if family is None:
            parts.append(_escaped(run))
        elif family == MISSING:
            parts.append(MISSING_GLYPH_MARK * len(run))
        else:
            if family in SHAPED_FAMILIES:
                record_shaped_text(family, run)
            face = _BOLD_FALLBACK.get(family, family) if bold else family
            parts.append(f'<font face="{face}">{_escaped(run)}</font>')
    return "".join(parts)


def attribute(value: str) -> str:
    """`value` quoted for use as a markup attribute (`<a href=...>`, `<font color=...>`)."""
    return quoteattr(value)


_shaping_styles: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def _shaping_style(style: ParagraphStyle) -> ParagraphStyle:
    cached = _shaping_styles.get(id(style))
    if cached is None or cached[0] is not style:
        cached = (style, style.clone(f"{style.name}-shaped", shaping=1))
        _shaping_styles[id(style)] = cached
    return cached[1]


class Para(Paragraph):
    """A Paragraph that prints every shipped script (see the module docstring), and remembers its
    line breaks for the width it was last wrapped to: a part laid out in several passes is broken
    into lines once per width."""

    _wrapped_width: float | None = None

    def __init__(self, text: str, style: ParagraphStyle, *args, left_to_right: bool = False, **keywords):
        """`left_to_right`: the paragraph runs left to right even when it begins with a
        right-to-left word (an index line "ואלס עם באשיר → Waltz with Bashir")."""
        self.left_to_right = left_to_right
        # A split part arrives with frags and no text; `split` passes the flags on.
        needs_shaping = bool(text) and 'face="Festival' in text and any(f in text for f in SHAPED_FAMILIES)
        if needs_shaping and not getattr(style, "shaping", 0):
            style = _shaping_style(style)
        super().__init__(text, style, *args, **keywords)
        if text and style.fontName in _BOLD_TEXT_FACES and 'face="Festival' in text:
            for frag in self.frags:
                if getattr(frag, "fontName", None) in _BOLD_FALLBACK:
                    frag.fontName = _BOLD_FALLBACK[frag.fontName]
        self.right_to_left_text = needs_shaping and any(family in text for family in RIGHT_TO_LEFT_FAMILIES)

    def wrap(self, available_width, available_height):
        # Splitting a paragraph drops its line breaks (blPara): then they must be found again.
        if self._wrapped_width == available_width and "blPara" in self.__dict__:
            return (self.width, self.height)
        result = super().wrap(available_width, available_height)
        self._wrapped_width = available_width
        return result

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        for part in parts:
            if isinstance(part, Para):
                part.right_to_left_text = self.right_to_left_text
                part.left_to_right = self.left_to_right
        return parts

    def draw(self):
        blPara = getattr(self, "blPara", None)
        if not self.right_to_left_text or blPara is None or getattr(blPara, "kind", 0) != 1:
            super().draw()
            return
        lines = blPara.lines
        right_to_left = not self.left_to_right and _paragraph_is_right_to_left(lines)
        style = self.style
        try:
            blPara.lines = [_visual_line(line, right_to_left) for line in lines]
            if right_to_left and len(lines) > 1 and style.alignment == TA_LEFT:
                self.style = style.clone(f"{style.name}-rtl", alignment=TA_RIGHT)
            super().draw()
        finally:
            blPara.lines = lines
            self.style = style


def _frag_text(frag) -> str:
    return getattr(frag, "text", "") or ""


def _token_class(frag, token: str) -> str:
    """'WS', 'N' (neutral), 'EN' (number), 'R' or 'L' for one word or space of a line."""
    if token.isspace() and "\u00a0" not in token:
        return "WS"
    classes = {unicodedata.bidirectional(c) for c in token}
    if classes <= _NEUTRAL_CLASSES:
        return "N"
    if classes <= _NEUTRAL_CLASSES | _NUMBER_CLASSES:
        return "EN"
    if getattr(frag, "fontName", "") in _RIGHT_TO_LEFT_FACES:
        # Shaped text is glyphs: presentation forms or private code points standing for ligatures.
        return "R"
    return "R" if classes & {"R", "AL"} else "L"


def _paragraph_is_right_to_left(lines) -> bool:
    """The paragraph direction of Unicode's rule P2: that of its first strong word."""
    for line in lines:
        for frag in line.words:
            for token in _TOKENS.findall(_frag_text(frag)):
                kind = _token_class(frag, token)
                if kind in ("L", "R"):
                    return kind == "R"
    return False


def _visual_line(line, right_to_left: bool):
    """A copy of one laid-out line (a FragLine) with its words in visual order."""
    tokens: list[tuple[object, str, str]] = []
    for frag in line.words:
        text = _frag_text(frag)
        if not text:
            tokens.append((frag, text, "N"))
            continue
        for match in _TOKENS.finditer(text):
            piece = text[match.start():match.end()]
            kind = _token_class(frag, piece)
            if kind == "R" and getattr(frag, "fontName", "") in _RIGHT_TO_LEFT_FACES:
                tokens += _split_edge_punctuation(frag, piece)
            else:
                tokens.append((frag, piece, kind))
    if not any(kind == "R" for _, _, kind in tokens) and not right_to_left:
        return line
    base = 1 if right_to_left else 0
    kinds = [kind for _, _, kind in tokens]
    # Numbers take the direction of the strong word before them (W2) and count as R for neutrals (N1).
    previous_strong = "R" if right_to_left else "L"
    for index, kind in enumerate(kinds):
        if kind in ("L", "R"):
            previous_strong = kind
        elif kind == "EN":
            kinds[index] = "AN" if previous_strong == "R" else "L"
    strong = ["R" if kind in ("R", "AN") else "N" if kind == "EDGE" else kind for kind in kinds]
    resolved = list(strong)
    for index, kind in enumerate(strong):
        if kind in ("N", "WS"):
            before = next((k for k in reversed(strong[:index]) if k in ("L", "R")), "R" if base else "L")
            after = next((k for k in strong[index + 1:] if k in ("L", "R")), "R" if base else "L")
            resolved[index] = before if before == after else ("R" if base else "L")
    # L1: spaces at the end of a line take the paragraph level.
    for index in range(len(tokens) - 1, -1, -1):
        if kinds[index] != "WS":
            break
        resolved[index] = "R" if base else "L"
    levels = []
    for kind, original in zip(resolved, kinds, strict=True):
        if original == "AN":
            levels.append(2)
        elif kind == "R":
            levels.append(1)
        else:
            levels.append(2 if base else 0)
    order = list(range(len(tokens)))
    for level in range(max(levels, default=0), 0, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    words = []
    for position in order:
        frag, piece, _ = tokens[position]
        if kinds[position] == "EDGE" and resolved[position] == "R":
            piece = _mirrored(piece)[::-1]  # it stays inside the right-to-left run: as HarfBuzz set it
        if words and words[-1][0] is frag:
            words[-1][1].append(piece)
        else:
            words.append((frag, [piece]))
    visual = line.clone() if hasattr(line, "clone") else _copy(line)
    visual.words = [frag.clone(text=reduce(operator.add, pieces)) if pieces != [_frag_text(frag)] else frag
                    for frag, pieces in words]
    return visual


_MIRRORS = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _mirrored(text: str) -> str:
    return "".join(_MIRRORS.get(character, character) for character in text)


def _split_edge_punctuation(frag, piece: str) -> list[tuple[object, str, str]]:
    """A shaped right-to-left word (glyphs in visual order) with the punctuation at its ends split
    off: "(שלום):" was shaped as one right-to-left word, but its brackets and colon stand between
    it and the left-to-right text around it and belong to that text's direction. The split pieces
    come back in logical order, unmirrored; `_visual_line` mirrors them again if they end up
    inside a right-to-left run. Returns (frag, text, kind) in logical order."""
    def neutral(character: str) -> bool:
        return unicodedata.bidirectional(character) in _NEUTRAL_CLASSES or character in _MIRRORS

    left = 0
    while left < len(piece) and neutral(piece[left]):
        left += 1
    right = len(piece)
    while right > left and neutral(piece[right - 1]):
        right -= 1
    if left == 0 and right == len(piece) or left == right:
        return [(frag, piece, "R")]
    pieces = []
    if right < len(piece):  # the visual right end is the logical start
        pieces.append((frag, _mirrored(piece[right:])[::-1], "EDGE"))
    pieces.append((frag, piece[left:right], "R"))
    if left:
        pieces.append((frag, _mirrored(piece[:left])[::-1], "EDGE"))
    return pieces


def _copy(line):
    import copy

    return copy.copy(line)


def fit_text(text: str, style: ParagraphStyle, width: float) -> str:
    """`text` shortened with an ellipsis so that it sets on one line of `width` in `style`."""
    def fits(candidate: str) -> bool:
        paragraph = Para(markup(candidate), style)
        return paragraph.wrap(width, 10_000)[1] <= style.leading * 1.01 and \
            paragraph.minWidth() <= width

    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + "…"):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def draw_line(canvas, x: float, baseline: float, text: str, style: ParagraphStyle, *, align: str = "left",
              max_width: float | None = None) -> None:
    """One line of user text drawn on a canvas (running heads, footers), in every script, cut
    with an ellipsis to `max_width`. `align` "left" puts the line's start at x, "right" its end,
    "centre" its middle."""
    width = max_width or 10_000
    line = fit_text(text, style, width) if max_width else text
    alignment = {"left": TA_LEFT, "right": TA_RIGHT, "centre": TA_CENTER}[align]
    paragraph = Para(markup(line), style.clone(f"{style.name}-line", alignment=alignment, hyphenationLang="",
                                                  splitLongWords=0))
    paragraph.wrap(width, style.leading * 2)
    left = x if align == "left" else x - width if align == "right" else x - width / 2
    # A one-line paragraph's first baseline lies one font size below its top.
    paragraph.drawOn(canvas, left, baseline - (paragraph.height - style.fontSize))
