"""Rebuild the shaped-script faces in resources/fonts from Debian's unmodified Noto faces.

Noto Sans Hebrew, Arabic, Devanagari and Thai carry their script but little or no Latin punctuation
(no comma, brackets or quotation marks in Hebrew and Thai). ReportLab shapes a word in the face of its
first character, so "(שלום)," or "“กรุงเทพ”" would print the punctuation as blanks. This script adds
the punctuation, digits and spaces of Noto Sans (same design, same units per em) to each of them and
names the result "Festival Desk <Script>" (SIL OFL 1.1 allows modified versions; Noto has no
Reserved Font Name).

Run once when the faces change (needs fontTools, which the program itself does not):
    python scripts/make_script_fonts.py /usr/share/fonts/truetype/noto
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "fonts"
SCRIPTS = ("Hebrew", "Arabic", "Devanagari", "Thai")
PUNCTUATION = [*range(0x20, 0x41), *range(0x5B, 0x61), *range(0x7B, 0x7F), *range(0xA0, 0xC0), 0xD7, 0xF7,
               *range(0x2010, 0x2028), *range(0x2030, 0x205F)]


def main(noto: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for weight in ("Regular", "Bold"):
            latin = TTFont(noto / f"NotoSans-{weight}.ttf")
            options = subset.Options()
            options.layout_features = ["kern"]
            options.name_IDs = ["*"]
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=PUNCTUATION)
            subsetter.subset(latin)
            latin_path = Path(folder) / f"latin-{weight}.ttf"
            latin.save(latin_path)
            for script in SCRIPTS:
                merged = Merger().merge([str(noto / f"NotoSans{script}-{weight}.ttf"), str(latin_path)])
                family = f"Festival Desk {script}"
                names = merged["name"]
                names.setName(family, 1, 3, 1, 0x409)
                names.setName(f"{family} {weight}", 4, 3, 1, 0x409)
                names.setName(f"FestivalDesk{script}-{weight}", 6, 3, 1, 0x409)
                names.setName(f"{family} {weight}: Noto Sans {script} with the punctuation of Noto Sans "
                              "(modified by Festival Desk)", 3, 3, 1, 0x409)
                merged.save(RESOURCES / f"NotoSans{script}-{weight}.ttf")
                print(f"NotoSans{script}-{weight}.ttf", (RESOURCES / f"NotoSans{script}-{weight}.ttf").stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/noto"))
