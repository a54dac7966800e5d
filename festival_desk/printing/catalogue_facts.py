"""The catalogue facts line of a booklet entry: subtitle language, subtitles for the deaf and hard
of hearing, audio description, recommended age and content advice, in the booklet's label language.

A small part of its own (the booklet renderer calls `facts_line` once per entry) so that the
booklet's modules stay as they are. Facts not known print nothing; "no SDH" is not printed.
"""

from __future__ import annotations

from collections.abc import Callable

from festival_desk.printing.snapshot import CatalogueFactsEntry
from festival_desk.printing.styles import markup

_WORDS = {
    "en": {"subtitles": "{language} subtitles", "sdh": "Subtitles for the deaf and hard of hearing",
           "audio_description": "Audio description", "age": "Age {age}+", "all_ages": "All ages",
           "advice": "Content advice"},
    "de": {"subtitles": "Untertitel: {language}", "sdh": "Untertitel für Gehörlose und Hörgeschädigte",
           "audio_description": "Audiodeskription", "age": "Ab {age} Jahren", "all_ages": "Für alle Altersstufen",
           "advice": "Inhaltshinweis"},
}


def facts_phrases(facts: CatalogueFactsEntry | None, language: str,
                  language_name: Callable[[str | None, str], str]) -> list[str]:
    """The facts as plain phrases, in print order. `language_name(code, label)` names the subtitle
    language in the booklet's language."""
    if facts is None:
        return []
    words = _WORDS.get(language, _WORDS["en"])
    phrases = []
    if facts.subtitles is not None and (facts.subtitles.code or facts.subtitles.label):
        phrases.append(words["subtitles"].format(language=language_name(facts.subtitles.code,
                                                                        facts.subtitles.label)))
    if facts.sdh:
        phrases.append(words["sdh"])
    if facts.audio_description:
        phrases.append(words["audio_description"])
    if facts.age_recommendation is not None:
        phrases.append(words["all_ages"] if facts.age_recommendation == 0
                       else words["age"].format(age=facts.age_recommendation))
    if facts.content_advice.strip():
        phrases.append(f"{words['advice']}: {facts.content_advice.strip()}")
    return phrases


def facts_line(facts: CatalogueFactsEntry | None, language: str,
               language_name: Callable[[str | None, str], str]) -> str:
    """The facts as Paragraph markup, phrases joined by " · " ("" when none is known)."""
    return " · ".join(markup(phrase) for phrase in facts_phrases(facts, language, language_name))
