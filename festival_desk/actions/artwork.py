"""Generated artwork: abstract stills for films without one, and the booklet cover background.

Every picture is a pure function of its seed text: the same seed gives byte-identical JPEG data on
every run and machine (the random source is seeded from a SHA-256 of the seed, never from the
process hash), so a demo or generated festival always prints the same booklet.

The motif is a layered landscape (sky gradient, a low sun or moon, ridges that fade into haze,
film grain) in a palette drawn from the seed, so that a page of stills reads as a set of different
films rather than one pattern repeated.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

PRINT_DPI = 300
# 15 cm wide at 300 dpi, 16:9: the size a still is printed at in a booklet entry.
STILL_WIDTH = 1800
STILL_HEIGHT = 1013
# Drawn at a fraction of the final size and enlarged: soft edges for free and a fast render.
_SKETCH_SCALE = 4
_JPEG_QUALITY = 86


def _rng(seed: str, purpose: str) -> random.Random:
    digest = hashlib.sha256(f"{purpose}\x00{seed}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _hsl(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _vertical_gradient(size: tuple[int, int], top: tuple[int, int, int],
                       bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    column.putdata([_mix(top, bottom, i / 255) for i in range(256)])
    return column.resize(size, Image.Resampling.BICUBIC)


def _landscape(rng: random.Random, width: int, height: int) -> Image.Image:
    """The sketch of one picture at `width` x `height` (small; enlarged by the caller)."""
    # Skies stay in believable hues (blue, violet, amber, rose); the land takes its colour from them.
    hue = rng.choice((rng.uniform(0.53, 0.66), rng.uniform(0.70, 0.80), rng.uniform(0.02, 0.12),
                      rng.uniform(0.90, 0.98)))
    # Dusk, daylight or night: the three moods keep the palette believable.
    mood = rng.choice(("dusk", "day", "night"))
    if mood == "dusk":
        sky_top, sky_bottom = _hsl(hue, 0.45, 0.30), _hsl(hue + 0.12, 0.75, 0.70)
        ridge_near = _hsl(hue - 0.08, 0.35, 0.10)
    elif mood == "day":
        sky_top, sky_bottom = _hsl(hue, 0.35, 0.55), _hsl(hue + 0.05, 0.25, 0.86)
        ridge_near = _hsl(hue + 0.45, 0.30, 0.22)
    else:
        sky_top, sky_bottom = _hsl(hue, 0.50, 0.07), _hsl(hue + 0.03, 0.45, 0.28)
        ridge_near = _hsl(hue, 0.30, 0.04)

    image = _vertical_gradient((width, height), sky_top, sky_bottom)
    draw = ImageDraw.Draw(image)

    # The sun (or moon) sits low, behind the ridges.
    radius = min(width, height) * rng.uniform(0.07, 0.16)
    centre_x = width * rng.uniform(0.15, 0.85)
    centre_y = height * rng.uniform(0.30, 0.55)
    disc = _mix(sky_bottom, (255, 250, 235), 0.75 if mood != "night" else 0.9)
    halo = Image.new("L", (width, height), 0)
    ImageDraw.Draw(halo).ellipse((centre_x - radius * 2.2, centre_y - radius * 2.2,
                                  centre_x + radius * 2.2, centre_y + radius * 2.2), fill=90)
    halo = halo.filter(ImageFilter.GaussianBlur(radius))
    image = Image.composite(Image.new("RGB", (width, height), disc), image, halo)
    draw = ImageDraw.Draw(image)
    draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=disc)

    layers = rng.randint(3, 6)
    haze = sky_bottom
    for layer in range(layers):
        depth = (layer + 1) / layers  # 0 = far (pale, high), 1 = near (dark, low)
        colour = _mix(haze, ridge_near, depth ** 0.8)
        base = height * (0.45 + 0.45 * depth) + rng.uniform(-0.03, 0.03) * height
        amplitude = height * rng.uniform(0.03, 0.12) * (1.2 - depth * 0.5)
        waves = [(rng.uniform(0.5, 4.0), rng.uniform(0, math.tau), rng.uniform(0.2, 1.0)) for _ in range(3)]
        points = [(0, height)]
        for step in range(0, width + 8, 8):
            x = step / width
            offset = sum(weight * math.sin(x * math.tau * frequency + phase)
                         for frequency, phase, weight in waves)
            points.append((step, base - amplitude * offset))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    return image


@functools.lru_cache(maxsize=8)
def _grain(width: int, height: int) -> Image.Image:
    """Film grain for a picture of this size: the same for every picture (a fixed seed), which is
    what real stock does and saves generating it per still."""
    tile_rng = random.Random(0x5EED)
    tile = Image.frombytes("L", (256, 256), tile_rng.randbytes(256 * 256))
    tile = tile.point(lambda v: 128 + (v - 128) // 10)
    grain = Image.new("L", (width, height))
    for top in range(0, height, 256):
        for left in range(0, width, 256):
            grain.paste(tile, (left, top))
    return Image.merge("RGB", (grain, grain, grain))


@functools.lru_cache(maxsize=8)
def _vignette(width: int, height: int) -> Image.Image:
    """A mask that is white in the middle and falls off towards the corners, as a lens does."""
    small_width, small_height = max(8, width // 16), max(8, height // 16)
    mask = Image.new("L", (small_width, small_height), 0)
    ImageDraw.Draw(mask).ellipse((-small_width // 5, -small_height // 5, small_width * 6 // 5,
                                  small_height * 6 // 5), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(small_width / 10)).resize((width, height), Image.Resampling.BICUBIC)


def _finish(sketch: Image.Image, width: int, height: int, dpi: int = PRINT_DPI) -> bytes:
    """Enlarge the sketch to print size, add grain and a vignette, and encode as a JPEG at `dpi`."""
    picture = sketch.filter(ImageFilter.SMOOTH).resize((width, height), Image.Resampling.BILINEAR)
    picture = ImageChops.add(picture, _grain(width, height), scale=1.0, offset=-128)
    darker = picture.point(lambda v: int(v * 0.72))
    picture = Image.composite(picture, darker, _vignette(width, height))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=_JPEG_QUALITY, dpi=(dpi, dpi))
    return out.getvalue()


def make_still(seed: str, title: str, width: int = STILL_WIDTH, height: int = STILL_HEIGHT) -> bytes:
    """An abstract film still as JPEG bytes (RGB, 300 dpi, `width` x `height` pixels).

    Deterministic: the same `seed` and `title` always give the same bytes; different seeds give
    visibly different pictures. The title only varies the picture; it is never drawn on it.
    """
    if width < 16 or height < 16:
        raise ValueError(f"a still must be at least 16 x 16 pixels, not {width} x {height}")
    rng = _rng(f"{seed}\x00{title}", "still")
    sketch = _landscape(rng, max(16, width // _SKETCH_SCALE), max(16, height // _SKETCH_SCALE))
    return _finish(sketch, width, height)


def cover_size(width_mm: float, height_mm: float, dpi: int = PRINT_DPI) -> tuple[int, int]:
    """Pixels for a picture printed at `width_mm` x `height_mm` at `dpi`."""
    return round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)


def make_cover(seed: str, width_mm: float = 154.0, height_mm: float = 216.0, dpi: int = PRINT_DPI) -> bytes:
    """The booklet cover background as JPEG bytes, sized for `width_mm` x `height_mm` at `dpi`.

    The default is an A5 page plus 3 mm bleed on every side. The picture carries no text (the
    booklet sets the festival name in its own fonts over it) and keeps its upper third quiet sky,
    where a title reads well. Deterministic in `seed`, like `make_still`.
    """
    width, height = cover_size(width_mm, height_mm, dpi)
    if width < 16 or height < 16:
        raise ValueError(f"a cover must be at least 16 x 16 pixels, not {width} x {height}")
    rng = _rng(seed, "cover")
    sketch = _landscape(rng, width // _SKETCH_SCALE, height // _SKETCH_SCALE)
    return _finish(sketch, width, height, dpi)
