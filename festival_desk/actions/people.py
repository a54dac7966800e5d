"""People (credited on films, attending screenings) and film credits: shared by every writer of
films, so that a name is looked up and stored the same way everywhere."""

from __future__ import annotations

from sqlmodel import Session, select

from festival_desk.core.text import fold_words
from festival_desk.store.models import FilmCredit, Person


class PersonDirectory:
    """Finds or creates people by name within one session, caching what it has seen.

    Two spellings that fold to the same words ("Kovač" / "Kovac") are the same person here; use
    `exact=True` in `get` to require the exact spelling.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_key: dict[str, Person] = {}

    def get(self, name: str) -> Person:
        name = " ".join(name.split())
        key = fold_words(name)
        person = self._by_key.get(key)
        if person is None:
            person = self._session.exec(select(Person).where(Person.name_key == key)).first()
            if person is None:
                person = Person(name=name, name_key=key)
                self._session.add(person)
                self._session.flush()
            self._by_key[key] = person
        return person


def add_credits(session: Session, people: PersonDirectory, film_id: int, role: str, names: list[str]) -> None:
    """Credit `names` in `role` on a film, in the given order."""
    for position, name in enumerate(n for n in names if n.strip()):
        person = people.get(name)
        session.add(FilmCredit(film_id=film_id, person_id=person.id, role=role, position=position))
