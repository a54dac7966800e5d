"""The review layout, independent of the file format: header lines, then a body of paragraphs.

Every input format reduces its document to a list of `Block`s (a paragraph, a heading, a block
quote or a caption, each made of the lines it was written on) and `interpret` reads the layout
from them:

    Critic name
    Critic bio                                        (optional)
    TAGS, IN CAPITALS: A one-sentence standfirst.     (optional)
    Film title, or "Original title (Translation)"
    Director, Director
    Country, Country, Year
    Body paragraphs, with in-line subheads, pull quotes and captions among them.

The line of countries and year anchors the header: the two lines before it are the title and the
directors, whatever else is there or missing above them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from festival_desk.core.errors import UserError
from festival_desk.core.text import fold
from festival_desk.importers.reviews.model import ParsedCritic, ParsedFilm, ParsedReview, ReviewSection

# How far into the document the line of countries and year may be (counted in non-empty lines).
_MAX_HEADER_LINES = 16
_EARLIEST_YEAR, _LATEST_YEAR = 1870, 2100


@dataclass
class Block:
    """One block of a document as its format delimits it.

    `kind`: "text" (a paragraph), "heading" (an explicit heading element), "quote" (a block quote)
    or "caption" (a figure caption). `lines` are the lines it was written on (hard-wrapped or with
    line breaks); `lead` is an explicitly marked subhead opening the block (bold in Markdown,
    HTML or Word), which `lines[0]` starts with.
    """

    lines: list[str]
    kind: str = "text"
    lead: str | None = None
    separated_by_blank_lines: bool = True


@dataclass
class _Document:
    blocks: list[Block]
    raw_text: str
    source_name: str
    source_format: str
    outlet: str | None = None
    # Paragraphs are one per block; False for plain text without a single blank line, where each
    # line ending a sentence ends a paragraph.
    paragraphs_by_block: bool = True


# --- header ---------------------------------------------------------------------------------

_YEAR_LINE_RE = re.compile(
    r"(?:(?P<countries>.*?)[\s,;/]+)?(?P<year>\d{4})\.?"
    r"(?:\s*[,;]\s*\d{1,3}\s*(?:min|mins|minutes|['’′])\.?)?"
)
_COUNTRY_SEPARATORS_RE = re.compile(r"\s*[,;/]\s*")
_NOT_IN_A_COUNTRY_RE = re.compile(r"[.!?:\"«»“”]|\d")
_COUNTRY_ALIASES = {
    "russia", "the netherlands", "netherlands", "holland", "uk", "usa", "us", "the uk", "the usa",
    "united states", "great britain", "england", "scotland", "wales", "northern ireland",
    "south korea", "north korea", "kosovo", "iran", "syria", "czech republic", "czechia",
    "bosnia and herzegovina", "bosnia & herzegovina", "vietnam", "taiwan", "palestine", "bolivia",
    "venezuela", "tanzania", "moldova", "macedonia", "north macedonia", "laos", "the philippines",
    "ivory coast", "the gambia", "congo", "dr congo", "turkey", "türkiye", "yugoslavia", "ussr",
    "soviet union", "west germany", "east germany", "hong kong", "macau",
}
_TAGS_RE = re.compile(r"(?P<tags>[^:]{1,200}?)\s*:\s*(?P<rest>.*)")
_TAG_SEPARATORS_RE = re.compile(r"\s*[,;|·•]\s*")
_BYLINE_RE = re.compile(r"(?:(?:written|review|reviewed)\s+)?by\s+(?=\S)", re.IGNORECASE)
_DIRECTOR_PREFIX_RE = re.compile(r"(?:directed\s+by|directors?\s*:|dir\.\s*:?)\s*", re.IGNORECASE)
_DIRECTOR_SEPARATORS_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_TRANSLATED_TITLE_RE = re.compile(r"(?P<main>.*?\S)\s*\((?P<translation>[^()]+)\)")
_NOT_A_TRANSLATION_RE = re.compile(
    r"\d+|[ivxlc]+|(?:part|pt|vol|volume|episode|chapter|ep)\b.*", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def _is_country_name(name: str) -> bool:
    folded = fold(name)
    if folded in _COUNTRY_ALIASES:
        return True
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def _country_parts(text: str) -> list[str] | None:
    """The countries of a comma-separated list, or None when `text` is not such a list."""
    parts = [part for part in _COUNTRY_SEPARATORS_RE.split(text.strip(" ,;")) if part]
    if not parts or len(parts) > 15:
        return None
    for part in parts:
        if len(part) > 60 or _NOT_IN_A_COUNTRY_RE.search(part) or not any(ch.isalpha() for ch in part):
            return None
    return parts


def countries_and_year(line: str) -> tuple[list[str], int] | None:
    """("The Netherlands, Belgium, 2017") -> (["The Netherlands", "Belgium"], 2017); None when
    the line is not a list of countries ending with a year."""
    if len(line) > 300:
        return None
    match = _YEAR_LINE_RE.fullmatch(line.strip())
    if match is None:
        return None
    year = int(match["year"])
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    if not match["countries"]:
        return [], year
    parts = _country_parts(match["countries"])
    return (parts, year) if parts is not None else None


def _countries_with_year(line: str) -> bool:
    found = countries_and_year(line)
    return bool(found and found[0])


def _year_alone(line: str) -> bool:
    found = countries_and_year(line)
    return bool(found and not found[0])


def countries_without_year(line: str) -> list[str] | None:
    """A line listing only known countries (the year left out), else None."""
    if len(line) > 300:
        return None
    parts = _country_parts(line)
    if parts and all(_is_country_name(part) for part in parts):
        return parts
    return None


def _is_tags_line(line: str) -> re.Match[str] | None:
    match = _TAGS_RE.fullmatch(line)
    if match is None:
        return None
    tags = match["tags"]
    if any(ch.isalpha() for ch in tags) and tags == tags.upper():
        return match
    return None


def _is_capitals_only(line: str) -> bool:
    return any(ch.isalpha() for ch in line) and line == line.upper() and len(line) <= 200


def _split_tags(text: str) -> list[str]:
    return [tag for tag in _TAG_SEPARATORS_RE.split(text.strip()) if tag]


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def split_title(line: str) -> tuple[str, str | None]:
    """(title, original title) from a title line.

    "Красная душа (The Red Soul)" -> ("The Red Soul", "Красная душа"): an original title carries
    its translation in parentheses, and the translation is the title the festival uses. A
    parenthesis that is not a translation ("(Part 2)", "(1984)") stays in the title.
    """
    match = _TRANSLATED_TITLE_RE.fullmatch(line.strip())
    if match is None:
        return line.strip(), None
    main, translation = match["main"].strip(), match["translation"].strip()
    if (not any(ch.isalpha() for ch in translation)
            or _NOT_A_TRANSLATION_RE.fullmatch(translation)):
        return line.strip(), None
    if _is_latin(main) and not _is_latin(translation):
        return main, translation  # "The Red Soul (Красная душа)": the original in parentheses
    return translation, main


def split_directors(line: str) -> list[str]:
    text = _DIRECTOR_PREFIX_RE.sub("", line.strip(), count=1)
    return [name for name in _DIRECTOR_SEPARATORS_RE.split(text) if name]


def _strip_byline(line: str) -> str:
    return _BYLINE_RE.sub("", line.strip(), count=1)


def _join(lines: list[str]) -> str | None:
    return join_wrapped(lines) or None


# --- body -------------------------------------------------------------------------------------

_CLOSING_QUOTES = {"«": "»", "“": "”", "„": "“”", "»": "«", '"': '"', "‘": "’"}
_SENTENCE_BREAK_RE = re.compile(r"[.!?…][\"'»”’)\]]*\s+[\"'«“„‘(\[]*\w")
_ENDS_SENTENCE_RE = re.compile(r"[.!?…:][\"'»”’)\]]*$")
_AGENCY_RE = re.compile(
    r"\b(?:REUTERS|Reuters|AFP|AP|EPA|ANSA|DPA|dpa|TASS|Xinhua|XINHUA|Getty Images)"
    r"(?:\s+PHOTO|\s+Photo)?\s*/\s*\w"
    r"|\(\s*AP Photo\b"
    r"|\(\s*[A-Z][A-Z .,'-]*\s*[-–—]\s*Tags:"
)
_PICTURE_CODE_RE = re.compile(r"[-–—]\s*[A-Z]{3}(?=[0-9A-Z]*\d)[0-9A-Z]{4,}\s*$")
_CREDIT_START_RE = re.compile(
    r"(?:(?:photo|photograph|picture|image|still|credit|foto)s?\s*(?::|by\b|©)"
    r"|courtesy\b|©|\(c\)\s|copyright\b)",
    re.IGNORECASE,
)
_CREDIT_END_RE = re.compile(
    r"(?:(?:photo|photograph|picture|image|still|credit)s?\s*(?::|by\b)|courtesy of\b|©)"
    r"[^.!?]{1,100}[.]?\s*$",
    re.IGNORECASE,
)
_MAX_CAPTION_CHARS = 600
# Credits and picture codes close a caption: only its end need be searched for them.
_CREDIT_TAIL_CHARS = 140
_CREDIT_WORDS = ("photo", "picture", "image", "still", "credit", "courtesy", "©")
_PICTURE_CODE_CHARS = 24
# A subhead is a short phrase ("Intriguing people.", "What it is really about."); a paragraph
# opening with a short sentence ("It works. …", "Stalin is back. …") has no subhead. The tell: a
# sentence starts with a personal pronoun, or has a finite verb that no relative or question word
# ("what", "who", "that" …) introduces.
_PRONOUN_SUBJECTS = frozenset("i you he she it we they there here".split())
_RELATIVE_WORDS = frozenset("what who whom whose which that how why where when whatever".split())
_FINITE_VERBS = frozenset("""
is are was were be am has have had do does did can could will would shall should may might must
says said seems seemed feels felt looks looked makes made gets got goes went comes came knows knew
shows showed tells told lies lives lived works worked lets sees saw ends ended begins began starts
started
""".split())
_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr vs etc no prof gen col lt sgt fr mt ft".split())
_LEAD_RE = re.compile(r"(?P<phrase>[^\W\d_][^.!?:;]{0,70}?)\.\s+(?P<rest>[\"'«“„‘(\[]*(?P<opening>\w).*)", re.DOTALL)
_MAX_SUBHEAD_WORDS = 6
_NOT_IN_A_SUBHEAD_RE = re.compile(r"[.!?:;,…\"«»“”]")


def join_wrapped(lines: list[str]) -> str:
    """Lines hard-wrapped inside a paragraph joined back into it: with a space, or with none
    after a word broken at a hyphen ("docu-" + "mentary" stays "docu-mentary")."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            text += line
        else:
            text += " " + line
    return text


