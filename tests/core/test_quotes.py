"""The shortening rule for pull quotes: words left out are fine, words added, changed or moved are
refused with the reason, and a cut inside a sentence must show its ellipsis."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from festival_desk.core.errors import UserError
from festival_desk.core.quotes import require_shortened, shortening_problem

ORIGINAL = ("The river keeps the only honest record of the work. The weather does the rest. "
            "Nobody in the village speaks of it.")


@pytest.mark.parametrize("shortened", [
    ORIGINAL,
    "The river keeps … record of the work.",
    "The river keeps [...] record of the work.",
    "the only honest record",  # a cut at either end needs no mark
    "…keeps the only honest record…",
    "The river keeps the only honest record of the work. Nobody in the village speaks of it.",  # whole sentence out
    "The river … the rest.",
    "The River Keeps The Only Honest Record",  # case is not compared
    "The  river\nkeeps … record",  # nor spacing
])
def test_words_left_out_are_accepted(shortened):
    assert shortening_problem(ORIGINAL, shortened) is None


@pytest.mark.parametrize("shortened, reason", [
    ("The river keeps a dishonest record.", "“a” and “dishonest” are not in the original"),
    ("The river keeps the only truthful record", "“truthful” is not in the original"),
    ("The river keeps the record", "left out between “the” and “record” without an ellipsis"),
    ("record of the river", "“river” does not come after “the” in the original"),
    ("Nobody … river", "“river” does not come after “Nobody”"),
    ("The river keeps the only honest record of the work. Nobody in the village speaks",
     None),
    ("The river, the river, the river", "“river” appears more often than in the original"),
    ("   ", "the shortened text is empty"),
    ("… …", "the shortened text has no words"),
    ("The rivers keep the only honest record", "“rivers” and “keep” are not in the original"),
    ("keeps the only honest record. The weather", "between “record” and “The” without an ellipsis"),
])
def test_a_rewrite_is_refused_with_the_reason(shortened, reason):
    problem = shortening_problem(ORIGINAL, shortened)
    if reason is None:
        assert problem is None
    else:
        assert problem is not None and reason in problem


def test_repeated_words_find_the_placement_that_needs_no_mark():
    original = "It is a film about the sea. It is, above all, a film about the people who fish it."
    assert "without an ellipsis" in shortening_problem(original, "It is a film about the people who fish it.")
    # With the mark the same words are accepted; and the second sentence alone needs none.
    assert shortening_problem(original, "It is … a film about the people who fish it.") is None
    assert shortening_problem(original, "It is, above all, a film about the people who fish it.") is None


def test_words_keep_their_diacritics_and_hyphens():
    original = "Življenje na Krasu je well-made, tiho in trdo."
    assert shortening_problem(original, "Življenje … je well-made") is None
    assert "“Zivljenje” is not in the original" in shortening_problem(original, "Zivljenje na Krasu")
    assert "“well” and “made” are not in the original" in shortening_problem(original, "je well … made")


def test_require_shortened_names_the_field_and_tidies_spacing():
    assert require_shortened(ORIGINAL, "  The river keeps …   record ", "quote 7") == "The river keeps … record"
    with pytest.raises(UserError, match=r"^quote 7: “The river lies” is not a part of the original: "
                                        r"“lies” is not in the original$"):
        require_shortened(ORIGINAL, "The river lies", "quote 7")


def test_a_long_review_is_checked_quickly():
    import time

    review = " ".join(f"Sentence {n} tells the story of the film and the people in it." for n in range(3000))
    started = time.perf_counter()
    assert shortening_problem(review, "Sentence 17 tells the story … people in it.") is None
    assert "without an ellipsis" in shortening_problem(review, "Sentence 17 tells the story of the people")
    assert time.perf_counter() - started < 5


def test_the_seed_reviews_quotes_shorten_by_the_rule(seed_review_dir: Path):
    text = sorted(seed_review_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    quotes = re.findall(r"«([^»]+)»", text)
    assert quotes
    for quote in quotes:
        words = quote.split()
        if len(words) < 6:
            continue
        cut = " ".join(words[:2]) + " … " + " ".join(words[4:])
        assert shortening_problem(quote, cut) is None, cut
        unmarked = " ".join(words[:2] + words[4:])
        assert "without an ellipsis" in shortening_problem(quote, unmarked), unmarked
        rewritten = " ".join(words[:2] + ["wonderfully"] + words[2:])
        assert "“wonderfully” is not in the original" in shortening_problem(quote, rewritten)
