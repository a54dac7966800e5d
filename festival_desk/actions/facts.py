"""Catalogue facts of films: accessibility (subtitle language, subtitles for the deaf and hard of
hearing, audio description), content advice and the recommended minimum age.

Guarantees:
- `set_facts` changes only the facts it is given, as one action; undo restores them. A language
  that is neither a name nor an ISO 639 code, an age outside 0–21 or advice over 500 characters is
  refused with one line naming the field.
- A submissions import fills facts from custom answers where the question is mapped to a fact
  (`map_question`; common wordings are recognised without a mapping, see
  core.committee.fact_for_question). A re-import changes a fact only where it still holds what the
  previous import wrote: the committee's edits stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from festival_desk.actions.changes import Change, undo_by
from festival_desk.actions.programming import _films
from festival_desk.core.codes import language_code, language_name
from festival_desk.core.committee import (
    FACT_FIELDS,
    describe_facts,
    fact_for_question,
    mapping_key,
    parse_age,
    parse_yes_no,
)
from festival_desk.core.errors import UserError
from festival_desk.store.committee_models import MAX_AGE_RECOMMENDATION
from festival_desk.store.db import Database
from festival_desk.store.models import CatalogueFacts, Film, Preset

MAPPING_KIND = "facts_mapping"
MAPPING_NAME = "custom questions"
MAX_ADVICE_CHARACTERS = 500
FACT_LABELS = {
    "subtitle_language": "Subtitle language",
    "sdh": "Subtitles for the deaf and hard of hearing (SDH)",
    "audio_description": "Audio description",
    "content_advice": "Content advice",
    "age_recommendation": "Age recommendation",
}


@dataclass(frozen=True)
class Facts:
    """A film's catalogue facts; None where not known."""

    film_id: int
    subtitle_language: str | None = None  # ISO 639-3
    subtitle_label: str = ""  # as given (shown when no code fits)
    sdh: bool | None = None
    audio_description: bool | None = None
    content_advice: str = ""
    age_recommendation: int | None = None

    @property
    def subtitles(self) -> str:
        """The subtitle language as a reader names it ("" when not known)."""
        return language_name(self.subtitle_language) if self.subtitle_language else self.subtitle_label

    def phrases(self) -> list[str]:
        """As printed (core.committee.describe_facts)."""
        return describe_facts(subtitles=self.subtitles, sdh=self.sdh, audio_description=self.audio_description,
                              content_advice=self.content_advice, age_recommendation=self.age_recommendation)

    def as_dict(self) -> dict[str, Any]:
        return {"film_id": self.film_id, "subtitle_language": self.subtitle_language, "subtitles": self.subtitles,
                "sdh": self.sdh, "audio_description": self.audio_description,
                "content_advice": self.content_advice, "age_recommendation": self.age_recommendation,
                "printed": self.phrases()}


_COLUMNS = ("subtitle_language", "subtitle_label", "sdh", "audio_description", "content_advice", "age_recommendation")


def _facts(row: CatalogueFacts | None, film_id: int) -> Facts:
    if row is None:
        return Facts(film_id)
    return Facts(film_id, *(getattr(row, name) for name in _COLUMNS))


def facts_of(session: Session, film_ids: Iterable[int]) -> dict[int, Facts]:
    """The facts of each film (every id gets an entry; unknown facts are None)."""
    ids = list(dict.fromkeys(film_ids))
    rows: dict[int, CatalogueFacts] = {}
    for start in range(0, len(ids), 500):
        for row in session.exec(select(CatalogueFacts).where(CatalogueFacts.film_id.in_(ids[start:start + 500]))):
            rows[row.film_id] = row
    return {film_id: _facts(rows.get(film_id), film_id) for film_id in ids}


def catalogue_facts(database: Database, film_id: int) -> Facts:
    with database.reading() as session:
        _films(session, [film_id])
        return facts_of(session, [film_id])[film_id]


