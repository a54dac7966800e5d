"""Critic reviews: import them (one file, many, or a review edited in the import dialog), attach
each to its film, keep one record per critic, and choose the pull quotes that go into print.

Every writing function is one user action; a batch import is one transaction per file, so that
the good files are stored and the bad ones reported by name. Matching never guesses (see
core.matching): an ambiguous review is stored only once a film is chosen (`film_id`), and a review
of an unknown film only when asked to create it as an external title (`create_film`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from festival_desk.actions.changes import Change
from festival_desk.actions.people import PersonDirectory, add_credits
from festival_desk.actions.rows import RowTargets, row_data, undoable_by_rows
from festival_desk.core.codes import country_code
from festival_desk.core.errors import UserError
from festival_desk.core.matching import CandidateFilm, FilmMatcher, MatchResult, Verdict
from festival_desk.core.progress import Progress, no_progress
from festival_desk.core.quotes import require_shortened, shortening_problem
from festival_desk.core.text import fold_words, sort_key, filing
from festival_desk.importers.reviews import ParsedReview, parse_review_file
from festival_desk.store.db import Database
from festival_desk.store.models import (
    Critic,
    Film,
    FilmCountry,
    FilmCredit,
    Person,
    PullQuote,
    Review,
)

ATTACHED = "attached"
CREATED = "created"
ALREADY_IMPORTED = "already imported"
AMBIGUOUS = "ambiguous"
NO_MATCH = "no match"
FAILED = "error"
STORED = (ATTACHED, CREATED)


@dataclass(frozen=True)
class FilmChoice:
    """A candidate film for a review, as the CLI prints it and the import dialog lists it."""

    film_id: int
    title: str
    original_title: str | None
    year: int | None
    directors: tuple[str, ...]
    score: float


@dataclass
class ReviewImportOutcome:
    """What happened to one review: `status` is one of "attached", "created" (attached to a new
    external film), "already imported", "ambiguous" (see `candidates`), "no match" or "error"
    (see `message`). Only "attached" and "created" stored anything."""

    source: str
    status: str
    film_id: int | None = None
    film_title: str | None = None
    review_id: int | None = None
    critic_id: int | None = None
    critic: str | None = None
    candidates: list[FilmChoice] = field(default_factory=list)
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --- matching ---------------------------------------------------------------------------------


def film_candidates(session: Session) -> list[CandidateFilm]:
    """Every film of the database as a matching candidate (id, titles, directors, year)."""
    directors: dict[int, list[str]] = {}
    for film_id, name in session.exec(
            select(FilmCredit.film_id, Person.name).join(Person, Person.id == FilmCredit.person_id)
            .where(FilmCredit.role == "director").order_by(FilmCredit.film_id, FilmCredit.position)):
        directors.setdefault(film_id, []).append(name)
    return [CandidateFilm(film_id, title, original_title, tuple(directors.get(film_id, ())), year)
            for film_id, title, original_title, year in session.exec(
                select(Film.id, Film.title, Film.original_title, Film.year)).all()]


def match_review(database: Database, parsed: ParsedReview) -> MatchResult:
    """The films a parsed review may be about, ranked, with the verdict (for the import dialog)."""
    with database.reading() as session:
        return _match(FilmMatcher(film_candidates(session)), parsed)


def _match(matcher: FilmMatcher, parsed: ParsedReview) -> MatchResult:
    film = parsed.film
    return matcher.match(film.title, film.original_title, film.directors, film.year)


def _choices(result: MatchResult) -> list[FilmChoice]:
    return [FilmChoice(c.film.film_id, c.film.title, c.film.original_title, c.film.year,
                       c.film.directors, c.score) for c in result.candidates]


# --- importing --------------------------------------------------------------------------------


def import_parsed_review(session: Session, parsed: ParsedReview, *, film_id: int | None = None,
                         create_film: bool = False, approve_quotes: Iterable[int] = (),
                         outlet: str | None = None, matcher: FilmMatcher | None = None) -> ReviewImportOutcome:
    """Store one parsed review in the caller's session (the caller owns the transaction).

    The film is `film_id` when given, else the clear match among the database's films, else (with
    `create_film`, and only when nothing resembles it) a new external film. A review whose text
    was imported before is not stored again. The critic is found by folded name or created; a bio
    or outlet that is given replaces the one on record. Pull quotes are stored in order, those
    whose positions are in `approve_quotes` approved for print.
    """
    source = parsed.source_name
    existing = session.exec(select(Review.id, Review.film_id, Review.critic_id)
                            .where(Review.content_hash == parsed.content_hash)).first()
    if existing is not None:
        review_id, existing_film, critic_id = existing
        film = session.get(Film, existing_film)
        return ReviewImportOutcome(source, ALREADY_IMPORTED, existing_film, film.title if film else None,
                                   review_id, critic_id, parsed.critic.name)
    status = ATTACHED
    if film_id is not None:
        film = session.get(Film, film_id)
        if film is None:
            raise UserError(f"{source}: film {film_id}: no such film")
    else:
        result = _match(matcher or FilmMatcher(film_candidates(session)), parsed)
        if result.verdict is Verdict.CLEAR:
            film = session.get(Film, result.film_id)
        elif result.verdict is Verdict.AMBIGUOUS:
            return ReviewImportOutcome(
                source, AMBIGUOUS, film_title=parsed.film.title, critic=parsed.critic.name,
                candidates=_choices(result),
                message=f"{source}: “{parsed.film.title}” may be any of {len(result.candidates)} films; "
                        "choose one (--film ID)")
        elif create_film:
            film, status = create_external_film(session, parsed), CREATED
        else:
            return ReviewImportOutcome(
                source, NO_MATCH, film_title=parsed.film.title, critic=parsed.critic.name,
                message=f"{source}: no film like “{parsed.film.title}” in this festival; "
                        "import it with --create-film to add it as an external title")
    assert film is not None and film.id is not None
    critic = _critic(session, parsed, outlet)
    review = Review(film_id=film.id, critic_id=critic.id, standfirst=parsed.standfirst,
                    tags=list(parsed.tags),
                    sections=[{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in parsed.sections],
                    captions=list(parsed.captions), body_text=parsed.body_text,
                    raw_text=parsed.raw_text, source_name=source, content_hash=parsed.content_hash)
    session.add(review)
    session.flush()
    approved = set(approve_quotes)
    for position, text in enumerate(parsed.pull_quotes):
        session.add(PullQuote(review_id=review.id, text=text, original_text=text,
                              approved=position in approved, position=position))
    session.flush()
    return ReviewImportOutcome(source, status, film.id, film.title, review.id, critic.id, critic.name)


def create_external_film(session: Session, parsed: ParsedReview) -> Film:
    """A film made from what a review says of it, marked external (never submitted)."""
    described = parsed.film
    filed_under, filing_key = filing(described.title)
    film = Film(title=described.title, original_title=described.original_title, sort_title=filed_under,
                sort_key=filing_key, year=described.year, is_external=True)
    session.add(film)
    session.flush()
    assert film.id is not None
    for position, label in enumerate(described.countries):
        session.add(FilmCountry(film_id=film.id, position=position, code=country_code(label), label=label))
    add_credits(session, PersonDirectory(session), film.id, "director", list(described.directors))
    session.flush()
    return film


def _critic(session: Session, parsed: ParsedReview, outlet: str | None) -> Critic:
    name = " ".join(parsed.critic.name.split())
    key = fold_words(name)
    critic = session.exec(select(Critic).where(Critic.name_key == key)).first()
    if critic is None:
        critic = Critic(name=name, name_key=key)
    bio = parsed.critic.bio
    outlet = outlet or parsed.critic.outlet
    if bio:
        critic.bio = bio
    if outlet:
        critic.outlet = outlet
    session.add(critic)
    session.flush()
    return critic


def _critic_as_it_was(session: Session, parsed: ParsedReview) -> tuple[int, dict[str, Any]] | None:
    """The critic a review will be credited to, as it is before the import (None: not there yet)."""
    critic = session.exec(select(Critic).where(Critic.name_key == fold_words(" ".join(parsed.critic.name.split())))
                          ).first()
    return (critic.id, row_data(critic)) if critic is not None else None


def _rows_before(session: Session, outcome: ReviewImportOutcome,
                 critic_before: tuple[int, dict[str, Any]] | None) -> RowTargets:
    """The rows an import stored (parents first), as they were before it: the external film it
    created with its countries and credits, the critic (new, or with the bio and outlet it had),
    the review and its pull quotes."""
    if outcome.status not in STORED:
        return []
    targets: list[tuple[type, int, dict[str, Any] | None]] = []
    if outcome.status == CREATED:
        targets.append((Film, outcome.film_id, None))
        for model in (FilmCountry, FilmCredit):
            targets += [(model, row_id, None) for row_id in
                        session.exec(select(model.id).where(model.film_id == outcome.film_id)).all()]
    if critic_before is not None and critic_before[0] == outcome.critic_id:
        targets.append((Critic, outcome.critic_id, critic_before[1]))
    else:
        targets.append((Critic, outcome.critic_id, None))
    targets.append((Review, outcome.review_id, None))
    targets += [(PullQuote, quote_id, None) for quote_id in
                session.exec(select(PullQuote.id).where(PullQuote.review_id == outcome.review_id)).all()]
    return targets


def _import_change(outcomes: Sequence[ReviewImportOutcome], description: str, before: RowTargets = ()) -> Change:
    """The Change of an import; its undo removes what the import stored and puts the critics'
    details back (redo stores it all again, under the same ids)."""
    stored = [o for o in outcomes if o.status in STORED]
    change = Change(
        description=description,
        films={o.film_id for o in stored if o.film_id is not None},
        films_added={o.film_id for o in outcomes if o.status == CREATED and o.film_id is not None},
        reviews={o.review_id for o in stored if o.review_id is not None},
        critics={o.critic_id for o in stored if o.critic_id is not None},
        details={"files": [o.to_json() for o in outcomes]},
    )
    return undoable_by_rows(change, before) if stored else change


def import_review(database: Database, parsed: ParsedReview, *, film_id: int | None = None,
                  create_film: bool = False, outlet: str | None = None,
                  approve_quotes: Iterable[int] = ()) -> Change:
    """Import one parsed (possibly hand-corrected) review in one transaction. The outcome is
    `change.details["files"][0]` (see `ReviewImportOutcome`)."""
    with database.transaction() as session:
        critic_before = _critic_as_it_was(session, parsed)
        outcome = import_parsed_review(session, parsed, film_id=film_id, create_film=create_film,
                                       outlet=outlet, approve_quotes=approve_quotes)
        before = _rows_before(session, outcome, critic_before)
    return _import_change([outcome], f"Import review of “{parsed.film.title}”", before)


def import_review_files(database: Database, paths: Sequence[str | Path], *, film_id: int | None = None,
                        create_film: bool = False, progress: Progress = no_progress) -> Change:
    """Import review files, each in its own transaction: a bad file (unreadable, not a review,
    ambiguous, unknown film) is reported by name in `details["files"]` and the others are stored.
    Every file gets its outcome, whatever one of them holds: even a failure of a reader library
    on a file is that file's "error" outcome, not the end of the batch.
    Cancelling through `progress` stops before the next file; files already done stay stored."""
    outcomes: list[ReviewImportOutcome] = []
    before: list[tuple[type, int, dict[str, Any] | None]] = []
    matcher: FilmMatcher | None = None
    for done, path in enumerate(paths):
        progress(done, len(paths), f"Importing {Path(path).name}")
        try:
            try:
                parsed = parse_review_file(path)
            except UserError:
                raise
            except Exception as error:  # noqa: BLE001  (whatever a file holds, the batch goes on)
                reason = (str(error).strip().splitlines() or [""])[0] or type(error).__name__
                raise UserError(f"{path}: could not be read as a review ({reason})") from None
            with database.transaction() as session:
                if matcher is None and film_id is None:
                    matcher = FilmMatcher(film_candidates(session))
                critic_before = _critic_as_it_was(session, parsed)
                outcome = import_parsed_review(session, parsed, film_id=film_id,
                                               create_film=create_film, matcher=matcher)
                # A critic met earlier in this batch keeps the state it had before the batch.
                known = {row_id for model, row_id, _ in before if model is Critic}
                before += [target for target in _rows_before(session, outcome, critic_before)
                           if not (target[0] is Critic and target[1] in known)]
        except UserError as error:
            outcome = ReviewImportOutcome(str(path), FAILED, message=str(error))
        if outcome.status == CREATED:
            matcher = None  # the next review may be about the film just created
        outcomes.append(outcome)
    progress(len(paths), len(paths), "Reviews imported")
    stored = sum(o.status in STORED for o in outcomes)
    return _import_change(outcomes, f"Import {stored} review{'s' if stored != 1 else ''}", _parents_first(before))


def _parents_first(targets: RowTargets) -> RowTargets:
    """A batch's rows with every film and critic before the reviews that refer to them."""
    order = (Film, FilmCountry, FilmCredit, Critic, Review, PullQuote)
    return sorted(targets, key=lambda target: order.index(target[0]))


