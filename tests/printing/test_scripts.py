"""Every script prints: fallback faces per script, shaping, right-to-left order, text that extracts
as typed, and a visible box plus a sentence for what no shipped face has."""

from __future__ import annotations

import io
import shutil
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.platypus import SimpleDocTemplate

from festival_desk.printing.fonts import FONTS, script_runs
from festival_desk.printing.styles import make_styles, markup
from festival_desk.printing.text import Para

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# One title per script, as a festival from anywhere would type it.
TITLES = {
    "Hebrew": "ואלס עם באשיר",
    "Arabic": "الجنة الآن",
    "Chinese": "悲情城市",
    "Japanese": "千と千尋の神隠し",
    "Korean": "올드보이 살인의 추억",
    "Devanagari": "मुंबई की कहानी",
    "Thai": "ลุงบุญมีระลึกชาติ",
    "Georgian": "ქართული ფილმი",
    "Armenian": "Հայկական ֆիլմ",
    "Cyrillic": "Ёлка в Жизни",
    "Greek": "Αθήνα τη νύχτα",
    "Turkish": "Işık ve Gölge",
}
FACES = {"Hebrew": "FestivalDeskHebrew", "Arabic": "FestivalDeskArabic", "Chinese": "WenQuanYiMicroHei",
         "Japanese": "WenQuanYiMicroHei", "Korean": "WenQuanYiMicroHei", "Devanagari": "FestivalDeskDevanagari",
         "Thai": "FestivalDeskThai", "Georgian": "NotoSansGeorgian", "Armenian": "NotoSansArmenian",
         "Cyrillic": "NotoSans-", "Greek": "NotoSans-", "Turkish": "NotoSans-"}


def _pdf(tmp_path, paragraphs, style_name="body"):
    styles = make_styles(11)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A5, initialFontName=FONTS.regular).build(
        [Para(markup(text), styles[style_name]) for text in paragraphs])
    path = tmp_path / "scripts.pdf"
    path.write_bytes(buffer.getvalue())
    return path


@needs_poppler
@pytest.mark.parametrize("style_name", ["body", "film_title"])
def test_every_script_extracts_exactly_as_typed_and_is_embedded(tmp_path, style_name):
    lines = [f"{script}: {title} ({title}), 2024" for script, title in TITLES.items()]
    path = _pdf(tmp_path, lines, style_name)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for title in TITLES.values():
        assert title in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    assert "Helvetica" not in fonts
    for script, face in FACES.items():
        assert face in fonts, script
    if style_name == "film_title":  # bold text takes the bold fallback face where there is one
        assert "FestivalDeskHebrew-Bold" in fonts and "FestivalDeskArabic-Bold" in fonts


# Shaping draws a reph (र्) after the letter it sits on and a pre-base vowel sign (ि) before its
# consonant; PDF text is read in drawing order unless the word carries its text as typed.
REORDERED_NAMES = ["आनंद पटवर्धन", "किरण राव", "निष्ठा जैन", "आनंद\u00a0पटवर्धन, किरण\u00a0राव"]


@needs_poppler
@pytest.mark.parametrize("style_name", ["body", "film_title"])
def test_devanagari_words_that_shaping_reorders_extract_as_typed(tmp_path, style_name):
    path = _pdf(tmp_path, [f"Directed by {name}." for name in REORDERED_NAMES], style_name)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())  # the longer names wrap in the title style
    for name in REORDERED_NAMES:
        assert f"Directed by {name.replace(chr(0xA0), ' ')}." in words


