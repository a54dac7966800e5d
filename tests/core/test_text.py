"""Folding and sort titles: the rules search, matching and every index rely on."""

import pytest

from festival_desk.core.text import counted, fold, fold_words, sort_key, sort_title


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("kovac", "Kovač"), ("cafe", "Café"), ("isik", "Işık"), ("елка", "Ёлка"), ("αθηνα", "Αθήνα"),
     ("strasse", "Straße"), ("lodz", "Łódź"), ("istanbul", "İstanbul"), ("ostergaard", "Østergaard")],
)
def test_plain_typing_folds_to_the_same_letters_as_the_accented_name(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_fold_keeps_scripts_apart_and_handles_nothing() -> None:
    assert fold("Москва") != fold("Moskva")
    assert fold(None) == "" and fold("") == ""


def test_fold_words_drops_punctuation_but_keeps_words_in_order() -> None:
    assert fold_words("«Lost & <Found>» — Part 2!") == "lost found part 2"


@pytest.mark.parametrize(
    ("title", "language", "files_under"),
    [("The Red Soul", None, "Red Soul"), ("A Bigger Splash", None, "Bigger Splash"),
     ("Der Stand der Dinge", None, "Stand der Dinge"), ("La Hora de los Hornos", None, "Hora de los Hornos"),
     ("L'Île aux fleurs", None, "Île aux fleurs"), ("I Am Not Your Negro", None, "I Am Not Your Negro"),
     ("I vitelloni", "ita", "vitelloni"), ("Die Hard", None, "Die Hard"), ("Die Blechtrommel", "deu", "Blechtrommel"),
     ("The", None, "The"), ("Theatre of War", None, "Theatre of War"), ("“The Act of Killing”", None, "Act of Killing")],
)
def test_sort_title_moves_only_a_leading_article(title: str, language: str | None, files_under: str) -> None:
    assert sort_title(title, language) == files_under


def test_sort_key_orders_accented_and_plain_titles_together() -> None:
    titles = ["Zelig", "The Red Soul", "Časa", "Cas", "Ábel"]
    ordered = sorted(titles, key=lambda t: sort_key(sort_title(t)))
    assert ordered == ["Ábel", "Cas", "Časa", "The Red Soul", "Zelig"]


def test_counts_read_as_english() -> None:
    assert [counted(n, "film") for n in (0, 1, 3)] == ["0 films", "1 film", "3 films"]
    assert counted(2, "country", "countries") == "2 countries"