# --- pull quotes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteRow:
    id: int
    text: str
    critic: str
    approved: bool
    review_id: int
    original_text: str


def _quote_or_error(session: Session, quote_id: int) -> PullQuote:
    quote = session.get(PullQuote, quote_id)
    if quote is None:
        raise UserError(f"quote {quote_id}: no such pull quote")
    return quote


def _quote_change(session: Session, quote: PullQuote, description: str) -> Change:
    review = session.get(Review, quote.review_id)
    assert review is not None
    return Change(description=description, films={review.film_id}, reviews={review.id},
                  details={"quote_id": quote.id, "text": quote.text, "approved": quote.approved})


def _set_quote(database: Database, quote_id: int, text: str, approved: bool, description: str) -> Change:
    with database.transaction() as session:
        quote = _quote_or_error(session, quote_id)
        old_text, old_approved = quote.text, quote.approved
        quote.text, quote.approved = text, approved
        session.add(quote)
        session.flush()
        change = _quote_change(session, quote, description)

    def undo(db: Database) -> Change:
        return _set_quote(db, quote_id, old_text, old_approved, description)

    change.undo = undo
    return change


def approve_quote(database: Database, quote_id: int, *, text: str | None = None,
                  approved: bool = True, expected_text: str | None = None) -> Change:
    """Approve a pull quote for print (or withdraw the approval with `approved=False`),
    optionally shortened to `text`, which must be the quote's original text with words left out
    (`core.quotes`); otherwise `UserError` says why and nothing changes. With `expected_text`
    (the text the caller showed) a quote changed meanwhile by someone else is refused."""
    with database.reading() as session:
        quote = _quote_or_error(session, quote_id)
        original, current = quote.original_text, quote.text
    _refuse_if_changed(quote_id, current, expected_text)
    if text is not None:
        text = require_shortened(original, text, f"quote {quote_id}")
    new_text = text if text is not None else current
    verb = "Approve" if approved else "Withdraw"
    return _set_quote(database, quote_id, new_text, approved, f"{verb} quote “{new_text}”")


