"""The structure every review input (plain text, Markdown, HTML, Word, pasted text) is read into."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReviewSection:
    """A run of body paragraphs under one in-line subhead (`heading`), or under none.

    `heading` is the subhead without its closing full stop ("Intriguing people"); the paragraphs
    do not repeat it.
    """

    heading: str | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedCritic:
    name: str
    bio: str | None = None
    outlet: str | None = None  # known only where the source says (a web page's site name)


@dataclass
class ParsedFilm:
    """The film as the review names it. `title` is the title the festival uses; a title line
    "Original (Translation)" gives `title` = the translation and `original_title` = the original.
    `countries` are as the review names them."""

    title: str
    original_title: str | None = None
    directors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    year: int | None = None


@dataclass
class ParsedReview:
    """One critic's review as read from a file or pasted text, before it touches any database.

    Guarantees: every string is the text as written (markup characters such as `<`, `>`, `&` kept,
    line-edge whitespace trimmed, hard-wrapped lines joined); pull quotes and captions are not
    repeated in `sections`; `raw_text` is the whole text as read (for HTML and Word: the text of
    the document, one block per paragraph) so the source can be shown beside the result.
    """

    critic: ParsedCritic
    film: ParsedFilm
    tags: list[str] = field(default_factory=list)
    standfirst: str | None = None
    sections: list[ReviewSection] = field(default_factory=list)
    pull_quotes: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    raw_text: str = ""
    source_name: str = ""
    source_format: str = "text"  # "text", "markdown", "html" or "docx"

    @property
    def paragraphs(self) -> list[str]:
        """All body paragraphs in reading order, subheads left out."""
        return [paragraph for section in self.sections for paragraph in section.paragraphs]

    @property
    def body_text(self) -> str:
        """The body as plain text: paragraphs separated by blank lines, each subhead opening its
        paragraph as it did in the source ("Intriguing people. In search of …")."""
        blocks = []
        for section in self.sections:
            for index, paragraph in enumerate(section.paragraphs):
                if index == 0 and section.heading:
                    blocks.append(f"{section.heading}. {paragraph}")
                else:
                    blocks.append(paragraph)
        return "\n\n".join(blocks)

    @property
    def content_hash(self) -> str:
        """A fingerprint of the review's words: the same review saved with another encoding,
        byte-order mark or line ends, or re-wrapped, hashes the same."""
        normalised = " ".join(unicodedata.normalize("NFC", self.raw_text).split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The stable shape printed by `festival-desk review parse FILE --json`."""
        return {
            "critic": {"name": self.critic.name, "bio": self.critic.bio},
            "tags": list(self.tags),
            "standfirst": self.standfirst,
            "film": {
                "title": self.film.title,
                "original_title": self.film.original_title,
                "directors": list(self.film.directors),
                "countries": list(self.film.countries),
                "year": self.film.year,
            },
            "sections": [
                {"heading": section.heading, "paragraphs": list(section.paragraphs)}
                for section in self.sections
            ],
            "pull_quotes": list(self.pull_quotes),
            "captions": list(self.captions),
        }
