"""A saved web page into layout blocks, with BeautifulSoup's html.parser (a real HTML parser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from festival_desk.importers.reviews.layout import Block

_BLOCK_TAGS = frozenset("""
address article aside blockquote body center dd details dialog div dl dt fieldset figcaption
figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary
table tbody td tfoot th thead tr ul
""".split())
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Page furniture that is never part of a review's text.
_DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "form", "button", "svg",
                 "iframe", "select", "textarea", "head", "img", "picture", "video", "audio")
_EMPHASIS_TAGS = frozenset("strong b em i".split())
# HTML collapses runs of ASCII white space; a no-break space is text and stays.
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")


def parse_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def page_outlet(soup: BeautifulSoup) -> str | None:
    """The publication a saved page comes from (its `og:site_name`), if the page says."""
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    return content.strip() if isinstance(content, str) and content.strip() else None


def candidate_roots(soup: BeautifulSoup) -> list[Tag]:
    """Where the review may be, narrowest first: the page's largest <article>, its <main>, the
    whole page (the byline sometimes sits outside the article)."""
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    roots: list[Tag] = []
    articles = soup.find_all("article")
    if articles:
        roots.append(max(articles, key=lambda article: len(article.get_text())))
    main = soup.find("main")
    if isinstance(main, Tag):
        roots.append(main)
    roots.append(soup.body if isinstance(soup.body, Tag) else soup)
    return roots


def html_blocks(root: Tag) -> list[Block]:
    """The blocks of an element's text in document order: each run of inline content between
    block elements is a block; headings, block quotes and figure captions say so in `kind`;
    a bold or italic run opening a paragraph is its explicit subhead."""
    return list(_blocks(root, "text"))


def _blocks(element: Tag, kind: str) -> Iterator[Block]:
    if element.name in _HEADING_TAGS:
        kind = "heading"
    elif element.name == "blockquote":
        kind = "quote"
    elif element.name == "figcaption":
        kind = "caption"
    run: list[NavigableString | Tag] = []
    for child in element.children:
        if isinstance(child, Tag) and child.name in _BLOCK_TAGS:
            yield from _run_block(run, kind, preformatted=element.name == "pre")
            run = []
            yield from _blocks(child, kind)
        else:
            run.append(child)
    yield from _run_block(run, kind, preformatted=element.name == "pre")


def _run_block(run: list[NavigableString | Tag], kind: str, preformatted: bool) -> Iterator[Block]:
    lines = [""]
    for piece in _texts(run, preformatted):
        if piece == "\n":
            lines.append("")
        else:
            lines[-1] += piece
    lines = [line.strip(" ") for line in lines]
    if not any(line.strip() for line in lines):
        return
    lead = _opening_emphasis(run, lines) if kind == "text" else None
    yield Block(lines, kind, lead)


def _texts(nodes: list[NavigableString | Tag], preformatted: bool) -> Iterator[str]:
    """The text of inline nodes in order, a line break as "\\n"."""
    for node in nodes:
        if isinstance(node, Tag):
            if node.name == "br":
                yield "\n"
            else:
                yield from _texts(list(node.children), preformatted or node.name == "pre")
        elif type(node) is NavigableString:  # comments, doctypes and the like are no text
            if preformatted:
                yield from re.split(r"(\n)", str(node))
            else:
                yield _HTML_SPACE_RE.sub(" ", str(node))


def _opening_emphasis(run: list[NavigableString | Tag], lines: list[str]) -> str | None:
    first = next((node for node in run if not (isinstance(node, NavigableString) and not node.strip())), None)
    if not isinstance(first, Tag) or first.name not in _EMPHASIS_TAGS or first.find("br"):
        return None
    text = "".join(_texts([first], False)).strip()
    first_line = lines[0].lstrip()
    if text and first_line.startswith(text) and first_line[len(text):].strip():
        return text
    return None
