"""The proof changelog: what changed in a booklet since the previous build, for checking proofs.

Both sides are compared in their JSON form (`BookletSnapshot.to_json`), which is also how the
previous build is stored, so a saved build from an older session compares the same way.
"""

from __future__ import annotations

from typing import Any

from festival_desk.printing.snapshot import BookletSnapshot

_TEXT_FIELDS = (("title", "title"), ("original_title", "original title"), ("synopsis", "synopsis"),
                ("directors", "directors"), ("countries", "countries"), ("languages", "languages"),
                ("year", "year"), ("runtime_minutes", "runtime"), ("premiere", "premiere"),
                ("quote", "pull quote"), ("credits", "credits"), ("still", "still"))


def _films(snapshot: dict[str, Any]) -> dict[int, tuple[str, dict[str, Any]]]:
    return {film["id"]: (section["name"], film)
            for section in snapshot.get("sections", []) for film in section.get("films", [])}


def _where(screening: dict[str, Any]) -> str:
    when = screening["starts_at"].replace("T", " ")[:16]
    return f"{when} {screening['venue']}, {screening['screen']}"


def proof_changes(previous: dict[str, Any] | None, current: BookletSnapshot) -> list[str]:
    """One line per change since `previous` (a stored `to_json()`), in booklet order; [] when
    nothing changed or there was no previous build."""
    if not previous:
        return []
    now = current.to_json()
    lines: list[str] = []
    for label in ("name", "edition", "starts_on", "ends_on", "welcome"):
        if previous.get("festival", {}).get(label) != now["festival"].get(label):
            lines.append(f"Festival {label.replace('_', ' ')} edited")
    old_films, new_films = _films(previous), _films(now)
    for film_id, (section, film) in new_films.items():
        if film_id not in old_films:
            lines.append(f"Film added: {film['title']!r} ({section})")
    for film_id, (section, film) in old_films.items():
        if film_id not in new_films:
            lines.append(f"Film removed: {film['title']!r} ({section})")
    for film_id, (section, film) in new_films.items():
        if film_id not in old_films:
            continue
        old_section, old_film = old_films[film_id]
        if old_section != section:
            lines.append(f"Film {film['title']!r} moved from section {old_section!r} to {section!r}")
        for key, label in _TEXT_FIELDS:
            if old_film.get(key) != film.get(key):
                if key == "title":
                    lines.append(f"Title edited: {old_film['title']!r} → {film['title']!r}")
                else:
                    lines.append(f"Film {film['title']!r}: {label} edited")
    titles = {film_id: film["title"] for film_id, (_, film) in {**old_films, **new_films}.items()}
    old_screenings = {s["id"]: s for s in previous.get("screenings", [])}
    new_screenings = {s["id"]: s for s in now["screenings"]}

    def named(screening: dict[str, Any]) -> str:
        return screening.get("title") or " / ".join(titles.get(i, f"film {i}") for i in screening["film_ids"])

    for screening_id, screening in new_screenings.items():
        old = old_screenings.get(screening_id)
        if old is None:
            lines.append(f"Screening added: {named(screening)!r} {_where(screening)}")
        elif _where(old) != _where(screening):
            lines.append(f"Screening moved: {named(screening)!r} {_where(old)} → {_where(screening)}")
        elif old.get("film_ids") != screening.get("film_ids") or old.get("title") != screening.get("title"):
            lines.append(f"Screening changed: {named(screening)!r} {_where(screening)} now shows other films")
        elif any(old.get(k) != screening.get(k) for k in ("qa_minutes", "intro_minutes", "premiere", "kind",
                                                            "guests")):
            lines.append(f"Screening details edited: {named(screening)!r} {_where(screening)}")
    for screening_id, screening in old_screenings.items():
        if screening_id not in new_screenings:
            lines.append(f"Screening removed: {named(screening)!r} {_where(screening)}")
    old_sections = [(s["code"], s["name"]) for s in previous.get("sections", [])]
    new_sections = [(s["code"], s["name"]) for s in now["sections"]]
    if old_sections != new_sections:
        lines.append("Sections changed: " + ", ".join(name for _, name in new_sections))
    if previous.get("venues") != now["venues"]:
        lines.append("Venues edited")
    return lines
