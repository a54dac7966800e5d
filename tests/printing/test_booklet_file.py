"""The booklet written to its file as it is made: stills embedded at the size the filmmakers sent
them, a file complete or not there at all (the previous booklet stays whole when the build is
killed while writing)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pikepdf
import pytest
from booklet_samples import embedded_images, generated_festival

from festival_desk.core import files
from festival_desk.printing.booklet import render_booklet
from festival_desk.printing.options import BookletOptions

SAMPLES = Path(__file__).parent


def _write_booklet(snapshot, target: Path, options: BookletOptions):
    with files.replacing(target) as temporary, open(temporary, "wb") as output:
        return render_booklet(snapshot, options, output=output)


@pytest.mark.parametrize("press", [False, True], ids=["screen", "press"])
def test_a_booklet_file_keeps_every_still_at_its_camera_size(tmp_path, press):
    snapshot = generated_festival(6, still_size=(1920, 1080), distinct_stills=6, grain=20)
    target = tmp_path / "booklet.pdf"
    result = _write_booklet(snapshot, target, BookletOptions(press=press))
    assert result.pdf == b"" and result.size == target.stat().st_size
    images = embedded_images(target)
    assert len(images) == 6
    assert {(width, height) for width, height, _, _ in images} == {(1920, 1080)}
    if press:
        assert {space for _, _, space, _ in images} == {"/DeviceCMYK"}
        assert [path.name for path in tmp_path.iterdir()] == ["booklet.pdf"]  # no scratch pages left behind
    else:  # the filmmakers' JPEGs, embedded as sent
        sent = {film.still.data for section in snapshot.sections for film in section.films}
        assert {data for _, _, _, data in images} == sent
    in_memory = render_booklet(snapshot, BookletOptions(press=press))
    with pikepdf.open(target) as written:
        assert len(written.pages) == in_memory.pages == result.pages
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout


STALLING_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from booklet_samples import embedded_images, generated_festival
    from festival_desk.core import files
    from festival_desk.printing.booklet import render_booklet
    from festival_desk.printing.options import BookletOptions

    target, started, press = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "press"

    class StallsWhileWriting:
        # The open temporary, stopping for a minute once half a megabyte is written.
        def __init__(self, handle):
            self.handle, self.name = handle, handle.name

        def write(self, data):
            written = self.handle.write(data)
            if self.handle.tell() > 500_000:
                self.handle.flush()
                started.touch()
                time.sleep(60)
            return written

        def __getattr__(self, name):
            return getattr(self.handle, name)

    snapshot = generated_festival(6, still_size=(1920, 1080), distinct_stills=6, grain=20)
    with files.replacing(target) as temporary, open(temporary, "wb") as output:
        render_booklet(snapshot, BookletOptions(press=press), output=StallsWhileWriting(output))
""")


@pytest.mark.parametrize("press", [False, True], ids=["screen", "press"])
def test_a_booklet_build_killed_while_writing_leaves_the_previous_booklet_whole(tmp_path, press):
    target = tmp_path / "booklet.pdf"
    snapshot = generated_festival(4, still_size=(1920, 1080), distinct_stills=4, grain=20)
    _write_booklet(snapshot, target, BookletOptions())
    previous = target.read_bytes()
    started = tmp_path / "writing"
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SAMPLES), os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen([sys.executable, "-c", STALLING_BUILD, str(target), str(started),
                              "press" if press else "screen"], env=environment)
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert child.poll() is None, "the build ended before writing"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
        partial = [path for path in tmp_path.iterdir() if path.name.startswith(".booklet.pdf.")]
        assert len(partial) == 1 and partial[0].stat().st_size > 500_000  # being written, beside the booklet
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert target.read_bytes() == previous
    # The next build replaces the booklet and clears what the killed one left.
    _write_booklet(snapshot, target, BookletOptions())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["booklet.pdf", "writing"]
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) > 0
