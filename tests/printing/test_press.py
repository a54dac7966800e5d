"""The press file: CMYK with text in black only, PDF/X-4 with the shipped OutputIntent, no links,
boxes on every page, registration-colour marks; and the screen file keeps RGB, links, bookmarks."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from booklet_samples import small_festival

from festival_desk.core.errors import UserError
from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.colours import profile_bytes
from festival_desk.printing.options import BookletOptions


@pytest.fixture(scope="module")
def press_pdf():
    snapshot = small_festival()
    snapshot.sections[0].films[2].still = None
    return render_booklet(snapshot, BookletOptions(press=True, crop_marks=True)).pdf


@pytest.fixture(scope="module")
def screen_pdf():
    return render_booklet(small_festival(), BookletOptions()).pdf


def test_the_press_file_is_pdf_x4_with_the_shipped_cmyk_output_intent(press_pdf):
    with pikepdf.open(io.BytesIO(press_pdf)) as pdf:
        assert pdf.pdf_version >= "1.6"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(pdf.docinfo["/Trapped"]) == "/False"
        with pdf.open_metadata() as metadata:
            assert metadata["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == profile_bytes()
        for page in pdf.pages:
            assert "/Annots" not in page.obj
            assert "/TrimBox" in page.obj and "/BleedBox" in page.obj


def test_press_images_are_cmyk_and_marks_are_in_registration_colour(press_pdf):
    with pikepdf.open(io.BytesIO(press_pdf)) as pdf:
        spaces = set()
        for page in pdf.pages:
            for image in page.get_images().values():
                spaces.add(str(image.ColorSpace))
        assert spaces == {"/DeviceCMYK"}
        contents = b"".join(page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                            else b"".join(part.read_bytes() for part in page.Contents) for page in pdf.pages)
        separations = [str(space[1]) for page in pdf.pages
                       for space in page.Resources.get("/ColorSpace", {}).values()]
    assert "/All" in separations
    assert not re.search(rb"\d rg\b|\d RG\b", contents)  # no RGB colour operator anywhere


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")
def test_text_pages_ink_the_black_plate_only(tmp_path):
    path = tmp_path / "press.pdf"
    path.write_bytes(render_booklet(small_festival(), BookletOptions(press=True)).pdf)
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    coverage = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov", str(path)], capture_output=True,
                              text=True, check=True).stdout.splitlines()
    assert len(coverage) == pages
    # Contents (page 3), the indexes and the venues (the last pages before the back cover) are text.
    text_pages = [3, pages - 3, pages - 2]
    for number in text_pages:
        cyan, magenta, yellow, black = map(float, coverage[number - 1].split()[:4])
        assert (cyan, magenta, yellow) == (0, 0, 0) and black > 0, (number, coverage[number - 1])


def test_a_press_file_prints_no_placeholder_for_a_missing_still(press_pdf):
    with pikepdf.open(io.BytesIO(press_pdf)) as pdf:
        text = b"".join(page.Contents.read_bytes() for page in pdf.pages if not isinstance(page.Contents, pikepdf.Array))
    assert b"No still" not in text
    result = render_booklet(small_festival(), BookletOptions(press=True))
    assert any("has no still; its entry prints without a still." in w for w in result.warnings)


def test_the_press_file_is_refused_when_text_cannot_be_printed():
    snapshot = small_festival()
    snapshot.sections[0].films[0].original_title = "Crvena 𓀀 duša"
    with pytest.raises(UserError) as refused:
        render_booklet(snapshot, BookletOptions(press=True))
    assert "The original title of “The Red Soul” has a character that no shipped font can print" in str(refused.value)
    assert render_booklet(snapshot, BookletOptions()).pages > 0  # the proof is still made


def test_the_screen_file_keeps_rgb_links_and_opens_with_its_bookmarks(screen_pdf):
    with pikepdf.open(io.BytesIO(screen_pdf)) as pdf:
        assert pdf.Root.PageMode == "/UseOutlines"
        assert "/OutputIntents" not in pdf.Root
        assert sum(len(page.obj.get("/Annots", [])) for page in pdf.pages) > 10
        titles = []
        item = pdf.Root.Outlines.First
        while item is not None:
            titles.append(str(item.Title))
            item = item.get("/Next")
        assert "Competition" in titles and "Contents" in titles


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript not installed")
def test_only_the_cover_and_the_section_openers_ink_colour_plates(tmp_path):
    from booklet_samples import world_festival
    from pypdf import PdfReader

    snapshot = world_festival()
    options = BookletOptions(press=True, fields=tuple(f for f in BookletOptions().fields if f != "still"))
    path = tmp_path / "world-press.pdf"
    path.write_bytes(render_booklet(snapshot, options).pdf)
    coverage = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov", str(path)], capture_output=True,
                              text=True, check=True).stdout.splitlines()
    texts = [page.extract_text() or "" for page in PdfReader(path).pages]
    openers = {number for number, text in enumerate(texts, 1)
               if any(text.startswith(section.name) for section in snapshot.sections)}
    coloured = {number for number, line in enumerate(coverage, 1) if tuple(map(float, line.split()[:3])) != (0, 0, 0)}
    # Entries, schedule, contents, indexes, venues, notes and back cover: black ink only.
    assert coloured == {1} | openers and len(openers) == 2
