"""The fast folding (core.text.fold_words, cached per piece) and the index's tokens give exactly
what folding the whole text gives, on every kind of text a festival meets: several scripts,
decomposed accents, ligatures, odd spaces, underscores."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from festival_desk.core.text import fold_words, sort_key, words
from festival_desk.store.search import index_tokens, query_tokens

SEED_DIR = Path(__file__).resolve().parents[1].parent.parent / "shared" / "seed"

SAMPLES = [
    "Ana Kovač", "Deniz Işık", "İstanbul'da Gece", "Ёлка", "Αθήνα τη νύχτα", "ΣΟΦΟΣ σοφός",
    "Straße der Ærø-Fähre", "Łódź Œuvre ﬁlm", "Cafe\u0301 du Port", "  leading and\ttabs\nnew lines ",
    "snake_case_title and __dunder__", "½ hour, 2nd take — «quotes»", "a\u00a0non\u2003breaking\u2009space",
    "जल संसाधन", "東京の夜", "Hà Nội, Việt Nam", "plain ascii, punctuation; and-dashes", "", "   ",
    "x \u0301 lone mark", "Þórður Guðmundsson", "Ğğ Şş Çç", "ǅemal ǈuba", "ﬀ ﬃ ﬄ",
]


def _shuffled_mixtures(count: int) -> list[str]:
    """Texts stitched from the samples' pieces, so that the same pieces recur in new neighbours
    (the cache must not make a piece's folding depend on the text it first came in)."""
    rng = random.Random(4)
    pieces = [piece for sample in SAMPLES for piece in sample.split(" ") if piece]
    separators = [" ", "  ", "\n", "\t", "\u00a0", ", "]
    return ["".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(1, 12)))
            for _ in range(count)]


@pytest.mark.parametrize("text", SAMPLES + _shuffled_mixtures(300) + [None])
def test_fast_folding_equals_core_text(text):
    assert fold_words(text) == " ".join(words(text)) == sort_key(text)
    assert index_tokens(text) == [piece for word in words(text) for piece in word.split("_") if piece]


def test_query_tokens_are_the_index_tokens_capped():
    text = " ".join(f"Wörd{number}" for number in range(40))
    assert query_tokens(text) == index_tokens(text)[:32]
    assert query_tokens("kovač_ISIK") == ["kovac", "isik"]


def test_fast_folding_equals_core_text_on_the_seed_review():
    if not SEED_DIR.is_dir():
        pytest.skip("the seed review (shared/seed) is not present")
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(SEED_DIR.rglob("*.txt"))]
    if not texts:
        pytest.skip("no seed text files")
    for text in texts:
        assert fold_words(text) == " ".join(words(text))
