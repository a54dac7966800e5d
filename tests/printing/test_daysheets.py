"""Day sheets PDF: one page per venue and day, every screening with its films, text as typed."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pdfplumber
import pytest

from festival_desk.core.schedule import (Festival, Film, Guest, Schedule, Screen, Screening, ScreeningItem, Venue,
                                         local_datetime)
from festival_desk.printing.daysheets import render_day_sheets

ZONE = "Europe/Ljubljana"


def at(day, hour, minute=0):
    return local_datetime(dt.datetime(2025, 3, day, hour, minute), ZONE)


def sample() -> Schedule:
    films = {1: Film(1, "Kovač & <Sons>", 90, "selected"), 2: Film(2, "Ёлка у моря", 12, "selected"),
             3: Film(3, "Αθήνα", 18, "selected")}
    venues = {1: Venue(1, "Kinodvor", "Kolodvorska 13", "Step-free entrance"), 2: Venue(2, "Kino Šiška")}
    screens = {1: Screen(1, "Big Hall", 1, "Kinodvor", 400), 2: Screen(2, "Small Hall", 1, "Kinodvor", 90),
               3: Screen(3, "Dvorana", 2, "Kino Šiška", 200)}
    screenings = [
        Screening(1, 1, at(13, 18), (ScreeningItem(1, 90),), qa_minutes=30, guests=(Guest(1, "Ana Kovač"),),
                  premiere="world"),
        Screening(2, 2, at(13, 14), (ScreeningItem(2, 12), ScreeningItem(3, 18)), title="Shorts <one>",
                  kind="press"),
        Screening(3, 1, at(14, 0, 30), (ScreeningItem(3, 18),)),  # after midnight: the 13th's sheet
        Screening(4, 3, at(15, 20), (ScreeningItem(1, 90),)),
    ]
    return Schedule(Festival(dt.date(2025, 3, 13), dt.date(2025, 3, 16), ZONE), screens, films, screenings, venues)


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() for page in document.pages]


def test_one_page_per_venue_day_with_everything_as_typed():
    pdf = render_day_sheets(sample(), "Test Docs 2025")
    pages = pages_text(pdf)
    assert len(pages) == 2
    kinodvor, siska = pages
    assert "Kinodvor" in kinodvor and "Thursday 13 March 2025" in kinodvor and "Step-free entrance" in kinodvor
    assert "Kovač & <Sons>" in kinodvor and "Shorts <one>" in kinodvor and "Ёлка у моря" in kinodvor
    assert "Αθήνα" in kinodvor and "Ana Kovač" in kinodvor and "Press screening" in kinodvor
    assert kinodvor.index("14:00") < kinodvor.index("18:00") < kinodvor.index("00:30")
    assert "Kino Šiška" in siska and "Saturday 15 March 2025" in siska and "Shorts <one>" not in siska


def test_fonts_are_embedded_and_no_standard_font_is_referenced(tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts not installed")
    path = tmp_path / "sheets.pdf"
    path.write_bytes(render_day_sheets(sample(), "Test Docs"))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in listing
    for line in listing.splitlines()[2:]:
        assert " yes " in line  # embedded


def test_empty_schedule_says_so():
    assert "No screenings" in pages_text(render_day_sheets(Schedule(Festival(None, None, ZONE), {}, {}, []), "X"))[0]
