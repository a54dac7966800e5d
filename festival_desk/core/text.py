"""Text rules shared by search, matching and sorting: folding and sort titles.

`fold` is the single definition of "the same letters, ignoring case and accents" used by search
(both SQLite and PostgreSQL index a folded copy), by critic and person de-duplication and by
fuzzy matching, so that all of them agree.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that carry no combining mark in Unicode and so survive NFKD: map them by hand.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ı": "i",  # Turkish dotless i
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "ŧ": "t",
    }
)

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fold(text: str | None) -> str:
    """Return `text` case-folded with every accent and diacritic removed, in any script.

    Guarantees: "Kovač" -> "kovac", "Café" -> "cafe", "Işık" -> "isik", "Ёлка" -> "елка",
    "Αθήνα" -> "αθηνα", "Straße" -> "strasse". None folds to "".
    """
    if not text:
        return ""
    if text.isascii():  # nothing to decompose: the common case, and ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # casefold after stripping so that e.g. "İ" (I + dot above) loses its dot first.
    return unicodedata.normalize("NFC", stripped.casefold()).translate(_UNDECOMPOSABLE)


def words(text: str | None) -> list[str]:
    """The folded word tokens of `text` (letters and digits only), in order."""
    return _WORD_RE.findall(fold(text))


_ASCII_WORD_RE = re.compile(r"[a-z0-9_]+")


@functools.lru_cache(maxsize=1 << 17)
def _folded_piece(piece: str) -> str:
    return " ".join(words(piece))


def fold_words(text: str | None) -> str:
    """`text` folded and reduced to its word tokens joined by single spaces.

    Equal to `" ".join(words(text))`, computed per whitespace-separated piece with a cache (names,
    places and common words repeat across thousands of films), and without decomposition for ASCII.
    """
    if not text:
        return ""
    if text.isascii():
        return " ".join(_ASCII_WORD_RE.findall(text.lower()))
    return " ".join(filter(None, map(_folded_piece, text.split())))


# Leading articles per language (ISO 639-3). Ambiguous words are only stripped when the title's
# language is known: English "I" in "I Am Not Your Negro" must stay, Italian "I" must go.
_ARTICLES: dict[str, tuple[str, ...]] = {
    "eng": ("the", "a", "an"),
    "deu": ("der", "die", "das", "ein", "eine"),
    "fra": ("le", "la", "les", "l'", "un", "une"),
    "spa": ("el", "la", "los", "las", "un", "una"),
    "ita": ("il", "lo", "la", "i", "gli", "le", "l'", "un", "una"),
    "nld": ("de", "het", "een", "'t"),
    "por": ("o", "a", "os", "as", "um", "uma"),
}
# Stripped whatever the language: unambiguous as a first word of a title.
_DEFAULT_ARTICLES = ("the", "a", "an", "der", "das", "le", "la", "les", "l'", "el", "los", "las", "il", "het")
_ELIDED = ("l'", "l’")
_OPENING_QUOTES = "\"'“„«‘‚"
_CLOSING_QUOTES = "\"'”“»’‘"


def sort_title(title: str, language: str | None = None) -> str:
    """The form of `title` under which it files in an index: the leading article moved away.

    "The Red Soul" -> "Red Soul", "Der Stand der Dinge" -> "Stand der Dinge",
    "L'Île" -> "Île". A title that is only an article ("A") keeps it. The casing is kept;
    compare sort titles with `sort_key`.
    """
    stripped = title.strip()
    if len(stripped) > 2 and stripped[0] in _OPENING_QUOTES and stripped[-1] in _CLOSING_QUOTES:
        stripped = stripped[1:-1].strip()  # a title the submitter typed inside quotes
    lowered = stripped.lower()
    articles = _ARTICLES.get(language or "", ()) + _DEFAULT_ARTICLES
    for elided in _ELIDED:
        if lowered.startswith(elided) and len(stripped) > len(elided) and (
            "l'" in articles or language is None
        ):
            return stripped[len(elided):].lstrip()
    first, _, rest = stripped.partition(" ")
    if rest.strip() and first.lower() in articles:
        return rest.lstrip()
    return stripped


def sort_key(text: str | None) -> str:
    """A key that orders titles and names the way a reader expects: accents and case ignored,
    digits and letters only (punctuation does not move a title)."""
    return fold_words(text)


def filing(title: str, language: str | None = None) -> tuple[str, str]:
    """The two stored sort columns of a film title: (sort title, sort key). Every writer of films
    uses this, so that "The Red Soul" files under R whichever way the film arrived."""
    filed_under = sort_title(title, language)
    return filed_under, sort_key(filed_under)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """"1 film", "3 films", "0 films": a count with its noun in English (`plural` when adding an
    "s" is wrong)."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
