"""Which film is a review about? Ranking candidate films by title, directors and year.

Tolerant of case, diacritics, leading articles ("The Red Soul" = "Red Soul") and small spelling
differences (rapidfuzz), and never guessing: the verdict is CLEAR only when one film is supported
by a near-identical title and nothing contradicts it (directors or year), and no other film comes
close; otherwise AMBIGUOUS (candidates listed with their scores, for a person to choose) or NONE.

Films are given as plain `CandidateFilm` values, so this runs without a database. `FilmMatcher`
prepares the keys once; a match then prefilters with rapidfuzz over the prepared lists (25,000
films in a few milliseconds) and scores only the few that pass.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from festival_desk.core.text import fold_words, sort_title

# A title this similar (0-100) is the same title with a small spelling difference.
SAME_TITLE = 90
# Below this a candidate's title is not worth showing unless its directors and year agree.
SHOWN_TITLE = 75
SAME_DIRECTOR = 85
CONTRADICTING_DIRECTOR = 70
# Festivals and critics often give years one apart (production vs premiere).
YEAR_TOLERANCE = 1
# How far the best candidate must lead the next one to be a clear match.
CLEAR_LEAD = 8
_PREFILTER_TITLE = 60
_PREFILTER_DIRECTOR = 88
_PREFILTER_LIMIT = 40
_SHOWN_CANDIDATES = 10
_WEIGHTS = {"title": 0.6, "directors": 0.25, "year": 0.15}


class Verdict(enum.StrEnum):
    CLEAR = "clear"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class CandidateFilm:
    film_id: int
    title: str
    original_title: str | None = None
    directors: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class ScoredCandidate:
    """A candidate with its evidence: `score` 0-100 overall; `director_score` None when either
    side names no director; `year_difference` None when either side has no year."""

    film: CandidateFilm
    score: float
    title_score: float
    director_score: float | None
    year_difference: int | None

    @property
    def contradicted(self) -> bool:
        return ((self.director_score is not None and self.director_score < CONTRADICTING_DIRECTOR)
                or (self.year_difference is not None and self.year_difference > YEAR_TOLERANCE))

    @property
    def corroborated(self) -> bool:
        return ((self.director_score is not None and self.director_score >= SAME_DIRECTOR)
                or (self.year_difference is not None and self.year_difference <= YEAR_TOLERANCE))

    @property
    def supported(self) -> bool:
        """Near-identical title, nothing against it, and either the identical title or a
        director or year that agrees."""
        return (self.title_score >= SAME_TITLE and not self.contradicted
                and (self.title_score == 100 or self.corroborated))


@dataclass(frozen=True)
class MatchResult:
    verdict: Verdict
    candidates: tuple[ScoredCandidate, ...]  # best first

    @property
    def film_id(self) -> int | None:
        """The matched film's id when the verdict is CLEAR, else None."""
        return self.candidates[0].film.film_id if self.verdict is Verdict.CLEAR else None


def title_key(title: str | None) -> str:
    """The comparable form of a title: leading article dropped, folded, words only."""
    return fold_words(sort_title(title)) if title else ""


def name_key(name: str) -> str:
    return fold_words(name)


