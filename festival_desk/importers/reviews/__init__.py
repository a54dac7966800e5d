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
from festival_desk.importers.reviews.reading import (
    MAX_FILE_BYTES, MAX_HTML_BYTES, MAX_MARKDOWN_BYTES, check_size, decode_text, read_bytes,
)
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


# Markdown's inline marks (emphasis, links, code, raw HTML): a review has some hundreds; the parser
# reads pathological runs of them at some 30,000 a second.
_MARKDOWN_MARKS = "*_[]`<"
MAX_MARKDOWN_MARKS = 20_000


def parse_review_markdown(text: str, source_name: str) -> ParsedReview:
    """A review from Markdown (CommonMark). Refused in one line when it holds more than
    `MAX_MARKDOWN_MARKS` emphasis, link, code or HTML marks (no review does)."""
    from festival_desk.importers.reviews.markdown_input import markdown_blocks

    marks = sum(text.count(mark) for mark in _MARKDOWN_MARKS)
    if marks > MAX_MARKDOWN_MARKS:
        raise UserError(f"{source_name}: the Markdown holds {marks:,} emphasis, link and code marks, more than "
                        f"the {MAX_MARKDOWN_MARKS:,} we read in a review; save the review as plain text")

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

    soup = parse_html(text, source_name)
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

    Raises `UserError` naming the file when it is missing, empty, binary, larger than a review is
    (`MAX_FILE_BYTES`, a Word document `MAX_DOCX_BYTES`), a ZIP bomb or XML with entities, in an
    encoding no decoder explains, or not a review.
    """
    path = Path(path)
    name = str(path)
    data = read_bytes(path)
    suffix = path.suffix.lower()
    if data.startswith(_ZIP_SIGNATURE):
        from festival_desk.importers.reviews.docx_input import check_docx_package, is_docx

        check_docx_package(data, name)  # before the package's directory is read
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
        check_size(data, MAX_HTML_BYTES, "web page", name)
        return parse_review_html(text, name)
    if suffix in _MARKDOWN_SUFFIXES:
        check_size(data, MAX_MARKDOWN_BYTES, "Markdown file", name)
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
