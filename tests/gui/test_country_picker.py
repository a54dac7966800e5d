"""The film page's countries: chips that wrap to the width the page has, also after it widens."""

from __future__ import annotations

from festival_desk.gui.country_picker import CountryPicker


def _rows_of_chips(picker: CountryPicker) -> set[int]:
    chips = picker._chips
    return {chips.visualItemRect(chips.item(row)).top() for row in range(chips.count())}


def test_countries_wrap_when_narrow_and_spread_out_when_the_page_widens(qtbot) -> None:
    picker = CountryPicker()
    qtbot.addWidget(picker)
    picker.resize(190, 120)
    picker.show()
    picker.set_codes(["DK", "SE", "FI"])
    qtbot.waitUntil(lambda: len(_rows_of_chips(picker)) > 1, timeout=3000)  # narrow: on several lines
    picker.resize(700, 120)
    qtbot.waitUntil(lambda: len(_rows_of_chips(picker)) == 1, timeout=3000)  # wide: one line, laid out again
    assert not picker._chips.horizontalScrollBar().isVisible()
    assert picker.codes() == ["DK", "SE", "FI"]
