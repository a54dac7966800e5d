"""Shortening pull quotes through the actions and the command line: the same rule, the same
reasons, the approval kept or given, a colleague's change respected, the result in print."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pypdf import PdfReader
from sqlmodel import select

from festival_desk.actions import booklet
from festival_desk.actions.reviews import approve_quote, shorten_quote
from festival_desk.core.errors import UserError
from festival_desk.printing.typography import typographic
from festival_desk.store.models import Film, PullQuote, Review


def approved_quote(database) -> PullQuote:
    """An approved quote of a programmed film of the demo festival, long enough to shorten."""
    with database.reading() as session:
        rows = session.exec(select(PullQuote, Film).join(Review, Review.id == PullQuote.review_id)
                            .join(Film, Film.id == Review.film_id)
                            .where(PullQuote.approved, Film.status.in_(["selected", "confirmed"]))).all()
    return next(quote for quote, _film in rows if len(quote.text.split()) >= 8)


def cut(text: str) -> str:
    """The first three words, an ellipsis, the last three: the original with words left out."""
    words = text.split()
    return " ".join(words[:3]) + " … " + " ".join(words[-3:])


def test_shorten_keeps_the_approval_and_undo_restores_the_text(demo_db):
    quote = approved_quote(demo_db)
    change = shorten_quote(demo_db, quote.id, cut(quote.text), expected_text=quote.text)
    assert change.description == f"Shorten quote to “{cut(quote.text)}”"
    with demo_db.reading() as session:
        stored = session.get(PullQuote, quote.id)
        assert (stored.text, stored.approved, stored.original_text) == (cut(quote.text), True, quote.original_text)
    change.undo(demo_db)
    with demo_db.reading() as session:
        assert session.get(PullQuote, quote.id).text == quote.text


def test_a_rewrite_is_refused_with_the_reason_and_nothing_changes(demo_db):
    quote = approved_quote(demo_db)
    words = quote.text.split()
    rewrite = " ".join(words[:3] + ["astonishingly"] + words[3:])
    with pytest.raises(UserError, match=rf"^quote {quote.id}: “.*” is not a part of the original: "
                                        r"“astonishingly” is not in the original$"):
        shorten_quote(demo_db, quote.id, rewrite)
    unmarked = " ".join(words[:3] + words[-3:])
    with pytest.raises(UserError, match="without an ellipsis"):
        approve_quote(demo_db, quote.id, text=unmarked)
    with demo_db.reading() as session:
        assert session.get(PullQuote, quote.id).text == quote.text


def test_a_quote_changed_meanwhile_is_not_overwritten(demo_db):
    quote = approved_quote(demo_db)
    shorten_quote(demo_db, quote.id, cut(quote.text))  # a colleague
    with pytest.raises(UserError, match="someone else changed it"):
        approve_quote(demo_db, quote.id, text=quote.original_text, expected_text=quote.text)


def test_the_command_line_applies_the_same_rule(demo_db, demo_path):
    quote = approved_quote(demo_db)
    demo_db.close()
    command = [sys.executable, "-c", "import sys; from festival_desk.cli import main; sys.exit(main(sys.argv[1:]))",
               "review", "approve", str(quote.id), "--db", str(demo_path), "--text"]
    refused = subprocess.run([*command, quote.text.split()[0] + " truly " + quote.text],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith("“truly” is not in the original")
    accepted = subprocess.run([*command, cut(quote.text)], capture_output=True, text=True, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
    assert cut(quote.text) in accepted.stdout


def test_the_shortened_quote_is_what_the_booklet_prints(demo_db, tmp_path):
    quote = approved_quote(demo_db)
    shortened = cut(quote.text)
    shorten_quote(demo_db, quote.id, shortened)
    booklet.build_booklet(demo_db, tmp_path / "booklet.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(tmp_path / "booklet.pdf").pages))
    # The booklet sets the language's typographic apostrophes and quotation marks (Dosa’s).
    assert typographic(shortened.strip("«»"), "en") in text
    assert typographic(quote.text, "en") not in text
