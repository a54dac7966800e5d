"""Country and language codes from what submitters and programmers actually type."""

import pytest

from festival_desk.core.codes import (
    country_code,
    country_name,
    language_code,
    language_name,
    split_coded_list,
)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("The Netherlands", "NL"),
        ("Netherlands", "NL"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Kosovo", "XK"),
        ("Côte d'Ivoire", "CI"),
        ("cote d’ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Iran", "IR"),
        ("Moldova", "MD"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("  slovenia ", "SI"),
    ],
)
def test_country_names_and_codes_resolve_to_alpha2(typed, code):
    assert country_code(typed) == code


@pytest.mark.parametrize("typed", ["Korea", "Atlantis", "USSR", "", "   ", None])
def test_country_without_a_single_code_gives_none(typed):
    # "Korea" names two countries; former states and made-up places have no current code.
    assert country_code(typed) is None


def test_country_display_names_are_the_everyday_ones():
    assert country_name("KR") == "South Korea"
    assert country_name("XK") == "Kosovo"
    assert country_name("ru") == "Russia"
    assert country_name("BO") == "Bolivia"
    assert country_name("SI") == "Slovenia"
    assert country_name("ZZ") == "ZZ"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Modern Greek (1453-)", "ell"),
        ("Greek, Modern (1453-)", "ell"),
        ("Greek", "ell"),
        ("Persian", "fas"),
        ("Farsi", "fas"),
        ("en", "eng"),
        ("eng", "eng"),
        ("English", "eng"),
        ("ger", "deu"),
        ("German", "deu"),
        ("fre", "fra"),
        ("Slovenian", "slv"),
        ("Slovene", "slv"),
        ("Mandarin", "cmn"),
        ("No dialogue", "zxx"),
        ("Türkçe", None),
        ("Elvish", None),
        ("", None),
    ],
)
def test_language_names_and_codes_resolve_to_639_3(typed, code):
    assert language_code(typed) == code


def test_language_display_names_drop_reference_qualifiers():
    assert language_name("ell") == "Greek"
    assert language_name("gre") == "Greek"
    assert language_name("de") == "German"
    assert language_name("slv") == "Slovenian"
    assert language_name("qqq") == "qqq"


def test_split_list_keeps_names_containing_commas_whole_and_uncoded_text():
    assert split_coded_list("Korea, Republic of, France; Germany", country_code) == [
        ("Korea, Republic of", "KR"), ("France", "FR"), ("Germany", "DE"),
    ]
    assert split_coded_list("English, Greek, Modern (1453-), Elvish", language_code) == [
        ("English", "eng"), ("Greek, Modern (1453-)", "ell"), ("Elvish", None),
    ]


def test_split_list_drops_repeats_and_blanks():
    assert split_coded_list("France, , france,FR", country_code) == [("France", "FR")]
    assert split_coded_list("", country_code) == []
