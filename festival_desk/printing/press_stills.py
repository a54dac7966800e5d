"""Stills for the press file, converted to the press profile's CMYK as the file is written.

A converted still is a CMYK JPEG of the same pixel size, three to four times the bytes of the sRGB
JPEG it comes from (four channels at full resolution). Converted at preparation, 300 camera-size
stills were 540 MB held until the file was written. Here a still is only checked at preparation;
its pixels are converted when ReportLab writes its image object, while the next few are converted
ahead on the other cores (LittleCMS and libjpeg release the GIL, so threads run in parallel). At
most `lookahead` converted stills are in memory at once.

Converting is most of a press build's time (about 0.06 s of CPU per camera-size still), and a press
file is built again after every late correction. So each converted still is kept in the user's cache
folder (`ConvertedStills`), named by the still's bytes, the profile and the quality: a rebuild
converts only stills that changed. The cache is bounded and can be deleted at any time; the caller
names its folder (the booklet action: the user's cache folder).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

from PIL import Image
from reportlab.pdfbase.pdfdoc import PDFImageXObject

from festival_desk.core.errors import UserError
from festival_desk.core.files import write_file
from festival_desk.printing.colours import profile_bytes, rgb_image_to_cmyk

# Offset printing of a screened photograph shows no difference between 85 and 90 (the stills carry
# 300-400 pixels per inch at their printed size); 85 makes the file 13 % smaller.
PRESS_JPEG_QUALITY = 85


def cmyk_jpeg(data: bytes, quality: int = PRESS_JPEG_QUALITY) -> bytes:
    """The image in `data` (any format Pillow reads) as a CMYK JPEG in the press profile, at its own
    pixel size. Pillow leaves the four channels of a CMYK JPEG at full resolution (no subsampling):
    black carries the picture's detail."""
    with Image.open(io.BytesIO(data)) as opened:
        converted = rgb_image_to_cmyk(opened)
    buffer = io.BytesIO()
    converted.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


class ConvertedStills:
    """Converted stills kept between builds in `directory`, at most about `max_bytes` of them
    (the least recently used go first, in `trim`).

    A still is found again only when its bytes, the shipped profile and the press quality are all
    the same. Files are written whole or not at all; a file that is not a whole JPEG is ignored and
    converted again. Every failure to read or write the cache is silent: the build converts.
    """

    # Part of every name: a change to how stills are converted must change it.
    FORMAT = b"cmyk-jpeg-1"

    def __init__(self, directory: Path, max_bytes: int = 1_500_000_000):
        self.directory, self.max_bytes = Path(directory), max_bytes

    @cached_property
    def _profile_digest(self) -> bytes:
        return hashlib.sha256(profile_bytes()).digest()

    def _path(self, data: bytes, quality: int) -> Path:
        digest = hashlib.sha256(self.FORMAT + b"%d" % quality + self._profile_digest)
        digest.update(data)
        return self.directory / f"{digest.hexdigest()}.jpg"

    def converted(self, data: bytes, quality: int = PRESS_JPEG_QUALITY) -> bytes:
        """The CMYK JPEG of `data`: from the cache, else converted now and kept."""
        path = self._path(data, quality)
        try:
            kept = path.read_bytes()
        except OSError:
            kept = b""
        if kept[:2] == b"\xff\xd8" and kept[-2:] == b"\xff\xd9":
            try:
                os.utime(path)  # recently used: kept longest
            except OSError:
                pass
            return kept
        converted = cmyk_jpeg(data, quality)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_file(path, converted)
        except (OSError, UserError):
            pass
        return converted

    def trim(self) -> None:
        """Delete the least recently used stills until the cache holds at most `max_bytes`."""
        try:
            entries = [(entry.stat(), entry) for entry in self.directory.glob("*.jpg")]
        except OSError:
            return
        total = sum(status.st_size for status, _ in entries)
        for status, entry in sorted(entries, key=lambda item: item[0].st_mtime):
            if total <= self.max_bytes:
                break
            try:
                entry.unlink()
                total -= status.st_size
            except OSError:
                pass


def _blank_cmyk_jpeg() -> bytes:
    """An image that prints no ink, for a still that cannot be converted after all."""
    buffer = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 0, 0, 0)).save(buffer, "JPEG", quality=PRESS_JPEG_QUALITY)
    return buffer.getvalue()


