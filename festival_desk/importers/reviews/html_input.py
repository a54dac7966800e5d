"""A saved web page into layout blocks, with BeautifulSoup's html.parser (a real HTML parser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from festival_desk.core.errors import UserError
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


# Real pages nest elements a few dozen deep. Deeper nesting is refused: it is no review, the
# parser slows down with depth, and reading the tree goes one level of recursion per level.
MAX_NESTING = 200
# A review's page holds a few thousand elements; Python's HTML parser reads some 100,000 a second.
MAX_ELEMENTS = 40_000
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
# Elements with no end tag, or whose end tag is usually left out (closed by the next sibling).
_NOT_NESTING = frozenset("""
area base br col embed hr img input link meta param source track wbr p li dt dd option tr td th
""".split())


def _nesting_estimate(text: str, stop_at: int) -> int:
    """A quick count of open elements, before the page is parsed (the parser itself slows
    down on pathological nesting): end tags close, empty and self-closing elements don't open."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG_RE.findall(text):
        if closing:
            depth = max(0, depth - 1) if name.lower() not in _NOT_NESTING else depth
        elif not self_closing and name.lower() not in _NOT_NESTING:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
    return deepest


def _nesting(soup: BeautifulSoup, stop_at: int) -> int:
    """The depth of the parsed page's element tree (counted without recursion)."""
    deepest = 0
    stack = [(soup, 0)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > stop_at:
            break
        stack.extend((child, depth + 1) for child in element.children if isinstance(child, Tag))
    return deepest


def parse_html(text: str, source_name: str = "the page") -> BeautifulSoup:
    """The parsed page; `UserError` for a page of more than `MAX_ELEMENTS` tags or nested deeper
    than `MAX_NESTING` elements (both counted before the slower parse)."""
    too_deep = UserError(f"{source_name}: the page nests its elements more than {MAX_NESTING} deep; "
                         "save the review as plain text")
    elements = sum(1 for _ in _TAG_RE.finditer(text))
    if elements > MAX_ELEMENTS:
        raise UserError(f"{source_name}: the page has {elements:,} tags, more than the {MAX_ELEMENTS:,} we read "
                        "in a review's page; save the review as plain text")
    if _nesting_estimate(text, 4 * MAX_NESTING) > 4 * MAX_NESTING:
        raise too_deep
    soup = BeautifulSoup(text, "html.parser")
    if _nesting(soup, MAX_NESTING) > MAX_NESTING:
        raise too_deep
    return soup


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