def shorten_quote(database: Database, quote_id: int, text: str, *, expected_text: str | None = None) -> Change:
    """Set the printed form of a pull quote to `text`, its original with words left out (the rule
    of `core.quotes`, as `approve_quote` applies it); its approval stays as it is. Refused with
    the reason when `text` adds, changes or moves words, or when the quote is no longer
    `expected_text` (changed meanwhile)."""
    with database.reading() as session:
        quote = _quote_or_error(session, quote_id)
        original, current, approved = quote.original_text, quote.text, quote.approved
    _refuse_if_changed(quote_id, current, expected_text)
    text = require_shortened(original, text, f"quote {quote_id}")
    return _set_quote(database, quote_id, text, approved, f"Shorten quote to “{text}”")


def _refuse_if_changed(quote_id: int, current: str, expected_text: str | None) -> None:
    if expected_text is not None and " ".join(expected_text.split()) != " ".join(current.split()):
        raise UserError(f"quote {quote_id}: someone else changed it to “{current}” meanwhile; nothing was changed")


def add_quote(database: Database, review_id: int, text: str, *, approved: bool = False) -> Change:
    """Add a pull quote chosen from a review's text (a selected sentence, possibly shortened).
    Refused when the text is not in the review. `details["quote_id"]` is the new quote."""
    text = " ".join(text.split()).strip()
    with database.transaction() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise UserError(f"review {review_id}: no such review")
        if not text:
            raise UserError(f"review {review_id}: select the sentence to quote")
        paragraphs = [p for s in review.sections for p in s.get("paragraphs", [])]
        problem = shortening_problem("\n\n".join([review.standfirst or ""] + paragraphs), text)
        if problem is not None:
            raise UserError(f"review {review_id}: “{text}” is not in the review's text: {problem}")
        position = session.exec(select(func.count()).select_from(PullQuote)
                                .where(PullQuote.review_id == review_id)).one()
        quote = PullQuote(review_id=review_id, text=text, original_text=text, approved=approved,
                          position=position)
        session.add(quote)
        session.flush()
        quote_id = quote.id
        change = _quote_change(session, quote, f"Add quote “{text}”")

    def undo(db: Database) -> Change:
        return _remove_quote(db, quote_id, review_id, text, approved, position)

    change.undo = undo
    return change


