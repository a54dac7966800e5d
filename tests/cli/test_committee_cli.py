"""The committee's process from the command line, as issue 15 will check it: on a generated
festival, `assign spread --viewers 3` gives every film three viewers and no conflicted one; a
declared conflict takes its rating out of `films list --json` means; weighted means match a hand
computation; bad input is one line and exit code 1."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import pytest


@pytest.fixture
def db(generated_path: Path) -> str:
    return str(generated_path)


def _viewers_by_film(cli, db: str) -> dict[int, set[str]]:
    viewers: dict[int, set[str]] = defaultdict(set)
    for row in cli.json("assignments", "--db", db):
        viewers[row["film_id"]].add(row["programmer"])
    return viewers


def test_spread_gives_every_generated_film_three_viewers_none_with_a_conflict(cli, db: str) -> None:
    members = [row["name"] for row in cli.json("programmers", "list", "--db", db)]
    films = cli.json("films", "list", "--db", db)
    rng = random.Random(3)
    declared = set()
    for film in rng.sample(films, 40):
        name = rng.choice(members)
        cli.json("conflict", "declare", str(film["id"]), "--as", name, "--reason", "worked on it", "--db", db)
        declared.add((film["id"], name))
    result = cli.json("assign", "spread", "--viewers", "3", "--due", "2026-12-20", "--db", db)
    assert result["films"] == len(films) and result["short"] == []
    assert set(result["per_programmer"]) == set(members)
    assert sum(result["per_programmer"].values()) == result["added"]
    viewers = _viewers_by_film(cli, db)
    assert all(len(viewers[film["id"]]) == 3 for film in films)
    assert not any((film_id, name) in declared for film_id, names in viewers.items() for name in names)
    listed = {(row["film_id"], row["programmer"]) for row in cli.json("conflict", "list", "--db", db)}
    assert listed == declared
    again = cli.json("assign", "spread", "--viewers", "3", "--db", db)
    assert again["added"] == 0  # nothing left to do


def test_a_declared_conflict_removes_that_rating_from_the_films_list_means(cli, db: str) -> None:
    from festival_desk.store.db import open_database

    films = {row["id"]: row for row in cli.json("films", "list", "--db", db)}
    database = open_database(db)
    with database.engine.connect() as connection:
        rated = connection.exec_driver_sql(
            "SELECT rating.film_id, programmer.name, rating.score FROM rating "
            "JOIN programmer ON programmer.id = rating.programmer_id ORDER BY rating.film_id, programmer.id").all()
    database.close()
    by_film: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for film_id, name, score in rated:
        by_film[film_id].append((name, score))
    film_id, ratings = next((f, r) for f, r in by_film.items() if len({s for _, s in r}) > 1 and len(r) >= 3)
    assert films[film_id]["mean"] == pytest.approx(sum(s for _, s in ratings) / len(ratings))
    recused_name, recused_score = ratings[0]
    cli.json("conflict", "declare", str(film_id), "--as", recused_name, "--reason", "my brother's film", "--db", db)
    after = {row["id"]: row for row in cli.json("films", "list", "--db", db)}[film_id]
    rest = [s for _, s in ratings[1:]]
    assert after["mean"] == pytest.approx(sum(rest) / len(rest)) and after["ratings"] == len(rest)
    error = cli.fails("rate", str(film_id), "4", "--as", recused_name, "--db", db)
    assert "my brother's film" in error and "cannot rate it" in error


def test_weighted_means_by_criterion_match_a_hand_computation(cli, db: str) -> None:
    members = [row["name"] for row in cli.json("programmers", "list", "--db", db)]
    shown = cli.json("rubric", "set", "Craft:2,Relevance:1,Originality:1,Fit for the programme:1", "--db", db)
    assert shown["rubric"] == "Craft:2,Relevance:1,Originality:1,Fit for the programme:1"
    assert [c["share"] for c in cli.json("rubric", "show", "--db", db)["criteria"]] == [0.4, 0.2, 0.2, 0.2]
    film = cli.json("films", "list", "--db", db)[7]["id"]
    rng = random.Random(9)
    weights = {"Craft": 2, "Relevance": 1, "Originality": 1, "Fit for the programme": 1}
    overall = []
    for name in members[:4]:
        chosen = rng.sample(sorted(weights), rng.randint(1, 4))
        scores = {criterion: rng.randint(1, 5) for criterion in chosen}
        args = [item for criterion, score in scores.items() for item in ("--criterion", f"{criterion}={score}")]
        result = cli.json("rate", str(film), *args, "--as", name, "--db", db)
        by_hand = sum(weights[c] * s for c, s in scores.items()) / sum(weights[c] for c in scores)
        assert result["overall"] == pytest.approx(by_hand)
        overall.append(by_hand)
    cli.json("rate", str(film), "--criterion", "Craft=1", "--as", members[4], "--db", db)
    overall.append(1.0)
    listed = {row["id"]: row for row in cli.json("films", "list", "--db", db)}[film]
    mean = sum(overall) / len(overall)
    assert listed["mean"] == pytest.approx(mean)
    assert listed["spread"] == pytest.approx((sum((x - mean) ** 2 for x in overall) / len(overall)) ** 0.5)
    cli.json("rubric", "set", "Craft:1,Relevance:5", "--db", db)  # mid-season: old overall scores stay
    assert {row["id"]: row for row in cli.json("films", "list", "--db", db)}[film]["mean"] == pytest.approx(mean)


def test_assignments_with_a_past_due_date_are_accepted_and_shown_overdue(cli, db: str) -> None:
    members = [row["name"] for row in cli.json("programmers", "list", "--db", db)]
    unrated = [row["id"] for row in cli.json("films", "list", "--db", db) if row["ratings"] == 0][:3]
    result = cli.json("assign", *map(str, unrated), "--to", members[0], "--due", "2026-01-15", "--db", db)
    assert result["assigned"] == unrated and result["overdue"]
    overdue = cli.json("assignments", "--as", members[0], "--overdue", "--db", db)
    assert {row["film_id"] for row in overdue} == set(unrated) and all(row["due"] == "2026-01-15" for row in overdue)
    watched = cli.json("watched", str(unrated[0]), "--as", members[0], "--minutes", "3", "--db", db)
    assert watched["minutes"] == 3 and watched["completes_assignment"]
    assert {row["film_id"] for row in cli.json("assignments", "--as", members[0], "--overdue", "--db", db)} \
        == set(unrated[1:])


def test_bad_input_is_one_line_and_exit_1(cli, db: str) -> None:
    members = [row["name"] for row in cli.json("programmers", "list", "--db", db)]
    film = str(cli.json("films", "list", "--db", db)[0]["id"])
    cli.json("conflict", "declare", film, "--as", members[1], "--reason", "co-producer", "--db", db)
    refused = cli.fails("assign", film, "--to", members[1], "--db", db)
    assert "conflict of interest" in refused and "co-producer" in refused
    assert "more than 0, not 0" in cli.fails("rubric", "set", "Craft:0,Relevance:1", "--db", db)
    assert "more than 0, not -1" in cli.fails("rubric", "set", "Craft:-1", "--db", db)
    cli.json("rubric", "set", "Craft:2,Relevance:1", "--db", db)
    unknown = cli.fails("rate", film, "--criterion", "Sound=4", "--as", members[0], "--db", db)
    assert unknown.strip() == ("festival-desk: error: the rubric has no criterion “Sound” "
                               "(criteria: Craft, Relevance)")
    assert "not a date" in cli.fails("assign", film, "--to", members[0], "--due", "next friday", "--db", db)
    assert "--viewers" in cli.fails("assign", "spread", "--db", db)
    assert "not both" in cli.fails("rate", film, "4", "--criterion", "Craft=3", "--as", members[0], "--db", db)
    assert "--minutes" in cli.fails("watched", film, "--as", members[0], "--minutes", "0", "--db", db)
    assert "give the reason" in cli.fails("conflict", "declare", film, "--as", members[0], "--reason", " ",
                                          "--db", db)


def test_the_screener_password_shows_only_with_password(cli, empty_db, db_path: Path) -> None:
    db = str(db_path)
    export = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "filmfreeway_export.csv"
    cli.json("submissions", "import", str(export), "--db", db)
    film = next(row["id"] for row in cli.json("films", "list", "--db", db) if row["title"].startswith("Reka"))
    plain = cli.json("screener", str(film), "--db", db)
    assert plain["link"] == "https://video.example.org/reka" and plain["has_password"] and "password" not in plain
    assert cli.json("screener", str(film), "--password", "--db", db)["password"] == "river"
    for listing in (cli.json("films", "list", "--db", db), cli.json("assignments", "--db", db)):
        assert "river" not in str(listing)


def test_facts_set_show_and_filter(cli, db: str) -> None:
    films = [row["id"] for row in cli.json("films", "list", "--db", db)][:3]
    shown = cli.json("facts", "set", str(films[0]), "--subtitles", "English", "--sdh", "yes", "--age", "12",
                     "--db", db)
    assert shown["printed"] == ["English subtitles", "Subtitles for the deaf and hard of hearing", "Age 12+"]
    cli.json("facts", "set", str(films[1]), "--audio-description", "yes", "--age", "16", "--db", db)
    assert [row["id"] for row in cli.json("films", "list", "--sdh", "--db", db)] == [films[0]]
    assert [row["id"] for row in cli.json("films", "list", "--subtitles", "eng", "--db", db)] == [films[0]]
    assert [row["id"] for row in cli.json("films", "list", "--suitable-for-age", "13", "--db", db)] == [films[0]]
    assert "'Klingonish'" in cli.fails("facts", "set", str(films[2]), "--subtitles", "Klingonish", "--db", db)
    assert "--age" in cli.fails("facts", "set", str(films[2]), "--age", "twelve", "--db", db)
    assert cli.json("facts", "show", str(films[1]), "--db", db)["audio_description"] is True


def test_a_meeting_from_the_command_line(cli, db: str, tmp_path: Path) -> None:
    members = [row["name"] for row in cli.json("programmers", "list", "--db", db)]
    started = cli.json("meeting", "start", "--title", "Weekly", "--as", members[0],
                       "--present", ",".join(members[1:3]), "--status", "in_review", "--db", db)
    meeting = str(started["meeting_id"])
    view = cli.json("meeting", "show", meeting, "--db", db)
    means = [film["mean"] for film in view["films"] if film["mean"] is not None]
    assert means == sorted(means, reverse=True)
    top = view["films"][0]["film_id"]
    decided = cli.json("meeting", "decide", meeting, str(top), "shortlist", "--as", members[0], "--db", db)
    assert decided["to_status"] == "shortlisted"
    written = cli.json("meeting", "sheet", meeting, "-o", str(tmp_path / "m.pdf"), "--db", db)
    assert written["decisions"] == 1 and (tmp_path / "m.pdf").stat().st_size > 1000
    assert cli.json("meeting", "list", "--db", db)[0]["decisions"] == 1
    assert dt.date.today().isoformat()[:4] in str(cli.json("meeting", "list", "--db", db)[0]["started_at"])


def test_screener_passwords_are_never_printed_on_committee_sheets(cli, empty_db, db_path: Path,
                                                                 tmp_path: Path) -> None:
    from pypdf import PdfReader

    db = str(db_path)
    export = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "filmfreeway_export.csv"
    cli.json("submissions", "import", str(export), "--db", db)
    cli.json("programmers", "add", "Maja", "--db", db)
    films = {row["title"]: row["id"] for row in cli.json("films", "list", "--db", db)}
    reka = next(film_id for title, film_id in films.items() if title.startswith("Reka"))
    cli.json("status", "set", str(reka), "shortlisted", "--as", "Maja", "--db", db)
    cli.json("rate", str(reka), "4", "--as", "Maja", "--note", "Screener works.", "--db", db)
    sheet = tmp_path / "shortlist.pdf"
    cli.json("shortlist", "sheet", "-o", str(sheet), "--db", db)
    meeting = cli.json("meeting", "start", "--as", "Maja", "--films", str(reka), "--db", db)["meeting_id"]
    cli.json("meeting", "decide", str(meeting), str(reka), "select", "--as", "Maja", "--db", db)
    record = tmp_path / "meeting.pdf"
    cli.json("meeting", "sheet", str(meeting), "-o", str(record), "--db", db)
    for path in (sheet, record):
        text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
        assert "Reka" in text and "river" not in text.lower()
