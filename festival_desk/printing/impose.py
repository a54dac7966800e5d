"""Saddle-stitch imposition: the booklet's pages two-up on press sheets, in the order a printer folds.

A booklet of N pages (N a multiple of 4, at most 80) becomes N/2 sheet sides. Side 1 carries pages N
and 1, side 2 carries 2 and N-1, side 3 carries N-2 and 3, and so on: printed double-sided,
stacked, folded and stapled, the pages read 1..N.

Each pair meets at the fold in the middle of the sheet. A page keeps its bleed on its three outer
edges (head, foot and fore-edge, where the stack is trimmed) and is clipped at the fold. Crop marks
at the four outer corners and fold marks at head and foot of the spine stand outside the bleed, in
registration colour (every plate). With creep, pages of inner sheets move towards the spine in
steps, up to `creep` on the innermost sheet, so that the fore-edge margins match after folding
and trimming. TrimBox and BleedBox of each side describe the pair.

The default sheet is SRA4 (320 × 225 mm landscape): two A5 pages with 3 mm bleed and room for marks.
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
    NumberObject,
    RectangleObject,
    StreamObject,
)
from reportlab.lib.units import mm

from festival_desk.core.errors import UserError
from festival_desk.core.progress import Progress, no_progress

SHEETS_MM = {"sra4": (320.0, 225.0), "sra3": (450.0, 320.0), "a4": (297.0, 210.0), "a3": (420.0, 297.0),
             "letter": (279.4, 215.9), "tabloid": (431.8, 279.4)}
MAX_SADDLE_PAGES = 80
MARK_LENGTH = 5 * mm  # or what the sheet leaves, down to MIN_MARK_LENGTH
MIN_MARK_LENGTH = 2 * mm
MARK_GAP = 1 * mm  # between the bleed edge and a mark
FOLD_DASH = "[2 2] 0 d"


def saddle_order(page_count: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each sheet side, front and back alternating."""
    if page_count <= 0 or page_count % 4:
        raise UserError(f"impose: a saddle-stitched booklet needs a multiple of 4 pages, not {page_count}")
    if page_count > MAX_SADDLE_PAGES:
        raise UserError(f"impose: {page_count} pages are too many to saddle-stitch (at most {MAX_SADDLE_PAGES}: "
                        "the fold would not close and the inner pages would creep out); have it perfect bound "
                        "instead: send the single pages, without --impose")
    sides = []
    low, high = 1, page_count
    while low < high:
        sides.append((high, low))          # front: outer pair
        sides.append((low + 1, high - 1))  # back: inner pair
        low, high = low + 2, high - 2
    return sides


def sheet_size(sheet: str | tuple[float, float]) -> tuple[float, float]:
    """A sheet name (sra4, sra3, a4, a3, letter, tabloid) or (width, height) in mm, as landscape points."""
    if isinstance(sheet, str):
        if sheet.lower() not in SHEETS_MM:
            raise UserError(f"sheet: unknown sheet {sheet!r}; choose one of {', '.join(SHEETS_MM)} or give "
                            "WIDTHxHEIGHT in mm")
        width_mm, height_mm = SHEETS_MM[sheet.lower()]
    else:
        width_mm, height_mm = sheet
    return (max(width_mm, height_mm) * mm, min(width_mm, height_mm) * mm)


def _registration_colour_space(writer: PdfWriter) -> IndirectObject:
    """/Separation /All: marks printed on every plate."""
    tint = DictionaryObject({
        NameObject("/FunctionType"): NumberObject(2),
        NameObject("/Domain"): ArrayObject([FloatObject(0), FloatObject(1)]),
        NameObject("/C0"): ArrayObject([FloatObject(0)] * 4),
        NameObject("/C1"): ArrayObject([FloatObject(1)] * 4),
        NameObject("/N"): NumberObject(1),
    })
    space = ArrayObject([NameObject("/Separation"), NameObject("/All"), NameObject("/DeviceCMYK"),
                         writer._add_object(tint)])
    return writer._add_object(space)


def _marks(left: float, bottom: float, width: float, height: float, bleed: float, length: float) -> list[str]:
    """Crop marks at the outer corners of the pair's trim (`left`…, both pages) and fold marks at
    the spine, outside the bleed."""
    right, top, spine = left + width, bottom + height, left + width / 2
    start = bleed + MARK_GAP
    operations = ["q /Registration CS 1 SC 0.25 w"]
    for x in (left, right):
        operations.append(f"{x:.3f} {bottom - start:.3f} m {x:.3f} {bottom - start - length:.3f} l S")
        operations.append(f"{x:.3f} {top + start:.3f} m {x:.3f} {top + start + length:.3f} l S")
    for y in (bottom, top):
        operations.append(f"{left - start:.3f} {y:.3f} m {left - start - length:.3f} {y:.3f} l S")
        operations.append(f"{right + start:.3f} {y:.3f} m {right + start + length:.3f} {y:.3f} l S")
    operations.append(FOLD_DASH)
    operations.append(f"{spine:.3f} {bottom - start:.3f} m {spine:.3f} {bottom - start - length:.3f} l S")
    operations.append(f"{spine:.3f} {top + start:.3f} m {spine:.3f} {top + start + length:.3f} l S")
    operations.append("Q")
    return operations