def _remove_quote(database: Database, quote_id: int, review_id: int, text: str, approved: bool,
                  position: int) -> Change:
    with database.transaction() as session:
        quote = _quote_or_error(session, quote_id)
        original = quote.original_text
        change = _quote_change(session, quote, f"Remove quote “{text}”")
        session.delete(quote)

    def redo(db: Database) -> Change:
        with db.transaction() as session:
            restored = PullQuote(id=quote_id, review_id=review_id, text=text, original_text=original,
                                 approved=approved, position=position)
            session.add(restored)
            session.flush()
            again = _quote_change(session, restored, f"Add quote “{text}”")
        again.undo = lambda d: _remove_quote(d, quote_id, review_id, text, approved, position)
        return again

    change.undo = redo
    return change


def film_quotes(database: Database, film_id: int, *, approved_only: bool = False) -> list[QuoteRow]:
    """The pull quotes of a film's reviews, in review then quote order. `approved_only` gives
    what goes into print."""
    with database.reading() as session:
        if session.get(Film, film_id) is None:
            raise UserError(f"film {film_id}: no such film")
        query = (select(PullQuote.id, PullQuote.text, Critic.name, PullQuote.approved, PullQuote.review_id,
                        PullQuote.original_text)
                 .join(Review, Review.id == PullQuote.review_id).join(Critic, Critic.id == Review.critic_id)
                 .where(Review.film_id == film_id))
        if approved_only:
            query = query.where(PullQuote.approved == True)  # noqa: E712 (SQL expression)
        rows = session.exec(query.order_by(Review.imported_at, Review.id, PullQuote.position, PullQuote.id)).all()
    return [QuoteRow(*row) for row in rows]


