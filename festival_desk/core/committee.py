"""The committee's rules on plain values: the weighted rubric, spreading films over the committee,
deadlines, and reading catalogue facts as people write them.

Guarantees:
- A rubric is a list of named criteria with weights greater than 0; names are one criterion
  whatever their case or accents; `parse_rubric` refuses anything else with one line.
- A rating given per criterion has the overall score `weighted_overall`: the mean of the criterion
  scores weighted by the criteria's weights (only the criteria scored count). It is computed once,
  when the rating is given, so a later change of the rubric leaves it as it was.
- `plan_spread` gives every film at least K viewers where the committee allows it, never to a
  programmer with a conflict of interest, never to a programmer whose known languages the film
  does not offer (spoken or subtitled), preferring programmers who have already seen the film, then
  those with the fewest open assignments; films it cannot cover are reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from festival_desk.core.scores import MAX_SCORE, MIN_SCORE
from festival_desk.core.text import fold_words

MAX_WEIGHT = 100.0


class RuleError(ValueError):
    """Input that breaks one of these rules; the message is one line for the user."""


# --- the rubric ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float


def format_weight(weight: float) -> str:
    """2.0 -> "2", 1.5 -> "1.5"."""
    return f"{weight:g}"


def parse_rubric(text: str) -> list[Criterion]:
    """Criteria from "Craft:2, Relevance:1, Fit for the programme:1" (weights may be decimals).

    RuleError for an empty rubric, a criterion without a name or weight, a weight that is not a
    number or not greater than 0 (or over 100), and a name given twice."""
    parts = [part.strip() for part in (text or "").split(",")]
    if not any(parts):
        raise RuleError("the rubric is empty: give criteria with weights, e.g. \"Craft:2,Relevance:1\"")
    criteria: list[Criterion] = []
    seen: dict[str, str] = {}
    for part in parts:
        if not part:
            raise RuleError(f"the rubric {text!r} has an empty criterion between two commas")
        name, colon, weight_text = part.rpartition(":")
        name = " ".join(name.split())
        if not colon or not name:
            raise RuleError(f"criterion {part!r} needs a name and a weight, e.g. \"Craft:2\"")
        try:
            weight = float(weight_text.strip().replace(",", "."))
        except ValueError:
            raise RuleError(f"the weight of “{name}” is not a number: {weight_text.strip()!r}") from None
        if not math.isfinite(weight) or weight <= 0:
            raise RuleError(f"the weight of “{name}” must be more than 0, not {weight_text.strip()}")
        if weight > MAX_WEIGHT:
            raise RuleError(f"the weight of “{name}” is {weight_text.strip()}: weights run up to {MAX_WEIGHT:g}")
        key = fold_words(name)
        if key in seen:
            raise RuleError(f"the rubric names “{name}” twice (also as “{seen[key]}”)")
        seen[key] = name
        criteria.append(Criterion(name, weight))
    return criteria


def describe_rubric(criteria: Iterable[Criterion]) -> str:
    """The rubric as `parse_rubric` reads it: "Craft:2,Relevance:1"."""
    return ",".join(f"{criterion.name}:{format_weight(criterion.weight)}" for criterion in criteria)


def parse_criterion_scores(items: Sequence[str]) -> list[tuple[str, int]]:
    """("Craft", 4), ... from "Craft=4" items. RuleError names the item that is not NAME=1..5 or a
    criterion given twice. Names are not checked against the rubric here (see `match_criteria`)."""
    scores: list[tuple[str, int]] = []
    seen: set[str] = set()
    for item in items:
        name, equals, value = (item or "").rpartition("=")
        name = " ".join(name.split())
        if not equals or not name:
            raise RuleError(f"--criterion {item!r}: write NAME=SCORE, e.g. Craft=4")
        try:
            score = int(value.strip())
        except ValueError:
            score = None
        if score is None or not MIN_SCORE <= score <= MAX_SCORE:
            raise RuleError(f"--criterion {item!r}: a score is a whole number from {MIN_SCORE} to {MAX_SCORE}")
        key = fold_words(name)
        if key in seen:
            raise RuleError(f"--criterion: “{name}” is given twice")
        seen.add(key)
        scores.append((name, score))
    return scores


def match_criteria(given: Sequence[tuple[str, int]], rubric: Sequence[Criterion]) -> list[tuple[Criterion, int]]:
    """Each given (name, score) paired with its rubric criterion (case and accents aside).
    RuleError, one line, for a name the rubric lacks, listing the rubric's criteria."""
    by_key = {fold_words(criterion.name): criterion for criterion in rubric}
    paired = []
    for name, score in given:
        criterion = by_key.get(fold_words(name))
        if criterion is None:
            known = ", ".join(c.name for c in rubric) or "none (set one with: festival-desk rubric set ...)"
            raise RuleError(f"the rubric has no criterion “{name}” (criteria: {known})")
        paired.append((criterion, score))
    return paired


