"""Sub-commands of the foundation: the demo festival, the generator, counts, film and programmer
lists, and opening the desk."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from festival_desk.cli._common import announce_backup, command, db_url_argument, open_database_from_args
from festival_desk.core.errors import UserError
from festival_desk.core.workflow import parse_status
from festival_desk.store import models as m
from festival_desk.store.db import Database, demo_database_path, open_database
from festival_desk.store.film_rows import film_rows
from festival_desk.store.filters import FilmFilter, film_ids


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="create the demo festival (refuses to overwrite without --force)")
    demo.add_argument("--force", action="store_true", help="replace what the database holds")
    command(demo, create_demo_command, _render_created)

    generate = subparsers.add_parser("generate", help="generate a festival of any size (deterministic)")
    generate.add_argument("--films", type=int, required=True, metavar="N", help="number of submissions")
    generate.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same festival)")
    generate.add_argument("--force", action="store_true", help="replace what the database holds")
    command(generate, generate_command, _render_created)

    info = subparsers.add_parser("info", help="what the database holds: counts and schema revision")
    command(info, info_command, _render_info)

    films = subparsers.add_parser("films", help="films of the festival")
    films_sub = films.add_subparsers(dest="films_command", metavar="COMMAND", required=True)
    films_list = films_sub.add_parser("list", help="list films, sorted by sort title")
    films_list.add_argument("--status", help="only films in this status (e.g. shortlisted)")
    films_list.add_argument("--section", metavar="CODE", help="only films of this section")
    command(films_list, list_films_command, _render_films)

    programmers = subparsers.add_parser("programmers", help="the programming committee")
    programmers_sub = programmers.add_subparsers(dest="programmers_command", metavar="COMMAND", required=True)
    programmers_list = programmers_sub.add_parser("list", help="list programmers")
    command(programmers_list, list_programmers_command,
            lambda rows: "\n".join(f"{row['id']:>4}  {row['name']}" for row in rows))


def _target_database(args: argparse.Namespace) -> Database:
    url = db_url_argument(args)
    if url is None and getattr(args, "command", None) == "demo":
        url = str(demo_database_path())
    database = open_database(url, create=True)  # only the demo and the generator create a festival
    announce_backup(database)
    return database


def create_demo_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.demo import create_demo

    with _target_database(args) as database:
        change = create_demo(database, replace=args.force)
        return {"database": database.label, "films": len(change.films_added)}


def generate_command(args: argparse.Namespace) -> dict[str, Any]:
    from festival_desk.actions.generate import generate_festival

    with _target_database(args) as database:
        change = generate_festival(database, films=args.films, seed=args.seed, replace=args.force)
        return {"database": database.label, "films": len(change.films_added)}


def _render_created(result: dict[str, Any]) -> str:
    return f"{result['films']} films written to {result['database']}"


COUNTED_TABLES = {
    "films": m.Film, "sections": m.Section, "programmers": m.Programmer, "ratings": m.Rating,
    "notes": m.Note, "critics": m.Critic, "reviews": m.Review, "pull_quotes": m.PullQuote,
    "venues": m.Venue, "screens": m.Screen, "screenings": m.Screening,
}


def info_command(args: argparse.Namespace) -> dict[str, Any]:
    with open_database_from_args(args) as database:
        with database.reading() as session:
            counts = {name: session.exec(select(sa.func.count()).select_from(model)).one()
                      for name, model in COUNTED_TABLES.items()}
            festival = session.exec(select(m.Festival)).first()
        return {
            "database": database.label,
            "festival": festival.name if festival else None,
            "edition": festival.edition if festival else None,
            **counts,
            "schema_revision": database.revision(),
        }


def _render_info(result: dict[str, Any]) -> str:
    lines = [f"{result['database']}: {result['festival'] or '(no festival yet)'} {result['edition'] or ''}".rstrip()]
    lines += [f"  {name.replace('_', ' ')}: {result[name]}" for name in COUNTED_TABLES]
    lines.append(f"  schema revision: {result['schema_revision']}")
    return "\n".join(lines)


def list_films_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    status = None
    if args.status:
        try:
            status = parse_status(args.status)
        except ValueError as error:
            raise UserError(f"--status: {error}") from None
    with open_database_from_args(args) as database:
        with database.reading() as session:
            return film_list(session, status=status, section=args.section)


def film_list(session, *, status: str | None = None, section: str | None = None) -> list[dict[str, Any]]:
    """Films as plain dicts in sort-title order: the desk's own list order (`store.filters.film_ids`)
    and rows (`store.film_rows`)."""
    if section:
        known = session.exec(select(m.Section.code)).all()
        if section not in known:
            raise UserError(f"--section: no section with code {section!r}; sections: {', '.join(known) or 'none'}")
    ids = film_ids(session, FilmFilter(statuses=(status,) if status else (), sections=(section,) if section else ()),
                   sort=("title", True))
    return [
        {"id": row.film_id, "title": row.title, "original_title": row.original_title, "sort_title": row.sort_title,
         "directors": list(row.directors), "countries": list(row.countries), "year": row.year,
         "runtime": row.runtime_minutes, "section": row.section_code, "status": row.status}
        for row in film_rows(session, ids)
    ]


def _render_films(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no films"
    lines = []
    for row in rows:
        people = ", ".join(row["directors"])
        where = "/".join(row["countries"])
        lines.append(f"{row['id']:>6}  {row['title']}  ({people}; {where} {row['year'] or ''})  "
                     f"[{row['section'] or '-'}, {row['status']}]")
    return "\n".join(lines)


def list_programmers_command(args: argparse.Namespace) -> list[dict[str, Any]]:
    with open_database_from_args(args) as database:
        with database.reading() as session:
            return [{"id": p.id, "name": p.name}
                    for p in session.exec(select(m.Programmer).order_by(m.Programmer.name))]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `festival-desk` instead")
