"""Saddle-stitch imposition: the booklet's pages two-up on sheets, in the order a printer folds.

A booklet of N pages (N a multiple of 4) becomes N/2 sheet sides. Side 1 carries pages N and 1,
side 2 carries 2 and N-1, side 3 carries N-2 and 3, and so on: printed double-sided, stacked,
folded and stapled, the pages read 1..N. Each page is cut to its TrimBox (bleed and crop marks
belong to the single-page file) and set against the spine in its half of the sheet, so the pair
is centred.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    StreamObject,
)
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm

from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress

SHEETS_PT = {"a4": landscape(A4), "letter": landscape(LETTER)}


def saddle_order(page_count: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each sheet side, front and back alternating."""
    if page_count <= 0 or page_count % 4:
        raise UserError(f"impose: a saddle-stitched booklet needs a multiple of 4 pages, not {page_count}")
    sides = []
    low, high = 1, page_count
    while low < high:
        sides.append((high, low))          # front: outer pair
        sides.append((low + 1, high - 1))  # back: inner pair
        low, high = low + 2, high - 2
    return sides


def impose_saddle(pdf: bytes, sheet: str | tuple[float, float] = "a4",
                  progress: Progress = no_progress) -> bytes:
    """The booklet `pdf` imposed two-up for saddle stitching on `sheet` (landscape A4 by default).

    Each page becomes a form XObject whose bounding box is the page's TrimBox (the box clips, so
    bleed and marks go) and is placed on its sheet side with one `cm`/`Do`: content streams are
    copied, never parsed, and fonts and images are shared by all sheets, not copied per page.
    Raises UserError when the page count is not a multiple of 4 or the pages do not fit.
    """
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    sides = saddle_order(len(pages))
    sheet_width, sheet_height = SHEETS_PT[sheet] if isinstance(sheet, str) else sheet
    half = sheet_width / 2
    writer = PdfWriter()
    forms: dict[int, tuple[IndirectObject, RectangleObject]] = {}

    def form_of(page_number: int) -> tuple[IndirectObject, RectangleObject]:
        if page_number not in forms:
            page = pages[page_number - 1]
            trim = page.trimbox
            if float(trim.width) > half + 0.5 or float(trim.height) > sheet_height + 0.5:
                raise UserError(f"impose: pages of {float(trim.width) / mm:.0f} × {float(trim.height) / mm:.0f} mm "
                                "do not fit two to a sheet side; choose a larger sheet or a smaller paper")
            form = StreamObject()
            form.set_data(_content_bytes(page))
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (trim.left, trim.bottom, trim.right, trim.top)),
                NameObject("/Resources"): page.get("/Resources", DictionaryObject()).get_object().clone(writer),
            })
            forms[page_number] = (writer._add_object(form.flate_encode()), trim)
        return forms[page_number]

    for number, (left, right) in enumerate(sides, 1):
        progress(number - 1, len(sides), f"Imposing sheet side {number} of {len(sides)}")
        side = PageObject.create_blank_page(writer, width=sheet_width, height=sheet_height)
        xobjects = DictionaryObject()
        operations = []
        for slot, page_number in enumerate((left, right)):
            reference, trim = form_of(page_number)
            name = f"/Page{page_number}"
            xobjects[NameObject(name)] = reference
            # The spine is the sheet's centre line: a left page sits against it from the left, a
            # right page from the right; both are centred vertically.
            x = (half - float(trim.width)) if slot == 0 else half
            y = (sheet_height - float(trim.height)) / 2
            operations.append(f"q 1 0 0 1 {x - float(trim.left):.3f} {y - float(trim.bottom):.3f} cm {name} Do Q")
        content = StreamObject()
        content.set_data("\n".join(operations).encode("ascii"))
        side[NameObject("/Contents")] = writer._add_object(content)
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        writer.add_page(side)
    progress(len(sides), len(sides), "Imposed")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _content_bytes(page: PageObject) -> bytes:
    """The page's content, decoded, as one stream (without parsing its operators)."""
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(part.get_object().get_data() for part in parts)