def weighted_overall(scored: Sequence[tuple[Criterion, int]]) -> float:
    """Σ weight·score / Σ weight over the criteria scored. RuleError when nothing is scored."""
    if not scored:
        raise RuleError("no criterion scored")
    total_weight = sum(criterion.weight for criterion, _ in scored)
    return sum(criterion.weight * score for criterion, score in scored) / total_weight


def stars_of(overall: float) -> int:
    """An overall score rounded to whole stars (halves up): 3.5 -> 4, 3.49 -> 3."""
    return max(MIN_SCORE, min(MAX_SCORE, math.floor(overall + 0.5)))


# --- deadlines ----------------------------------------------------------------------------------


def parse_due(text: str) -> dt.date:
    """A due date written as YYYY-MM-DD. A day in the past is accepted (it shows as overdue)."""
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise RuleError(f"due date {text!r} is not a date like 2026-12-24") from None


def is_overdue(due_on: dt.date | None, done: bool, today: dt.date) -> bool:
    """An open assignment whose due day has passed."""
    return due_on is not None and not done and due_on < today


# --- spreading films over the committee ---------------------------------------------------------


@dataclass(frozen=True)
class FilmToCover:
    """A film to spread. `languages`: what it can be followed in (spoken and subtitle languages,
    ISO 639-3; empty: not known). `assigned`: programmers it is already assigned to; `seen`: those
    who have watched or rated it; `conflicted`: those with a conflict of interest."""

    film_id: int
    languages: frozenset[str] = frozenset()
    assigned: frozenset[int] = frozenset()
    seen: frozenset[int] = frozenset()
    conflicted: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Viewer:
    """A committee member available for assignments, with the languages they follow (empty: not
    known, any film) and how many open assignments they already have."""

    programmer_id: int
    languages: frozenset[str] = frozenset()
    open_assignments: int = 0


@dataclass(frozen=True)
class Shortfall:
    film_id: int
    viewers: int  # what the film has after the spread
    reason: str


@dataclass
class SpreadPlan:
    """New (film id, programmer id) assignments, and the films left short of K viewers."""

    assignments: list[tuple[int, int]] = field(default_factory=list)
    short: list[Shortfall] = field(default_factory=list)

    def counts(self) -> dict[int, int]:
        """New assignments per programmer id."""
        counts: dict[int, int] = {}
        for _, programmer_id in self.assignments:
            counts[programmer_id] = counts.get(programmer_id, 0) + 1
        return counts


def can_follow(viewer: Viewer, film: FilmToCover) -> bool:
    """True unless both the viewer's and the film's languages are known and share none."""
    return not viewer.languages or not film.languages or bool(viewer.languages & film.languages)


def plan_spread(films: Sequence[FilmToCover], viewers: Sequence[Viewer], per_film: int) -> SpreadPlan:
    """Assignments that bring every film to `per_film` viewers (assigned programmers without a
    conflict count), see the module's guarantees. Deterministic for the same input."""
    if per_film < 1:
        raise RuleError(f"--viewers must be at least 1, not {per_film}")
    load = {viewer.programmer_id: viewer.open_assignments for viewer in viewers}
    plan = SpreadPlan()

    def eligible(film: FilmToCover) -> list[Viewer]:
        return [viewer for viewer in viewers if viewer.programmer_id not in film.conflicted
                and viewer.programmer_id not in film.assigned and can_follow(viewer, film)]

    # The films with the fewest possible viewers go first, so that the flexible ones fill in.
    candidates = {film.film_id: eligible(film) for film in films}
    for film in sorted(films, key=lambda f: (len(candidates[f.film_id]), f.film_id)):
        have = len(film.assigned - film.conflicted)
        need = per_film - have
        if need <= 0:
            continue
        pool = sorted(candidates[film.film_id],
                      key=lambda v: (v.programmer_id not in film.seen, load[v.programmer_id], v.programmer_id))
        chosen = pool[:need]
        for viewer in chosen:
            plan.assignments.append((film.film_id, viewer.programmer_id))
            if viewer.programmer_id not in film.seen:
                load[viewer.programmer_id] += 1
        if len(chosen) < need:
            plan.short.append(Shortfall(film.film_id, have + len(chosen), _short_reason(film, viewers)))
    return plan


