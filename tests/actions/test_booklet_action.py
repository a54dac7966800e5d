"""The booklet from a real festival database: what goes in, the saved options, the changelog."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlmodel import select

from festival_desk.actions import booklet
from festival_desk.core.errors import Cancelled, UserError
from festival_desk.core.workflow import PROGRAMMED_STATUSES
from festival_desk.printing.options import BookletOptions
from festival_desk.store import models as m


def _text(path) -> str:
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_demo_booklet_prints_programmed_films_and_approved_quotes_only(demo_db, tmp_path):
    output = tmp_path / "booklet.pdf"
    build = booklet.build_booklet(demo_db, output)
    text = _text(output)
    with demo_db.reading() as session:
        films = session.exec(select(m.Film)).all()
        quotes = session.exec(select(m.PullQuote, m.Critic)
                              .join(m.Review, m.Review.id == m.PullQuote.review_id)
                              .join(m.Critic, m.Critic.id == m.Review.critic_id)).all()
    programmed = [f for f in films if f.status in PROGRAMMED_STATUSES]
    assert build.films == len(programmed) and build.pages % 4 == 0
    for film in programmed:
        assert re.sub(r"\s+", " ", film.title) in text
    approved = [(q, c) for q, c in quotes if q.approved]
    assert approved and any(not q.approved for q, _ in quotes)
    shown = [q for q, c in approved if re.sub(r"\s+", " ", q.text.split(".")[0][:40]) in text]
    assert shown, "no approved pull quote printed"
    for quote, critic in quotes:
        fragment = re.sub(r"\s+", " ", quote.text[:50])
        if not quote.approved:
            assert fragment not in text
    assert any(critic.name in text for _, critic in approved)


def test_declined_films_are_left_out(demo_db, tmp_path):
    with demo_db.transaction() as session:
        film = session.exec(select(m.Film).where(m.Film.status == "confirmed")).first()
        film.title = "Zzyzx Declined Film"
        film.status = "declined"
        session.add(film)
    booklet.build_booklet(demo_db, tmp_path / "b.pdf")
    assert "Zzyzx Declined Film" not in _text(tmp_path / "b.pdf")


def test_second_build_lists_what_changed(demo_db, tmp_path):
    first = booklet.build_booklet(demo_db, tmp_path / "one.pdf")
    assert first.changes == []
    with demo_db.transaction() as session:
        film = session.exec(select(m.Film).where(m.Film.title == "The Red Soul")).one()
        film.title = "The Red Soul (restored)"
        session.add(film)
        screening = session.exec(select(m.Screening).order_by(m.Screening.id)).first()
        screening.starts_at += dt.timedelta(hours=1)
        screening.ends_at += dt.timedelta(hours=1)
        session.add(screening)
    second = booklet.build_booklet(demo_db, tmp_path / "two.pdf")
    assert "Title edited: 'The Red Soul' → 'The Red Soul (restored)'" in second.changes
    assert any(change.startswith("Screening moved:") for change in second.changes)


def test_options_are_saved_loaded_and_undone(demo_db):
    assert booklet.load_options(demo_db) == BookletOptions()
    chosen = BookletOptions(paper="a4", bleed_mm=5, language="de", sections=("MAIN",))
    change = booklet.save_options(demo_db, chosen)
    assert booklet.load_options(demo_db) == chosen
    change.undo(demo_db)
    assert booklet.load_options(demo_db) == BookletOptions()


def test_saved_options_are_used_and_overrides_checked(demo_db, tmp_path):
    booklet.save_options(demo_db, BookletOptions(language="de"))
    build = booklet.build_booklet(demo_db, tmp_path / "de.pdf")
    assert "Inhalt" in _text(tmp_path / "de.pdf") and build.pages % 4 == 0
    with pytest.raises(UserError, match="sections: unknown section code 'NOPE'"):
        booklet.resolve_options(demo_db, sections=("NOPE",))


def test_saddle_imposition_writes_sra4_sheets_and_a_press_file_stays_pdf_x(demo_db, tmp_path):
    output = tmp_path / "spreads.pdf"
    build = booklet.build_booklet(demo_db, output, impose="saddle", creep_mm=1)
    reader = PdfReader(str(output))
    assert len(reader.pages) == build.pages // 2 == build.sheet_sides
    assert float(reader.pages[0].mediabox.width) == pytest.approx(320 * mm, abs=0.5)
    press = tmp_path / "press-spreads.pdf"
    booklet.build_booklet(demo_db, press, BookletOptions(press=True), impose="saddle", sheet="sra3")
    reader = PdfReader(str(press))
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-4" and "/OutputIntents" in reader.trailer["/Root"]


def test_a_press_file_built_again_takes_its_stills_from_the_users_cache_folder(demo_db, tmp_path, monkeypatch):
    from festival_desk.printing import press_stills
    from festival_desk.store.locations import cache_dir

    converted = []
    convert = press_stills.cmyk_jpeg
    monkeypatch.setattr(press_stills, "cmyk_jpeg", lambda data, *rest: converted.append(1) or convert(data, *rest))
    first, again = tmp_path / "press.pdf", tmp_path / "press-again.pdf"
    booklet.build_booklet(demo_db, first, BookletOptions(press=True))
    stills = len(converted)
    assert stills > 0 and len(list((cache_dir() / "press-stills").glob("*.jpg"))) == stills
    booklet.build_booklet(demo_db, again, BookletOptions(press=True))
    assert len(converted) == stills  # nothing converted the second time
    images = [[image.data for page in PdfReader(str(path)).pages for image in page.images] for path in (first, again)]
    assert images[0] == images[1]


def test_a_cancelled_build_writes_and_stores_nothing(demo_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "never.pdf"

    def cancel_soon(done, total, message):
        if "Laying out" in message:
            raise Cancelled()

    with pytest.raises(Cancelled):
        booklet.build_booklet(demo_db, output, progress=cancel_soon)
    assert list(folder.iterdir()) == []  # no file, no half-written part
    with demo_db.reading() as session:
        assert session.exec(select(m.Preset).where(m.Preset.kind == booklet.LAST_BUILD_KIND)).first() is None


def test_empty_festival_still_builds_a_booklet(empty_db, tmp_path):
    build = booklet.build_booklet(empty_db, tmp_path / "empty.pdf")
    assert build.films == 0 and build.pages % 4 == 0
    assert PdfReader(io.BytesIO((tmp_path / "empty.pdf").read_bytes())).pages


def test_the_text_language_is_set_for_the_festival_and_per_film_undoably_and_reaches_the_booklet(demo_db):
    with demo_db.reading() as session:
        film_id = session.exec(select(m.Film.id).where(m.Film.status.in_(list(PROGRAMMED_STATUSES)))).first()
    assert booklet.load_text_languages(demo_db).festival == "en"
    change = booklet.set_text_language(demo_db, "de")
    booklet.set_text_language(demo_db, "fr", film_id=film_id)
    languages = booklet.load_text_languages(demo_db)
    assert languages.festival == "de" and languages.films == {film_id: "fr"}
    with demo_db.reading() as session:
        snapshot = booklet.read_snapshot(session)
    assert snapshot.festival.text_language == "de"
    assert next(f for f in snapshot.films() if f.id == film_id).text_language == "fr"
    change.undo(demo_db)
    assert booklet.load_text_languages(demo_db).festival == "en"
    with pytest.raises(UserError, match="language: 'xx' is not a language the booklet can hyphenate"):
        booklet.set_text_language(demo_db, "xx")
    booklet.set_text_language(demo_db, None, film_id=film_id)
    assert booklet.load_text_languages(demo_db).films == {}
