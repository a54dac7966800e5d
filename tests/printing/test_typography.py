"""Typography by language: hyphenation in the texts' own language, never in titles, names or facts;
typographic quotation marks; indexes and contents a reader can use."""

from __future__ import annotations

import io

from booklet_samples import generated_festival, small_festival
from pypdf import PdfReader

from festival_desk.printing.booklet import BookletRenderer, render_booklet
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.styles import PROSE_STYLES, make_styles
from festival_desk.printing.typography import hyphenator, inverted_name, quoted, typographic


def test_hyphenation_leaves_three_letters_either_side_of_a_break():
    english = hyphenator("en")
    for word in ("sessions", "children", "Russian", "photographers", "international", "documentary"):
        for left, right in english(word):
            assert len(left.rstrip("-")) >= 3 and len(right) >= 3, (word, left, right)
    assert ("Russi", "an") not in list(english("Russian"))


def test_titles_names_facts_and_indexes_are_never_hyphenated():
    styles = make_styles(9, "en")
    for name in ("film_title", "original_title", "meta", "fact", "fact_small", "index_entry", "grid_cell",
                 "heading", "programme_film", "toc_film"):
        assert styles[name].hyphenationLang == "", name
    for name in ("synopsis", "body", "quote"):
        assert callable(styles[name].hyphenationLang) and name in PROSE_STYLES


def test_a_synopsis_hyphenates_in_its_own_language_not_the_labels():
    snapshot = small_festival()
    snapshot.festival.text_language = "en"
    german = snapshot.sections[0].films[1]
    german.text_language = "de"
    renderer = BookletRenderer(snapshot, BookletOptions(language="de"))
    english_film = snapshot.sections[0].films[0]
    english_style = renderer._prose_style(renderer.styles.synopsis, renderer._text_language(english_film))
    german_style = renderer._prose_style(renderer.styles.synopsis, renderer._text_language(german))
    assert english_style.hyphenationLang is hyphenator("en")
    assert german_style.hyphenationLang is hyphenator("de")


def test_straight_quotes_become_the_languages_marks():
    assert typographic('It\'s "the best" of the \'90s, said \'Ana\'', "en") == \
        "It’s “the best” of the ’90s, said ‘Ana’"
    assert typographic('Sie sagte "Ja" und ging', "de") == "Sie sagte „Ja“ und ging"
    assert quoted('A "quiet" triumph', "en") == "“A ‘quiet’ triumph”"
    assert quoted("Ein stiller Triumph", "de") == "„Ein stiller Triumph“"


def test_index_names_read_surname_first_except_where_written_so():
    assert inverted_name("Nuri Bilge Ceylan") == "Ceylan, Nuri Bilge"
    assert inverted_name("宮崎 駿") == "宮崎 駿" and inverted_name("봉준호") == "봉준호"
    assert inverted_name("Madonna") == "Madonna"


def test_contents_lists_the_films_of_each_section_with_their_pages():
    result = render_booklet(small_festival())
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(result.pdf)).pages]
    contents = next(text for text in pages if text.startswith("Contents") or "\nContents" in text[:40])
    lines = [line.strip() for line in contents.splitlines()]
    page = int(lines[lines.index("The Red Soul") + 1])  # the number stands in its own column
    assert "The Red Soul" in pages[page - 1] and "A choir of miners" in pages[page - 1]
    assert lines.index("Competition") < lines.index("The Red Soul") < lines.index("Shorts & <More>")
    assert "Shorts One" in lines


def test_a_long_index_runs_in_columns_and_says_cont_on_its_next_pages():
    result = render_booklet(generated_festival(300))
    reader = PdfReader(io.BytesIO(result.pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    index_pages = [number for number, text in enumerate(pages) if "Index of titles" in text]
    assert len(index_pages) >= 2
    assert any("Index of titles (cont.)" in pages[number] for number in index_pages[1:])
    assert "Index of titles (cont.)" not in pages[index_pages[0]]
    # Two columns: entries start at two different left edges on an index page.
    lefts = set()
    reader.pages[index_pages[1]].extract_text(
        visitor_text=lambda text, cm, tm, font, size: lefts.add(round(tm[4] / 20)) if text.strip() else None)
    assert len(lefts) >= 2
