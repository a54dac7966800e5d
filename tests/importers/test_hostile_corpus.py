"""Every file of the hostile corpus (tests/support/hostile_corpus.py) has the outcome it must have:
refused in one line naming the file, or imported correctly with nothing swallowed. Time and
memory are measured by tests/benchmarks/bench_hostile.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from festival_desk.actions.reviews import CREATED, FAILED, import_review_files
from festival_desk.actions.submissions import import_submissions
from festival_desk.core.errors import UserError
from festival_desk.importers.reviews import parse_review_file
from festival_desk.store.filters import FilmFilter, film_ids
from festival_desk.store.film_rows import film_rows
from support.hostile_corpus import REVIEW, SUBMISSIONS, Case, cases, write_corpus

CASES = cases()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {case.name: path for case, path in write_corpus(folder)}


def _refusal(case: Case, error: UserError, path: Path) -> None:
    message = str(error)
    assert "\n" not in message
    assert str(path) in message
    assert case.expect in message


def _titles(database) -> set[str]:
    with database.reading() as session:
        return {row.title for row in film_rows(session, film_ids(session, FilmFilter(), sort=("title", True)))}


@pytest.mark.parametrize("case", [case for case in CASES if case.kind == SUBMISSIONS], ids=lambda case: case.name)
def test_submissions_file(case: Case, corpus: dict[str, Path], empty_db) -> None:
    path = corpus[case.name]
    if case.outcome == "refused":
        with pytest.raises(UserError) as raised:
            import_submissions(empty_db, path)
        _refusal(case, raised.value, path)
        assert _titles(empty_db) == set()  # nothing half-written
        return
    report = import_submissions(empty_db, path).details
    assert report["added"] == case.added
    assert tuple(row["line"] for row in report["rejected"]) == case.rejected_lines
    assert all(row["reason"] for row in report["rejected"])
    titles = _titles(empty_db)
    assert len(titles) == case.added
    assert set(case.titles) <= titles
    assert max(map(len, titles)) < 200  # no row merged into another's cell


@pytest.mark.parametrize("case", [case for case in CASES if case.kind == REVIEW], ids=lambda case: case.name)
def test_review_file(case: Case, corpus: dict[str, Path], empty_db) -> None:
    path = corpus[case.name]
    if case.outcome == "refused":
        with pytest.raises(UserError) as raised:
            parse_review_file(path)
        _refusal(case, raised.value, path)
        [outcome] = import_review_files(empty_db, [path]).details["files"]
        assert outcome["status"] == FAILED and outcome["message"] == str(raised.value)
        return
    assert parse_review_file(path).film.title == case.expect
    [outcome] = import_review_files(empty_db, [path], create_film=True).details["files"]
    assert (outcome["status"], outcome["film_title"]) == (CREATED, case.expect)


def test_a_batch_of_every_review_reports_every_file_in_order(corpus: dict[str, Path], empty_db) -> None:
    reviews = [case for case in CASES if case.kind == REVIEW]
    paths = [corpus[case.name] for case in reviews]
    outcomes = import_review_files(empty_db, paths, create_film=True).details["files"]
    assert [outcome["source"] for outcome in outcomes] == [str(path) for path in paths]
    assert [outcome["status"] for outcome in outcomes] == [
        CREATED if case.outcome == "imported" else FAILED for case in reviews]
    assert all(outcome["message"] for outcome in outcomes if outcome["status"] == FAILED)


def test_the_command_line_reports_a_batch_file_by_file(corpus: dict[str, Path], demo_path: Path) -> None:
    names = ["review_good.docx", "review_entity_expansion.docx", "review_zip_bomb.docx", "review_utf16.txt"]
    done = subprocess.run([sys.executable, "-m", "festival_desk.cli", "review", "import",
                           *(str(corpus[name]) for name in names), "--create-film", "--json", "--db", str(demo_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    files = json.loads(done.stdout)["files"]
    assert [f["status"] for f in files] == [CREATED, FAILED, FAILED, CREATED]
    assert "XML entities" in files[1]["message"] and "would unpack to" in files[2]["message"]


@pytest.mark.parametrize("name", ["zip_bomb_sheet.xlsx", "xml_external_entity.xlsx", "huge_file.csv"])
def test_the_command_line_refuses_in_one_line(name: str, corpus: dict[str, Path], demo_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "festival_desk.cli", "submissions", "import", str(corpus[name]),
                           "--db", str(demo_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"festival-desk: error: {corpus[name]}")