_UNSET: Any = object()


def _subtitle_values(text: str | None) -> tuple[str | None, str]:
    """(code, label) of a subtitle language as typed; "" or None clears it."""
    clean = " ".join((text or "").split())
    if not clean:
        return None, ""
    code = language_code(clean)
    if code is None:
        raise UserError(f"subtitles: {clean!r} is not a language name or ISO 639 code")
    return code, clean


def _check_age(age: int | None) -> int | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE_RECOMMENDATION:
        raise UserError(f"age: a recommended minimum age is a whole number from 0 (all ages) to "
                        f"{MAX_AGE_RECOMMENDATION}, not {age!r}")
    return age


def _check_advice(text: str) -> str:
    clean = " ".join((text or "").split())
    if len(clean) > MAX_ADVICE_CHARACTERS:
        raise UserError(f"content advice: {len(clean)} characters; keep it under {MAX_ADVICE_CHARACTERS}")
    return clean


def set_facts(database: Database, film_id: int, *, subtitles: str | None = _UNSET, sdh: bool | None = _UNSET,
              audio_description: bool | None = _UNSET, content_advice: str = _UNSET,
              age_recommendation: int | None = _UNSET) -> Change:
    """Set the facts given (None clears one; "" clears the subtitle language or advice)."""
    values: dict[str, Any] = {}
    if subtitles is not _UNSET:
        values["subtitle_language"], values["subtitle_label"] = _subtitle_values(subtitles)
    for name, value in (("sdh", sdh), ("audio_description", audio_description)):
        if value is not _UNSET:
            if value is not None and not isinstance(value, bool):
                raise UserError(f"{name.replace('_', ' ')}: say yes or no, not {value!r}")
            values[name] = value
    if content_advice is not _UNSET:
        values["content_advice"] = _check_advice(content_advice or "")
    if age_recommendation is not _UNSET:
        values["age_recommendation"] = _check_age(age_recommendation)
    return _write_facts(database, film_id, values)


def _write_facts(database: Database, film_id: int, values: Mapping[str, Any]) -> Change:
    with database.transaction() as session:
        [film] = _films(session, [film_id])
        row = session.get(CatalogueFacts, film_id)
        before_facts = _facts(row, film_id)
        before = {name: getattr(before_facts, name) for name in values}
        row = row or CatalogueFacts(film_id=film_id)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.flush()
        after = _facts(row, film_id)
        title = film.title
    changed = {name for name in values if before[name] != getattr(after, name)}
    description = f"Catalogue facts of “{title}”"

    undo = undo_by(description, lambda db: _write_facts(db, film_id, before), lambda db: _write_facts(db, film_id, values))
    return Change(description=description, films={film_id}, undo=undo if changed else None,
                  details={"facts": after.as_dict(), "changed": sorted(changed)})


# --- from submission forms --------------------------------------------------------------------------


def facts_mapping(database: Database) -> dict[str, str]:
    """The festival's own mapping: {custom question as saved: fact ("" ignores the question)}."""
    with database.reading() as session:
        return _saved_mapping(session)


def _saved_mapping(session: Session) -> dict[str, str]:
    preset = session.exec(select(Preset).where(Preset.kind == MAPPING_KIND, Preset.name == MAPPING_NAME)).first()
    return dict(preset.data.get("questions", {})) if preset else {}


