"""Benchmark: a 300-film booklet with a still for every film, contents and indexes included.

Every film has its own still of camera size (1920 × 1080 JPEG with grain, as filmmakers send them),
so the PDF embeds 300 images, as a real catalogue does; the report gives the PDF's size beside the
time and the peak memory. Both builds write their file to disk, as `festival-desk booklet` does (ours
through `core.files.replacing`, streaming into the temporary that is renamed into place).

Prints the median build time of our renderer beside the floor measured in the same process: one
plain ReportLab pass over the same text and the same JPEG stills (SimpleDocTemplate, our font and
styles, every film's texts and screening lines, one line per screening for the schedule and one
per film in each of the three indexes, but no page references, boxes, grids or second pass), and
the ratio of the two.
Goal: under 5 s, under 400 MB peak resident memory, ratio under 3.

Then the press file (`--press`: CMYK stills, PDF/X-4) of the same festival, beside its own floor in the
same process: the CMYK conversion alone of the same stills, one after another on one core with one
reused ImageCms transform (decode, convert, encode at the press quality), which the press file cannot
do without. The press file is timed twice: built with an empty cache of converted stills, and built
again (a late correction) with the cache the first build filled.

Run: /work/venv/bin/python tests/benchmarks/bench_booklet.py [FILMS] [REPEATS]
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))

from booklet_samples import generated_festival  # noqa: E402
from reportlab.lib.pagesizes import A5  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate  # noqa: E402

from festival_desk.core import files  # noqa: E402
from festival_desk.printing.booklet import render_booklet  # noqa: E402
from festival_desk.printing.fonts import FONTS  # noqa: E402
from festival_desk.printing.options import BookletOptions  # noqa: E402
from festival_desk.printing.press_stills import cmyk_jpeg  # noqa: E402
from festival_desk.printing.styles import make_styles, markup  # noqa: E402


def still_files(snapshot, still_folder: Path) -> dict[int, Path]:
    """The stills as files (written once, before any timing), by film id."""
    paths = {}
    for film in snapshot.films():
        paths[film.id] = still_folder / f"{film.id}.jpg"
        paths[film.id].write_bytes(film.still.data)
    return paths


def plain_reportlab_pass(snapshot, paths: dict[int, Path], output: Path) -> int:
    """The floor: the same text and stills as plain flowables, one pass."""
    styles = make_styles()
    story = []
    screenings_of = {}
    for screening in snapshot.screenings:
        for film_id in screening.film_ids:
            screenings_of.setdefault(film_id, []).append(screening)
    for film in snapshot.films():
        width = 120 * mm
        story.append(Image(str(paths[film.id]), width=width, height=width * film.still.height_px / film.still.width_px))
        story.append(Paragraph(markup(film.title), styles.film_title))
        story.append(Paragraph(markup(f"{', '.join(film.directors)} · {film.year} · {film.runtime_minutes} min"),
                               styles.meta))
        story.append(Paragraph(markup(film.synopsis), styles.synopsis))
        if film.quote:
            story.append(Paragraph(markup(f"«{film.quote.text}» {film.quote.critic}"), styles.quote))
        for screening in screenings_of.get(film.id, []):
            story.append(Paragraph(markup(f"{screening.starts_at:%a %d %b, %H:%M} · {screening.venue}, "
                                          f"{screening.screen}"), styles.screening))
        story.append(PageBreak())
    for screening in snapshot.screenings:
        story.append(Paragraph(markup(f"{screening.starts_at:%H:%M} {screening.venue} {screening.screen}"),
                               styles.grid_cell))
    for film in snapshot.films() * 3:
        story.append(Paragraph(markup(f"{film.title} {film.id}"), styles.index_entry))
    doc = SimpleDocTemplate(str(output), pagesize=A5, initialFontName=FONTS.regular)
    doc.build(story)
    return doc.page


def booklet_to_file(snapshot, target: Path, options: BookletOptions | None = None) -> tuple[int, int, int]:
    """Our build as the booklet command makes it: (pages, passes, bytes written to `target`)."""
    with files.replacing(target) as temporary, open(temporary, "wb") as output:
        result = render_booklet(snapshot, options, output=output)
    return result.pages, result.passes, target.stat().st_size


def cmyk_conversion_pass(snapshot) -> int:
    """The press file's floor: every still converted to the press CMYK JPEG, serially; its bytes."""
    return sum(len(cmyk_jpeg(film.still.data)) for film in snapshot.films())


