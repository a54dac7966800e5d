"""Colleagues' changes as the desk applies its own: the change log read into `Change` records.

A live desk reads the log entries after the last one it has seen and turns them into one `Change`
(`change_from_entries`), which goes through the same path as the desk's own actions: the same
rows repaint, the same lists re-query. Its own entries (its `client`) are left out, since it has
applied them already. `follow` is the command line's loop over the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from festival_desk.actions.changes import Change
from festival_desk.store import changelog
from festival_desk.store.changelog import LogEntry, LogRead
from festival_desk.store.db import Database
from festival_desk.store.live import Wake, watch

_TARGETS = {"screening": "screenings", "review": "reviews", "critic": "critics", "programmer": "programmers",
            "venue": "venues"}


def latest_seq(database: Database) -> int:
    with database.reading() as session:
        return changelog.latest_seq(session)


def read_changes(database: Database, since: int, *, limit: int | None = None) -> LogRead:
    """The log entries after `since` (see store.changelog.read_since)."""
    with database.reading() as session:
        return changelog.read_since(session, since, limit=limit)


def _describe(entries: Sequence[LogEntry]) -> str:
    texts = list(dict.fromkeys(f"{entry.who}: {entry.description}" if entry.who and not
                               entry.description.startswith(f"{entry.who}:") else entry.description
                               for entry in entries if entry.description))
    if len(texts) > 3:
        return f"{'; '.join(texts[-3:])} (and {len(texts) - 3} more)"
    return "; ".join(texts)


def change_from_entries(entries: Sequence[LogEntry], *, own_client: str | None = None) -> Change | None:
    """One Change naming everything `entries` (colleagues' entries: not `own_client`'s) touched;
    None when they touched nothing this desk shows. `details`: "remote" True, "who" (names, in
    order), "fields" (of films), "log_seq" (the last entry), "seqs" (the colleagues' entries)."""
    theirs = [entry for entry in entries if entry.client != own_client or own_client is None]
    change = Change(description=_describe(theirs))
    fields: set[str] = set()
    for entry in theirs:
        ids = set(entry.ids)
        if entry.kind == "festival" or entry.op == "replaced":
            change.everything = True
        elif entry.kind == "film":
            target = {"added": change.films_added, "removed": change.films_removed}.get(entry.op, change.films)
            target.update(ids)
            fields.update(entry.fields)
        elif entry.kind == "quote":
            continue  # its film is in the same transaction's film entry ("quotes")
        elif entry.kind in _TARGETS:
            getattr(change, _TARGETS[entry.kind]).update(ids)
        elif entry.kind == "setting":
            change.settings.update(str(record_id) for record_id in ids)
        elif entry.kind == "person":
            change.everything = change.everything or entry.op != "added"
    touched = (change.films or change.films_added or change.films_removed or change.screenings or change.reviews
               or change.critics or change.programmers or change.venues or change.settings or change.everything)
    if not touched:
        return None
    change.films -= change.films_added | change.films_removed
    change.details = {"remote": True, "who": list(dict.fromkeys(entry.who for entry in theirs if entry.who)),
                      "fields": sorted(fields), "log_seq": entries[-1].seq if entries else None,
                      "seqs": [entry.seq for entry in theirs]}
    return change


def follow(database: Database, since: int | None = None, *, timeout: float = 1.0,
           stop: Callable[[], bool] = lambda: False) -> Iterator[LogRead]:
    """The log as it grows: first the entries after `since` (None: from now on), then each batch
    of new entries as soon as a writer commits them, until `stop()` is true. A batch with
    `behind` set means entries were pruned before they could be read."""
    last = latest_seq(database) if since is None else since
    watcher = watch(database)
    try:
        if since is not None:
            first = read_changes(database, last)
            last = first.last_seq
            yield first
        while not stop():
            state = watcher.wait(timeout)
            if state in (Wake.GROWN, Wake.RECONNECTED):
                batch = read_changes(database, last)
                if batch.entries or batch.behind:
                    last = batch.last_seq
                    yield batch
    finally:
        watcher.close()


def set_keep_days(database: Database, days: int) -> Change:
    """Keep change log entries `days` days (the festival's setting; at least 1)."""
    from sqlmodel import select

    from festival_desk.core.errors import UserError
    from festival_desk.store.models import Festival

    if days < 1:
        raise UserError(f"--keep: the change log keeps entries at least 1 day, not {days}")
    with database.transaction() as session:
        festival = session.exec(select(Festival).order_by(Festival.id)).first()
        if festival is None:
            raise UserError("festival: the database holds no festival yet")
        previous, festival.change_log_days = festival.change_log_days, days
        session.add(festival)
    return Change(description=f"Keep the change log {days} days", settings={"festival"},
                  details={"keep_days": days, "previous": previous})
