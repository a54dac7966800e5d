"""The press file's stills: converted to CMYK as the file is written, each once, a few ahead at most,
at the size the filmmakers sent them; a still that cannot be converted prints blank with a warning;
a cancelled build stops its conversions."""

from __future__ import annotations

import io
import threading

import pytest
from booklet_samples import embedded_images, generated_festival, small_festival, still
from PIL import Image

from festival_desk.core.errors import Cancelled
from festival_desk.printing import press_stills
from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.options import BookletOptions
from festival_desk.printing.snapshot import StillImage


def test_each_still_is_converted_once_as_the_file_is_written_and_only_a_few_ahead(monkeypatch):
    snapshot = generated_festival(24, still_size=(640, 360), distinct_stills=20, grain=20)
    converting, written, ahead = [0], [0], []
    convert, write = press_stills.cmyk_jpeg, press_stills._CmykImageObject.format

    def counted_convert(data, *arguments, **keywords):
        converting[0] += 1
        ahead.append(converting[0] - written[0])
        return convert(data, *arguments, **keywords)

    def counted_write(self, document):
        written[0] += 1
        return write(self, document)

    monkeypatch.setattr(press_stills, "cmyk_jpeg", counted_convert)
    monkeypatch.setattr(press_stills._CmykImageObject, "format", counted_write)
    result = render_booklet(snapshot, BookletOptions(press=True))
    assert result.passes == 2
    assert converting[0] == written[0] == 20  # two layout passes, 24 films sharing 20 stills: 20 conversions
    lookahead = press_stills.StillConverter(on_failure=print).lookahead
    assert max(ahead) <= lookahead + 1  # never every still converted and held at once
    images = embedded_images(result.pdf)
    assert len(images) == 20
    assert {(width, height, space) for width, height, space, _ in images} == {(640, 360, "/DeviceCMYK")}
    for _, _, _, data in images:
        with Image.open(io.BytesIO(data)) as embedded:
            assert embedded.mode == "CMYK" and embedded.size == (640, 360)


def test_the_press_still_keeps_its_colour():
    snapshot = small_festival()
    red = still(600, 338, colour=(200, 30, 30))
    for section in snapshot.sections:
        for film in section.films:
            film.still = red
    images = [data for width, height, _, data in embedded_images(render_booklet(snapshot, BookletOptions(press=True)).pdf)
              if (width, height) == (600, 338)]
    assert len(images) == 1  # one still shared by every film, embedded once
    with Image.open(io.BytesIO(images[0])) as embedded:
        # Pillow reads the Adobe CMYK JPEG back in ink values: the background is magenta and yellow.
        cyan, magenta, yellow, black = embedded.getpixel((5, 5))
    assert magenta > 180 and yellow > 160 and cyan < 60


def test_a_still_that_cannot_be_converted_prints_blank_and_is_named():
    snapshot = small_festival()
    film = snapshot.sections[0].films[0]
    good = still(400, 225, grain=20).data
    film.still = StillImage(good[:600] + bytes(len(good) - 602) + b"\xff\xd9", 400, 225, "")
    result = render_booklet(snapshot, BookletOptions(press=True))
    problems = [w for w in result.warnings if "cannot be converted for print" in w]
    assert len(problems) == 1 and film.title in problems[0] and "prints blank" in problems[0]
    blank = [data for width, height, _, data in embedded_images(result.pdf) if (width, height) == (8, 8)]
    assert len(blank) == 1
    with Image.open(io.BytesIO(blank[0])) as embedded:
        assert embedded.mode == "CMYK" and embedded.getextrema() == ((0, 0),) * 4  # no ink at all


def test_cancelling_while_stills_are_converted_stops_the_build_and_its_workers():
    snapshot = generated_festival(12, still_size=(640, 360), distinct_stills=12, grain=20)
    messages = []

    def progress(done, total, message):
        messages.append(message)
        if message.startswith("Converting still 3 of"):
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        render_booklet(snapshot, BookletOptions(press=True), progress)
    assert "Converting still 2 of 12 for print" in messages
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("press-still")]