class StillConverter:
    """Converts the stills of one press file, in the order the file is written, a few ahead.

    `on_failure(message)` is told about a still that was checked at preparation but cannot be
    converted (its place prints blank); `on_converted(count)` after each still handed over (it may
    raise `Cancelled`). `close()` stops the worker threads; a converter is used for one build.
    """

    def __init__(self, on_failure: Callable[[str], None], on_converted: Callable[[int], None] = lambda n: None,
                 workers: int | None = None, cache: ConvertedStills | None = None):
        """`cache`: where converted stills are kept between builds (None: convert every still)."""
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.cache = cache
        # Converted stills waiting to be written are about 1.5 MB each; with a few of them ready
        # the workers keep busy while ReportLab lays out and writes.
        self.lookahead = 4 * self.workers
        self._on_failure, self._on_converted = on_failure, on_converted
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: dict[str, PressStill] = {}  # in the order the file will ask for them
        self._running: dict[str, Future[bytes]] = {}
        self.converted = 0
        self._names: set[str] = set()

    @property
    def total(self) -> int:
        """How many distinct stills this build has asked for so far."""
        return len(self._names)

    def still(self, data: bytes, size: tuple[int, int], what: str) -> PressStill:
        """A source for `canvas` drawing (`draw_on`) of the image in `data`, `size` pixels. Stills
        are asked for in the order the booklet prints them, so the first few are converted while
        the pages are laid out."""
        still = PressStill(self, data, size, what)
        self._names.add(still.name)
        self.expect(still)
        return still

    def expect(self, still: PressStill) -> None:
        """`still` will be written after the stills expected before it; its conversion starts
        now when fewer than `lookahead` are under way or waiting to be written."""
        if still.name not in self._running:
            self._waiting.setdefault(still.name, still)
        self._start_ahead()

    def take(self, still: PressStill) -> bytes:
        """The CMYK JPEG of `still` (converted now, or already, by a worker)."""
        self._waiting.pop(still.name, None)
        future = self._running.pop(still.name, None) or self._start(still)
        self._start_ahead()
        try:
            data = future.result()
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            self._on_failure(f"The still {still.what} cannot be converted for print "
                             f"({error or type(error).__name__}); its place prints blank.")
            data = _blank_cmyk_jpeg()
        self.converted += 1
        self._on_converted(self.converted)
        return data

    def _start(self, still: PressStill) -> Future[bytes]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="press-still")
        return self._pool.submit(self.cache.converted if self.cache else cmyk_jpeg, still.data)

    def _start_ahead(self) -> None:
        while self._waiting and len(self._running) < self.lookahead:
            name, ahead = next(iter(self._waiting.items()))
            del self._waiting[name]
            self._running[name] = self._start(ahead)

    def close(self) -> None:
        self._waiting.clear()
        for future in self._running.values():
            future.cancel()
        self._running.clear()
        self.converted = 0
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self.cache is not None:
            self.cache.trim()


class PressStill:
    """An sRGB still on its way to the press file: named and sized now, converted when written."""

    def __init__(self, converter: StillConverter, data: bytes, size: tuple[int, int], what: str):
        self.converter, self.data, self.size, self.what = converter, data, size, what
        self.name = "still-cmyk-" + hashlib.sha1(data).hexdigest()

    def draw_on(self, canvas, x: float, y: float, width: float, height: float) -> None:
        """Draw as `canvas.drawImage` would, with an image object that converts as it is written."""
        document = canvas._doc
        canvas._currentPageHasImages = 1
        registered = document.getXObjectName(self.name)
        if registered not in document.idToObject:
            image = _CmykImageObject(self)
            canvas._setXObjects(image)
            document.Reference(image, registered)
            document.addForm(self.name, image)
            self.converter.expect(self)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(width, height)
        canvas._code.append(f"/{registered} Do")
        canvas.restoreState()
        canvas._formsinuse.append(self.name)  # the page's resources list the image


class _CmykImageObject(PDFImageXObject):
    """ReportLab's JPEG image object, its data asked for only when the object is written."""

    def __init__(self, still: PressStill):  # the base class would read the image now
        self.still = still
        self.name = still.name
        self.width, self.height = still.size
        self.bitsPerComponent = 8
        self.colorSpace = "DeviceCMYK"
        self._dotrans = 1  # Pillow writes Adobe (inverted) CMYK JPEGs: Decode [1 0 1 0 1 0 1 0]
        self._filters = ("DCTDecode",)
        self.mask = None
        self.streamContent = b""

    def format(self, document):
        data = self.still.converter.take(self.still)
        with Image.open(io.BytesIO(data)) as converted:
            self.width, self.height = converted.size  # a blank stand-in is smaller
        self.streamContent = data
        try:
            return super().format(document)
        finally:
            self.streamContent = b""
