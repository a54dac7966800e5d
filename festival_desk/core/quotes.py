"""The rule for shortening a critic's words: the printed text is the original with words left out.

One rule serves the command line (`review approve --text`), the desk's quote editor and adding a
quote from a review's text, so all three accept and refuse the same texts for the same reasons.

What counts:
- the shortened text's words (letters and digits, with inner apostrophes and hyphens) are the
  original's words, in the original's order, each used no more often than there;
- a cut inside a sentence is marked with an ellipsis ("…", "...", "[…]", "(…)"); a cut at the
  start or end of the quote, or one that leaves out whole sentences, needs none;
- case, spacing and punctuation are not compared (a capital after a cut is normal practice), but
  no word may be added, changed, or moved.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from festival_desk.core.errors import UserError

ELLIPSIS = "…"

_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)
_ELLIPSIS_RE = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.")
_SENTENCE_END_RE = re.compile(r"[.!?…]|\n\s*\n")


@dataclass(frozen=True)
class _Word:
    shown: str
    key: str
    # Original: the word ends a sentence. Shortened: an ellipsis stands between it and the word before.
    flag: bool


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold().replace("’", "'")


def _original_words(text: str) -> list[_Word]:
    matches = list(_WORD_RE.finditer(text))
    words = []
    for index, match in enumerate(matches):
        following = text[match.end():matches[index + 1].start()] if index + 1 < len(matches) else "."
        words.append(_Word(match.group(), _key(match.group()), bool(_SENTENCE_END_RE.search(following))))
    return words


def _shortened_words(text: str) -> list[_Word]:
    words = []
    previous_end = 0
    for match in _WORD_RE.finditer(text):
        marked = bool(_ELLIPSIS_RE.search(text[previous_end:match.start()]))
        words.append(_Word(match.group(), _key(match.group()), marked))
        previous_end = match.end()
    return words


def _quoted(words: list[str]) -> str:
    shown = [f"“{word}”" for word in words[:3]]
    if len(words) > 3:
        shown[-1] += f" (and {len(words) - 3} more)"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def shortening_problem(original: str, shortened: str) -> str | None:
    """Why `shortened` is not `original` with words left out, as a sentence for the user; None
    when it is (see the module's rule)."""
    if not shortened.strip():
        return "the shortened text is empty"
    source = _original_words(original)
    short = _shortened_words(shortened)
    if not short:
        return "the shortened text has no words"
    available = Counter(word.key for word in source)
    added = list(dict.fromkeys(word.shown for word in short if word.key not in available))
    if added:
        return f"{_quoted(added)} {'is' if len(added) == 1 else 'are'} not in the original"
    used = Counter(word.key for word in short)
    repeated = list(dict.fromkeys(word.shown for word in short if used[word.key] > available[word.key]))
    if repeated:
        return f"{_quoted(repeated)} appears more often than in the original"

    positions: dict[str, list[int]] = {}
    for index, word in enumerate(source):
        positions.setdefault(word.key, []).append(index)
    # Earliest matches decide whether the words occur in order at all.
    at = -1
    for index, word in enumerate(short):
        candidates = positions[word.key]
        found = bisect.bisect_right(candidates, at)
        if found == len(candidates):
            return (f"“{word.shown}” does not come after “{short[index - 1].shown}” in the original: "
                    "keep the original's order")
        at = candidates[found]

    cuts = _unmarked_cuts(source, short, positions)
    if not cuts:
        return None
    before, after = cuts[0]
    return (f"words are left out between “{before}” and “{after}” without an ellipsis: "
            f"mark a cut inside a sentence with {ELLIPSIS}")


def _unmarked_cuts(source: list[_Word], short: list[_Word], positions: dict[str, list[int]]) -> list[tuple[str, str]]:
    """The unmarked cuts inside sentences of the placement of `short` in `source` that has the
    fewest of them, as (word before, word after) pairs in reading order.

    Dynamic programming over the positions each shortened word can take in the original, last
    word first: `cost[p]` is the fewest unmarked cuts from the word placed at `p` to the end.
    Suffix minima over the next word's positions keep it linear in the occurrences."""
    count = len(short)
    inf = float("inf")
    costs: list[dict[int, float]] = [dict() for _ in range(count)]
    choices: list[dict[int, tuple[int, int]]] = [dict() for _ in range(count)]
    for place in positions[short[-1].key]:
        costs[-1][place] = 0
    for index in range(count - 2, -1, -1):
        following = short[index + 1]
        nexts = positions[following.key]
        next_costs = [costs[index + 1].get(place, inf) for place in nexts]
        best_all: list[tuple[float, int]] = [(inf, -1)] * (len(nexts) + 1)
        best_sentence: list[tuple[float, int]] = [(inf, -1)] * (len(nexts) + 1)
        for j in range(len(nexts) - 1, -1, -1):
            here = (next_costs[j], nexts[j])
            best_all[j] = min(best_all[j + 1], here)
            starts_sentence = nexts[j] == 0 or source[nexts[j] - 1].flag
            best_sentence[j] = min(best_sentence[j + 1], here) if starts_sentence else best_sentence[j + 1]
        for place in positions[short[index].key]:
            first = bisect.bisect_right(nexts, place)
            options: list[tuple[float, int, int]] = []  # (cost, next place, unmarked cuts added)
            cost_any, place_any = best_all[first]
            if following.flag:
                options.append((cost_any, place_any, 0))
            else:
                options.append((cost_any + 1, place_any, 1))
                if first < len(nexts) and nexts[first] == place + 1:
                    options.append((next_costs[first], place + 1, 0))
                if source[place].flag:
                    cost_sentence, place_sentence = best_sentence[first]
                    options.append((cost_sentence, place_sentence, 0))
            cost, chosen, added = min(options)
            if cost < inf:
                costs[index][place] = cost
                choices[index][place] = (chosen, added)
    start = min(costs[0], key=lambda place: costs[0][place])
    cuts = []
    place = start
    for index in range(count - 1):
        chosen, added = choices[index][place]
        if added:
            cuts.append((short[index].shown, short[index + 1].shown))
        place = chosen
    return cuts


def require_shortened(original: str, shortened: str, field_name: str) -> str:
    """`shortened` with its spacing tidied, or `UserError` naming `field_name` and saying why it is
    not the original with words left out."""
    problem = shortening_problem(original, shortened)
    if problem is not None:
        raise UserError(f"{field_name}: “{' '.join(shortened.split())}” is not a part of the original: {problem}")
    return " ".join(shortened.split())