# --- reading for the desk ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewView:
    """One review as the film page shows it (plain values)."""

    id: int
    film_id: int
    critic_id: int
    critic: str
    outlet: str
    bio: str
    standfirst: str | None
    tags: tuple[str, ...]
    sections: tuple[tuple[str | None, tuple[str, ...]], ...]
    captions: tuple[str, ...]
    quotes: tuple[QuoteRow, ...]
    source_name: str
    imported_at: dt.datetime


def film_reviews(database: Database, film_id: int) -> list[ReviewView]:
    """A film's reviews with their subheaded sections and pull quotes, oldest import first."""
    quotes_by_review: dict[int, list[QuoteRow]] = {}
    for quote in film_quotes(database, film_id):
        quotes_by_review.setdefault(quote.review_id, []).append(quote)
    with database.reading() as session:
        rows = session.exec(select(Review, Critic).join(Critic, Critic.id == Review.critic_id)
                            .where(Review.film_id == film_id).order_by(Review.imported_at, Review.id)).all()
        return [
            ReviewView(review.id, review.film_id, critic.id, critic.name, critic.outlet, critic.bio,
                       review.standfirst, tuple(review.tags),
                       tuple((s.get("heading"), tuple(s.get("paragraphs", []))) for s in review.sections),
                       tuple(review.captions), tuple(quotes_by_review.get(review.id, ())),
                       review.source_name, review.imported_at)
            for review, critic in rows
        ]


@dataclass(frozen=True)
class CriticRow:
    id: int
    name: str
    outlet: str
    bio: str
    reviews: int


def list_critics(database: Database) -> list[CriticRow]:
    """Every critic with the number of reviews on record, in name order (accents ignored)."""
    with database.reading() as session:
        counts = dict(session.exec(select(Review.critic_id, func.count()).group_by(Review.critic_id)).all())
        critics = session.exec(select(Critic.id, Critic.name, Critic.outlet, Critic.bio)).all()
    rows = [CriticRow(cid, name, outlet, bio, counts.get(cid, 0)) for cid, name, outlet, bio in critics]
    return sorted(rows, key=lambda row: (sort_key(row.name), row.id))