def test_stills_converted_side_by_side_are_the_same_as_one_at_a_time():
    converter = press_stills.StillConverter(on_failure=pytest.fail, workers=3)
    datas = [still(480, 270, colour=(40 + 20 * i, 200 - 15 * i, 90), grain=30).data for i in range(9)]
    sources = [converter.still(data, (480, 270), f"number {i}") for i, data in enumerate(datas)]
    try:
        side_by_side = [converter.take(source) for source in sources]
    finally:
        converter.close()
    assert side_by_side == [press_stills.cmyk_jpeg(data) for data in datas]


def _counting_conversions(monkeypatch) -> list[int]:
    count = [0]
    convert = press_stills.cmyk_jpeg

    def counted(data, *arguments, **keywords):
        count[0] += 1
        return convert(data, *arguments, **keywords)

    monkeypatch.setattr(press_stills, "cmyk_jpeg", counted)
    return count


def test_a_rebuilt_press_file_converts_only_the_stills_that_changed(tmp_path, monkeypatch):
    snapshot = generated_festival(10, still_size=(640, 360), distinct_stills=10, grain=20)
    cache = press_stills.ConvertedStills(tmp_path / "cache")
    conversions = _counting_conversions(monkeypatch)
    first = render_booklet(snapshot, BookletOptions(press=True), still_cache=cache)
    assert conversions[0] == 10
    again = render_booklet(snapshot, BookletOptions(press=True), still_cache=cache)
    assert conversions[0] == 10  # every still from the cache
    assert sorted(data for *_, data in embedded_images(again.pdf)) == sorted(data for *_, data in embedded_images(first.pdf))
    film = snapshot.films()[0]
    film.still = still(640, 360, colour=(10, 120, 200), grain=20)
    render_booklet(snapshot, BookletOptions(press=True), still_cache=cache)
    assert conversions[0] == 11  # the new still only
    assert len(list(cache.directory.glob("*.jpg"))) == 11


def test_a_damaged_or_unwritable_cache_never_changes_the_press_file(tmp_path, monkeypatch):
    data = still(480, 270, grain=20).data
    expected = press_stills.cmyk_jpeg(data)
    cache = press_stills.ConvertedStills(tmp_path / "cache")
    assert cache.converted(data) == expected
    [kept] = (tmp_path / "cache").glob("*.jpg")
    kept.write_bytes(expected[: len(expected) // 2])  # a file cut short
    conversions = _counting_conversions(monkeypatch)
    assert cache.converted(data) == expected and conversions[0] == 1
    assert kept.read_bytes() == expected  # replaced by the whole still
    (tmp_path / "not-a-folder").write_text("a file where the cache folder would be")
    unwritable = press_stills.ConvertedStills(tmp_path / "not-a-folder")
    assert unwritable.converted(data) == expected and conversions[0] == 2


def test_the_cache_keeps_the_most_recently_used_stills_within_its_bound(tmp_path):
    import os

    cache = press_stills.ConvertedStills(tmp_path / "cache")
    datas = [still(320, 180, colour=(30 * i, 90, 160), grain=20).data for i in range(4)]
    for age, data in enumerate(datas):
        cache.converted(data)
    files = {data: cache._path(data, press_stills.PRESS_JPEG_QUALITY) for data in datas}
    for age, data in enumerate(datas):  # the first still used longest ago
        os.utime(files[data], (1_000_000 + age, 1_000_000 + age))
    cache.converted(datas[0])  # used again now: the most recent
    sizes = {data: path.stat().st_size for data, path in files.items()}
    cache.max_bytes = sizes[datas[0]] + sizes[datas[3]]
    cache.trim()
    assert [data in [d for d, p in files.items() if p.exists()] for data in datas] == [True, False, False, True]
