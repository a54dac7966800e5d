"""Importing reviews into a real database: matching, creating, de-duplicating, critics, quotes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from festival_desk.actions.people import PersonDirectory, add_credits
from festival_desk.actions.reviews import (
    approve_quote,
    add_quote,
    film_quotes,
    film_reviews,
    import_review,
    import_review_files,
    list_critics,
    match_review,
)
from festival_desk.core.errors import UserError
from festival_desk.core.text import sort_key, sort_title
from festival_desk.importers.reviews import parse_review_file, parse_review_text
from festival_desk.store.models import Critic, Film, FilmCountry, PullQuote, Review

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reviews"


def add_film(database, title: str, directors: list[str], year: int | None) -> int:
    with database.transaction() as session:
        film = Film(title=title, sort_title=sort_title(title), sort_key=sort_key(sort_title(title)), year=year)
        session.add(film)
        session.flush()
        add_credits(session, PersonDirectory(session), film.id, "director", directors)
        return film.id


def count(database, model) -> int:
    with database.reading() as session:
        return len(session.exec(select(model)).all())


def outcome(change) -> dict:
    (single,) = change.details["files"]
    return single


def test_clear_match_attaches_with_quotes_and_sections(empty_db) -> None:
    film_id = add_film(empty_db, "The Spring Shift", ["Ana Kovac", "Marek Horvat"], 2021)
    add_film(empty_db, "Spring", ["Someone Else"], 1999)
    change = import_review(empty_db, parse_review_file(FIXTURES / "two_directors_three_countries.txt"))
    result = outcome(change)
    assert result["status"] == "attached" and result["film_id"] == film_id
    assert change.films == {film_id} and change.reviews == {result["review_id"]}
    (view,) = film_reviews(empty_db, film_id)
    assert view.critic == "Marta Kos"
    assert [heading for heading, _ in view.sections] == [None, "Hands and weather", "An unfinished ending"]
    assert view.captions == ("Photo: Marek Horvat / Riverbank Films",)
    assert [(q.text, q.approved) for q in view.quotes] == [
        ("The river keeps the only honest record of the work.", False)]


def test_unknown_film_is_not_stored_unless_created(empty_db) -> None:
    parsed = parse_review_file(FIXTURES / "two_directors_three_countries.txt")
    result = outcome(import_review(empty_db, parsed))
    assert result["status"] == "no match" and "--create-film" in result["message"]
    assert count(empty_db, Review) == 0 and count(empty_db, Critic) == 0
    change = import_review(empty_db, parsed, create_film=True)
    result = outcome(change)
    assert result["status"] == "created" and change.films_added == {result["film_id"]}
    with empty_db.reading() as session:
        film = session.get(Film, result["film_id"])
        assert film.is_external and film.title == "The Spring Shift" and film.year == 2021
        codes = session.exec(select(FilmCountry.code).where(FilmCountry.film_id == film.id)
                             .order_by(FilmCountry.position)).all()
    assert codes == ["SI", "HR", "AT"]
    assert match_review(empty_db, parsed).film_id == result["film_id"]


def test_reimport_does_not_duplicate(empty_db, tmp_path: Path) -> None:
    add_film(empty_db, "Eleven", ["Claire Martin"], 2018)
    first = outcome(import_review(empty_db, parse_review_file(FIXTURES / "bom_crlf.txt")))
    # the same review saved again as plain UTF-8 with Unix line ends
    copy = tmp_path / "again.txt"
    copy.write_text((FIXTURES / "bom_crlf.txt").read_bytes().decode("utf-8-sig").replace("\r\n", "\n"),
                    encoding="utf-8")
    second = outcome(import_review(empty_db, parse_review_file(copy)))
    assert second["status"] == "already imported" and second["review_id"] == first["review_id"]
    assert count(empty_db, Review) == 1 and count(empty_db, PullQuote) == 1


def test_one_critic_per_person_with_bio_and_outlet_kept_up_to_date(empty_db) -> None:
    add_film(empty_db, "Salt Year", ["Liv Sørensen"], 2022)
    add_film(empty_db, "Snow Lines", ["Kai Moe"], 2016)
    import_review(empty_db, parse_review_text("Jónas Berg\nOld bio.\n\nSalt Year\n\nLiv Sørensen\n\n"
                                              "Norway, 2022\n\nA portrait of a village.", "one"))
    import_review(empty_db, parse_review_text("Jonas Berg\nBerg now writes for a weekly.\n\nSnow Lines\n\n"
                                              "Kai Moe\n\nFinland, 2016\n\nA film about snow.", "two"),
                  outlet="Nordic Frames")
    (critic,) = list_critics(empty_db)
    assert critic.name == "Jónas Berg" and critic.reviews == 2
    assert critic.bio == "Berg now writes for a weekly." and critic.outlet == "Nordic Frames"


def test_ambiguous_lists_candidates_and_stores_nothing_until_a_film_is_chosen(empty_db) -> None:
    first = add_film(empty_db, "Eleven", ["Claire Martin"], 2018)
    second = add_film(empty_db, "Eleven", [], 2018)
    parsed = parse_review_file(FIXTURES / "bom_crlf.txt")
    result = outcome(import_review(empty_db, parsed))
    assert result["status"] == "ambiguous"
    assert {c["film_id"] for c in result["candidates"]} == {first, second}
    assert all(0 < c["score"] <= 100 for c in result["candidates"])
    assert count(empty_db, Review) == 0
    chosen = outcome(import_review(empty_db, parsed, film_id=second))
    assert chosen["status"] == "attached" and chosen["film_id"] == second
    with pytest.raises(UserError, match="film 999: no such film"):
        import_review(empty_db, parse_review_file(FIXTURES / "cyrillic_title.txt"), film_id=999)


def test_batch_stores_the_good_and_names_the_bad(empty_db, tmp_path: Path) -> None:
    add_film(empty_db, "The Quiet Yard", ["Irina Lebedeva"], 2019)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    not_a_review = tmp_path / "notes.txt"
    not_a_review.write_text("Buy milk.\n\nCall the print shop.\n", encoding="utf-8")
    progress_calls = []
    change = import_review_files(
        empty_db, [FIXTURES / "cyrillic_title.txt", empty, not_a_review, FIXTURES / "minimal.txt"],
        progress=lambda done, total, message: progress_calls.append((done, total)))
    statuses = [(Path(f["source"]).name, f["status"]) for f in change.details["files"]]
    assert statuses == [("cyrillic_title.txt", "attached"), ("empty.txt", "error"),
                        ("notes.txt", "error"), ("minimal.txt", "no match")]
    assert "empty.txt" in change.details["files"][1]["message"]
    assert count(empty_db, Review) == 1
    assert progress_calls[-1] == (4, 4)


def test_batch_creates_a_film_once_for_two_reviews_of_it(empty_db, tmp_path: Path) -> None:
    other = tmp_path / "other critic.txt"
    other.write_text("Ada Lind\n\nSalt Year\n\nLiv Sorensen\n\nNorway, 2022\n\nAnother view of the village.",
                     encoding="utf-8")
    change = import_review_files(empty_db, [FIXTURES / "minimal.txt", other], create_film=True)
    statuses = [f["status"] for f in change.details["files"]]
    assert statuses == ["created", "attached"]
    assert count(empty_db, Film) == 1 and count(empty_db, Review) == 2


def _imported_quote(database) -> tuple[int, int]:
    film_id = add_film(database, "The Spring Shift", ["Ana Kovač", "Marek Horvat"], 2021)
    import_review(database, parse_review_file(FIXTURES / "two_directors_three_countries.txt"))
    (quote,) = film_quotes(database, film_id)
    return film_id, quote.id


def test_approve_shortened_quote_and_undo(empty_db) -> None:
    film_id, quote_id = _imported_quote(empty_db)
    assert film_quotes(empty_db, film_id, approved_only=True) == []
    change = approve_quote(empty_db, quote_id, text="The river keeps … record of the work.")
    (printed,) = film_quotes(empty_db, film_id, approved_only=True)
    assert printed.text == "The river keeps … record of the work."
    assert printed.original_text == "The river keeps the only honest record of the work."
    change.undo(empty_db)
    (restored,) = film_quotes(empty_db, film_id)
    assert (restored.text, restored.approved) == ("The river keeps the only honest record of the work.", False)


def test_shortened_text_must_be_part_of_the_original(empty_db) -> None:
    film_id, quote_id = _imported_quote(empty_db)
    with pytest.raises(UserError, match="not a part of the original"):
        approve_quote(empty_db, quote_id, text="The river keeps a dishonest record.")
    assert film_quotes(empty_db, film_id, approved_only=True) == []


def test_add_quote_from_a_sentence_of_the_review(empty_db) -> None:
    film_id, _ = _imported_quote(empty_db)
    (view,) = film_reviews(empty_db, film_id)
    change = add_quote(empty_db, view.id, "The weather does the rest.", approved=True)
    texts = [q.text for q in film_quotes(empty_db, film_id, approved_only=True)]
    assert texts == ["The weather does the rest."]
    with pytest.raises(UserError, match="not in the review"):
        add_quote(empty_db, view.id, "A sentence nobody wrote.")
    redo = change.undo(empty_db)
    assert [q.text for q in film_quotes(empty_db, film_id)] == ["The river keeps the only honest record of the work."]
    redo.undo(empty_db)
    assert len(film_quotes(empty_db, film_id)) == 2


def test_demo_reviews_carry_their_approved_quotes(demo_db) -> None:
    seed = json.loads((Path(__file__).resolve().parents[2] / "db" / "seeds" / "festival.json")
                      .read_text(encoding="utf-8"))
    expected = sum(len(item.get("approve_quotes", [])) for item in seed["reviews"])
    with demo_db.reading() as session:
        approved = session.exec(select(PullQuote).where(PullQuote.approved == True)).all()  # noqa: E712
        film_ids = set(session.exec(select(Review.film_id)).all())
    assert len(approved) == expected > 0
    assert len(list_critics(demo_db)) == len(seed["reviews"])
    # The Critics area's Outlet column: each demo critic's outlet, as the review's seed gives it.
    assert {critic.outlet for critic in list_critics(demo_db)} == {item["outlet"] for item in seed["reviews"]}
    for film_id in film_ids:
        (view,) = film_reviews(demo_db, film_id)
        assert view.sections[0][0] is None and all(heading for heading, _ in view.sections[1:])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "import sys; from festival_desk.cli import main; "
                           "sys.exit(main(sys.argv[1:]))", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli_import_ambiguous_then_chosen_then_quotes_and_approve(empty_db, db_path: Path) -> None:
    first = add_film(empty_db, "Eleven", ["Claire Martin"], 2018)
    add_film(empty_db, "Eleven", [], 2018)
    empty_db.close()
    review = str(FIXTURES / "bom_crlf.txt")
    result = _cli("review", "import", review, "--db", str(db_path), "--json")
    assert result.returncode == 1
    (printed,) = json.loads(result.stdout)["files"]
    assert printed["status"] == "ambiguous" and len(printed["candidates"]) == 2
    result = _cli("review", "import", review, "--film", str(first), "--db", str(db_path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["status"] == "attached"
    quotes = json.loads(_cli("review", "quotes", str(first), "--db", str(db_path), "--json").stdout)
    assert [(q["critic"], q["approved"]) for q in quotes] == [("Léa Dubois", False)]
    result = _cli("review", "approve", str(quotes[0]["id"]), "--text", "Madame Roux teaches …",
                  "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    quotes = json.loads(_cli("review", "quotes", str(first), "--db", str(db_path), "--json").stdout)
    assert (quotes[0]["text"], quotes[0]["approved"]) == ("Madame Roux teaches …", True)
    result = _cli("review", "approve", str(quotes[0]["id"]), "--text", "Nothing like it", "--db", str(db_path))
    assert result.returncode == 1 and "not a part of the original" in result.stderr


def test_a_review_import_is_undone_and_redone_as_one_step(empty_db, tmp_path: Path) -> None:
    from festival_desk.store.search import search_films

    add_film(empty_db, "Snow Lines", ["Kai Moe"], 2016)
    import_review(empty_db, parse_review_text("Jónas Berg\nOld bio.\n\nSnow Lines\n\nKai Moe\n\nFinland, 2016\n\n"
                                              "A film about snow.", "first"))
    other = tmp_path / "other critic.txt"
    other.write_text("Ada Lind\n\nSalt Year\n\nLiv Sorensen\n\nNorway, 2022\n\nThe harbour wakes slowly.",
                     encoding="utf-8")
    again = tmp_path / "berg again.txt"
    again.write_text("Jonas Berg\nBerg now writes for a weekly.\n\nSalt Year\n\nLiv Sorensen\n\nNorway, 2022\n\n"
                     "Salt and patience.", encoding="utf-8")
    before = (count(empty_db, Film), count(empty_db, Review), count(empty_db, Critic), count(empty_db, FilmCountry))
    change = import_review_files(empty_db, [other, again], create_film=True)
    assert [f["status"] for f in change.details["files"]] == ["created", "attached"]
    assert change.can_undo
    undone = change.undo(empty_db)
    assert (count(empty_db, Film), count(empty_db, Review), count(empty_db, Critic),
            count(empty_db, FilmCountry)) == before  # the film, reviews and new critic gone
    (critic,) = list_critics(empty_db)
    assert critic.bio == "Old bio."  # what the import replaced is back
    with empty_db.reading() as session:
        assert search_films(session, "harbour wakes") == []
    undone.undo(empty_db)  # redo
    assert count(empty_db, Review) == before[1] + 2
    assert {c.name: c.bio for c in list_critics(empty_db)}["Jónas Berg"] == "Berg now writes for a weekly."
    with empty_db.reading() as session:
        assert [hit.title for hit in search_films(session, "harbour wakes")] == ["Salt Year"]
