"""Markdown, saved web pages, Word documents and pasted text map onto the same review structure;
bad files are refused with a message naming them; `review parse --json` prints the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from festival_desk.core.errors import UserError
from festival_desk.importers.reviews import parse_review_file, parse_review_text
from festival_desk.importers.reviews.reading import MAX_FILE_BYTES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"

NIGHT_FERRY = {
    "critic": "Hana Novak",
    "bio": "Novak is a film critic for a Zagreb monthly & a festival programmer.",
    "tags": ["NIGHT", "SEA", "WORK"],
    "title": "Night Ferry",
    "directors": ["Petra Šimić", "Luka Babić"],
    "countries": ["Croatia", "Italy", "Greece"],
    "year": 2020,
    "headings": [None, "Five people", "Weather, not drama"],
    "quote": "A ferry is a small town that forgets itself every morning.",
}


def _check_night_ferry(review) -> None:
    assert review.critic.name == NIGHT_FERRY["critic"]
    assert review.critic.bio == NIGHT_FERRY["bio"]
    assert review.tags == NIGHT_FERRY["tags"]
    assert review.standfirst == ("A crew of five keeps an old car ferry running through one winter "
                                 "of night crossings.")
    assert (review.film.title, review.film.directors, review.film.countries, review.film.year) == (
        NIGHT_FERRY["title"], NIGHT_FERRY["directors"], NIGHT_FERRY["countries"], NIGHT_FERRY["year"])
    assert [section.heading for section in review.sections] == NIGHT_FERRY["headings"]
    assert review.pull_quotes == [NIGHT_FERRY["quote"]]
    assert len(review.captions) == 1 and review.captions[0].endswith("Photo: Petra Šimić")
    assert review.sections[1].paragraphs[0].startswith("The crew are introduced")
    assert all("Photo:" not in paragraph for paragraph in review.paragraphs)


def test_markdown() -> None:
    review = parse_review_file(FIXTURES / "night_ferry.md")
    _check_night_ferry(review)
    assert review.source_format == "markdown"
    assert review.paragraphs[-1].endswith("which is the point & the pleasure of it.")


def test_saved_web_page_ignores_page_furniture() -> None:
    review = parse_review_file(FIXTURES / "night_ferry.html")
    _check_night_ferry(review)
    assert review.source_format == "html"
    assert review.critic.outlet == "Docs & Frames"
    text = "\n".join(review.paragraphs)
    assert "not text" not in text and "Another film" not in text and "Home" not in text
    assert "comment" not in text
    assert review.paragraphs[-1].endswith("the point & the pleasure of it <really>.")


def test_web_page_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    target = tmp_path / "download"
    target.write_bytes((FIXTURES / "night_ferry.html").read_bytes())
    assert parse_review_file(target).source_format == "html"


def _write_night_ferry_docx(path: Path) -> None:
    document = docx.Document()
    name = document.add_paragraph()
    name.add_run("Hana Novak").bold = True
    name.add_run().add_break()
    name.add_run(NIGHT_FERRY["bio"])
    document.add_paragraph("NIGHT, SEA, WORK: A crew of five keeps an old car ferry running through "
                           "one winter of night crossings.")
    document.add_heading("Night Ferry", level=1)
    document.add_paragraph("Petra Šimić, Luka Babić")
    document.add_paragraph("")
    document.add_paragraph("Croatia, Italy, Greece, 2020")
    document.add_paragraph("The ferry leaves at 23:40 and returns at 04:15, and for ninety minutes "
                           "we never leave it.")
    document.add_paragraph("«" + NIGHT_FERRY["quote"] + "»", style="Quote")
    document.add_paragraph("The bridge at night. Photo: Petra Šimić", style="Caption")
    for lead, rest in (("Five people.", " The crew are introduced by what they do rather than by name."),
                       ("Weather, not drama.", " There is one storm & no climax <at all>.")):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(lead)
        run.bold = True
        run.font.size = Pt(11)
        paragraph.add_run(rest)
    document.save(str(path))


def test_word_document(tmp_path: Path) -> None:
    path = tmp_path / "night ferry.docx"
    _write_night_ferry_docx(path)
    review = parse_review_file(path)
    _check_night_ferry(review)
    assert review.source_format == "docx"
    assert review.paragraphs[-1] == "There is one storm & no climax <at all>."
    assert "Hana Novak" in review.raw_text


def test_pasted_text_matches_the_file() -> None:
    path = FIXTURES / "two_directors_three_countries.txt"
    pasted = parse_review_text(path.read_text(encoding="utf-8"), "clipboard")
    assert pasted.to_json() == parse_review_file(path).to_json()
    assert pasted.source_name == "clipboard"


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1250.txt"
    text = (FIXTURES / "two_directors_three_countries.txt").read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1250"))
    review = parse_review_file(path)
    assert review.film.directors == ["Ana Kovač", "Marek Horvat"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"  \n\r\n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"Shopping list\n\nmilk\n\neggs, bread\n", "not a review"),
    (b"PK\x03\x04not really a zip", "not a (readable )?Word document"),
])
def test_bad_files_are_refused_by_name(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / ("broken.docx" if content.startswith(b"PK") else "broken.txt")
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as raised:
        parse_review_file(path)
    assert str(path) in str(raised.value)


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 7919) % 128 + 128 for i in range(4000)))
    with pytest.raises(UserError, match="cannot tell the text encoding") as raised:
        parse_review_file(path)
    assert str(path) in str(raised.value)


def test_oversized_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse file: 4 MB + 1 byte without writing them
        handle.truncate(MAX_FILE_BYTES + 1)

    def refuse_to_read(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", refuse_to_read)
    with pytest.raises(UserError, match="4,194,305 bytes, larger than the 4.0 MB") as raised:
        parse_review_file(path)
    assert "huge.txt" in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        parse_review_file(tmp_path / "absent.txt")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "import sys; from festival_desk.cli import main; "
                           "sys.exit(main(sys.argv[1:]))", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_cli_parse_json_contract(tmp_path: Path) -> None:
    result = _cli("review", "parse", str(FIXTURES / "cyrillic_title.txt"), "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {"critic", "tags", "standfirst", "film", "sections", "pull_quotes", "captions"}
    assert printed["critic"] == {"name": "Pavel Orlov", "bio": printed["critic"]["bio"]}
    assert printed["film"] == {"title": "The Quiet Yard", "original_title": "Тихий двор",
                               "directors": ["Irina Lebedeva"], "countries": ["Estonia", "Latvia"],
                               "year": 2019}
    assert set(printed["sections"][0]) == {"heading", "paragraphs"}
    assert printed["sections"][1]["heading"] == "The letters"
    assert not list(tmp_path.iterdir())  # nothing written anywhere we can see


def test_cli_parse_bad_file_one_line_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = _cli("review", "parse", str(path), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "empty.txt" in result.stderr
