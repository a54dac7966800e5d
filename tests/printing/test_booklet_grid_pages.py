"""A festival day whose grid does not fit one page repeats the venue header on the next page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

from booklet_samples import generated_festival, small_festival
from pypdf import PdfReader

from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.options import ALL_FIELDS, BookletOptions
from festival_desk.printing.snapshot import Screening


def test_a_long_day_repeats_the_venue_header_on_every_grid_page() -> None:
    festival = small_festival()
    day = festival.festival.starts_on
    busy = [
        Screening(100 + hour * 10 + slot, dt.datetime.combine(day, dt.time(hour, slot * 15)),
                  dt.datetime.combine(day, dt.time(hour, slot * 15 + 10)), venue, "Hall 1", [1])
        for hour in range(8, 24) for slot in range(3) for venue in ("Kino Šiška", "Kinodvor")
    ]
    festival = dataclasses.replace(festival, screenings=festival.screenings + busy)
    # Without screening lines in the entries, hour rows ("08:00") only appear in the grids.
    options = BookletOptions(fields=tuple(f for f in ALL_FIELDS if f != "screenings"))
    pdf = render_booklet(festival, options).pdf
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    # The busy day's rows hold quarter-hour starts no other day has.
    busy_day_pages = [text for text in pages if any(f"{hour:02d}:15 " in text for hour in range(8, 24))]
    assert len(busy_day_pages) >= 2, "the busy day should need more than one page"
    for text in busy_day_pages:
        first_row = min(text.index(f"{hour:02d}:15 ") for hour in range(8, 24) if f"{hour:02d}:15 " in text)
        header = text[:first_row]  # what stands above the page's first grid row
        assert "Time" in header and "Kino Šiška" in header and "Kinodvor" in header


def test_the_schedule_keeps_venue_columns_marks_screenings_and_names_continued_days():
    snapshot = generated_festival(120)
    kinds = ["press", "industry", "school"]
    for index, screening in enumerate(snapshot.screenings[:3]):
        screening.kind = kinds[index]
    snapshot.screenings[3].premiere = "world"
    result = render_booklet(snapshot)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(result.pdf)).pages]
    grid_pages = [text for text in pages if "Time\nVenue 1" in text]
    assert grid_pages
    headers = set()
    for text in grid_pages:
        lines = [line.strip() for line in text.splitlines()]
        start = lines.index("Time")
        headers.add(tuple(line for line in lines[start + 1:start + 5]))
    assert len(headers) == 1  # the same venues in the same columns on every page
    joined = "\n".join(grid_pages)
    assert "★ Premiere · ◆ Q&A · ■ Press screening · ▲ Industry screening · ✦ School screening" in joined
    assert "(cont.)" in joined
    assert "(cont.)" not in grid_pages[0].split("Time")[0]  # the first day starts without it
    for text in grid_pages:
        if "(cont.)" in text:
            assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ \w+ \(cont\.\)", text)
    assert re.search(r"p\. \d+", joined)
    public = render_booklet(snapshot, BookletOptions(public_schedule_only=True))
    public_text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(public.pdf)).pages)
    assert "■" not in public_text and "▲" not in public_text and "✦" not in public_text