@needs_poppler
def test_the_text_as_typed_changes_nothing_on_the_printed_page(tmp_path, monkeypatch):
    from reportlab.pdfgen.textobject import PDFTextObject

    from festival_desk.printing import fonts

    lines = [f"Directed by {name}, {TITLES['Devanagari']} ({TITLES['Hebrew']})" for name in REORDERED_NAMES]
    def page_operators(path):
        return PdfReader(path).pages[0].get_contents().get_data()

    with_text = _pdf(tmp_path, lines).rename(tmp_path / "with.pdf")
    assert b"/ActualText" in page_operators(with_text)
    monkeypatch.setattr(PDFTextObject, "_formatText", fonts._format_text)
    without_text = _pdf(tmp_path, lines).rename(tmp_path / "without.pdf")
    assert b"/ActualText" not in page_operators(without_text)
    pages = []
    for path in (with_text, without_text):
        subprocess.run(["pdftoppm", "-r", "150", "-gray", str(path), str(path.with_suffix(""))], check=True)
        pages.append(path.with_name(f"{path.stem}-1.pgm").read_bytes())
    assert pages[0] == pages[1]


def test_right_to_left_words_are_set_right_to_left_within_a_left_to_right_line(tmp_path):
    path = _pdf(tmp_path, ["Waltz with Bashir · ואלס עם באשיר · Ari Folman"])
    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    def x_of(character):
        return next(c["x0"] for c in chars if c["text"] == character)
    # The first word read (ואלס) stands right of the last (באשיר); all of it between the Latin parts.
    assert x_of("ב") < x_of("ע") < x_of("ו")
    assert x_of("z") < x_of("ב") and x_of("ו") < x_of("F")


def test_a_right_to_left_paragraph_is_set_flush_right_with_its_lines_in_reading_order(tmp_path):
    text = ("סרט ארוך מאוד על החיים בעיר הגדולה, שנים רבות של עבודה קשה ומשפחה אחת גדולה "
            "שחיה בשכונה ישנה ליד הים התיכון")
    path = _pdf(tmp_path, [text])
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lines = page.extract_text_lines()
        right_edges = {round(line["x1"]) for line in lines}
    assert len(lines) >= 2 and len(right_edges) == 1  # flush right
    # The first line holds the first words: its rightmost word is the paragraph's first.
    first_line = sorted(lines, key=lambda line: line["top"])[0]
    assert first_line["text"].split()[-1][::-1] == "סרט"


def test_shaped_arabic_joins_and_keeps_its_punctuation_in_its_face():
    runs = script_runs("«الجنة الآن», 2005")
    assert runs[0][0] == "FestivalArabic" and "«" in runs[0][1] and "," in runs[0][1]


@needs_poppler
def test_a_character_no_font_has_prints_as_a_red_box(tmp_path):
    path = _pdf(tmp_path, ["Before 𓀀 after"])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Before □ after" in text
    with pdfplumber.open(path) as pdf:
        box = next(c for c in pdf.pages[0].chars if c["text"] == "□")
    assert box["non_stroking_color"][0] > 0.7  # red, where a proofreader looks


@needs_poppler
def test_a_booklet_in_a_dozen_scripts_prints_every_title_original_title_and_director(tmp_path):
    from booklet_samples import WORLD_FILMS, world_festival

    from festival_desk.printing.booklet import render_booklet

    result = render_booklet(world_festival())
    assert result.warnings == []
    path = tmp_path / "world.pdf"
    path.write_bytes(result.pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for title, original, directors, _ in WORLD_FILMS:
        assert title in text
        assert original in text, original
        for director in directors:
            assert director in text, director
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts and all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


def test_brackets_and_punctuation_around_right_to_left_words_follow_the_surrounding_text(tmp_path):
    path = _pdf(tmp_path, ["Waltz with Bashir (ואלס עם באשיר): a film.", "Hebrew with comma: שלום, עולם!"])
    with pdfplumber.open(path) as pdf:
        lines = pdf.pages[0].extract_text_lines()
    def order(line, characters):
        return [next(c["x0"] for c in line["chars"] if c["text"] == ch) for ch in characters]
    first, second = lines[0], lines[1]
    # "(" left of the Hebrew, ")" and ":" right of it, the first word read (ואלס) rightmost inside.
    opening, closing, colon, vav, bet = order(first, "():וב")
    assert opening < bet < vav < closing < colon
    comma, shin, mem_final = order(second, ",שם")[0], order(second, "ש")[0], order(second, "ע")[0]
    assert mem_final < comma < shin  # "עולם ,שלום!": the comma ends שלום, on its left
