"""Typography by language: hyphenation patterns and quotation marks for the language of a text.

A synopsis is hyphenated with the patterns of its own language (the festival's text language, or
the film's where it differs), never with those of the booklet's labels, and never closer than three
letters to either end of a word; titles, names and fact lines are not hyphenated at all (their
styles carry no hyphenation). Straight quotes typed by users become the language's marks.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

# Hyphenation dictionaries (pyphen) and quotation marks ((open, close), (inner open, inner close)).
HYPHENATION_DICTIONARIES = {"en": "en_GB", "de": "de_DE", "fr": "fr", "es": "es", "it": "it_IT", "nl": "nl_NL",
                            "pt": "pt_PT", "sl": "sl_SI", "hr": "hr_HR", "cs": "cs_CZ", "pl": "pl_PL",
                            "sv": "sv", "da": "da_DK", "nb": "nb_NO", "fi": "fi", "hu": "hu_HU", "ru": "ru_RU",
                            "uk": "uk_UA", "el": "el_GR", "tr": "tr_TR"}
QUOTES = {
    "en": (("“", "”"), ("‘", "’")),
    "de": (("„", "“"), ("‚", "‘")),
    "fr": (("« ", " »"), ("“", "”")),
    "sl": (("»", "«"), ("›", "‹")),
    "cs": (("„", "“"), ("‚", "‘")),
    "pl": (("„", "”"), ("‚", "’")),
}
TEXT_LANGUAGES = tuple(sorted(HYPHENATION_DICTIONARIES))
MIN_LETTERS_AROUND_BREAK = 3
MIN_WORD_LENGTH = 7  # shorter words are never broken

_EAST_ASIAN = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=\w)'(?=\s|$)(?<=s')")
_DOUBLE = re.compile(r'"([^"\n]*)"')
_SINGLE = re.compile(r"(?<![\w])'([^'\n]*?)'(?![\w])")


@lru_cache(maxsize=32)
def hyphenator(language: str):
    """A ReportLab hyphenation callable for `language` (2-letter code) that leaves at least three
    letters on either side of a break; None for a language without patterns."""
    dictionary = HYPHENATION_DICTIONARIES.get(language)
    if dictionary is None or dictionary not in pyphen.LANGUAGES:
        return None
    return pyphen.Pyphen(lang=dictionary, left=MIN_LETTERS_AROUND_BREAK, right=MIN_LETTERS_AROUND_BREAK).iterate


def typographic(text: str, language: str) -> str:
    """`text` with straight quotes as the language's quotation marks and apostrophes as ’."""
    if "'" not in text and '"' not in text:
        return text
    (open_double, close_double), (open_single, close_single) = QUOTES.get(language, QUOTES["en"])
    text = _APOSTROPHE.sub("’", text)
    text = _DOUBLE.sub(lambda m: f"{open_double}{m.group(1)}{close_double}", text)
    text = _SINGLE.sub(lambda m: f"{open_single}{m.group(1)}{close_single}", text)
    return text.replace("'", "’")


def quoted(text: str, language: str) -> str:
    """`text` (a pull quote) between the language's quotation marks, typographic inside."""
    (open_double, close_double), _ = QUOTES.get(language, QUOTES["en"])
    # Quotation marks inside a quote are the inner ones: ‘…’ in English, ‚…‘ in German.
    inner = typographic(text.strip().strip('"“”„«»').replace('"', "'"), language)
    return f"{open_double}{inner}{close_double}"


def inverted_name(name: str) -> str:
    """A person's name as an index lists it: "Folman, Ari", "Ceylan, Nuri Bilge". A name written
    without spaces (侯孝賢, 봉준호) or of one word stays as it is: it already begins with the family
    name or has none to move."""
    words = name.split()
    if len(words) < 2 or any(_EAST_ASIAN.match(character) for character in name):
        # Chinese, Japanese and Korean names are written family name first already.
        return name.strip()
    return f"{words[-1]}, {' '.join(words[:-1])}"
