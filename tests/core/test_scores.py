"""Per-film score aggregation as the selection meeting reads it."""

import pytest

from festival_desk.core.scores import ScoreSummary, check_score, summarize


def test_unanimous_ratings_have_no_spread():
    assert summarize([4, 4, 4]) == ScoreSummary(count=3, mean=4.0, median=4.0, spread=0.0)


def test_split_committee_has_the_largest_spread():
    summary = summarize([1, 5, 1, 5])
    assert summary.mean == 3.0
    assert summary.median == 3.0
    assert summary.spread == pytest.approx(2.0)


def test_median_resists_one_outlier_where_mean_does_not():
    summary = summarize([5, 5, 5, 1])
    assert summary.median == 5.0
    assert summary.mean == pytest.approx(4.0)
    assert summary.spread == pytest.approx(1.7320508, rel=1e-6)


def test_single_rating():
    assert summarize([2]) == ScoreSummary(count=1, mean=2.0, median=2.0, spread=0.0)


def test_no_ratings_means_no_numbers_not_zero():
    assert summarize([]) == ScoreSummary(count=0, mean=None, median=None, spread=None)


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", True, None])
def test_out_of_range_rating_is_refused_naming_the_range(bad):
    with pytest.raises(ValueError, match="1 to 5"):
        check_score(bad)
    with pytest.raises(ValueError, match="1 to 5"):
        summarize([3, bad])
