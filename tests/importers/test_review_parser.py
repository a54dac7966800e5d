"""The plain-text review layout: the seed review, our own fixtures, and every optional part missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from festival_desk.importers.reviews import parse_review_file, parse_review_text
from festival_desk.importers.reviews.layout import is_caption, split_lead_subhead, split_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


@pytest.fixture
def seed_review(seed_review_dir: Path):
    path = sorted(seed_review_dir.glob("*.txt"))[0]
    return path, parse_review_file(path)


def test_seed_header(seed_review) -> None:
    _, review = seed_review
    assert review.critic.name == "Tina Poglajen"
    assert review.critic.bio is not None and review.critic.bio.startswith("Poglajen is")
    assert review.tags == ["STALIN", "RUSSIA"]
    assert review.standfirst is not None and review.standfirst.startswith("Through interviews")
    assert review.film.title == "The Red Soul"
    assert review.film.original_title is None
    assert review.film.directors == ["Jessica Gorter"]
    assert review.film.countries == ["The Netherlands"]
    assert review.film.year == 2017


def test_seed_subheads_open_their_sections(seed_review) -> None:
    _, review = seed_review
    headings = [section.heading for section in review.sections]
    assert headings == [None, "Intriguing people", "Not brave enough", "Comparative aspect missing"]
    intriguing = review.sections[1]
    assert intriguing.paragraphs[0].startswith("In search of an answer")


def test_seed_pull_quotes_and_caption_kept_apart(seed_review) -> None:
    path, review = seed_review
    assert len(review.pull_quotes) == 2
    assert all(not quote.startswith("«") and not quote.endswith("»") for quote in review.pull_quotes)
    assert review.pull_quotes[0].startswith("Gorter sets out")
    assert len(review.captions) == 1 and "REUTERS/" in review.captions[0]
    assert review.captions[0].endswith("RTR31G68")
    for paragraph in review.paragraphs:
        assert "REUTERS" not in paragraph
        assert not paragraph.startswith("«")
    # the quote repeats a sentence of the body, which stays in the body
    assert any(review.pull_quotes[1] in paragraph for paragraph in review.paragraphs)
    assert review.raw_text == path.read_text(encoding="utf-8")


def test_seed_hard_wrapped_lines_joined(seed_review) -> None:
    _, review = seed_review
    assert any("heart and soul of the film." in paragraph for paragraph in review.paragraphs)
    assert any("a strong leader, and" in paragraph for paragraph in review.paragraphs)
    assert all("\n" not in paragraph for paragraph in review.paragraphs)
    assert len(review.paragraphs) == 5


def test_two_directors_three_countries() -> None:
    review = parse_review_file(FIXTURES / "two_directors_three_countries.txt")
    assert review.film.directors == ["Ana Kovač", "Marek Horvat"]
    assert review.film.countries == ["Slovenia", "Croatia", "Austria"]
    assert review.film.year == 2021
    assert review.tags == ["RIVERS", "BORDERS", "LABOUR"]
    assert review.pull_quotes == ["The river keeps the only honest record of the work."]
    assert review.captions == ["Photo: Marek Horvat / Riverbank Films"]
    assert [s.heading for s in review.sections] == [None, "Hands and weather", "An unfinished ending"]
    # the wrapped first paragraph is one paragraph, its line breaks gone
    assert review.sections[0].paragraphs[0].endswith("who is the dam for?")
    assert "passing sandbags from hand to hand. The film begins" in review.sections[0].paragraphs[0]


def test_cyrillic_title_with_translation_and_curly_quotes() -> None:
    review = parse_review_file(FIXTURES / "cyrillic_title.txt")
    assert review.film.title == "The Quiet Yard"
    assert review.film.original_title == "Тихий двор"
    assert review.pull_quotes == ["A lime tree can be a better witness than a camera.",
                                  "The bench outlives every argument held on it."]
    assert review.captions == ["Courtesy of Baltic Doc Lab"]
    assert [s.heading for s in review.sections] == [None, "The letters", "Silence as method"]


def test_bom_and_windows_line_ends() -> None:
    path = FIXTURES / "bom_crlf.txt"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the fixture is what it claims
    review = parse_review_file(path)
    assert review.critic.name == "Léa Dubois"
    assert review.film.countries == ["France", "Belgium"]
    assert review.captions == ["© Lumière du Nord"]
    assert not review.raw_text.startswith("\ufeff")
    assert all("\r" not in paragraph for paragraph in review.paragraphs)
    assert review.content_hash == parse_review_text(data.decode("utf-8-sig").replace("\r\n", "\n")).content_hash


def test_markup_characters_kept_in_every_field() -> None:
    review = parse_review_file(FIXTURES / "markup_everywhere.txt")
    assert review.critic.name == "Ines <Ina> Marković & Co"
    assert review.critic.bio == "Marković edits <Frame & Fury>, a quarterly on film & politics."
    assert review.tags == ["ART & WAR", "<ARCHIVE>"]
    assert review.standfirst == "A film about <b>bold</b> claims & the footnotes that undo them."
    assert review.film.title == "Lost & <Found>"
    assert review.film.directors == ["Sam <Sammy> Reyes", "Ola & Berg"]
    assert review.film.countries == ["Bosnia & Herzegovina", "<Nowhere>"]
    assert review.pull_quotes == ["Every label is a small argument & a promise."]
    assert review.captions == ["Photo: <Archive> & Partners"]
    assert "<Untitled & Undated>" in review.paragraphs[0]
    assert review.paragraphs[-1] == "The ending uses the tag <i>; no italics follow, only the text as typed."


def test_minimal_review_has_only_the_required_parts() -> None:
    review = parse_review_file(FIXTURES / "minimal.txt")
    assert (review.critic.name, review.critic.bio, review.tags, review.standfirst) == ("Jonas Berg", None, [], None)
    assert (review.film.title, review.film.directors, review.film.countries, review.film.year) == (
        "Salt Year", ["Liv Sørensen"], ["Norway"], 2022)
    assert len(review.sections) == 1 and review.sections[0].heading is None
    assert len(review.sections[0].paragraphs) == 1
    assert (review.pull_quotes, review.captions) == ([], [])


def test_header_without_blank_lines_and_wrapped_standfirst() -> None:
    review = parse_review_file(FIXTURES / "compact_header.txt")
    assert review.critic.bio is None
    assert review.tags == ["WATER", "CITIES"]
    assert review.standfirst == ("A slow study of the last public baths of a port city, "
                                 "written in the steam and the chatter of their regulars.")
    assert review.film.title == "The Last Baths"
    # "The baths open at six." is a sentence of the first paragraph, not a subhead
    assert [s.heading for s in review.sections] == [None]


def test_text_without_any_blank_line_splits_paragraphs_at_sentence_ends() -> None:
    text = ("Ada Lind\nSnow Lines\nKai Moe\nFinland, 2016\nThe first paragraph ends here.\n"
            "The second paragraph is wrapped\nacross two lines.\n")
    review = parse_review_text(text, "pasted")
    assert review.paragraphs == ["The first paragraph ends here.",
                                 "The second paragraph is wrapped across two lines."]


def test_year_alone_as_a_title_does_not_anchor_the_header() -> None:
    review = parse_review_text("Ada Lind\n\n1917\n\nKai Moe\n\nUK, 2019\n\nA war film, told again.")
    assert (review.film.title, review.film.directors, review.film.countries, review.film.year) == ("1917", ["Kai Moe"], ["UK"], 2019)


@pytest.mark.parametrize(("line", "expected"), [
    ("Красная душа (The Red Soul)", ("The Red Soul", "Красная душа")),
    ("The Red Soul (Красная душа)", ("The Red Soul", "Красная душа")),
    ("Le Pays (The Country)", ("The Country", "Le Pays")),
    ("Homecoming (Part 2)", ("Homecoming (Part 2)", None)),
    ("Notes (1984)", ("Notes (1984)", None)),
])
def test_split_title(line: str, expected: tuple[str, str | None]) -> None:
    assert split_title(line) == expected


@pytest.mark.parametrize(("paragraph", "heading"), [
    ("Quiet power. The film never raises its voice.", "Quiet power"),
    ("It works. The film never raises its voice.", None),
    ("Stalin is back. Or so the rally suggests.", None),
    ("Mr. Smith arrives late to every scene.", None),
    ("A film by J. Smith follows the river.", None),
])
def test_in_line_subheads(paragraph: str, heading: str | None) -> None:
    assert split_lead_subhead(paragraph)[0] == heading


@pytest.mark.parametrize(("paragraph", "caption"), [
    ("Photo: Ana Kovač", True),
    ("Photograph by Ana Kovač", True),
    ("Courtesy of the Baltic Film Archive", True),
    ("© Lumière du Nord", True),
    ("Villagers queue for bread in Kyiv, 2014. REUTERS/Ana Kovac (UKRAINE – Tags: SOCIETY) – RTR4XY12", True),
    ("Still, the film earns its ending.", False),
    ("The photographs the family keeps are the film's quiet centre.", False),
])
def test_captions(paragraph: str, caption: bool) -> None:
    assert is_caption(paragraph) is caption


@pytest.mark.parametrize(("paragraph", "heading"), [
    ("What it is really about. Under the jokes lies a question.", "What it is really about"),
    ("Reporters who would not stop. They follow the money.", "Reporters who would not stop"),
    ("Halfway through, the film does something remarkable. A minister arrives.", None),
])
def test_subheads_with_relative_clauses(paragraph: str, heading: str | None) -> None:
    assert split_lead_subhead(paragraph)[0] == heading


def test_every_demo_review_reads_in_the_layout() -> None:
    """The demo festival's reviews (our own text, in the same layout): each has its critic, film,
    a subhead after the opening, pull quotes and a caption kept out of the body."""
    folder = Path(__file__).resolve().parents[2] / "db" / "seeds" / "reviews"
    paths = sorted(folder.glob("*.txt"))
    assert paths
    for path in paths:
        review = parse_review_file(path)
        assert review.critic.name and review.critic.bio, path.name
        assert review.film.directors and review.film.countries and review.film.year, path.name
        assert review.sections[0].heading is None and len(review.sections) >= 2, path.name
        assert all(section.heading for section in review.sections[1:]), path.name
        assert review.pull_quotes and len(review.captions) == 1, path.name
        assert not any(review.captions[0] in paragraph for paragraph in review.paragraphs), path.name
