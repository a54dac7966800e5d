"""Generated stills and covers: the same seed prints the same picture, at print size and resolution."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageStat

from festival_desk.actions.artwork import cover_size, make_cover, make_still


def _open(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


def test_same_seed_gives_identical_bytes():
    assert make_still("red-soul", "The Red Soul") == make_still("red-soul", "The Red Soul")
    assert make_cover("Dokudnevi 2027") == make_cover("Dokudnevi 2027")


def test_different_films_get_visibly_different_stills():
    first = _open(make_still("red-soul", "The Red Soul")).resize((64, 36))
    second = _open(make_still("honeyland", "Honeyland")).resize((64, 36))
    mean_difference = sum(
        abs(a - b) for a, b in zip(first.tobytes(), second.tobytes())
    ) / len(first.tobytes())
    assert mean_difference > 8, "two films' stills look alike"


def test_still_is_a_300_dpi_jpeg_fifteen_centimetres_wide():
    picture = _open(make_still("gunda", "Gunda"))
    assert picture.format == "JPEG"
    assert picture.mode == "RGB"
    assert picture.size == (1800, 1013)
    assert tuple(round(v) for v in picture.info["dpi"]) == (300, 300)
    printed_width_cm = picture.size[0] / picture.info["dpi"][0] * 2.54
    assert printed_width_cm == pytest.approx(15.24, abs=0.01)


def test_still_is_not_flat_or_blank():
    picture = _open(make_still("collective", "Collective")).convert("L")
    stats = ImageStat.Stat(picture)
    assert 15 < stats.mean[0] < 240
    assert stats.stddev[0] > 10, "a still with no contrast would print as a grey box"


def test_still_respects_requested_size_and_stays_small_enough_to_embed():
    data = make_still("shorts", "Nǎi Nai & Wài Pó", width=900, height=506)
    assert _open(data).size == (900, 506)
    assert len(make_still("shorts", "x")) < 1_500_000


def test_too_small_still_is_refused():
    with pytest.raises(ValueError, match="16 x 16"):
        make_still("x", "y", width=4, height=4)


def test_cover_fills_an_a5_page_with_bleed_at_300_dpi():
    picture = _open(make_cover("Dokudnevi 2027"))
    assert picture.size == cover_size(154, 216) == (1819, 2551)
    assert tuple(round(v) for v in picture.info["dpi"]) == (300, 300)


def test_cover_at_another_resolution_says_so():
    picture = _open(make_cover("proof", width_mm=148, height_mm=210, dpi=150))
    assert picture.size == (874, 1240)
    assert tuple(round(v) for v in picture.info["dpi"]) == (150, 150)
