"""A Word document (.docx) into layout blocks, with python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from festival_desk.core.errors import UserError
from festival_desk.importers.packages import MB, check_package
from festival_desk.importers.reviews.layout import Block

# Unpacked, a review's Word document is its text and perhaps a few photographs.
MAX_UNPACKED = 60 * MB
# The body of a 5,000-word review is some 30 KB of text and rarely 1 MB of Word's XML. Word's
# paragraphs are read one by one through python-docx: 4 MB of XML (some 40,000 short paragraphs)
# still parses in a few seconds, 10 MB took over 10 s (bench_hostile's docx at this limit).
MAX_XML_PART = 4 * MB

_QUOTE_STYLES = ("quote", "intense quote")


def is_docx(data: bytes) -> bool:
    """True for a ZIP package holding a Word document body."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def check_docx_package(data: bytes, source_name: str) -> None:
    """Refuse a Word document that would unpack too large, is a ZIP bomb, or declares XML
    entities (see `importers.packages`), before anything in it is unpacked."""
    check_package(data, "Word document", max_total=MAX_UNPACKED, max_xml_part=MAX_XML_PART, name=source_name)


def docx_blocks(data: bytes, source_name: str) -> list[Block]:
    """One block per non-empty paragraph of the document body, in order. A line break inside a
    paragraph starts a new line of the block; the paragraph style says heading ("Title",
    "Heading n"), quote ("Quote", "Intense Quote") or caption ("Caption"); bold or italic runs
    opening a paragraph are its explicit subhead.

    The package is checked before it is unpacked (size, ratio, parts, XML entities: see
    `importers.packages`); every refusal is a one-line `UserError` naming `source_name`."""
    check_docx_package(data, source_name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError, EOFError,
            NotImplementedError) as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UserError(f"{source_name}: not a readable Word document ({reason})") from None
    blocks = []
    kinds: dict[str | None, str] = {}  # by style id: python-docx looks a style up anew on every call
    for paragraph in document.paragraphs:
        text = paragraph.text
        if not text.strip():
            continue
        style_id = paragraph._p.style
        if style_id not in kinds:
            kinds[style_id] = _kind(paragraph)
        kind = kinds[style_id]
        lines = text.split("\n")
        blocks.append(Block(lines, kind, _opening_emphasis(paragraph, lines[0]) if kind == "text" else None))
    return blocks


def _kind(paragraph: Paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "").lower()
    if style == "title" or style.startswith("heading"):
        return "heading"
    if style in _QUOTE_STYLES:
        return "quote"
    if style == "caption":
        return "caption"
    return "text"


def _opening_emphasis(paragraph: Paragraph, first_line: str) -> str | None:
    text = ""
    for run in paragraph.runs:
        if not (run.bold or run.italic) or "\n" in run.text:
            break
        text += run.text
    if text.strip() and first_line.startswith(text) and first_line[len(text):].strip():
        return text
    return None
