"""Countries and languages as codes: ISO 3166-1 alpha-2 and ISO 639-3, from whatever people type.

Lookups are tolerant: case, accents, punctuation and spacing are ignored ("U.S.A.", "Côte d'Ivoire",
"cote divoire"), a leading "the" is dropped ("The Netherlands"), common short and former names
work ("UK", "Russia", "Czech Republic", "South Korea", "Persian", "Farsi"), and codes are accepted
as well as names ("DE", "DEU"; "en", "eng", the ISO 639-2 bibliographic "ger"). Where no code fits
the lookup returns None and callers keep the original text.

pycountry loads its JSON databases on first use (tens of milliseconds per table); the lookup dicts
are built once, lazily, and each lookup is then one dict access on a folded key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from festival_desk.core.text import words

# Kosovo has a user-assigned code (XK) used by the EU and most registries; ISO has none and
# pycountry does not list it.
_KOSOVO = "XK"

_COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US", "us": "US", "america": "US", "unitedstatesofamerica": "US",
    "uk": "GB", "greatbritain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northernireland": "GB",
    "czechrepublic": "CZ",
    "russia": "RU",
    "southkorea": "KR", "republicofkorea": "KR", "korearepublic": "KR",
    "northkorea": "KP", "dprk": "KP",
    "kosovo": _KOSOVO, "xk": _KOSOVO, "xkx": _KOSOVO,
    "drc": "CD", "drcongo": "CD", "democraticrepublicofthecongo": "CD",
    "democraticrepublicofcongo": "CD", "congokinshasa": "CD",
    "republicofthecongo": "CG", "congobrazzaville": "CG",
    "ivorycoast": "CI", "capeverde": "CV", "swaziland": "SZ", "burma": "MM",
    "holland": "NL", "macedonia": "MK", "turkey": "TR", "vatican": "VA", "vaticancity": "VA",
    "palestine": "PS", "uae": "AE", "easttimor": "TL", "bosnia": "BA",
    "hongkong": "HK", "macau": "MO", "brunei": "BN",
}

# Display names where pycountry's name is a formal or inverted one nobody writes on a film page.
_COUNTRY_DISPLAY: dict[str, str] = {
    _KOSOVO: "Kosovo",
    "RU": "Russia",
    "CD": "Democratic Republic of the Congo",
    "PS": "Palestine",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "GB": "United Kingdom",
}

_LANGUAGE_ALIASES: dict[str, str] = {
    "greek": "ell", "moderngreek": "ell", "farsi": "fas", "mandarin": "cmn",
    "cantonese": "yue", "chinese": "zho", "flemish": "nld", "castilian": "spa", "slovene": "slv",
    "brazilianportuguese": "por", "swahili": "swa", "malay": "msa", "arabic": "ara",
    # FilmFreeway and many forms say "No dialogue": ISO 639-2 has a code for that.
    "nodialogue": "zxx", "nodialog": "zxx", "nolanguage": "zxx", "silent": "zxx",
    "nolinguisticcontent": "zxx", "none": "zxx",
}

_LANGUAGE_DISPLAY: dict[str, str] = {
    "ell": "Greek", "fas": "Persian", "zxx": "No dialogue", "msa": "Malay", "swa": "Swahili",
}

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*")
_LIST_SEPARATORS = re.compile(r"[,;/\n]")


def _key(text: str) -> str:
    """Folded letters and digits only, no spaces: "U.S.A." and "usa" share a key."""
    return "".join(words(text))


def _key_without_the(text: str) -> str:
    tokens = words(text)
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return "".join(tokens)


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> alpha-2, alpha-2 -> display name), built on first use."""
    import pycountry

    by_key: dict[str, str] = {}
    display: dict[str, str] = {}
    inverted_prefixes: dict[str, set[str]] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        for text in (country.alpha_2, country.alpha_3, country.name, common, official):
            if text:
                by_key.setdefault(_key_without_the(text), code)
        if ", " in country.name:
            inverted_prefixes.setdefault(_key(country.name.split(", ")[0]), set()).add(code)
        display[code] = common or country.name
    # "Moldova, Republic of" is also typed as "Moldova"; only where that short form is unambiguous
    # ("Korea" and "Virgin Islands" name two countries each).
    for prefix, codes in inverted_prefixes.items():
        if len(codes) == 1:
            by_key.setdefault(prefix, next(iter(codes)))
    for alias, code in _COUNTRY_ALIASES.items():
        by_key[alias] = code
    display.update(_COUNTRY_DISPLAY)
    return by_key, display


