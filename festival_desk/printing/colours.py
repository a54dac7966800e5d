"""The colours of printed outputs, for the screen (RGB) and for the press (CMYK).

A press file is the same book in other inks: text, rules and folios in black (K) only, so that no
grey separates onto four plates and drifts out of register; section and accent colours converted
to CMYK through the shipped output profile (and used for fills only: accent text is black too) (`resources/color`, FOGRA39, coated offset), the same
profile the stills are converted with and the PDF/X OutputIntent names; crop marks in registration
colour (the "All" separation, on every plate).
"""

from __future__ import annotations

import importlib.resources
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms
from reportlab.lib import colors

PROFILE_NAME = "FestivalDesk-CMYK-FOGRA39.icc"
OUTPUT_CONDITION = "FOGRA39"  # ISO 12647-2:2004/Amd 1, coated paper (ISO Coated v2)
OUTPUT_CONDITION_TEXT = "Offset printing on coated paper, ISO 12647-2 (FOGRA39)"


def profile_path() -> Path:
    """The shipped CMYK output profile."""
    return Path(str(importlib.resources.files("festival_desk.resources") / "color" / PROFILE_NAME))


@lru_cache(maxsize=1)
def profile_bytes() -> bytes:
    return profile_path().read_bytes()


@lru_cache(maxsize=1)
def _rgb_to_cmyk_transform() -> ImageCms.ImageCmsTransform:
    source = ImageCms.createProfile("sRGB")
    target = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
    return ImageCms.buildTransform(source, target, "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def rgb_image_to_cmyk(image: Image.Image) -> Image.Image:
    """`image` (any mode) converted from sRGB to the press profile's CMYK."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    return ImageCms.applyTransform(image, _rgb_to_cmyk_transform())


@lru_cache(maxsize=256)
def _cmyk_of(red: int, green: int, blue: int) -> colors.CMYKColor:
    pixel = rgb_image_to_cmyk(Image.new("RGB", (1, 1), (red, green, blue))).getpixel((0, 0))
    return colors.CMYKColor(*(round(channel / 255, 3) for channel in pixel))


def to_cmyk(colour: colors.Color) -> colors.CMYKColor:
    """An RGB colour as the press profile prints it; a neutral grey as black ink only."""
    if isinstance(colour, colors.CMYKColor):
        return colour
    red, green, blue = (round(channel * 255) for channel in colour.rgb())
    if red == green == blue:
        return colors.CMYKColor(0, 0, 0, round(1 - red / 255, 3))
    return _cmyk_of(red, green, blue)


@dataclass(frozen=True)
class Palette:
    """The colours one document is printed in."""

    text: colors.Color
    muted: colors.Color
    rule: colors.Color
    accent: colors.Color  # fills: the cover band
    accent_text: colors.Color  # premiere labels, index letters
    tint: colors.Color
    placeholder: colors.Color
    paper: colors.Color
    marks: colors.Color
    press: bool = False

    def convert(self, colour: colors.Color) -> colors.Color:
        """`colour` (e.g. a section's colour, given in RGB) in this palette's colour space."""
        return to_cmyk(colour) if self.press else colour

    def markup(self, colour: colors.Color) -> str:
        """`colour` as a Paragraph `<font color=…>` value."""
        colour = self.convert(colour)
        if isinstance(colour, colors.CMYKColor):
            return f"cmyk({colour.cyan:g},{colour.magenta:g},{colour.yellow:g},{colour.black:g})"
        return "#" + colour.hexval()[2:]


SCREEN = Palette(
    text=colors.HexColor("#1a1a1a"),
    muted=colors.HexColor("#5c5c5c"),
    rule=colors.HexColor("#b8b8b8"),
    accent=colors.HexColor("#b3202a"),
    accent_text=colors.HexColor("#b3202a"),
    tint=colors.HexColor("#f2f0eb"),
    placeholder=colors.HexColor("#d9d6cf"),
    paper=colors.white,
    marks=colors.black,
)

PRESS = Palette(
    text=colors.CMYKColor(0, 0, 0, 0.9),
    muted=colors.CMYKColor(0, 0, 0, 0.64),
    rule=colors.CMYKColor(0, 0, 0, 0.28),
    accent=to_cmyk(SCREEN.accent),
    # All text is black ink on the press, accents included (bold and solid black set them apart).
    accent_text=colors.CMYKColor(0, 0, 0, 1),
    tint=colors.CMYKColor(0, 0, 0, 0.06),
    placeholder=colors.CMYKColor(0, 0, 0, 0.15),
    paper=colors.CMYKColor(0, 0, 0, 0),
    marks=colors.CMYKColorSep(1, 1, 1, 1, spotName="All"),
    press=True,
)
