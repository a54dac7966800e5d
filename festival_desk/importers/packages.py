"""Office files (Excel .xlsx, Word .docx) are ZIP packages of XML parts: `check_package` looks at
one before anything in it is unpacked by a reader library.

Guarantees, each refusal a one-line `UserError` naming the file and the limit:
- the number of parts is read from the package's end record before the central directory is
  parsed (a package listing a million parts never becomes a million objects);
- the unpacked size of all parts together, and of each XML part, is below the caller's limits,
  and no part larger than `RATIO_FROM` unpacks to more than `MAX_RATIO` times its packed size (a
  ZIP bomb is refused unread; Python's zipfile never unpacks past a part's stated size, so a part
  that lies about its size fails its checksum instead);
- no XML part declares a document type (`<!DOCTYPE`), the only place where XML entities are
  declared: entity expansion ("billion laughs") and external entities (a file or URL pulled into
  the text) are refused before a parser sees them. Office files never declare one.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

from festival_desk.core import files
from festival_desk.core.errors import UserError

MB = 1024 * 1024
MAX_PARTS = 10_000
MAX_RATIO = 100
RATIO_FROM = 1 * MB  # small parts compress unevenly; the ratio is checked above this size

_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_SCAN_CHUNK = 1 * MB
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def _part_count(handle: BinaryIO) -> int | None:
    """The number of parts the package's end record states (None when there is no end record)."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, 65_535 + 22 + 20)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) < at + 22:
        return None
    count = struct.unpack("<H", tail[at + 10: at + 12])[0]
    locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
    if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 20:
        offset = struct.unpack("<Q", tail[locator + 8: locator + 16])[0]
        if offset + 56 <= size:
            handle.seek(offset)
            record = handle.read(56)
            if record.startswith(_ZIP64_END):
                count = struct.unpack("<Q", record[32:40])[0]
    return count


def _declares_doctype(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    overlap = max(len(marker) for marker in _DOCTYPES) - 1
    previous = b""
    with package.open(info) as part:
        while chunk := part.read(_SCAN_CHUNK):
            window = previous + chunk
            if any(marker in window for marker in _DOCTYPES):
                return True
            previous = window[-overlap:]
    return False


def check_package(source: str | Path | bytes, what: str, *, max_total: int, max_xml_part: int | None = None,
                  name: str | None = None) -> None:
    """Refuse the package `source` (a file, or its bytes; `name` names it in messages; an "Excel workbook", a "Word document": `what`) when it is
    not a ZIP package, lists more than `MAX_PARTS` parts, would unpack to more than `max_total`
    bytes (or an XML part to more than `max_xml_part`), holds a part that unpacks to more than
    `MAX_RATIO` times its size, or declares XML entities. Reads the package's directory and
    streams its XML parts; nothing is kept in memory."""
    path = name or str(source if not isinstance(source, bytes) else "the file")
    with ExitStack() as stack:
        handle = io.BytesIO(source) if isinstance(source, bytes) else stack.enter_context(open(source, "rb"))
        _check(handle, path, what, max_total, max_xml_part)


def _check(handle: BinaryIO, path: str, what: str, max_total: int, max_xml_part: int | None) -> None:
    try:
        count = _part_count(handle)
    except OSError as error:
        raise UserError(f"{path}: cannot read the {what} ({error.strerror or error})") from None
    if count is None:
        raise UserError(f"{path}: not a readable {what} (damaged, or not a ZIP package)")
    if count > MAX_PARTS:
        raise UserError(f"{path}: the {what} holds {count:,} parts, more than the {MAX_PARTS:,} parts "
                        "we unpack; it is not an ordinary Office file")
    try:
        with zipfile.ZipFile(handle) as package:
            infos = package.infolist()
            total = 0
            for info in infos:
                total += info.file_size
                if total > max_total:
                    raise UserError(f"{path}: the {what} would unpack to more than {files.size_text(max_total)}, "
                                    "the most we unpack; save a smaller file")
                is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
                if is_xml and max_xml_part is not None and info.file_size > max_xml_part:
                    raise UserError(f"{path}: its part {info.filename} would unpack to "
                                    f"{files.size_text(info.file_size)}, more than the {files.size_text(max_xml_part)} "
                                    f"we read in a {what}")
                if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UserError(f"{path}: its part {info.filename} would unpack to "
                                    f"{files.size_text(info.file_size)} from {files.size_text(info.compress_size)}, more "
                                    f"than {MAX_RATIO} times its packed size; we do not unpack such files")
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES) and _declares_doctype(package, info):
                    raise UserError(f"{path}: the {what} uses XML entities (a document type in "
                                    f"{info.filename}), which we do not read")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as error:
        raise UserError(f"{path}: not a readable {what} ({error})") from None
    except RuntimeError as error:  # an encrypted part
        raise UserError(f"{path}: not a readable {what} ({error})") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read the {what} ({error.strerror or error})") from None


def is_zip_package(path: str | Path) -> bool:
    """True when the file starts as a ZIP package does (read: its first four bytes)."""
    try:
        with open(os.fspath(path), "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False
