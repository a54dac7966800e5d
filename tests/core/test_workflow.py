"""The status workflow the committee moves films through."""

import pytest

from festival_desk.core.workflow import ALLOWED_MOVES, Status, allowed_targets, can_move, parse_status


def test_every_status_can_be_left_and_reached() -> None:
    reachable = set().union(*ALLOWED_MOVES.values())
    assert reachable == set(Status)
    assert all(ALLOWED_MOVES[status] for status in Status)


def test_main_line_moves_forward_and_one_step_back() -> None:
    line = [Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED, Status.SELECTED, Status.CONFIRMED]
    for before, after in zip(line, line[1:]):
        assert can_move(before, after)
        assert can_move(after, before)


def test_confirmed_film_cannot_be_declined_only_withdrawn() -> None:
    assert not can_move("confirmed", "declined")
    assert allowed_targets("confirmed") == ["selected", "withdrawn"]


@pytest.mark.parametrize("typed", ["Shortlisted", "shortlisted", " SHORTLISTED "])
def test_status_names_are_read_as_people_type_them(typed: str) -> None:
    assert parse_status(typed) is Status.SHORTLISTED
    assert parse_status("in review") is Status.IN_REVIEW
    assert parse_status("in-review") is Status.IN_REVIEW


def test_unknown_status_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid statuses: submitted, in_review"):
        parse_status("maybe")
