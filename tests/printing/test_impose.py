"""Saddle-stitch imposition read back: sheet size, number of sides, which page sits where."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from festival_desk.core.errors import UserError
from festival_desk.printing.fonts import FONTS, register_fonts
from festival_desk.printing.impose import impose_saddle, saddle_order


def _numbered_pages(count: int, bleed: float = 0.0) -> bytes:
    """A5 pages each showing "P<n>" in its middle, with `bleed` around the trim and a black
    band drawn into the bleed on the left edge (which imposition must cut away)."""
    register_fonts()
    buffer = io.BytesIO()
    size = (A5[0] + 2 * bleed, A5[1] + 2 * bleed)
    pdf = canvas.Canvas(buffer, pagesize=size, trimBox=(bleed, bleed, bleed + A5[0], bleed + A5[1]),
                        initialFontName=FONTS.regular)
    for number in range(1, count + 1):
        pdf.setFont(FONTS.bold, 30)
        pdf.drawCentredString(size[0] / 2, size[1] / 2, f"P{number}")
        if bleed:
            pdf.rect(0, 0, bleed, size[1], stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _placement(pdf: bytes) -> list[tuple[int, int]]:
    """(left page, right page) of each sheet side, read from the words' positions."""
    sides = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = sorted(page.extract_words(), key=lambda w: w["x0"])
            numbers = [int(w["text"][1:]) for w in words if w["text"].startswith("P")]
            assert len(numbers) == 2
            half = page.width / 2
            assert words[0]["x1"] < half < words[-1]["x0"]
            sides.append((numbers[0], numbers[1]))
    return sides


def test_saddle_order_pairs_pages_for_folding():
    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    # every side's pair sums to N + 1 and every page appears once
    order = saddle_order(16)
    assert all(left + right == 17 for left, right in order)
    assert sorted(p for pair in order for p in pair) == list(range(1, 17))


SRA4 = (320 * mm, 225 * mm)


def _numbered_pages_with_bleed(count: int, bleed: float) -> bytes:
    """A5 pages "P<n>" with TrimBox and BleedBox, their whole bleed area painted black."""
    register_fonts()
    buffer = io.BytesIO()
    size = (A5[0] + 2 * bleed, A5[1] + 2 * bleed)
    pdf = canvas.Canvas(buffer, pagesize=size, trimBox=(bleed, bleed, bleed + A5[0], bleed + A5[1]),
                        bleedBox=(0, 0, size[0], size[1]), initialFontName=FONTS.regular)
    for number in range(1, count + 1):
        pdf.rect(0, 0, size[0], size[1], stroke=0, fill=1)
        pdf.setFillGray(1)
        pdf.rect(bleed, bleed, A5[0], A5[1], stroke=0, fill=1)
        pdf.setFillGray(0)
        pdf.setFont(FONTS.bold, 30)
        pdf.drawCentredString(size[0] / 2, size[1] / 2, f"P{number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pages_land_two_up_on_sra4_in_booklet_order():
    imposed = impose_saddle(_numbered_pages(8))
    reader = PdfReader(io.BytesIO(imposed))
    assert len(reader.pages) == 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(SRA4[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(SRA4[1], abs=0.5)
    assert _placement(imposed) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_sheets_keep_the_bleed_outside_clip_at_the_fold_and_carry_boxes_and_marks():
    bleed = 3 * mm
    imposed = impose_saddle(_numbered_pages_with_bleed(4, bleed))
    reader = PdfReader(io.BytesIO(imposed))
    side = reader.pages[0]
    trim, bleed_box = side.trimbox, side.bleedbox
    assert float(trim.width) == pytest.approx(2 * A5[0], abs=0.5) and float(trim.height) == pytest.approx(A5[1], abs=0.5)
    assert float(bleed_box.width) == pytest.approx(2 * A5[0] + 2 * bleed, abs=0.5)
    content = side.get_contents().get_data()
    assert b"/Registration CS 1 SC" in content  # marks on every plate
    space = side["/Resources"]["/ColorSpace"]["/Registration"].get_object()
    assert space[0] == "/Separation" and space[1] == "/All"
    image = pypdfium2.PdfDocument(imposed)[0].render(scale=2).to_pil().convert("L")
    scale = 2
    left = float(trim.left) * scale
    top = image.height - float(trim.top) * scale
    mid_y = image.height // 2
    # The outer bleed is printed (black) beyond the trim; at the fold the pages meet white on white.
    assert image.getpixel((int(left - bleed * scale / 2), mid_y)) < 60
    assert image.getpixel((int(image.width / 2 - 3), mid_y)) > 200
    assert image.getpixel((int(image.width / 2 + 3), mid_y)) > 200
    # Crop marks: dark pixels on the trim line, outside the bleed, above the top-left corner.
    column = [image.getpixel((int(left), y)) for y in range(0, int(top - (bleed + 1.5 * mm) * scale))]
    assert min(column) < 128


def test_creep_moves_inner_pages_towards_the_spine():
    plain = impose_saddle(_numbered_pages(16), creep_mm=0)
    crept = impose_saddle(_numbered_pages(16), creep_mm=2)

    def centres(pdf):
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            page = document.pages[-1]  # the innermost sheet
            words = sorted(page.extract_words(), key=lambda w: w["x0"])
            return [(w["x0"] + w["x1"]) / 2 for w in words if w["text"].startswith("P")]

    (plain_left, plain_right), (crept_left, crept_right) = centres(plain), centres(crept)
    assert crept_left - plain_left == pytest.approx(2 * mm, abs=0.3)
    assert plain_right - crept_right == pytest.approx(2 * mm, abs=0.3)
    with pdfplumber.open(io.BytesIO(plain)) as first, pdfplumber.open(io.BytesIO(crept)) as second:
        assert first.pages[0].extract_words()[0]["x0"] == pytest.approx(second.pages[0].extract_words()[0]["x0"])


def test_more_than_80_pages_are_refused_with_perfect_binding_suggested():
    with pytest.raises(UserError, match="too many to saddle-stitch.*perfect bound"):
        impose_saddle(_numbered_pages(84))


def test_a_sheet_too_small_for_the_pages_is_refused():
    with pytest.raises(UserError, match="need a sheet of at least"):
        impose_saddle(_numbered_pages(4), "a4")


def test_a_page_count_not_divisible_by_four_is_refused():
    with pytest.raises(UserError, match="multiple of 4"):
        impose_saddle(_numbered_pages(6))


def test_an_imposed_booklet_keeps_its_text_fonts_and_shares_its_stills(tmp_path):
    import subprocess

    from booklet_samples import small_festival

    from festival_desk.printing.booklet import render_booklet

    booklet = render_booklet(small_festival())
    imposed = impose_saddle(booklet.pdf)
    reader = PdfReader(io.BytesIO(imposed))
    assert len(reader.pages) == booklet.pages // 2
    first_side = reader.pages[0].extract_text()
    assert "Docs & <Days>" in first_side and "12th edition" in first_side  # back cover + cover
    path = tmp_path / "imposed.pdf"
    path.write_bytes(imposed)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    assert len(imposed) < len(booklet.pdf) * 1.2  # stills and fonts are not copied per sheet
