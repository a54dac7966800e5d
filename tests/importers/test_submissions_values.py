"""Cell readers: durations, dates, titles and credit lists as exports write them."""

import datetime as dt

import pytest

from festival_desk.importers.submissions.values import (
    UnreadableValue,
    duration_minutes,
    parse_date,
    split_names,
    unquote_title,
)


@pytest.mark.parametrize(("cell", "minutes"), [
    ("1:30:00", 90), ("1:30:01", 91), ("0:05:30", 6), ("2:00:59", 121), ("95", 95), ("95 min", 95),
    ("1h 35m", 95), ("12:30", 13), ("", None), ("0:00:00", None),
])
def test_durations_round_up_to_whole_minutes(cell, minutes):
    assert duration_minutes(cell) == minutes


@pytest.mark.parametrize("cell", ["about an hour", "1:75:00", "n/a", "1:2:3:4"])
def test_unreadable_durations_raise(cell):
    with pytest.raises(UnreadableValue, match="duration"):
        duration_minutes(cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2024-05-01", (dt.date(2024, 5, 1), 2024)),
    ("January 2, 2025", (dt.date(2025, 1, 2), 2025)),
    ("Jan 2nd, 2025", (dt.date(2025, 1, 2), 2025)),
    ("2 February 2025", (dt.date(2025, 2, 2), 2025)),
    ("05/01/2024", (dt.date(2024, 5, 1), 2024)),
    ("25/01/2024", (dt.date(2024, 1, 25), 2024)),
    ("2025", (None, 2025)),
    ("May 2024", (None, 2024)),
    ("2025-03-14 10:22:33 UTC", (dt.date(2025, 3, 14), 2025)),
    ("", (None, None)),
])
def test_mixed_date_forms(cell, expected):
    assert parse_date(cell) == expected


def test_impossible_date_raises():
    with pytest.raises(UnreadableValue):
        parse_date("2024-13-45")


@pytest.mark.parametrize(("typed", "title"), [
    ('"Home"', "Home"), ("“Home”", "Home"), ("«Dom»", "Dom"), ('The "Good" Life', 'The "Good" Life'),
    ('"A" and "B"', '"A" and "B"'), ("'Tis the Season", "'Tis the Season"),
])
def test_submitter_quotes_around_a_whole_title_are_removed(typed, title):
    assert unquote_title(typed) == title


def test_credit_labels_are_not_names_but_names_that_start_like_labels_are():
    assert split_names("KEY CAST\nCastor Pollux, Ana Kovač") == ["Castor Pollux", "Ana Kovač"]
    assert split_names("Directed by Jane Doe & John Roe") == ["Jane Doe", "John Roe"]
    assert split_names("Director: Işık Yılmaz; Martin King, Jr.") == ["Işık Yılmaz", "Martin King, Jr."]
