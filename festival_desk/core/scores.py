"""Aggregating the committee's 1–5 ratings of one film.

A rating's overall score is a whole 1–5 given directly, or the weighted mean of its criterion
scores (core.committee) when given per criterion; means and spreads use the overall scores of the
programmers without a conflict of interest on the film (store.scoring).

Spread is the *population* standard deviation of the ratings (every rating of the film is the whole
population, not a sample of a larger one): 0 when everyone agrees, at most 2.0 (half 1s, half 5s).
It tells the meeting where programmers disagree; a single rating has spread 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SCORE = 1
MAX_SCORE = 5


def check_score(score: int) -> int:
    """`score` as an int if it is a whole number from 1 to 5; ValueError naming the range otherwise."""
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"a rating is a whole number from {MIN_SCORE} to {MAX_SCORE}, not {score!r}")
    return score


@dataclass(frozen=True)
class ScoreSummary:
    """mean, median and spread are None when there are no ratings (count 0)."""

    count: int
    mean: float | None
    median: float | None
    spread: float | None


def summarize(ratings: Iterable[int]) -> ScoreSummary:
    """Count, mean, median and spread (population standard deviation) of 1–5 ratings.

    Raises ValueError on a rating outside 1–5, so that a bad value cannot skew a meeting's numbers.
    """
    return summarize_overall([check_score(value) for value in ratings])


def summarize_overall(values: Iterable[float]) -> ScoreSummary:
    """`summarize` of overall scores that need not be whole (a rating given per criterion has
    its weighted mean as overall score). ValueError on a value outside 1–5."""
    checked = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not MIN_SCORE <= value <= MAX_SCORE:
            raise ValueError(f"an overall score runs from {MIN_SCORE} to {MAX_SCORE}, not {value!r}")
        checked.append(float(value))
    if not checked:
        return ScoreSummary(count=0, mean=None, median=None, spread=None)
    return ScoreSummary(count=len(checked), mean=statistics.fmean(checked),
                        median=float(statistics.median(checked)), spread=statistics.pstdev(checked))
