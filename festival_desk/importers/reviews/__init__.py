"""Critic reviews from plain text, Markdown, a saved web page, a Word document or pasted text.

Every input maps onto one `ParsedReview` (see `layout` for the layout read). Nothing here touches
a database.

    parse_review_file(path) -> ParsedReview     chooses the reader by extension and content
    parse_review_text(text, source_name) -> ParsedReview   for pasted text
"""

from __future__ import annotations

from pathlib import Path

from festival_desk.core.errors import UserError
from festival_desk.importers.reviews.layout import Block, interpret
from festival_desk.importers.reviews.model import ParsedCritic, ParsedFilm, ParsedReview, ReviewSection
from festival_desk.importers.reviews.reading import MAX_FILE_BYTES, decode_text, read_bytes
from festival_desk.importers.reviews.text_input import text_blocks

REVIEW_FILE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_ZIP_SIGNATURE = b"PK\x03\x04"  # a .docx is a ZIP package


def parse_review_text(text: str, source_name: str = "pasted text") -> ParsedReview:
    """A review from plain text (a .txt file's content or text pasted from the clipboard).

    Raises `UserError` naming `source_name` when the text is empty or not a review.
    """
    if not text.strip():
        raise UserError(f"{source_name}: there is no text")
    return interpret(text_blocks(text), raw_text=text.lstrip("\ufeff"), source_name=source_name,
                     source_format="text")


# The readers of Markdown (markdown-it), web pages (BeautifulSoup) and Word documents
# (python-docx) are imported by the functions that use them: a third of a second that plain text,
# pasted text and the desk's start-up do not pay.


def parse_review_markdown(text: str, source_name: str) -> ParsedReview:
    from festival_desk.importers.reviews.markdown_input import markdown_blocks

    return interpret(markdown_blocks(text), raw_text=text.lstrip("\ufeff"), source_name=source_name,
                     source_format="markdown")


def parse_review_html(text: str, source_name: str) -> ParsedReview:
    """A review from a saved web page: the page's article if it holds the whole review, else
    its main part, else the whole page."""
    from festival_desk.importers.reviews.html_input import (
        candidate_roots,
        html_blocks,
        page_outlet,
        parse_html,
    )

    soup = parse_html(text)
    outlet = page_outlet(soup)
    failure: UserError | None = None
    for root in candidate_roots(soup):
        blocks = html_blocks(root)
        try:
            return interpret(blocks, raw_text=_blocks_text(blocks), source_name=source_name,
                             source_format="html", outlet=outlet)
        except UserError as error:
            failure = failure or error
    assert failure is not None  # candidate_roots always gives the whole page
    raise failure


def parse_review_docx(data: bytes, source_name: str) -> ParsedReview:
    from festival_desk.importers.reviews.docx_input import docx_blocks

    blocks = docx_blocks(data, source_name)
    return interpret(blocks, raw_text=_blocks_text(blocks), source_name=source_name,
                     source_format="docx")


def parse_review_file(path: str | Path) -> ParsedReview:
    """A review from a file: Word by content (a .docx package), HTML by extension or content
    (`<!DOCTYPE html`/`<html`), Markdown by extension, plain text otherwise.

    Raises `UserError` naming the file when it is missing, empty, binary, over 50 MB, in an
    encoding no decoder explains, or not a review.
    """
    path = Path(path)
    name = str(path)
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if data.startswith(_ZIP_SIGNATURE):
        from festival_desk.importers.reviews.docx_input import is_docx

        if is_docx(data):
            return parse_review_docx(data, name)
    if suffix == ".docx":
        raise UserError(f"{name}: not a Word document (.docx), though the name says so")
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(f"{name}: an old Word .doc file; save it as .docx or plain text")
    if data.startswith(b"%PDF"):
        raise UserError(f"{name}: a PDF; save the review as plain text, Markdown or .docx")
    text = decode_text(data, name)
    if suffix in _HTML_SUFFIXES or _looks_like_html(text):
        return parse_review_html(text, name)
    if suffix in _MARKDOWN_SUFFIXES:
        return parse_review_markdown(text, name)
    return parse_review_text(text, name)


def _looks_like_html(text: str) -> bool:
    start = text.lstrip("\ufeff \t\r\n")[:64].lower()
    return start.startswith(("<!doctype html", "<html"))


def _blocks_text(blocks: list[Block]) -> str:
    return "\n\n".join("\n".join(line.strip() for line in block.lines if line.strip()) for block in blocks)


__all__ = [
    "MAX_FILE_BYTES",
    "REVIEW_FILE_SUFFIXES",
    "ParsedCritic",
    "ParsedFilm",
    "ParsedReview",
    "ReviewSection",
    "parse_review_file",
    "parse_review_text",
    "parse_review_markdown",
    "parse_review_html",
    "parse_review_docx",
]