def unquote(paragraph: str) -> str | None:
    """The text inside a paragraph wholly enclosed in one pair of quotation marks, else None."""
    if len(paragraph) < 3:
        return None
    closings = _CLOSING_QUOTES.get(paragraph[0])
    if closings is None or paragraph[-1] not in closings:
        return None
    closing = paragraph[-1]
    inner = paragraph[1:-1].strip()
    # «A» and «B» is two quotes side by side, not one.
    if closing in inner and paragraph[0] not in inner[: inner.find(closing)]:
        return None
    return inner or None


def is_single_sentence(text: str) -> bool:
    return _SENTENCE_BREAK_RE.search(text) is None


def is_caption(paragraph: str) -> bool:
    """A photo caption or an agency or photo credit (not part of the review's text)."""
    if len(paragraph) > _MAX_CAPTION_CHARS:
        return False
    if _CREDIT_START_RE.match(paragraph):
        return True
    # Cheap substring tests first: searching every paragraph with the patterns is most of the
    # cost of parsing.
    tail = paragraph[-_CREDIT_TAIL_CHARS:]
    folded_tail = tail.lower()
    if any(word in folded_tail for word in _CREDIT_WORDS) and _CREDIT_END_RE.search(tail):
        return True
    if _PICTURE_CODE_RE.search(paragraph[-_PICTURE_CODE_CHARS:]):
        return True
    return ("/" in paragraph or "Tags:" in paragraph) and _AGENCY_RE.search(paragraph) is not None