def map_question(database: Database, question: str, fact: str | None) -> Change:
    """Map a custom question of the submission form to a catalogue fact (None or "none": ignore
    the question even where its words would be recognised). Applies from the next import."""
    clean = " ".join((question or "").split())
    if not clean:
        raise UserError("facts map: give the question as the submission form asks it")
    wanted = (fact or "none").strip().lower().replace("-", "_")
    if wanted != "none" and wanted not in FACT_FIELDS:
        raise UserError(f"facts map: {fact!r} is not a catalogue fact; facts: {', '.join(FACT_FIELDS)}, or none")
    with database.transaction() as session:
        preset = session.exec(select(Preset).where(Preset.kind == MAPPING_KIND, Preset.name == MAPPING_NAME)).first()
        preset = preset or Preset(kind=MAPPING_KIND, name=MAPPING_NAME, data={})
        questions = dict(preset.data.get("questions", {}))
        previous = questions.get(mapping_key(clean))
        questions[mapping_key(clean)] = "" if wanted == "none" else wanted
        preset.data = {"questions": questions}
        session.add(preset)
    description = f"Map “{clean}” to {FACT_LABELS.get(wanted, 'nothing')}"

    def undo(db: Database) -> Change:
        with db.transaction() as session:
            preset = session.exec(select(Preset).where(Preset.kind == MAPPING_KIND,
                                                       Preset.name == MAPPING_NAME)).first()
            questions = dict(preset.data.get("questions", {}))
            if previous is None:
                questions.pop(mapping_key(clean), None)
            else:
                questions[mapping_key(clean)] = previous
            preset.data = {"questions": questions}
            session.add(preset)
        return Change(description=description, settings={MAPPING_KIND},
                      undo=lambda db2: map_question(db2, clean, fact))

    return Change(description=description, settings={MAPPING_KIND}, undo=undo,
                  details={"question": clean, "fact": None if wanted == "none" else wanted})


def _answer_values(fact: str, answer: str) -> dict[str, Any] | None:
    """The columns an answer fills for `fact`, or None when the answer cannot be read."""
    if fact == "subtitle_language":
        clean = " ".join(answer.split())
        if parse_yes_no(clean) is False:
            return {"subtitle_language": None, "subtitle_label": ""}
        return {"subtitle_language": language_code(clean), "subtitle_label": clean}
    if fact in ("sdh", "audio_description"):
        value = parse_yes_no(answer)
        return None if value is None else {fact: value}
    if fact == "content_advice":
        advice = " ".join(answer.split())[:MAX_ADVICE_CHARACTERS]
        return None if parse_yes_no(advice) is False else {"content_advice": advice}
    if fact == "age_recommendation":
        age = parse_age(answer)
        return None if age is None else {"age_recommendation": age}
    return None


def apply_fact_answers(session: Session, film_ids: Iterable[int]) -> int:
    """Fill the facts of `film_ids` from their stored custom answers (`Film.extra`), inside the
    caller's transaction (the submissions import). Returns how many films got a fact changed."""
    ids = list(dict.fromkeys(film_ids))
    if not ids:
        return 0
    mapping = _saved_mapping(session)
    # A festival's form asks a few dozen questions of every film: each is read once, not per film.
    facts_of: dict[str, str | None] = {}
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        extras = dict(session.execute(sa.select(Film.id, Film.extra).where(Film.id.in_(chunk))).all())
        rows = {row.film_id: row for row in session.exec(select(CatalogueFacts)
                                                         .where(CatalogueFacts.film_id.in_(chunk)))}
        for film_id in chunk:
            answers: dict[str, Any] = {}
            for question, answer in (extras.get(film_id) or {}).items():
                if question not in facts_of:
                    facts_of[question] = fact_for_question(question, mapping)
                fact = facts_of[question]
                if fact and isinstance(answer, str) and answer.strip():
                    values = _answer_values(fact, answer)
                    if values:
                        answers.update(values)
            row = rows.get(film_id)
            if not answers and (row is None or not row.imported):
                continue
            row = row or CatalogueFacts(film_id=film_id)
            previous = dict(row.imported or {})
            touched = False
            for name, value in answers.items():
                # A fact the committee set or edited since the last import keeps their value.
                current = getattr(row, name)
                untouched = current == previous[name] if name in previous else current in (None, "")
                if not untouched:
                    continue
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    touched = True
            row.imported = answers
            session.add(row)
            changed += touched
    return changed
