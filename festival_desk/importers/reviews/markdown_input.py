"""Markdown into layout blocks, through markdown-it-py's token stream (CommonMark)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from festival_desk.importers.reviews.layout import Block

_PARSER = MarkdownIt("commonmark")
_TEXT_TOKENS = ("text", "code_inline", "html_inline")


def _opening_emphasis(children: list[Token], first_line: str) -> str | None:
    """The bold or italic run opening a paragraph, when more text follows it on its line: an
    explicit subhead ("**Intriguing people.** In search of …")."""
    if not children or children[0].type not in ("strong_open", "em_open"):
        return None
    depth, text = 0, ""
    for child in children:
        if child.type.endswith("_open"):
            depth += 1
        elif child.type.endswith("_close"):
            depth -= 1
            if depth == 0:
                break
        elif child.type in _TEXT_TOKENS:
            text += child.content
        else:
            return None  # a break inside the bold run: a bold header line, not a subhead
    if text.strip() and first_line.startswith(text) and first_line[len(text):].strip():
        return text
    return None


def _inline_lines(inline: Token) -> tuple[list[str], str | None]:
    """The text of an inline token as lines (soft and hard breaks end a line) and its explicit
    subhead. Inline HTML is kept as the characters typed: a review's "<" is text, not markup."""
    children = inline.children or []
    lines = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in _TEXT_TOKENS:
            lines[-1] += child.content
    return lines, _opening_emphasis(children, lines[0])


def markdown_blocks(text: str) -> list[Block]:
    """Paragraphs, headings, block quotes and list items of a Markdown text, in order.

    Images are left out (a paragraph with only an image is no block); raw HTML and code blocks
    are kept as the text typed.
    """
    blocks: list[Block] = []
    quote_depth = 0
    in_heading = False
    for token in _PARSER.parse(text.lstrip("\ufeff")):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline":
            lines, lead = _inline_lines(token)
            if in_heading:
                blocks.append(Block(lines, "heading"))
            elif quote_depth:
                blocks.append(Block(lines, "quote"))
            else:
                blocks.append(Block(lines, "text", lead))
        elif token.type in ("fence", "code_block", "html_block"):
            blocks.append(Block(token.content.splitlines()))
    return blocks