def _subhead_words_ok(phrase: str) -> bool:
    words = [word.strip("\"'«»“”‘’()[],").lower() for word in phrase.split()]
    if not 1 <= len(words) <= _MAX_SUBHEAD_WORDS:
        return False
    if words[-1] in _ABBREVIATIONS or len(words[-1]) < 2:
        return False  # "Mr. Smith …", "J. Smith …": an abbreviation, not the end of a phrase
    if words[0] in _PRONOUN_SUBJECTS:
        return False
    for word in words:
        if word in _RELATIVE_WORDS:
            return True
        if word in _FINITE_VERBS:
            return False
    return True


def split_lead_subhead(paragraph: str) -> tuple[str | None, str]:
    """("Intriguing people. In search of …") -> ("Intriguing people", "In search of …").

    A paragraph opened by a short verbless phrase ending in a full stop and followed by a new
    sentence carries an in-line subhead; any other paragraph comes back as (None, paragraph).
    """
    match = _LEAD_RE.match(paragraph)
    if (match is None or match["opening"].islower() or not match["phrase"][0].isupper()
            or not _subhead_words_ok(match["phrase"])):
        return None, paragraph
    return match["phrase"].strip(), match["rest"].strip()


def _is_standalone_subhead(paragraph: str) -> bool:
    """A paragraph that is only a short phrase ("Intriguing people." on a line of its own)."""
    phrase = paragraph[:-1] if paragraph.endswith(".") and not paragraph.endswith("..") else paragraph
    if not phrase or not phrase[0].isupper() or _NOT_IN_A_SUBHEAD_RE.search(phrase):
        return False
    return _subhead_words_ok(phrase)