@cache
def _languages() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(code key -> 639-3, name key -> 639-3, 639-3 -> display name), built on first use."""
    import pycountry

    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    display: dict[str, str] = {}
    languages = list(pycountry.languages)
    for language in languages:
        by_code[language.alpha_3] = language.alpha_3
        display[language.alpha_3] = _PARENTHETICAL.sub(" ", language.name).strip() or language.name
    # Two- and bibliographic three-letter codes only where they do not shadow a 639-3 code.
    for language in languages:
        for code in (getattr(language, "alpha_2", None), getattr(language, "bibliographic", None)):
            if code:
                by_code.setdefault(code, language.alpha_3)
    for language in languages:
        for text in (language.name, getattr(language, "inverted_name", None)):
            if text:
                by_name.setdefault(_key(text), language.alpha_3)
    # "Swahili (macrolanguage)" is typed "Swahili", "Modern Greek (1453-)" as "Modern Greek".
    for language in languages:
        short = _PARENTHETICAL.sub(" ", language.name).strip()
        if short and short != language.name:
            by_name.setdefault(_key(short), language.alpha_3)
    for alias, code in _LANGUAGE_ALIASES.items():
        by_name[alias] = code
    display.update(_LANGUAGE_DISPLAY)
    return by_code, by_name, display


@lru_cache(maxsize=8192)
def country_code(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code (upper case) of a country name or code, or None.

    "The Netherlands" -> "NL", "USA"/"United States" -> "US", "UK" -> "GB", "Czechia" and
    "Czech Republic" -> "CZ", "Russia" -> "RU", "South Korea" -> "KR", "Kosovo" -> "XK",
    "Côte d'Ivoire"/"Cote dIvoire" -> "CI", "deu" -> "DE". Former states (USSR, Yugoslavia) -> None.
    """
    if not text or not text.strip():
        return None
    by_key, _ = _countries()
    return by_key.get(_key_without_the(text)) or by_key.get(_key(text))


def country_name(code: str) -> str:
    """A display name for an alpha-2 code ("KR" -> "South Korea", "XK" -> "Kosovo").

    An unknown code is returned as given, so that whatever was stored still shows.
    """
    _, display = _countries()
    return display.get(code.strip().upper(), code)


@lru_cache(maxsize=8192)
def language_code(text: str | None) -> str | None:
    """The ISO 639-3 code (lower case) of a language name or code, or None.

    Accepts ISO 639-3 and 639-1 codes ("eng", "en"), ISO 639-2 bibliographic codes ("ger" -> "deu",
    "gre" -> "ell"), reference names and their inverted forms ("Modern Greek (1453-)",
    "Greek, Modern (1453-)", "Persian"), and common names ("Greek", "Farsi", "Mandarin",
    "No dialogue" -> "zxx").
    """
    if not text or not text.strip():
        return None
    by_code, by_name, _ = _languages()
    key = _key(text)
    # A bare two- or three-letter word is read as a code first: "ger" is German, not a name.
    if 2 <= len(key) <= 3 and key.isascii() and key.isalpha():
        found = by_code.get(key)
        if found:
            return found
    return by_name.get(key) or by_name.get(_key(_PARENTHETICAL.sub(" ", text)))


def language_name(code: str) -> str:
    """A display name for a language code ("ell" -> "Greek", "deu" -> "German"; 639-1 and
    bibliographic codes work too). An unknown code is returned as given."""
    by_code, _, display = _languages()
    canonical = by_code.get(code.strip().lower())
    return display.get(canonical, code) if canonical else code


def split_coded_list(text: str | None, lookup: Callable[[str], str | None]) -> list[tuple[str, str | None]]:
    """Split a comma/semicolon/slash separated cell into (original text, code or None) pairs.

    Names that themselves contain a comma ("Korea, Republic of", "Greek, Modern (1453-)") are kept
    whole: the longest run of up to three adjacent pieces whose joined form has a code wins. Order
    is kept; empty pieces and repeated codes are dropped.
    """
    if not text:
        return []
    pieces = [piece.strip() for piece in _LIST_SEPARATORS.split(text)]
    pieces = [piece for piece in pieces if piece]
    result: list[tuple[str, str | None]] = []
    seen_codes: set[str] = set()
    index = 0
    while index < len(pieces):
        taken, code = 1, None
        for span in (3, 2, 1):
            if index + span <= len(pieces):
                code = lookup(", ".join(pieces[index:index + span]))
                if code is not None:
                    taken = span
                    break
        original = ", ".join(pieces[index:index + taken])
        index += taken
        if code is not None:
            if code in seen_codes:
                continue
            seen_codes.add(code)
        result.append((original, code))
    return result
