"""Saddle-stitch imposition: the booklet's pages two-up on sheets, in the order a printer folds.

A booklet of N pages (N a multiple of 4) becomes N/2 sheet sides. Side 1 carries pages N and 1,
side 2 carries 2 and N-1, side 3 carries N-2 and 3, and so on: printed double-sided, stacked,
folded and stapled, the pages read 1..N. Each page is cut to its TrimBox (bleed and crop marks
belong to the single-page file) and centred in its half of the sheet.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from reportlab.lib.pagesizes import A4, LETTER, landscape

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

    Raises UserError when the page count is not a multiple of 4 or the pages do not fit.
    """
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    sides = saddle_order(len(pages))
    sheet_width, sheet_height = SHEETS_PT[sheet] if isinstance(sheet, str) else sheet
    writer = PdfWriter()
    half = sheet_width / 2
    for number, (left, right) in enumerate(sides, 1):
        progress(number - 1, len(sides), f"Imposing sheet side {number} of {len(sides)}")
        side = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for slot, page_number in enumerate((left, right)):
            page = pages[page_number - 1]
            trim = page.trimbox
            width, height = float(trim.width), float(trim.height)
            if width > half + 0.5 or height > sheet_height + 0.5:
                raise UserError(f"impose: pages of {width / 2.8346:.0f} × {height / 2.8346:.0f} mm do not fit "
                                "two to a sheet side; choose a larger sheet or a smaller paper")
            # pypdf clips a merged page to its CropBox: cut it to the trim so bleed and marks go.
            page.cropbox = trim
            # The spine is the sheet's centre line: left pages sit against it from the left, right
            # pages from the right; both are centred vertically.
            x = (half - width) if slot == 0 else half
            y = (sheet_height - height) / 2
            side.merge_transformed_page(
                page, Transformation().translate(x - float(trim.left), y - float(trim.bottom)))
        writer.add_page(side)
    progress(len(sides), len(sides), "Imposed")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