def heading_text(text: str) -> str:
    """A subhead as shown: its closing full stop or colon dropped, the rest as written."""
    text = text.strip()
    if text.endswith((".", ":")) and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


@dataclass
class _BodyItem:
    text: str
    kind: str  # "paragraph", "heading", "lead", "quote", "caption"
    lead: str | None = None
    quote_text: str | None = None


# --- interpretation ---------------------------------------------------------------------------


def interpret(blocks: list[Block], *, raw_text: str, source_name: str, source_format: str,
              outlet: str | None = None) -> ParsedReview:
    """Read the review layout from a document's blocks. Raises `UserError` naming `source_name`
    when the blocks are not a review in this layout (no line of countries and year near the top,
    no critic, title or body)."""
    blocks = _clean(blocks)
    if not blocks:
        raise UserError(f"{source_name}: the file has no text")
    document = _Document(
        blocks=blocks, raw_text=raw_text, source_name=source_name, source_format=source_format,
        outlet=outlet,
        paragraphs_by_block=any(block.separated_by_blank_lines for block in blocks),
    )
    header, body_blocks = _split_header(document)
    review = _read_header(document, header)
    _read_body(document, body_blocks, review)
    if not review.sections:
        raise UserError(f"{source_name}: not a review: no text follows the line of countries and year")
    return review


def _clean(blocks: list[Block]) -> list[Block]:
    cleaned = []
    for block in blocks:
        lines = [line.strip() for line in block.lines if line.strip()]
        if lines:
            cleaned.append(Block(lines, block.kind, block.lead, block.separated_by_blank_lines))
    return cleaned


def _split_header(document: _Document) -> tuple[list[tuple[int, str, str]], list[Block]]:
    """The header lines (block number, kind, text) up to and including the line of countries and
    year, and the body blocks after it."""
    positions = []  # (block index, line index)
    for block_index, block in enumerate(document.blocks):
        if block.kind in ("text", "heading"):
            positions.extend((block_index, line_index) for line_index in range(len(block.lines)))
        if len(positions) >= _MAX_HEADER_LINES:
            break
    positions = positions[:_MAX_HEADER_LINES]
    lines = [document.blocks[b].lines[l] for b, l in positions]
    # Name, title and directors come first. A year alone on a line may be a title ("1917"), so
    # countries with a year win over a year alone, and that over countries alone.
    anchor = next(
        (i for tests in (_countries_with_year, _year_alone, countries_without_year)
         for i in range(3, len(lines)) if tests(lines[i])),
        None,
    )
    if anchor is None:
        raise UserError(f"{document.source_name}: not a review: no line of countries and year "
                        f"(like \"France, Belgium, 2021\") under the title and directors")
    header = [(b, document.blocks[b].kind, document.blocks[b].lines[l]) for b, l in positions[: anchor + 1]]
    anchor_block, anchor_line = positions[anchor]
    block = document.blocks[anchor_block]
    body = []
    if anchor_line + 1 < len(block.lines):
        body.append(Block(block.lines[anchor_line + 1:], block.kind, None, block.separated_by_blank_lines))
    body.extend(document.blocks[anchor_block + 1:])
    return header, body


def _read_header(document: _Document, header: list[tuple[int, str, str]]) -> ParsedReview:
    name = document.source_name
    *above, (_, _, year_line) = header
    found = countries_and_year(year_line)
    countries, year = found if found else (countries_without_year(year_line) or [], None)
    headings = [i for i, (_, kind, _) in enumerate(above) if kind == "heading" and i > 0]
    title_index = headings[0] if headings else len(above) - 2
    directors_index = len(above) - 1 if len(above) - 1 != title_index else None
    if title_index < 1:
        raise UserError(f"{name}: not a review: the critic's name, the film title and the directors "
                        f"must come before the line of countries and year")
    title, original_title = split_title(above[title_index][2])
    directors = split_directors(above[directors_index][2]) if directors_index is not None else []
    rest = [line for i, line in enumerate(above) if i not in (title_index, directors_index)]
    critic = _strip_byline(rest[0][2])
    if not critic or not title:
        raise UserError(f"{name}: not a review: no critic's name or no film title")
    bio, tags, standfirst = _read_critic_and_topic(rest)
    return ParsedReview(
        critic=ParsedCritic(critic, bio, document.outlet),
        film=ParsedFilm(title, original_title, directors, countries, year),
        tags=tags, standfirst=standfirst, raw_text=document.raw_text, source_name=name,
        source_format=document.source_format,
    )


