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