def press_file_with_cache(snapshot, target: Path, cache_home: Path) -> tuple[int, int, int]:
    """The press file, its converted stills kept under `cache_home` (the user's cache folder)."""
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    return booklet_to_file(snapshot, target, BookletOptions(press=True))


def _in_child(work):
    """Run `work()` in a forked child (which starts with the festival already in memory, as the
    desk does) and return (its result, seconds, peak resident MB of that child)."""
    reading, writing = multiprocessing.Pipe(duplex=False)

    def child():
        started = time.perf_counter()
        outcome = work()
        seconds = time.perf_counter() - started
        writing.send((outcome, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    outcome = reading.recv()
    process.join()
    return outcome


def main() -> None:
    films = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    snapshot = generated_festival(films, still_size=(1920, 1080), distinct_stills=films, grain=40)
    still_mb = sum(len(film.still.data) for film in snapshot.films()) / 1e6
    render_booklet(generated_festival(5))  # fonts registered, code paths warm, as in a running app
    held_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours, floor, ours_peak, floor_peak = [], [], [], []
    press, press_floor, press_peak, press_floor_peak, rebuild = [], [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        paths = still_files(snapshot, Path(folder))
        floor_file, booklet_file = Path(folder) / "floor.pdf", Path(folder) / "booklet.pdf"
        for run in range(repeats):
            cache_home = Path(folder) / f"cache-{run}"  # empty: the first build converts every still
            floor_pages, seconds, peak = _in_child(lambda: plain_reportlab_pass(snapshot, paths, floor_file))
            floor.append(seconds)
            floor_peak.append(peak)
            (pages, passes, size), seconds, peak = _in_child(lambda: booklet_to_file(snapshot, booklet_file))
            ours.append(seconds)
            ours_peak.append(peak)
            converted, seconds, peak = _in_child(lambda: cmyk_conversion_pass(snapshot))
            press_floor.append(seconds)
            press_floor_peak.append(peak)
            (press_pages, _, press_size), seconds, peak = _in_child(
                lambda: press_file_with_cache(snapshot, booklet_file, cache_home))
            press.append(seconds)
            press_peak.append(peak)
            _, seconds, peak = _in_child(lambda: press_file_with_cache(snapshot, booklet_file, cache_home))
            rebuild.append(seconds)
            press_peak.append(peak)
    ours_median, floor_median = statistics.median(ours), statistics.median(floor)
    print(f"booklet: {films} films, {films} distinct 1920x1080 stills ({still_mb:.0f} MB of JPEG), "
          f"{pages} pages, {passes} passes, PDF {size / 1e6:.1f} MB")
    print(f"ours   median {ours_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ours)}), "
          f"peak RSS {max(ours_peak):.0f} MB")
    print(f"floor  median {floor_median:.2f} s  ({floor_pages} pages, one plain ReportLab pass), "
          f"peak RSS {max(floor_peak):.0f} MB")
    print(f"ratio  {ours_median / floor_median:.2f}x; the process held {held_mb:.0f} MB with the festival "
          "loaded before either build")
    press_median, press_floor_median = statistics.median(press), statistics.median(press_floor)
    print(f"press  median {press_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in press)}), "
          f"peak RSS {max(press_peak):.0f} MB, {press_pages} pages, PDF {press_size / 1e6:.1f} MB")
    print(f"press floor median {press_floor_median:.2f} s  (CMYK conversion alone, one core: "
          f"{converted / 1e6:.0f} MB of CMYK JPEG), peak RSS {max(press_floor_peak):.0f} MB")
    print(f"press ratio {press_median / press_floor_median:.2f}x the conversion alone, "
          f"{press_median / ours_median:.1f}x the screen file")
    rebuild_median = statistics.median(rebuild)
    print(f"press rebuilt median {rebuild_median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in rebuild)}; "
          f"every still from the cache), {rebuild_median / ours_median:.1f}x the screen file")


if __name__ == "__main__":
    main()