def _read_critic_and_topic(rest: list[tuple[int, str, str]]) -> tuple[str | None, list[str], str | None]:
    """Bio, tags and standfirst from the header lines between the critic's name and the title.

    The tags line ("STALIN, RUSSIA: standfirst …") divides the bio (above) from the standfirst
    (it and below). Without one, the lines in the name's own block, or else the next block, are
    the bio and the rest is the standfirst.
    """
    name_block = rest[0][0]
    lines = rest[1:]
    tags_at = next((i for i, (_, _, text) in enumerate(lines)
                    if _is_tags_line(text) or _is_capitals_only(text)), None)
    if tags_at is not None:
        bio = _join([text for _, _, text in lines[:tags_at]])
        match = _is_tags_line(lines[tags_at][2])
        if match:
            tags = _split_tags(match["tags"])
            standfirst_lines = [match["rest"]] + [text for _, _, text in lines[tags_at + 1:]]
        else:
            tags = _split_tags(lines[tags_at][2])
            standfirst_lines = [text for _, _, text in lines[tags_at + 1:]]
        return bio, tags, _join(standfirst_lines)
    if not lines:
        return None, [], None
    bio_block = name_block if lines[0][0] == name_block else lines[0][0]
    bio = _join([text for block, _, text in lines if block == bio_block])
    standfirst = _join([text for block, _, text in lines if block != bio_block])
    return bio, [], standfirst


def _paragraphs_of(document: _Document, block: Block) -> list[str]:
    """A body block's paragraphs: the block itself, or (plain text without blank lines) a new
    paragraph after every line that ends a sentence."""
    if document.paragraphs_by_block or block.kind != "text":
        return [join_wrapped(block.lines)]
    paragraphs, current = [], []
    for line in block.lines:
        current.append(line)
        if _ENDS_SENTENCE_RE.search(line):
            paragraphs.append(join_wrapped(current))
            current = []
    if current:
        paragraphs.append(join_wrapped(current))
    return paragraphs


def _read_body(document: _Document, blocks: list[Block], review: ParsedReview) -> None:
    items: list[_BodyItem] = []
    for block in blocks:
        if block.kind == "heading":
            items.append(_BodyItem(join_wrapped(block.lines), "heading"))
            continue
        for paragraph in _paragraphs_of(document, block):
            if block.kind == "caption" or is_caption(paragraph):
                items.append(_BodyItem(paragraph, "caption"))
                continue
            quoted = unquote(paragraph)
            if quoted is None and block.kind == "quote":
                quoted = paragraph
            lead = block.lead if block.lead and paragraph.startswith(block.lead) else None
            items.append(_BodyItem(paragraph, "quote" if quoted else "paragraph", lead, quoted))
    explicit = any(item.kind == "heading" or item.lead for item in items)
    longer_quotes = [item for item in items
                     if item.kind == "quote" and not is_single_sentence(item.quote_text or "")]
    if longer_quotes:
        body_folded = fold(" ".join(item.text for item in items if item.kind == "paragraph"))
        for item in longer_quotes:
            if fold(item.quote_text) not in body_folded:
                item.kind = "paragraph"  # a quoted passage of several sentences, part of the text

    sections: list[ReviewSection] = []
    pending_heading: str | None = None
    first_paragraph = True

    def add_paragraph(heading: str | None, text: str) -> None:
        if heading is not None or not sections:
            sections.append(ReviewSection(heading, []))
        sections[-1].paragraphs.append(text)

    for index, item in enumerate(items):
        if item.kind == "caption":
            review.captions.append(item.text)
        elif item.kind == "quote":
            review.pull_quotes.append(item.quote_text or item.text)
        elif item.kind == "heading":
            pending_heading = heading_text(item.text)
        elif item.lead:
            add_paragraph(heading_text(item.lead), item.text[len(item.lead):].strip() or item.text)
            pending_heading, first_paragraph = None, False
        elif (not explicit and index + 1 < len(items) and pending_heading is None
              and _is_standalone_subhead(item.text)):
            pending_heading = heading_text(item.text)
        else:
            heading, text = (None, item.text)
            if pending_heading is None and not explicit and not first_paragraph:
                heading, text = split_lead_subhead(item.text)
            add_paragraph(pending_heading if pending_heading is not None else heading, text)
            pending_heading, first_paragraph = None, False
    if pending_heading is not None:
        sections.append(ReviewSection(pending_heading, []))
    review.sections = sections
