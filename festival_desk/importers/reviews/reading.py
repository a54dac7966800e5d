"""Reading a review file's bytes safely: size limit, binary detection and text decoding."""

from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from festival_desk.core import files
from festival_desk.core.errors import UserError

# A review is a few thousand words: 4 MB of text (a saved web page with its scripts included) is
# far more than any; a Word document may carry photographs, and its XML parts are checked before
# they are unpacked (`importers.packages`).
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DOCX_BYTES = 20 * 1024 * 1024
# Parsing slows down with markup density (pathological Markdown emphasis and links, or pages made
# of nothing but tags, parse at tens of kilobytes a second): these formats get smaller limits,
# still far above any review written in them.
MAX_HTML_BYTES = 3 * 1024 * 1024
MAX_MARKDOWN_BYTES = 512 * 1024
# A review is prose: a guessed encoding whose result is this chaotic is a wrong guess.
_MAX_CHAOS = 0.3
_SNIFF_BYTES = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing a missing, unreadable, empty or oversized file (the size is
    checked before reading, so a huge file is never loaded: `MAX_DOCX_BYTES` for a Word document,
    `MAX_FILE_BYTES` for any other) and a festival file that is open."""
    files.check_not_live(path, "read")
    try:
        with open(path, "rb") as handle:
            is_package = handle.read(4) == b"PK\x03\x04"
    except OSError:
        is_package = False  # read_input says what is wrong with the file
    limit = MAX_DOCX_BYTES if is_package else MAX_FILE_BYTES
    data = files.read_input(path, limit=limit, what="Word document" if is_package else "review file")
    if not data.strip():
        raise UserError(f"{path}: the file is empty")
    return data


def check_size(data: bytes, limit: int, what: str, source_name: str) -> None:
    """Refuse `data` longer than `limit` bytes, in one line naming the file, its kind and the limit."""
    if len(data) > limit:
        raise UserError(f"{source_name}: the {what} is {files.size_text(len(data))}, larger than the "
                        f"{files.size_text(limit)} we read as a review")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any single-byte or UTF-8 encoding (NUL or many
    control bytes near the start). UTF-16 text is recognised by its byte-order mark first."""
    if data.startswith(_UTF16_BOMS):
        return False
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def decode_text(data: bytes, source_name: str) -> str:
    """Decode a text file: UTF-8 with or without a byte-order mark, UTF-16 with one, else the
    encoding charset-normalizer finds. The byte-order mark is dropped. Raises `UserError` naming
    `source_name` for binary data or text no encoding explains."""
    if looks_binary(data):
        raise UserError(f"{source_name}: this is a binary file, not a review in text form")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as error:
            raise UserError(f"{source_name}: starts as UTF-8 but byte {error.start} is not UTF-8") from None
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"{source_name}: starts as UTF-16 but is not valid UTF-16") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise UserError(f"{source_name}: cannot tell the text encoding; save the file as UTF-8")
    return str(best)
