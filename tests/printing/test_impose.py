"""Saddle-stitch imposition read back: sheet size, number of sides, which page sits where."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape
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


def test_pages_land_two_up_on_a4_landscape_in_booklet_order():
    imposed = impose_saddle(_numbered_pages(8))
    reader = PdfReader(io.BytesIO(imposed))
    assert len(reader.pages) == 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(landscape(A4)[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(landscape(A4)[1], abs=0.5)
    assert _placement(imposed) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_bleed_is_cut_away_and_pages_are_centred_on_the_spine(tmp_path):
    imposed = impose_saddle(_numbered_pages(4, bleed=3 * mm))
    document = pypdfium2.PdfDocument(imposed)
    image = document[0].render(scale=1).to_pil().convert("L")
    half = image.width // 2
    # The right-hand page's bleed band would cover the 8.5 pt just left of the spine, the
    # left-hand page's band the strip left of its trim: both must be clipped away (white).
    for x in (half - 6, half - 2, half - int(A5[0]) - 5):
        column = [image.getpixel((x, y)) for y in range(20, image.height - 20, 10)]
        assert min(column) > 200, f"bleed printed at x={x}"
    with pdfplumber.open(io.BytesIO(imposed)) as plumbed:
        page = plumbed.pages[0]
        chars = page.chars
        left_p = [c for c in chars if c["x0"] < page.width / 2]
        right_p = [c for c in chars if c["x0"] > page.width / 2]
        # "P4" and "P1" are centred in their A5 halves placed against the spine
        left_centre = (min(c["x0"] for c in left_p) + max(c["x1"] for c in left_p)) / 2
        right_centre = (min(c["x0"] for c in right_p) + max(c["x1"] for c in right_p)) / 2
        assert left_centre == pytest.approx(page.width / 2 - A5[0] / 2, abs=2)
        assert right_centre == pytest.approx(page.width / 2 + A5[0] / 2, abs=2)


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
