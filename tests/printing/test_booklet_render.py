"""The booklet read back as a reader and a print shop would: text, fonts, boxes, pages, links."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from booklet_samples import CYRILLIC_TITLE, GREEK_DIRECTOR, MARKUP_TITLE, generated_festival, small_festival, still
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm

from festival_desk.core.errors import Cancelled, UserError
from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.snapshot import FilmEntry, Place


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def small():
    return render_booklet(small_festival())


@pytest.fixture(scope="module")
def small_pages(small):
    return _texts(small.pdf)


def test_every_film_title_quote_and_critic_is_printed_as_typed(small, small_pages):
    text = _flat(" ".join(small_pages))
    for title in ("The Red Soul", MARKUP_TITLE, CYRILLIC_TITLE, "Short Two"):
        assert title in text
    assert "“Quietly devastating and very funny”" in text  # English quotation marks
    assert "Mira Holt, Reel Notes" in text
    assert "Docs & <Days>" in text and "Shorts & <More>" in text
    assert "<i>unclosed markup, an entity &eacute;" in text
    assert GREEK_DIRECTOR in text and "Zeynep Işık" in text and "Crvena duša" in text
    assert small.films == 5


def test_screenings_show_day_time_venue_screen_qa_and_premiere(small_pages):
    red_soul_page = next(_flat(p) for p in small_pages if "A choir of miners" in p)
    assert "Fri 14 Mar, 19:30" in red_soul_page
    assert "Kino Šiška, Hall 1" in red_soul_page
    assert "Q&A with Ana Kovač" in red_soul_page
    assert "World premiere" in red_soul_page
    assert "Press screening" in red_soul_page


def test_page_count_is_a_multiple_of_four_with_notes_pages(small, small_pages):
    assert small.pages == len(small_pages)
    assert small.pages % 4 == 0
    # the back cover is the last page, after any padding
    assert "Docs & <Days>" in small_pages[-1]


@pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("qpdf") is None,
                    reason="poppler-utils/qpdf not installed")
def test_all_fonts_embedded_and_file_is_valid(small, tmp_path):
    path = tmp_path / "booklet.pdf"
    path.write_bytes(small.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row and "Times" not in row
        assert row.split()[-5] == "yes", row
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_default_bleed_boxes_on_every_page(small):
    bleed = 3 * mm
    for page in PdfReader(io.BytesIO(small.pdf)).pages:
        trim, bleed_box, media = page.trimbox, page.bleedbox, page.mediabox
        assert float(trim.width) == pytest.approx(A5[0], abs=0.5)
        assert float(trim.height) == pytest.approx(A5[1], abs=0.5)
        assert float(bleed_box.width) == pytest.approx(A5[0] + 2 * bleed, abs=0.5)
        assert float(media.width) == pytest.approx(A5[0] + 2 * bleed, abs=0.5)


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_other_papers_set_the_trim_size(paper, size):
    result = render_booklet(small_festival(), BookletOptions(paper=paper, bleed_mm=0))
    page = PdfReader(io.BytesIO(result.pdf)).pages[0]
    assert float(page.trimbox.width) == pytest.approx(size[0], abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.5)


def test_crop_marks_enlarge_the_sheet_beyond_the_bleed():
    result = render_booklet(small_festival(), BookletOptions(crop_marks=True, bleed_mm=5))
    page = PdfReader(io.BytesIO(result.pdf)).pages[1]
    assert float(page.mediabox.width) > float(page.bleedbox.width) > float(page.trimbox.width)
    assert float(page.bleedbox.width) == pytest.approx(A5[0] + 10 * mm, abs=0.5)


def test_build_report_lists_low_resolution_missing_and_corrupt_stills(small):
    snapshot = small_festival()
    snapshot.sections[0].films[1].still = still(200, 112)
    report = "\n".join(render_booklet(snapshot).warnings)
    assert re.search(f"The still of “{re.escape(MARKUP_TITLE)}” has [0-9]+ pixels per inch at its printed size "
                     r"\([0-9]+ × [0-9]+ mm\); print needs at least 200\.", report)
    assert f"The still of “{CYRILLIC_TITLE}” cannot be read" in report
    assert "has no still; a grey box stands in for it." in report
    assert not any("The Red Soul" in w for w in small.warnings)


def test_text_no_shipped_font_can_show_is_reported_as_a_sentence():
    snapshot = small_festival()
    snapshot.sections[0].films[0].synopsis = "Shot in 北京 in one night, 𓀀 included."
    result = render_booklet(snapshot)
    assert result.warnings.count(
        "The synopsis of “The Red Soul” has a character that no shipped font can print, shown as a box in "
        "the proof: “𓀀” (egyptian hieroglyph a001).") == 1
    assert not any("北" in warning or "U+" in warning for warning in result.warnings)


def test_contents_and_indexes_give_the_right_pages(small_pages):
    def page_of(needle: str, start: int = 4) -> int:
        return next(number for number, text in enumerate(small_pages, 1)
                    if number >= start and needle in text)

    contents = _flat(next(p for p in small_pages if p.startswith("Contents") or "\nContents" in p[:40]))
    competition_page = page_of("Films in competition for the main prize.")
    assert re.search(rf"Competition {competition_page}\b", contents)

    index_page = page_of("Index of titles")
    index = small_pages[index_page - 1]
    red_soul = page_of("A choir of miners")
    assert re.search(rf"The Red Soul {red_soul}\b", _flat(index))
    # filed under R, after the entries under L (Lost & <Found>)
    lines = [line.strip() for line in index.splitlines()]
    r_heading = lines.index("R")
    assert any(line.startswith("The Red Soul") for line in lines[r_heading:])
    assert lines.index("L") < r_heading


def test_director_and_country_indexes_use_surnames_and_display_names(small_pages):
    directors = next(p for p in small_pages if p.startswith("Index of directors") or "Index of directors" in p[:60])
    assert directors.index("Čeh, Lea") < directors.index("Kovač, Ana")  # Čeh files under C, before K
    assert "Ana Kovač" not in directors  # "Surname, Forename", as an index reads
    countries = next(p for p in small_pages if "Index of countries" in p[:60])
    assert "Slovenia" in countries and "Atlantis" in countries and "Czechia" in countries


def test_outline_has_sections_and_films_and_contents_links(small):
    reader = PdfReader(io.BytesIO(small.pdf))

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    assert "Competition" in outline and "The Red Soul" in outline and "Shorts One" in outline
    contents_page = next(p for p in reader.pages if (p.extract_text() or "").startswith("Contents"))
    links = [a.get_object() for a in contents_page.get("/Annots", [])]
    assert len(links) >= 5
    assert all(a["/Subtype"] == "/Link" for a in links)


def test_german_labels_and_country_names():
    result = render_booklet(small_festival(), BookletOptions(language="de"))
    text = _flat(" ".join(_texts(result.pdf)))
    assert "Inhalt" in text and "Weltpremiere" in text and "Slowenien" in text
    assert "Fr 14. März, 19:30" in text


def test_only_chosen_sections_and_fields_are_printed():
    result = render_booklet(small_festival(), BookletOptions(sections=("COMP",), fields=("still", "synopsis")))
    text = _flat(" ".join(_texts(result.pdf)))
    assert "The Red Soul" in text and "Short Two" not in text
    assert "Quietly devastating" not in text and "Crvena duša" not in text
    assert result.films == 3


def test_film_without_synopsis_or_screenings_still_gets_an_entry():
    snapshot = small_festival()
    snapshot.sections[0].films.append(FilmEntry(99, "Bare Entry", countries=[Place("FI")]))
    text = _flat(" ".join(_texts(render_booklet(snapshot).pdf)))
    assert "Bare Entry" in text and "Finland" in text


@pytest.mark.parametrize("options", [BookletOptions(bleed_mm=-1), BookletOptions(paper="b5"),
                                     BookletOptions(paper="custom"), BookletOptions(language="fr"),
                                     BookletOptions(sort="random")])
def test_impossible_options_are_refused_with_the_option_named(options):
    with pytest.raises(UserError) as raised:
        render_booklet(small_festival(), options)
    assert re.match(r"(bleed|paper|language|sort):", str(raised.value))


def test_progress_can_cancel_the_build():
    calls = []

    def progress(done, total, message):
        calls.append(done)
        if len(calls) > 5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        render_booklet(small_festival(), progress=progress)


def test_no_film_title_is_left_alone_at_a_page_bottom():
    snapshot = generated_festival(40, still_size=(900, 1200))
    pages = _texts(render_booklet(snapshot, BookletOptions(fields=("still", "directors", "synopsis"))).pdf)
    for film in snapshot.films():
        title_page = next(p for p in pages if film.title in p and "Directed by" in p.split(film.title, 1)[1]
                          or p.rstrip().endswith(film.title))
        after_title = title_page.split(film.title, 1)[1]
        assert "Directed by" in after_title, f"{film.title} stands alone at the bottom of its page"


def test_a_synopsis_longer_than_a_page_flows_on_and_long_words_wrap():
    snapshot = small_festival()
    paragraphs = [f"Paragraph {n} of a synopsis that will not fit on one page. " * 30 for n in range(1, 7)]
    snapshot.sections[0].films[0].synopsis = "\n\n".join(paragraphs) + "\n\nThe very last sentence."
    snapshot.screenings[1].title = "Unbreakableprogrammenamewithoutanyspacesatallthatisverylong"
    result = render_booklet(snapshot, BookletOptions(paper="custom", custom_size_mm=(100, 150)))
    text = _flat(" ".join(_texts(result.pdf)))
    assert "The very last sentence." in text and "Paragraph 6 of a synopsis" in text
    assert result.pages % 4 == 0 and result.passes == 2


def test_section_openers_stand_on_right_hand_pages():
    snapshot = generated_festival(40)
    result = render_booklet(snapshot)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(result.pdf)).pages]
    openers = [number for number, text in enumerate(pages, 1)
               if text.strip() in {f"{s.name}\n{s.description}" for s in snapshot.sections}]
    assert len(openers) == len(snapshot.sections)
    assert all(number % 2 == 1 for number in openers), openers


def test_a_long_festival_name_is_fitted_on_the_cover_and_an_impossible_one_refused():
    snapshot = generated_festival(10)
    snapshot.festival.name = ("International Festival of Documentary and Experimental Cinema of the Danube "
                              "Region at Novi Sad")
    assert len(snapshot.festival.name) == 94
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(render_booklet(snapshot).pdf)).pages]
    assert _flat(pages[0]).startswith(snapshot.festival.name) and "1st edition" in pages[0]
    snapshot.festival.name = " ".join(["Documentary"] * 40)
    with pytest.raises(UserError, match=r"cover: the festival name \(479 characters\) does not fit the cover"):
        render_booklet(snapshot)
