"""What every part of the booklet shares: the paragraph and markers of a layout pass, keys that
record where things land (contents, indexes, bookmarks), the index line with page numbers in a
fixed column, and small text helpers."""

from __future__ import annotations

import contextvars

from reportlab.platypus import Flowable, Paragraph

from festival_desk.core.text import fold
from festival_desk.printing.styles import StyleSet, markup
from festival_desk.printing.text import Para


PAGE_NUMBER_PLACEHOLDER = "888"  # as wide as a real three-digit folio, so pass 2 breaks lines alike


# True while a pass only finds where things land: its PDF is thrown away, so text and images
# need not be drawn (about a third of a pass). Context-local, so concurrent builds do not mix.
FINDING_PAGES = contextvars.ContextVar("finding_pages", default=False)


class BookPara(Para):
    """A paragraph that draws nothing while a pass only finds where things land."""

    def draw(self):
        if not FINDING_PAGES.get():
            super().draw()


class Marker(Flowable):
    """Zero-size flowable that names the part of the book the following pages belong to."""

    def __init__(self, running_head: str):
        super().__init__()
        self.running_head = running_head

    def wrap(self, available_width, available_height):
        return (0, 0)

    def draw(self):
        pass


class IndexRow(Flowable):
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


def index_rows(rows: list[tuple[str, str, list[str]]], styles: StyleSet, pages: dict[str, int],
                number_width: float, labels: dict[tuple[str, str], BookPara], links: bool = True) -> list[Flowable]:
    """Contents/index lines with page numbers from the previous layout pass (`pages`), linked to
    their targets. An unknown page prints as a placeholder of a real folio's width, so the next
    pass breaks lines exactly alike. `labels` keeps the label paragraphs from pass to pass: only
    the numbers change."""
    number_style = styles.index_number
    flowables: list[Flowable] = []
    for label, style_name, keys in rows:
        label_paragraph = labels.get((label, style_name))
        if label_paragraph is None:
            label_paragraph = labels[(label, style_name)] = BookPara(label, styles[style_name], left_to_right=True)
        numbers = []
        for key in keys:
            page = pages.get(key)
            if not page:
                numbers.append(PAGE_NUMBER_PLACEHOLDER)
            else:
                numbers.append(f'<a href="#{key}">{page}</a>' if links else str(page))
        number_paragraph = BookPara(", ".join(numbers), number_style) if numbers else None
        flowables.append(IndexRow(label_paragraph, number_paragraph, number_width))
    return flowables


def keyed(flowable: Flowable, key: str, outline: tuple[str, int] | None = None) -> Flowable:
    flowable.booklet_key = key
    flowable.booklet_outline = outline
    return flowable


def unbroken(name: str, style, width: float, bold: bool = False) -> str:
    """A person's name that a line does not break (no-break spaces between its words), when it fits
    `width` in `style`; a longer one breaks between its words as usual, never inside one."""
    tied = "\u00a0".join(name.split())
    if tied == name:
        return name
    # Measured as set (fallback faces included), not in the text face alone.
    text = f"<b>{markup(tied, bold=True)}</b>" if bold else markup(tied)
    return tied if Para(text, style).minWidth() <= width * 0.95 else name


def split_paragraphs(text: str | None) -> list[str]:
    """Blank-line separated paragraphs of `text` (single line breaks stay within a paragraph)."""
    if not text:
        return []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip("\n") for part in normalised.split("\n\n") if part.strip()]


def spaced(flowable: Flowable, space_after: float) -> Flowable:
    flowable.spaceAfter = space_after
    return flowable


def lettered(entries, keys_of: dict[str, list[str]] | None = None) -> list[tuple[str, str, list[str]]]:
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