def _short_reason(film: FilmToCover, viewers: Sequence[Viewer]) -> str:
    conflicted = sum(1 for v in viewers if v.programmer_id in film.conflicted)
    languages = sum(1 for v in viewers if v.programmer_id not in film.conflicted and not can_follow(v, film))
    reasons = []
    if conflicted:
        reasons.append(f"{conflicted} with a conflict of interest")
    if languages:
        reasons.append(f"{languages} without its languages")
    available = len(viewers) - conflicted - languages
    detail = f" ({', '.join(reasons)})" if reasons else ""
    return f"only {available} of {len(viewers)} committee members can take it{detail}"


# --- catalogue facts as people write them -------------------------------------------------------

_YES = {"yes", "y", "true", "1", "x", "available", "included", "provided", "ja", "oui", "si", "da"}
_NO = {"no", "n", "false", "0", "none", "not available", "unavailable", "nein", "non", "ne"}
_AGE = re.compile(r"\d{1,2}")
_ALL_AGES = {"all", "all ages", "everyone", "general", "general audience", "for all ages", "tous publics"}


def parse_yes_no(text: str | None) -> bool | None:
    """True/False for the usual ways of answering yes or no (first word counts: "Yes, English SDH"
    is yes); None for an empty or unclear answer."""
    key = fold_words(text)
    if not key:
        return None
    if key in _YES or key in _NO:
        return key in _YES
    first = key.split()[0]
    if first in _YES or first in _NO:
        return first in _YES
    return None


def parse_age(text: str | None) -> int | None:
    """A recommended minimum age from "12", "12+", "Ages 12 and up", "PG-13" (13), "All ages" (0);
    None when none can be read or it is over 21."""
    key = fold_words(text)
    if not key:
        return None
    if key in _ALL_AGES:
        return 0
    match = _AGE.search(key)
    if match is None:
        return None
    age = int(match.group())
    return age if age <= 21 else None


def age_label(age: int | None) -> str:
    """"12+" for 12, "All ages" for 0, "" when not known."""
    if age is None:
        return ""
    return "All ages" if age == 0 else f"{age}+"


def mapping_key(question: str) -> str:
    """The form in which a custom question is looked up in a facts mapping."""
    return fold_words(question)


# The catalogue fact each recognised custom question fills, by words the question contains (all of
# a tuple's words must be there). A festival's own mapping, when saved, comes first.
DEFAULT_FACT_QUESTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("audio", "description"), "audio_description"),
    (("sdh",), "sdh"),
    (("deaf",), "sdh"),
    (("hard", "hearing"), "sdh"),
    (("subtitle", "language"), "subtitle_language"),
    (("subtitles", "language"), "subtitle_language"),
    (("subtitled", "in"), "subtitle_language"),
    (("content", "advice"), "content_advice"),
    (("content", "warning"), "content_advice"),
    (("content", "warnings"), "content_advice"),
    (("trigger", "warning"), "content_advice"),
    (("trigger", "warnings"), "content_advice"),
    (("age", "recommendation"), "age_recommendation"),
    (("recommended", "age"), "age_recommendation"),
    (("age", "rating"), "age_recommendation"),
    (("minimum", "age"), "age_recommendation"),
)
FACT_FIELDS = ("subtitle_language", "sdh", "audio_description", "content_advice", "age_recommendation")


def fact_for_question(question: str, mapping: Mapping[str, str] | None = None) -> str | None:
    """The catalogue fact a custom question's answer fills: from `mapping` ({mapping_key: field}),
    else recognised by its words (DEFAULT_FACT_QUESTIONS), else None. A mapping to "" ignores it."""
    key = mapping_key(question)
    if mapping and key in mapping:
        return mapping[key] or None
    words = set(key.split())
    for needed, fact in DEFAULT_FACT_QUESTIONS:
        if all(word in words for word in needed):
            return fact
    return None


def describe_facts(*, subtitles: str | None, sdh: bool | None, audio_description: bool | None,
                   content_advice: str, age_recommendation: int | None) -> list[str]:
    """The catalogue facts as the audience reads them (the English booklet's words, see
    printing.catalogue_facts), in print order: "English subtitles", "Subtitles for the deaf and
    hard of hearing", "Audio description", "Age 12+", "Content advice: …".
    Unknown facts are left out; "no SDH" is not printed (an absence is not news)."""
    phrases = []
    if subtitles:
        phrases.append(f"{subtitles} subtitles")
    if sdh:
        phrases.append("Subtitles for the deaf and hard of hearing")
    if audio_description:
        phrases.append("Audio description")
    if age_recommendation is not None:
        phrases.append("All ages" if age_recommendation == 0 else f"Age {age_recommendation}+")
    if content_advice.strip():
        phrases.append(f"Content advice: {content_advice.strip()}")
    return phrases
