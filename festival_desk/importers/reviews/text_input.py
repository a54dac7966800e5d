"""Plain text (a .txt file or text pasted from the clipboard) into layout blocks."""

from __future__ import annotations

from festival_desk.importers.reviews.layout import Block


def text_blocks(text: str) -> list[Block]:
    """Blocks separated by blank lines; each keeps the lines it was written on.

    Any line end (LF, CRLF, CR) is accepted. A text with no blank line at all is one block whose
    lines the layout splits into paragraphs at sentence ends.
    """
    blocks: list[list[str]] = [[]]
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    lines_of_blocks = [lines for lines in blocks if lines]
    by_blank_lines = len(lines_of_blocks) > 1
    return [Block(lines, separated_by_blank_lines=by_blank_lines) for lines in lines_of_blocks]
