"""Catalogue facts: set by hand, filtered, read from FilmFreeway custom answers where mapped, kept
over a re-import where the committee edited them, and printed in the booklet entry."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from festival_desk.actions.facts import catalogue_facts, facts_mapping, map_question, set_facts
from festival_desk.actions.submissions import import_submissions
from festival_desk.core.errors import UserError
from festival_desk.store.filters import FilmFilter, film_ids

HEADERS = ["Project Title", "Submission ID", "Language", "Submission Link", "Submission Password",
           "Submission Custom Field 1", "Submission Custom Answer 1",
           "Submission Custom Field 2", "Submission Custom Answer 2",
           "Submission Custom Field 3", "Submission Custom Answer 3",
           "Submission Custom Field 4", "Submission Custom Answer 4",
           "Submission Custom Field 5", "Submission Custom Answer 5"]
QUESTIONS = ("Subtitle language", "Does the film have subtitles for the deaf and hard of hearing (SDH)?",
             "Audio description available?", "Content warnings", "Zielgruppe ab")


def _export(path: Path, rows: list[tuple]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for title, submission_id, language, answers in rows:
            cells = [title, submission_id, language, f"https://screeners.example.org/{submission_id}", "s3cret"]
            for question, answer in zip(QUESTIONS, answers):
                cells += [question, answer]
            writer.writerow(cells)
    return path


ROWS = [
    ("Reka", "9001", "Slovenian", ("English", "Yes", "No", "Animal slaughter", "12")),
    ("Ёлка", "9002", "Russian", ("English, French", "no", "Yes", "", "All ages")),
    ("Kafe", "9003", "Turkish", ("German", "", "", "Flashing lights", "16")),
]


def _ids(database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT title, id FROM film").all())


def test_custom_answers_fill_the_facts_where_mapped(empty_db, tmp_path):
    database = empty_db
    map_question(database, "Zielgruppe ab", "age_recommendation")
    change = import_submissions(database, _export(tmp_path / "ff.csv", ROWS))
    assert change.details["facts"] == 3
    ids = _ids(database)
    reka = catalogue_facts(database, ids["Reka"])
    assert (reka.subtitle_language, reka.sdh, reka.audio_description) == ("eng", True, False)
    assert reka.content_advice == "Animal slaughter" and reka.age_recommendation == 12
    assert reka.phrases() == ["English subtitles", "Subtitles for the deaf and hard of hearing", "Age 12+",
                              "Content advice: Animal slaughter"]
    yolka = catalogue_facts(database, ids["Ёлка"])
    assert yolka.subtitle_language is None and yolka.subtitles == "English, French"  # kept as given
    assert yolka.audio_description is True and yolka.age_recommendation == 0
    assert catalogue_facts(database, ids["Kafe"]).sdh is None  # not answered: not known
    with database.reading() as session:
        assert film_ids(session, FilmFilter(sdh=True)) == [ids["Reka"]]
        assert film_ids(session, FilmFilter(audio_description=True)) == [ids["Ёлка"]]
        assert set(film_ids(session, FilmFilter(subtitles=("deu", "eng")))) == {ids["Reka"], ids["Kafe"]}
        assert set(film_ids(session, FilmFilter(suitable_for_age=12))) == {ids["Reka"], ids["Ёлка"]}
        assert film_ids(session, FilmFilter(content_advice=False)) == [ids["Ёлка"]]
        assert set(film_ids(session, FilmFilter(sdh=False))) == {ids["Ёлка"], ids["Kafe"]}


def test_without_a_mapping_an_unrecognised_question_is_left_alone(empty_db, tmp_path):
    import_submissions(empty_db, _export(tmp_path / "ff.csv", ROWS))
    assert catalogue_facts(empty_db, _ids(empty_db)["Reka"]).age_recommendation is None
    map_question(empty_db, "Content warnings", "none")
    assert facts_mapping(empty_db) == {"content warnings": ""}


def test_a_reimport_keeps_the_committees_edits_and_follows_the_rest(empty_db, tmp_path):
    database = empty_db
    import_submissions(database, _export(tmp_path / "first.csv", ROWS))
    reka = _ids(database)["Reka"]
    set_facts(database, reka, content_advice="Scenes of animal slaughter; strobe light")
    later = [("Reka", "9001", "Slovenian", ("French", "Yes", "Yes", "Animal slaughter (edited)", "12")), *ROWS[1:]]
    import_submissions(database, _export(tmp_path / "later.csv", later))
    facts = catalogue_facts(database, reka)
    assert facts.content_advice == "Scenes of animal slaughter; strobe light"  # the committee's
    assert facts.subtitle_language == "fra" and facts.audio_description is True  # the source's


def test_setting_facts_by_hand_checks_each_field_and_undoes(empty_db, tmp_path):
    database = empty_db
    import_submissions(database, _export(tmp_path / "ff.csv", ROWS[:1]))
    film = _ids(database)["Reka"]
    change = set_facts(database, film, subtitles="Greek", age_recommendation=15)
    assert change.details["changed"] == ["age_recommendation", "subtitle_label", "subtitle_language"]
    assert catalogue_facts(database, film).subtitles == "Greek"
    change.undo(database)
    restored = catalogue_facts(database, film)
    assert (restored.subtitle_language, restored.age_recommendation) == ("eng", None)  # as imported
    for kwargs, field in (({"subtitles": "Klingonish"}, "subtitles"), ({"age_recommendation": 30}, "age"),
                          ({"age_recommendation": -1}, "age"), ({"content_advice": "x" * 600}, "content advice"),
                          ({"sdh": "maybe"}, "sdh")):
        with pytest.raises(UserError) as refused:
            set_facts(database, film, **kwargs)
        assert str(refused.value).startswith(field)
    with pytest.raises(UserError, match="not a catalogue fact"):
        map_question(database, "Age?", "shoe size")


def test_the_booklet_entry_prints_the_catalogue_facts_in_its_label_language(demo_db, tmp_path):
    import re

    from pypdf import PdfReader
    from sqlmodel import select

    from festival_desk.actions import booklet
    from festival_desk.printing.options import BookletOptions
    from festival_desk.store import models as m

    with demo_db.reading() as session:
        film = session.exec(select(m.Film).where(m.Film.status == "selected").order_by(m.Film.id)).first()
    set_facts(demo_db, film.id, subtitles="English", sdh=True, audio_description=False,
              content_advice="Scenes of animal slaughter & <blood>", age_recommendation=12)

    def text(path) -> str:  # lines joined, words hyphenated at a line end made whole
        joined = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))
        return re.sub(r"(\w)- (\w)", r"\1\2", joined)

    english = tmp_path / "en.pdf"
    booklet.build_booklet(demo_db, english)
    printed = text(english)
    line = "English subtitles · Subtitles for the deaf and hard of hearing · Age 12+ · " \
           "Content advice: Scenes of animal slaughter & <blood>"
    assert line in printed
    assert "Audio description" not in printed  # "no" is not news
    german = tmp_path / "de.pdf"
    booklet.build_booklet(demo_db, german, BookletOptions(language="de"))
    assert "Untertitel: Englisch · Untertitel für Gehörlose und Hörgeschädigte · Ab 12 Jahren" in text(german)


def test_undoing_an_import_puts_the_facts_back_as_they_were(empty_db, tmp_path):
    database = empty_db
    import_submissions(database, _export(tmp_path / "first.csv", ROWS))
    reka = _ids(database)["Reka"]
    later = [("Reka", "9001", "Slovenian", ("French", "Yes", "Yes", "Animal slaughter", "12")), *ROWS[1:],
             ("Nova", "9004", "Greek", ("Greek", "Yes", "", "", ""))]
    change = import_submissions(database, _export(tmp_path / "later.csv", later))
    assert catalogue_facts(database, reka).subtitle_language == "fra"
    undone = change.undo(database)
    assert catalogue_facts(database, reka).subtitle_language == "eng"
    assert "Nova" not in _ids(database)
    undone.undo(database)  # redo
    assert catalogue_facts(database, reka).subtitle_language == "fra"
    assert catalogue_facts(database, _ids(database)["Nova"]).sdh is True