class FilmMatcher:
    """Candidate films prepared for repeated matching (the GUI's import dialog, a batch import)."""

    def __init__(self, films: Iterable[CandidateFilm]) -> None:
        self._films: list[CandidateFilm] = list(films)
        # Distinct keys -> the films that have them: many films share a director, some a title.
        self._by_title: dict[str, list[int]] = {}
        self._by_director: dict[str, list[int]] = {}
        self._film_titles: list[tuple[str, ...]] = []
        self._film_directors: list[tuple[str, ...]] = []
        for index, film in enumerate(self._films):
            keys = tuple(dict.fromkeys(k for k in (title_key(film.title), title_key(film.original_title)) if k))
            directors = tuple(k for k in (name_key(d) for d in film.directors) if k)
            self._film_titles.append(keys)
            self._film_directors.append(directors)
            for key in keys:
                self._by_title.setdefault(key, []).append(index)
            for key in directors:
                self._by_director.setdefault(key, []).append(index)
        self._title_choices = list(self._by_title)
        self._director_choices = list(self._by_director)

    def __len__(self) -> int:
        return len(self._films)

    def match(self, title: str, original_title: str | None = None,
              directors: Sequence[str] = (), year: int | None = None) -> MatchResult:
        """Rank the films against a review's title, original title, directors and year."""
        query_titles = tuple(dict.fromkeys(k for k in (title_key(title), title_key(original_title)) if k))
        query_directors = tuple(k for k in (name_key(d) for d in directors) if k)
        indexes: set[int] = set()
        for key in query_titles:
            for choice, _, _ in process.extract(key, self._title_choices, scorer=fuzz.ratio,
                                                score_cutoff=_PREFILTER_TITLE, limit=_PREFILTER_LIMIT):
                indexes.update(self._by_title[choice])
        # A film filed under another title is still found by its director, in the right years.
        for key in query_directors:
            for choice, _, _ in process.extract(key, self._director_choices, scorer=fuzz.token_sort_ratio,
                                                score_cutoff=_PREFILTER_DIRECTOR, limit=_PREFILTER_LIMIT):
                indexes.update(i for i in self._by_director[choice]
                               if year is None or self._films[i].year is None
                               or abs(self._films[i].year - year) <= YEAR_TOLERANCE)
        scored = [self._score(index, query_titles, query_directors, year) for index in indexes]
        shown = sorted((c for c in scored if _worth_showing(c)),
                       key=lambda c: (-c.score, c.film.title, c.film.film_id))[:_SHOWN_CANDIDATES]
        return MatchResult(_verdict(shown), tuple(shown))

    def _score(self, index: int, query_titles: tuple[str, ...], query_directors: tuple[str, ...],
               year: int | None) -> ScoredCandidate:
        film = self._films[index]
        title_score = max((fuzz.ratio(q, k) for q in query_titles for k in self._film_titles[index]),
                          default=0.0)
        film_directors = self._film_directors[index]
        director_score = None
        if query_directors and film_directors:
            # each director the review names, at their best match among the film's
            director_score = sum(max(fuzz.token_sort_ratio(q, d) for d in film_directors)
                                 for q in query_directors) / len(query_directors)
        year_difference = abs(year - film.year) if year is not None and film.year is not None else None
        parts = {"title": title_score}
        if director_score is not None:
            parts["directors"] = director_score
        if year_difference is not None:
            parts["year"] = max(0.0, 100.0 - 40.0 * year_difference)
        total = sum(_WEIGHTS[name] * value for name, value in parts.items())
        score = round(total / sum(_WEIGHTS[name] for name in parts), 1)
        return ScoredCandidate(film, score, round(title_score, 1),
                               None if director_score is None else round(director_score, 1),
                               year_difference)


def _worth_showing(candidate: ScoredCandidate) -> bool:
    if candidate.title_score >= SHOWN_TITLE:
        return True
    return (candidate.director_score is not None and candidate.director_score >= SAME_DIRECTOR
            and candidate.year_difference is not None and candidate.year_difference <= YEAR_TOLERANCE)


def _verdict(ranked: Sequence[ScoredCandidate]) -> Verdict:
    if not ranked:
        return Verdict.NONE
    best = ranked[0]
    rival = ranked[1] if len(ranked) > 1 else None
    if best.supported and (rival is None or (not rival.supported and best.score - rival.score >= CLEAR_LEAD)):
        return Verdict.CLEAR
    return Verdict.AMBIGUOUS


def match_film(films: Iterable[CandidateFilm], title: str, original_title: str | None = None,
               directors: Sequence[str] = (), year: int | None = None) -> MatchResult:
    """One-off match (prepare a `FilmMatcher` to match many reviews against the same films)."""
    return FilmMatcher(films).match(title, original_title, directors, year)


def nearest_names(name: str, names: Iterable[str], *, limit: int = 3, cutoff: int = 60) -> list[str]:
    """The names most like `name`, best first, case- and accent-insensitive ("maja" finds "Maja
    Kovačič", "Tomaz" finds "Tomaž Žnidaršič"): at most `limit`, none scoring below `cutoff`
    (0-100). A name whose words include all of `name`'s words always qualifies."""
    candidates = list(dict.fromkeys(names))
    key = fold_words(name)
    if not key or not candidates:
        return []
    folded = [fold_words(candidate) for candidate in candidates]
    words = set(key.split())
    scored = []
    for candidate, candidate_key in zip(candidates, folded):
        score = fuzz.WRatio(key, candidate_key)
        if words <= set(candidate_key.split()):
            score = max(score, 95)
        if score >= cutoff:
            scored.append((-score, candidate_key, candidate))
    return [candidate for _, _, candidate in sorted(scored)[:limit]]
