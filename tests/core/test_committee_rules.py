"""The committee's rules on plain values: rubric, weighted overall scores, spreading, deadlines,
catalogue facts as written in submission forms."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from festival_desk.core.committee import (
    Criterion,
    FilmToCover,
    RuleError,
    Viewer,
    age_label,
    describe_rubric,
    fact_for_question,
    is_overdue,
    mapping_key,
    match_criteria,
    parse_age,
    parse_criterion_scores,
    parse_due,
    parse_rubric,
    parse_yes_no,
    plan_spread,
    stars_of,
    weighted_overall,
)
from festival_desk.core.scores import summarize, summarize_overall


def test_a_rubric_reads_names_and_weights_and_prints_back_the_same() -> None:
    criteria = parse_rubric("Craft:2, Relevance:1,Originality:1 , Fit for the programme:1.5")
    assert criteria == [Criterion("Craft", 2), Criterion("Relevance", 1), Criterion("Originality", 1),
                        Criterion("Fit for the programme", 1.5)]
    assert describe_rubric(criteria) == "Craft:2,Relevance:1,Originality:1,Fit for the programme:1.5"
    assert parse_rubric(describe_rubric(criteria)) == criteria


@pytest.mark.parametrize(("text", "message"), [
    ("Craft:0,Relevance:1", "the weight of “Craft” must be more than 0, not 0"),
    ("Craft:-2", "the weight of “Craft” must be more than 0, not -2"),
    ("Craft:two", "the weight of “Craft” is not a number"),
    ("Craft", "needs a name and a weight"),
    (":2", "needs a name and a weight"),
    ("Craft:2,,Relevance:1", "empty criterion"),
    ("", "the rubric is empty"),
    ("Craft:2,craft:1", "names “craft” twice"),
    ("Čas:1,Cas:2", "twice"),
    ("Craft:nan", "more than 0"),
    ("Craft:1000", "weights run up to 100"),
])
def test_a_bad_rubric_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(RuleError) as refused:
        parse_rubric(text)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_overall_score_is_the_weighted_mean_of_the_criteria_scored() -> None:
    rubric = parse_rubric("Craft:2,Relevance:1,Originality:1,Fit:1")
    paired = match_criteria(parse_criterion_scores(["craft=4", "Relevance=3"]), rubric)
    assert weighted_overall(paired) == pytest.approx((2 * 4 + 1 * 3) / 3)
    every = match_criteria(parse_criterion_scores(["Craft=5", "Relevance=1", "Originality=2", "Fit=4"]), rubric)
    assert weighted_overall(every) == pytest.approx((10 + 1 + 2 + 4) / 5)
    assert stars_of(3.5) == 4 and stars_of(3.49) == 3 and stars_of(1.0) == 1 and stars_of(5.0) == 5


def test_a_criterion_the_rubric_lacks_is_one_line_naming_the_rubric() -> None:
    rubric = parse_rubric("Craft:2,Relevance:1")
    with pytest.raises(RuleError) as refused:
        match_criteria([("Sound", 4)], rubric)
    assert str(refused.value) == "the rubric has no criterion “Sound” (criteria: Craft, Relevance)"


@pytest.mark.parametrize("item", ["Craft", "Craft=6", "Craft=0", "Craft=4.5", "=3", "Craft=x"])
def test_a_badly_written_criterion_score_is_refused(item: str) -> None:
    with pytest.raises(RuleError, match="--criterion"):
        parse_criterion_scores([item])


def test_summaries_of_overall_scores_accept_weighted_values_and_agree_with_whole_ones() -> None:
    assert summarize_overall([4, 2, 5]) == summarize([4, 2, 5])
    summary = summarize_overall([3.6666666666666665, 2, 5])
    assert summary.mean == pytest.approx((11 / 3 + 7) / 3)
    with pytest.raises(ValueError):
        summarize_overall([5.5])


def test_due_dates_are_iso_days_and_a_past_day_is_accepted_and_overdue() -> None:
    today = dt.date(2026, 11, 30)
    past = parse_due("2026-11-01")
    assert past == dt.date(2026, 11, 1)
    assert is_overdue(past, done=False, today=today)
    assert not is_overdue(past, done=True, today=today)
    assert not is_overdue(today, done=False, today=today)
    assert not is_overdue(None, done=False, today=today)
    with pytest.raises(RuleError, match="not a date like 2026-12-24"):
        parse_due("30/11/2026")


def _coverage(films: list[FilmToCover], plan) -> dict[int, set[int]]:
    cover = {film.film_id: set(film.assigned - film.conflicted) for film in films}
    for film_id, programmer_id in plan.assignments:
        cover[film_id].add(programmer_id)
    return cover


def test_spread_gives_every_film_k_viewers_evenly_and_never_a_conflicted_one() -> None:
    rng = random.Random(7)
    viewers = [Viewer(pid) for pid in range(1, 8)]
    films = [FilmToCover(film_id, conflicted=frozenset(rng.sample(range(1, 8), rng.randint(0, 2))))
             for film_id in range(1, 301)]
    plan = plan_spread(films, viewers, 3)
    cover = _coverage(films, plan)
    assert all(len(cover[film.film_id]) == 3 for film in films)
    assert not any(programmer in film.conflicted for film in films for programmer in cover[film.film_id])
    counts = plan.counts()
    assert sum(counts.values()) == 900 and max(counts.values()) - min(counts.values()) <= 1
    assert plan.short == []
    assert plan_spread(films, viewers, 3).assignments == plan.assignments  # deterministic


def test_spread_counts_existing_assignments_and_prefers_who_has_seen_the_film() -> None:
    viewers = [Viewer(1, open_assignments=9), Viewer(2), Viewer(3), Viewer(4)]
    films = [FilmToCover(10, assigned=frozenset({2}), seen=frozenset({1})),
             FilmToCover(11, assigned=frozenset({1, 2, 3}))]
    plan = plan_spread(films, viewers, 3)
    assert sorted(plan.assignments) == [(10, 1), (10, 3)]  # 1 has seen it though the busiest; 4 ties with 3


def test_spread_respects_known_languages_and_reports_what_it_cannot_cover() -> None:
    viewers = [Viewer(1, frozenset({"eng"})), Viewer(2, frozenset({"fra", "eng"})), Viewer(3),
               Viewer(4, frozenset({"deu"}))]
    films = [FilmToCover(1, languages=frozenset({"fra"})),
             FilmToCover(2, languages=frozenset({"kor", "eng"})),  # English subtitles
             FilmToCover(3),  # languages not known: anyone
             FilmToCover(4, languages=frozenset({"fra"}), conflicted=frozenset({2}))]
    plan = plan_spread(films, viewers, 2)
    cover = _coverage(films, plan)
    assert cover[1] == {2, 3}
    assert cover[2] <= {1, 2, 3} and len(cover[2]) == 2
    assert len(cover[3]) == 2
    assert cover[4] == {3}
    [short] = plan.short
    assert short.film_id == 4 and short.viewers == 1
    assert short.reason == ("only 1 of 4 committee members can take it "
                            "(1 with a conflict of interest, 2 without its languages)")


def test_spread_needs_at_least_one_viewer() -> None:
    with pytest.raises(RuleError):
        plan_spread([], [Viewer(1)], 0)


@pytest.mark.parametrize(("answer", "expected"), [
    ("Yes", True), ("yes, English SDH", True), ("No", False), ("n", False), ("", None), ("Maybe", None),
    ("TRUE", True), ("Not available", False), ("Ja", True)])
def test_yes_no_answers(answer: str, expected: bool | None) -> None:
    assert parse_yes_no(answer) is expected


@pytest.mark.parametrize(("answer", "expected"), [
    ("12", 12), ("12+", 12), ("Ages 16 and up", 16), ("PG-13", 13), ("All ages", 0), ("", None),
    ("Adults", None), ("99", None)])
def test_age_answers(answer: str, expected: int | None) -> None:
    assert parse_age(answer) == expected
    if expected is not None:
        assert age_label(expected) == ("All ages" if expected == 0 else f"{expected}+")


def test_custom_questions_map_to_facts_by_a_saved_mapping_or_their_words() -> None:
    assert fact_for_question("Does the film have subtitles for the deaf and hard of hearing (SDH)?") == "sdh"
    assert fact_for_question("Subtitle language") == "subtitle_language"
    assert fact_for_question("Is there an audio description track?") == "audio_description"
    assert fact_for_question("Content warnings") == "content_advice"
    assert fact_for_question("Recommended age") == "age_recommendation"
    assert fact_for_question("Budget") is None
    mapping = {mapping_key("Zielgruppe ab"): "age_recommendation", mapping_key("Recommended age"): ""}
    assert fact_for_question("Zielgruppe ab", mapping) == "age_recommendation"
    assert fact_for_question("Recommended age", mapping) is None  # mapped to nothing: ignored