def impose_saddle(pdf: bytes, sheet: str | tuple[float, float] = "sra4", *, creep_mm: float = 0.0,
                  progress: Progress = no_progress) -> bytes:
    """The booklet `pdf` imposed two-up for saddle stitching on `sheet` (see `sheet_size`).

    Each page becomes a form XObject (its content copied, never parsed; fonts and images shared by
    all sheets) placed with one `cm`/`Do` inside a clip of its half of the spread. Raises UserError
    when the page count is not a multiple of 4 or above 80, or when the pages with their bleed and
    marks do not fit the sheet.
    """
    if creep_mm < 0 or creep_mm > 5:
        raise UserError(f"creep: {creep_mm:g} mm is impossible; give 0 to 5 mm")
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    sides = saddle_order(len(pages))
    sheet_width, sheet_height = sheet_size(sheet)
    first = pages[0]
    trim_width, trim_height = float(first.trimbox.width), float(first.trimbox.height)
    bleed = max(0.0, float(first.trimbox.left) - float(first.bleedbox.left))
    room = min((sheet_width - 2 * trim_width) / 2, (sheet_height - trim_height) / 2) - bleed - MARK_GAP
    mark_length = min(MARK_LENGTH, room)
    if mark_length < MIN_MARK_LENGTH - 0.01:
        margin = bleed + MARK_GAP + MIN_MARK_LENGTH
        raise UserError(f"sheet: two pages of {trim_width / mm:.0f} × {trim_height / mm:.0f} mm with "
                        f"{bleed / mm:g} mm bleed and crop marks need a sheet of at least "
                        f"{(2 * trim_width + 2 * margin) / mm:.0f} × {(trim_height + 2 * margin) / mm:.0f} mm; "
                        "choose a larger sheet")
    writer = PdfWriter()
    registration = _registration_colour_space(writer)
    forms: dict[int, tuple[IndirectObject, RectangleObject]] = {}

    def form_of(page_number: int) -> tuple[IndirectObject, RectangleObject]:
        if page_number not in forms:
            page = pages[page_number - 1]
            box = page.bleedbox
            form = StreamObject()
            form.set_data(_content_bytes(page))
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
                NameObject("/Resources"): page.get("/Resources", DictionaryObject()).get_object().clone(writer),
            })
            forms[page_number] = (writer._add_object(form.flate_encode()), page.trimbox)
        return forms[page_number]

    spread_left = (sheet_width - 2 * trim_width) / 2
    spread_bottom = (sheet_height - trim_height) / 2
    spine = sheet_width / 2
    sheets = len(sides) // 2
    for number, (left, right) in enumerate(sides, 1):
        progress(number - 1, len(sides), f"Imposing sheet side {number} of {len(sides)}")
        # Sheet 0 is the outermost; the innermost moves the full creep towards the spine.
        sheet_index = (number - 1) // 2
        shift = creep_mm * mm * (sheet_index / (sheets - 1) if sheets > 1 else 0)
        side = PageObject.create_blank_page(writer, width=sheet_width, height=sheet_height)
        xobjects = DictionaryObject()
        operations = []
        for slot, page_number in enumerate((left, right)):
            reference, trim = form_of(page_number)
            name = f"/Page{page_number}"
            xobjects[NameObject(name)] = reference
            if slot == 0:  # left page: its fore-edge bleed on the left, clipped at the spine
                x = spine - trim_width + shift
                clip = (spine - trim_width - bleed, spread_bottom - bleed, trim_width + bleed, trim_height + 2 * bleed)
            else:
                x = spine - shift
                clip = (spine, spread_bottom - bleed, trim_width + bleed, trim_height + 2 * bleed)
            operations.append(f"q {clip[0]:.3f} {clip[1]:.3f} {clip[2]:.3f} {clip[3]:.3f} re W n "
                              f"1 0 0 1 {x - float(trim.left):.3f} {spread_bottom - float(trim.bottom):.3f} cm "
                              f"{name} Do Q")
        operations += _marks(spread_left, spread_bottom, 2 * trim_width, trim_height, bleed, mark_length)
        content = StreamObject()
        content.set_data("\n".join(operations).encode("ascii"))
        side[NameObject("/Contents")] = writer._add_object(content)
        side[NameObject("/Resources")] = DictionaryObject({
            NameObject("/XObject"): xobjects,
            NameObject("/ColorSpace"): DictionaryObject({NameObject("/Registration"): registration}),
        })
        side.trimbox = RectangleObject((spread_left, spread_bottom, spread_left + 2 * trim_width,
                                        spread_bottom + trim_height))
        side.bleedbox = RectangleObject((spread_left - bleed, spread_bottom - bleed,
                                         spread_left + 2 * trim_width + bleed, spread_bottom + trim_height + bleed))
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
