"""The shared fonts and styles: everything embedded, every script shown, user text literal."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.platypus import Paragraph, SimpleDocTemplate

from festival_desk.printing.fonts import FONTS, coverage_warnings, missing_glyphs, register_fonts
from festival_desk.printing.styles import make_styles, markup

SAMPLE = "Kovač Işık Łódź Ærø Straße — Ёлка Жизнь — Αθήνα Ωραίο"


def _pdf(paragraphs: list[str], tmp_path) -> tuple[bytes, str]:
    styles = make_styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A5, initialFontName=FONTS.regular)
    doc.build([Paragraph(text, styles.body) for text in paragraphs])
    path = tmp_path / "sample.pdf"
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue(), str(path)


def test_latin_extended_cyrillic_and_greek_are_all_covered():
    assert missing_glyphs(SAMPLE) == []
    assert coverage_warnings([("Film 'A'", SAMPLE)]) == []


def test_characters_no_shipped_font_has_are_reported_in_a_sentence():
    assert coverage_warnings([("The synopsis of “Tea”", "tea 茶 and more 茶")]) == []
    warnings = coverage_warnings([("The synopsis of “Tea”", "tea 𓀀 and more 𓀀 😀")])
    assert warnings == ["The synopsis of “Tea” has 2 characters that no shipped font can print, shown as a box "
                        "in the proof: “𓀀” (egyptian hieroglyph a001), “😀” (grinning face)."]


def test_registering_twice_is_harmless():
    assert register_fonts() == register_fonts()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_every_font_in_a_document_is_embedded_and_no_helvetica(tmp_path):
    _, path = _pdf([markup(SAMPLE), "<b>bold</b> <i>italic</i> <b><i>both</i></b>"], tmp_path)
    listing = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert len(rows) == 4  # regular, bold, italic, bold italic: the <b>/<i> mapping works
    for row in rows:
        assert "Helvetica" not in row
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_user_text_with_markup_characters_prints_literally(tmp_path):
    typed = "AT&T <Found> &amp; Lost & <Found> <i>unclosed"
    data, _ = _pdf([markup(typed), markup(SAMPLE)], tmp_path)
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)
    assert typed in text
    assert "Ёлка Жизнь" in text and "Αθήνα" in text and "Işık" in text
